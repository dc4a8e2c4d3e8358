package api

import (
	"errors"
	"math"
	"net/http"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/balance"
)

// The workforce balance goes through balance.Service with the caller's
// scope: the region sees everything and makes scenarios, an employer its own
// declared needs, a college or university its own proposals of admission.

// withBalance is withGuidance for the workforce balance.
func (a *api) withBalance(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, c caller) error {
		if a.d.Balance == nil {
			return errors.New("api: Deps.Balance is not set")
		}
		return h(w, r, c)
	}
}

// balanceCellDTO is a year of a row of the balance, in people.
type balanceCellDTO struct {
	Year        int     `json:"year"`
	Vacancies   float64 `json:"vacancies"`
	Declared    float64 `json:"declared"`
	Replacement float64 `json:"replacement"`
	Demand      float64 `json:"demand"`
	DemandLo80  float64 `json:"demand_lo80"`
	DemandHi80  float64 `json:"demand_hi80"`
	DemandLo95  float64 `json:"demand_lo95"`
	DemandHi95  float64 `json:"demand_hi95"`
	Supply      float64 `json:"supply"`
	Targeted    float64 `json:"targeted"`
	Contracted  float64 `json:"contracted"`
	Gap         float64 `json:"gap"`
}

func roundTenth(x float64) float64 { return math.Round(x*10) / 10 }

func fromBalanceCell(c balance.Cell) balanceCellDTO {
	return balanceCellDTO{Year: c.Year, Vacancies: roundTenth(c.Vacancies.Mean), Declared: roundTenth(c.Declared), Replacement: roundTenth(c.Replacement),
		Demand: roundTenth(c.Demand.Mean), DemandLo80: roundTenth(c.Demand.Lo80), DemandHi80: roundTenth(c.Demand.Hi80), DemandLo95: roundTenth(c.Demand.Lo95),
		DemandHi95: roundTenth(c.Demand.Hi95), Supply: roundTenth(c.Supply), Targeted: roundTenth(c.Targeted), Contracted: roundTenth(c.Contracted), Gap: roundTenth(c.Gap)}
}

// accuracyDTO is the backtest of a row's forecast on the region's history.
type accuracyDTO struct {
	Origins          int      `json:"origins"`
	Horizon          int      `json:"horizon"`
	SMAPE            float64  `json:"smape"`
	MASE             *float64 `json:"mase"`
	OWA              *float64 `json:"owa"`
	AnnualSMAPE      *float64 `json:"annual_smape"`
	AnnualNaiveSMAPE *float64 `json:"annual_naive_smape"`
	Note             string   `json:"note"`
}

// finite is a number for JSON: nil for NaN and infinities.
func finite(x float64, digits int) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	p := math.Pow(10, float64(digits))
	v := math.Round(x*p) / p
	return &v
}

func fromAccuracy(r balance.Row) *accuracyDTO {
	a := r.Accuracy
	if a == nil {
		return nil
	}
	d := &accuracyDTO{Origins: a.Origins, Horizon: a.Horizon, SMAPE: roundTenth(a.SMAPE), MASE: finite(a.MASE, 3), OWA: finite(a.OWA, 3), Note: a.Note}
	if r.Annual != nil {
		d.AnnualSMAPE, d.AnnualNaiveSMAPE = finite(r.Annual.SMAPE, 1), finite(r.Annual.NaiveSMAPE, 1)
	}
	return d
}

// balanceRowDTO is a group of specialties at a level over the years.
type balanceRowDTO struct {
	Key          string           `json:"key"`
	GroupCode    string           `json:"group_code"`
	GroupName    string           `json:"group_name"`
	Level        string           `json:"level"`
	Students     int              `json:"students"`
	Model        string           `json:"model"`
	Note         string           `json:"note"`
	Accuracy     *accuracyDTO     `json:"accuracy"`
	AccuracyNote string           `json:"accuracy_note"`
	Cells        []balanceCellDTO `json:"cells"`
}

