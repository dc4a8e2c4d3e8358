package routing

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/jobs"
	"marshrut/internal/vacancy"
)

// Jobs starts long work in the background.
type Jobs interface {
	Start(ctx context.Context, j *jobs.Job, fn func(ctx context.Context, p jobs.Progress) (any, error)) error
}

// Service recommends vacancies and graduates and runs the matching.
type Service struct {
	store Store
	jobs  Jobs
	now   func() time.Time

	mu     sync.Mutex
	places placesCache
	cands  candidatesCache
}

// candidatesCache keeps the region's candidates for the pages that rank
// them for a vacancy; reading them joins practice, contracts and ДДО results
// for tens of thousands of learners at a region's scale.
type candidatesCache struct {
	at     time.Time
	region string
	year   int
	list   []Candidate
}

type placesCache struct {
	at     time.Time
	region string
	list   []Place
	median int
	index  map[string][]entry // specialty or group code → places linked to it
	// near holds, by code and municipality, the places within a commute of
	// the municipality's centre or in it: those whose candidates do not move.
	near map[nearKey][]entry
}

// entry is a place in an index with the link by which it is there: the
// link to the specialty itself, or the surest link to the group.
type entry struct {
	place int32
	link  *vacancy.Link // in the place's Links
}

type nearKey struct {
	code string
	muni int64
}

// NewService returns a Service.
func NewService(s Store, j Jobs, now func() time.Time) *Service {
	return &Service{store: s, jobs: j, now: now}
}

// Year is the graduation year the routing is about: this year's from July,
// last year's before.
func (s *Service) Year() int {
	n := s.now()
	if n.Month() >= time.July {
		return n.Year()
	}
	return n.Year() - 1
}

// regionPlaces returns the region's places, read at most two minutes ago.
func (s *Service) regionPlaces(ctx context.Context, region string) (placesCache, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.places.region == region && s.now().Sub(s.places.at) < 2*time.Minute {
		return s.places, nil
	}
	list, median, err := s.store.Places(ctx, region)
	if err != nil {
		return placesCache{}, err
	}
	munis, err := s.store.Municipalities(ctx, region)
	if err != nil {
		return placesCache{}, err
	}
	pc := indexPlaces(list, median, munis)
	pc.at, pc.region = s.now(), region
	s.places = pc
	return pc, nil
}

// indexPlaces indexes places by the codes they are linked to, and by code
// and municipality for those within a commute of it.
func indexPlaces(list []Place, median int, munis []classifier.Municipality) placesCache {
	pc := placesCache{list: list, median: median, index: map[string][]entry{}, near: map[nearKey][]entry{}}
	for i := range list {
		list[i].Limits, list[i].LimitWhat = vacancy.LimitsOf(list[i].Title)
	}
	for i, p := range list {
		var reach []int64
		for _, m := range munis {
			within := p.Lat == 0 && p.Lon == 0 || Distance(m.Lat, m.Lon, p.Lat, p.Lon) <= NeighbourKM
			if m.ID == p.MunicipalityID || within {
				reach = append(reach, m.ID)
			}
		}
		best := map[string]*vacancy.Link{}
		for j := range p.Links {
			l := &list[i].Links[j]
			if l.SpecialtyCode != "" {
				best[l.SpecialtyCode] = l
			}
			if b, ok := best[l.GroupCode]; !ok || l.Score > b.Score {
				best[l.GroupCode] = l
			}
		}
		for code, l := range best {
			e := entry{place: int32(i), link: l}
			pc.index[code] = append(pc.index[code], e)
			for _, m := range reach {
				pc.near[nearKey{code, m}] = append(pc.near[nearKey{code, m}], e)
			}
		}
	}
	// Map order must not leak into the results: entries by place.
	for _, list := range pc.index {
		slices.SortFunc(list, func(a, b entry) int { return cmp.Compare(a.place, b.place) })
	}
	for _, list := range pc.near {
		slices.SortFunc(list, func(a, b entry) int { return cmp.Compare(a.place, b.place) })
	}
	return pc
}

// regionCandidates returns the region's candidates, read at most two minutes ago.
func (s *Service) regionCandidates(ctx context.Context, region string) ([]Candidate, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	year := s.Year()
	if s.cands.region == region && s.cands.year == year && s.now().Sub(s.cands.at) < 2*time.Minute {
		return s.cands.list, nil
	}
	list, err := s.store.Candidates(ctx, region, year)
	if err != nil {
		return nil, err
	}
	MarkMinors(list, s.now())
	s.cands = candidatesCache{at: s.now(), region: region, year: year, list: list}
	return list, nil
}

