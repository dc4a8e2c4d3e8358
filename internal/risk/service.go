package risk

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/engine/learn"
	"marshrut/internal/jobs"
)

// ModelInfo is a stored model with its report.
type ModelInfo struct {
	ID            int64
	RegionCode    string
	Kind          Kind
	Report        Report
	Data          []byte // learn.Marshal; empty in lists
	Active        bool
	CreatedBy     int64
	CreatedByName string
	CreatedAt     time.Time
}

// Row is a scored student in a list.
type Row struct {
	LearnerID      int64
	Name           string
	OrgID          int64
	OrgName        string
	Municipality   string
	SpecialtyCode  string
	SpecialtyName  string
	Status         string // learner status: student or graduate
	GraduationYear int
	Probability    float64
	Reasons        []Reason
	ScoredAt       time.Time
	CaseID         int64
	CaseStatus     string
}

// Top is the first reason that raises the risk, for a list's column.
func (r Row) Top() string {
	for _, x := range r.Reasons {
		if x.Raises() {
			return x.Text
		}
	}
	return ""
}

// Sort orders of a list.
const (
	SortRisk = "risk"
	SortName = "name"
	SortOrg  = "org"
)

// Filter narrows a list of scored students.
type Filter struct {
	Threshold      float64 // only scores at or above it
	OrgID          int64
	MunicipalityID int64
	Case           string // "" any, "with", "without"
	Sort           string
	Limit, Offset  int
}

// CaseFilter narrows a list of cases.
type CaseFilter struct {
	Status        string    // "", open, closed
	DueBefore     time.Time // open cases whose next step was due before this day
	Limit, Offset int
}

// Figures are the region's early-warning figures.
type Figures struct {
	Threshold float64
	Scored    int
	AtRisk    int
	// Of the at-risk students: with a case (any status) and without.
	WithCase, WithoutCase Outcomes
	Open, Closed          int
	ByOutcome             map[CaseOutcome]int
	ByAction              map[ActionKind]int
}

// Outcomes is what became of a group of at-risk students.
type Outcomes struct {
	Total    int `json:"total"`
	Studying int `json:"studying"` // still final-year students
	Working  int `json:"working"`  // graduates at work, studying further or serving
	NoWork   int `json:"no_work"`  // graduates without work
	Unknown  int `json:"unknown"`  // graduates with no status recorded
}

// Jobs starts long work in the background.
type Jobs interface {
	Start(ctx context.Context, j *jobs.Job, fn func(ctx context.Context, p jobs.Progress) (any, error)) error
}

// DefaultThreshold is the probability from which a student is at risk when
// the region has not chosen its own.
const DefaultThreshold = 0.3

// Service is the logic of the early warning: who may do what.
type Service struct {
	store Store
	jobs  Jobs
	now   func() time.Time

	// figures keeps the figures of each scope for FiguresTTL: at a
	// region's scale they count every scored learner and every case.
	mu      sync.Mutex
	figures map[string]cachedFigures
	demand  map[string]cachedDemand
}

type cachedDemand struct {
	at time.Time
	d  Demand
}

// DemandTTL is how long the region's demand is reused: it changes with the
// vacancy data, and reading it aggregates every open vacancy, which a card
// should not do on every view.
const DemandTTL = 5 * time.Minute

// regionDemand returns the region's demand, reused for DemandTTL.
func (s *Service) regionDemand(ctx context.Context, region string) (Demand, error) {
	s.mu.Lock()
	c, ok := s.demand[region]
	s.mu.Unlock()
	if ok && s.now().Sub(c.at) < DemandTTL {
		return c.d, nil
	}
	d, err := s.store.Demand(ctx, region)
	if err != nil {
		return d, err
	}
	s.mu.Lock()
	if s.demand == nil {
		s.demand = map[string]cachedDemand{}
	}
	s.demand[region] = cachedDemand{at: s.now(), d: d}
	s.mu.Unlock()
	return d, nil
}

type cachedFigures struct {
	at time.Time
	f  Figures
}

// FiguresTTL is how long the figures of a scope are reused; every write
// through the service forgets them at once.
const FiguresTTL = 2 * time.Minute

// scopeKey names what a scope sees, for the cache.
func scopeKey(sc auth.Scope) string {
	return fmt.Sprint(sc.RegionCode, "|", sc.Role, "|", sc.OrgID, "|", sc.Municipalities)
}

