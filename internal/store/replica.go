package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"marshrut/internal/auth"
)

// Reads that may be a little stale (list pages, exports, report forms, the
// monitor's snapshot) may go to streaming replicas of the PostgreSQL
// primary (MARSHRUT_DATABASE_READ_URL). Everything else, every write and
// every read inside a write transaction, stays on the primary (db.read and
// db.write). A replica is used while it answers and its replay lag stays
// under ReplicaMaxLag, checked in the background every ReplicaCheckEvery;
// otherwise the reads go to the primary, without an error.

// ReplicaMaxLag is the replay lag past which a replica is skipped.
const ReplicaMaxLag = 5 * time.Second

// ReplicaCheckEvery is how often the replicas' health and lag are checked.
const ReplicaCheckEvery = 2 * time.Second

// OwnWritesFor is how long a user's reads stay on the primary after the
// user wrote (auth.WithOwnWrites): longer than any lag a replica in use may
// have, ReplicaMaxLag and a check's period, with a margin.
const OwnWritesFor = 3 * ReplicaMaxLag

// caughtUpWait is how long a read that must see every write already
// committed (the monitor's snapshot) waits for a replica to replay them
// before it goes to the primary.
const caughtUpWait = 300 * time.Millisecond

// replica is one read replica and what the last check found.
type replica struct {
	db    *sql.DB
	name  string      // host:port, for the log: no user, no password
	ok    atomic.Bool // answers and is not behind
	state string      // what was last logged: "", "ok", "behind", "down", "primary"; the checker's alone
}

// replicas are the installation's read replicas and their checker.
type replicas struct {
	list   []*replica
	next   atomic.Uint32 // round robin
	maxLag atomic.Int64  // ReplicaMaxLag; tests shorten it
	stop   context.CancelFunc
	done   chan struct{}
}

// UseReplicas opens the read replicas named by urls (PostgreSQL only),
// checks them once, and keeps checking them in the background until Close.
// Call it once, after Open and before the store is used.
func (s *Store) UseReplicas(ctx context.Context, urls []string) error {
	if len(urls) == 0 {
		return nil
	}
	if s.engine != Postgres {
		return errors.New("store: read replicas need PostgreSQL")
	}
	rs := &replicas{done: make(chan struct{})}
	rs.maxLag.Store(int64(ReplicaMaxLag))
	for _, u := range urls {
		if EngineOf(u) != Postgres {
			rs.close()
			return fmt.Errorf("store: replica %s: not a postgres:// address", hostOf(u))
		}
		pool, err := sql.Open("pgx", u)
		if err != nil {
			rs.close()
			return fmt.Errorf("store: open replica %s: %w", hostOf(u), err)
		}
		pool.SetMaxOpenConns(4 * runtime.GOMAXPROCS(0))
		pool.SetMaxIdleConns(4 * runtime.GOMAXPROCS(0))
		pool.SetConnMaxIdleTime(5 * time.Minute)
		rs.list = append(rs.list, &replica{db: pool, name: hostOf(u)})
	}
	s.replicas = rs
	s.checkReplicas(ctx)
	loop, stop := context.WithCancel(context.WithoutCancel(ctx))
	rs.stop = stop
	go func() {
		defer close(rs.done)
		t := time.NewTicker(ReplicaCheckEvery)
		defer t.Stop()
		for {
			select {
			case <-loop.Done():
				return
			case <-t.C:
				s.checkReplicas(loop)
			}
		}
	}()
	return nil
}

// hostOf is the host and port of a database URL, for messages and the log.
func hostOf(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		return "?"
	}
	return u.Host
}

// close stops the checker and closes the replicas' pools.
func (rs *replicas) close() error {
	if rs == nil {
		return nil
	}
	if rs.stop != nil {
		rs.stop()
		<-rs.done
	}
	var err error
	for _, r := range rs.list {
		err = errors.Join(err, r.db.Close())
	}
	return err
}

// pick is a replica in use, in turn; nil when none is.
func (rs *replicas) pick() *replica {
	n := len(rs.list)
	start := int(rs.next.Add(1))
	for i := range n {
		if r := rs.list[(start+i)%n]; r.ok.Load() {
			return r
		}
	}
	return nil
}

// reader is where a read that may be a little stale goes: a replica in use,
// or the primary when there is none or when ctx is a request that writes or
// of a user who wrote a moment ago (auth.OwnWrites).
func (d *db) reader(ctx context.Context) querier {
	if d.replicas == nil || auth.OwnWrites(ctx) {
		return d.read
	}
	if r := d.replicas.pick(); r != nil {
		return onReplica{r: r, primary: d.read}
	}
	return d.read
}

