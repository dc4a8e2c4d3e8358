// Package api is the JSON API of Marshrut under /api/v1 and its OpenAPI
// document. It turns requests into calls of the domain services with the
// caller's scope and their results into JSON; it holds no rules of its own
// beyond the shape of requests.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"marshrut/internal/analytics"
	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/cluster"
	"marshrut/internal/guidance"
	"marshrut/internal/imports"
	"marshrut/internal/kpi"
	"marshrut/internal/learner"
	"marshrut/internal/measures"
	"marshrut/internal/mentor"
	"marshrut/internal/org"
	"marshrut/internal/referral"
	"marshrut/internal/report"
	"marshrut/internal/risk"
	"marshrut/internal/routing"
	"marshrut/internal/targeted"
	"marshrut/internal/youth"
)

// Prefix is the path under which the API is mounted.
const Prefix = "/api/v1"

// Deps is what the API needs from the rest of the program.
type Deps struct {
	Learners *learner.Service
	Orgs     *org.Service
	// Importer loads files of learners (POST /imports/learners); without it
	// that route answers 500.
	Importer *imports.Importer
	// Guidance serves /guidance/… and /learners/{id}/ddo, Targeted serves
	// /targeted/…; without them those routes answer 500.
	Guidance *guidance.Service
	Targeted *targeted.Service
	// Routing serves /routing/…, /learners/{id}/recommendations and
	// /vacancies/{id}/applicants, Analytics serves /employment; without them
	// those routes answer 500.
	Routing   *routing.Service
	Analytics *analytics.Service
	// Risk serves /risk/… and /learners/{id}/risk.
	Risk *risk.Service
	// Balance serves /balance/….
	Balance *balance.Service
	// Mentor serves /mentorship/…, Cluster serves /clusters/…; without them
	// those routes answer 500.
	Mentor  *mentor.Service
	Cluster *cluster.Service
	Log     *slog.Logger

	// Measures serves /measures/…; without it those routes answer 500.
	Measures *measures.Service
	// Referrals serves /services and /referrals; without it those routes answer 500.
	Referrals *referral.Service
	// KPI serves /measures, the catalogue of headline measures.
	KPI *kpi.Service

	// Youth serves /me/… of the young person's side (profile, consents,
	// responses, proposals, messages); without it those routes answer 500.
	Youth *youth.Service

	// Forms serves /forms/…, the official forms; without it those routes answer 500.
	Forms *report.Forms

	// Auth and Users serve /users/…, /tokens/… and /me/password.
	Auth  *auth.Service
	Users auth.Store

	// Audit records reads of many people (list pages) and attempts on
	// another organisation's СНИЛС; without it nothing is recorded.
	Audit Auditor

	// Now is the installation's clock (time.Now when nil).
	Now func() time.Time
}

// Auditor writes entries of the audit log.
type Auditor interface {
	Audit(ctx context.Context, e auth.AuditEntry) error
}

// now is the installation's present.
func (a *api) now() time.Time {
	if a.d.Now == nil {
		return time.Now()
	}
	return a.d.Now()
}

// audit writes an entry for the caller; a failure is logged, not shown: the
// caller's read has already happened.
func (a *api) audit(r *http.Request, c caller, e auth.AuditEntry) {
	if a.d.Audit == nil {
		return
	}
	e.At, e.UserID, e.Role, e.From = a.now(), c.user.ID, c.scope.Role, c.scope.From
	if e.RegionCode == "" {
		e.RegionCode = c.scope.RegionCode
	}
	if err := a.d.Audit.Audit(context.WithoutCancel(r.Context()), e); err != nil && a.d.Log != nil {
		a.d.Log.Error("audit", "action", e.Action, "err", err)
	}
}

// auditList records a list page of people: what was asked (the query, less
// the paging) and how many people the page held.
func (a *api) auditList(r *http.Request, c caller, action string, n int) {
	if n == 0 || !c.scope.SeesPersons() {
		return
	}
	a.audit(r, c, auth.AuditEntry{Action: action, Filter: auth.FilterText(r.URL.Query()), Persons: n})
}

// caller is who is asking, as the server's authentication put it in the context.
type caller struct {
	user  auth.User
	scope auth.Scope
}

// handler serves one route; a returned error becomes the JSON error response.
type handler func(w http.ResponseWriter, r *http.Request, c caller) error

