package match

import (
	"fmt"
	"math"
	"sync/atomic"
)

// Result is the outcome of a run. Slices are indexed by graduate or vacancy
// index of the instance.
type Result struct {
	Mode Mode
	Seed uint64

	Matched  int   // graduates placed, by contract or by the market
	Targeted int   // of them, placed by a target contract
	Welfare  int64 // sum of utility + score over all placed graduates
	// Blocking counts the market's blocking pairs, as match_instance.py
	// counts them: an edge (g, v) blocks when g strictly prefers v to its
	// place (an unplaced graduate has utility -1) and v has a free place or
	// strictly prefers g to the graduate it holds with the lowest score.
	// Graduates placed by contract are bound by it: they are not counted as
	// blockers, and the places they take are not the market's.
	Blocking int64
	// FirstChoice counts the graduates placed at a vacancy of the highest
	// utility among their edges; FirstChoiceShare is FirstChoice divided by
	// the number of graduates (0 without graduates).
	FirstChoice      int
	FirstChoiceShare float64

	Assignment []int32  // vacancy of each graduate, -1 when unplaced
	Choice     []int32  // Defer only: the place's position in the graduate's list, 1 first; 0 unplaced
	Proposals  int64    // Defer only: edges the lists produced
	Fills      []int32  // graduates placed at each vacancy, contracts included
	Reasons    []Reason // why each graduate is unplaced; NoReason when placed
	Conflicts  []Conflict

	// The lottery: GraduateRank[g] and VacancyRank[v] are permutations drawn
	// from Seed; rank 0 wins a tie. A graduate with equal utilities prefers
	// the vacancy of lower rank, an employer with equal scores the graduate
	// of lower rank.
	GraduateRank []int32
	VacancyRank  []int32

	// Optimal mode only: the dual prices the result is proved optimal by.
	// Value[g] >= 0 for a graduate of the market, Price[v] >= 0 for a
	// vacancy; Value[g] + Price[v] >= utility + score on every edge of the
	// market, and the sum of the values and of each vacancy's price times
	// its places left for the market equals the market's welfare. An edge
	// left out of the instance with utility + score <= Value[g] + Price[v]
	// cannot raise the welfare: the prices remain a proof with it added.
	Value []int32
	Price []int32
}

// Reason says why a graduate is left without a place.
type Reason uint8

const (
	NoReason  Reason = iota // placed
	NoEdges                 // no compatible vacancy at all
	NoPlaces                // every compatible vacancy has no place for the market
	Outranked               // every compatible place went to someone the outcome prefers
)

// String is the Russian text to show.
func (r Reason) String() string {
	switch r {
	case NoEdges:
		return "нет совместимых вакансий"
	case NoPlaces:
		return "у совместимых вакансий нет свободных мест"
	case Outranked:
		return "все подходящие места заняты более подходящими кандидатами"
	}
	return ""
}

// Summary is the one line the command prints for a run that took seconds:
// matched=N welfare=W blocking=B seconds=S.
func Summary(r Result, seconds float64) string {
	return fmt.Sprintf("matched=%d welfare=%d blocking=%d seconds=%.2f", r.Matched, r.Welfare, r.Blocking, seconds)
}

// PriceOfStability is welfare(optimal) / welfare(stable): how much welfare
// stability costs, 1 at best. It is 1 when both are 0 and +Inf when only the
// stable one is.
func PriceOfStability(optimal, stable Result) float64 {
	if stable.Welfare == 0 {
		if optimal.Welfare == 0 {
			return 1
		}
		return math.Inf(1)
	}
	return float64(optimal.Welfare) / float64(stable.Welfare)
}

// summarise fills the figures from the assignment. free is the places the
// market had after the contracts.
func (r *Result) summarise(in *Instance, free []int32, targeted []bool) {
	n, m := len(in.graduates), len(in.vacancies)
	r.Fills = make([]int32, m)
	r.Reasons = make([]Reason, n)
	mine := make([]int32, n) // utility of the graduate's place, -1 unplaced
	worst := make([]int32, m)
	market := make([]int32, m) // graduates the market placed at each vacancy
	for v := range worst {
		worst[v] = math.MaxInt32
	}
	for g, v := range r.Assignment {
		mine[g] = -1
		es := in.edges[in.start[g]:in.start[g+1]]
		if v < 0 {
			r.Reasons[g] = Outranked
			if len(es) == 0 {
				r.Reasons[g] = NoEdges
			} else if noPlaces(es, free) {
				r.Reasons[g] = NoPlaces
			}
			continue
		}
		x, _ := in.edge(int32(g), v)
		u, e := edgeUtil(x), edgeScore(x)
		r.Matched++
		r.Fills[v]++
		r.Welfare += int64(u + e)
		mine[g] = u
		top := int32(0)
		for _, x := range es {
			top = max(top, edgeUtil(x))
		}
		if u == top {
			r.FirstChoice++
		}
		if !targeted[g] {
			market[v]++
			worst[v] = min(worst[v], e)
		}
	}
	if n > 0 {
		r.FirstChoiceShare = float64(r.FirstChoice) / float64(n)
	}
	var blocking atomic.Int64
	parallel(n, func(lo, hi int) {
		var b int64
		for g := lo; g < hi; g++ {
			if targeted[g] {
				continue
			}
			own := r.Assignment[g]
			for _, x := range in.edges[in.start[g]:in.start[g+1]] {
				v := edgeVac(x)
				if v == own || edgeUtil(x) <= mine[g] {
					continue
				}
				if market[v] < free[v] || edgeScore(x) > worst[v] {
					b++
				}
			}
		}
		blocking.Add(b)
	})
	r.Blocking = blocking.Load()
}

func noPlaces(es []uint64, free []int32) bool {
	for _, x := range es {
		if free[edgeVac(x)] > 0 {
			return false
		}
	}
	return true
}
