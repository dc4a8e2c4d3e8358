package routing

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"marshrut/internal/classifier"
	"marshrut/internal/ddo"
	"marshrut/internal/engine/match"
	"marshrut/internal/vacancy"
)

// randomRegion makes a small region: municipalities near and far from each
// other, places linked to specialties or their groups with pay often equal
// (so that scores tie) or unnamed, some asking for higher education, some
// without places; candidates with wishes, ДДО results, practice, mentors and
// target contracts with the places' employers.
func randomRegion(rng *rand.Rand, nCands, nPlaces int) (placesCache, []*Candidate, map[string]int) {
	var munis []classifier.Municipality
	for i := range 2 + rng.IntN(5) {
		munis = append(munis, classifier.Municipality{ID: int64(i + 1), Lat: 53 + 2*rng.Float64(), Lon: 158 + 2*rng.Float64()})
	}
	specs := []string{"22.02.06", "22.02.08", "09.02.07", "09.02.01", "44.02.01", "15.01.05"}
	inns := []string{"4101000001", "4101000002", "4101000003", "4101000004", "4101000005"}
	var places []Place
	for i := range nPlaces {
		m := munis[rng.IntN(len(munis))]
		p := Place{VacancyID: fmt.Sprintf("V%03d", i), EmployerINN: inns[rng.IntN(len(inns))], MunicipalityID: m.ID,
			Lat: m.Lat + 0.2*rng.NormFloat64(), Lon: m.Lon + 0.2*rng.NormFloat64(), WorkPlaces: rng.IntN(4), Education: vacancy.EduSPO}
		p.EmployerName = "Работодатель " + p.EmployerINN
		if rng.IntN(8) == 0 {
			p.Lat, p.Lon = 0, 0
		}
		if rng.IntN(5) == 0 {
			p.Education = vacancy.EduHigher
		}
		if rng.IntN(6) > 0 {
			p.SalaryMin = 10000 * (3 + rng.IntN(8))
			if rng.IntN(2) == 0 {
				p.SalaryMax = p.SalaryMin + 10000*rng.IntN(4)
			}
		}
		for range 1 + rng.IntN(3) {
			s := specs[rng.IntN(len(specs))]
			l := vacancy.Link{VacancyID: p.VacancyID, GroupCode: s[:2] + ".00.00", Score: []float64{0.3, 0.6, 0.8, 1}[rng.IntN(4)], Reason: "связь"}
			if rng.IntN(2) == 0 {
				l.SpecialtyCode = s
			}
			p.Links = append(p.Links, l)
		}
		places = append(places, p)
	}
	var cands []*Candidate
	for i := range nCands {
		m := munis[rng.IntN(len(munis))]
		c := &Candidate{LearnerID: int64(i + 1), SpecialtyCode: specs[rng.IntN(len(specs))], MunicipalityID: m.ID, Lat: m.Lat, Lon: m.Lon,
			Relocate: rng.IntN(4) == 0, University: rng.IntN(3) == 0, AvgGrade: []float64{0, 3.5, 4, 4.5, 5}[rng.IntN(5)], DemoExam: rng.IntN(3) * 40}
		if rng.IntN(2) == 0 {
			c.MinSalary = 10000 * (3 + rng.IntN(6))
		}
		if rng.IntN(3) == 0 {
			r := ddo.Result{Points: map[ddo.Type]int{}}
			for _, t := range []ddo.Type{ddo.Nature, ddo.Technics, ddo.Human, ddo.Sign, ddo.Art} {
				r.Points[t] = rng.IntN(9)
			}
			c.DDO = &r
		}
		if rng.IntN(3) == 0 {
			c.PracticeINNs = []string{inns[rng.IntN(len(inns))]}
		}
		if rng.IntN(4) == 0 {
			c.MentorINNs = []string{inns[rng.IntN(len(inns))]}
		}
		if rng.IntN(4) == 0 {
			c.ContractINN = inns[rng.IntN(len(inns))]
		}
		cands = append(cands, c)
	}
	taken := map[string]int{}
	for range rng.IntN(5) {
		taken[places[rng.IntN(len(places))].VacancyID]++
	}
	return indexPlaces(places, 50000, munis), cands, taken
}

