package report_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"marshrut/internal/analytics"
	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/demo"
	"marshrut/internal/jobs"
	"marshrut/internal/kpi"
	"marshrut/internal/report"
	"marshrut/internal/store"
	"marshrut/internal/tables"
)

type syncJobs struct{ next int64 }

func (j *syncJobs) Start(ctx context.Context, job *jobs.Job, fn func(context.Context, jobs.Progress) (any, error)) error {
	j.next++
	job.ID = j.next
	_, err := fn(ctx, func(int, int) {})
	return err
}

func TestMonthlyReport(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "r.db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b, _ := classifier.LoadBuiltin()
	if err := s.SeedClassifiers(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := s.Load(ctx, func(l *store.Loader) error {
		_, err := demo.Generate(ctx, l, demo.Options{Seed: 2, Learners: 5000, Region: "41", Now: now})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	m := analytics.NewMonitor(s.Analytics, clock)
	svc := report.NewService(s.Reports, kpi.NewService(m, s.Targets, clock, time.UTC), &syncJobs{}, tables.ReportXLSX, clock)
	college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: 1}
	if _, err := svc.Start(ctx, college); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("a college makes the region's report: %v", err)
	}
	region := auth.Scope{Role: auth.Region, RegionCode: "41", UserID: 1}
	if _, err := svc.Start(ctx, region); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Start(ctx, region); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("a second report of the month: %v", err)
	}
	list, err := svc.Reports(ctx, region)
	if err != nil || len(list) != 1 || list[0].Period != "2026-11" || list[0].Size == 0 {
		t.Fatalf("reports %+v, %v", list, err)
	}
	r, err := svc.Report(ctx, region, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	book, err := excelize.OpenReader(bytes.NewReader(r.Content))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := book.GetRows(book.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	v, _ := m.View(ctx, region, "region", 0)
	if len(rows) != 2+len(v.Children) || rows[1][0] != "Регион в целом" || !strings.Contains(rows[0][1], "Охват профориентацией") {
		t.Fatalf("report rows: %d, first %v", len(rows), rows[:min(2, len(rows))])
	}
	if _, err := svc.Report(ctx, auth.Scope{Role: auth.Region, RegionCode: "25"}, list[0].ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("another region's report: %v", err)
	}
}
