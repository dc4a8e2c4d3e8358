package analytics

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
)

// Figures are the counts behind the headline measures of one organisation,
// or of any sum of organisations: a municipality, the region. The catalogue
// of measures (package kpi) says which counts make each measure.
type Figures struct {
	Pupils, Reached     int // pupils of grades 6–11; reached by guidance this school year
	HoursMet            int // of the pupils, those whose профминимум hours meet their school's level
	Seniors, Informed   int // pupils of grades 9–11; informed about targeted education
	Graduates, Working  int // graduates of the latest year six months on; occupied then
	Unknown6            int // of Graduates, those whose status six months on is not known
	Graduates12         int // graduates of the latest year twelve months on
	Working12           int // of them, occupied twelve months on
	Unknown12           int // of them, status twelve months on not known
	Employed, Retained  int // of the latest year twelve months on: occupied six months on; still so at twelve
	Hired, SameEmployer int // of the latest year twelve months on: at work for an employer six months on; with the same one at twelve
	RatingGraduates     int // graduates of the rating's year (the year before the current one)
	RatingWorking       int // of them, at work at some time in the year after graduation
	Students, Contract  int // students; under a targeted-education contract
	FullTime, Mentored  int // full-time students; with an active mentor
	MentoredEnterprise  int // of Mentored, with a mentor at an enterprise
	ContractsEnded      int // targeted contracts whose obligation to work came to an end
	ContractsFulfilled  int // of them, fulfilled
	AtRisk, WithCase    int // students and recent graduates at risk; with an employment-centre case
	// Region-wide counts from other parts, on the region's level only.
	ProgrammeDone     int // completed an active-employment programme three or more months ago
	ProgrammeEmployed int // of them, at work within three months of completion
	ProgrammeUnknown  int // of them, with no known result
	DemandNeed        int // the region's forecast need for workers in the first year ahead
	DemandClosed      int // of it, what the graduates of the year close
}

// Add adds o's counts to f.
func (f *Figures) Add(o Figures) {
	f.Pupils += o.Pupils
	f.Reached += o.Reached
	f.HoursMet += o.HoursMet
	f.Seniors += o.Seniors
	f.Informed += o.Informed
	f.Graduates += o.Graduates
	f.Working += o.Working
	f.Unknown6 += o.Unknown6
	f.Graduates12 += o.Graduates12
	f.Working12 += o.Working12
	f.Unknown12 += o.Unknown12
	f.Employed += o.Employed
	f.Retained += o.Retained
	f.Hired += o.Hired
	f.SameEmployer += o.SameEmployer
	f.RatingGraduates += o.RatingGraduates
	f.RatingWorking += o.RatingWorking
	f.Students += o.Students
	f.Contract += o.Contract
	f.FullTime += o.FullTime
	f.Mentored += o.Mentored
	f.MentoredEnterprise += o.MentoredEnterprise
	f.ContractsEnded += o.ContractsEnded
	f.ContractsFulfilled += o.ContractsFulfilled
	f.AtRisk += o.AtRisk
	f.WithCase += o.WithCase
	f.ProgrammeDone += o.ProgrammeDone
	f.ProgrammeEmployed += o.ProgrammeEmployed
	f.ProgrammeUnknown += o.ProgrammeUnknown
	f.DemandNeed += o.DemandNeed
	f.DemandClosed += o.DemandClosed
}

// Funnel is one graduation cohort's way from school to a job that lasts.
type Funnel struct {
	Year       int
	Admitted   int // studied at a college or university of the region
	FromSchool int // of them, came from a school of the region
	Guided     int // of them, took part in guidance at school
	Practice   int // had practice at an employer
	Mentor     int // had a mentor
	Contract   int // studied under a targeted-education contract
	Graduated  int
	Working6   int // at work, in study or service six months after graduation
	Working12  int // and twelve months after
}

// Add adds o's counts to f.
func (f *Funnel) Add(o Funnel) {
	f.Admitted += o.Admitted
	f.FromSchool += o.FromSchool
	f.Guided += o.Guided
	f.Practice += o.Practice
	f.Mentor += o.Mentor
	f.Contract += o.Contract
	f.Graduated += o.Graduated
	f.Working6 += o.Working6
	f.Working12 += o.Working12
}