// forget drops the cached figures after a write.
func (s *Service) forget() {
	s.mu.Lock()
	s.figures = nil
	s.mu.Unlock()
}

// NewService returns a Service; jobs may be nil when nothing runs in the background.
func NewService(s Store, j Jobs, now func() time.Time) *Service {
	return &Service{store: s, jobs: j, now: now}
}

// CanSee reports whether the scope sees risk scores: the region, employment
// centres (their municipalities), colleges and universities (their students).
func CanSee(sc auth.Scope) bool {
	switch sc.Role {
	case auth.Admin, auth.Region, auth.System, auth.CZN, auth.College, auth.University:
		return true
	}
	return false
}

// CanWorkCases reports whether the scope opens and works cases: an
// employment centre's specialist.
func CanWorkCases(sc auth.Scope) bool { return sc.Role == auth.CZN && sc.OrgID != 0 }

// CanTrain reports whether the scope trains models, scores and sets the threshold.
func CanTrain(sc auth.Scope) bool { return sc.WholeRegion() }

func notAllowed() error {
	return apperr.New(apperr.Forbidden, "прогноз риска видят регион, центры занятости и образовательные организации")
}

// Years are the final graduation year (students of the final course) and
// the recent one (graduates whose status six months on is not known yet).
func Years(now time.Time) (final, recent int) {
	recent = LastKnownYear(now) + 1
	final = recent
	if now.Month() >= time.July {
		final++
	}
	return final, recent
}

// Train trains a model on the region's past cohorts and makes it the one in
// use. A refusal keeps the previous model.
func (s *Service) Train(ctx context.Context, sc auth.Scope, kind Kind, seed uint64) (ModelInfo, error) {
	if !CanTrain(sc) {
		return ModelInfo{}, apperr.New(apperr.Forbidden, "обучать модель может только региональный оператор")
	}
	now := s.now()
	recs, err := s.store.PastGraduates(ctx, sc.RegionCode, LastKnownYear(now))
	if err != nil {
		return ModelInfo{}, err
	}
	d, err := s.store.Demand(ctx, sc.RegionCode)
	if err != nil {
		return ModelInfo{}, err
	}
	t, err := Train(ctx, recs, d, TrainOptions{Kind: kind, Seed: seed, Now: now})
	if err != nil {
		return ModelInfo{}, kept(err)
	}
	data, err := learn.Marshal(t.Model)
	if err != nil {
		return ModelInfo{}, apperr.Input(err)
	}
	m := ModelInfo{RegionCode: sc.RegionCode, Kind: Kind(t.Model.Kind()), Report: t.Report, Data: data, Active: true, CreatedBy: sc.UserID, CreatedAt: now}
	return m, s.store.SaveModel(ctx, &m)
}

// kept adds to a refusal that the model in use stays.
func kept(err error) error {
	var e *apperr.Error
	if errors.As(err, &e) && e.Code == apperr.Invalid {
		return apperr.New(apperr.Invalid, "%s. Модель не обучена, используется прежняя.", trimDot(e.Message))
	}
	return err
}

func trimDot(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '.' || s[len(s)-1] == ' ') {
		s = s[:len(s)-1]
	}
	return s
}

// ScoreResult is what a scoring run did.
type ScoreResult struct {
	ModelID int64 `json:"model_id"`
	Scored  int   `json:"scored"`
	AtRisk  int   `json:"at_risk"`
}

// Score scores the students of the coming graduation and the recent
// graduates still without work with the model in use; progress, when set,
// is told how far it has come.
func (s *Service) Score(ctx context.Context, sc auth.Scope, progress func(done, total int)) (ScoreResult, error) {
	if !CanTrain(sc) {
		return ScoreResult{}, apperr.New(apperr.Forbidden, "запускать расчёт риска может только региональный оператор")
	}
	mi, err := s.store.ActiveModel(ctx, sc.RegionCode)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return ScoreResult{}, apperr.New(apperr.Invalid, "модель ещё не обучена: сначала обучите её на прошлых выпусках")
		}
		return ScoreResult{}, err
	}
	m, err := learn.Unmarshal(mi.Data)
	if err != nil {
		return ScoreResult{}, apperr.Input(err)
	}
	now := s.now()
	final, recent := Years(now)
	recs, err := s.store.ToScore(ctx, sc.RegionCode, final, recent)
	if err != nil {
		return ScoreResult{}, err
	}
	d, err := s.store.Demand(ctx, sc.RegionCode)
	if err != nil {
		return ScoreResult{}, err
	}
	scores, err := ScoreAll(ctx, m, recs, d, progress)
	if err != nil {
		return ScoreResult{}, err
	}
	if err := s.store.SaveScores(ctx, sc.RegionCode, mi.ID, scores, now); err != nil {
		return ScoreResult{}, err
	}
	s.forget()
	th, err := s.Threshold(ctx, sc.RegionCode)
	if err != nil {
		return ScoreResult{}, err
	}
	res := ScoreResult{ModelID: mi.ID, Scored: len(scores)}
	for _, x := range scores {
		if x.Probability >= th {
			res.AtRisk++
		}
	}
	return res, nil
}

