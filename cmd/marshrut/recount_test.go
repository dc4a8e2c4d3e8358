package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
)

// execSQLite runs one statement on the SQLite file, as another program
// would write it.
func execSQLite(t *testing.T, path, q string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
}

// TestMigrateRecount checks `marshrut migrate --recount`: the kept counts of
// a fresh database agree with the data; spoiled, the drift is found, told in
// counts alone, logged and repaired.
func TestMigrateRecount(t *testing.T) {
	db := filepath.Join(t.TempDir(), "recount.db")
	if code, out, errs := runCmd(t, "", "migrate", "--db", db, "--recount"); code != 0 || !strings.Contains(out, "хранимые счётчики совпадают с данными") {
		t.Fatalf("code %d, out %q, errors %q", code, out, errs)
	}
	execSQLite(t, db, `INSERT INTO guidance_tally VALUES ('41', 2026, 1, 1, 9, 202610, 3, 0, 0, 0, 0, 1)`)
	// The nightly recount of serve logs the drift: counts, no person.
	cfg := testConfig()
	cfg.DatabaseURL = db
	var logged bytes.Buffer
	st, err := openStore(context.Background(), &cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	drift, err := recountTallies(context.Background(), st, slog.New(slog.NewTextHandler(&logged, nil)))
	st.Close()
	if err != nil || len(drift) != 1 {
		t.Fatalf("drift %+v, %v", drift, err)
	}
	if want := `level=WARN msg="kept counts drifted from the data and were repaired" table=guidance_tally cells=1 off=4`; !strings.Contains(logged.String(), want) {
		t.Errorf("logged %q, want %q", logged.String(), want)
	}
	execSQLite(t, db, `UPDATE guidance_tally SET reached = reached + 1`)
	code, out, errs := runCmd(t, "", "migrate", "--db", db, "--recount")
	if code != 0 || !strings.Contains(out, "guidance_tally: расходились 1 ячеек на 1, исправлено") {
		t.Fatalf("code %d, out %q, errors %q", code, out, errs)
	}
	if code, out, errs := runCmd(t, "", "migrate", "--db", db, "--recount"); code != 0 || !strings.Contains(out, "хранимые счётчики совпадают с данными") {
		t.Errorf("after the repair: code %d, out %q, errors %q", code, out, errs)
	}
}

// TestKeptCountsAgreeAfterDemo generates a demo region (learners, guidance,
// targeted education and mentorship through the bulk loader, then the
// demo's own writes through the services) and checks that the kept counts
// are what a full recount makes of the data.
func TestKeptCountsAgreeAfterDemo(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig()
	cfg.DatabaseURL = filepath.Join(t.TempDir(), "demo.db")
	cfg.LogLevel = 8 // quiet
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e := &env{clock: testClock, stdout: io.Discard, stderr: io.Discard}
	if err := generate(ctx, e, &cfg, st, 3, 3000); err != nil {
		t.Fatal(err)
	}
	if err := demoUsers(ctx, io.Discard, &cfg, st); err != nil {
		t.Fatal(err)
	}
	if err := demoRun(ctx, e, &cfg, st, 3); err != nil {
		t.Fatal(err)
	}
	drift, err := st.RecountTallies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(drift) > 0 {
		t.Errorf("the kept counts of the demo region drifted from its data: %+v", drift)
	}
}