// Cell is where a count stands: the organisation a learner belongs to and
// the municipality the learner lives in. An organisation's figures are the
// sum of its cells; a municipality's, of the cells of those who live there
// (the youth of the municipality, as an employment centre serves it).
type Cell struct{ Org, Municipality int64 }

// RatingYear is the graduation year the national rating counts on day now:
// the year before, whose second year after graduation is under way.
func RatingYear(now time.Time) int { return now.Year() - 1 }

// Unit is an organisation as monitoring sees it.
type Unit struct {
	ID             int64
	Name           string
	Kind           string
	MunicipalityID int64
	Municipality   string
}

// Snapshot is the region's figures by organisation at one moment.
type Snapshot struct {
	Region string
	At     time.Time
	Year   int // the latest graduation year six months on
	Year12 int // the latest graduation year twelve months on
	Units  map[int64]Unit
	// Municipalities names the region's municipalities by id.
	Municipalities map[int64]string
	Figures        map[Cell]Figures        // by organisation and municipality of residence
	Funnels        map[Cell]map[int]Funnel // by cell, then graduation year
	Months         []MonthFigures          // the region's trend by month
	Extra          Figures                 // region-wide counts from other parts: programmes, demand
	// Fresh is when the snapshot was last brought up to date: the full count,
	// or a recount of the organisations a write touched since.
	Fresh time.Time
	// RatingYear is the graduation year the national rating counts.
	RatingYear int
}

// MonthFigures is the region's trend for one month.
type MonthFigures struct {
	Month    time.Time
	Reached  int // pupils reached by guidance by the month's end, this school year
	Informed int
	Cases    int // employment-centre cases opened in the month
	Closed   int // of them closed since
}

// MonitorStore computes a snapshot from the data: of the whole region, or,
// when orgs is not empty, of those organisations alone.
type MonitorStore interface {
	MonitorSnapshot(ctx context.Context, region string, now time.Time, orgs []int64) (Snapshot, error)
}

// ExtraSource adds region-wide counts to the snapshot (the balance's closure
// of demand, programmes of employment measures), as of the day given.
type ExtraSource func(ctx context.Context, region string, at time.Time) (Figures, error)

// Monitor serves every page that shows the region's figures from one
// snapshot of counts by organisation: every level, from the region to an
// organisation, is a sum of the same rows, so no two pages disagree and no
// page reads learners at request time. A write marks what it touched
// (Touch); the next read recounts those organisations before it answers, so
// the scope that wrote sees its write at once. The whole region is counted
// again in the background when the snapshot is older than SnapshotTTL, and
// the stale one is served meanwhile.
type Monitor struct {
	store  MonitorStore
	extras []ExtraSource
	now    func() time.Time

	mu      sync.Mutex
	snap    map[string]*Snapshot
	running map[string]bool
	wait    map[string]chan struct{}
	dirty   map[string]map[int64]bool // organisations to recount, by region
	all     map[string]bool           // the whole region to recount before the next read
	again   map[string]bool           // a count to begin when the one under way ends
	next    map[string]chan struct{}  // closed when that count ends
	recount sync.Mutex                // one recount of touched organisations at a time
}

// SnapshotTTL is how long a snapshot is served before it is computed again.
const SnapshotTTL = 5 * time.Minute

// NewMonitor returns a Monitor on the store.
func NewMonitor(s MonitorStore, now func() time.Time, extras ...ExtraSource) *Monitor {
	return &Monitor{store: s, now: now, extras: extras, snap: map[string]*Snapshot{}, running: map[string]bool{},
		wait: map[string]chan struct{}{}, dirty: map[string]map[int64]bool{}, all: map[string]bool{},
		again: map[string]bool{}, next: map[string]chan struct{}{}}
}

// Touch marks organisations whose figures a write changed; with none, the
// whole region. The next read counts them again.
func (m *Monitor) Touch(region string, orgs ...int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(orgs) == 0 {
		m.all[region] = true
		return
	}
	if m.dirty[region] == nil {
		m.dirty[region] = map[int64]bool{}
	}
	for _, id := range orgs {
		m.dirty[region][id] = true
	}
}

// FreshWait is how long a page waits for the recount of the whole region
// after a write that may have touched any of it; a recount that takes longer
// (a region of a million) lands in the background, and the page says how
// old its figures are.
const FreshWait = 2 * time.Second

