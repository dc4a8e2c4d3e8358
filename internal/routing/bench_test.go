package routing_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/demo"
	"marshrut/internal/routing"
	"marshrut/internal/store"
)

// benchMatch computes a run of the region in memory, again and again: the
// stable mode over the complete lists, the most placed, and the optimal mode
// with its proof; reading and writing the database are not counted.
func benchMatch(b *testing.B, s *store.Store) {
	ctx := context.Background()
	svc := routing.NewService(s.Routing, &syncJobs{}, func() time.Time { return today })
	p, err := routing.Prepare(ctx, svc, "41", svc.Year())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var f routing.Figures
	for b.Loop() {
		if f, err = p.Match(ctx, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(f.Candidates), "candidates")
	b.ReportMetric(float64(f.Placed), "placed")
	b.ReportMetric(float64(f.Most), "most")
	b.ReportMetric(float64(f.OptimalPlaced), "optimal-placed")
	b.ReportMetric(float64(f.Pairs), "pairs")
	b.ReportMetric(float64(f.Scored), "scored")
	b.ReportMetric(float64(f.Proposals), "proposals")
	if !f.Proven {
		b.Log("the optimal mode is not proved optimal over every pair")
	}
}

var demoOnce sync.Once
var demoStore *store.Store

// BenchmarkMatchDemo is the demo region at its calibrated size (seed 1).
func BenchmarkMatchDemo(b *testing.B) {
	demoOnce.Do(func() {
		ctx := context.Background()
		dir, err := os.MkdirTemp("", "marshrut-bench")
		if err != nil {
			b.Fatal(err)
		}
		s, err := store.Open(ctx, filepath.Join(dir, "demo.db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		cl, err := classifier.LoadBuiltin()
		if err != nil {
			b.Fatal(err)
		}
		if err := s.SeedClassifiers(ctx, cl); err != nil {
			b.Fatal(err)
		}
		if err := s.Load(ctx, func(l *store.Loader) error {
			_, err := demo.Generate(ctx, l, demo.Options{Seed: 1, Region: "41", Now: today})
			return err
		}); err != nil {
			b.Fatal(err)
		}
		demoStore = s
	})
	benchMatch(b, demoStore)
}

// BenchmarkMatchMillion is a whole run — reading the candidates and the
// vacancies, the stable matching over the complete lists, the most placed,
// the reasons, writing the proposals — of a region made by marshrut demo
// --seed 7 --learners 1000000 --generate-only, in the database named by
// MARSHRUT_BENCH_MATCH_DB: a SQLite file or postgres://… Each run adds its
// proposals to the database: give it a copy. It holds the goal of a run at
// this size: at most 20 s and 1 GB (peak RSS, /usr/bin/time -v).
func BenchmarkMatchMillion(b *testing.B) {
	file := os.Getenv("MARSHRUT_BENCH_MATCH_DB")
	if file == "" {
		b.Skip("MARSHRUT_BENCH_MATCH_DB names the region of a million learners")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, file, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	svc := routing.NewService(s.Routing, &syncJobs{}, func() time.Time { return today })
	reg := auth.SystemScope("41")
	b.ReportAllocs()
	var run routing.Run
	for b.Loop() {
		if run, err = svc.Start(ctx, reg, routing.Stable, 1, 1); err != nil {
			b.Fatal(err)
		}
		if run, err = svc.Run(ctx, reg, run.ID); err != nil || run.Status != routing.Finished {
			b.Fatalf("run %+v, %v", run, err)
		}
	}
	b.ReportMetric(float64(run.Candidates), "candidates")
	b.ReportMetric(float64(run.Matched), "placed")
	b.ReportMetric(float64(run.MaxMatched), "most")
	b.ReportMetric(float64(run.Edges), "pairs")
	b.ReportMetric(float64(run.Scored), "scored")
}