// pairsOf scores the candidate against the places linked to their
// specialty or its group and keeps the best k by the candidate's view (all
// when k is 0) for which keep holds; the incompatible ones are counted by
// reason. The best are kept in a short sorted list as they come, so a
// candidate with thousands of compatible places costs no sorting of them.
func pairsOf(c *Candidate, pc placesCache, k int, keep func(i int) bool) ([]Pair, map[string]int) {
	var out []Pair
	why := map[string]int{}
	if len(c.SpecialtyCode) < 2 {
		why["не указана специальность"]++
		return nil, why
	}
	better := func(a, b *Pair) bool {
		if a.Graduate.Total != b.Graduate.Total {
			return a.Graduate.Total > b.Graduate.Total
		}
		return a.Place.VacancyID < b.Place.VacancyID
	}
	seen := map[int]bool{}
	for _, code := range []string{c.SpecialtyCode, c.SpecialtyCode[:2] + ".00.00"} {
		places := pc.index[code]
		if !c.Relocate {
			places = pc.near[nearKey{code, c.MunicipalityID}]
			if far := len(pc.index[code]) - len(places); far > 0 {
				why["вакансия далеко от дома, а переезд не рассматривается"] += far
			}
		}
		for _, e := range places {
			if seen[int(e.place)] {
				continue
			}
			seen[int(e.place)] = true
			if keep != nil && !keep(int(e.place)) {
				continue
			}
			pair, ok, reason := compatibleVia(c, &pc.list[e.place], *e.link)
			if !ok {
				why[reason]++
				continue
			}
			pair.Rate(pc.median)
			if k == 0 {
				out = append(out, pair)
				continue
			}
			if len(out) == k && !better(&pair, &out[k-1]) {
				continue
			}
			// Insert in order.
			at := len(out)
			for at > 0 && better(&pair, &out[at-1]) {
				at--
			}
			if len(out) == k {
				out = out[:k-1]
			}
			out = slices.Insert(out, at, pair)
		}
	}
	if k == 0 {
		slices.SortFunc(out, func(a, b Pair) int {
			if better(&a, &b) {
				return -1
			}
			if better(&b, &a) {
				return 1
			}
			return 0
		})
	}
	return out, why
}

// Recommendations are the vacancies that suit a candidate, best first by the
// candidate's view, and how many linked ones do not, by reason.
type Recommendations struct {
	Candidate  Candidate
	Pairs      []Pair
	Unsuitable map[string]int
}

// Filter narrows recommendations: the farthest travel accepted and the
// least pay (by the vacancy's upper figure).
type Filter struct {
	Travel Travel // SameMunicipality, Neighbouring or Relocation (all)
	MinPay int
	Limit  int
}

// ForLearner recommends vacancies to a graduate or student the caller sees.
func (s *Service) ForLearner(ctx context.Context, sc auth.Scope, learnerID int64, limit int) (Recommendations, error) {
	return s.Recommend(ctx, sc, learnerID, Filter{Travel: Relocation, Limit: limit})
}

// Recommend recommends vacancies to a graduate or student the caller sees, filtered.
func (s *Service) Recommend(ctx context.Context, sc auth.Scope, learnerID int64, f Filter) (Recommendations, error) {
	limit := f.Limit
	c, err := s.store.Candidate(ctx, sc, learnerID)
	if err != nil {
		return Recommendations{}, err
	}
	one := []Candidate{c}
	MarkMinors(one, s.now())
	c = one[0]
	pc, err := s.regionPlaces(ctx, sc.RegionCode)
	if err != nil {
		return Recommendations{}, err
	}
	pairs, why := pairsOf(&c, pc, 0, func(i int) bool {
		p := &pc.list[i]
		return f.MinPay == 0 || max(p.SalaryMin, p.SalaryMax) >= f.MinPay
	})
	pairs = slices.DeleteFunc(pairs, func(p Pair) bool { return p.Travel > f.Travel })
	slices.SortStableFunc(pairs, func(a, b Pair) int {
		return cmp.Or(cmp.Compare(b.Graduate.Total, a.Graduate.Total), cmp.Compare(b.Employer.Total, a.Employer.Total))
	})
	if limit > 0 && len(pairs) > limit {
		pairs = pairs[:limit]
	}
	for i := range pairs {
		pairs[i].Score(pc.median)
	}
	return Recommendations{Candidate: c, Pairs: pairs, Unsuitable: why}, nil
}

// Applicants are the candidates a vacancy suits, best first by the
// employer's view; those the caller may not see are shown without a name.
type Applicants struct {
	Place   Place
	Pairs   []Pair
	Visible map[int64]bool
}

