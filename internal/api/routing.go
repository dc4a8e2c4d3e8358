package api

import (
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/routing"
)

// The routing of graduates goes through routing.Service with the caller's
// scope: the service decides who starts runs and decides proposals, the store
// keeps learners within what the caller sees; applicants the caller may not
// see come without a name or an id.

// The enumerations of routing as the API names them: travelNames is indexed
// by routing.Travel.
var (
	runModes         = []routing.Mode{routing.Stable, routing.Optimal}
	runStatuses      = []routing.RunStatus{routing.Running, routing.Finished, routing.Failed}
	proposalStatuses = []routing.ProposalStatus{routing.Proposed, routing.Sent, routing.Accepted, routing.Declined, routing.Unmatched}
	decisions        = []routing.ProposalStatus{routing.Sent, routing.Accepted, routing.Declined}
	travelNames      = []string{"same", "neighbouring", "relocation"}
)

// maxSafeSeed is the largest seed a JavaScript number holds exactly (2^53 − 1).
const maxSafeSeed = 1<<53 - 1

// componentDTO is one named part of a score.
type componentDTO struct {
	Key    string `json:"key"`
	Title  string `json:"title"`
	Points int    `json:"points"`
	Max    int    `json:"max"`
	Why    string `json:"why,omitempty"`
}

func fromComponent(c routing.Component) componentDTO {
	return componentDTO{Key: c.Key, Title: c.Title, Points: c.Points, Max: c.Max, Why: c.Why}
}

// scoreDTO is one side's view of a pair of a graduate and a vacancy.
type scoreDTO struct {
	Total      int            `json:"total"`
	Components []componentDTO `json:"components"`
}

func fromScore(s routing.Score) scoreDTO {
	return scoreDTO{Total: s.Total, Components: mapSlice(s.Components, fromComponent)}
}

// travelName names how far a place is for a candidate.
func travelName(t routing.Travel) string {
	if int(t) >= 0 && int(t) < len(travelNames) {
		return travelNames[t]
	}
	return strconv.Itoa(int(t))
}

// recommendationDTO is a vacancy recommended to a graduate.
type recommendationDTO struct {
	VacancyID    string   `json:"vacancy_id"`
	Title        string   `json:"title"`
	Employer     string   `json:"employer"`
	SalaryMin    int      `json:"salary_min"`
	SalaryMax    int      `json:"salary_max"`
	Travel       string   `json:"travel"`
	KM           float64  `json:"km"`
	Graduate     scoreDTO `json:"graduate"`
	EmployerView scoreDTO `json:"employer_view"`
	Reasons      string   `json:"reasons"`
}

func fromRecommendation(p routing.Pair) recommendationDTO {
	return recommendationDTO{VacancyID: p.Place.VacancyID, Title: p.Place.Title, Employer: p.Place.EmployerName,
		SalaryMin: p.Place.SalaryMin, SalaryMax: p.Place.SalaryMax, Travel: travelName(p.Travel), KM: math.Round(p.KM*10) / 10,
		Graduate: fromScore(p.Graduate), EmployerView: fromScore(p.Employer), Reasons: p.Graduate.Reasons()}
}

// recommendationsDTO is the vacancies that suit a graduate, best first by the
// graduate's view, and how many vacancies linked to the specialty do not, by reason.
type recommendationsDTO struct {
	LearnerID     int64               `json:"learner_id"`
	SpecialtyCode string              `json:"specialty_code"`
	Items         []recommendationDTO `json:"items"`
	Unsuitable    map[string]int      `json:"unsuitable"`
}

func fromRecommendations(rec routing.Recommendations) recommendationsDTO {
	out := recommendationsDTO{LearnerID: rec.Candidate.LearnerID, SpecialtyCode: rec.Candidate.SpecialtyCode,
		Items: mapSlice(rec.Pairs, fromRecommendation), Unsuitable: map[string]int{}}
	for k, v := range rec.Unsuitable {
		out.Unsuitable[k] = v
	}
	return out
}

// applicantDTO is a candidate for a vacancy; learner_id and name are null
// for one the caller may not see.
type applicantDTO struct {
	LearnerID     *int64   `json:"learner_id"`
	Name          *string  `json:"name"`
	SpecialtyCode string   `json:"specialty_code"`
	EmployerView  scoreDTO `json:"employer_view"`
	Graduate      scoreDTO `json:"graduate"`
	Reasons       string   `json:"reasons"`
}

