package kpi

import "context"

// Store keeps the targets. Rows are never changed: a new row is a new
// target, and the latest of a code and year counts.
type Store interface {
	// Targets returns the latest target of each code for the year.
	Targets(ctx context.Context, region string, year int) ([]Target, error)
	// TargetHistory returns every target of a code, newest first.
	TargetHistory(ctx context.Context, region, code string) ([]Target, error)
	AddTarget(ctx context.Context, region string, t *Target) error
}
