package analytics

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
)

// Figures are the counts behind the headline figures of one organisation,
// or of any sum of organisations: a municipality, the region.
type Figures struct {
	Pupils, Reached    int // pupils of grades 6–11; reached by guidance this school year
	Seniors, Informed  int // pupils of grades 9–11; informed about targeted education
	Graduates, Working int // graduates of the latest year six months on; at work, in study or service
	Employed, Retained int // of the latest year twelve months on: at work six months on; still so at twelve
	Students, Contract int // students; under a targeted-education contract
	FullTime, Mentored int // full-time students; with an active mentor
	AtRisk, WithCase   int // students and recent graduates at risk; with an employment-centre case
}

// Add adds o's counts to f.
func (f *Figures) Add(o Figures) {
	f.Pupils += o.Pupils
	f.Reached += o.Reached
	f.Seniors += o.Seniors
	f.Informed += o.Informed
	f.Graduates += o.Graduates
	f.Working += o.Working
	f.Employed += o.Employed
	f.Retained += o.Retained
	f.Students += o.Students
	f.Contract += o.Contract
	f.FullTime += o.FullTime
	f.Mentored += o.Mentored
	f.AtRisk += o.AtRisk
	f.WithCase += o.WithCase
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
	Region  string
	At      time.Time
	Year    int // the latest graduation year six months on
	Year12  int // the latest graduation year twelve months on
	Units   map[int64]Unit
	Figures map[int64]Figures        // by organisation
	Funnels map[int64]map[int]Funnel // by organisation, then graduation year
	Months  []MonthFigures           // the region's trend by month
	Extra   map[string]Ratio         // region-wide figures from other parts: measures, demand
}

// MonthFigures is the region's trend for one month.
type MonthFigures struct {
	Month    time.Time
	Reached  int // pupils reached by guidance by the month's end, this school year
	Informed int
	Cases    int // employment-centre cases opened in the month
	Closed   int // of them closed since
}

// Ratio is a region-wide figure that has a numerator and a denominator.
type Ratio struct {
	Title    string
	Num, Den int
	Note     string
}

// MonitorStore computes a snapshot from the data.
type MonitorStore interface {
	MonitorSnapshot(ctx context.Context, region string, now time.Time) (Snapshot, error)
}

// ExtraSource adds a region-wide figure to the snapshot (the balance's
// closure of demand, programmes of employment measures).
type ExtraSource func(ctx context.Context, region string) (key string, r Ratio, ok bool, err error)

// Monitor serves the monitoring pages from a snapshot of the region's
// figures by organisation, kept for SnapshotTTL: every level, from the
// region to an organisation, is a sum of the same rows, so the pages read
// no learner at request time. A stale snapshot is served while a fresh one
// is computed in the background.
type Monitor struct {
	store  MonitorStore
	extras []ExtraSource
	now    func() time.Time

	mu      sync.Mutex
	snap    map[string]*Snapshot
	running map[string]bool
	wait    map[string]chan struct{}
}

// SnapshotTTL is how long a snapshot is served before it is computed again.
const SnapshotTTL = 5 * time.Minute

// NewMonitor returns a Monitor on the store.
func NewMonitor(s MonitorStore, now func() time.Time, extras ...ExtraSource) *Monitor {
	return &Monitor{store: s, now: now, extras: extras, snap: map[string]*Snapshot{}, running: map[string]bool{}, wait: map[string]chan struct{}{}}
}