// applicantsDTO is the candidates a vacancy suits, best first by the employer's view.
type applicantsDTO struct {
	VacancyID  string         `json:"vacancy_id"`
	Title      string         `json:"title"`
	Employer   string         `json:"employer"`
	WorkPlaces int            `json:"work_places"`
	Items      []applicantDTO `json:"items"`
}

func fromApplicants(app routing.Applicants) applicantsDTO {
	out := applicantsDTO{VacancyID: app.Place.VacancyID, Title: app.Place.Title, Employer: app.Place.EmployerName,
		WorkPlaces: app.Place.WorkPlaces, Items: make([]applicantDTO, 0, len(app.Pairs))}
	for _, p := range app.Pairs {
		d := applicantDTO{SpecialtyCode: p.Candidate.SpecialtyCode, EmployerView: fromScore(p.Employer), Graduate: fromScore(p.Graduate),
			Reasons: p.Employer.Reasons()}
		if app.Visible[p.Candidate.LearnerID] {
			id, name := p.Candidate.LearnerID, p.Candidate.Name
			d.LearnerID, d.Name = &id, &name
		}
		out.Items = append(out.Items, d)
	}
	return out
}

// runDTO is a matching run with its figures.
type runDTO struct {
	ID               int64       `json:"id"`
	Round            int         `json:"round"`
	Mode             string      `json:"mode"`
	Seed             uint64      `json:"seed"`
	GraduationYear   int         `json:"graduation_year"`
	Status           string      `json:"status"`
	Error            string      `json:"error,omitempty"`
	JobID            int64       `json:"job_id,omitempty"`
	Candidates       int         `json:"candidates"`
	Vacancies        int         `json:"vacancies"`
	Places           int         `json:"places"`
	Edges            int         `json:"edges"`
	Matched          int         `json:"matched"`
	FirstChoice      int         `json:"first_choice"`
	FirstChoiceShare float64     `json:"first_choice_share"`
	Welfare          int64       `json:"welfare"`
	OptimalWelfare   int64       `json:"optimal_welfare"`
	OptimalMatched   int         `json:"optimal_matched"`
	PriceOfStability float64     `json:"price_of_stability"`
	Blocking         int         `json:"blocking"`
	Contracts        int         `json:"contracts"`
	Holders          int         `json:"holders"`
	MaxMatched       int         `json:"max_matched"`
	Unplaced         unplacedDTO `json:"unplaced"`
	Scored           int64       `json:"scored"`
	OptimalProven    bool        `json:"optimal_proven"`
	Seconds          float64     `json:"seconds"`
	Sent             int         `json:"sent"`
	Accepted         int         `json:"accepted"`
	Declined         int         `json:"declined"`
	CreatedBy        int64       `json:"created_by,omitempty"`
	CreatedAt        string      `json:"created_at"`
	FinishedAt       *string     `json:"finished_at"`
}

func fromRun(r routing.Run) runDTO {
	return runDTO{ID: r.ID, Round: r.Round, Mode: string(r.Mode), Seed: r.Seed, GraduationYear: r.GraduationYear, Status: string(r.Status),
		Error: r.Error, JobID: r.JobID, Candidates: r.Candidates, Vacancies: r.Vacancies, Places: r.Places, Edges: r.Edges,
		Matched: r.Matched, FirstChoice: r.FirstChoice, FirstChoiceShare: r.FirstChoiceShare(), Welfare: r.Welfare,
		OptimalWelfare: r.OptimalWelfare, OptimalMatched: r.OptimalMatched, PriceOfStability: r.PriceOfStability(),
		Blocking: r.Blocking, Contracts: r.Contracts, Holders: r.Holders, MaxMatched: r.MaxMatched,
		Unplaced: unplacedDTO{NoVacancy: r.UnplacedNone, Wishes: r.UnplacedWishes, TakenEarlier: r.UnplacedTaken, Outranked: r.UnplacedOutranked},
		Scored:   r.Scored, OptimalProven: r.OptimalProven, Seconds: r.Seconds, Sent: r.Sent, Accepted: r.Accepted, Declined: r.Declined,
		CreatedBy: r.CreatedBy, CreatedAt: formatTime(r.CreatedAt), FinishedAt: nullTime(r.FinishedAt)}
}

