package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
	"marshrut/internal/routing"
	"marshrut/internal/youth"
)

// step is one stage of the route on the young person's home.
type step struct {
	Title string
	Note  string
	State string // done, now, next
}

// youthHome is the first page of a learner and of a parent: where the young
// person is on the route, what to do next, the consents, and what is new.
type youthHome struct {
	Card      learner.Card
	Guardian  bool
	Minor     bool
	Steps     []step
	Tasks     []task
	Consents  []consentRow
	Inbox     []youth.Message
	Unread    int
	Responses []youth.Response
	Proposals []routing.Proposal
	Guardians []auth.User
	Email     string
	Done      string
	Error     string
}

// consentRow is one consent with its state for the page.
type consentRow struct {
	Kind    youth.ConsentKind
	Current youth.Consent
	Set     bool
}

func (w *Web) youthHome(rw http.ResponseWriter, r *http.Request, u auth.User, sc auth.Scope) {
	ctx := r.Context()
	card, err := w.d.Learners.Get(ctx, sc, sc.LearnerID)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	now := w.d.Youth.Now()
	l := card.Learner
	p := youthHome{Card: card, Guardian: sc.Role == auth.Guardian, Minor: youth.Minor(l.BirthDate, now),
		Done: r.URL.Query().Get("done"), Error: r.URL.Query().Get("error")}
	p.Steps = routeSteps(card)
	state, _, err := w.d.Youth.Consents(ctx, sc, l.ID)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	for _, k := range youth.ConsentKinds {
		c, ok := state[k]
		p.Consents = append(p.Consents, consentRow{Kind: k, Current: c, Set: ok})
	}
	if p.Inbox, p.Unread, err = w.d.Youth.Messages(ctx, sc, 10); err != nil {
		w.Error(rw, r, err)
		return
	}
	if p.Email, err = w.d.Youth.Email(ctx, sc); err != nil {
		w.Error(rw, r, err)
		return
	}
	if l.Status == learner.Graduate {
		if p.Responses, _, err = w.d.Youth.Responses(ctx, sc, youth.ResponseFilter{Limit: 5}); err != nil {
			w.Error(rw, r, err)
			return
		}
		if p.Proposals, err = w.d.Youth.Proposals(ctx, sc); err != nil {
			w.Error(rw, r, err)
			return
		}
	}
	if p.Minor {
		if p.Guardians, err = w.d.Youth.Guardians(ctx, sc, l.ID); err != nil {
			w.Error(rw, r, err)
			return
		}
		if !state.Has(youth.PersonalData) {
			if p.Guardian {
				p.Tasks = append(p.Tasks, task{Title: "Дайте согласие на обработку персональных данных ребёнка", Link: "#consents", Urgent: true})
			} else {
				p.Tasks = append(p.Tasks, task{Title: "Родитель ещё не дал согласие на обработку персональных данных", Note: "попросите его войти в Маршрут: без согласия отклики и заявки ждут", Link: "#consents", Urgent: true})
			}
		}
	}
	if p.Minor && l.Status != learner.Graduate && !state.Has(youth.TargetedContract) {
		t := task{Title: "Заявка на целевое обучение подаётся с согласия родителя", Link: "#consents",
			Note: "пока согласия нет, заявка не уйдёт"}
		if p.Guardian {
			t.Note = "дайте согласие ниже, когда ребёнок решит подать заявку"
		}
		p.Tasks = append(p.Tasks, t)
	}
	switch l.Status {
	case learner.Pupil:
		g, err := w.d.Guidance.ForLearner(ctx, sc, l.ID)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		if len(g.Diagnostics) == 0 {
			p.Tasks = append(p.Tasks, task{Title: "Пройдите опросник склонностей (ДДО)", Note: "20 пар занятий, около 10 минут", Link: "/ddo", Urgent: !p.Guardian})
		} else {
			p.Tasks = append(p.Tasks, task{Title: "Ваши склонности и где им учиться", Note: "результат опросника от " + Date(g.Diagnostics[0].TakenOn), Link: "/ddo/result"})
		}
		p.Tasks = append(p.Tasks, task{Title: "Предложения целевого обучения", Note: "учёба за счёт работодателя и работа после неё", Link: "/targeted"})
	case learner.Student:
		p.Tasks = append(p.Tasks, task{Title: "Предложения целевого обучения для вашей специальности", Link: "/targeted"},
			task{Title: "Наставничество", Link: "/mentorship"})
	case learner.Graduate:
		waiting := 0
		for _, x := range p.Proposals {
			if x.Status == routing.Sent {
				waiting++
			}
		}
		if waiting > 0 {
			p.Tasks = append(p.Tasks, task{Title: "Предложения работы ждут вашего ответа", Count: waiting, Link: "/me/proposals", Urgent: true})
		}
		invited := 0
		for _, x := range p.Responses {
			if x.Status == youth.Invited {
				invited++
			}
		}
		if invited > 0 {
			p.Tasks = append(p.Tasks, task{Title: "Вас пригласили на собеседование", Count: invited, Link: "/me/responses", Urgent: true})
		}
		p.Tasks = append(p.Tasks, task{Title: "Вакансии, подходящие вашей специальности", Note: "откликнуться можно в один шаг", Link: fmt.Sprintf("/routing/learners/%d", l.ID)})
	}
	w.render(rw, r, http.StatusOK, "youth_home", "dashboard", p)
}

