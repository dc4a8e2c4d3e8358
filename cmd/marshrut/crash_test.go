package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/store"
)

// buildBinary builds the program, once, for the tests that run it as a
// process (and kill it).
func buildBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "marshrut-bin-")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "marshrut")
		built.out, built.err = exec.Command("go", "build", "-o", built.path, ".").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("build: %v\n%s", built.err, built.out)
	}
	return built.path
}

// built is the program built once for every test that runs it as a process.
var built struct {
	once sync.Once
	path string
	out  []byte
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.path != "" {
		os.RemoveAll(filepath.Dir(built.path))
	}
	if base.dir != "" {
		os.RemoveAll(base.dir)
	}
	os.Exit(code)
}

// demoRegion generates a demo region of n learners into db with the built
// binary, in a process of its own as a person would.
func demoRegion(t *testing.T, db string, n int) {
	t.Helper()
	out, err := exec.Command(buildBinary(t), "demo", "--db", db, "--learners", strconv.Itoa(n), "--today", testDayArg, "--generate-only").CombinedOutput()
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
}

// killAfter starts the program, sends it SIGKILL after delay and reports
// whether the signal ended it (false: it had finished by itself).
func killAfter(t *testing.T, bin string, delay time.Duration, args ...string) bool {
	t.Helper()
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(delay)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled()
}

