package balance

import (
	"context"
	"time"

	"marshrut/internal/auth"
)

// Store is what the balance needs from storage.
type Store interface {
	// Input loads what the balance is computed from, aggregated in
	// the database: everything but Now and SchoolYear.
	Input(ctx context.Context, region string, now time.Time) (Input, error)
	// SetMaxChange stores the region's limit on a proposal's change.
	SetMaxChange(ctx context.Context, region string, share float64, at time.Time) error
	// MaxChange returns the region's limit, ok false when none is set.
	MaxChange(ctx context.Context, region string) (float64, bool, error)
	Needs(ctx context.Context, sc auth.Scope, f NeedFilter) ([]Need, error)
	SaveNeeds(ctx context.Context, sc auth.Scope, needs []Need) error
	DeleteNeed(ctx context.Context, sc auth.Scope, id int64) error
	EmployersByINN(ctx context.Context, region string, inns []string) (map[string]Org, error)
	SaveCapacities(ctx context.Context, sc auth.Scope, cs []Capacity) error
	SaveAges(ctx context.Context, region string, ages []Age) error
	Scenarios(ctx context.Context, region string) ([]Scenario, error)
	Scenario(ctx context.Context, region string, id int64) (Scenario, error)
	SaveScenario(ctx context.Context, s *Scenario) error
	DeleteScenario(ctx context.Context, region string, id int64) error
}
