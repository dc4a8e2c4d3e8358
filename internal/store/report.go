package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"marshrut/internal/apperr"
	"marshrut/internal/report"
)

// SaveReport keeps a generated report; a second report of the same kind and
// period is a conflict.
func (s *Reports) SaveReport(ctx context.Context, r *report.Report) error {
	err := s.write.QueryRowContext(ctx, `INSERT INTO report (region_code, kind, period, content, job_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, r.RegionCode, r.Kind, r.Period, r.Content, nullID(r.JobID), tsArg(r.CreatedAt)).Scan(&r.ID)
	if isUniqueViolation(err) {
		return apperr.New(apperr.Conflict, "отчёт за %s уже сформирован", r.Period)
	}
	return wrap("save report", err)
}

// HasReport reports whether the region has a report of the kind and period.
func (s *Reports) HasReport(ctx context.Context, region, kind, period string) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM report WHERE region_code = $1 AND kind = $2 AND period = $3`, region, kind, period).Scan(&n)
	return n > 0, wrap("has report", err)
}

// Reports lists the region's reports, newest first, without their files.
func (s *Reports) Reports(ctx context.Context, region string, limit int) ([]report.Report, error) {
	var out []report.Report
	err := eachRow(ctx, s.read, `SELECT id, region_code, kind, period, length(content), COALESCE(job_id, 0), created_at FROM report
		WHERE region_code = $1 ORDER BY period DESC, id DESC LIMIT `+strconv.Itoa(limit), args{region}, func(r *sql.Rows) error {
		var x report.Report
		if err := r.Scan(&x.ID, &x.RegionCode, &x.Kind, &x.Period, &x.Size, &x.JobID, timeScan{&x.CreatedAt}); err != nil {
			return err
		}
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: reports: %w", err)
	}
	return out, nil
}

// Report returns a report of the region with its file.
func (s *Reports) Report(ctx context.Context, region string, id int64) (report.Report, error) {
	var x report.Report
	err := s.read.QueryRowContext(ctx, `SELECT id, region_code, kind, period, content, COALESCE(job_id, 0), created_at FROM report
		WHERE region_code = $1 AND id = $2`, region, id).Scan(&x.ID, &x.RegionCode, &x.Kind, &x.Period, &x.Content, &x.JobID, timeScan{&x.CreatedAt})
	x.Size = len(x.Content)
	return x, wrap("report", notFound(err, "отчёт не найден"))
}
