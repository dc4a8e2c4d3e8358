package routing

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strconv"

	"marshrut/internal/engine/match"
)

// Unplaced is why a candidate is left without a place, as the run page
// counts it.
type Unplaced int

const (
	// NoVacancy: no open vacancy linked to the specialty within reach.
	NoVacancy Unplaced = iota + 1
	// Wishes: linked vacancies exist, but only where the candidate will not
	// move; pay is not a wish that excludes a place, it only ranks them.
	Wishes
	// TakenEarlier: the compatible vacancies' places went to proposals of
	// earlier rounds.
	TakenEarlier
	// Outranked: every compatible place went to candidates the employers
	// rank higher (or to holders of target contracts).
	Outranked
)

// farReason is the reason pairsOf gives for a place beyond reach.
const farReason = "вакансия далеко от дома, а переезд не рассматривается"

// proofRounds bounds the rounds of the optimal mode's check: each adds the
// pairs that break the proof and solves again.
const proofRounds = 16

// checkBudget bounds the optimal mode's check: it may look at each
// compatible pair this many times, once a round at most. A region's
// comparison must not outlast its run many times over; past the budget the
// optimum is reported as not proved.
const checkBudget = proofRounds

// startPairs is how many pairs of the head of a candidate's list the optimal
// mode starts with: the best ones, where the optimum mostly is; the others
// the check adds when the prices say they might raise the welfare.
const startPairs = 12

// addPerRound is how many of a candidate's pairs that break the proof a
// round adds, the worst first: the solution moves, and most of the others
// stop breaking it.
const addPerRound = 4

// openLists makes the lists of a run over the places still open after the
// earlier rounds, and the places of each of them.
func openLists(pc placesCache, taken map[string]int, cands []*Candidate) (*lists, []int32) {
	vac := make([]int32, len(pc.list))
	var capacity, place []int32
	for i, p := range pc.list {
		vac[i] = -1
		if left := p.WorkPlaces - taken[p.VacancyID]; left > 0 {
			vac[i] = int32(len(capacity))
			capacity = append(capacity, int32(left))
			place = append(place, int32(i))
		}
	}
	l := newLists(pc, vac, cands)
	l.place = place
	return l, capacity
}

// outcome is what a run computes: the stable matching over the complete
// lists, the optimal one, whether the optimal one is proved optimal over
// every compatible pair, the most that could be placed, and the number of
// compatible pairs.
type outcome struct {
	Stable, Optimal match.Result
	Proven          bool
	Most, Edges     int64
	optEdges        [][]match.Edge
}

// match runs both modes and the maximum over the lists.
// CompareLimit is the most candidates a stable run is compared with the
// welfare-optimal one for: past it the comparison, a figure for the page and
// not the run's result, would outlast the run many times over.
const CompareLimit = 50_000

func (l *lists) match(ctx context.Context, capacity []int32, seed uint64, optimal bool, progress func(done, total int)) (outcome, error) {
	var out outcome
	n := len(l.cands)
	step := func(done, total int) { progress(done*n/max(1, total), 3*n) }
	var err error
	// Those every employer ranks high propose first (holders of contracts
	// before all): they are seldom displaced, and the outcome is the same.
	order := make([]int32, n)
	general := make([]int, n)
	for g, c := range l.cands {
		order[g] = int32(g)
		general[g] = gradePoints(c) + max(0, min(c.DemoExam, 100))
		if c.ContractINN != "" {
			general[g] += 1000
		}
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(general[b], general[a]) })
	out.Stable, err = match.Defer(ctx, match.Market{Graduates: n, Capacity: capacity, Lists: l, Order: order},
		match.Options{Seed: seed, Progress: step})
	if err != nil {
		return out, err
	}
	var gr match.Graph
	gr, out.Edges = l.graph(capacity)
	if out.Most, err = match.MostPlaced(ctx, gr); err != nil {
		return out, err
	}
	progress(2*n, 3*n)
	if !optimal && n > CompareLimit {
		progress(3*n, 3*n)
		return out, nil
	}
	if err := l.optimal(ctx, capacity, seed, &out); err != nil {
		return out, err
	}
	progress(3*n, 3*n)
	return out, nil
}