// fullLists is the reference: every compatible pair scored at once, as the
// recommendations list them; a holder's employer's vacancies in a first
// group, the rest in a second.
type fullLists struct {
	pairs [][]Pair
	vac   []int32
	step  []int
	place func(p Pair) int // the place index of a pair; nil: from its identifier
}

func newFullLists(pc placesCache, vac []int32, cands []*Candidate) *fullLists {
	f := &fullLists{vac: vac, step: make([]int, len(cands))}
	for _, c := range cands {
		pairs, _ := pairsOf(c, pc, 0, func(i int) bool { return vac[i] >= 0 })
		f.pairs = append(f.pairs, pairs)
	}
	return f
}

func (f *fullLists) Next(g int, buf []match.Edge) []match.Edge {
	for f.step[g] < 2 {
		first := f.step[g] == 0
		f.step[g]++
		for _, p := range f.pairs[g] {
			if p.Holds() == first {
				i := 0
				if f.place != nil {
					i = f.place(p)
				} else {
					i = indexOf(p)
				}
				buf = append(buf, match.Edge{Vacancy: int(f.vac[i]), Utility: p.Graduate.Total, Score: p.Employer.Total, Priority: first})
			}
		}
		if len(buf) > 0 {
			return buf
		}
	}
	return buf
}

// indexOf recovers a pair's place index from its identifier V%03d.
func indexOf(p Pair) int {
	i, _ := strconv.Atoi(p.Place.VacancyID[1:])
	return i
}

