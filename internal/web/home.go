package web

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"time"

	"marshrut/internal/analytics"
	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/cluster"
	"marshrut/internal/guidance"
	"marshrut/internal/kpi"
	activemeasures "marshrut/internal/measures"
	"marshrut/internal/mentor"
	"marshrut/internal/referral"
	"marshrut/internal/risk"
	"marshrut/internal/routing"
	"marshrut/internal/targeted"
	"marshrut/internal/youth"
)

// homePage is the first page of every role: its own work first, then the
// headline measures of its level, then the size of its data.
type homePage struct {
	Heading   string
	Tasks     []task
	Measures  *kpi.Document
	Dashboard analytics.Dashboard
	Trends    []trend // the headline measures counted month by month, with their targets
	Inbox     []youth.Message
	Unread    int
	Email     string
	Done      string
	Error     string
}

// task is one line of a role's work: how many wait and where they are.
type task struct {
	Title  string
	Count  int
	Note   string
	Link   string
	Urgent bool // something waits for this role's action
}

// Dashboard is the first page: what waits for the caller, and the headline
// figures of what the caller sees.
func (w *Web) Dashboard(rw http.ResponseWriter, r *http.Request) {
	u, sc, _ := auth.Caller(r.Context())
	if sc.Own() && w.d.Youth != nil {
		w.youthHome(rw, r, u, sc)
		return
	}
	d, err := w.d.Analytics.Dashboard(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	p := homePage{Dashboard: d, Heading: "Регион: ключевые показатели"}
	switch {
	case sc.Role == auth.CZN:
		p.Heading = "Молодёжь муниципальных образований центра занятости"
	case u.OrgName != "":
		p.Heading = u.OrgName
	case sc.Role == auth.Federal || sc.Role == auth.Expert:
		p.Heading = "Обезличенные показатели региона"
	}
	if w.d.KPI != nil && analytics.CanMonitor(sc) {
		doc, err := w.d.KPI.Document(r.Context(), sc, kpi.Scope{}, time.Time{})
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			w.Error(rw, r, err)
			return
		}
		if err == nil {
			p.Measures = &doc
		}
	}
	if p.Measures != nil {
		months := p.Measures.View.Months
		// Below the region the snapshot keeps no months: a school's come
		// from the count its guidance page shows.
		if len(months) == 0 && sc.Role == auth.School && w.d.Guidance != nil {
			pts, err := w.d.Guidance.Trend(r.Context(), sc)
			if err != nil {
				w.Error(rw, r, err)
				return
			}
			for _, pt := range pts {
				months = append(months, analytics.MonthFigures{Month: pt.Month, Reached: pt.Reached, Informed: pt.Informed})
			}
		}
		p.Trends = trends(p.Measures, months)
	}
	if p.Tasks, err = w.tasks(r.Context(), sc, p.Measures); err != nil {
		w.Error(rw, r, err)
		return
	}
	p.Done, p.Error = r.URL.Query().Get("done"), r.URL.Query().Get("error")
	if p.Inbox, p.Unread, p.Email, err = w.inboxOf(r, sc); err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "dashboard", "dashboard", p)
}

// tasks lists what waits for the caller's role, each with its count and the
// page where it is done.
func (w *Web) tasks(ctx context.Context, sc auth.Scope, doc *kpi.Document) ([]task, error) {
	l := &taskList{doc: doc}
	var err error
	switch sc.Role {
	case auth.Region, auth.Admin:
		err = w.regionTasks(ctx, sc, l)
	case auth.CZN:
		err = w.centreTasks(ctx, sc, l)
	case auth.College, auth.University:
		err = w.educatorTasks(ctx, sc, l)
	case auth.School:
		err = w.schoolTasks(ctx, sc, l)
	case auth.Employer:
		err = w.employerTasks(ctx, sc, l)
	case auth.Expert:
		err = w.expertTasks(ctx, sc, l)
	case auth.Federal:
		err = w.federalTasks(ctx, sc, l)
	}
	if err != nil {
		return nil, err
	}
	return l.out, nil
}

// taskList gathers a role's tasks; the headline measures give some of them.
type taskList struct {
	doc *kpi.Document
	out []task
}

func (l *taskList) add(t task) { l.out = append(l.out, t) }