// Snapshot returns the region's snapshot: the one in memory when it is
// fresh; a stale one at once while a new one is computed; and, when there is
// none yet, the new one when it is ready.
func (m *Monitor) Snapshot(ctx context.Context, region string) (*Snapshot, error) {
	m.mu.Lock()
	s := m.snap[region]
	if s != nil && m.now().Sub(s.At) < SnapshotTTL {
		m.mu.Unlock()
		return s, nil
	}
	if !m.running[region] {
		m.running[region] = true
		done := make(chan struct{})
		m.wait[region] = done
		go m.refresh(context.WithoutCancel(ctx), region, done)
	}
	done := m.wait[region]
	m.mu.Unlock()
	if s != nil {
		return s, nil
	}
	select {
	case <-done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.snap[region]; s != nil {
		return s, nil
	}
	return nil, apperr.New(apperr.Internal, "показатели региона не удалось посчитать: подробности в журнале сервера")
}

// Forget drops the region's snapshot, so that the next page computes a new one.
func (m *Monitor) Forget(region string) {
	m.mu.Lock()
	delete(m.snap, region)
	m.mu.Unlock()
}

func (m *Monitor) refresh(ctx context.Context, region string, done chan struct{}) {
	defer close(done)
	s, err := m.store.MonitorSnapshot(ctx, region, m.now())
	if err == nil {
		s.Extra = map[string]Ratio{}
		for _, x := range m.extras {
			key, r, ok, xerr := x(ctx, region)
			if xerr != nil {
				err = xerr
				break
			}
			if ok {
				s.Extra[key] = r
			}
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.running[region] = false
	if err == nil {
		m.snap[region] = &s
	}
}

// Level is where a monitoring page stands: the region, a municipality or an organisation.
type Level struct {
	Kind string // region, municipality, organisation
	ID   int64
	Name string
	Up   *Level // the level above, for the way back
}

// Child is one row of the table under a level.
type Child struct {
	Level   Level
	Kind    string // of an organisation
	Figures Figures
}

// View is a monitoring page's content.
type View struct {
	Level    Level
	At       time.Time
	Year     int
	Year12   int
	Figures  Figures
	Children []Child
	Funnels  []Funnel
	Months   []MonthFigures
	Extra    map[string]Ratio // on the region's level only
	// Persons tells whether the caller may open the lists of persons behind
	// the numbers of an organisation.
	Persons bool
}

// CanMonitor reports whether the scope sees monitoring: everyone who works
// with the region's figures, not a learner.
func CanMonitor(sc auth.Scope) bool { return sc.Role != auth.Learner && sc.Role != "" }

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
	if kind == "" {
		kind, id = defaultLevel(sc, s)
	}
	v := View{At: s.At, Year: s.Year, Year12: s.Year12}
	region := Level{Kind: "region", Name: "Регион"}
	switch kind {
	case "region":
		if !sc.WholeRegion() && sc.Role != auth.Federal && sc.Role != auth.Expert {
			return View{}, apperr.New(apperr.Forbidden, "показатели всего региона видит региональный оператор")
		}
		v.Level = region
		v.Months = s.Months
		v.Extra = s.Extra // region-wide figures of other parts
	case "municipality":
		name, ok := municipalityName(s, id)
		if !ok || !seesMunicipality(sc, id) {
			return View{}, apperr.New(apperr.NotFound, "муниципальное образование не найдено")
		}
		v.Level = Level{Kind: kind, ID: id, Name: name}
		if sc.WholeRegion() || sc.Role == auth.Federal || sc.Role == auth.Expert {
			v.Level.Up = &region
		}
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
		return View{}, apperr.Field("level", "уровень «%s» неизвестен: region, municipality или organisation", kind)
	}
	byMuni := map[int64]*Child{}
	funnels := map[int]*Funnel{}
	for orgID, f := range s.Figures {
		u := s.Units[orgID]
		if !inLevel(v.Level, u) {
			continue
		}
		v.Figures.Add(f)
		switch v.Level.Kind {
		case "region":
			c := byMuni[u.MunicipalityID]
			if c == nil {
				c = &Child{Level: Level{Kind: "municipality", ID: u.MunicipalityID, Name: u.Municipality}}
				byMuni[u.MunicipalityID] = c
			}
			c.Figures.Add(f)
		case "municipality":
			v.Children = append(v.Children, Child{Level: Level{Kind: "organisation", ID: orgID, Name: u.Name}, Kind: u.Kind, Figures: f})
		}
	}
	for orgID, byYear := range s.Funnels {
		if !inLevel(v.Level, s.Units[orgID]) {
			continue
		}
		for y, f := range byYear {
			if funnels[y] == nil {
				funnels[y] = &Funnel{Year: y}
			}
			funnels[y].Add(f)
		}
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

func defaultLevel(sc auth.Scope, s *Snapshot) (string, int64) {
	switch {
	case sc.WholeRegion() || sc.Role == auth.Federal || sc.Role == auth.Expert:
		return "region", 0
	case sc.Role == auth.CZN && len(sc.Municipalities) > 0:
		return "municipality", sc.Municipalities[0]
	}
	return "organisation", sc.OrgID
}

func municipalityName(s *Snapshot, id int64) (string, bool) {
	for _, u := range s.Units {
		if u.MunicipalityID == id {
			return u.Municipality, true
		}
	}
	return "", false
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

func inLevel(l Level, u Unit) bool {
	switch l.Kind {
	case "municipality":
		return u.MunicipalityID == l.ID
	case "organisation":
		return u.ID == l.ID
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

// Measure is one headline figure of monitoring: how it is read from the counts.
type Measure struct {
	Key, Title, Note string
	Goal             float64 // 0: no goal is set
	Num, Den         func(f Figures) int
}

// Measures are the headline figures, in the order pages show them.
var Measures = []Measure{
	{"guidance", "Охват профориентацией", "школьники 6–11 классов хотя бы с одним мероприятием в этом учебном году", 1,
		func(f Figures) int { return f.Reached }, func(f Figures) int { return f.Pupils }},
	{"informed", "Информированы о целевом обучении", "школьники 9–11 классов, проинформированные в этом учебном году", 1,
		func(f Figures) int { return f.Informed }, func(f Figures) int { return f.Seniors }},
	{"employment", "Трудоустройство через 6 месяцев", "выпускники последнего года, которые работают, учатся дальше или служат", 0.85,
		func(f Figures) int { return f.Working }, func(f Figures) int { return f.Graduates }},
	{"retention", "Сохранили занятость к 12 месяцам", "из занятых через 6 месяцев — заняты и через 12", 0.9,
		func(f Figures) int { return f.Retained }, func(f Figures) int { return f.Employed }},
	{"contract", "Учатся по целевым договорам", "студенты с договором о целевом обучении", 0,
		func(f Figures) int { return f.Contract }, func(f Figures) int { return f.Students }},
	{"mentor", "Охват наставничеством", "студенты очной формы с действующим наставником", 0,
		func(f Figures) int { return f.Mentored }, func(f Figures) int { return f.FullTime }},
	{"risk", "В зоне риска — со случаем", "студенты и выпускники в зоне риска, по которым центр занятости открыл случай", 0,
		func(f Figures) int { return f.WithCase }, func(f Figures) int { return f.AtRisk }},
}

// MeasureOf returns the measure of a key, employment for an unknown one.
func MeasureOf(key string) Measure {
	for _, m := range Measures {
		if m.Key == key {
			return m
		}
	}
	return Measures[2]
}

// Value is a measure's value on some counts.
type Value struct {
	Measure
	N, Of int
}

// Rate is N of Of, 0 when there is nobody to count.
func (v Value) Rate() float64 {
	if v.Of == 0 {
		return 0
	}
	return float64(v.N) / float64(v.Of)
}

// Met reports whether a goal is set and reached.
func (v Value) Met() bool { return v.Goal > 0 && v.Of > 0 && v.Rate() >= v.Goal }

// Values computes every measure on the counts.
func Values(f Figures) []Value {
	out := make([]Value, len(Measures))
	for i, m := range Measures {
		out[i] = Value{Measure: m, N: m.Num(f), Of: m.Den(f)}
	}
	return out
}