// optimal finds the matching of the most welfare over every compatible pair
// with the contracts placed as the stable run placed them, without scoring
// every pair. It solves over a few of the pairs the stable run produced and takes the
// solver's prices as a proof: the solution is optimal over all pairs when no
// pair left out weighs more than its graduate's value and its vacancy's
// price (linear-programming duality; the prices and the welfare already
// agree). The lists produced on demand bound the pairs not yet scored, so the
// check scores only those that might break the proof; any that do are added
// and the market solved again. Proven says whether the proof held within
// proofRounds rounds.
func (l *lists) optimal(ctx context.Context, capacity []int32, seed uint64, out *outcome) error {
	n := len(l.cands)
	target := make([]int32, n) // the vacancy of a contract placement, -1 none
	// The first pairs: each candidate's contract places, its place in the
	// stable run and the first startPairs of its list; the others are
	// checked against the prices.
	edges := make([][]match.Edge, n)
	have := make([]map[int32]bool, n)
	for g := range n {
		target[g] = -1
		own := out.Stable.Assignment[g]
		have[g] = map[int32]bool{}
		add := func(e match.Edge) {
			if !have[g][int32(e.Vacancy)] {
				have[g][int32(e.Vacancy)] = true
				edges[g] = append(edges[g], e)
			}
		}
		for _, e := range l.state[g].prio {
			add(e)
			if int32(e.Vacancy) == own {
				target[g] = own
			}
		}
		for _, e := range l.head(g, startPairs) {
			add(e)
		}
		if own >= 0 && !have[g][own] {
			c := l.cands[g]
			pair, _, _ := Compatible(c, &l.pc.list[l.place[own]])
			pair.Rate(l.pc.median)
			add(match.Edge{Vacancy: int(own), Utility: pair.Graduate.Total, Score: pair.Employer.Total})
		}
	}
	l.budget = checkBudget * max(out.Edges, int64(n))
	vid := make([]string, len(capacity))
	for v := range vid {
		vid[v] = strconv.Itoa(v)
	}
	for round := 0; ; round++ {
		b := match.NewBuilder()
		for v, c := range capacity {
			if _, err := b.AddVacancy(vid[v], int(c)); err != nil {
				return err
			}
		}
		for g := range n {
			id := strconv.Itoa(g)
			if _, err := b.AddGraduate(id); err != nil {
				return err
			}
			for _, e := range edges[g] {
				if err := b.AddEdge(id, vid[e.Vacancy], e.Utility, e.Score); err != nil {
					return err
				}
			}
			if target[g] >= 0 {
				if err := b.AddTarget(id, vid[target[g]]); err != nil {
					return err
				}
			}
		}
		in, err := b.Build()
		if err != nil {
			return err
		}
		res, err := match.Run(ctx, in, match.Options{Mode: match.Optimal, Seed: seed})
		if err != nil {
			return err
		}
		out.Optimal, out.optEdges = res, edges
		broken := 0
		for g := range n {
			if target[g] >= 0 {
				continue // bound by the contract, out of the market
			}
			y := res.Value[g]
			// The pairs that break the proof, the worst first; a few a
			// round, so that a candidate rejected down a long list does not
			// bring all of it at once.
			var bad []match.Edge
			l.rest(g, int(y), have[g], func(v int32) int { return int(y + res.Price[v]) }, func(e match.Edge) { bad = append(bad, e) })
			if len(bad) == 0 {
				continue
			}
			broken += len(bad)
			excess := func(e match.Edge) int32 { return int32(e.Utility+e.Score) - y - res.Price[e.Vacancy] }
			slices.SortFunc(bad, func(a, b match.Edge) int { return cmp.Compare(excess(b), excess(a)) })
			for _, e := range bad[:min(len(bad), addPerRound)] {
				have[g][int32(e.Vacancy)] = true
				edges[g] = append(edges[g], e)
			}
			// The others rest finds again, scored already, if they still break it.
		}
		if l.budget < 0 {
			return nil // the check ran out: the best found, not proved
		}
		if broken == 0 {
			out.Proven = true
			return nil
		}
		if round+1 == proofRounds {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// choice is the place's position in the candidate's list, 1 first: the
// stable run knows it; for the optimal one it is counted among the pairs the
// run scored for the candidate.
func (o *outcome) choice(r match.Result, g int) int {
	if r.Choice != nil {
		return int(r.Choice[g])
	}
	v := r.Assignment[g]
	own := -1
	for _, e := range o.optEdges[g] {
		if e.Vacancy == int(v) {
			own = e.Utility
		}
	}
	k := 1
	for _, e := range o.optEdges[g] {
		if e.Utility > own {
			k++
		}
	}
	return k
}

// unplaced says why candidate g has no place, for the counts and in words.
func (l *lists) unplaced(g int, reason match.Reason) (Unplaced, string) {
	if reason != match.NoEdges {
		return Outranked, reason.String()
	}
	c := l.cands[g]
	all, why := pairsOf(c, l.pc, 1, nil)
	switch {
	case len(all) > 0:
		return TakenEarlier, "места на совместимых вакансиях заняты предложениями прежних туров"
	case why[farReason] > 0:
		return Wishes, "нет совместимых вакансий рядом с домом, а переезд не рассматривается"
	}
	return NoVacancy, unsuitable(why)
}

// contractNote says why a holder of a target contract is not placed with the
// employer.
func (l *lists) contractNote(g int, taken map[string]int) string {
	c := l.cands[g]
	name := "ИНН " + c.ContractINN
	if l.byINN == nil {
		l.byINN = map[string][]int32{}
		for i := range l.pc.list {
			if inn := l.pc.list[i].EmployerINN; inn != "" {
				l.byINN[inn] = append(l.byINN[inn], int32(i))
			}
		}
	}
	var places []*Place
	for _, i := range l.byINN[c.ContractINN] {
		places = append(places, &l.pc.list[i])
		name = l.pc.list[i].EmployerName
	}
	if len(places) == 0 {
		return "у работодателя по целевому договору (" + name + ") нет открытых вакансий в регионе"
	}
	why := map[string]int{}
	compatible := 0
	for _, p := range places {
		_, ok, reason := Compatible(c, p)
		switch {
		case !ok:
			why[reason]++
		case p.WorkPlaces-taken[p.VacancyID] <= 0:
			why["места заняты предложениями прежних туров"]++
		default:
			compatible++
		}
	}
	if compatible > 0 {
		return "места на вакансиях работодателя по целевому договору (" + name + ") заняты другими выпускниками с целевыми договорами"
	}
	keys := slices.Collect(maps.Keys(why))
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(why[b], why[a]), cmp.Compare(a, b)) })
	return "у работодателя по целевому договору (" + name + ") нет совместимой вакансии: " + keys[0]
}
