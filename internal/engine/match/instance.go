package match

import (
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"marshrut/internal/engine/fault"
)

// MaxScore bounds both scores of an edge: 0..MaxScore.
const MaxScore = 1000

// Instance is a matching problem ready to run: graduates, vacancies with their
// places, the edges between them with the two scores, and target contracts.
// It is immutable once built, so one instance may be run many times, and in
// parallel, with different modes and seeds.
//
// Edges are kept in CSR form by graduate: the edges of graduate g are
// edges[start[g]:start[g+1]], sorted by vacancy index, each packed in one
// uint64 as vacancy<<32 | utility<<16 | score. The order of the input does not
// matter: two instances with the same content run identically.
type Instance struct {
	graduates []string
	vacancies []string
	capacity  []int32
	start     []int32
	edges     []uint64
	targets   []Target
}

// Target is a target contract (целевой договор): the graduate is to work at the
// vacancy and is placed there before the market. Vacancy is -1 when the
// contract names a vacancy the instance does not have; VacancyID keeps the name.
type Target struct {
	Graduate  int
	Vacancy   int
	VacancyID string
}

// Edge is one compatible graduate–vacancy pair with both scores.
type Edge struct {
	Vacancy int
	Utility int // how much the graduate wants the vacancy, 0..1000
	Score   int // how much the employer wants the graduate, 0..1000
	// Priority marks, in Lists, an edge to a vacancy of the employer of the
	// graduate's target contract: the employer ranks it above every other.
	Priority bool
}

func pack(v int32, u, e int) uint64 { return uint64(v)<<32 | uint64(u)<<16 | uint64(e) }

func edgeVac(x uint64) int32   { return int32(x >> 32) }
func edgeUtil(x uint64) int32  { return int32(x>>16) & 0xFFFF }
func edgeScore(x uint64) int32 { return int32(x) & 0xFFFF }

// NumGraduates is the number of graduates.
func (in *Instance) NumGraduates() int { return len(in.graduates) }

// NumVacancies is the number of vacancies.
func (in *Instance) NumVacancies() int { return len(in.vacancies) }

// NumEdges is the number of graduate–vacancy edges.
func (in *Instance) NumEdges() int { return len(in.edges) }

// Seats is the sum of the vacancies' capacities.
func (in *Instance) Seats() int64 {
	var s int64
	for _, c := range in.capacity {
		s += int64(c)
	}
	return s
}

// GraduateID is the identifier graduate g was added with.
func (in *Instance) GraduateID(g int) string { return in.graduates[g] }

// VacancyID is the identifier vacancy v was added with.
func (in *Instance) VacancyID(v int) string { return in.vacancies[v] }

// Capacity is the number of work places of vacancy v.
func (in *Instance) Capacity(v int) int { return int(in.capacity[v]) }

// Edges returns the edges of graduate g, by vacancy index.
func (in *Instance) Edges(g int) []Edge {
	es := in.edges[in.start[g]:in.start[g+1]]
	out := make([]Edge, len(es))
	for i, x := range es {
		out[i] = Edge{Vacancy: int(edgeVac(x)), Utility: int(edgeUtil(x)), Score: int(edgeScore(x))}
	}
	return out
}

// Targets returns the target contracts in the order they were added, which is
// the order in which they take places.
func (in *Instance) Targets() []Target { return slices.Clone(in.targets) }

// edge finds the edge g–v, by binary search in g's sorted edges.
func (in *Instance) edge(g, v int32) (uint64, bool) {
	es := in.edges[in.start[g]:in.start[g+1]]
	i, ok := slices.BinarySearchFunc(es, v, func(x uint64, v int32) int { return int(edgeVac(x)) - int(v) })
	if !ok {
		return 0, false
	}
	return es[i], true
}

// Builder assembles an instance in memory, for the application to fill from
// its own records. Identifiers are the caller's (database keys written as text
// will do); they only have to be unique within graduates and within vacancies.
// The zero Builder is not usable; call NewBuilder.
type Builder struct {
	in      Instance
	gIndex  map[string]int32
	vIndex  map[string]int32
	from    []int32 // graduate of each edge, in the order added
	edges   []uint64
	grouped bool // edges arrived grouped by graduate in increasing index order
	targets []pendingTarget
}

type pendingTarget struct {
	g   int32
	vID string
}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder {
	return &Builder{gIndex: map[string]int32{}, vIndex: map[string]int32{}, grouped: true}
}

// AddGraduate adds a graduate and returns its index.
func (b *Builder) AddGraduate(id string) (int, error) {
	if id == "" || strings.ContainsAny(id, "\r\n") {
		return 0, fault.Field("graduate_id", "идентификатор выпускника должен быть непустой строкой без переводов строки")
	}
	if _, dup := b.gIndex[id]; dup {
		return 0, fault.Field("graduate_id", "выпускник «%s» уже добавлен", id)
	}
	if len(b.in.graduates) >= math.MaxInt32 {
		return 0, fault.New("слишком много выпускников")
	}
	g := int32(len(b.in.graduates))
	b.gIndex[id] = g
	b.in.graduates = append(b.in.graduates, id)
	return int(g), nil
}

