package demo_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"marshrut/internal/classifier"
	"marshrut/internal/demo"
	"marshrut/internal/store"
)

// BenchmarkGenerate measures the demo region's generation on SQLite and, with
// MARSHRUT_TEST_POSTGRES_DSN set, on PostgreSQL, at the default size and at a
// million learners; it reports the database's size beside the time.
//
//	go test ./internal/demo -run '^$' -bench Generate -benchtime 1x
func BenchmarkGenerate(b *testing.B) {
	sizes := []struct {
		name string
		n    int
	}{{"default", 0}, {"1M", 1_000_000}}
	engines := []struct {
		name string
		dsn  func(b *testing.B) string
	}{{"sqlite", func(b *testing.B) string { return filepath.Join(b.TempDir(), "bench.db") }}}
	if dsn := os.Getenv("MARSHRUT_TEST_POSTGRES_DSN"); dsn != "" {
		engines = append(engines, struct {
			name string
			dsn  func(b *testing.B) string
		}{"postgres", func(b *testing.B) string { return freshSchema(b, dsn) }})
	}
	for _, e := range engines {
		for _, sz := range sizes {
			b.Run(e.name+"/"+sz.name, func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					ctx := context.Background()
					s, err := store.Open(ctx, e.dsn(b), slog.New(slog.NewTextHandler(io.Discard, nil)))
					if err != nil {
						b.Fatal(err)
					}
					if err := s.Migrate(ctx); err != nil {
						b.Fatal(err)
					}
					cl, _ := classifier.LoadBuiltin()
					if err := s.SeedClassifiers(ctx, cl); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					var sum demo.Summary
					err = s.Load(ctx, func(l *store.Loader) error {
						sum, err = demo.Generate(ctx, l, demo.Options{Seed: 1, Learners: sz.n, Region: "41", Now: time.Now()})
						return err
					})
					b.StopTimer()
					if err != nil {
						b.Fatal(err)
					}
					size, err := s.Size(ctx)
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(size)/(1<<20), "MB-db")
					b.ReportMetric(float64(sum.Learners()), "learners")
					s.Close()
					b.StartTimer()
				}
			})
		}
	}
}

func freshSchema(b *testing.B, dsn string) string {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	schema := fmt.Sprintf("bench_%d", time.Now().UnixNano())
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		db, _ := sql.Open("pgx", dsn)
		defer db.Close()
		db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
