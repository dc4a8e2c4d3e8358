package balance

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

// NeedFilter narrows the list of declared needs.
type NeedFilter struct {
	EmployerID int64
	Specialty  string
}

// Org is an organisation found by its ИНН.
type Org struct {
	ID   int64
	Name string
	Kind string
}

// ttl is how long a computed balance stays fresh. Loading a region of a
// million learners and forecasting a few hundred series takes a second or
// two; every write through the Service forgets what was computed.
const ttl = 2 * time.Minute

// Service is the logic of the balance: who sees and changes what.
type Service struct {
	store Store
	now   func() time.Time

	mu    sync.Mutex
	cache map[string]*entry
}

type entry struct {
	at   time.Time
	res  Result
	in   Input
	err  error
	done chan struct{}
}

// NewService returns a Service.
func NewService(s Store, now func() time.Time) *Service {
	return &Service{store: s, now: now}
}

// Now is the service's clock, for pages that show years.
func (s *Service) Now() time.Time { return s.now() }

// SchoolYear is the year the school year of t began (the first of September).
func SchoolYear(t time.Time) int {
	if t.Month() < time.September {
		return t.Year() - 1
	}
	return t.Year()
}

// CanSee reports whether the scope sees the balance: the region, employment
// centres, colleges, universities and employers. It holds no person.
func CanSee(sc auth.Scope) bool {
	switch sc.Role {
	case auth.Admin, auth.Region, auth.System, auth.CZN, auth.College, auth.University, auth.Employer:
		return true
	}
	return false
}

// CanPlan reports whether the scope makes scenarios and loads the age
// structure: the region.
func CanPlan(sc auth.Scope) bool { return sc.WholeRegion() }

// CanDeclare reports whether the scope declares needs: an employer its own,
// the region any employer's.
func CanDeclare(sc auth.Scope) bool {
	return sc.WholeRegion() || sc.Role == auth.Employer && sc.OrgID != 0
}

// CanSetCapacity reports whether the scope sets capacities: a college or a
// university its own, the region any.
func CanSetCapacity(sc auth.Scope) bool {
	return sc.WholeRegion() || (sc.Role == auth.College || sc.Role == auth.University) && sc.OrgID != 0
}

func notAllowed() error {
	return apperr.New(apperr.Forbidden, "баланс кадров видят регион, центры занятости, образовательные организации и работодатели")
}

// Balance computes the region's balance, with a saved scenario when
// scenarioID is not zero. A college or university gets the region's figures
// with the proposals of its own organisation only.
func (s *Service) Balance(ctx context.Context, sc auth.Scope, scenarioID int64) (Result, error) {
	res, _, err := s.balance(ctx, sc, scenarioID)
	return res, err
}

// balance is Balance with the input it was computed from.
func (s *Service) balance(ctx context.Context, sc auth.Scope, scenarioID int64) (Result, Input, error) {
	if !CanSee(sc) {
		return Result{}, Input{}, notAllowed()
	}
	var scen *Scenario
	key := sc.RegionCode + "|0"
	if scenarioID != 0 {
		if !CanPlan(sc) {
			return Result{}, Input{}, apperr.New(apperr.Forbidden, "сценарии составляет и смотрит региональный оператор")
		}
		x, err := s.store.Scenario(ctx, sc.RegionCode, scenarioID)
		if err != nil {
			return Result{}, Input{}, err
		}
		scen = &x
		key = fmt.Sprintf("%s|%d|%d", sc.RegionCode, x.ID, x.UpdatedAt.UnixNano())
	}
	e := s.get(ctx, key, func() (Result, Input, error) {
		in, err := s.input(ctx, sc.RegionCode)
		if err != nil {
			return Result{}, in, err
		}
		res, err := Compute(in, scen)
		return res, in, err
	})
	if e.err != nil {
		return Result{}, Input{}, e.err
	}
	return scoped(sc, e.res), e.in, nil
}