// AddVacancy adds a vacancy with its number of work places and returns its index.
func (b *Builder) AddVacancy(id string, capacity int) (int, error) {
	if id == "" || strings.ContainsAny(id, "\r\n") {
		return 0, fault.Field("vacancy_id", "идентификатор вакансии должен быть непустой строкой без переводов строки")
	}
	if _, dup := b.vIndex[id]; dup {
		return 0, fault.Field("vacancy_id", "вакансия «%s» уже добавлена", id)
	}
	if capacity < 0 || capacity > math.MaxInt32 {
		return 0, fault.Field("capacity", "число мест вакансии «%s» должно быть неотрицательным, а не %d", id, capacity)
	}
	if len(b.in.vacancies) >= math.MaxInt32 {
		return 0, fault.New("слишком много вакансий")
	}
	v := int32(len(b.in.vacancies))
	b.vIndex[id] = v
	b.in.vacancies = append(b.in.vacancies, id)
	b.in.capacity = append(b.in.capacity, int32(capacity))
	return int(v), nil
}

// AddEdge makes a graduate and a vacancy compatible: utility is how much the
// graduate wants the vacancy, score how much the employer wants the graduate,
// both 0..1000. A second edge for the same pair is refused by Build.
func (b *Builder) AddEdge(graduateID, vacancyID string, utility, score int) error {
	g, ok := b.gIndex[graduateID]
	if !ok {
		return fault.Field("graduate_id", "неизвестный выпускник «%s»", graduateID)
	}
	v, ok := b.vIndex[vacancyID]
	if !ok {
		return fault.Field("vacancy_id", "неизвестная вакансия «%s»", vacancyID)
	}
	if err := checkScores(utility, score); err != nil {
		return err
	}
	b.addEdge(g, v, utility, score)
	return nil
}

func checkScores(utility, score int) error {
	if utility < 0 || utility > MaxScore {
		return fault.Field("graduate_utility", "полезность для выпускника должна быть от 0 до %d, а не %d", MaxScore, utility)
	}
	if score < 0 || score > MaxScore {
		return fault.Field("employer_score", "оценка работодателя должна быть от 0 до %d, а не %d", MaxScore, score)
	}
	return nil
}

func (b *Builder) addEdge(g, v int32, utility, score int) {
	if n := len(b.from); n > 0 && b.from[n-1] > g {
		b.grouped = false
	}
	b.from = append(b.from, g)
	b.edges = append(b.edges, pack(v, utility, score))
}

// AddTarget records a target contract of the graduate with the vacancy. The
// graduate must exist; the vacancy need not: a contract whose vacancy is
// unknown, not compatible with the graduate or out of places is reported in
// the result as a conflict, and the graduate then takes part in the market.
func (b *Builder) AddTarget(graduateID, vacancyID string) error {
	g, ok := b.gIndex[graduateID]
	if !ok {
		return fault.Field("graduate_id", "неизвестный выпускник «%s» в целевом договоре", graduateID)
	}
	b.targets = append(b.targets, pendingTarget{g: g, vID: vacancyID})
	return nil
}

// Build returns the instance. It refuses a repeated edge, naming the pair.
// The builder must not be used afterwards.
func (b *Builder) Build() (*Instance, error) {
	if len(b.edges) > math.MaxInt32 {
		return nil, fault.New("слишком много рёбер: %d", len(b.edges))
	}
	b.index()
	if g, v, ok := b.in.duplicate(); ok {
		return nil, fault.New("повторное ребро: выпускник «%s» — вакансия «%s»", b.in.graduates[g], b.in.vacancies[v])
	}
	b.resolveTargets()
	return &b.in, nil
}

// index turns the edges added into the instance's CSR arrays.
func (b *Builder) index() {
	b.in.start, b.in.edges = csr(len(b.in.graduates), b.from, b.edges, b.grouped)
	b.from, b.edges = nil, nil
}

// resolveTargets gives the contracts their vacancies' indices, -1 for an
// unknown one, and lets go of what only building needed.
func (b *Builder) resolveTargets() {
	for _, t := range b.targets {
		vi := -1
		if v, ok := b.vIndex[t.vID]; ok {
			vi = int(v)
		}
		b.in.targets = append(b.in.targets, Target{Graduate: int(t.g), Vacancy: vi, VacancyID: t.vID})
	}
	b.gIndex, b.vIndex, b.targets = nil, nil, nil
}

// csr turns edges listed with their graduates into CSR by graduate, each
// graduate's edges sorted by vacancy. Edges already grouped by graduate in
// index order (as the files usually are) are used in place.
func csr(n int, from []int32, edges []uint64, grouped bool) ([]int32, []uint64) {
	start := make([]int32, n+1)
	for _, g := range from {
		start[g+1]++
	}
	for g := 0; g < n; g++ {
		start[g+1] += start[g]
	}
	out := edges
	if !grouped {
		out = make([]uint64, len(edges))
		next := slices.Clone(start[:n])
		for i, g := range from {
			out[next[g]] = edges[i]
			next[g]++
		}
	}
	parallel(n, func(lo, hi int) {
		for g := lo; g < hi; g++ {
			slices.Sort(out[start[g]:start[g+1]])
		}
	})
	return start, out
}

// duplicate finds a repeated graduate–vacancy pair, the lowest graduate first.
func (in *Instance) duplicate() (g, v int32, ok bool) {
	for g := range int32(len(in.graduates)) {
		es := in.edges[in.start[g]:in.start[g+1]]
		for i := 1; i < len(es); i++ {
			if edgeVac(es[i]) == edgeVac(es[i-1]) {
				return g, edgeVac(es[i]), true
			}
		}
	}
	return 0, 0, false
}

// parallel splits [0, n) into one contiguous part per CPU (at most) and runs
// f on each part at the same time. Small ranges run on the calling goroutine.
func parallel(n int, f func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if n < 4096 || workers < 2 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	step := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += step {
		hi := min(lo+step, n)
		wg.Go(func() { f(lo, hi) })
	}
	wg.Wait()
}