// caughtUp is where a read goes that must see every write committed before
// it began, though not by this user (the monitor's snapshot, which is kept
// and served to everyone): a replica that has replayed the primary's WAL up
// to where it stood at the call, waiting up to caughtUpWait for it, or else
// the primary.
func (d *db) caughtUp(ctx context.Context) querier {
	if d.replicas == nil || auth.OwnWrites(ctx) {
		return d.read
	}
	r := d.replicas.pick()
	if r == nil {
		return d.read
	}
	var lsn string
	if err := d.read.QueryRowContext(ctx, `SELECT pg_current_wal_insert_lsn()::text`).Scan(&lsn); err != nil {
		return d.read
	}
	deadline := time.Now().Add(caughtUpWait)
	for {
		var done bool
		err := r.db.QueryRowContext(ctx, `SELECT COALESCE(pg_last_wal_replay_lsn() >= $1::pg_lsn, false)`, lsn).Scan(&done)
		switch {
		case err != nil:
			if ctx.Err() == nil && connectionLost(err) {
				r.ok.Store(false) // the checker logs it
			}
			return d.read
		case done:
			return onReplica{r: r, primary: d.read}
		case time.Now().After(deadline):
			return d.read
		}
		select {
		case <-ctx.Done():
			return d.read
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// onReplica runs a read on a replica and, when the replica fails it, on
// the primary: a replica gone between two checks costs no error page. (A
// replica lost while its rows are being read fails that one read.)
type onReplica struct {
	r       *replica
	primary *sql.DB
}

func (q onReplica) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := q.r.db.QueryContext(ctx, query, args...)
	if err != nil && q.failed(ctx, err) {
		return q.primary.QueryContext(ctx, query, args...)
	}
	return rows, err
}

func (q onReplica) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	row := q.r.db.QueryRowContext(ctx, query, args...)
	if err := row.Err(); err != nil && q.failed(ctx, err) {
		return q.primary.QueryRowContext(ctx, query, args...)
	}
	return row
}

// failed tells whether a read the replica failed is to be run on the
// primary: any failure but the caller's own cancellation. A lost connection
// takes the replica out of use until the checker finds it back.
func (q onReplica) failed(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	if connectionLost(err) {
		q.r.ok.Store(false)
	}
	return true
}

// connectionLost tells a replica that went away (no connection, shut down,
// starting up) from an error of the query itself.
func connectionLost(err error) bool {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) {
		return true
	}
	return strings.HasPrefix(pg.Code, "08") || strings.HasPrefix(pg.Code, "57P")
}

// checkReplicas checks every replica: it answers, it is a replica (in
// recovery), and it has replayed the primary's WAL or its last replayed
// transaction is under ReplicaMaxLag old. Each change is logged once.
func (d *db) checkReplicas(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, ReplicaCheckEvery)
	defer cancel()
	var lsn sql.NullString
	if err := d.read.QueryRowContext(ctx, `SELECT pg_current_wal_insert_lsn()::text`).Scan(&lsn); err != nil {
		// The primary does not answer: nothing to compare with; the replicas
		// keep their state.
		return
	}
	var wg sync.WaitGroup
	for _, r := range d.replicas.list {
		wg.Go(func() { d.checkReplica(ctx, r, lsn.String) })
	}
	wg.Wait()
}

func (d *db) checkReplica(ctx context.Context, r *replica, primaryLSN string) {
	var recovery, replayed bool
	var lag float64
	err := r.db.QueryRowContext(ctx, `SELECT pg_is_in_recovery(), COALESCE(pg_last_wal_replay_lsn() >= $1::pg_lsn, false),
		COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)::float8`, primaryLSN).Scan(&recovery, &replayed, &lag)
	state := "ok"
	switch {
	case err != nil:
		state = "down"
	case !recovery:
		state = "primary" // promoted, or not a replica at all: its data may differ
	case !replayed && lag > time.Duration(d.replicas.maxLag.Load()).Seconds():
		state = "behind"
	}
	r.ok.Store(state == "ok")
	if state == r.state {
		return
	}
	r.state = state
	switch state {
	case "ok":
		d.log.Info("read replica in use", "replica", r.name)
	case "down":
		d.log.Warn("read replica unreachable: its reads go to the primary", "replica", r.name, "err", err)
	case "primary":
		d.log.Warn("read replica is not in recovery (not a replica): its reads go to the primary", "replica", r.name)
	case "behind":
		d.log.Warn("read replica behind: its reads go to the primary", "replica", r.name,
			"lag", time.Duration(lag*float64(time.Second)).Round(time.Millisecond), "max", time.Duration(d.replicas.maxLag.Load()))
	}
}