// routeSteps are school, college or university, graduation and work, with
// where the young person stands.
func routeSteps(c learner.Card) []step {
	l := c.Learner
	school := step{Title: "Школа", State: "done"}
	study := step{Title: "Колледж или вуз", State: "next"}
	grad := step{Title: "Выпуск", State: "next"}
	work := step{Title: "Работа", State: "next"}
	switch l.Status {
	case learner.Pupil:
		school.State, school.Note = "now", l.OrgName
		if l.Grade > 0 {
			school.Note = strconv.Itoa(l.Grade) + "-й класс, " + l.OrgName
		}
	case learner.Student:
		study.State, study.Note = "now", strings.TrimSpace(l.OrgName+", "+l.SpecialtyName)
		if l.GraduationYear > 0 {
			grad.Note = "ожидается в " + strconv.Itoa(l.GraduationYear) + " году"
		}
	case learner.Graduate:
		study.State, study.Note = "done", l.OrgName
		grad.State, grad.Note = "done", strconv.Itoa(l.GraduationYear)+" год, "+l.SpecialtyName
		work.State = "now"
		if c.Now.Current != "" {
			work.Note = c.Now.Current.Name()
		}
	}
	return []step{school, study, grad, work}
}

// SetConsent gives or withdraws a consent from the parent's home.
func (w *Web) SetConsent(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	err := w.d.Youth.SetConsent(r.Context(), sc, sc.LearnerID, youth.ConsentKind(r.PostFormValue("kind")), r.PostFormValue("given") == "1")
	w.afterPost(rw, r, "/", "Решение записано", err)
}

// SignUp books the pupil a place on a профпроба.
func (w *Web) SignUp(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	err := w.d.Youth.SignUp(r.Context(), sc, id)
	w.afterPost(rw, r, "/ddo/result", "Вы записаны. Напоминание — в сообщениях.", err)
}

// SetEmail keeps the caller's address for notices.
func (w *Web) SetEmail(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	err := w.d.Youth.SetEmail(r.Context(), sc, r.PostFormValue("email"))
	w.afterPost(rw, r, "/", "Адрес для уведомлений сохранён", err)
}

// ReadMessages marks the inbox read.
func (w *Web) ReadMessages(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	err := w.d.Youth.ReadMessages(r.Context(), sc)
	w.afterPost(rw, r, "/", "", err)
}

// Respond is a graduate's one-step response to a vacancy.
func (w *Web) Respond(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id := r.PathValue("id")
	_, err := w.d.Youth.Respond(r.Context(), sc, id, r.PostFormValue("message"), r.PostFormValue("contact"))
	if err != nil {
		w.afterPost(rw, r, "/vacancies/"+url.PathEscape(id), "", err)
		return
	}
	http.Redirect(rw, r, "/me/responses?done=1", http.StatusSeeOther)
}

// myResponsesPage is the list of responses of a graduate or to an employer's vacancies.
type myResponsesPage struct {
	Items    []youth.Response
	Total    int
	Pager    pager
	Filter   youth.ResponseFilter
	Statuses []youth.ResponseStatus
	Employer bool
	Done     string
}

// MyResponses is the list of responses: a graduate's own, or those to the
// employer's vacancies.
func (w *Web) MyResponses(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	f := youth.ResponseFilter{Status: youth.ResponseStatus(r.URL.Query().Get("status")), Limit: perPage, Offset: (pageOf(r) - 1) * perPage}
	items, total, err := w.d.Youth.Responses(r.Context(), sc, f)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "my_responses", "responses", myResponsesPage{Items: items, Total: total, Pager: newPager(r, total),
		Filter: f, Statuses: youth.ResponseStatuses, Employer: sc.Role == auth.Employer, Done: r.URL.Query().Get("done")})
}