// unplacedDTO counts the candidates a run left without a place, by why.
type unplacedDTO struct {
	NoVacancy    int `json:"no_vacancy"`
	Wishes       int `json:"wishes"`
	TakenEarlier int `json:"taken_earlier"`
	Outranked    int `json:"outranked"`
}

// startRunRequest is the body that starts a run.
type startRunRequest struct {
	Mode  string `json:"mode"`
	Round int    `json:"round,omitempty"`
	Seed  uint64 `json:"seed,omitempty"`
}

// run reads the run's mode, round (1 when left out) and seed (a random one
// when left out, small enough for a JavaScript number to repeat it exactly).
func (d startRunRequest) run() (routing.Mode, int, uint64, error) {
	var errs apperr.List
	mode := routing.Mode(d.Mode)
	switch {
	case d.Mode == "":
		errs.Add("mode", "укажите режим распределения: %s", joinNames(runModes))
	case mode != routing.Stable && mode != routing.Optimal:
		errs.Add("mode", "неизвестный режим распределения «%s»; допустимы: %s", d.Mode, joinNames(runModes))
	}
	round := d.Round
	switch {
	case round == 0:
		round = 1
	case round < 0:
		errs.Add("round", "тур должен быть целым числом от 1, указано %d", d.Round)
	}
	seed := d.Seed
	if seed == 0 {
		seed = rand.Uint64N(maxSafeSeed) + 1
	}
	return mode, round, seed, errs.Err()
}

// proposalDTO is a run's proposal of a vacancy to a graduate, or the
// graduate's being left without one.
type proposalDTO struct {
	ID            int64   `json:"id"`
	RunID         int64   `json:"run_id"`
	LearnerID     int64   `json:"learner_id"`
	Learner       string  `json:"learner"`
	OrgName       string  `json:"org_name"`
	SpecialtyCode string  `json:"specialty_code"`
	VacancyID     *string `json:"vacancy_id"`
	Vacancy       string  `json:"vacancy,omitempty"`
	Employer      string  `json:"employer,omitempty"`
	Choice        int     `json:"choice"`
	GraduateScore int     `json:"graduate_score"`
	EmployerScore int     `json:"employer_score"`
	Contract      bool    `json:"contract"`
	ContractNote  string  `json:"contract_note,omitempty"`
	Reasons       string  `json:"reasons"`
	Status        string  `json:"status"`
	DecidedAt     *string `json:"decided_at"`
}

func fromProposal(p routing.Proposal) proposalDTO {
	d := proposalDTO{ID: p.ID, RunID: p.RunID, LearnerID: p.LearnerID, Learner: p.Learner, OrgName: p.OrgName, SpecialtyCode: p.SpecialtyCode,
		Vacancy: p.Vacancy, Employer: p.Employer, Choice: p.Choice, GraduateScore: p.GraduateScore, EmployerScore: p.EmployerScore,
		Contract: p.Contract, ContractNote: p.ContractNote, Reasons: p.Reasons, Status: string(p.Status), DecidedAt: nullTime(p.DecidedAt)}
	if p.VacancyID != "" {
		v := p.VacancyID
		d.VacancyID = &v
	}
	return d
}

// decisionRequest is the body of a decision on a proposal.
type decisionRequest struct {
	Status string `json:"status"`
}

// decision reads the status the proposal moves to.
func (d decisionRequest) decision() (routing.ProposalStatus, error) {
	to := routing.ProposalStatus(d.Status)
	switch {
	case d.Status == "":
		return "", apperr.Field("status", "укажите решение: %s", joinNames(decisions))
	case to != routing.Sent && to != routing.Accepted && to != routing.Declined:
		return "", apperr.Field("status", "неизвестное решение «%s»; допустимы: %s", d.Status, joinNames(decisions))
	}
	return to, nil
}

// recommend answers the vacancies that suit a learner the caller sees, with
// both sides' scores and the reasons.
func (a *api) recommend(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	q := newQuery(r)
	limit := q.int("limit", 1, maxLimit, defaultLimit)
	if err := q.err(); err != nil {
		return err
	}
	rec, err := a.d.Routing.ForLearner(r.Context(), c.scope, id, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromRecommendations(rec))
	return nil
}

var (
	errApplicantsForbidden = apperr.New(apperr.Forbidden, "кандидатов на вакансию видят работодатель этой вакансии, регион и центры занятости")
	errNoOpenVacancy       = apperr.New(apperr.NotFound, "открытая вакансия не найдена")
)