// sqliteOf opens a SQLite file as it is, without migrating it.
func sqliteOf(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// schemaVersion is the last migration a SQLite file records as applied.
func schemaVersion(t *testing.T, path string) int64 {
	t.Helper()
	var v int64
	err := sqliteOf(t, path).QueryRow(`SELECT COALESCE(max(version_id), 0) FROM goose_db_version WHERE is_applied`).Scan(&v)
	if err != nil && !strings.Contains(err.Error(), "no such table") {
		t.Fatal(err)
	}
	return v
}

// schemaText is every table, index and trigger of a SQLite file, sorted;
// not the planner's statistics, which ANALYZE writes after the migrations
// (a kill before it leaves them to the next run that migrates).
func schemaText(t *testing.T, path string) string {
	t.Helper()
	rows, err := sqliteOf(t, path).Query(`SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_stat%' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var s string
		rows.Scan(&s)
		b.WriteString(s + "\n")
	}
	return b.String()
}

func integrityOK(t *testing.T, path string) {
	t.Helper()
	var ok string
	if err := sqliteOf(t, path).QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity check of %s: %q, %v", filepath.Base(path), ok, err)
	}
}

// A migration killed at any moment leaves the schema at a whole version:
// each migration is one transaction. Run again, it reaches the same schema
// and contents as a migration never interrupted.
func TestMigrationKilledHalfway(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it many times")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	ref := filepath.Join(dir, "ref.db")
	start := time.Now()
	if out, err := exec.Command(bin, "migrate", "--db", ref).CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	full := time.Since(start)
	latest, refSchema := schemaVersion(t, ref), schemaText(t, ref)
	refData := dataChecksums(t, ref)

	midway := 0
	for i := 0; i < 60 && midway < 3; i++ {
		db := filepath.Join(dir, fmt.Sprintf("killed-%d.db", i))
		if !killAfter(t, bin, time.Duration(rand.Int64N(int64(full))), "migrate", "--db", db) {
			continue
		}
		v := schemaVersion(t, db)
		if v > 0 && v < latest {
			midway++
		}
		integrityOK(t, db)
		if out, err := exec.Command(bin, "migrate", "--db", db).CombinedOutput(); err != nil {
			t.Fatalf("migrate after a kill at version %d: %v\n%s", v, err, out)
		}
		if got := schemaText(t, db); got != refSchema {
			t.Fatalf("killed at version %d, migrated again: the schema differs from an uninterrupted migration", v)
		}
		if got := dataChecksums(t, db); !maps.Equal(got, refData) {
			t.Fatalf("killed at version %d, migrated again: the contents differ from an uninterrupted migration", v)
		}
	}
	if midway == 0 {
		t.Fatalf("no kill fell between the first and the last migration (%s in all)", full)
	}
	t.Logf("%d migrations killed between versions, all recovered", midway)
}

// dataChecksums fingerprints a database's tables, less the migration log,
// whose rows carry the time they were applied.
func dataChecksums(t *testing.T, db string) map[string]store.Checksum {
	t.Helper()
	c := checksums(t, db)
	delete(c, "goose_db_version")
	return c
}

// A matching run killed at any moment leaves either no trace but a run
// marked as interrupted when the program starts again, or the whole run:
// never part of its proposals. Nothing else in the database changes.
func TestMatchKilledHalfway(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary, generates a region and kills runs")
	}
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "match.db")
	if out, err := exec.Command(bin, "demo", "--db", db, "--learners", "20000", "--today", testDayArg, "--generate-only").CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	lite := sqliteOf(t, db)
	lastRun := func() (id int64, status string, proposals int) {
		t.Helper()
		if err := lite.QueryRow(`SELECT id, status FROM match_run ORDER BY id DESC LIMIT 1`).Scan(&id, &status); err != nil {
			t.Fatal(err)
		}
		lite.QueryRow(`SELECT count(*) FROM match_proposal WHERE run_id = $1`, id).Scan(&proposals)
		return
	}
	// A run left to finish: how long it takes and how many proposals it makes.
	start := time.Now()
	if out, err := exec.Command(bin, "match", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("match: %v\n%s", err, out)
	}
	full := time.Since(start)
	_, status, whole := lastRun()
	if status != "finished" || whole == 0 {
		t.Fatalf("the reference run: %s, %d proposals", status, whole)
	}
	others := func() map[string]store.Checksum {
		c := checksums(t, db)
		delete(c, "match_run")
		delete(c, "match_proposal")
		return c
	}
	before := others()

	interrupted := 0
	for i := 0; i < 40 && interrupted < 3; i++ {
		if !killAfter(t, bin, time.Duration(rand.Int64N(int64(full))), "match", "--db", db) {
			continue
		}
		id, status, n := lastRun()
		switch {
		case status == "running" && n == 0:
			interrupted++
		case status == "finished" && n == whole:
		case status == "failed" && n == 0: // killed before its run began: the last one is an earlier interrupted run
		default:
			t.Fatalf("run %d after a kill: %s with %d proposals (a whole run has %d)", id, status, n, whole)
		}
		// The program starts again, as the server does: the interrupted run is marked failed.
		cfg := testConfig()
		cfg.DatabaseURL, cfg.LogLevel = db, 8
		st, err := openStore(context.Background(), &cfg, cfg.Logger())
		if err != nil {
			t.Fatal(err)
		}
		if err := st.FailInterruptedRuns(context.Background()); err != nil {
			t.Fatal(err)
		}
		st.Close()
		if _, status, _ := lastRun(); status == "running" {
			t.Fatalf("run %d still running after the restart", id)
		}
		integrityOK(t, db)
	}
	if interrupted == 0 {
		t.Fatalf("no kill fell inside a run (%s each)", full)
	}
	if after := others(); !maps.Equal(before, after) {
		t.Error("killed runs changed tables besides the runs and their proposals")
	}
	// A run after the kills finishes whole.
	if out, err := exec.Command(bin, "match", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("match after the kills: %v\n%s", err, out)
	}
	if _, status, n := lastRun(); status != "finished" || n != whole {
		t.Errorf("the run after the kills: %s, %d proposals, want %d", status, n, whole)
	}
	t.Logf("%d runs killed inside, all left no proposals", interrupted)
}

// proxy stands between the program and PostgreSQL so that a test can take
// the database away and bring it back without touching the shared server.
type proxy struct {
	target, addr string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	p := &proxy{target: target, addr: "127.0.0.1:0"}
	p.up(t)
	p.addr = p.ln.Addr().String()
	t.Cleanup(p.down)
	return p
}

// up listens again on the same address and forwards each connection.
func (p *proxy) up(t *testing.T) {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
}

// down refuses new connections and breaks the open ones: the database is gone.
func (p *proxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// While PostgreSQL is gone, readiness answers 503 and every page and API call
// fails fast with 503 and a Russian message; when it is back, the same
// process serves again without a restart. The outage is made by a proxy; with
// MARSHRUT_TEST_PG_RESTART=1 the local PostgreSQL cluster «main» itself is
// stopped and started (it serves other tests too: only on a machine of one's
// own), with MARSHRUT_TEST_PG_RESTART=15/name the cluster «name» of version 15.
func TestPostgresOutage(t *testing.T) {
	dsn := os.Getenv("MARSHRUT_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("MARSHRUT_TEST_POSTGRES_DSN is not set")
	}
	schemaDSN := pgSchema(t, dsn)
	demoRegion(t, schemaDSN, 300)
	u, _ := url.Parse(schemaDSN)
	var down, up func()
	if which := os.Getenv("MARSHRUT_TEST_PG_RESTART"); which != "" {
		version, cluster := pgCluster(t, which)
		down = func() { pgctl(t, version, cluster, "stop", "-m", "fast") }
		up = func() { pgctl(t, version, cluster, "start") }
		t.Cleanup(up) // whatever happens, the server comes back
	} else {
		p := newProxy(t, u.Host)
		u.Host = p.addr
		down, up = p.down, func() { p.up(t) }
	}
	cfg := testConfig()
	cfg.DatabaseURL, cfg.LogLevel = u.String(), 8
	st, err := openStore(context.Background(), &cfg, cfg.Logger())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, err := handler(&cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	user, _, err := st.Auth.UserByLogin(context.Background(), "region")
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := auth.NewService(st.Auth, time.Hour, testClock).CreateToken(context.Background(), user, "outage")
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 20 * time.Second}
	m := reCSRF.FindStringSubmatch(body(t, browser, "GET", srv.URL+"/login", "", nil))
	body(t, browser, "POST", srv.URL+"/login", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"login": {"region"}, "password": {DemoPassword}, "csrf": {m[1]}}.Encode()))

	type probe struct{ path, accept, bearer, want string }
	probes := []probe{
		{"/readyz", "", "", "недоступна"},
		{"/", "", "", "База данных временно недоступна"},
		{"/learners", "", "", "База данных временно недоступна"},
		{"/api/v1/learners", "", secret, `"code":"unavailable"`},
	}
	ask := func(p probe) (int, string, time.Duration) {
		req, _ := http.NewRequest("GET", srv.URL+p.path, nil)
		if p.bearer != "" {
			req.Header.Set("Authorization", "Bearer "+p.bearer)
		}
		start := time.Now()
		resp, err := browser.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), time.Since(start)
	}
	for _, p := range probes {
		if code, _, _ := ask(p); code != 200 {
			t.Fatalf("%s before the outage: %d", p.path, code)
		}
	}

	down()
	for _, p := range probes {
		code, text, took := ask(p)
		if code != http.StatusServiceUnavailable || !strings.Contains(text, p.want) {
			t.Errorf("%s during the outage: %d\n%.400s", p.path, code, text)
		}
		if took > 3*time.Second {
			t.Errorf("%s during the outage took %s: it must fail fast", p.path, took)
		}
	}

	up()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if code, _, _ := ask(probes[0]); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("not ready 30 s after the database came back")
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, p := range probes {
		if code, _, _ := ask(p); code != 200 {
			t.Errorf("%s after the outage: %d", p.path, code)
		}
	}
}

// pgCluster names the local PostgreSQL cluster to stop: «1» is the cluster
// «main» of the installed version; «15/other» is the cluster «other» of
// version 15, for a run against a cluster of one's own.
func pgCluster(t *testing.T, which string) (version, cluster string) {
	t.Helper()
	if v, c, ok := strings.Cut(which, "/"); ok {
		return v, c
	}
	dirs, _ := filepath.Glob("/etc/postgresql/*/main")
	if len(dirs) == 0 {
		t.Skip("no local PostgreSQL cluster to stop")
	}
	return filepath.Base(filepath.Dir(dirs[0])), "main"
}

func pgctl(t *testing.T, version, cluster string, args ...string) {
	t.Helper()
	cmd := exec.Command("pg_ctlcluster", append([]string{"--skip-systemctl-redirect", version, cluster}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil && !strings.Contains(string(out), "already running") {
		t.Errorf("pg_ctlcluster %v: %v\n%s", args, err, out)
	}
}
