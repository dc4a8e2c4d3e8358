// Package report makes the reports the ministry takes to its meetings: the
// monthly report of the region's figures by municipality, generated as a
// background job once a month and kept as the file it was.
package report

import (
	"context"
	"log/slog"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/jobs"
	"marshrut/internal/kpi"
)

// Monthly is the kind of the monthly report.
const Monthly = "monthly"

// Report is a generated report.
type Report struct {
	ID         int64
	RegionCode string
	Kind       string
	Period     string // YYYY-MM
	Content    []byte // XLSX; empty in lists
	Size       int
	JobID      int64
	CreatedAt  time.Time
}

// Jobs starts long work in the background.
type Jobs interface {
	Start(ctx context.Context, j *jobs.Job, fn func(ctx context.Context, p jobs.Progress) (any, error)) error
}

// ColumnKind is what a column of a report holds.
type ColumnKind int

const (
	Text  ColumnKind = iota // a name
	Count                   // a whole number
	Share                   // a fraction, shown as a percentage
)

// Column is a column of a report's table; Width is in characters.
type Column struct {
	Title string
	Kind  ColumnKind
	Width float64
}

// Table is a report as plain values, before it becomes the file kept.
type Table struct {
	Sheet   string
	Columns []Column
	Rows    [][]any
}

// Writer makes the file of a table; the program writes XLSX (tables.ReportXLSX).
type Writer func(Table) ([]byte, error)

// Service generates and keeps reports.
type Service struct {
	store    Store
	measures *kpi.Service
	jobs     Jobs
	write    Writer
	now      func() time.Time
}

// NewService returns a Service; w makes the file of a report.
func NewService(s Store, m *kpi.Service, j Jobs, w Writer, now func() time.Time) *Service {
	return &Service{store: s, measures: m, jobs: j, write: w, now: now}
}

// CanSee reports whether the scope reads and generates the region's reports.
func CanSee(sc auth.Scope) bool { return sc.WholeRegion() }

// Build writes the monthly report of the region as XLSX: the region's
// headline figures and each municipality's, with counts and shares.
func (s *Service) Build(ctx context.Context, region string) ([]byte, error) {
	sc := auth.SystemScope(region)
	d, err := s.measures.Document(ctx, sc, kpi.Scope{Kind: "region"}, time.Time{})
	if err != nil {
		return nil, err
	}
	targets, err := s.measures.Targets(ctx, region, d.TargetYear)
	if err != nil {
		return nil, err
	}
	t := Table{Sheet: "Показатели " + d.AsOf.Format("01.2006"), Columns: []Column{{Title: "Муниципальное образование", Width: 40}}}
	for _, m := range d.Items {
		t.Columns = append(t.Columns, Column{Title: m.Name + ": число", Kind: Count, Width: 12},
			Column{Title: m.Name + ": из", Kind: Count, Width: 12},
			Column{Title: m.Name, Kind: Share, Width: 14})
	}
	row := func(name string, items []kpi.Item) {
		vals := []any{name}
		byCode := map[string]kpi.Item{}
		for _, it := range items {
			byCode[it.Code] = it
		}
		for _, m := range d.Items {
			it, ok := byCode[m.Code]
			if !ok {
				vals = append(vals, nil, nil, nil)
				continue
			}
			vals = append(vals, it.Numerator, it.Denominator, it.Rate())
		}
		t.Rows = append(t.Rows, vals)
	}
	row("Регион в целом", d.Items)
	for _, c := range d.View.Children {
		row(c.Level.Name, kpi.Evaluate(c.Figures, false, targets))
	}
	return s.write(t)
}

// Generate builds and keeps the monthly report of the current month;
// a month's report, once made, is not made again.
func (s *Service) Generate(ctx context.Context, region string, jobID int64) (Report, error) {
	period := s.now().Format("2006-01")
	if ok, err := s.store.HasReport(ctx, region, Monthly, period); err != nil || ok {
		if ok {
			err = apperr.New(apperr.Conflict, "отчёт за %s уже сформирован", period)
		}
		return Report{}, err
	}
	content, err := s.Build(ctx, region)
	if err != nil {
		return Report{}, err
	}
	r := Report{RegionCode: region, Kind: Monthly, Period: period, Content: content, Size: len(content), JobID: jobID, CreatedAt: s.now()}
	return r, s.store.SaveReport(ctx, &r)
}

// Start generates the current month's report as a background job.
func (s *Service) Start(ctx context.Context, sc auth.Scope) (int64, error) {
	if !CanSee(sc) {
		return 0, apperr.New(apperr.Forbidden, "отчёты региона формирует региональный оператор")
	}
	period := s.now().Format("2006-01")
	if ok, err := s.store.HasReport(ctx, sc.RegionCode, Monthly, period); err != nil || ok {
		if ok {
			err = apperr.New(apperr.Conflict, "отчёт за %s уже сформирован", period)
		}
		return 0, err
	}
	j := &jobs.Job{Kind: "report.monthly", Title: "Ежемесячный отчёт за " + period, UserID: sc.UserID}
	err := s.jobs.Start(context.WithoutCancel(ctx), j, func(ctx context.Context, p jobs.Progress) (any, error) {
		r, err := s.Generate(ctx, sc.RegionCode, j.ID)
		return map[string]any{"report_id": r.ID, "period": r.Period, "bytes": r.Size}, err
	})
	return j.ID, err
}

// Reports lists the region's reports, newest first.
func (s *Service) Reports(ctx context.Context, sc auth.Scope) ([]Report, error) {
	if !CanSee(sc) {
		return nil, apperr.New(apperr.Forbidden, "отчёты региона видит региональный оператор")
	}
	return s.store.Reports(ctx, sc.RegionCode, 36)
}

// Report returns a report with its file.
func (s *Service) Report(ctx context.Context, sc auth.Scope, id int64) (Report, error) {
	if !CanSee(sc) {
		return Report{}, apperr.New(apperr.Forbidden, "отчёты региона видит региональный оператор")
	}
	return s.store.Report(ctx, sc.RegionCode, id)
}

// Schedule makes the month's report once the month has begun, checking every
// interval until ctx ends: the job of a report that already exists is not started.
func (s *Service) Schedule(ctx context.Context, region string, interval time.Duration, log *slog.Logger) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		if _, err := s.Start(ctx, auth.SystemScope(region)); err != nil && !apperr.Is(err, apperr.Conflict) {
			log.Warn("monthly report", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