func fromBalanceRow(r balance.Row) balanceRowDTO {
	return balanceRowDTO{Key: r.Key.ID(), GroupCode: r.Key.Group, GroupName: r.GroupName, Level: string(r.Key.Level), Students: r.Students,
		Model: r.Model, Note: r.Note, Accuracy: fromAccuracy(r), AccuracyNote: r.AccuracyNote, Cells: mapSlice(r.Cells, fromBalanceCell)}
}

// balanceDTO is the balance of the region.
type balanceDTO struct {
	Years      []int            `json:"years"`
	ScenarioID *int64           `json:"scenario_id"`
	FirstMonth string           `json:"first_month"`
	LastMonth  string           `json:"last_month"`
	Method     string           `json:"method"`
	Rows       []balanceRowDTO  `json:"rows"`
	Totals     []balanceCellDTO `json:"totals"`
	Proposals  int              `json:"proposals"`
	Computed   string           `json:"computed_at"`
	MaxChange  float64          `json:"max_change"`
	Closure    *closureDTO      `json:"closure"`
}

// closureDTO is balance.Closure of the first year.
type closureDTO struct {
	Year          int     `json:"year"`
	Need          int     `json:"need"`
	Closed        int     `json:"closed"`
	ByContracts   int     `json:"by_contracts"`
	Share         float64 `json:"share"`
	ContractShare float64 `json:"contract_share"`
}

// yearMonth writes the first day of a month as "2026-03", or "" for none.
func yearMonth(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01")
}