// myResponsePage is one response with the answers the caller may give.
type myResponsePage struct {
	R        youth.Response
	Employer bool // the employer of the vacancy, who answers
	Own      bool // the young person, who may withdraw it
	Next     []youth.ResponseStatus
	Done     string
	Error    string
}

// MyResponse is one response; the employer sees the profile the young person
// chose to show and answers.
func (w *Web) MyResponse(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	x, err := w.d.Youth.Response(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	q := r.URL.Query()
	w.render(rw, r, http.StatusOK, "my_response", "responses", myResponsePage{R: x, Employer: sc.Role == auth.Employer && sc.OrgID == x.EmployerID,
		Own: sc.Role == auth.Learner, Next: x.Status.Next(), Done: q.Get("done"), Error: q.Get("error")})
}

// AnswerResponse moves a response: the employer's answer or the young person's withdrawal.
func (w *Web) AnswerResponse(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	_, err := w.d.Youth.Answer(r.Context(), sc, id, youth.ResponseStatus(r.PostFormValue("to")), r.PostFormValue("reason"))
	w.afterPost(rw, r, fmt.Sprintf("/me/responses/%d", id), "Ответ записан", err)
}

// myProposalsPage is the proposals of matching for the graduate or the employer.
type myProposalsPage struct {
	Items    []routing.Proposal
	Employer bool
	Answers  bool // the caller may accept or decline
	Done     string
	Error    string
}

// MyProposals are the proposals of matching for the graduate or the employer.
func (w *Web) MyProposals(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	items, err := w.d.Youth.Proposals(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	q := r.URL.Query()
	w.render(rw, r, http.StatusOK, "my_proposals", "proposals", myProposalsPage{Items: items, Employer: sc.Role == auth.Employer,
		Answers: sc.Role == auth.Employer || sc.Role == auth.Learner, Done: q.Get("done"), Error: q.Get("error")})
}

// AnswerProposal accepts or declines a proposal.
func (w *Web) AnswerProposal(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	err := w.d.Youth.AnswerProposal(r.Context(), sc, id, r.PostFormValue("accept") == "1")
	w.afterPost(rw, r, "/me/proposals", "Ответ записан", err)
}

// inviteCodePage shows a parent's one-time code once.
type inviteCodePage struct {
	Code      string
	Until     time.Time
	LearnerID int64
}

// InviteGuardian makes a one-time code for a parent of the learner and shows it once.
func (w *Web) InviteGuardian(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	code, until, err := w.d.Youth.Invite(r.Context(), sc, id)
	if err != nil {
		w.afterPost(rw, r, fmt.Sprintf("/learners/%d", id), "", err)
		return
	}
	w.render(rw, r, http.StatusOK, "invite_code", "learners", inviteCodePage{Code: code, Until: until, LearnerID: id})
}

// invitePage is the public form where a parent opens an account by a code;
// Errors is never nil: the template indexes it by field.
type invitePage struct {
	Code, Login, Name string
	Errors            map[string]string
}

// InviteForm is the public page where a parent opens an account by the code.
func (w *Web) InviteForm(rw http.ResponseWriter, r *http.Request) {
	w.render(rw, r, http.StatusOK, "invite", "", invitePage{Code: r.URL.Query().Get("code"), Errors: map[string]string{}})
}

// AcceptInvite opens the parent's account and sends them to log in.
func (w *Web) AcceptInvite(rw http.ResponseWriter, r *http.Request) {
	code, login, name := r.PostFormValue("code"), r.PostFormValue("login"), r.PostFormValue("name")
	_, err := w.d.Youth.AcceptInvite(r.Context(), code, login, name, r.PostFormValue("password"))
	if err != nil {
		if !apperr.Is(err, apperr.Invalid) {
			w.Error(rw, r, err)
			return
		}
		errs := map[string]string{}
		for _, f := range apperr.Fields(err) {
			errs[f.Field] = f.Message
		}
		if len(errs) == 0 {
			errs["code"] = apperr.Text(err)
		}
		w.render(rw, r, http.StatusBadRequest, "invite", "", invitePage{Code: code, Login: login, Name: name, Errors: errs})
		return
	}
	http.Redirect(rw, r, "/login?opened=1", http.StatusSeeOther)
}

// inboxOf is the caller's latest messages for any role's home, and the
// address the caller gave for notices.
func (w *Web) inboxOf(r *http.Request, sc auth.Scope) ([]youth.Message, int, string, error) {
	if w.d.Youth == nil || sc.UserID == 0 {
		return nil, 0, "", nil
	}
	ms, n, err := w.d.Youth.Messages(r.Context(), sc, 5)
	if err != nil {
		return nil, 0, "", err
	}
	email, err := w.d.Youth.Email(r.Context(), sc)
	return ms, n, email, err
}