// route is one line of the table of routes. public routes are served without a
// caller; every other one answers 401 when the server let a request through
// without one.
type route struct {
	method  string
	pattern string // full path with {name} wildcards, as in the OpenAPI document after the server URL
	summary string // the same text as the operation's summary in openapi.json
	public  bool
	handle  handler
}

type api struct {
	d   Deps
	mux *http.ServeMux
}

// routes is the whole API in one table; a test compares it with openapi.json.
func (a *api) routes() []route {
	return []route{
		{"GET", "/openapi.json", "Описание API в формате OpenAPI 3.0", true, a.openapi},
		{"GET", "/me", "Текущий пользователь", false, a.me},
		{"PUT", "/me/password", "Сменить свой пароль", false, a.withUsers(a.changePassword)},
		{"GET", "/me/profile", "Мой профиль и согласия", false, a.withYouth(a.myProfile)},
		{"GET", "/me/consents", "История согласий родителя", false, a.withYouth(a.myConsents)},
		{"POST", "/me/consents", "Дать или отозвать согласие", false, a.withYouth(a.setConsent)},
		{"GET", "/me/responses", "Отклики на вакансии", false, a.withYouth(a.myResponses)},
		{"POST", "/me/responses", "Откликнуться на вакансию", false, a.withYouth(a.respond)},
		{"GET", "/me/responses/{id}", "Отклик на вакансию", false, a.withYouth(a.myResponse)},
		{"POST", "/me/responses/{id}/status", "Ответить на отклик или отозвать его", false, a.withYouth(a.answerResponse)},
		{"GET", "/me/proposals", "Мои предложения распределения", false, a.withYouth(a.myProposals)},
		{"POST", "/me/proposals/{id}/answer", "Принять или отклонить предложение", false, a.withYouth(a.answerProposal)},
		{"GET", "/me/messages", "Мои сообщения", false, a.withYouth(a.myMessages)},
		{"POST", "/me/messages/read", "Отметить сообщения прочитанными", false, a.withYouth(a.readMessages)},
		{"GET", "/tokens", "Мои API-токены", false, a.withUsers(a.listTokens)},
		{"DELETE", "/tokens/{id}", "Отозвать свой API-токен", false, a.withUsers(a.revokeToken)},
		{"GET", "/users", "Учётные записи", false, a.withUsers(a.listUsers)},
		{"PUT", "/users/{id}/state", "Отключить или включить учётную запись", false, a.withUsers(a.setUserState)},
		{"POST", "/users/{id}/password-reset", "Сбросить пароль: одноразовый код", false, a.withUsers(a.resetUserPassword)},
		{"GET", "/users/{id}/tokens", "API-токены учётной записи", false, a.withUsers(a.listUserTokens)},
		{"DELETE", "/users/{id}/tokens/{token_id}", "Отозвать API-токен учётной записи", false, a.withUsers(a.revokeUserToken)},

		{"GET", "/organisations", "Список организаций", false, a.listOrganisations},
		{"POST", "/organisations", "Добавить организацию", false, a.createOrganisation},
		{"GET", "/organisations/{id}", "Организация", false, a.getOrganisation},
		{"PUT", "/organisations/{id}", "Изменить организацию", false, a.updateOrganisation},

		{"GET", "/learners", "Список обучающихся", false, a.listLearners},
		{"POST", "/learners", "Добавить обучающегося", false, a.createLearner},
		{"GET", "/learners/{id}", "Карточка обучающегося", false, a.getLearner},
		{"PUT", "/learners/{id}", "Изменить сведения об обучающемся", false, a.updateLearner},

		{"GET", "/learners/{id}/stages", "Этапы маршрута обучающегося", false, a.listStages},
		{"POST", "/learners/{id}/stages", "Добавить этап маршрута", false, a.addStage},
		{"GET", "/learners/{id}/outcomes", "История занятости обучающегося", false, a.listOutcomes},
		{"POST", "/learners/{id}/outcomes", "Добавить сведения о занятости", false, a.addOutcome},

		{"POST", "/imports/learners", "Загрузить обучающихся из файла", false, a.importLearners},
		{"POST", "/imports/orgs", "Загрузить организации из файла", false, a.importOrganisations},
		{"POST", "/imports/outcomes", "Загрузить сведения о занятости из файла", false, a.importOutcomes},
		{"POST", "/imports/vacancies", "Загрузить вакансии «Работы России»", false, a.importVacancies},
		{"POST", "/imports/sfr", "Загрузить ответ СФР о трудоустройстве выпускников", false, a.importSFR},
		{"POST", "/imports/frdo", "Загрузить документы об образовании (ФИС ФРДО)", false, a.importFRDO},
		{"POST", "/imports/guidance", "Загрузить участие школьников в профориентации", false, a.importGuidance},

		{"GET", "/forms", "Формы отчётности", false, a.listForms},
		{"GET", "/forms/sheet", "Заполненная форма отчётности", false, a.getForm},
		{"GET", "/forms/xlsx", "Форма отчётности в XLSX", false, a.getFormXLSX},

		{"GET", "/guidance/events", "Список профориентационных мероприятий", false, a.withGuidance(a.listEvents)},
		{"POST", "/guidance/events", "Добавить профориентационное мероприятие", false, a.withGuidance(a.createEvent)},
		{"GET", "/guidance/events/{id}", "Профориентационное мероприятие", false, a.withGuidance(a.getEvent)},
		{"PUT", "/guidance/events/{id}", "Изменить профориентационное мероприятие", false, a.withGuidance(a.updateEvent)},
		{"GET", "/guidance/events/{id}/history", "История изменений мероприятия", false, a.withGuidance(a.eventHistory)},
		{"POST", "/guidance/events/{id}/bookings", "Забронировать места на мероприятии", false, a.withGuidance(a.bookEvent)},
		{"GET", "/guidance/events/{id}/participants", "Участники мероприятия", false, a.withGuidance(a.listParticipants)},
		{"POST", "/guidance/events/{id}/participants", "Отметить участников мероприятия", false, a.withGuidance(a.addParticipants)},
		{"DELETE", "/guidance/events/{id}/participants/{learner_id}", "Снять отметку об участии", false, a.withGuidance(a.removeParticipant)},
		{"GET", "/guidance/coverage", "Охват профориентацией", false, a.withGuidance(a.coverage)},
		{"GET", "/guidance/pupils", "Школьники и их профориентация", false, a.withGuidance(a.listPupils)},
		{"POST", "/guidance/informing", "Отметить информирование о целевом обучении", false, a.withGuidance(a.inform)},
		{"PUT", "/guidance/level", "Выбрать уровень профминимума", false, a.withGuidance(a.setLevel)},
		{"GET", "/learners/{id}/ddo", "Результаты ДДО обучающегося", false, a.withGuidance(a.listDiagnostics)},
		{"POST", "/learners/{id}/ddo", "Записать результат ДДО", false, a.withGuidance(a.takeDiagnostic)},

		{"GET", "/targeted/offers", "Список предложений целевого обучения", false, a.withTargeted(a.listOffers)},
		{"POST", "/targeted/offers", "Добавить предложение целевого обучения", false, a.withTargeted(a.createOffer)},
		{"GET", "/targeted/offers/{id}", "Предложение целевого обучения", false, a.withTargeted(a.getOffer)},
		{"PUT", "/targeted/offers/{id}", "Изменить предложение целевого обучения", false, a.withTargeted(a.updateOffer)},
		{"GET", "/targeted/offers/{id}/history", "История изменений предложения целевого обучения", false, a.withTargeted(a.offerHistory)},
		{"POST", "/targeted/offers/{id}/applications", "Подать заявку на целевое обучение", false, a.withTargeted(a.apply)},
		{"GET", "/targeted/applications", "Список заявок на целевое обучение", false, a.withTargeted(a.listApplications)},
		{"GET", "/targeted/applications/{id}", "Заявка на целевое обучение", false, a.withTargeted(a.getApplication)},
		{"POST", "/targeted/applications/{id}/moves", "Перевести заявку в другое состояние", false, a.withTargeted(a.moveApplication)},
		{"GET", "/targeted/figures", "Показатели целевого обучения", false, a.withTargeted(a.targetedFigures)},

		{"GET", "/learners/{id}/recommendations", "Вакансии, рекомендованные обучающемуся", false, a.withRouting(a.recommend)},
		{"GET", "/vacancies/{id}/applicants", "Кандидаты на вакансию", false, a.withRouting(a.applicants)},
		{"GET", "/routing/runs", "Расчёты распределения", false, a.withRouting(a.listRuns)},
		{"POST", "/routing/runs", "Запустить расчёт распределения", false, a.withRouting(a.startRun)},
		{"GET", "/routing/runs/{id}", "Расчёт распределения", false, a.withRouting(a.getRun)},
		{"GET", "/routing/runs/{id}/proposals", "Предложения расчёта распределения", false, a.withRouting(a.listProposals)},
		{"POST", "/routing/proposals/{id}", "Решение по предложению распределения", false, a.withRouting(a.decideProposal)},
		{"POST", "/routing/runs/{id}/bulk", "Предложения расчёта разом", false, a.withRouting(a.bulkProposals)},

		{"GET", "/employment", "Трудоустройство выпускников", false, a.withAnalytics(a.employment)},
		{"GET", "/measures", "Ключевые показатели", false, a.withKPI(a.measuresDoc)},

		{"GET", "/mentorship/programmes", "Программы наставничества", false, a.withMentor(a.listProgrammes)},
		{"POST", "/mentorship/programmes", "Добавить программу наставничества", false, a.withMentor(a.createProgramme)},
		{"GET", "/mentorship/programmes/{id}/proposals", "Предложения наставнических пар", false, a.withMentor(a.listPairProposals)},
		{"POST", "/mentorship/programmes/{id}/pairs", "Составить наставнические пары", false, a.withMentor(a.makePairs)},
		{"GET", "/mentorship/mentors", "Наставники", false, a.withMentor(a.listMentors)},
		{"POST", "/mentorship/mentors", "Зарегистрировать наставника", false, a.withMentor(a.createMentor)},
		{"GET", "/mentorship/mentors/{id}", "Наставник", false, a.withMentor(a.getMentor)},
		{"PUT", "/mentorship/mentors/{id}", "Изменить наставника", false, a.withMentor(a.updateMentor)},
		{"GET", "/mentorship/mentors/{id}/history", "История изменений наставника", false, a.withMentor(a.mentorHistory)},
		{"GET", "/mentorship/pairs", "Наставнические пары", false, a.withMentor(a.listPairs)},
		{"GET", "/mentorship/pairs/{id}", "Наставническая пара", false, a.withMentor(a.getPair)},
		{"POST", "/mentorship/pairs/{id}/meetings", "Внести встречу в журнал", false, a.withMentor(a.addMeeting)},
		{"POST", "/mentorship/pairs/{id}/feedback", "Оставить отзыв о работе пары", false, a.withMentor(a.addFeedback)},
		{"POST", "/mentorship/pairs/{id}/finish", "Завершить наставническую пару", false, a.withMentor(a.finishPair)},
		{"GET", "/mentorship/figures", "Показатели наставничества", false, a.withMentor(a.mentorFigures)},

		{"GET", "/clusters", "Реестр кластеров", false, a.withCluster(a.listClusters)},
		{"POST", "/clusters", "Добавить кластер", false, a.withCluster(a.createCluster)},
		{"GET", "/clusters/{id}", "Кластер", false, a.withCluster(a.getCluster)},
		{"PUT", "/clusters/{id}", "Изменить кластер", false, a.withCluster(a.updateCluster)},
		{"GET", "/clusters/{id}/history", "История изменений кластера в реестре", false, a.withCluster(a.clusterHistory)},
		{"GET", "/clusters/{id}/kpis", "Ключевые показатели кластера", false, a.withCluster(a.clusterKPIs)},
		{"PUT", "/clusters/{id}/values", "Внести значение показателя кластера", false, a.withCluster(a.setClusterValue)},
		{"GET", "/cluster-criteria", "Критерии оценки кластеров", false, a.withCluster(a.getCriteria)},
		{"POST", "/cluster-criteria", "Утвердить новую версию критериев", false, a.withCluster(a.saveCriteria)},
		{"GET", "/cluster-defences", "Защиты кластеров", false, a.withCluster(a.listDefences)},
		{"POST", "/cluster-defences", "Открыть защиты кластеров", false, a.withCluster(a.openDefence)},
		{"GET", "/cluster-defences/{id}", "Защиты кластеров: комиссия, оценки и рейтинг", false, a.withCluster(a.getDefence)},
		{"PUT", "/cluster-defences/{id}/commission", "Состав комиссии и назначения", false, a.withCluster(a.setCommission)},
		{"PUT", "/cluster-defences/{id}/scores", "Выставить оценки кластеру", false, a.withCluster(a.scoreCluster)},
		{"POST", "/cluster-defences/{id}/sign", "Подписать протокол защит", false, a.withCluster(a.signDefence)},

		{"GET", "/risk/scores", "Обучающиеся с оценкой риска остаться без работы", false, a.withRisk(a.listRisk)},
		{"GET", "/risk/figures", "Показатели раннего предупреждения", false, a.withRisk(a.riskFigures)},
		{"GET", "/risk/model", "Модель риска и её точность", false, a.withRisk(a.riskModel)},
		{"POST", "/risk/train", "Обучить модель риска и пересчитать оценки", false, a.withRisk(a.trainRisk)},
		{"POST", "/risk/score", "Пересчитать оценки риска", false, a.withRisk(a.scoreRisk)},
		{"GET", "/learners/{id}/risk", "Риск обучающегося остаться без работы", false, a.withRisk(a.learnerRisk)},

		{"GET", "/balance", "Баланс кадров по группам специальностей", false, a.withBalance(a.getBalance)},
		{"GET", "/balance/groups/{key}", "Группа специальностей в балансе кадров", false, a.withBalance(a.getBalanceGroup)},
		{"GET", "/balance/proposals", "Предложения по приёму", false, a.withBalance(a.listAdmissionProposals)},
		{"GET", "/balance/needs", "Заявленная потребность работодателей", false, a.withBalance(a.listNeeds)},
		{"POST", "/balance/needs", "Заявить потребность в специалистах", false, a.withBalance(a.declareNeed)},
		{"DELETE", "/balance/needs/{id}", "Удалить заявленную потребность", false, a.withBalance(a.deleteNeed)},
		{"GET", "/balance/scenarios", "Сценарии баланса кадров", false, a.withBalance(a.listScenarios)},
		{"POST", "/balance/scenarios", "Создать сценарий баланса кадров", false, a.withBalance(a.createScenario)},
		{"POST", "/balance/scenarios/proposals", "Сохранить предложения по приёму как сценарий", false, a.withBalance(a.scenarioFromProposals)},
		{"PUT", "/balance/settings", "Предел изменения приёма в год", false, a.withBalance(a.setBalanceSettings)},
		{"GET", "/risk/cases", "Случаи центров занятости", false, a.withRisk(a.listCases)},
		{"POST", "/risk/cases", "Открыть случай", false, a.withRisk(a.openCase)},
		{"GET", "/risk/cases/{id}", "Случай центра занятости", false, a.withRisk(a.getCase)},
		{"POST", "/risk/cases/{id}/actions", "Записать действие по случаю", false, a.withRisk(a.addAction)},
		{"POST", "/risk/cases/{id}/close", "Закрыть случай", false, a.withRisk(a.closeCase)},

		{"GET", "/measures/programmes", "Программы активных мер содействия занятости", false, a.withMeasures(a.listMeasureProgrammes)},
		{"POST", "/measures/programmes", "Добавить программу содействия занятости", false, a.withMeasures(a.createMeasureProgramme)},
		{"GET", "/measures/programmes/{id}", "Программа содействия занятости с группами", false, a.withMeasures(a.getMeasureProgramme)},
		{"PUT", "/measures/programmes/{id}", "Изменить программу содействия занятости", false, a.withMeasures(a.updateMeasureProgramme)},
		{"GET", "/measures/programmes/{id}/history", "История изменений программы", false, a.withMeasures(a.measureProgrammeHistory)},
		{"POST", "/measures/programmes/{id}/groups", "Добавить группу обучения", false, a.withMeasures(a.createMeasureGroup)},
		{"GET", "/measures/groups/{id}", "Группа обучения с зачисленными", false, a.withMeasures(a.getMeasureGroup)},
		{"POST", "/measures/groups/{id}/enrolments", "Зачислить в группу", false, a.withMeasures(a.enrol)},
		{"GET", "/measures/enrolments/{id}", "Зачисление", false, a.withMeasures(a.getEnrolment)},
		{"POST", "/measures/enrolments/{id}/complete", "Отметить завершение обучения", false, a.withMeasures(a.completeEnrolment)},
		{"POST", "/measures/enrolments/{id}/drop", "Отметить отчисление", false, a.withMeasures(a.dropEnrolment)},
		{"POST", "/measures/enrolments/{id}/employment", "Записать трудоустройство после обучения", false, a.withMeasures(a.recordEmployment)},
		{"GET", "/measures/figures", "Показатели программ содействия занятости", false, a.withMeasures(a.measureFigures)},
		{"GET", "/services", "Каталог услуг центров занятости для молодёжи", false, a.withReferrals(a.listServices)},
		{"POST", "/services", "Добавить услугу в каталог", false, a.withReferrals(a.createService)},
		{"GET", "/services/{id}", "Услуга каталога", false, a.withReferrals(a.getService)},
		{"PUT", "/services/{id}", "Изменить услугу каталога", false, a.withReferrals(a.updateService)},
		{"GET", "/services/{id}/history", "История изменений услуги каталога", false, a.withReferrals(a.serviceHistory)},
		{"GET", "/referrals", "Направления центра занятости", false, a.withReferrals(a.listReferrals)},
		{"POST", "/referrals", "Направить на услугу или вакансию", false, a.withReferrals(a.refer)},
		{"GET", "/referrals/{id}", "Направление", false, a.withReferrals(a.getReferral)},
		{"POST", "/referrals/{id}/result", "Записать итог направления", false, a.withReferrals(a.referralResult)},
	}
}

