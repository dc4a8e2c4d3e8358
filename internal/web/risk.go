package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/exchange"
	"marshrut/internal/jobs"
	"marshrut/internal/learner"
	"marshrut/internal/risk"
	"marshrut/internal/youth"
)

// riskFilter reads a list's filter from the query.
func riskFilter(r *http.Request) (risk.Filter, error) {
	q := r.URL.Query()
	f := risk.Filter{Sort: q.Get("sort"), Case: q.Get("case"), Limit: perPage, Offset: (pageOf(r) - 1) * perPage}
	if t := strings.TrimSpace(q.Get("threshold")); t != "" {
		v, err := risk.ParseThreshold(t)
		if err != nil {
			return f, err
		}
		f.Threshold = v
	}
	var err error
	if v := q.Get("org"); v != "" {
		if f.OrgID, err = strconv.ParseInt(v, 10, 64); err != nil {
			return f, apperr.Field("org", "«%s» не является номером организации", v)
		}
	}
	if v := q.Get("municipality"); v != "" {
		if f.MunicipalityID, err = strconv.ParseInt(v, 10, 64); err != nil {
			return f, apperr.Field("municipality", "«%s» не является номером муниципального образования", v)
		}
	}
	return f, nil
}

// riskPage is the list of students at risk with the region's figures and,
// for the region, the model's controls.
type riskPage struct {
	CanTrain        bool
	CanWork         bool
	Done, Error     string
	Query           url.Values
	Export          map[string]template.URL
	RegionThreshold float64
	Model           *risk.ModelInfo // the model in use, nil before the first
	Items           []risk.Row
	Total           int
	Pager           pager
	Filter          risk.Filter
	Figures         risk.Figures
	Outcomes        []risk.CaseOutcome
	Actions         []risk.ActionKind
	Municipalities  []classifier.Municipality
}

// Risk is the list of students at risk of staying without work, with the
// region's figures and, for the region, the model's controls.
func (w *Web) Risk(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if !risk.CanSee(sc) {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "прогноз риска видят регион, центры занятости и образовательные организации"))
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	data := riskPage{CanTrain: risk.CanTrain(sc), CanWork: risk.CanWorkCases(sc), Done: q.Get("done"), Error: q.Get("error"),
		Query: q, Export: exportLinks(r, "/risk/export")}
	th, err := w.d.Risk.Threshold(ctx, sc.RegionCode)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data.RegionThreshold = th
	model, err := w.d.Risk.Model(ctx, sc, 0)
	switch {
	case err == nil:
		data.Model = &model
	case !apperr.Is(err, apperr.NotFound):
		w.Error(rw, r, err)
		return
	}
	f, err := riskFilter(r)
	if err != nil {
		data.Error = apperr.Text(err)
		f = risk.Filter{Limit: perPage}
	}
	items, total, err := w.d.Risk.List(ctx, sc, f)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	if f.Threshold == 0 {
		f.Threshold = th
	}
	figs, err := w.d.Risk.Figures(ctx, sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data.Items, data.Total, data.Pager, data.Filter, data.Figures = items, total, newPager(r, total), f, figs
	w.auditBulk(r, "risk.list", len(items))
	data.Outcomes, data.Actions = risk.CaseOutcomes, risk.ActionKinds
	if sc.WholeRegion() || sc.Role == auth.CZN {
		if data.Municipalities, err = w.d.Municipalities.Municipalities(ctx, sc.RegionCode); err != nil {
			w.logWithout(r, "municipalities", err)
		}
	}
	w.render(rw, r, http.StatusOK, "risk", "risk", data)
}

// RiskExport downloads the filtered list of students at risk.
func (w *Web) RiskExport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	f, err := riskFilter(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	f.Limit = 500
	if _, _, err := w.d.Risk.List(r.Context(), sc, risk.Filter{Threshold: f.Threshold, Limit: 1}); err != nil {
		w.Error(rw, r, err)
		return
	}
	cols := []exchange.Column{{Title: "ФИО", Width: 34}, {Title: "Организация", Width: 30}, {Title: "Муниципалитет", Width: 22},
		{Title: "Специальность", Width: 34}, {Title: "Год выпуска", Kind: exchange.Int, Width: 10}, {Title: "Вероятность остаться без работы", Kind: exchange.Percent, Width: 14},
		{Title: "Главные причины", Width: 70}, {Title: "Случай в центре занятости", Width: 18}}
	w.exportPersons(rw, r, "risk.export", "risk", cols, func(write func([]any) error) error {
		for off := 0; ; off += f.Limit {
			f.Offset = off
			items, _, err := w.d.Risk.List(r.Context(), sc, f)
			if err != nil {
				return err
			}
			for _, x := range items {
				var why []string
				for _, rs := range x.Reasons {
					if rs.Raises() {
						why = append(why, rs.Text)
					}
				}
				caseText := ""
				if x.CaseID != 0 {
					caseText = fmt.Sprintf("№ %d, %s", x.CaseID, caseStatusName(x.CaseStatus))
				}
				if err := write([]any{x.Name, x.OrgName, x.Municipality, x.SpecialtyCode + " " + x.SpecialtyName, x.GraduationYear,
					x.Probability, strings.Join(why, "; "), caseText}); err != nil {
					return err
				}
			}
			if len(items) < f.Limit {
				return nil
			}
		}
	})
}

