package report

import "context"

// Store keeps reports.
type Store interface {
	SaveReport(ctx context.Context, r *Report) error
	Reports(ctx context.Context, region string, limit int) ([]Report, error)
	Report(ctx context.Context, region string, id int64) (Report, error)
	HasReport(ctx context.Context, region, kind, period string) (bool, error)
}