// Job kinds.
const (
	JobTrain = "risk.train"
	JobScore = "risk.score"
)

// StartTrain trains in the background: training, then scoring with the new model.
func (s *Service) StartTrain(ctx context.Context, sc auth.Scope, kind Kind, seed uint64) (int64, error) {
	if !CanTrain(sc) {
		return 0, apperr.New(apperr.Forbidden, "обучать модель может только региональный оператор")
	}
	j := &jobs.Job{Kind: JobTrain, Title: "Обучение модели риска и расчёт по выпускникам", UserID: sc.UserID}
	err := s.jobs.Start(context.WithoutCancel(ctx), j, func(ctx context.Context, p jobs.Progress) (any, error) {
		p(0, 0)
		m, err := s.Train(ctx, sc, kind, seed)
		if err != nil {
			return nil, err
		}
		res, err := s.Score(ctx, sc, p)
		return map[string]any{"model_id": m.ID, "kind": m.Kind, "roc_auc": m.Report.Metrics.AUC, "scored": res.Scored, "at_risk": res.AtRisk}, err
	})
	return j.ID, err
}

// StartScore scores in the background with the model in use.
func (s *Service) StartScore(ctx context.Context, sc auth.Scope) (int64, error) {
	if !CanTrain(sc) {
		return 0, apperr.New(apperr.Forbidden, "запускать расчёт риска может только региональный оператор")
	}
	if _, err := s.store.ActiveModel(ctx, sc.RegionCode); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return 0, apperr.New(apperr.Invalid, "модель ещё не обучена: сначала обучите её на прошлых выпусках")
		}
		return 0, err
	}
	j := &jobs.Job{Kind: JobScore, Title: "Расчёт риска по выпускникам", UserID: sc.UserID}
	err := s.jobs.Start(context.WithoutCancel(ctx), j, func(ctx context.Context, p jobs.Progress) (any, error) {
		return s.Score(ctx, sc, p)
	})
	return j.ID, err
}

// Model returns the model in use, or a stored one by id.
func (s *Service) Model(ctx context.Context, sc auth.Scope, id int64) (ModelInfo, error) {
	if !CanSee(sc) {
		return ModelInfo{}, notAllowed()
	}
	if id == 0 {
		return s.store.ActiveModel(ctx, sc.RegionCode)
	}
	return s.store.Model(ctx, sc.RegionCode, id)
}

// Models lists the region's models, newest first.
func (s *Service) Models(ctx context.Context, sc auth.Scope) ([]ModelInfo, error) {
	if !CanSee(sc) {
		return nil, notAllowed()
	}
	return s.store.Models(ctx, sc.RegionCode, 20)
}

// Threshold is the region's threshold of risk.
func (s *Service) Threshold(ctx context.Context, region string) (float64, error) {
	t, ok, err := s.store.Threshold(ctx, region)
	if err != nil {
		return DefaultThreshold, err
	}
	return ThresholdOr(t, ok), nil
}

// ThresholdOr is the threshold in force: the region's t when it has chosen
// one (set), DefaultThreshold otherwise.
func ThresholdOr(t float64, set bool) float64 {
	if !set {
		return DefaultThreshold
	}
	return t
}

// SetThreshold chooses the region's threshold.
func (s *Service) SetThreshold(ctx context.Context, sc auth.Scope, t float64) error {
	if !CanTrain(sc) {
		return apperr.New(apperr.Forbidden, "порог риска выбирает региональный оператор")
	}
	if err := checkThreshold(t); err != nil {
		return err
	}
	defer s.forget()
	return s.store.SetThreshold(ctx, sc.RegionCode, t, s.now())
}