func caseStatusName(s string) string {
	switch s {
	case risk.CaseOpen:
		return "открыт"
	case risk.CaseClosed:
		return "закрыт"
	}
	return s
}

// riskModelPage is a model with its training and accuracy, and the models before it.
type riskModelPage struct {
	CanTrain    bool
	Error       string
	GroupTitles []struct{ Key, Title string }
	Model       *risk.ModelInfo // nil before the first model
	Plot        *plot           // the calibration of Model
	Models      []risk.ModelInfo
}

// RiskModel is the page of a model: how it was trained and how well it did
// on the cohort it did not see, overall and by group.
func (w *Web) RiskModel(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.URL.Query().Get("id"), 10, 64)
	data := riskModelPage{CanTrain: risk.CanTrain(sc), Error: r.URL.Query().Get("error"), GroupTitles: []struct{ Key, Title string }{
		{"sex", "По полу"}, {"municipality", "По муниципалитету проживания"}, {"disability", "По ОВЗ"}}}
	m, err := w.d.Risk.Model(r.Context(), sc, id)
	switch {
	case err == nil:
		p := calibrationPlot(m.Report.Metrics.Calibration)
		data.Model, data.Plot = &m, &p
	case apperr.Is(err, apperr.NotFound) && id == 0:
	default:
		w.Error(rw, r, err)
		return
	}
	models, err := w.d.Risk.Models(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data.Models = models
	w.render(rw, r, http.StatusOK, "risk_model", "risk", data)
}

// plot is a calibration chart drawn on the server as SVG.
type plot struct {
	Size   int
	Points []plotPoint
	Line   string
	Ticks  []plotTick
}

type plotPoint struct {
	X, Y  float64
	R     float64
	Title string
}

type plotTick struct {
	At    float64
	Label string
}

