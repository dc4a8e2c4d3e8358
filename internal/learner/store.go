package learner

import (
	"context"

	"marshrut/internal/auth"
)

// Store is what learners need from storage. Every method that can return a person
// takes the caller's scope and applies it in its query: a learner outside the
// scope is NotFound, exactly as a missing one.
type Store interface {
	CreateLearner(ctx context.Context, sc auth.Scope, l *Learner) error
	UpdateLearner(ctx context.Context, sc auth.Scope, l *Learner) error
	Learner(ctx context.Context, sc auth.Scope, id int64) (Learner, error)
	Learners(ctx context.Context, sc auth.Scope, f Filter) ([]Learner, int, error)
	Stages(ctx context.Context, sc auth.Scope, learnerID int64) ([]Stage, error)
	AddStage(ctx context.Context, sc auth.Scope, s *Stage) error
	Outcomes(ctx context.Context, sc auth.Scope, learnerID int64) ([]Outcome, error)
	// Card reads what a learner's card shows of the learner, in one read:
	// the learner within the scope (outside it, NotFound), the stages, the
	// outcomes and, for a student or graduate whom the scope may see scored,
	// the risk figure (Card.Risk). Periods and Now are left to the Service.
	Card(ctx context.Context, sc auth.Scope, id int64) (Card, error)
	AddOutcome(ctx context.Context, sc auth.Scope, o *Outcome) error
}