// TestListsAreCompleteLists: on random regions the lists produced on demand
// hand out, group by group, exactly every compatible pair with the scores
// the recommendations give it, each group strictly above the rest; and a
// run over them equals the run over the complete lists: the same
// assignment, positions in the lists, reasons, welfare, contracts and first choices, no blocking pair, the
// same most placed as the complete compatibility graph, and an optimal mode
// proved optimal with the welfare of the optimal mode over every pair.
func TestListsAreCompleteLists(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	ctx := context.Background()
	for i := range 40 {
		pc, cands, taken := randomRegion(rng, 20+rng.IntN(120), 10+rng.IntN(80))
		lx, capacity := openLists(pc, taken, cands)
		full := newFullLists(pc, lx.vac, cands)

		// The lists themselves, drained on copies: without the lottery a
		// group is a whole tie, each strictly below the one before; with it
		// the places come in the order utility down, then rank up.
		for _, ranked := range []bool{false, true} {
			drain, capacity := openLists(pc, taken, cands)
			rank := make([]int32, len(capacity))
			for v, r := range rng.Perm(len(capacity)) {
				rank[v] = int32(r)
			}
			if ranked {
				drain.Rank(rank)
			}
			for g, c := range cands {
				var got []match.Edge
				prio := true
				last, lastRank := 1<<30, int32(-1)
				for {
					group := drain.Next(g, nil)
					if len(group) == 0 {
						break
					}
					hi, lo := -1, 1<<30
					for _, e := range group {
						hi, lo = max(hi, e.Utility), min(lo, e.Utility)
						if e.Priority != (group[0].Priority) {
							t.Fatalf("region %d, candidate %d: a group mixes contract and other places", i, g)
						}
					}
					switch {
					case group[0].Priority:
						if !prio {
							t.Fatalf("region %d, candidate %d: contract places after others", i, g)
						}
					case ranked:
						e := group[0]
						if len(group) != 1 || e.Utility > last || e.Utility == last && rank[e.Vacancy] <= lastRank {
							t.Fatalf("region %d, candidate %d: %d places of utility %d rank %d after utility %d rank %d", i, g, len(group),
								e.Utility, rank[e.Vacancy], last, lastRank)
						}
						last, lastRank = e.Utility, rank[e.Vacancy]
					default:
						if hi != lo || hi >= last {
							t.Fatalf("region %d, candidate %d: a group of utilities %d..%d after %d", i, g, lo, hi, last)
						}
						last = lo
					}
					prio = group[0].Priority
					got = append(got, group...)
				}
				var want []match.Edge
				for _, p := range full.pairs[g] {
					want = append(want, match.Edge{Vacancy: int(lx.vac[indexOf(p)]), Utility: p.Graduate.Total, Score: p.Employer.Total, Priority: p.Holds()})
				}
				byVac := func(a, b match.Edge) int { return a.Vacancy - b.Vacancy }
				slices.SortFunc(got, byVac)
				slices.SortFunc(want, byVac)
				if !slices.Equal(got, want) {
					t.Fatalf("region %d, candidate %d (%s): %d edges on demand, %d compatible pairs", i, g, c.SpecialtyCode, len(got), len(want))
				}
			}
		}

		seed := rng.Uint64()
		out, err := lx.match(ctx, capacity, seed, true, func(int, int) {})
		if err != nil {
			t.Fatal(err)
		}
		ref, err := match.Defer(ctx, match.Market{Graduates: len(cands), Capacity: capacity, Lists: full}, match.Options{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		st := out.Stable
		if !slices.Equal(st.Choice, ref.Choice) || !slices.Equal(st.Reasons, ref.Reasons) {
			t.Fatalf("region %d: the places' positions in the lists or the reasons differ from the complete lists", i)
		}
		if !slices.Equal(st.Assignment, ref.Assignment) || st.Welfare != ref.Welfare || st.Targeted != ref.Targeted ||
			st.FirstChoice != ref.FirstChoice || st.Blocking != 0 || ref.Blocking != 0 {
			t.Fatalf("region %d: on demand matched %d welfare %d contracts %d blocking %d; complete lists %d, %d, %d, %d", i,
				st.Matched, st.Welfare, st.Targeted, st.Blocking, ref.Matched, ref.Welfare, ref.Targeted, ref.Blocking)
		}
		if st.Proposals > ref.Proposals {
			t.Errorf("region %d: %d edges produced on demand, more than the %d of the complete lists", i, st.Proposals, ref.Proposals)
		}

		// The complete instance, for the most placed and the optimal mode.
		b := match.NewBuilder()
		for v, c := range capacity {
			b.AddVacancy(strconv.Itoa(v), int(c))
		}
		var edges int64
		for g := range cands {
			id := strconv.Itoa(g)
			b.AddGraduate(id)
			for _, p := range full.pairs[g] {
				v := lx.vac[indexOf(p)]
				if err := b.AddEdge(id, strconv.Itoa(int(v)), p.Graduate.Total, p.Employer.Total); err != nil {
					t.Fatal(err)
				}
				edges++
			}
			if v := st.Assignment[g]; v >= 0 && cands[g].ContractINN != "" && cands[g].ContractINN == pc.list[lx.place[v]].EmployerINN {
				b.AddTarget(id, strconv.Itoa(int(v)))
			}
		}
		in, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		most, err := match.MostPlaced(ctx, match.GraphOf(in))
		if err != nil || most != out.Most || edges != out.Edges {
			t.Errorf("region %d: most placed %d, complete graph %d (%v); pairs %d, counted %d", i, out.Most, most, err, out.Edges, edges)
		}
		if int64(st.Matched) > out.Most {
			t.Errorf("region %d: placed %d above the most %d", i, st.Matched, out.Most)
		}
		opt, err := match.Run(ctx, in, match.Options{Mode: match.Optimal, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if !out.Proven || out.Optimal.Welfare != opt.Welfare || out.Optimal.Targeted != opt.Targeted {
			t.Errorf("region %d: optimal welfare %d (proved %v), over every pair %d", i, out.Optimal.Welfare, out.Proven, opt.Welfare)
		}
		if out.Optimal.Welfare < st.Welfare {
			t.Errorf("region %d: optimal welfare %d below the stable %d", i, out.Optimal.Welfare, st.Welfare)
		}
		if lx.scored > int64(len(cands))*int64(len(pc.list)) {
			t.Errorf("region %d: %d pairs scored", i, lx.scored)
		}
	}
}