// calibrationPlot places each non-empty bin at (predicted, observed); the
// area of a point follows the number of students in it.
func calibrationPlot(bins []risk.Bin) plot {
	const size, pad = 320.0, 36.0
	span := size - 2*pad
	p := plot{Size: int(size)}
	most := 1
	for _, b := range bins {
		most = max(most, b.Count)
	}
	var line []string
	for _, b := range bins {
		if b.Count == 0 {
			continue
		}
		x, y := pad+b.Predicted*span, size-pad-b.Observed*span
		p.Points = append(p.Points, plotPoint{X: round1(x), Y: round1(y), R: round1(3 + 7*math.Sqrt(float64(b.Count)/float64(most))),
			Title: fmt.Sprintf("предсказано %s, на деле %s, выпускников %s", Percent(b.Predicted), Percent(b.Observed), Number(b.Count))})
		line = append(line, fmt.Sprintf("%.1f,%.1f", x, y))
	}
	p.Line = strings.Join(line, " ")
	for i := 0; i <= 4; i++ {
		v := float64(i) / 4
		p.Ticks = append(p.Ticks, plotTick{At: round1(pad + v*span), Label: strconv.Itoa(i*25) + " %"})
	}
	return p
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// RiskTrain trains a model in the background and scores with it.
func (w *Web) RiskTrain(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	seed, _ := strconv.ParseUint(r.PostFormValue("seed"), 10, 64)
	id, err := w.d.Risk.StartTrain(r.Context(), sc, risk.Kind(r.PostFormValue("kind")), seed)
	if err != nil {
		w.afterPost(rw, r, "/risk/model", "", err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/jobs/%d", id), http.StatusSeeOther)
}

// RiskScore scores the students with the model in use, in the background.
func (w *Web) RiskScore(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, err := w.d.Risk.StartScore(r.Context(), sc)
	if err != nil {
		w.afterPost(rw, r, "/risk", "", err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/jobs/%d", id), http.StatusSeeOther)
}

// RiskThreshold sets the region's threshold.
func (w *Web) RiskThreshold(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	t, err := risk.ParseThreshold(r.PostFormValue("threshold"))
	if err == nil {
		err = w.d.Risk.SetThreshold(r.Context(), sc, t)
	}
	w.afterPost(rw, r, "/risk", "Порог риска сохранён: "+Percent(t)+".", err)
}

// casesPage is the list of cases with its filter.
type casesPage struct {
	Items   []risk.Case
	Total   int
	Pager   pager
	Filter  risk.CaseFilter
	Overdue bool
	Today   time.Time
	CanWork bool
}

// Cases is the list of cases the caller sees.
func (w *Web) Cases(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	q := r.URL.Query()
	f := risk.CaseFilter{Status: q.Get("status"), Limit: perPage, Offset: (pageOf(r) - 1) * perPage}
	overdue := q.Get("overdue") == "1"
	if overdue {
		f.DueBefore = w.d.Now()
	}
	items, total, err := w.d.Risk.Cases(r.Context(), sc, f)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.auditBulk(r, "cases.list", len(items))
	w.render(rw, r, http.StatusOK, "risk_cases", "risk", casesPage{Items: items, Total: total, Pager: newPager(r, total),
		Filter: f, Overdue: overdue, Today: w.d.Now(), CanWork: risk.CanWorkCases(sc)})
}

// OpenCase opens a case for a student and shows it.
func (w *Web) OpenCase(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, err := strconv.ParseInt(r.PostFormValue("learner_id"), 10, 64)
	if err != nil {
		w.Error(rw, r, apperr.New(apperr.NotFound, "обучающийся не найден"))
		return
	}
	c, err := w.d.Risk.OpenCase(r.Context(), sc, id, r.PostFormValue("note"))
	if err != nil {
		back := r.PostFormValue("back")
		if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") {
			back = "/risk"
		}
		if u, perr := url.Parse(back); perr == nil {
			back = u.Path
		}
		w.afterPost(rw, r, back, "", err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/risk/cases/%d?done=%s", c.ID, url.QueryEscape("Случай открыт.")), http.StatusSeeOther)
}

// casePage is a case with its actions, the young person's risk, contacts and
// referrals, and the forms to work it.
type casePage struct {
	Case        risk.Case
	CanWork     bool
	Kinds       []risk.ActionKind
	Outcomes    []risk.CaseOutcome
	Today       string // the date field's default, ГГГГ-ММ-ДД
	Now         time.Time
	Done, Error string
	Risk        *risk.Learner
	Contacts    *youth.Profile
	Refer       *referBlock
}

// Case is a case with its actions, and the forms to work it.
func (w *Web) Case(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	c, err := w.d.Risk.Case(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data := casePage{Case: c, CanWork: risk.CanWorkCases(sc) && c.CZNID == sc.OrgID && c.Open(), Kinds: risk.ActionKinds,
		Outcomes: risk.CaseOutcomes, Today: w.d.Now().Format("2006-01-02"), Now: w.d.Now(), Done: r.URL.Query().Get("done"), Error: r.URL.Query().Get("error")}
	// The young person's risk, contacts and referrals go with the case where
	// the caller sees them; a learner out of the caller's sight (not found)
	// leaves the part out, any other failure is logged.
	if l, err := w.d.Risk.ForLearner(r.Context(), sc, c.LearnerID); err == nil {
		data.Risk = &l
	} else if !apperr.Is(err, apperr.NotFound) {
		w.logWithout(r, "risk of the learner", err)
	}
	if w.d.Youth != nil {
		// The young person's own contacts, from the profile they keep.
		if p, _, err := w.d.Youth.ProfileOf(r.Context(), sc, c.LearnerID); err == nil {
			data.Contacts = &p
		} else if !apperr.Is(err, apperr.NotFound) {
			w.logWithout(r, "contacts", err)
		}
	}
	if card, err := w.d.Learners.Get(r.Context(), sc, c.LearnerID); err == nil {
		b, err := w.referBlockFor(r, sc, card.Learner, c.ID, c.Open() && c.CZNID == sc.OrgID)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		data.Refer = b
	} else if !apperr.Is(err, apperr.NotFound) {
		w.logWithout(r, "referrals", err)
	}
	w.auditRead(r, "case.read", c.LearnerID)
	w.render(rw, r, http.StatusOK, "risk_case", "risk", data)
}

// AddAction records an action in a case.
func (w *Web) AddAction(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	a := risk.Action{CaseID: id, Kind: risk.ActionKind(r.PostFormValue("kind")), Note: r.PostFormValue("note")}
	var err error
	if a.On, err = time.Parse("2006-01-02", r.PostFormValue("on")); err != nil {
		err = apperr.Field("on", "укажите дату действия в виде ГГГГ-ММ-ДД")
	} else if v := strings.TrimSpace(r.PostFormValue("next")); v != "" {
		if a.Next, err = time.Parse("2006-01-02", v); err != nil {
			err = apperr.Field("next", "укажите день следующего шага в виде ГГГГ-ММ-ДД")
		}
	}
	if err == nil {
		err = w.d.Risk.AddAction(r.Context(), sc, &a)
	}
	w.afterPost(rw, r, fmt.Sprintf("/risk/cases/%d", id), "Действие записано.", err)
}

// CloseCase closes a case with its outcome.
func (w *Web) CloseCase(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	c := risk.Closing{Outcome: risk.CaseOutcome(r.PostFormValue("outcome")), Note: r.PostFormValue("note"), EmployerName: r.PostFormValue("employer_name")}
	var err error
	if v := strings.TrimSpace(r.PostFormValue("employer_id")); v != "" {
		if c.EmployerID, err = strconv.ParseInt(v, 10, 64); err != nil || c.EmployerID <= 0 {
			err = apperr.Field("employer_id", "работодатель «%s» не найден: выберите из списка", v)
		}
	}
	if v := strings.TrimSpace(r.PostFormValue("since")); v != "" && err == nil {
		if c.Since, err = time.Parse("2006-01-02", v); err != nil {
			err = apperr.Field("since", "дата «%s» не распознана", v)
		}
	}
	if err == nil {
		err = w.d.Risk.CloseCase(r.Context(), sc, id, c)
	}
	w.afterPost(rw, r, fmt.Sprintf("/risk/cases/%d", id), "Случай закрыт.", err)
}

// SaveRecord writes a student's attendance, debts and social status from the card.
func (w *Web) SaveRecord(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	rec := risk.StudyRecord{LearnerID: id, Attendance: math.NaN(), Debts: math.NaN(), Social: risk.Social(r.PostFormValue("social"))}
	var err error
	if v := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(r.PostFormValue("attendance")), "%")); v != "" {
		var p float64
		if p, err = strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64); err != nil {
			err = apperr.Field("attendance", "посещаемость «%s» — не число процентов", v)
		}
		rec.Attendance = p / 100
	}
	if v := strings.TrimSpace(r.PostFormValue("debts")); v != "" && err == nil {
		var n int
		if n, err = strconv.Atoi(v); err != nil {
			err = apperr.Field("debts", "число задолженностей «%s» — не целое число", v)
		}
		rec.Debts = float64(n)
	}
	if err == nil {
		err = w.d.Risk.SaveRecord(r.Context(), sc, rec)
	}
	w.afterPost(rw, r, fmt.Sprintf("/learners/%d", id), "Сведения об учёбе сохранены.", err)
}

// learnerRisk adds the risk block of a student's or graduate's card.
func (w *Web) learnerRisk(r *http.Request, sc auth.Scope, l learner.Learner, p *learnerPage) error {
	if w.d.Risk == nil || l.Status == learner.Pupil || !risk.CanSee(sc) {
		return nil
	}
	lr, err := w.d.Risk.ForLearner(r.Context(), sc, l.ID)
	if err != nil {
		return err
	}
	// The region's threshold came with the card; a store that did not
	// read it is asked again.
	var th float64
	if n := p.Card.Risk; n != nil {
		th = risk.ThresholdOr(n.Threshold, n.ThresholdSet)
	} else if th, err = w.d.Risk.Threshold(r.Context(), sc.RegionCode); err != nil {
		return err
	}
	p.Risk, p.RiskThreshold, p.CanWorkCases, p.Socials = &lr, th, risk.CanWorkCases(sc), risk.Socials
	p.CanEditRecord = sc.CanEditLearners()
	return nil
}

// riskJobDone says what a finished training or scoring job did.
func riskJobDone(j jobs.Job) string {
	var res struct {
		ModelID int64   `json:"model_id"`
		AUC     float64 `json:"roc_auc"`
		Scored  int     `json:"scored"`
		AtRisk  int     `json:"at_risk"`
	}
	if err := json.Unmarshal(j.Result, &res); err != nil {
		return "Задание завершено."
	}
	msg := fmt.Sprintf("Оценено обучающихся: %s, в зоне риска: %s.", Number(res.Scored), Number(res.AtRisk))
	if j.Kind == risk.JobTrain {
		msg = fmt.Sprintf("Модель № %d обучена, ROC-AUC на проверочном выпуске %s. ", res.ModelID, strings.Replace(strconv.FormatFloat(res.AUC, 'f', 3, 64), ".", ",", 1)) + msg
	}
	return msg
}
