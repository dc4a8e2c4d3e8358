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

// checkBudget bounds the optimal mode's check: it may look at this many
// places per pair the stable run handed out. A region's comparison must not
// outlast its run many times over; past the budget the optimum is reported
// as not proved.
const checkBudget = 40

// startPairs is how many of the pairs a candidate's list handed out the
// optimal mode starts with: the best ones, where the optimum mostly is; a
// candidate rejected down a long list would otherwise bring thousands.
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
	out.Stable, err = match.Defer(ctx, match.Market{Graduates: n, Capacity: capacity, Lists: l}, match.Options{Seed: seed, Progress: step})
	if err != nil {
		return out, err
	}
	gr := l.graph(capacity)
	for i, size := range gr.Size {
		out.Edges += int64(size) * int64(gr.Start[i+1]-gr.Start[i])
	}
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
	// stable run and the first startPairs of its list; the other pairs the
	// stable run handed out wait in later, checked like the rest.
	edges := make([][]match.Edge, n)
	later := make([][]edge, n)
	for g := range n {
		target[g] = -1
		own := out.Stable.Assignment[g]
		for i, e := range l.emitted[g] {
			if e.prio || e.v == own || i < startPairs {
				edges[g] = append(edges[g], e.engine())
			} else {
				later[g] = append(later[g], e)
			}
			if e.v == own && e.prio {
				target[g] = e.v
			}
		}
	}
	l.budget = checkBudget * (out.Stable.Proposals + int64(n))
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
			type breaking struct {
				e     match.Edge
				later bool // handed out by the stable run: kept in later until added
			}
			var bad []breaking
			kept := later[g][:0]
			for _, e := range later[g] {
				if int32(e.u)+int32(e.e) > y+res.Price[e.v] {
					bad = append(bad, breaking{e.engine(), true})
				} else {
					kept = append(kept, e)
				}
			}
			later[g] = kept
			l.rest(g, int(y), func(v int32) int { return int(y + res.Price[v]) }, func(e match.Edge) { bad = append(bad, breaking{e, false}) })
			if len(bad) == 0 {
				continue
			}
			broken += len(bad)
			excess := func(b breaking) int32 { return int32(b.e.Utility+b.e.Score) - y - res.Price[b.e.Vacancy] }
			slices.SortFunc(bad, func(a, b breaking) int { return cmp.Compare(excess(b), excess(a)) })
			for i, b := range bad {
				switch {
				case i < addPerRound:
					edges[g] = append(edges[g], b.e)
				case b.later:
					later[g] = append(later[g], edge{v: int32(b.e.Vacancy), u: int16(b.e.Utility), e: int16(b.e.Score)})
				}
				// The others rest finds again, scored already, if they still break it.
			}
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
	var places []*Place
	for i := range l.pc.list {
		if p := &l.pc.list[i]; p.EmployerINN == c.ContractINN {
			places = append(places, p)
			name = p.EmployerName
		}
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