// getBalance answers the balance, with a scenario when scenario_id is given.
func (a *api) getBalance(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	id := q.id("scenario_id")
	if err := q.err(); err != nil {
		return err
	}
	res, err := a.d.Balance.Balance(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	out := balanceDTO{Years: res.Years, FirstMonth: yearMonth(res.FirstMonth), LastMonth: yearMonth(res.LastMonth),
		Method: string(balance.Method), Rows: mapSlice(res.Rows, fromBalanceRow), Totals: mapSlice(res.Totals, fromBalanceCell),
		Proposals: len(res.Proposals), Computed: formatTime(res.Computed)}
	if len(res.Totals) > 0 {
		cl := res.Totals[0].Closure()
		out.Closure = &closureDTO{Year: res.Totals[0].Year, Need: cl.Need, Closed: cl.Closed, ByContracts: cl.ByContracts, Share: cl.Share(), ContractShare: cl.ContractShare()}
	}
	if out.MaxChange, err = a.d.Balance.MaxChange(r.Context(), c.scope); err != nil {
		return err
	}
	if res.Scenario != nil {
		out.ScenarioID = &res.Scenario.ID
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// pointDTO is a month of a row's vacancy history or forecast.
type pointDTO struct {
	Month string   `json:"month"`
	Value float64  `json:"value"`
	Lo80  *float64 `json:"lo80,omitempty"`
	Hi80  *float64 `json:"hi80,omitempty"`
}

// balanceGroupDTO is a row with its monthly history and forecast.
type balanceGroupDTO struct {
	balanceRowDTO
	History  []pointDTO `json:"history"`
	Forecast []pointDTO `json:"forecast"`
}

// getBalanceGroup answers a row of the balance with its history and forecast.
func (a *api) getBalanceGroup(w http.ResponseWriter, r *http.Request, c caller) error {
	key, ok := balance.ParseKey(r.PathValue("key"))
	if !ok {
		return apperr.Field("key", "ключ группы «%s»: ожидается код УГС и уровень, например 15.00.00-spo", r.PathValue("key"))
	}
	q := newQuery(r)
	id := q.id("scenario_id")
	if err := q.err(); err != nil {
		return err
	}
	res, err := a.d.Balance.Balance(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	row, ok := res.Row(key)
	if !ok {
		return apperr.New(apperr.NotFound, "в балансе нет группы %s (%s)", key.Group, key.Level.Name())
	}
	out := balanceGroupDTO{balanceRowDTO: fromBalanceRow(row), History: []pointDTO{}, Forecast: []pointDTO{}}
	for _, p := range row.History {
		out.History = append(out.History, pointDTO{Month: p.Month.Format("2006-01"), Value: p.Value})
	}
	for i, p := range row.Forecast {
		out.Forecast = append(out.Forecast, pointDTO{Month: p.Month.Format("2006-01"), Value: roundTenth(p.Value),
			Lo80: finite(row.Lo80[i].Value, 1), Hi80: finite(row.Hi80[i].Value, 1)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// admissionProposalDTO is a proposed admission of an organisation to a specialty.
type admissionProposalDTO struct {
	GroupKey       string  `json:"group_key"`
	OrgID          int64   `json:"org_id"`
	OrgName        string  `json:"org_name"`
	SpecialtyCode  string  `json:"specialty_code"`
	AdmissionYear  int     `json:"admission_year"`
	GraduationYear int     `json:"graduation_year"`
	Current        int     `json:"current"`
	Capacity       *int    `json:"capacity"`
	Proposed       int     `json:"proposed"`
	ID             string  `json:"id"`
	Wanted         int     `json:"wanted"`
	Limit          int     `json:"limit"`
	Confirm        bool    `json:"needs_confirmation"`
	Why            string  `json:"why,omitempty"`
	Demand         float64 `json:"demand"`
	DemandLo80     float64 `json:"demand_lo80"`
	DemandHi80     float64 `json:"demand_hi80"`
	Supply         float64 `json:"supply"`
}

func fromAdmissionProposal(p balance.Proposal) admissionProposalDTO {
	d := admissionProposalDTO{GroupKey: p.Key.ID(), OrgID: p.OrgID, OrgName: p.OrgName, SpecialtyCode: p.Specialty.Code, AdmissionYear: p.AdmissionYear,
		GraduationYear: p.GraduationYear, Current: p.Current, Proposed: p.Proposed, ID: p.ID(), Wanted: p.Wanted, Limit: p.Limit,
		Confirm: p.Confirm(), Why: p.Why, Demand: roundTenth(p.Demand.Mean), DemandLo80: roundTenth(p.Demand.Lo80), DemandHi80: roundTenth(p.Demand.Hi80),
		Supply: roundTenth(p.Supply)}
	if p.Capacity > 0 {
		c := p.Capacity
		d.Capacity = &c
	}
	return d
}

// listAdmissionProposals answers the proposals of admission the caller sees.
func (a *api) listAdmissionProposals(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	id := q.id("scenario_id")
	if err := q.err(); err != nil {
		return err
	}
	res, err := a.d.Balance.Balance(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items[admissionProposalDTO]{Items: mapSlice(res.Proposals, fromAdmissionProposal)})
	return nil
}

// needDTO is an employer's declared need.
type needDTO struct {
	ID            int64  `json:"id"`
	EmployerID    int64  `json:"employer_id"`
	EmployerName  string `json:"employer_name"`
	SpecialtyCode string `json:"specialty_code"`
	BaseYear      int    `json:"base_year"`
	Horizon       int    `json:"horizon"`
	Year          int    `json:"year"`
	Count         int    `json:"count"`
	Note          string `json:"note"`
	Source        string `json:"source"`
	UpdatedAt     string `json:"updated_at"`
}

func fromNeed(n balance.Need) needDTO {
	return needDTO{ID: n.ID, EmployerID: n.EmployerID, EmployerName: n.EmployerName, SpecialtyCode: n.Specialty, BaseYear: n.BaseYear,
		Horizon: n.Horizon, Year: n.Year(), Count: n.Count, Note: n.Note, Source: n.Source, UpdatedAt: formatTime(n.UpdatedAt)}
}

// listNeeds answers the declared needs the caller sees.
func (a *api) listNeeds(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	f := balance.NeedFilter{EmployerID: q.id("employer_id"), Specialty: q.specialty("specialty_code")}
	if err := q.err(); err != nil {
		return err
	}
	list, err := a.d.Balance.Needs(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items[needDTO]{Items: mapSlice(list, fromNeed)})
	return nil
}

// needRequest declares a need: an employer for itself, the region for the
// employer it names.
type needRequest struct {
	EmployerID    int64  `json:"employer_id"`
	SpecialtyCode string `json:"specialty_code"`
	Horizon       int    `json:"horizon"`
	Count         int    `json:"count"`
	BaseYear      int    `json:"base_year"`
	Note          string `json:"note"`
}

// declareNeed saves a need and answers it as stored.
func (a *api) declareNeed(w http.ResponseWriter, r *http.Request, c caller) error {
	var in needRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	n := balance.Need{EmployerID: in.EmployerID, Specialty: in.SpecialtyCode, Horizon: in.Horizon, Count: in.Count, BaseYear: in.BaseYear, Note: in.Note}
	if err := a.d.Balance.Declare(r.Context(), c.scope, &n); err != nil {
		return err
	}
	list, err := a.d.Balance.Needs(r.Context(), c.scope, balance.NeedFilter{EmployerID: n.EmployerID, Specialty: n.Specialty})
	if err != nil {
		return err
	}
	for _, x := range list {
		if x.ID == n.ID {
			writeJSON(w, http.StatusCreated, fromNeed(x))
			return nil
		}
	}
	return apperr.New(apperr.NotFound, "заявленная потребность не найдена")
}

// deleteNeed removes a need.
func (a *api) deleteNeed(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.d.Balance.DeleteNeed(r.Context(), c.scope, id); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// scenarioDTO is a scenario of the region.
type scenarioDTO struct {
	ID         int64                     `json:"id"`
	Name       string                    `json:"name"`
	Admissions []balance.AdmissionChange `json:"admissions"`
	Needs      []balance.NeedChange      `json:"needs"`
	CreatedAt  string                    `json:"created_at"`
	UpdatedAt  string                    `json:"updated_at"`
}

func fromScenario(s balance.Scenario) scenarioDTO {
	d := scenarioDTO{ID: s.ID, Name: s.Name, Admissions: s.Admissions, Needs: s.Needs, CreatedAt: formatTime(s.CreatedAt), UpdatedAt: formatTime(s.UpdatedAt)}
	if d.Admissions == nil {
		d.Admissions = []balance.AdmissionChange{}
	}
	if d.Needs == nil {
		d.Needs = []balance.NeedChange{}
	}
	return d
}

// listScenarios answers the region's scenarios.
func (a *api) listScenarios(w http.ResponseWriter, r *http.Request, c caller) error {
	list, err := a.d.Balance.Scenarios(r.Context(), c.scope)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items[scenarioDTO]{Items: mapSlice(list, fromScenario)})
	return nil
}

// scenarioRequest makes a scenario.
type scenarioRequest struct {
	Name       string                    `json:"name"`
	Admissions []balance.AdmissionChange `json:"admissions"`
	Needs      []balance.NeedChange      `json:"needs"`
}

// createScenario checks and stores a scenario; the balance with it is GET /balance?scenario_id=.
// proposalsScenarioRequest makes a scenario of the proposals of admission.
type proposalsScenarioRequest struct {
	Name    string   `json:"name"`
	Confirm []string `json:"confirm"`
}

// scenarioFromProposals saves the proposals as a scenario, the confirmed
// ones beyond the region's limit in full.
func (a *api) scenarioFromProposals(w http.ResponseWriter, r *http.Request, c caller) error {
	var in proposalsScenarioRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	s, err := a.d.Balance.FromProposals(r.Context(), c.scope, in.Name, in.Confirm)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, fromScenario(s))
	return nil
}

// balanceSettings is the region's limit on a proposal's change of admission.
type balanceSettings struct {
	MaxChange float64 `json:"max_change"`
}

// setBalanceSettings sets the region's limit.
func (a *api) setBalanceSettings(w http.ResponseWriter, r *http.Request, c caller) error {
	var in balanceSettings
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := a.d.Balance.SetMaxChange(r.Context(), c.scope, in.MaxChange); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, in)
	return nil
}

func (a *api) createScenario(w http.ResponseWriter, r *http.Request, c caller) error {
	var in scenarioRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	s := balance.Scenario{Name: in.Name, Admissions: in.Admissions, Needs: in.Needs}
	if err := a.d.Balance.SaveScenario(r.Context(), c.scope, &s); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, fromScenario(s))
	return nil
}
