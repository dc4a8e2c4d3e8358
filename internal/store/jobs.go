package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"marshrut/internal/jobs"
)

// CreateJob records a new job.
func (s *Jobs) CreateJob(ctx context.Context, j *jobs.Job) error {
	return wrap("create job", s.write.QueryRowContext(ctx, `INSERT INTO job (kind, title, user_id, status, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		j.Kind, j.Title, j.UserID, j.Status, tsArg(j.CreatedAt)).Scan(&j.ID))
}

// FinishJob records a job's end.
func (s *Jobs) FinishJob(ctx context.Context, id int64, status jobs.Status, result json.RawMessage, errMsg string, at time.Time) error {
	var res any
	if result != nil {
		res = string(result)
	}
	_, err := s.write.ExecContext(ctx, `UPDATE job SET status = $1, result = $2, error = $3, finished_at = $4, done = CASE WHEN total > 0 THEN total ELSE done END WHERE id = $5`,
		status, res, errMsg, tsArg(at), id)
	return wrap("finish job", err)
}

// Job returns a job.
func (s *Jobs) Job(ctx context.Context, id int64) (jobs.Job, error) {
	var j jobs.Job
	var res sql.NullString
	err := s.read.QueryRowContext(ctx, `SELECT id, kind, title, user_id, status, done, total, result, error, created_at, finished_at FROM job WHERE id = $1`, id).
		Scan(&j.ID, &j.Kind, &j.Title, &j.UserID, &j.Status, &j.Done, &j.Total, &res, &j.Error, timeScan{&j.CreatedAt}, timeScan{&j.FinishedAt})
	if res.Valid {
		j.Result = json.RawMessage(res.String)
	}
	return j, wrap("job", notFound(err, "задание не найдено"))
}

// FailInterrupted marks the jobs that were running when the program stopped.
func (s *Store) FailInterrupted(ctx context.Context, at time.Time) error {
	_, err := s.write.ExecContext(ctx, `UPDATE job SET status = $1, error = $2, finished_at = $3 WHERE status = $4`,
		jobs.Failed, "Задание прервано остановкой программы: запустите его снова.", tsArg(at), jobs.Running)
	return wrap("fail interrupted", err)
}

// Jobs returns a user's latest jobs, newest first.
func (s *Jobs) Jobs(ctx context.Context, userID int64, limit int) ([]jobs.Job, error) {
	return list(ctx, s.read, "jobs", `SELECT id, kind, title, user_id, status, done, total, error, created_at, finished_at
		FROM job WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, args{userID, limit}, func(rows *sql.Rows) (jobs.Job, error) {
		var j jobs.Job
		if err := rows.Scan(&j.ID, &j.Kind, &j.Title, &j.UserID, &j.Status, &j.Done, &j.Total, &j.Error,
			timeScan{&j.CreatedAt}, timeScan{&j.FinishedAt}); err != nil {
			return j, err
		}
		return j, nil
	})
}
