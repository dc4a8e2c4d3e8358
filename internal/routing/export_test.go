package routing

import (
	"context"
	"strconv"

	"marshrut/internal/engine/match"
)

// Complete is a run computed the plain way, for tests to check runs by: every
// compatible pair of every candidate scored at once, deferred acceptance over
// the complete lists with the employer's vacancies first for a holder of a
// target contract, and the most placed over the complete graph.
type Complete struct {
	Result   match.Result
	Most     int64
	Learners []int64         // of each graduate index
	Vacancy  []string        // of each vacancy index
	Capacity []int32         // of each vacancy index
	Employer map[int64][]int // a holder's employer's compatible open vacancies
	Holds    func(g, v int) bool
	Instance *match.Instance // the complete lists, without the contracts
}

// CompleteRun computes the region's run of the year the plain way.
func CompleteRun(ctx context.Context, s *Service, region string, year int, seed uint64) (Complete, error) {
	cands, err := s.store.Candidates(ctx, region, year)
	if err != nil {
		return Complete{}, err
	}
	MarkMinors(cands, s.now())
	pc, err := s.regionPlaces(ctx, region)
	if err != nil {
		return Complete{}, err
	}
	placed, taken, err := s.store.Placed(ctx, region)
	if err != nil {
		return Complete{}, err
	}
	var list []*Candidate
	for i := range cands {
		if !placed[cands[i].LearnerID] {
			list = append(list, &cands[i])
		}
	}
	lx, capacity := openLists(pc, taken, list)
	index := make(map[*Place]int, len(pc.list))
	for i := range pc.list {
		index[&pc.list[i]] = i
	}
	placeIndex := func(p *Place) int { return index[p] }
	full := &fullLists{vac: lx.vac, step: make([]int, len(list))}
	out := Complete{Capacity: capacity, Employer: map[int64][]int{}}
	b := match.NewBuilder()
	for v, c := range capacity {
		out.Vacancy = append(out.Vacancy, pc.list[lx.place[v]].VacancyID)
		b.AddVacancy(strconv.Itoa(v), int(c))
	}
	for g, c := range list {
		pairs, _ := pairsOf(c, pc, 0, func(i int) bool { return lx.vac[i] >= 0 })
		full.pairs = append(full.pairs, pairs)
		out.Learners = append(out.Learners, c.LearnerID)
		id := strconv.Itoa(g)
		b.AddGraduate(id)
		for _, p := range pairs {
			v := lx.vac[placeIndex(p.Place)]
			b.AddEdge(id, strconv.Itoa(int(v)), p.Graduate.Total, p.Employer.Total)
			if p.Holds() {
				out.Employer[c.LearnerID] = append(out.Employer[c.LearnerID], int(v))
			}
		}
	}
	full.place = func(p Pair) int { return placeIndex(p.Place) }
	if out.Result, err = match.Defer(ctx, match.Market{Graduates: len(list), Capacity: capacity, Lists: full}, match.Options{Seed: seed}); err != nil {
		return Complete{}, err
	}
	in, err := b.Build()
	if err != nil {
		return Complete{}, err
	}
	out.Instance = in
	if out.Most, err = match.MostPlaced(ctx, match.GraphOf(in)); err != nil {
		return Complete{}, err
	}
	out.Holds = func(g, v int) bool {
		return list[g].ContractINN != "" && list[g].ContractINN == pc.list[lx.place[v]].EmployerINN
	}
	return out, nil
}

// Prepared is a run's input read once, for benchmarks of the computation
// alone.
type Prepared struct {
	pc    placesCache
	cands []*Candidate
	taken map[string]int
}

// Prepare reads what a run of the region's year computes on.
func Prepare(ctx context.Context, s *Service, region string, year int) (Prepared, error) {
	cands, err := s.store.Candidates(ctx, region, year)
	if err != nil {
		return Prepared{}, err
	}
	MarkMinors(cands, s.now())
	pc, err := s.regionPlaces(ctx, region)
	if err != nil {
		return Prepared{}, err
	}
	placed, taken, err := s.store.Placed(ctx, region)
	if err != nil {
		return Prepared{}, err
	}
	p := Prepared{pc: pc, taken: taken}
	for i := range cands {
		if !placed[cands[i].LearnerID] {
			p.cands = append(p.cands, &cands[i])
		}
	}
	return p, nil
}

// Figures are what a computation found.
type Figures struct {
	Candidates, Placed, Most, OptimalPlaced int
	Scored, Pairs, Proposals                int64
	Proven                                  bool
}

// Match computes the run in memory as a stable run does: the stable mode
// over the complete lists, the most placed and, up to CompareLimit
// candidates, the optimal mode with its proof.
func (p Prepared) Match(ctx context.Context, seed uint64) (Figures, error) {
	lx, capacity := openLists(p.pc, p.taken, p.cands)
	out, err := lx.match(ctx, capacity, seed, false, func(int, int) {})
	if err != nil {
		return Figures{}, err
	}
	return Figures{Candidates: len(p.cands), Placed: out.Stable.Matched, Most: int(out.Most), OptimalPlaced: out.Optimal.Matched,
		Scored: lx.scored, Pairs: out.Edges, Proposals: out.Stable.Proposals, Proven: out.Proven}, nil
}