// item is a headline measure of the home's document.
func (l *taskList) item(code string) (kpi.Item, bool) {
	if l.doc == nil {
		return kpi.Item{}, false
	}
	return l.doc.Item(code)
}

// unknown adds the graduates of the counted cohort without news of their work.
func (l *taskList) unknown(note string) {
	if it, ok := l.item("employment6"); ok && it.Unknown > 0 {
		l.add(task{Title: "Выпускники " + strconv.Itoa(l.doc.Year) + " года без сведений о занятости", Count: it.Unknown,
			Note: note, Link: "/learners?status=graduate&year=" + strconv.Itoa(l.doc.Year) + "&unknown=6", Urgent: true})
	}
}

// withoutCase adds those at risk whom no employment centre's case helps yet.
func (l *taskList) withoutCase(link string) {
	if it, ok := l.item("risk_case"); ok && it.Denominator > it.Numerator {
		l.add(task{Title: "В зоне риска — без случая в центре занятости", Count: it.Denominator - it.Numerator,
			Note: "кто может остаться без работы и кому ещё не помогают", Link: link})
	}
}

// regionTasks are the tasks of the region: proposals of matching waiting to be sent, graduates
// without news, those at risk without a case.
func (w *Web) regionTasks(ctx context.Context, sc auth.Scope, l *taskList) error {
	if w.d.Routing != nil {
		_, n, err := count3(w.d.Routing.Proposals(ctx, sc, routing.ProposalFilter{Status: routing.Proposed, Limit: 1}))
		if err != nil {
			return err
		}
		if n > 0 {
			l.add(task{Title: "Предложения распределения ждут отправки", Count: n, Link: "/routing", Urgent: true})
		}
	}
	l.unknown("занятость через 6 месяцев считается по ним как неизвестная")
	l.withoutCase("/risk?case=without")
	return nil
}

// centreTasks are the tasks of an employment centre: the centre's open and overdue cases, those at
// risk without a case, referrals waiting for their result, youth without news.
func (w *Web) centreTasks(ctx context.Context, sc auth.Scope, l *taskList) error {
	if w.d.Risk != nil {
		_, n, err := count3(w.d.Risk.Cases(ctx, sc, risk.CaseFilter{Status: "open", Limit: 1}))
		if err != nil {
			return err
		}
		l.add(task{Title: "Открытые случаи центра", Count: n, Note: "сначала — у кого срок следующего шага ближе; ведите действия и закрывайте с исходом",
			Link: "/risk/cases?status=open", Urgent: n > 0})
		_, late, err := count3(w.d.Risk.Cases(ctx, sc, risk.CaseFilter{DueBefore: w.d.Now(), Limit: 1}))
		if err != nil {
			return err
		}
		if late > 0 {
			l.add(task{Title: "Случаи с просроченным шагом", Count: late, Note: "первый контакт — в течение трёх дней после открытия, дальше — шаг не реже раза в месяц",
				Link: "/risk/cases?status=open&overdue=1", Urgent: true})
		}
	}
	l.withoutCase("/risk?case=without")
	if w.d.Referrals != nil {
		_, n, err := count3(w.d.Referrals.Referrals(ctx, sc, referral.RefFilter{Status: referral.Sent, Limit: 1}))
		if err != nil {
			return err
		}
		l.add(task{Title: "Направления ждут итога", Count: n, Note: "отметьте, пришёл ли человек и принят ли на работу", Link: "/referrals?status=sent", Urgent: n > 0})
	}
	l.unknown("узнайте, чем заняты молодые люди ваших муниципальных образований")
	return nil
}

// educatorTasks are the tasks of a college or university: graduates without news by the monitoring
// day, students at risk without a case, applications for targeted education under review.
func (w *Web) educatorTasks(ctx context.Context, sc auth.Scope, l *taskList) error {
	l.unknown("срок мониторинга — " + lastDay(l.doc, 6) + ": внесите сведения в карточках или загрузите файл")
	l.withoutCase("/risk?org=" + strconv.FormatInt(sc.OrgID, 10) + "&case=without")
	if w.d.Targeted != nil {
		_, n, err := count3(w.d.Targeted.Applications(ctx, sc, targeted.ApplicationFilter{Status: targeted.Submitted, Limit: 1}))
		if err != nil {
			return err
		}
		if n > 0 {
			l.add(task{Title: "Заявки на целевое обучение ваших студентов на рассмотрении", Count: n, Link: "/targeted/applications?status=submitted"})
		}
	}
	return nil
}

