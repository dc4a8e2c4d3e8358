package mentor

import (
	"context"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/history"
	"marshrut/internal/learner"
)

// Risks gives the probability of not finding work of learners, 0–1, from the
// early-warning model; learners without a score are left out of the map.
type Risks interface {
	Risk(ctx context.Context, learnerIDs []int64) (map[int64]float64, error)
}

// Service is the logic of mentorship: who may do what.
type Service struct {
	store  Store
	risks  Risks
	now    func() time.Time
	counts *countsCache
}

// NewService returns a Service on the store; risks may be nil, and then
// proposals do without the risk; now is the clock.
func NewService(s Store, risks Risks, now func() time.Time) *Service {
	cache := &countsCache{}
	return &Service{store: forgetting{Store: s, cache: cache}, risks: risks, now: now, counts: cache}
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// CanCoordinate reports whether the scope runs programmes and makes pairs:
// an education organisation its own, the region any.
func CanCoordinate(sc auth.Scope) bool {
	switch sc.Role {
	case auth.Admin, auth.Region, auth.System:
		return true
	case auth.School, auth.College, auth.University:
		return sc.OrgID != 0
	}
	return false
}

// CanAddMentors reports whether the scope registers mentors: coordinators,
// and employers their own staff.
func CanAddMentors(sc auth.Scope) bool {
	return CanCoordinate(sc) || sc.Role == auth.Employer && sc.OrgID != 0
}

// SeesFigures reports whether the scope sees the figures of mentorship:
// they are counts, but by organisation, so not for a learner.
func SeesFigures(sc auth.Scope) bool {
	switch sc.Role {
	case auth.Admin, auth.Region, auth.System, auth.Federal, auth.College, auth.University, auth.School:
		return true
	}
	return false
}

func forbidden(msg string) error { return apperr.New(apperr.Forbidden, "%s", msg) }

// SaveProgramme validates and stores a programme; a coordinator's are its own.
func (s *Service) SaveProgramme(ctx context.Context, sc auth.Scope, p *Programme) error {
	if !CanCoordinate(sc) {
		return forbidden("программы наставничества ведут образовательные организации и регион")
	}
	if !sc.WholeRegion() {
		p.OrgID = sc.OrgID
	}
	p.RegionCode = sc.RegionCode
	if err := p.Validate(s.now()); err != nil {
		return err
	}
	return s.store.SaveProgramme(ctx, sc, p)
}

// Programme returns a programme the caller sees.
func (s *Service) Programme(ctx context.Context, sc auth.Scope, id int64) (Programme, error) {
	return s.store.Programme(ctx, sc, id)
}

// Programmes lists the programmes the caller sees.
func (s *Service) Programmes(ctx context.Context, sc auth.Scope) ([]Programme, error) {
	return s.store.Programmes(ctx, sc)
}

// SaveMentor validates and stores a mentor: an employer registers its own
// staff for a college; a coordinator registers mentors of its organisation.
// A mentor with an ID is an edit (UpdateMentor).
func (s *Service) SaveMentor(ctx context.Context, sc auth.Scope, m *Mentor) error {
	if m.ID != 0 {
		return s.UpdateMentor(ctx, sc, m)
	}
	if !CanAddMentors(sc) {
		return forbidden("наставников регистрируют образовательные организации, работодатели и регион")
	}
	ownMentor(sc, m)
	m.RegionCode = sc.RegionCode
	if err := m.Validate(); err != nil {
		return err
	}
	return s.store.SaveMentor(ctx, sc, m)
}

// ownMentor fixes what the caller's role decides: an employer's mentors are
// its staff, a coordinator's serve its organisation.
func ownMentor(sc auth.Scope, m *Mentor) {
	switch {
	case sc.Role == auth.Employer:
		m.Kind, m.EmployerID = Staff, sc.OrgID
	case !sc.WholeRegion():
		m.OrgID = sc.OrgID
	}
}

func notMentorEditor() error {
	return forbidden("наставника правят образовательная организация, за которой он закреплён, его предприятие и регион")
}

// UpdateMentor rewrites a mentor: whoever may register them for that
// organisation may edit them. The values are checked as on registration and
// against the mentor's active pairs (CheckEdit); whether the mentor still
// mentors stays as it was.
func (s *Service) UpdateMentor(ctx context.Context, sc auth.Scope, m *Mentor) error {
	if !CanAddMentors(sc) {
		return forbidden("наставников регистрируют и правят образовательные организации, работодатели и регион")
	}
	old, err := s.store.Mentor(ctx, sc, m.ID)
	if err != nil {
		return err
	}
	if !old.EditableBy(sc) {
		return notMentorEditor()
	}
	ownMentor(sc, m)
	m.RegionCode, m.Active = sc.RegionCode, old.Active
	if err := m.Validate(); err != nil {
		return err
	}
	return s.store.UpdateMentor(ctx, sc, m, func(old Mentor) error {
		if !old.EditableBy(sc) {
			return notMentorEditor()
		}
		m.Active, m.CreatedAt = old.Active, old.CreatedAt
		return CheckEdit(old, *m)
	})
}

// MentorHistory returns the edits of a mentor, the latest first, to those
// who may edit them.
func (s *Service) MentorHistory(ctx context.Context, sc auth.Scope, id int64) ([]history.Entry, error) {
	m, err := s.store.Mentor(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	if !CanAddMentors(sc) || !m.EditableBy(sc) {
		return nil, forbidden("историю изменений наставника видят образовательная организация, за которой он закреплён, его предприятие и регион")
	}
	return s.store.History(ctx, sc.RegionCode, history.Mentor, id)
}

// Mentor returns a mentor the caller sees.
func (s *Service) Mentor(ctx context.Context, sc auth.Scope, id int64) (Mentor, error) {
	return s.store.Mentor(ctx, sc, id)
}

// Mentors returns a page of the mentors the caller sees.
func (s *Service) Mentors(ctx context.Context, sc auth.Scope, f MentorFilter) ([]Mentor, int, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return s.store.Mentors(ctx, sc, f)
}

// Choice is one pair to make: a mentor and a learner, or a colleague by name
// in teacher–teacher programmes.
type Choice struct {
	MentorID   int64
	LearnerID  int64
	MenteeName string
}

// Terms are what every pair of one decision shares.
type Terms struct {
	Start, PlannedEnd time.Time
	Goals             string
}

// MakePairs makes the chosen pairs of a programme at once: all of them, or
// none when any breaks a rule (a mentor over capacity, a mentor or a learner
// of an organisation the coordinator does not reach, a mentee with a mentor
// already).
func (s *Service) MakePairs(ctx context.Context, sc auth.Scope, programmeID int64, choices []Choice, t Terms) ([]Pair, error) {
	if !CanCoordinate(sc) {
		return nil, forbidden("пары составляет координатор программы наставничества")
	}
	if len(choices) == 0 {
		return nil, apperr.Field("pairs", "не выбрано ни одной пары")
	}
	if _, err := s.store.Programme(ctx, sc, programmeID); err != nil {
		return nil, err
	}
	ps := make([]Pair, len(choices))
	for i, c := range choices {
		p := Pair{ProgrammeID: programmeID, MentorID: c.MentorID, LearnerID: c.LearnerID, MenteeName: c.MenteeName,
			Start: t.Start, PlannedEnd: t.PlannedEnd, Goals: t.Goals, CreatedBy: sc.UserID, CreatedAt: s.now()}
		if err := p.Validate(); err != nil {
			return nil, err
		}
		ps[i] = p
	}
	if err := s.store.CreatePairs(ctx, sc, ps, CheckPair); err != nil {
		return nil, err
	}
	return ps, nil
}

// Proposals computes the pairs the engine proposes for a programme: its
// mentors with free places and the learners without a mentor, the risk of
// each taken from the early-warning model when it is plugged in.
func (s *Service) Proposals(ctx context.Context, sc auth.Scope, programmeID int64) ([]Proposal, error) {
	if !CanCoordinate(sc) {
		return nil, forbidden("предложения пар видит координатор программы наставничества")
	}
	prog, err := s.store.Programme(ctx, sc, programmeID)
	if err != nil {
		return nil, err
	}
	if !prog.Form.LearnerMentee() {
		return nil, nil
	}
	mentors, _, err := s.store.Mentors(ctx, sc, MentorFilter{OrgID: prog.OrgID, Limit: 5000})
	if err != nil {
		return nil, err
	}
	cands, err := s.store.MentorCandidates(ctx, sc, prog)
	if err != nil {
		return nil, err
	}
	for i := range cands {
		cands[i].Risk = -1
	}
	if s.risks != nil && len(cands) > 0 {
		ids := make([]int64, len(cands))
		for i, c := range cands {
			ids[i] = c.LearnerID
		}
		risk, err := s.risks.Risk(ctx, ids)
		if err != nil {
			return nil, err
		}
		for i, c := range cands {
			if r, ok := risk[c.LearnerID]; ok {
				cands[i].Risk = r
			}
		}
	}
	return Propose(ctx, prog, mentors, cands)
}

// Pair returns a pair the caller sees with its meetings and feedback; the
// read of a learner mentee's pair is written to the audit log.
func (s *Service) Pair(ctx context.Context, sc auth.Scope, id int64) (Pair, []Meeting, []Feedback, error) {
	p, err := s.store.Pair(ctx, sc, id)
	if err != nil {
		return p, nil, nil, err
	}
	if p.LearnerID != 0 && sc.Role != auth.Learner {
		if err := s.store.Audit(ctx, auth.AuditEntry{At: s.now(), UserID: sc.UserID, Role: sc.Role, Action: "mentor.pair.read", LearnerID: p.LearnerID, From: sc.From}); err != nil {
			return p, nil, nil, err
		}
	}
	ms, err := s.store.Meetings(ctx, sc, id)
	if err != nil {
		return p, nil, nil, err
	}
	fs, err := s.store.Feedback(ctx, sc, id)
	return p, ms, fs, err
}

// Pairs returns a page of the pairs the caller sees.
func (s *Service) Pairs(ctx context.Context, sc auth.Scope, f PairFilter) ([]Pair, int, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, 0, apperr.Field("status", "неизвестное состояние пары «%s»", f.Status)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return s.store.Pairs(ctx, sc, f)
}

// MayLog reports whether the scope logs the meetings of a pair: its
// coordinator, the region, and the enterprise of its mentor.
func MayLog(sc auth.Scope, p Pair) bool {
	switch {
	case sc.WholeRegion():
		return true
	case sc.Role == auth.Employer:
		return sc.OrgID != 0 && sc.OrgID == p.EmployerID
	}
	return CanCoordinate(sc) && sc.OrgID == p.OrgID
}

// FinishPair ends a pair: completed on its planned end, early before it.
func (s *Service) FinishPair(ctx context.Context, sc auth.Scope, id int64, end time.Time, reason string) error {
	return s.store.FinishPair(ctx, sc, id, func(p *Pair) error {
		if !CanCoordinate(sc) || !MayLog(sc, *p) {
			return forbidden("пару завершает координатор программы наставничества")
		}
		return p.Finish(end, reason)
	})
}

// AddMeeting logs a meeting of a pair.
func (s *Service) AddMeeting(ctx context.Context, sc auth.Scope, m *Meeting) error {
	return s.store.AddMeeting(ctx, sc, m, func(p Pair) error {
		if !MayLog(sc, p) {
			return forbidden("журнал встреч ведут координатор программы и предприятие наставника")
		}
		return m.Validate(p, s.now())
	})
}

// Sides lists the sides whose feedback the caller records on a pair: the
// mentee their own, the mentor's enterprise the mentor's, a coordinator both
// (from paper forms).
func Sides(sc auth.Scope, p Pair) []Side {
	switch {
	case sc.Role == auth.Learner:
		if p.LearnerID != 0 && p.LearnerID == sc.LearnerID {
			return []Side{MenteeSide}
		}
		return nil
	case sc.Role == auth.Employer:
		if MayLog(sc, p) {
			return []Side{MentorSide}
		}
		return nil
	case MayLog(sc, p):
		return []Side{MenteeSide, MentorSide}
	}
	return nil
}

// AddFeedback records one side's feedback on a pair.
func (s *Service) AddFeedback(ctx context.Context, sc auth.Scope, f *Feedback) error {
	p, err := s.store.Pair(ctx, sc, f.PairID)
	if err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	allowed := false
	for _, side := range Sides(sc, p) {
		allowed = allowed || side == f.Side
	}
	if !allowed {
		return forbidden("этот отзыв оставляет другая сторона пары")
	}
	f.At = s.now()
	return s.store.AddFeedback(ctx, sc, f)
}

// Figures computes the figures of mentorship within the caller's scope; the
// employment compared is that of the latest graduation year whose six
// months have passed and that has mentored graduates of a known status.
func (s *Service) Figures(ctx context.Context, sc auth.Scope) (Figures, error) {
	if !SeesFigures(sc) {
		return Figures{}, forbidden("показатели наставничества доступны образовательным организациям и региону")
	}
	if sc.Role == auth.Federal {
		sc = auth.SystemScope(sc.RegionCode) // counts carry no person
	}
	now := s.now()
	year := now.Year()
	if learner.GraduationDay(year).AddDate(0, 6, 0).After(now) {
		year--
	}
	key := countsKey(sc, year)
	c, ok := s.counts.get(key, now)
	if !ok {
		var err error
		if c, err = s.store.Counts(ctx, sc, year); err != nil {
			return Figures{}, err
		}
		s.counts.put(key, c, now)
	}
	if c.Year == 0 {
		c.Year = year
	}
	return Compute(c), nil
}