// Snapshot returns the region's snapshot up to date with every write: the
// one in memory with the touched organisations recounted; after a write that
// may have touched any organisation, the region recounted (waiting up to
// FreshWait for it); a stale one at once while a new one is computed; and,
// when there is none yet, the new one when it is ready.
func (m *Monitor) Snapshot(ctx context.Context, region string) (*Snapshot, error) {
	m.mu.Lock()
	s := m.snap[region]
	whole := m.all[region]
	var done chan struct{}
	if s == nil || whole || m.now().Sub(s.At) >= SnapshotTTL {
		m.all[region] = false
		done = m.startLocked(ctx, region, whole)
	}
	m.mu.Unlock()
	switch {
	case s == nil:
		select {
		case <-done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	case whole:
		select {
		case <-done:
		case <-time.After(FreshWait):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	m.mu.Lock()
	s = m.snap[region]
	m.mu.Unlock()
	if s == nil {
		return nil, apperr.New(apperr.Internal, "показатели региона не удалось посчитать: подробности в журнале сервера")
	}
	return m.recountTouched(ctx, region)
}

// startLocked starts counting the region in the background unless a count
// runs already; again asks for a count that begins after this moment, so a
// count under way is followed by another. It returns the channel closed
// when the count asked for is done.
func (m *Monitor) startLocked(ctx context.Context, region string, again bool) chan struct{} {
	if m.running[region] {
		if again {
			m.again[region] = true
			if m.next[region] == nil {
				m.next[region] = make(chan struct{})
			}
			return m.next[region]
		}
		return m.wait[region]
	}
	m.running[region] = true
	done := make(chan struct{})
	m.wait[region] = done
	go m.refresh(context.WithoutCancel(ctx), region, done)
	return done
}

// recountTouched counts again the organisations writes touched and puts
// their rows into a copy of the snapshot.
func (m *Monitor) recountTouched(ctx context.Context, region string) (*Snapshot, error) {
	m.recount.Lock()
	defer m.recount.Unlock()
	m.mu.Lock()
	s := m.snap[region]
	var orgs []int64
	for id := range m.dirty[region] {
		orgs = append(orgs, id)
	}
	delete(m.dirty, region)
	m.mu.Unlock()
	if len(orgs) == 0 || s == nil {
		return s, nil
	}
	slices.Sort(orgs)
	part, err := m.store.MonitorSnapshot(ctx, region, m.now(), orgs)
	if err != nil {
		m.Touch(region, orgs...) // not counted: try again on the next read
		return nil, err
	}
	next := *s
	next.Figures = maps.Clone(s.Figures)
	next.Funnels = maps.Clone(s.Funnels)
	next.Units = maps.Clone(s.Units)
	touched := map[int64]bool{}
	for _, id := range orgs {
		touched[id] = true
	}
	maps.DeleteFunc(next.Figures, func(c Cell, _ Figures) bool { return touched[c.Org] })
	maps.DeleteFunc(next.Funnels, func(c Cell, _ map[int]Funnel) bool { return touched[c.Org] })
	maps.Copy(next.Units, part.Units)
	maps.Copy(next.Figures, part.Figures)
	maps.Copy(next.Funnels, part.Funnels)
	next.Fresh = part.At
	m.mu.Lock()
	if m.snap[region] == s {
		m.snap[region] = &next
	}
	m.mu.Unlock()
	return &next, nil
}

// Forget drops the region's snapshot, so that the next page computes a new one.
func (m *Monitor) Forget(region string) { m.Touch(region) }

// At counts the region's snapshot as of a past day, without keeping it:
// cohorts, school year and events are those of that day.
func (m *Monitor) At(ctx context.Context, region string, day time.Time) (*Snapshot, error) {
	s, err := m.count(ctx, region, day)
	if err != nil {
		return nil, err
	}
	return &s, nil
}

func (m *Monitor) count(ctx context.Context, region string, at time.Time) (Snapshot, error) {
	s, err := m.store.MonitorSnapshot(ctx, region, at, nil)
	if err != nil {
		return s, err
	}
	s.Fresh = s.At
	for _, x := range m.extras {
		f, err := x(ctx, region, at)
		if err != nil {
			return s, err
		}
		s.Extra.Add(f)
	}
	return s, nil
}

func (m *Monitor) refresh(ctx context.Context, region string, done chan struct{}) {
	s, err := m.count(ctx, region, m.now())
	m.mu.Lock()
	if err == nil {
		m.snap[region] = &s
	}
	close(done)
	m.running[region] = false
	if m.again[region] {
		// A write asked for a count after this one began.
		m.again[region] = false
		next := m.next[region]
		m.next[region] = nil
		m.running[region] = true
		m.wait[region] = next
		go m.refresh(ctx, region, next)
	}
	m.mu.Unlock()
}

// Level is where a monitoring page stands: the region, a municipality or an organisation.
type Level struct {
	Kind string // region, centre (an employment centre's municipalities), municipality, organisation
	ID   int64
	Name string
	Up   *Level // the level above, for the way back
	// Municipalities are a centre's municipalities.
	Municipalities []int64
}

// Child is one row of the table under a level.
type Child struct {
	Level   Level
	Kind    string // of an organisation
	Figures Figures
}

// View is a monitoring page's content.
type View struct {
	Level      Level
	At         time.Time
	Year       int
	Year12     int
	Figures    Figures
	Children   []Child
	Funnels    []Funnel
	Months     []MonthFigures
	Fresh      time.Time // when the figures were last brought up to date
	RatingYear int
	// Persons tells whether the caller may open the lists of persons behind
	// the numbers of an organisation.
	Persons bool
}

// CanMonitor reports whether the scope sees monitoring: everyone who works
// with the region's figures, not a learner.
func CanMonitor(sc auth.Scope) bool { return !sc.Own() && sc.Role != "" }

// View returns the figures of a level the caller may see: the region (its
// users and the federal operator… who see no person), a municipality of the
// region or of a centre, an organisation of one's own.
func (m *Monitor) View(ctx context.Context, sc auth.Scope, kind string, id int64) (View, error) {
	if !CanMonitor(sc) {
		return View{}, apperr.New(apperr.Forbidden, "мониторинг видят сотрудники организаций и органов власти")
	}
	s, err := m.Snapshot(ctx, sc.RegionCode)
	if err != nil {
		return View{}, err
	}
	return view(s, sc, kind, id)
}

// ViewAt is View on the figures as of a past moment, counted afresh.
func (m *Monitor) ViewAt(ctx context.Context, sc auth.Scope, kind string, id int64, at time.Time) (View, error) {
	if !CanMonitor(sc) {
		return View{}, apperr.New(apperr.Forbidden, "мониторинг видят сотрудники организаций и органов власти")
	}
	s, err := m.At(ctx, sc.RegionCode, at)
	if err != nil {
		return View{}, err
	}
	return view(s, sc, kind, id)
}

func view(s *Snapshot, sc auth.Scope, kind string, id int64) (View, error) {
	if kind == "" {
		kind, id = defaultLevel(sc, s)
	}
	v := View{At: s.At, Fresh: s.Fresh, Year: s.Year, Year12: s.Year12, RatingYear: s.RatingYear}
	region := Level{Kind: "region", Name: "Регион"}
	switch kind {
	case "region":
		if !seesRegion(sc) {
			return View{}, apperr.New(apperr.Forbidden, "показатели всего региона видит региональный оператор")
		}
		v.Level = region
		v.Months = s.Months
		v.Figures.Add(s.Extra) // region-wide counts of other parts
	case "municipality":
		name, ok := municipalityName(s, id)
		if !ok || !seesMunicipality(sc, id) {
			return View{}, apperr.New(apperr.NotFound, "муниципальное образование не найдено")
		}
		v.Level = Level{Kind: kind, ID: id, Name: name}
		if seesRegion(sc) {
			v.Level.Up = &region
		}
	case "centre":
		// The municipalities an employment centre serves, together.
		if sc.Role != auth.CZN || len(sc.Municipalities) == 0 {
			return View{}, apperr.New(apperr.NotFound, "муниципальные образования центра занятости не найдены")
		}
		v.Level = Level{Kind: kind, Name: "Муниципальные образования центра занятости", Municipalities: sc.Municipalities}
	case "organisation":
		u, ok := s.Units[id]
		if !ok || !seesOrganisation(sc, u) {
			return View{}, apperr.New(apperr.NotFound, "организация не найдена")
		}
		v.Level = Level{Kind: kind, ID: id, Name: u.Name}
		if seesMunicipality(sc, u.MunicipalityID) {
			v.Level.Up = &Level{Kind: "municipality", ID: u.MunicipalityID, Name: u.Municipality}
		}
		v.Persons = sc.SeesPersons() && (sc.WholeRegion() || sc.OrgID == id || sc.Role == auth.CZN)
	default:
		return View{}, apperr.Field("level", "уровень «%s» неизвестен: region, centre, municipality или organisation", kind)
	}
	byMuni := map[int64]*Child{}
	byOrg := map[int64]*Child{}
	funnels := map[int]*Funnel{}
	for c, f := range s.Figures {
		if !inLevel(v.Level, c) {
			continue
		}
		v.Figures.Add(f)
		switch v.Level.Kind {
		case "region", "centre":
			ch := byMuni[c.Municipality]
			if ch == nil {
				ch = &Child{Level: Level{Kind: "municipality", ID: c.Municipality, Name: s.Municipalities[c.Municipality]}}
				byMuni[c.Municipality] = ch
			}
			ch.Figures.Add(f)
		case "municipality":
			ch := byOrg[c.Org]
			if ch == nil {
				u := s.Units[c.Org]
				ch = &Child{Level: Level{Kind: "organisation", ID: c.Org, Name: u.Name}, Kind: u.Kind}
				byOrg[c.Org] = ch
			}
			ch.Figures.Add(f)
		}
	}
	for c, byYear := range s.Funnels {
		if !inLevel(v.Level, c) {
			continue
		}
		for y, f := range byYear {
			if funnels[y] == nil {
				funnels[y] = &Funnel{Year: y}
			}
			funnels[y].Add(f)
		}
	}
	for _, c := range byOrg {
		v.Children = append(v.Children, *c)
	}
	for _, c := range byMuni {
		v.Children = append(v.Children, *c)
	}
	slices.SortFunc(v.Children, func(a, b Child) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Level.Name, b.Level.Name), cmp.Compare(a.Level.ID, b.Level.ID))
	})
	for _, f := range funnels {
		v.Funnels = append(v.Funnels, *f)
	}
	slices.SortFunc(v.Funnels, func(a, b Funnel) int { return cmp.Compare(b.Year, a.Year) })
	return v, nil
}