// schoolTasks are the tasks of a school: pupils not reached by guidance, seniors not informed on
// targeted education, the events open for booking.
func (w *Web) schoolTasks(ctx context.Context, sc auth.Scope, l *taskList) error {
	if it, ok := l.item("guidance"); ok && it.Denominator > it.Numerator {
		l.add(task{Title: "Ученики 6–11 классов, не охваченные профориентацией", Count: it.Denominator - it.Numerator,
			Link: "/guidance/pupils?org=" + strconv.FormatInt(sc.OrgID, 10) + "&not=reached", Urgent: true})
	}
	if it, ok := l.item("informed"); ok && it.Denominator > it.Numerator {
		l.add(task{Title: "Ученики 9–11 классов, не проинформированные о целевом обучении", Count: it.Denominator - it.Numerator,
			Link: "/guidance/inform"})
	}
	if w.d.Guidance != nil {
		_, n, err := count3(w.d.Guidance.Events(ctx, sc, guidance.EventFilter{Year: w.d.Guidance.Year(), Bookable: true, Limit: 1}))
		if err != nil {
			return err
		}
		l.add(task{Title: "Профпробы и мероприятия с записью в этом учебном году", Count: n, Link: "/guidance"})
	}
	return nil
}

// employerTasks are the tasks of an employer: responses to its vacancies, proposals of matching to
// answer, its offers and applications, mentors, programmes, declared needs.
func (w *Web) employerTasks(ctx context.Context, sc auth.Scope, l *taskList) error {
	if w.d.Youth != nil {
		_, n, err := count3(w.d.Youth.Responses(ctx, sc, youth.ResponseFilter{Status: youth.Sent, Limit: 1}))
		if err != nil {
			return err
		}
		l.add(task{Title: "Новые отклики на ваши вакансии", Count: n, Note: "посмотрите профиль и ответьте: пригласить или отказать с причиной",
			Link: "/me/responses?status=sent", Urgent: n > 0})
		props, err := w.d.Youth.Proposals(ctx, sc)
		if err != nil {
			return err
		}
		waiting := 0
		for _, p := range props {
			if p.Status == routing.Sent {
				waiting++
			}
		}
		l.add(task{Title: "Предложения распределения ждут вашего ответа", Count: waiting, Link: "/me/proposals", Urgent: waiting > 0})
	}
	if w.d.Targeted != nil {
		_, offers, err := count3(w.d.Targeted.Offers(ctx, sc, targeted.OfferFilter{EmployerID: sc.OrgID, Drafts: true, Limit: 1}))
		if err != nil {
			return err
		}
		l.add(task{Title: "Ваши предложения целевого обучения", Count: offers, Link: "/targeted"})
		_, apps, err := count3(w.d.Targeted.Applications(ctx, sc, targeted.ApplicationFilter{Status: targeted.Submitted, Limit: 1}))
		if err != nil {
			return err
		}
		l.add(task{Title: "Заявки ждут вашего отбора", Count: apps, Link: "/targeted/applications?status=submitted", Urgent: apps > 0})
	}
	if w.d.Mentor != nil {
		_, n, err := count3(w.d.Mentor.Mentors(ctx, sc, mentor.MentorFilter{EmployerID: sc.OrgID, Limit: 1}))
		if err != nil {
			return err
		}
		_, pairs, err := count3(w.d.Mentor.Pairs(ctx, sc, mentor.PairFilter{Status: mentor.Active, Limit: 1}))
		if err != nil {
			return err
		}
		l.add(task{Title: "Наставники предприятия", Count: n, Note: "действующих пар — " + Number(pairs), Link: "/mentorship/mentors"})
	}
	if w.d.Measures != nil {
		_, n, err := count3(w.d.Measures.Programmes(ctx, sc, activemeasures.Filter{Limit: 1}))
		if err != nil {
			return err
		}
		l.add(task{Title: "Программы обучения, заказанные предприятием", Count: n, Note: "сколько зачислено и завершило обучение", Link: "/measures"})
	}
	if w.d.Balance != nil {
		needs, err := w.d.Balance.Needs(ctx, sc, balance.NeedFilter{EmployerID: sc.OrgID})
		if err != nil {
			return err
		}
		l.add(task{Title: "Заявленная потребность в кадрах", Count: len(needs), Note: "по ней регион планирует приём в колледжи и вузы", Link: "/balance"})
	}
	return nil
}