// Route is one route of the API, for tests that walk every route.
type Route struct {
	Method  string
	Pattern string // full path under Prefix with {name} wildcards
	Public  bool   // served without a caller
}

// Routes returns the table of routes New registers, in its order.
func Routes() []Route {
	var out []Route
	for _, rt := range (&api{}).routes() {
		out = append(out, Route{Method: rt.method, Pattern: rt.pattern, Public: rt.public})
	}
	return out
}

// New returns the handler of every path under /api/v1/. Authentication happens
// before it: the server puts the caller into the request context with auth.WithCaller.
func New(d Deps) http.Handler {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	a := &api{d: d, mux: http.NewServeMux()}
	for _, rt := range a.routes() {
		a.mux.Handle(rt.method+" "+Prefix+rt.pattern, a.serve(rt))
	}
	a.mux.HandleFunc(Prefix+"/", a.unmatched)
	return a.mux
}

// serve wraps a route: it finds the caller and renders the handler's error.
func (a *api) serve(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var c caller
		if !rt.public {
			u, sc, ok := auth.Caller(r.Context())
			if !ok {
				w.Header().Set("WWW-Authenticate", `Bearer realm="marshrut"`)
				a.fail(w, r, apperr.New(apperr.Unauthorized, "Требуется вход: передайте личный токен в заголовке Authorization: Bearer mrt_…"))
				return
			}
			c = caller{user: u, scope: sc}
		}
		if err := rt.handle(w, r, c); err != nil {
			a.fail(w, r, err)
		}
	})
}

