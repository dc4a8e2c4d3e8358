package store

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/learner"
)

// replicaPair is a PostgreSQL primary and a streaming replica of it: those
// of MARSHRUT_TEST_REPLICA_URLS ("primary,replica"), or a pair of its own
// started by scripts/pg-replica.sh in MARSHRUT_TEST_REPLICA_DIR (by default
// a directory in the system's temporary one) and stopped when the test
// ends. stop stops the replica; nil when the test cannot.
func replicaPair(t *testing.T) (primary, replica string, stop func() error) {
	t.Helper()
	if urls := os.Getenv("MARSHRUT_TEST_REPLICA_URLS"); urls != "" {
		p, r, ok := strings.Cut(urls, ",")
		if !ok {
			t.Fatal(`MARSHRUT_TEST_REPLICA_URLS: want "primary,replica"`)
		}
		return strings.TrimSpace(p), strings.TrimSpace(r), nil
	}
	script, err := filepath.Abs("../../scripts/pg-replica.sh")
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("MARSHRUT_TEST_REPLICA_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "marshrut-pg-replica")
	}
	run := func(args ...string) ([]byte, error) {
		var stderr bytes.Buffer
		cmd := exec.Command(script, args...)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Logf("pg-replica.sh %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return out, err
	}
	out, err := run("start", dir)
	if err != nil {
		t.Fatalf("the pair did not start")
	}
	t.Cleanup(func() { run("stop", dir) })
	lines := strings.Fields(string(out))
	if len(lines) != 2 {
		t.Fatalf("pg-replica.sh start printed %q, want two URLs", out)
	}
	return lines[0], lines[1], func() error { _, err := run("stop-replica", dir); return err }
}

// lockedBuffer is a log the checker and the test write and read at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Reads of lists go to a replica that keeps up, a writer's reads to the
// primary; a replica that falls behind or goes away is skipped without an
// error, and each change of its state is logged once.
func TestReadReplicas(t *testing.T) {
	if os.Getenv("MARSHRUT_TEST_REPLICA") != "1" {
		t.Skip("needs a PostgreSQL primary and a replica: MARSHRUT_TEST_REPLICA=1 starts a pair of its own with scripts/pg-replica.sh " +
			"(ports 5440 and 5441), or uses MARSHRUT_TEST_REPLICA_URLS=primary,replica")
	}
	ctx := context.Background()
	primaryURL, replicaURL, stopReplica := replicaPair(t)
	dsn := postgresSchema(t, primaryURL)
	u, err := url.Parse(replicaURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", must(url.Parse(dsn)).Query().Get("search_path"))
	u.RawQuery = q.Encode()
	replicaDSN := u.String()

	s := openTest(t, dsn)
	f := seed(t, s)
	var logs lockedBuffer
	s.log = slog.New(slog.NewTextHandler(&logs, nil))
	if err := s.UseReplicas(ctx, []string{replicaDSN}); err != nil {
		t.Fatal(err)
	}
	s.replicas.maxLag.Store(int64(time.Hour)) // until the lag is what is tested
	admin, err := sql.Open("pgx", replicaDSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })

	onReplica := func(q querier) bool {
		t.Helper()
		var recovery bool
		if err := q.QueryRowContext(ctx, `SELECT pg_is_in_recovery()`).Scan(&recovery); err != nil {
			t.Fatalf("which server: %v", err)
		}
		return recovery
	}
	eventually := func(what string, cond func() bool) {
		t.Helper()
		for end := time.Now().Add(4 * ReplicaCheckEvery); !cond(); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatalf("%s: not after %s; log:\n%s", what, 4*ReplicaCheckEvery, logs.String())
			}
		}
	}
	sys := auth.SystemScope("41")
	names := func(ctx context.Context) map[string]bool {
		t.Helper()
		list, _, err := s.Learners.Learners(ctx, sys, learner.Filter{Limit: 100})
		if err != nil {
			t.Fatalf("learners: %v", err)
		}
		out := map[string]bool{}
		for _, l := range list {
			out[l.LastName] = true
		}
		return out
	}

	// A list read goes to the replica, once it has the fixture.
	if !onReplica(s.reader(ctx)) {
		t.Fatalf("a list read went to the primary; log:\n%s", logs.String())
	}
	eventually("the replica has the fixture", func() bool { return names(ctx)[f.pupil.LastName] })
	if !onReplica(s.caughtUp(ctx)) {
		t.Error("the monitor's read went to the primary though the replica has caught up")
	}
	if _, err := s.Analytics.MonitorSnapshot(ctx, "41", testClock(), nil); err != nil {
		t.Fatalf("snapshot on the replica: %v", err)
	}
	if strings.Count(logs.String(), "read replica in use") != 1 {
		t.Errorf("log:\n%s", logs.String())
	}

	// With replay paused, a new learner is on the primary alone: the
	// writer's reads (auth.WithOwnWrites) see it, another's do not yet.
	if _, err := admin.ExecContext(ctx, `SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	own := auth.WithOwnWrites(ctx)
	fresh := f.pupil
	fresh.ID, fresh.LastName, fresh.SNILS = 0, "Новикова", ""
	if err := s.Learners.CreateLearner(own, sys, &fresh); err != nil {
		t.Fatal(err)
	}
	if onReplica(s.reader(own)) || !names(own)["Новикова"] {
		t.Error("the writer's read after the write did not go to the primary")
	}
	if !onReplica(s.reader(ctx)) || names(ctx)["Новикова"] {
		t.Error("another user's list read did not go to the replica")
	}
	if onReplica(s.caughtUp(ctx)) {
		t.Error("the monitor read from a replica that has not replayed the last write")
	}

	// A replica behind by more than the bound is skipped: reads go to the
	// primary and see the write; when it catches up, it is used again.
	s.replicas.maxLag.Store(int64(100 * time.Millisecond))
	eventually("a lagging replica skipped", func() bool { return !onReplica(s.reader(ctx)) })
	if !names(ctx)["Новикова"] || !strings.Contains(logs.String(), "read replica behind") {
		t.Errorf("after the lag: log:\n%s", logs.String())
	}
	if _, err := admin.ExecContext(ctx, `SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatal(err)
	}
	eventually("the replica back in use", func() bool { return onReplica(s.reader(ctx)) })
	if strings.Count(logs.String(), "read replica behind") != 1 || strings.Count(logs.String(), "read replica in use") != 2 {
		t.Errorf("each change logged once: log:\n%s", logs.String())
	}

	// A replica that goes away: the reads go back to the primary at once,
	// without an error, and it is logged once.
	if stopReplica == nil {
		t.Log("MARSHRUT_TEST_REPLICA_URLS given: the replica is not stopped")
		return
	}
	admin.Close()
	if err := stopReplica(); err != nil {
		t.Fatal(err)
	}
	if !names(ctx)["Новикова"] {
		t.Error("the list right after the replica stopped is not the primary's")
	}
	if _, err := s.Analytics.MonitorSnapshot(ctx, "41", testClock(), nil); err != nil {
		t.Errorf("snapshot with the replica stopped: %v", err)
	}
	if _, err := s.Reports.EmploymentBySpecialty(ctx, "41", 2025, 0); err != nil {
		t.Errorf("a form with the replica stopped: %v", err)
	}
	eventually("the stopped replica logged", func() bool { return strings.Contains(logs.String(), "read replica unreachable") })
	time.Sleep(2 * ReplicaCheckEvery)
	if onReplica(s.reader(ctx)) || strings.Count(logs.String(), "read replica unreachable") != 1 {
		t.Errorf("a stopped replica: log:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), f.pupil.LastName) || strings.Contains(logs.String(), "Новикова") {
		t.Errorf("personal data in the log:\n%s", logs.String())
	}
	t.Logf("log:\n%s", logs.String())
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
