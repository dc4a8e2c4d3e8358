package main

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"marshrut/internal/store"
)

// checksums fingerprints every table of the database at dsn.
func checksums(t *testing.T, dsn string) map[string]store.Checksum {
	t.Helper()
	cfg := testConfig()
	cfg.LogLevel = 8
	st, err := store.Open(context.Background(), dsn, cfg.Logger())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.Checksums(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testDatabases is a fresh SQLite file always, and a fresh PostgreSQL schema
// when MARSHRUT_TEST_POSTGRES_DSN is set (dropped when the test ends).
func testDatabases(t *testing.T) map[string]string {
	dbs := map[string]string{"sqlite": filepath.Join(t.TempDir(), "marshrut.db")}
	if dsn := os.Getenv("MARSHRUT_TEST_POSTGRES_DSN"); dsn != "" {
		dbs["postgres"] = pgSchema(t, dsn)
	}
	return dbs
}

// pgSchema makes an empty schema and returns a DSN whose search_path points at it.
func pgSchema(t *testing.T, dsn string) string {
	t.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := fmt.Sprintf("cmd_%d_%d", time.Now().UnixNano(), rand.IntN(1e6))
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("MARSHRUT_TEST_POSTGRES_DSN is set but a schema cannot be made: %v", err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// `marshrut backup` and `marshrut restore` give back a demo region to the
// row, over a database changed since the backup, on both engines.
func TestBackupRestoreCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a demo region")
	}
	for engine, db := range testDatabases(t) {
		t.Run(engine, func(t *testing.T) {
			demoRegion(t, db, 300)
			before := checksums(t, db)
			file := filepath.Join(t.TempDir(), "region.backup")
			code, out, errs := runCmd(t, "", "backup", file, "--db", db)
			if code != 0 || !strings.Contains(out, "резервная копия") {
				t.Fatalf("backup: exit %d\n%s%s", code, out, errs)
			}
			if code, _, errs := runCmd(t, "", "backup", "--db", db, file); code == 0 || !strings.Contains(errs, "уже существует") {
				t.Errorf("a backup over an existing file: exit %d, %s", code, errs)
			}
			// The region changes after the backup: a user more.
			if code, _, errs := runCmd(t, "long-enough-pw\n", "user", "add", "--db", db, "--login", "after-backup", "--role", "region", "--password-stdin"); code != 0 {
				t.Fatalf("user add: %s", errs)
			}
			if maps.Equal(before, checksums(t, db)) {
				t.Fatal("the new user did not change the checksums")
			}
			code, out, errs = runCmd(t, "", "restore", file, "--db", db)
			if code != 0 || !strings.Contains(out, "восстановлена") {
				t.Fatalf("restore: exit %d\n%s%s", code, out, errs)
			}
			if after := checksums(t, db); !maps.Equal(before, after) {
				for k, v := range before {
					if after[k] != v {
						t.Errorf("table %s: %+v after the restore, %+v before the backup", k, after[k], v)
					}
				}
			}
			if engine != "sqlite" {
				return
			}
			// Restored into a new file, the copy holds the same rows as the original.
			fresh := filepath.Join(t.TempDir(), "fresh.db")
			if code, out, errs := runCmd(t, "", "restore", file, "--db", fresh); code != 0 {
				t.Fatalf("restore into a new file: exit %d\n%s%s", code, out, errs)
			}
			if !maps.Equal(before, checksums(t, fresh)) {
				t.Error("a restore into a new file differs from the original")
			}
		})
	}
}

// A file that is not a backup is refused, and the database stays as it was.
func TestRestoreRefusesNonBackup(t *testing.T) {
	db := filepath.Join(t.TempDir(), "keep.db")
	if code, _, errs := runCmd(t, "long-enough-pw\n", "user", "add", "--db", db, "--login", "keeper", "--role", "region", "--password-stdin"); code != 0 {
		t.Fatal(errs)
	}
	before := checksums(t, db)
	bad := filepath.Join(t.TempDir(), "roster.csv")
	os.WriteFile(bad, []byte("Фамилия;Имя\nИванов;Иван\n"), 0o600)
	for _, args := range [][]string{
		{"restore", bad, "--db", db},
		{"restore", "--db", db},
		{"restore", "--db", db, bad, bad},
	} {
		code, _, errs := runCmd(t, "", args...)
		if code == 0 || !(strings.Contains(errs, "не является резервной копией") || strings.Contains(errs, "укажите один файл")) {
			t.Errorf("%v: exit %d, %s", args, code, errs)
		}
	}
	if !maps.Equal(before, checksums(t, db)) {
		t.Error("a refused restore changed the database")
	}
}
