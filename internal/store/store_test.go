package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"marshrut/internal/classifier"
	"marshrut/internal/config"
)

// engines runs fn on a fresh SQLite database always, and on a fresh PostgreSQL
// schema when MARSHRUT_TEST_POSTGRES_DSN is set; then an unreachable server
// fails the test rather than skipping it.
func engines(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, openTest(t, filepath.Join(t.TempDir(), "test.db")))
	})
	dsn := os.Getenv("MARSHRUT_TEST_POSTGRES_DSN")
	if dsn == "" {
		return
	}
	t.Run("postgres", func(t *testing.T) {
		fn(t, openTest(t, postgresSchema(t, dsn)))
	})
}

// postgresSchema makes an empty schema for one test and returns a DSN whose
// search_path points at it; the schema is dropped when the test ends.
func postgresSchema(t *testing.T, dsn string) string {
	t.Helper()
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	if err := admin.PingContext(ctx); err != nil {
		t.Fatalf("MARSHRUT_TEST_POSTGRES_DSN is set but PostgreSQL does not answer: %v", err)
	}
	schema := fmt.Sprintf("t_%d_%d", time.Now().UnixNano(), rand.IntN(1e6))
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("MARSHRUT_TEST_POSTGRES_DSN: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// testClock is the store's clock in tests: the day the fixtures are
// written for (the demo regions of these tests are generated on it), running
// on from ten in the morning.
var testClock = config.StartingAt(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC))

func openTest(t *testing.T, dsn string) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, dsn, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("open %s: %v", EngineOf(dsn), err)
	}
	t.Cleanup(func() { s.Close() })
	// The store's own stamps and today's statuses come from the day the
	// fixtures are written for, not from the day the tests run.
	s.SetClock(testClock)
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	b, err := classifier.LoadBuiltin()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SeedClassifiers(ctx, b); err != nil {
		t.Fatalf("seed classifiers: %v", err)
	}
	return s
}

// columns lists table.column of every table in the store's schema.
func columns(t *testing.T, s *Store) map[string]bool {
	t.Helper()
	q := `SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	if s.engine == Postgres {
		q = `SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema()`
	}
	rows, err := s.read.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		out[c] = true
	}
	return out
}

func TestMigrationsMatch(t *testing.T) {
	dsn := os.Getenv("MARSHRUT_TEST_POSTGRES_DSN")
	sqliteDir, _ := migrations.ReadDir("migrations/sqlite")
	pgDir, _ := migrations.ReadDir("migrations/postgres")
	if len(sqliteDir) != len(pgDir) {
		t.Fatalf("%d SQLite migrations, %d PostgreSQL ones", len(sqliteDir), len(pgDir))
	}
	for i := range sqliteDir {
		if sqliteDir[i].Name() != pgDir[i].Name() {
			t.Errorf("migration %d: %s on SQLite, %s on PostgreSQL", i, sqliteDir[i].Name(), pgDir[i].Name())
		}
	}
	if dsn == "" {
		t.Skip("MARSHRUT_TEST_POSTGRES_DSN is not set: the columns of both engines are compared only with PostgreSQL at hand")
	}
	lite := columns(t, openTest(t, filepath.Join(t.TempDir(), "m.db")))
	pg := columns(t, openTest(t, postgresSchema(t, dsn)))
	if len(lite) < 50 {
		t.Fatalf("only %d columns on SQLite", len(lite))
	}
	for c := range lite {
		if !pg[c] {
			t.Errorf("column %s is on SQLite but not on PostgreSQL", c)
		}
	}
	for c := range pg {
		if !lite[c] {
			t.Errorf("column %s is on PostgreSQL but not on SQLite", c)
		}
	}
}

func TestEngineOf(t *testing.T) {
	for dsn, want := range map[string]Engine{
		"marshrut.db": SQLite, "/var/lib/m.db": SQLite, "postgres://u@h/db": Postgres, "postgresql://h/db": Postgres,
	} {
		if got := EngineOf(dsn); got != want {
			t.Errorf("EngineOf(%q) = %s, want %s", dsn, got, want)
		}
	}
}