// seesRegion reports whether the scope sees the region's figures: its own
// staff, and those who see them depersonalised (federal operator, experts,
// employers).
func seesRegion(sc auth.Scope) bool {
	return sc.WholeRegion() || sc.Role == auth.Federal || sc.Role == auth.Expert || sc.Role == auth.Employer
}

func defaultLevel(sc auth.Scope, s *Snapshot) (string, int64) {
	switch {
	case seesRegion(sc):
		return "region", 0
	case sc.Role == auth.CZN && len(sc.Municipalities) == 1:
		return "municipality", sc.Municipalities[0]
	case sc.Role == auth.CZN && len(sc.Municipalities) > 1:
		return "centre", 0
	}
	return "organisation", sc.OrgID
}

func municipalityName(s *Snapshot, id int64) (string, bool) {
	name, ok := s.Municipalities[id]
	return name, ok
}

func seesMunicipality(sc auth.Scope, id int64) bool {
	if sc.WholeRegion() || sc.Role == auth.Federal || sc.Role == auth.Expert {
		return true
	}
	return sc.Role == auth.CZN && slices.Contains(sc.Municipalities, id)
}

func seesOrganisation(sc auth.Scope, u Unit) bool {
	return seesMunicipality(sc, u.MunicipalityID) || sc.OrgID == u.ID && sc.OrgID != 0
}

func inLevel(l Level, c Cell) bool {
	switch l.Kind {
	case "centre":
		return slices.Contains(l.Municipalities, c.Municipality)
	case "municipality":
		return c.Municipality == l.ID
	case "organisation":
		return c.Org == l.ID
	}
	return true
}

// LastYears are the latest graduation years whose status six and twelve
// months on is known on the day now.
func LastYears(now time.Time) (six, twelve int) {
	six = now.Year()
	if learner.GraduationDay(six).AddDate(0, 6, 0).After(now) {
		six--
	}
	twelve = now.Year()
	if learner.GraduationDay(twelve).AddDate(1, 0, 0).After(now) {
		twelve--
	}
	return six, twelve
}