func checkThreshold(t float64) error {
	if !(t > 0 && t < 1) {
		return apperr.Field("threshold", "порог риска — вероятность больше 0 и меньше 1 (например, 0,3), а не %s", strconv.FormatFloat(t, 'g', 4, 64))
	}
	return nil
}

// ParseThreshold reads a threshold as a person writes it: «0,3», «0.3» or «30 %».
func ParseThreshold(s string) (float64, error) {
	v := []rune{}
	percent := false
	for _, r := range s {
		switch {
		case r == ',':
			v = append(v, '.')
		case r == '%':
			percent = true
		case r == ' ' || r == '\u00a0' || r == '\u202f':
		default:
			v = append(v, r)
		}
	}
	t, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		return 0, apperr.Field("threshold", "порог риска «%s» — не число: укажите, например, 0,3 или 30 %%", s)
	}
	if percent || t >= 1 {
		t /= 100
	}
	return t, checkThreshold(t)
}

// List returns a page of scored students the caller sees. A zero threshold
// is the region's.
func (s *Service) List(ctx context.Context, sc auth.Scope, f Filter) ([]Row, int, error) {
	if !CanSee(sc) {
		return nil, 0, notAllowed()
	}
	if f.Threshold == 0 {
		t, err := s.Threshold(ctx, sc.RegionCode)
		if err != nil {
			return nil, 0, err
		}
		f.Threshold = t
	} else if err := checkThreshold(f.Threshold); err != nil {
		return nil, 0, err
	}
	switch f.Sort {
	case "", SortRisk, SortName, SortOrg:
	default:
		return nil, 0, apperr.Field("sort", "неизвестный порядок «%s»: risk, name или org", f.Sort)
	}
	switch f.Case {
	case "", "with", "without":
	default:
		return nil, 0, apperr.Field("case", "отбор по случаю: with или without, а не «%s»", f.Case)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return s.store.Scores(ctx, sc, f)
}

// Learner is a student's risk as the card shows it.
type Learner struct {
	Scored  bool
	Row     Row
	Record  Record
	Missing []string // features the record lacks
	Cases   []Case
}

// ForLearner returns a learner's score, the data it lacks and the cases.
// A learner outside the scope is not found, as if missing.
func (s *Service) ForLearner(ctx context.Context, sc auth.Scope, id int64) (Learner, error) {
	if !CanSee(sc) {
		return Learner{}, notAllowed()
	}
	rec, err := s.store.Record(ctx, sc, id)
	if err != nil {
		return Learner{}, err
	}
	out := Learner{Record: rec}
	row, err := s.store.RiskOf(ctx, sc, id)
	switch {
	case err == nil:
		out.Scored, out.Row = true, row
	case !apperr.Is(err, apperr.NotFound):
		return out, err
	}
	d, err := s.regionDemand(ctx, sc.RegionCode)
	if err != nil {
		return out, err
	}
	out.Missing = rec.Missing(d)
	out.Cases, err = s.store.CasesOf(ctx, sc, id)
	return out, err
}

// Figures are the early-warning figures of what the caller sees.
func (s *Service) Figures(ctx context.Context, sc auth.Scope) (Figures, error) {
	if !CanSee(sc) {
		return Figures{}, notAllowed()
	}
	key := scopeKey(sc)
	s.mu.Lock()
	c, ok := s.figures[key]
	s.mu.Unlock()
	if ok && s.now().Sub(c.at) < FiguresTTL {
		return c.f, nil
	}
	t, err := s.Threshold(ctx, sc.RegionCode)
	if err != nil {
		return Figures{}, err
	}
	f, err := s.store.Figures(ctx, sc, t)
	if err != nil {
		return f, err
	}
	s.mu.Lock()
	if s.figures == nil {
		s.figures = map[string]cachedFigures{}
	}
	s.figures[key] = cachedFigures{at: s.now(), f: f}
	s.mu.Unlock()
	return f, nil
}

// SaveRecord writes a student's attendance, debts and social status; those
// who edit the learner's roster may.
func (s *Service) SaveRecord(ctx context.Context, sc auth.Scope, r StudyRecord) error {
	if !sc.CanEditLearners() {
		return apperr.New(apperr.Forbidden, "сведения об учёбе вносит образовательная организация или регион")
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return s.store.SaveRecord(ctx, sc, r)
}
