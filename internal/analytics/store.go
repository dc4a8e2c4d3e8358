package analytics

import (
	"context"

	"marshrut/internal/auth"
)

// Store is what analytics needs from storage; every figure is computed within the scope.
type Store interface {
	Overview(ctx context.Context, sc auth.Scope) (Overview, error)
	Cohorts(ctx context.Context, sc auth.Scope, years []int) ([]Cohort, error)
	Employment(ctx context.Context, sc auth.Scope, by string, years []int) ([]EmploymentRow, error)
	Rating(ctx context.Context, sc auth.Scope, by string, year int) ([]RatingRow, error)
}