// scoped keeps the proposals an organisation may see: its own.
func scoped(sc auth.Scope, r Result) Result {
	if sc.WholeRegion() {
		return r
	}
	var own []Proposal
	if sc.Role == auth.College || sc.Role == auth.University {
		for _, p := range r.Proposals {
			if p.OrgID == sc.OrgID {
				own = append(own, p)
			}
		}
	}
	r.Proposals = own
	return r
}

// input loads the input of a region with the service's clock.
func (s *Service) input(ctx context.Context, region string) (Input, error) {
	now := s.now()
	in, err := s.store.Input(ctx, region, now)
	if err != nil {
		return Input{}, err
	}
	in.Now, in.SchoolYear = now, SchoolYear(now)
	return in, nil
}

// get returns the fresh entry of key, computing it once when it is missing
// or stale; those who come meanwhile wait for it.
func (s *Service) get(ctx context.Context, key string, fn func() (Result, Input, error)) *entry {
	now := s.now()
	s.mu.Lock()
	if s.cache == nil {
		s.cache = map[string]*entry{}
	}
	e, ok := s.cache[key]
	if ok {
		select {
		case <-e.done:
			ok = e.err == nil && now.Sub(e.at) <= ttl
		default:
		}
	}
	if !ok {
		e = &entry{at: now, done: make(chan struct{})}
		s.cache[key] = e
		s.mu.Unlock()
		e.res, e.in, e.err = fn()
		close(e.done)
		return e
	}
	s.mu.Unlock()
	select {
	case <-e.done:
		return e
	case <-ctx.Done():
		return &entry{err: ctx.Err()}
	}
}

// forget drops every computed balance: something was written.
func (s *Service) forget() {
	s.mu.Lock()
	s.cache = nil
	s.mu.Unlock()
}

// Input returns what the balance of the caller's region is computed from,
// for the forms that pick organisations and specialties.
func (s *Service) Input(ctx context.Context, sc auth.Scope) (Input, error) {
	_, in, err := s.balance(ctx, sc, 0)
	return in, err
}

// Programmes lists the programmes the scope may see with their capacity and
// admission: the region all, a college or university its own.
func (s *Service) Programmes(ctx context.Context, sc auth.Scope) ([]Programme, error) {
	in, err := s.Input(ctx, sc)
	if err != nil {
		return nil, err
	}
	all := Programmes(in)
	if sc.WholeRegion() {
		return all, nil
	}
	var own []Programme
	for _, p := range all {
		if (sc.Role == auth.College || sc.Role == auth.University) && p.OrgID == sc.OrgID {
			own = append(own, p)
		}
	}
	return own, nil
}

// Needs lists the declared needs the scope may see: an employer its own,
// the region all.
func (s *Service) Needs(ctx context.Context, sc auth.Scope, f NeedFilter) ([]Need, error) {
	if !CanDeclare(sc) {
		return nil, apperr.New(apperr.Forbidden, "заявленную потребность видят работодатель (свою) и региональный оператор")
	}
	if !sc.WholeRegion() {
		f.EmployerID = sc.OrgID
	}
	return s.store.Needs(ctx, sc, f)
}

// Declare saves an employer's declared need. An employer declares for
// itself; the region names the employer.
func (s *Service) Declare(ctx context.Context, sc auth.Scope, n *Need) error {
	if !CanDeclare(sc) {
		return apperr.New(apperr.Forbidden, "заявлять потребность может работодатель или региональный оператор")
	}
	if !sc.WholeRegion() {
		n.EmployerID = sc.OrgID
	}
	n.RegionCode, n.CreatedBy, n.UpdatedAt = sc.RegionCode, sc.UserID, s.now()
	if n.BaseYear == 0 {
		n.BaseYear = s.now().Year()
	}
	if n.Source == "" {
		n.Source = "form"
	}
	if err := n.Check(s.now()); err != nil {
		return err
	}
	saved := []Need{*n}
	if err := s.store.SaveNeeds(ctx, sc, saved); err != nil {
		return err
	}
	n.ID = saved[0].ID
	s.forget()
	return nil
}

