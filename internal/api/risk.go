package api

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/risk"
)

// The early warning goes through risk.Service with the caller's scope: the
// service decides who trains, scores and works cases, the store keeps
// learners within what the caller sees.

// withRisk is withGuidance for the early warning.
func (a *api) withRisk(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, c caller) error {
		if a.d.Risk == nil {
			return errors.New("api: Deps.Risk is not set")
		}
		return h(w, r, c)
	}
}

// reasonDTO is one reason of a score.
type reasonDTO struct {
	Feature string  `json:"feature"`
	Text    string  `json:"text"`
	Effect  float64 `json:"effect"`
	Missing bool    `json:"missing"`
}

func fromReason(r risk.Reason) reasonDTO {
	return reasonDTO{Feature: r.Feature, Text: r.Text, Effect: r.Effect, Missing: r.Missing}
}

// riskScoreDTO is a scored learner.
type riskScoreDTO struct {
	LearnerID      int64       `json:"learner_id"`
	Name           string      `json:"name"`
	OrgID          int64       `json:"org_id"`
	OrgName        string      `json:"org_name"`
	Municipality   string      `json:"municipality"`
	SpecialtyCode  string      `json:"specialty_code"`
	Status         string      `json:"status"`
	GraduationYear int         `json:"graduation_year"`
	Probability    float64     `json:"probability"`
	Reasons        []reasonDTO `json:"reasons"`
	ScoredAt       string      `json:"scored_at"`
	CaseID         *int64      `json:"case_id"`
	CaseStatus     string      `json:"case_status,omitempty"`
}

