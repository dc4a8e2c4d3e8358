package main

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/guidance"
	"marshrut/internal/mentor"
	"marshrut/internal/store"
	"marshrut/internal/targeted"
)

// BenchmarkFiguresAfterWrite times the figures a page shows right after a
// write that changes one person: each round takes a pupil off an event's
// list or puts the pupil back through the guidance service (which forgets
// what it counted), then reads the region's coverage in total and by
// municipality, the school's coverage, the targeted-education figures and
// the mentorship coverage, and reports p50 and p95 of each read.
//
//	MARSHRUT_BENCH_DB=big.db go test ./cmd/marshrut -run '^$' -bench FiguresAfterWrite -benchtime 20x
func BenchmarkFiguresAfterWrite(b *testing.B) {
	cfg, st := benchRegion(b, 1_000_000)
	ctx := context.Background()
	now := testClock
	guide := guidance.NewService(st.Guidance, now)
	offers := targeted.NewService(st.Targeted, now)
	pairs := mentor.NewService(st.Mentorship, st.Risks, now)
	region := auth.Scope{Role: auth.Region, RegionCode: cfg.Region, UserID: 1}
	// A mark a school may take off and put back: its own pupil on an event
	// held well before today that the school organised or that takes no booking.
	var eventID, learnerID, schoolID int64
	before := now().AddDate(0, 0, -7).Format(time.DateOnly)
	driver := "sqlite"
	if store.EngineOf(cfg.DatabaseURL) == store.Postgres {
		driver = "pgx"
	}
	db, err := sql.Open(driver, cfg.DatabaseURL)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, `SELECT p.event_id, p.learner_id, l.org_id FROM guidance_participation p
		JOIN guidance_event e ON e.id = p.event_id JOIN learner l ON l.id = p.learner_id
		WHERE l.status = 'pupil' AND (NOT e.bookable OR e.organiser_id = l.org_id) AND e.held_on < $1
		AND l.grade BETWEEN e.grade_from AND e.grade_to ORDER BY p.event_id DESC LIMIT 1`, before).Scan(&eventID, &learnerID, &schoolID); err != nil {
		b.Fatal(err)
	}
	school := auth.Scope{Role: auth.School, RegionCode: cfg.Region, OrgID: schoolID, UserID: 1}
	year := guidance.YearOf(now())
	reads := []struct {
		name string
		read func() error
	}{
		{"coverage-region-total", func() error { _, _, err := guide.CountCoverage(ctx, region, year, ""); return err }},
		{"coverage-region-municipalities", func() error { _, err := guide.Coverage(ctx, region, year, "municipality"); return err }},
		{"coverage-school", func() error { _, err := guide.Coverage(ctx, school, year, "school"); return err }},
		{"targeted-figures", func() error { _, err := offers.Figures(ctx, region); return err }},
		{"mentorship-coverage", func() error { _, _, err := st.MentorshipCoverage(ctx, region); return err }},
		{"mentorship-figures", func() error { _, err := pairs.Figures(ctx, region); return err }},
	}
	times := make([][]time.Duration, len(reads))
	var writes []time.Duration
	on := true
	for b.Loop() {
		start := time.Now()
		var err error
		if on {
			err = guide.Unrecord(ctx, school, eventID, learnerID)
		} else {
			_, err = guide.Record(ctx, school, eventID, []int64{learnerID})
		}
		if err != nil {
			b.Fatal(err)
		}
		on = !on
		writes = append(writes, time.Since(start))
		for i, r := range reads {
			start := time.Now()
			if err := r.read(); err != nil {
				b.Fatalf("%s: %v", r.name, err)
			}
			times[i] = append(times[i], time.Since(start))
		}
	}
	if !on { // leave the mark as it was
		if _, err := guide.Record(ctx, school, eventID, []int64{learnerID}); err != nil {
			b.Fatal(err)
		}
	}
	report := func(name string, ts []time.Duration) {
		slices.Sort(ts)
		b.ReportMetric(float64(ts[len(ts)/2].Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(ts[len(ts)*95/100].Microseconds())/1000, name+"-p95-ms")
	}
	report("write", writes)
	for i, r := range reads {
		report(r.name, times[i])
	}
}
