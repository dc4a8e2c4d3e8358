package jobs

import (
	"context"
	"encoding/json"
	"time"
)

// Store keeps jobs. Progress is not stored: a running job often holds the
// database's only writer (an import's transaction), so its progress lives in
// the Runner's memory and only the start and the end are written.
type Store interface {
	CreateJob(ctx context.Context, j *Job) error
	FinishJob(ctx context.Context, id int64, status Status, result json.RawMessage, errMsg string, at time.Time) error
	Job(ctx context.Context, id int64) (Job, error)
	Jobs(ctx context.Context, userID int64, limit int) ([]Job, error)
}
