package match

import (
	"context"
	"math/rand/v2"

	"marshrut/internal/engine/fault"
)

// Mode is what a run optimises.
type Mode string

const (
	// Stable is graduate-proposing deferred acceptance with capacities: no
	// blocking pair, and of all stable matchings the best for every graduate.
	Stable Mode = "stable"
	// Optimal maximises the welfare, the sum of both scores over the matched
	// pairs, whether or not the matching is stable.
	Optimal Mode = "optimal"
)

// ParseMode reads a mode as the command line writes it; "" is Stable.
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case "", Stable:
		return Stable, nil
	case Optimal:
		return Optimal, nil
	}
	return "", fault.Field("mode", "неизвестный режим распределения «%s»: ожидается stable или optimal", s)
}

// Options set up a run. Seed draws the lottery that breaks ties; the same
// instance, mode and seed give the same result. Progress, when set, is called
// now and then with the graduates done so far and the total, from the
// goroutine that called Run, and once at the end of the matching with
// done == total. The unit of total depends on the mode; only the ratio means
// anything.
type Options struct {
	Mode     Mode
	Seed     uint64
	Progress func(done, total int)
}

// checkEvery is how many steps of a long loop run between looks at the
// context; progressEvery, between progress reports.
const (
	checkEvery    = 1 << 12
	progressEvery = 1 << 15
)

// Run matches the instance. Target contracts are placed first, in their
// order, each taking a place of its vacancy; a contract that cannot be placed
// becomes a conflict and its graduate joins the market. The market then runs
// in the given mode over the places left. Run fails only on an unknown mode or
// a cancelled context.
func Run(ctx context.Context, in *Instance, opts Options) (Result, error) {
	mode, err := ParseMode(string(opts.Mode))
	if err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	n, m := len(in.graduates), len(in.vacancies)
	r := Result{Mode: mode, Seed: opts.Seed, Assignment: make([]int32, n)}
	r.GraduateRank, r.VacancyRank = lottery(opts.Seed, n, m)
	for g := range r.Assignment {
		r.Assignment[g] = -1
	}
	free := append([]int32(nil), in.capacity...) // places left for the market
	targeted := make([]bool, n)
	r.Conflicts = placeTargets(in, free, targeted, r.Assignment)
	for _, t := range targeted {
		if t {
			r.Targeted++
		}
	}
	mk := &market{ctx: ctx, in: in, free: free, targeted: targeted, assign: r.Assignment,
		gRank: r.GraduateRank, vRank: r.VacancyRank, progress: opts.Progress}
	switch mode {
	case Stable:
		err = mk.stable()
	case Optimal:
		err = mk.optimal()
	}
	if err != nil {
		return Result{}, err
	}
	r.summarise(in, free, targeted)
	r.Value, r.Price = mk.value, mk.price
	return r, nil
}

// market is the state a mode works on: the places left after the contracts,
// who is out of the market, the assignment to fill, and the lottery.
type market struct {
	ctx      context.Context
	in       *Instance
	free     []int32
	targeted []bool
	assign   []int32
	gRank    []int32
	vRank    []int32
	progress func(done, total int)
	// The optimal mode's dual prices.
	value, price []int32
}

// byRank lists the market's graduates in the lottery's order, rank 0 first.
func (mk *market) byRank() []int32 {
	order := make([]int32, len(mk.gRank))
	for g, r := range mk.gRank {
		order[r] = int32(g)
	}
	out := order[:0]
	for _, g := range order {
		if !mk.targeted[g] {
			out = append(out, g)
		}
	}
	return out
}

// room sizes each vacancy's list of held graduates: its places left, but no
// more than the market's edges into it, since it can never hold more than
// that. off[v] is where vacancy v's list starts in one shared buffer.
func (mk *market) room() (off []int32, size []int32) {
	in := mk.in
	deg := make([]int32, len(in.vacancies))
	for g := range in.graduates {
		if mk.targeted[g] {
			continue
		}
		for _, x := range in.edges[in.start[g]:in.start[g+1]] {
			deg[edgeVac(x)]++
		}
	}
	off = make([]int32, len(deg)+1)
	for v, d := range deg {
		deg[v] = min(d, mk.free[v])
		off[v+1] = off[v] + deg[v]
	}
	return off, deg
}

func (mk *market) report(done, total int) {
	if mk.progress != nil {
		mk.progress(done, total)
	}
}

// lottery draws the tie-break ranks: a random permutation of the graduates and
// one of the vacancies from a PCG seeded with seed. Rank 0 wins every tie.
func lottery(seed uint64, n, m int) (gRank, vRank []int32) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15))
	perm := func(k int) []int32 {
		p := make([]int32, k)
		for i := range p {
			p[i] = int32(i)
		}
		rng.Shuffle(k, func(i, j int) { p[i], p[j] = p[j], p[i] })
		return p
	}
	return perm(n), perm(m)
}

// Conflict is a target contract that could not be placed.
type Conflict struct {
	Graduate  int
	Vacancy   int    // -1 when the vacancy is unknown
	VacancyID string // as the contract names it
	Reason    string
}

// placeTargets places the contracts in order, taking places from free.
func placeTargets(in *Instance, free []int32, targeted []bool, assign []int32) []Conflict {
	var out []Conflict
	for _, t := range in.targets {
		c := Conflict{Graduate: t.Graduate, Vacancy: t.Vacancy, VacancyID: t.VacancyID}
		switch {
		case targeted[t.Graduate]:
			c.Reason = "у выпускника уже есть размещённый целевой договор"
		case t.Vacancy < 0:
			c.Reason = "вакансия «" + t.VacancyID + "» из целевого договора не найдена"
		case !in.hasEdge(int32(t.Graduate), int32(t.Vacancy)):
			c.Reason = "выпускник и вакансия из целевого договора несовместимы"
		case free[t.Vacancy] <= 0:
			c.Reason = "на вакансии из целевого договора не осталось мест"
		default:
			targeted[t.Graduate] = true
			assign[t.Graduate] = int32(t.Vacancy)
			free[t.Vacancy]--
			continue
		}
		out = append(out, c)
	}
	return out
}

func (in *Instance) hasEdge(g, v int32) bool {
	_, ok := in.edge(g, v)
	return ok
}