func fromRiskRow(x risk.Row) riskScoreDTO {
	d := riskScoreDTO{LearnerID: x.LearnerID, Name: x.Name, OrgID: x.OrgID, OrgName: x.OrgName, Municipality: x.Municipality,
		SpecialtyCode: x.SpecialtyCode, Status: x.Status, GraduationYear: x.GraduationYear, Probability: round4(x.Probability),
		Reasons: mapSlice(x.Reasons, fromReason), ScoredAt: formatTime(x.ScoredAt), CaseStatus: x.CaseStatus}
	if x.CaseID != 0 {
		id := x.CaseID
		d.CaseID = &id
	}
	return d
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// listRisk answers a page of the scored learners the caller sees.
func (a *api) listRisk(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	f := risk.Filter{OrgID: q.id("org_id"), MunicipalityID: q.id("municipality_id"), Case: q.oneOf("case", "with", "without"),
		Sort: q.oneOf("sort", risk.SortRisk, risk.SortName, risk.SortOrg)}
	f.Limit, f.Offset = q.page()
	if s := q.v.Get("threshold"); s != "" {
		t, err := strconv.ParseFloat(s, 64)
		if err != nil || !(t > 0 && t < 1) {
			q.errs.Add("threshold", "порог — вероятность больше 0 и меньше 1, указано «%s»", s)
		}
		f.Threshold = t
	}
	if err := q.err(); err != nil {
		return err
	}
	rows, total, err := a.d.Risk.List(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	a.auditList(r, c, "risk.list", len(rows))
	writeJSON(w, http.StatusOK, list[riskScoreDTO]{Items: mapSlice(rows, fromRiskRow), Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

// learnerRiskDTO is a learner's score, the data it lacks and the cases.
type learnerRiskDTO struct {
	LearnerID int64         `json:"learner_id"`
	Score     *riskScoreDTO `json:"score"`
	Missing   []string      `json:"missing"`
	Cases     []caseDTO     `json:"cases"`
}

// learnerRisk answers a learner's risk.
func (a *api) learnerRisk(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	lr, err := a.d.Risk.ForLearner(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	out := learnerRiskDTO{LearnerID: id, Missing: lr.Missing, Cases: mapSlice(lr.Cases, fromCase)}
	if out.Missing == nil {
		out.Missing = []string{}
	}
	if lr.Scored {
		d := fromRiskRow(lr.Row)
		out.Score = &d
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// riskModelDTO is a model with its report.
type riskModelDTO struct {
	ID        int64       `json:"id"`
	Kind      string      `json:"kind"`
	Active    bool        `json:"active"`
	CreatedAt string      `json:"created_at"`
	Report    risk.Report `json:"report"`
}

func fromRiskModel(m risk.ModelInfo) riskModelDTO {
	return riskModelDTO{ID: m.ID, Kind: string(m.Kind), Active: m.Active, CreatedAt: formatTime(m.CreatedAt), Report: m.Report}
}

// riskModel answers the model in use.
func (a *api) riskModel(w http.ResponseWriter, r *http.Request, c caller) error {
	m, err := a.d.Risk.Model(r.Context(), c.scope, 0)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromRiskModel(m))
	return nil
}

// trainRequest is the body that starts training.
type trainRequest struct {
	Kind string `json:"kind,omitempty"`
	Seed uint64 `json:"seed,omitempty"`
}

// jobDTO points to a started background job.
type jobDTO struct {
	JobID int64 `json:"job_id"`
}

// trainRisk starts training and scoring as a background job.
func (a *api) trainRisk(w http.ResponseWriter, r *http.Request, c caller) error {
	var in trainRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	switch risk.Kind(in.Kind) {
	case "", risk.KindGBT, risk.KindLogistic:
	default:
		return apperr.Field("kind", "неизвестный вид модели «%s»; допустимы: gbt, logreg", in.Kind)
	}
	id, err := a.d.Risk.StartTrain(r.Context(), c.scope, risk.Kind(in.Kind), in.Seed)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, jobDTO{JobID: id})
	return nil
}

// scoreRisk starts scoring with the model in use as a background job.
func (a *api) scoreRisk(w http.ResponseWriter, r *http.Request, c caller) error {
	var in struct{}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	id, err := a.d.Risk.StartScore(r.Context(), c.scope)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, jobDTO{JobID: id})
	return nil
}

// actionDTO is an action in a case.
type actionDTO struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	On     string `json:"on"`
	Note   string `json:"note"`
	ByName string `json:"by_name,omitempty"`
}

func fromAction(x risk.Action) actionDTO {
	return actionDTO{ID: x.ID, Kind: string(x.Kind), On: formatDate(x.On), Note: x.Note, ByName: x.ByName}
}

// caseDTO is a case of an employment centre.
type caseDTO struct {
	ID          int64       `json:"id"`
	LearnerID   int64       `json:"learner_id"`
	LearnerName string      `json:"learner_name"`
	OrgName     string      `json:"org_name"`
	CZNID       int64       `json:"czn_id"`
	CZNName     string      `json:"czn_name"`
	Probability float64     `json:"probability"`
	Status      string      `json:"status"`
	Outcome     string      `json:"outcome,omitempty"`
	Note        string      `json:"note"`
	OpenedAt    string      `json:"opened_at"`
	ClosedAt    *string     `json:"closed_at"`
	DueOn       *string     `json:"due_on"`
	Actions     []actionDTO `json:"actions,omitempty"`
}

func fromCase(x risk.Case) caseDTO {
	d := caseDTO{ID: x.ID, LearnerID: x.LearnerID, LearnerName: x.LearnerName, OrgName: x.OrgName, CZNID: x.CZNID, CZNName: x.CZNName,
		Probability: round4(x.Probability), Status: x.Status, Outcome: string(x.Outcome), Note: x.Note, OpenedAt: formatTime(x.OpenedAt),
		ClosedAt: nullTime(x.ClosedAt), Actions: mapSlice(x.Actions, fromAction)}
	if x.Open() {
		d.DueOn = nullDate(x.Due)
	}
	return d
}

// listCases answers a page of the cases the caller sees.
func (a *api) listCases(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	f := risk.CaseFilter{Status: q.oneOf("status", risk.CaseOpen, risk.CaseClosed)}
	if q.bool("overdue") {
		f.DueBefore = a.now()
	}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	cs, total, err := a.d.Risk.Cases(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	a.auditList(r, c, "cases.list", len(cs))
	writeJSON(w, http.StatusOK, list[caseDTO]{Items: mapSlice(cs, fromCase), Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

// openCaseRequest is the body that opens a case.
type openCaseRequest struct {
	LearnerID int64  `json:"learner_id"`
	Note      string `json:"note,omitempty"`
}

// openCase opens a case for a learner.
func (a *api) openCase(w http.ResponseWriter, r *http.Request, c caller) error {
	var in openCaseRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.LearnerID <= 0 {
		return apperr.Field("learner_id", "укажите обучающегося (learner_id)")
	}
	cs, err := a.d.Risk.OpenCase(r.Context(), c.scope, in.LearnerID, in.Note)
	if err != nil {
		return err
	}
	got, err := a.d.Risk.Case(r.Context(), c.scope, cs.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/risk/cases/"+strconv.FormatInt(cs.ID, 10))
	writeJSON(w, http.StatusCreated, fromCase(got))
	return nil
}

// getCase answers a case with its actions.
func (a *api) getCase(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	cs, err := a.d.Risk.Case(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	a.audit(r, c, auth.AuditEntry{Action: "case.read", LearnerID: cs.LearnerID})
	writeJSON(w, http.StatusOK, fromCase(cs))
	return nil
}

// actionRequest is the body of an action.
type actionRequest struct {
	Kind string `json:"kind"`
	On   string `json:"on"`
	Note string `json:"note,omitempty"`
	Next string `json:"next,omitempty"` // the day the next step is due by; 30 days on when empty
}

// addAction records an action in an open case.
func (a *api) addAction(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in actionRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	x := risk.Action{CaseID: id, Kind: risk.ActionKind(in.Kind), Note: in.Note}
	if in.On != "" {
		if x.On, err = time.Parse(isoDate, in.On); err != nil {
			return apperr.Field("on", "дата «%s» не в виде ГГГГ-ММ-ДД", in.On)
		}
	}
	if in.Next != "" {
		if x.Next, err = time.Parse(isoDate, in.Next); err != nil {
			return apperr.Field("next", "дата «%s» не в виде ГГГГ-ММ-ДД", in.Next)
		}
	}
	if err := a.d.Risk.AddAction(r.Context(), c.scope, &x); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, fromAction(x))
	return nil
}

// closeRequest is the body that closes a case.
type closeRequest struct {
	Outcome      string `json:"outcome"`
	Note         string `json:"note,omitempty"`
	Since        string `json:"since,omitempty"` // ГГГГ-ММ-ДД: the day the new status began
	EmployerID   int64  `json:"employer_id,omitempty"`
	EmployerName string `json:"employer_name,omitempty"`
}

// closeCase closes a case with its outcome.
func (a *api) closeCase(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in closeRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	cl := risk.Closing{Outcome: risk.CaseOutcome(in.Outcome), Note: in.Note, EmployerID: in.EmployerID, EmployerName: in.EmployerName}
	if in.Since != "" {
		if cl.Since, err = time.Parse("2006-01-02", in.Since); err != nil {
			return apperr.Field("since", "дата «%s» не распознана: укажите ГГГГ-ММ-ДД", in.Since)
		}
	}
	if err := a.d.Risk.CloseCase(r.Context(), c.scope, id, cl); err != nil {
		return err
	}
	cs, err := a.d.Risk.Case(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromCase(cs))
	return nil
}

// riskFiguresDTO are the early-warning figures.
type riskFiguresDTO struct {
	Threshold   float64        `json:"threshold"`
	Scored      int            `json:"scored"`
	AtRisk      int            `json:"at_risk"`
	WithCase    risk.Outcomes  `json:"with_case"`
	WithoutCase risk.Outcomes  `json:"without_case"`
	Open        int            `json:"open_cases"`
	Closed      int            `json:"closed_cases"`
	ByOutcome   map[string]int `json:"closed_by_outcome"`
	ByAction    map[string]int `json:"actions_by_kind"`
}

// riskFigures answers the figures of what the caller sees.
func (a *api) riskFigures(w http.ResponseWriter, r *http.Request, c caller) error {
	f, err := a.d.Risk.Figures(r.Context(), c.scope)
	if err != nil {
		return err
	}
	out := riskFiguresDTO{Threshold: f.Threshold, Scored: f.Scored, AtRisk: f.AtRisk, WithCase: f.WithCase, WithoutCase: f.WithoutCase,
		Open: f.Open, Closed: f.Closed, ByOutcome: map[string]int{}, ByAction: map[string]int{}}
	for k, v := range f.ByOutcome {
		out.ByOutcome[string(k)] = v
	}
	for k, v := range f.ByAction {
		out.ByAction[string(k)] = v
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