// unmatched answers a path no route serves: 405 with Allow when the path
// exists for other methods, 404 otherwise, both in JSON like every other error.
func (a *api) unmatched(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := a.mux.Handler(probe); p != "" && p != Prefix+"/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		if slices.Contains(allow, "GET") {
			allow = append(allow, "HEAD")
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		a.failStatus(w, r, http.StatusMethodNotAllowed,
			apperr.New(apperr.Invalid, "Метод %s не поддерживается для %s; допустимы: %s", r.Method, r.URL.Path, strings.Join(allow, ", ")))
		return
	}
	a.fail(w, r, apperr.New(apperr.NotFound, "Адрес %s не найден в API", r.URL.Path))
}

// me answers who the caller is.
func (a *api) me(w http.ResponseWriter, r *http.Request, c caller) error {
	writeJSON(w, http.StatusOK, fromUser(c.user))
	return nil
}

// withGuidance serves h only when the API was given the guidance service; a
// program wired without it answers 500 on these routes rather than crashing.
func (a *api) withGuidance(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, c caller) error {
		if a.d.Guidance == nil {
			return errors.New("api: Deps.Guidance is not set")
		}
		return h(w, r, c)
	}
}

// withTargeted is withGuidance for the service of targeted education.
func (a *api) withTargeted(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, c caller) error {
		if a.d.Targeted == nil {
			return errors.New("api: Deps.Targeted is not set")
		}
		return h(w, r, c)
	}
}

// withRouting is withGuidance for the service of the routing of graduates.
func (a *api) withRouting(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, c caller) error {
		if a.d.Routing == nil {
			return errors.New("api: Deps.Routing is not set")
		}
		return h(w, r, c)
	}
}

// withAnalytics is withGuidance for the service of reports.
func (a *api) withAnalytics(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, c caller) error {
		if a.d.Analytics == nil {
			return errors.New("api: Deps.Analytics is not set")
		}
		return h(w, r, c)
	}
}