// Check checks a need before it is stored.
func (n *Need) Check(now time.Time) error {
	n.Specialty = strings.TrimSpace(n.Specialty)
	n.Note = strings.TrimSpace(n.Note)
	var errs apperr.List
	if n.EmployerID <= 0 {
		errs.Add("employer_id", "укажите работодателя")
	}
	if n.Specialty == "" {
		errs.Add("specialty_code", "укажите специальность")
	}
	if err := checkCountHorizon(n.Count, n.Horizon); err != nil {
		errs = append(errs, err.(*apperr.Error))
	}
	if n.BaseYear < now.Year()-10 || n.BaseYear > now.Year()+1 {
		errs.Add("base_year", "год заявки %d: допустимы %d–%d", n.BaseYear, now.Year()-10, now.Year()+1)
	}
	if len([]rune(n.Note)) > 500 {
		errs.Add("note", "примечание длиннее 500 знаков")
	}
	return errs.Err()
}

// DeleteNeed removes a declared need the scope may change.
func (s *Service) DeleteNeed(ctx context.Context, sc auth.Scope, id int64) error {
	if !CanDeclare(sc) {
		return apperr.New(apperr.Forbidden, "удалять заявленную потребность может работодатель или региональный оператор")
	}
	if err := s.store.DeleteNeed(ctx, sc, id); err != nil {
		return err
	}
	s.forget()
	return nil
}

// SetCapacity saves the capacity and plan of admission of a programme.
func (s *Service) SetCapacity(ctx context.Context, sc auth.Scope, c Capacity) error {
	if !CanSetCapacity(sc) {
		return apperr.New(apperr.Forbidden, "вместимость указывает образовательная организация (свою) или региональный оператор")
	}
	if !sc.WholeRegion() {
		c.OrgID = sc.OrgID
	}
	if err := c.Check(); err != nil {
		return err
	}
	c.UpdatedAt = s.now()
	if err := s.store.SaveCapacities(ctx, sc, []Capacity{c}); err != nil {
		return err
	}
	s.forget()
	return nil
}

// Check checks a capacity before it is stored.
func (c *Capacity) Check() error {
	var errs apperr.List
	if c.OrgID <= 0 {
		errs.Add("org_id", "укажите образовательную организацию")
	}
	if strings.TrimSpace(c.Specialty) == "" {
		errs.Add("specialty_code", "укажите специальность")
	}
	switch {
	case c.Capacity <= 0:
		errs.Add("capacity", "вместимость — положительное число мест в год, указано %d", c.Capacity)
	case c.Capacity > MaxCount:
		errs.Add("capacity", "вместимость %d мест больше возможной (%d)", c.Capacity, MaxCount)
	}
	if c.Plan < 0 {
		errs.Add("plan", "план приёма не может быть отрицательным: %d", c.Plan)
	} else if c.Capacity > 0 && c.Plan > c.Capacity {
		errs.Add("plan", "план приёма %d больше вместимости %d", c.Plan, c.Capacity)
	}
	return errs.Err()
}

// Scenarios lists the region's scenarios.
func (s *Service) Scenarios(ctx context.Context, sc auth.Scope) ([]Scenario, error) {
	if !CanPlan(sc) {
		return nil, apperr.New(apperr.Forbidden, "сценарии составляет и смотрит региональный оператор")
	}
	return s.store.Scenarios(ctx, sc.RegionCode)
}

// Scenario returns a scenario of the region.
func (s *Service) Scenario(ctx context.Context, sc auth.Scope, id int64) (Scenario, error) {
	if !CanPlan(sc) {
		return Scenario{}, apperr.New(apperr.Forbidden, "сценарии составляет и смотрит региональный оператор")
	}
	return s.store.Scenario(ctx, sc.RegionCode, id)
}

