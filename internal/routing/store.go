package routing

import (
	"context"

	"marshrut/internal/auth"
	"marshrut/internal/classifier"
)

// Store is what routing needs from storage.
type Store interface {
	BulkStore
	Candidates(ctx context.Context, region string, year int) ([]Candidate, error)
	Candidate(ctx context.Context, sc auth.Scope, id int64) (Candidate, error)
	Places(ctx context.Context, region string) ([]Place, int, error)
	Municipalities(ctx context.Context, region string) ([]classifier.Municipality, error)
	VisibleLearners(ctx context.Context, sc auth.Scope, ids []int64) (map[int64]bool, error)
	StartRun(ctx context.Context, r *Run) error
	SetRunJob(ctx context.Context, runID, jobID int64) error
	FinishRun(ctx context.Context, r *Run, props []Proposal) error
	MatchRun(ctx context.Context, region string, id int64) (Run, error)
	MatchRuns(ctx context.Context, region string, limit int) ([]Run, error)
	Placed(ctx context.Context, region string) (map[int64]bool, map[string]int, error)
	Proposals(ctx context.Context, sc auth.Scope, f ProposalFilter) ([]Proposal, int, error)
	DecideProposal(ctx context.Context, sc auth.Scope, id int64, to ProposalStatus) error
}