// applicants answers the region's candidates for an open vacancy.
func (a *api) applicants(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathVacancyID(r)
	if err != nil {
		return err
	}
	q := newQuery(r)
	limit := q.int("limit", 1, maxLimit, defaultLimit)
	if err := q.err(); err != nil {
		return err
	}
	if !routing.MayAskApplicants(c.scope) {
		return errApplicantsForbidden
	}
	app, err := a.d.Routing.ForVacancy(r.Context(), c.scope, id, limit)
	if err != nil {
		return err
	}
	var inn string
	if c.scope.Role == auth.Employer {
		o, err := a.d.Orgs.Get(r.Context(), c.scope.OrgID)
		if err != nil {
			return err
		}
		inn = o.INN
	}
	if !routing.MaySeeApplicants(c.scope, inn, app.Place) {
		// Another employer's vacancy is answered as a missing one.
		return errNoOpenVacancy
	}
	writeJSON(w, http.StatusOK, fromApplicants(app))
	return nil
}

// listRuns answers the region's latest runs, newest first.
func (a *api) listRuns(w http.ResponseWriter, r *http.Request, c caller) error {
	runs, err := a.d.Routing.Runs(r.Context(), c.scope)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items[runDTO]{Items: mapSlice(runs, fromRun)})
	return nil
}

// startRun starts a run as a background job and answers 202 with it as it
// stands: running, or already finished when the job was quick.
func (a *api) startRun(w http.ResponseWriter, r *http.Request, c caller) error {
	var in startRunRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	mode, round, seed, err := in.run()
	if err != nil {
		return err
	}
	run, err := a.d.Routing.Start(r.Context(), c.scope, mode, round, seed)
	if err != nil {
		return err
	}
	if got, err := a.d.Routing.Run(r.Context(), c.scope, run.ID); err != nil {
		a.d.Log.Warn("api: read back run", "id", run.ID, "err", err)
	} else {
		run = got
	}
	w.Header().Set("Location", Prefix+"/routing/runs/"+strconv.FormatInt(run.ID, 10))
	writeJSON(w, http.StatusAccepted, fromRun(run))
	return nil
}

func (a *api) getRun(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	run, err := a.d.Routing.Run(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromRun(run))
	return nil
}

// listProposals answers a page of a run's proposals of the learners the
// caller sees; a run of another region is 404.
func (a *api) listProposals(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	q := newQuery(r)
	f := routing.ProposalFilter{
		RunID:     id,
		Status:    routing.ProposalStatus(q.oneOf("status", names(proposalStatuses)...)),
		LearnerID: q.id("learner_id"),
		Holders:   q.bool("holders"),
	}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	if _, err := a.d.Routing.Run(r.Context(), c.scope, id); err != nil {
		return err
	}
	ps, total, err := a.d.Routing.Proposals(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[proposalDTO]{Items: mapSlice(ps, fromProposal), Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

// decideProposal sends a proposal or records the answer and answers 204; a
// move the proposal's state does not allow is 409, nothing changes on a refusal.
func (a *api) decideProposal(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in decisionRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	to, err := in.decision()
	if err != nil {
		return err
	}
	if err := a.d.Routing.Decide(r.Context(), c.scope, id, to); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// bulkRequest is a bulk action on a run's proposals: counted when expect is
// absent, applied when it is the number counted.
type bulkRequest struct {
	Action         string `json:"action"`
	MunicipalityID int64  `json:"municipality_id"`
	OrgID          int64  `json:"org_id"`
	SpecialtyCode  string `json:"specialty_code"`
	Expect         int    `json:"expect"`
}

// bulkDTO says how many proposals the action selects and how many it changed.
type bulkDTO struct {
	Count   int  `json:"count"`
	Applied bool `json:"applied"`
}

// bulkProposals counts, or applies, a bulk action on a run's proposals.
func (a *api) bulkProposals(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in bulkRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	b := routing.Bulk{RunID: id, Action: routing.BulkAction(in.Action), MunicipalityID: in.MunicipalityID, OrgID: in.OrgID, SpecialtyCode: in.SpecialtyCode}
	if in.Expect == 0 {
		n, err := a.d.Routing.CountBulk(r.Context(), c.scope, b)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, bulkDTO{Count: n})
		return nil
	}
	n, err := a.d.Routing.ApplyBulk(r.Context(), c.scope, b, in.Expect)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, bulkDTO{Count: n, Applied: true})
	return nil
}