// ForVacancy ranks the region's candidates for a vacancy.
func (s *Service) ForVacancy(ctx context.Context, sc auth.Scope, vacancyID string, limit int) (Applicants, error) {
	pc, err := s.regionPlaces(ctx, sc.RegionCode)
	if err != nil {
		return Applicants{}, err
	}
	var place *Place
	for i := range pc.list {
		if pc.list[i].VacancyID == vacancyID {
			place = &pc.list[i]
		}
	}
	if place == nil {
		return Applicants{}, apperr.New(apperr.NotFound, "открытая вакансия не найдена")
	}
	cands, err := s.regionCandidates(ctx, sc.RegionCode)
	if err != nil {
		return Applicants{}, err
	}
	var pairs []Pair
	for i := range cands {
		pair, ok, _ := Compatible(&cands[i], place)
		if !ok {
			continue
		}
		pair.Rate(pc.median)
		pairs = append(pairs, pair)
	}
	slices.SortStableFunc(pairs, func(a, b Pair) int {
		return cmp.Or(cmp.Compare(b.Employer.Total, a.Employer.Total), cmp.Compare(b.Graduate.Total, a.Graduate.Total))
	})
	if limit > 0 && len(pairs) > limit {
		pairs = pairs[:limit]
	}
	for i := range pairs {
		pairs[i].Score(pc.median)
	}
	ids := make([]int64, len(pairs))
	for i, p := range pairs {
		ids[i] = p.Candidate.LearnerID
	}
	vis := map[int64]bool{}
	if sc.SeesPersons() && len(ids) > 0 {
		if vis, err = s.store.VisibleLearners(ctx, sc, ids); err != nil {
			return Applicants{}, err
		}
	}
	return Applicants{Place: *place, Pairs: pairs, Visible: vis}, nil
}

// CanRun reports whether the scope starts matching runs and works their
// proposals: the region and employment centres.
func CanRun(sc auth.Scope) bool { return sc.WholeRegion() || sc.Role == auth.CZN && sc.OrgID != 0 }

// Start starts a matching run of the region as a job; round 2 and later
// place those the earlier rounds left without a sent or accepted proposal.
func (s *Service) Start(ctx context.Context, sc auth.Scope, mode Mode, round int, seed uint64) (Run, error) {
	if !CanRun(sc) {
		return Run{}, apperr.New(apperr.Forbidden, "распределение запускают региональный оператор и центры занятости")
	}
	if mode != Stable && mode != Optimal {
		return Run{}, apperr.Field("mode", "неизвестный режим «%s»: stable или optimal", mode)
	}
	if round < 1 {
		round = 1
	}
	if seed == 0 {
		seed = uint64(s.now().UnixNano())
	}
	r := Run{RegionCode: sc.RegionCode, Round: round, Mode: mode, Seed: seed, GraduationYear: s.Year(), CreatedBy: sc.UserID}
	if err := s.store.StartRun(ctx, &r); err != nil {
		return r, err
	}
	job := &jobs.Job{Kind: "routing.match", Title: fmt.Sprintf("Распределение выпускников, тур %d", round), UserID: sc.UserID}
	err := s.jobs.Start(ctx, job, func(ctx context.Context, p jobs.Progress) (any, error) {
		props, err := s.compute(ctx, &r, p)
		if err != nil {
			r.Status, r.Error = Failed, apperr.Message(err)
			props = nil
		} else {
			r.Status = Finished
		}
		if ferr := s.store.FinishRun(context.WithoutCancel(ctx), &r, props); ferr != nil {
			return nil, ferr
		}
		return map[string]any{"run": r.ID, "matched": r.Matched}, err
	})
	if err != nil {
		r.Status, r.Error = Failed, apperr.Message(err)
		_ = s.store.FinishRun(context.WithoutCancel(ctx), &r, nil)
		return r, err
	}
	r.JobID = job.ID
	if err := s.store.SetRunJob(ctx, r.ID, job.ID); err != nil {
		return r, err
	}
	return r, nil
}

