package mentor

import (
	"context"

	"marshrut/internal/auth"
	"marshrut/internal/history"
)

// Store is what mentorship needs from storage. Every method takes the
// caller's scope and applies it in its query: a programme, mentor or pair
// outside it is NotFound, exactly as a missing one.
type Store interface {
	SaveProgramme(ctx context.Context, sc auth.Scope, p *Programme) error
	Programme(ctx context.Context, sc auth.Scope, id int64) (Programme, error)
	Programmes(ctx context.Context, sc auth.Scope) ([]Programme, error)
	SaveMentor(ctx context.Context, sc auth.Scope, m *Mentor) error
	// UpdateMentor rewrites a mentor the scope sees in one transaction: it
	// reads the mentor with their active pairs, lets check refuse, writes the
	// new values and records the changed fields.
	UpdateMentor(ctx context.Context, sc auth.Scope, m *Mentor, check func(old Mentor) error) error
	// History returns the edits of an object of the region, the latest first.
	History(ctx context.Context, region string, kind history.Kind, id int64) ([]history.Entry, error)
	Mentor(ctx context.Context, sc auth.Scope, id int64) (Mentor, error)
	Mentors(ctx context.Context, sc auth.Scope, f MentorFilter) ([]Mentor, int, error)
	// CreatePairs writes the pairs in one transaction, each after check
	// has passed it with what the transaction reads; one refusal writes none.
	CreatePairs(ctx context.Context, sc auth.Scope, ps []Pair, check func(*Pair, Reach) error) error
	Pair(ctx context.Context, sc auth.Scope, id int64) (Pair, error)
	Pairs(ctx context.Context, sc auth.Scope, f PairFilter) ([]Pair, int, error)
	// FinishPair changes a pair in one transaction through finish.
	FinishPair(ctx context.Context, sc auth.Scope, id int64, finish func(*Pair) error) error
	AddMeeting(ctx context.Context, sc auth.Scope, m *Meeting, check func(Pair) error) error
	Meetings(ctx context.Context, sc auth.Scope, pairID int64) ([]Meeting, error)
	AddFeedback(ctx context.Context, sc auth.Scope, f *Feedback) error
	Feedback(ctx context.Context, sc auth.Scope, pairID int64) ([]Feedback, error)
	// MentorCandidates lists the learners of the programme's organisation that
	// the programme's form may mentor and that have no active pair.
	MentorCandidates(ctx context.Context, sc auth.Scope, prog Programme) ([]Candidate, error)
	// Counts counts coverage, pairs and the employment of the
	// graduates of year within the scope.
	Counts(ctx context.Context, sc auth.Scope, year int) (Counts, error)
	Audit(ctx context.Context, e auth.AuditEntry) error
}