// expertTasks are the tasks of an expert: the defences with clusters assigned to the expert.
func (w *Web) expertTasks(ctx context.Context, sc auth.Scope, l *taskList) error {
	if w.d.Cluster != nil {
		defs, err := w.d.Cluster.Defences(ctx, sc)
		if err != nil {
			return err
		}
		for _, d := range defs {
			n := 0
			for _, a := range d.Assignments {
				if a.UserID == sc.UserID {
					n++
				}
			}
			if n == 0 {
				continue
			}
			t := task{Title: "Защита кластеров " + strconv.Itoa(d.Year) + " года: кластеры, порученные вам", Count: n,
				Link: "/clusters/defences/" + strconv.FormatInt(d.ID, 10)}
			if d.Status == cluster.Open {
				t.Note, t.Urgent = "оцените каждый по критериям до подписания протокола", true
			} else {
				t.Note = "протокол подписан " + Date(d.SignedAt)
			}
			l.add(t)
		}
	}
	return nil
}

// federalTasks are the tasks of the federal operator: the regions that sent bundles, and those
// whose bundle is older than a month.
func (w *Web) federalTasks(ctx context.Context, sc auth.Scope, l *taskList) error {
	if w.d.Rollup != nil {
		rows, err := w.d.Rollup.Compare(ctx, sc)
		if err != nil {
			return err
		}
		stale := 0
		for _, r := range rows {
			if r.CreatedAt.Before(w.d.Now().AddDate(0, -1, 0)) {
				stale++
			}
		}
		l.add(task{Title: "Регионы, приславшие сводки", Count: len(rows), Note: "сравнение регионов рядом", Link: "/federal"})
		if stale > 0 {
			l.add(task{Title: "Сводки старше месяца", Count: stale, Note: "попросите регион прислать новую", Link: "/federal", Urgent: true})
		}
	}
	return nil
}

// count3 keeps the total of a list call.
func count3[T any](items []T, total int, err error) ([]T, int, error) { return items, total, err }

// lastDay is the day the status of the counted cohort is taken: six or
// twelve months after 30 June of its year.
func lastDay(doc *kpi.Document, months int) string {
	if doc == nil {
		return "31 декабря"
	}
	y := doc.Year
	if months == 12 {
		y = doc.Year12
	}
	return Date(time.Date(y, time.June, 30, 0, 0, 0, 0, time.UTC).AddDate(0, months, 0))
}

// trend is a headline measure month by month with its target line: a chart
// and the table that says the same.
type trend struct {
	Code, Title string
	Points      string  // the measure's line in the chart
	TargetY     float64 // where the target's line is drawn; 0 without a target
	Target      string  // the target in words
	Rows        []trendRow
}

// trendRow is one month of a trend.
type trendRow struct {
	Month    time.Time
	Num, Den int
	Share    string
}

// trends are the measures counted by month of the
// school year: guidance reach and informing about targeted education, each
// over the pupils it is counted of today.
func trends(doc *kpi.Document, months []analytics.MonthFigures) []trend {
	if len(months) == 0 {
		return nil
	}
	var out []trend
	for _, m := range []struct {
		code  string
		count func(analytics.MonthFigures) int
	}{
		{"guidance", func(f analytics.MonthFigures) int { return f.Reached }},
		{"informed", func(f analytics.MonthFigures) int { return f.Informed }},
	} {
		it, ok := doc.Item(m.code)
		if !ok || it.Denominator == 0 {
			continue
		}
		t := trend{Code: m.code, Title: it.Name}
		var line []linePoint
		for i, f := range months {
			n := min(m.count(f), it.Denominator)
			share := float64(n) / float64(it.Denominator)
			x := 40 + float64(i)*320/math.Max(1, float64(len(months)-1))
			line = append(line, linePoint{X: math.Round(x), Y: math.Round(180 - 160*share)})
			t.Rows = append(t.Rows, trendRow{Month: f.Month, Num: n, Den: it.Denominator, Share: Percent(share)})
		}
		t.Points = points(line)
		if it.Target != nil {
			t.TargetY, t.Target = math.Round(180-160*math.Min(1, *it.Target)), Percent(*it.Target)
		}
		out = append(out, t)
	}
	return out
}