// compute matches the region's candidates over their complete lists of
// compatible vacancies in both modes (the other for comparison), finds the
// most that could be placed at all, and makes the proposals with the reasons.
func (s *Service) compute(ctx context.Context, r *Run, progress jobs.Progress) ([]Proposal, error) {
	start := time.Now()
	// The places are read while the candidates are.
	type placesRead struct {
		pc  placesCache
		err error
	}
	read := make(chan placesRead, 1)
	go func() {
		pc, err := s.regionPlaces(ctx, r.RegionCode)
		read <- placesRead{pc, err}
	}()
	cands, err := s.store.Candidates(ctx, r.RegionCode, r.GraduationYear)
	places := <-read
	if err != nil {
		return nil, err
	}
	MarkMinors(cands, s.now())
	pc := places.pc
	if err := places.err; err != nil {
		return nil, err
	}
	placedLearners, takenSeats, err := s.store.Placed(ctx, r.RegionCode)
	if err != nil {
		return nil, err
	}
	var list []*Candidate
	for i := range cands {
		if !placedLearners[cands[i].LearnerID] {
			list = append(list, &cands[i])
		}
	}
	lx, capacity := openLists(pc, takenSeats, list)
	r.Candidates, r.Vacancies = len(list), len(capacity)
	for _, c := range capacity {
		r.Places += int(c)
	}
	if r.Candidates == 0 {
		return nil, apperr.New(apperr.Invalid, "в регионе нет выпускников и студентов выпускного курса, которых нужно распределить")
	}
	out, err := lx.match(ctx, capacity, r.Seed, r.Mode == Optimal, func(done, total int) { progress(done, total) })
	if err != nil {
		return nil, err
	}
	main := out.Stable
	if r.Mode == Optimal {
		main = out.Optimal
	}
	r.Matched, r.FirstChoice, r.Welfare, r.Blocking, r.Contracts = main.Matched, main.FirstChoice, main.Welfare, int(main.Blocking), main.Targeted
	r.OptimalWelfare, r.OptimalMatched, r.OptimalProven = out.Optimal.Welfare, out.Optimal.Matched, out.Proven
	r.MaxMatched, r.Edges, r.Scored = int(out.Most), int(out.Edges), lx.scored
	props := make([]Proposal, 0, len(list))
	for g, c := range list {
		p := Proposal{LearnerID: c.LearnerID, Status: Unmatched}
		if c.ContractINN != "" {
			r.Holders++
		}
		v := main.Assignment[g]
		if v >= 0 {
			place := &pc.list[lx.place[v]]
			pair, _, _ := Compatible(c, place)
			pair.Score(pc.median)
			p.VacancyID, p.Choice, p.Status = place.VacancyID, out.choice(main, g), Proposed
			p.GraduateScore, p.EmployerScore, p.Contract = pair.Graduate.Total, pair.Employer.Total, pair.Holds()
			p.Reasons = pair.Graduate.Reasons()
			if e := pair.Employer.Reasons(); e != "" {
				p.Reasons += " · работодателю: " + e
			}
		} else {
			var why Unplaced
			why, p.Reasons = lx.unplaced(g, main.Reasons[g])
			switch why {
			case NoVacancy:
				r.UnplacedNone++
			case Wishes:
				r.UnplacedWishes++
			case TakenEarlier:
				r.UnplacedTaken++
			default:
				r.UnplacedOutranked++
			}
		}
		if c.ContractINN != "" && !p.Contract {
			p.ContractNote = lx.contractNote(g, takenSeats)
		}
		props = append(props, p)
	}
	r.Seconds = time.Since(start).Seconds()
	return props, nil
}

// unsuitable says why a candidate has no compatible vacancy at all.
func unsuitable(why map[string]int) string {
	if len(why) == 0 {
		return "нет вакансий, связанных со специальностью"
	}
	best, n := "", 0
	for k, v := range why {
		if v > n || v == n && k < best {
			best, n = k, v
		}
	}
	return "нет совместимых вакансий: " + best
}

// Run returns a run of the caller's region.
func (s *Service) Run(ctx context.Context, sc auth.Scope, id int64) (Run, error) {
	return s.store.MatchRun(ctx, sc.RegionCode, id)
}

// Runs returns the region's latest runs.
func (s *Service) Runs(ctx context.Context, sc auth.Scope) ([]Run, error) {
	return s.store.MatchRuns(ctx, sc.RegionCode, 20)
}

// Proposals returns a page of a run's proposals the caller sees.
func (s *Service) Proposals(ctx context.Context, sc auth.Scope, f ProposalFilter) ([]Proposal, int, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return s.store.Proposals(ctx, sc, f)
}

// Decide sends a proposal, or records it accepted or declined.
func (s *Service) Decide(ctx context.Context, sc auth.Scope, id int64, to ProposalStatus) error {
	if !CanRun(sc) {
		return apperr.New(apperr.Forbidden, "предложения рассматривают специалисты центра занятости и региона")
	}
	switch to {
	case Sent, Accepted, Declined:
	default:
		return apperr.Field("status", "неизвестное решение «%s»", to)
	}
	return s.store.DecideProposal(ctx, sc, id, to)
}