// SaveScenario checks a scenario against the region's data and stores it:
// a new one when its ID is zero.
func (s *Service) SaveScenario(ctx context.Context, sc auth.Scope, x *Scenario) error {
	if !CanPlan(sc) {
		return apperr.New(apperr.Forbidden, "сценарии составляет региональный оператор")
	}
	in, err := s.input(ctx, sc.RegionCode)
	if err != nil {
		return err
	}
	if err := x.Check(in); err != nil {
		return err
	}
	x.RegionCode, x.UpdatedAt = sc.RegionCode, s.now()
	if x.ID == 0 {
		x.CreatedBy, x.CreatedAt = sc.UserID, x.UpdatedAt
	}
	return s.store.SaveScenario(ctx, x)
}

// DeleteScenario removes a scenario.
func (s *Service) DeleteScenario(ctx context.Context, sc auth.Scope, id int64) error {
	if !CanPlan(sc) {
		return apperr.New(apperr.Forbidden, "сценарии составляет региональный оператор")
	}
	return s.store.DeleteScenario(ctx, sc.RegionCode, id)
}

// SetMaxChange sets the region's limit on a proposal's change of a
// programme's admission in a year, a share from 1 % to 100 %.
func (s *Service) SetMaxChange(ctx context.Context, sc auth.Scope, share float64) error {
	if !CanPlan(sc) {
		return apperr.New(apperr.Forbidden, "предел изменения приёма устанавливает региональный оператор")
	}
	if !(share >= 0.01 && share <= 1) {
		return apperr.Field("max_change", "предел изменения приёма — число процентов от 1 до 100")
	}
	if err := s.store.SetMaxChange(ctx, sc.RegionCode, share, s.now()); err != nil {
		return err
	}
	s.forget()
	return nil
}

// MaxChange is the region's limit on a proposal's change, the default when
// it has set none.
func (s *Service) MaxChange(ctx context.Context, sc auth.Scope) (float64, error) {
	if !CanSee(sc) {
		return 0, notAllowed()
	}
	share, _, err := s.store.MaxChange(ctx, sc.RegionCode)
	if err != nil {
		return 0, err
	}
	return Input{MaxChange: share}.maxChange(), nil
}

// FromProposals makes a scenario of the balance's proposals; the proposals
// beyond the region's limit take the admission asked only when their IDs
// are in confirm, and stay within the limit otherwise.
func (s *Service) FromProposals(ctx context.Context, sc auth.Scope, name string, confirm []string) (Scenario, error) {
	if !CanPlan(sc) {
		return Scenario{}, apperr.New(apperr.Forbidden, "сценарии составляет региональный оператор")
	}
	res, err := s.Balance(ctx, sc, 0)
	if err != nil {
		return Scenario{}, err
	}
	if len(res.Proposals) == 0 {
		return Scenario{}, apperr.New(apperr.Invalid, "предложений по приёму нет: баланс сходится в пределах интервалов прогноза или вместимость не указана")
	}
	props, err := Confirmed(res.Proposals, confirm)
	if err != nil {
		return Scenario{}, err
	}
	x := Scenario{Name: name, Admissions: AsScenario(props)}
	if strings.TrimSpace(x.Name) == "" {
		x.Name = "Предложения по приёму от " + s.now().Format("02.01.2006")
	}
	return x, s.SaveScenario(ctx, sc, &x)
}

// Employer finds an employer of the caller's region by its ИНН, for the
// region's form of needs.
func (s *Service) Employer(ctx context.Context, sc auth.Scope, inn string) (Org, error) {
	inn = strings.TrimSpace(inn)
	orgs, err := s.store.EmployersByINN(ctx, sc.RegionCode, []string{inn})
	if err != nil {
		return Org{}, err
	}
	o, ok := orgs[inn]
	switch {
	case !ok:
		return Org{}, apperr.Field("employer_inn", "организация с ИНН «%s» не найдена в регионе", inn)
	case o.Kind != "employer":
		return Org{}, apperr.Field("employer_inn", "«%s» (ИНН %s) — не работодатель", o.Name, inn)
	}
	return o, nil
}
