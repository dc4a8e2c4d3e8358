// Package store implements every domain's Store on database/sql, with one SQL
// dialect written by hand ($n placeholders) for the embedded SQLite and for
// PostgreSQL. Where the engines differ, the twin texts stand side by side.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // SQLite driver "sqlite"

	"marshrut/internal/apperr"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Engine names a database engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// EngineOf tells the engine from a database URL: postgres:// or postgresql://
// is PostgreSQL, anything else is a SQLite file path.
func EngineOf(url string) Engine {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// db is the handle every part of the store shares. On SQLite it keeps two
// pools: one connection for writes, so that writers queue in Go instead of
// meeting "database is locked", and several for reads, which WAL lets run
// beside the writer.
type db struct {
	engine Engine
	dsn    string // for pg_dump and pg_restore, which connect on their own
	read   *sql.DB
	write  *sql.DB
	// replicas serve the reads that may be a little stale (reader,
	// caughtUp); nil without MARSHRUT_DATABASE_READ_URL (replica.go).
	replicas *replicas
	log      *slog.Logger
	now      func() time.Time
}

// Store is the database: the installation's own operations (migrations,
// backups, the bulk load) and one part per domain over the shared handle,
// each satisfying the Store interface its domain declares.
type Store struct {
	*db
	Analytics  *Analytics  // analytics.Store, analytics.MonitorStore: the figures and the monitor's snapshot
	Auth       *Auth       // auth.Store: users, sessions, tokens, the audit log
	Balance    *Balance    // balance.Store: needs, capacities, scenarios
	Classifier *Classifier // classifier.Store: regions, municipalities, specialties
	Clusters   *Clusters   // cluster.Store: the registry, values, criteria, defences
	Guidance   *Guidance   // guidance.Store: events, participation, diagnostics, coverage
	Jobs       *Jobs       // jobs.Store: long work and its progress
	Learners   *Learners   // learner.Store: people, their stages and outcomes
	Mail       *Mail       // mail.Outbox: letters waiting to be sent
	Measures   *Measures   // measures.Store: programmes of active measures, groups, enrolments
	Mentorship *Mentorship // mentor.Store: programmes, mentors, pairs, meetings
	Orgs       *Orgs       // org.Store: the registry of organisations
	Reference  *Reference  // imports.Reference: what imports check their rows against
	Referrals  *Referrals  // referral.Store: the centres' services and referrals
	Reports    *Reports    // report.Store, report.FormStore: monthly reports and the official forms
	Risks      *Risks      // risk.Store: models, scores, cases
	Rollup     *Rollup     // rollup.Store: the regions' bundles
	Source     *RollupSource
	Routing    *Routing   // routing.Store: places, candidates, matching runs
	SSO        *SSO       // sso.Accounts: links to the region's single sign-on
	Targeted   *Targeted  // targeted.Store: offers, applications, contracts
	Targets    *Targets   // kpi.Store: the region's targets of the measures
	Vacancies  *Vacancies // vacancy.Store: vacancies and their links
	Youth      *Youth     // youth.Store: the young person's own side
	DemoData   *DemoData  // demo.MeasuresData: what the demo's programmes are built from
}

// The parts of the store, one per domain, over the shared handle.
type (
	Analytics  struct{ *db }
	Auth       struct{ *db }
	Balance    struct{ *db }
	Classifier struct{ *db }
	Clusters   struct{ *db }
	Guidance   struct{ *db }
	Jobs       struct{ *db }
	Learners   struct{ *db }
	Mail       struct{ *db }
	Measures   struct{ *db }
	Mentorship struct{ *db }
	Orgs       struct{ *db }
	Reference  struct{ *db }
	Referrals  struct{ *db }
	Reports    struct{ *db }
	Risks      struct{ *db }
	Rollup     struct{ *db }
	// RollupSource is what a region's federal bundle is counted from.
	RollupSource struct{ *db }
	Routing      struct{ *db }
	SSO          struct{ *db }
	Targeted     struct{ *db }
	Targets      struct{ *db }
	Vacancies    struct{ *db }
	Youth        struct{ *db }
	DemoData     struct{ *db }
)

func newStore(d *db) *Store {
	return &Store{db: d, Analytics: &Analytics{d}, Auth: &Auth{d}, Balance: &Balance{d}, Classifier: &Classifier{d}, Clusters: &Clusters{d},
		Guidance: &Guidance{d}, Jobs: &Jobs{d}, Learners: &Learners{d}, Mail: &Mail{d}, Measures: &Measures{d}, Mentorship: &Mentorship{d},
		Orgs: &Orgs{d}, Reference: &Reference{d}, Referrals: &Referrals{d}, Reports: &Reports{d}, Risks: &Risks{d}, Rollup: &Rollup{d},
		Source: &RollupSource{d}, Routing: &Routing{d}, SSO: &SSO{d}, Targeted: &Targeted{d}, Targets: &Targets{d}, Vacancies: &Vacancies{d},
		Youth: &Youth{d}, DemoData: &DemoData{d}}
}

// SetClock sets the clock the store stamps its writes with (time.Now by
// default); set it before the store is used.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Open connects to the database named by dsn and checks that it answers.
func Open(ctx context.Context, dsn string, log *slog.Logger) (*Store, error) {
	s := newStore(&db{engine: EngineOf(dsn), dsn: dsn, log: log, now: time.Now})
	switch s.engine {
	case Postgres:
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		db.SetMaxOpenConns(4 * runtime.GOMAXPROCS(0))
		db.SetMaxIdleConns(4 * runtime.GOMAXPROCS(0))
		db.SetConnMaxIdleTime(5 * time.Minute)
		s.read, s.write = db, db
	default:
		write, err := sql.Open("sqlite", sqliteDSN(dsn))
		if err != nil {
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		write.SetMaxOpenConns(1)
		read, err := sql.Open("sqlite", sqliteDSN(dsn))
		if err != nil {
			write.Close()
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		read.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
		s.read, s.write = read, write
	}
	if err := s.write.PingContext(ctx); err != nil {
		s.Close()
		return nil, apperr.Wrap(err, apperr.Internal, "база данных недоступна")
	}
	return s, nil
}

// sqliteDSN adds the pragmas every connection needs: WAL, a busy timeout,
// foreign keys, synchronous=NORMAL, which is safe under WAL, and a page cache
// of 8 MB per connection, which keeps the whole server near 100 MB.
func sqliteDSN(path string) string {
	path = strings.TrimPrefix(path, "sqlite://")
	path = strings.TrimPrefix(path, "file:")
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)", "cache_size(-8000)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return "file:" + path + sep + q.Encode()
}

// Engine reports which engine the store runs on.
func (s *Store) Engine() Engine { return s.engine }

// Close closes the pools.
func (s *Store) Close() error {
	err := s.replicas.close()
	err = errors.Join(err, s.write.Close())
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return wrap("close", err)
}

// Ping checks that the database answers; /readyz uses it.
func (s *Store) Ping(ctx context.Context) error { return wrap("ping", s.read.PingContext(ctx)) }

// Migrate applies every pending migration of the engine.
func (s *Store) Migrate(ctx context.Context) error {
	dir, err := fs.Sub(migrations, "migrations/"+string(s.engine))
	if err != nil {
		return wrap("migrate", err)
	}
	dialect := goose.DialectSQLite3
	if s.engine == Postgres {
		dialect = goose.DialectPostgres
	}
	// A migration numbered below one applied already (two lines of work
	// merged in either order) is applied rather than refused.
	p, err := goose.NewProvider(dialect, s.write, dir, goose.WithAllowOutofOrder(true))
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for _, r := range res {
		s.log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration)
	}
	if len(res) > 0 {
		// A new index without statistics can look best to the planner for
		// queries it does not suit: let the statistics catch up.
		q := `ANALYZE`
		if s.engine == SQLite {
			q = `PRAGMA analysis_limit = 0; ANALYZE`
		}
		if _, err := s.write.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("store: analyze after migrations: %w", err)
		}
	}
	return nil
}

// Version returns the schema version in the database.
func (s *Store) Version(ctx context.Context) (int64, error) {
	dir, err := fs.Sub(migrations, "migrations/"+string(s.engine))
	if err != nil {
		return 0, wrap("schema version", err)
	}
	dialect := goose.DialectSQLite3
	if s.engine == Postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, s.write, dir)
	if err != nil {
		return 0, wrap("schema version", err)
	}
	n, err := p.GetDBVersion(ctx)
	return n, wrap("schema version", err)
}

// tx runs fn in one write transaction: everything or nothing.
func (s *db) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// notFound turns sql.ErrNoRows into the displayable NotFound error with msg.
func notFound(err error, msg string) error {
	if noRows(err) {
		return apperr.New(apperr.NotFound, "%s", msg)
	}
	return err
}

// Size is the space the database takes on disk, in bytes: the SQLite file's
// pages, or the tables and indexes of the PostgreSQL schema.
func (s *Store) Size(ctx context.Context) (int64, error) {
	q := `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`
	if s.engine == Postgres {
		q = `SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'`
	}
	var n int64
	err := s.read.QueryRowContext(ctx, q).Scan(&n)
	return n, wrap("database size", err)
}
