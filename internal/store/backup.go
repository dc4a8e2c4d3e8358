package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"modernc.org/sqlite"

	"marshrut/internal/apperr"
)

// Backup writes a consistent copy of the database to path, which must not
// exist yet. SQLite is copied with VACUUM INTO, which reads one snapshot while
// the server keeps serving; PostgreSQL is dumped with pg_dump in its custom
// format (the schema in use only). The copy is written under a temporary name
// and renamed at the end, so a file at path is always a whole backup.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return apperr.New(apperr.Conflict, "файл %s уже существует: резервная копия не перезаписывает файлы, укажите новое имя", path)
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".part")
	os.Remove(tmp)
	var err error
	if s.engine == Postgres {
		err = s.pgDump(ctx, tmp)
	} else {
		_, err = s.write.ExecContext(ctx, `VACUUM INTO $1`, tmp)
		if err != nil {
			err = fmt.Errorf("store: backup: %w", err)
		}
	}
	if err == nil {
		err = syncFile(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return wrap("backup", err)
	}
	return nil
}

// Restore replaces the contents of the database with the backup at path, in
// one transaction: if anything fails, the database stays as it was. A SQLite
// backup is checked (integrity_check, a Marshrut schema) and then copied page
// by page with SQLite's online backup API under the write lock, so readers of
// a running server see the old or the new database, never a mixture; a
// PostgreSQL dump is applied with pg_restore --clean --single-transaction.
// The caller runs Migrate afterwards to bring an older backup up to date.
func (s *Store) Restore(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return apperr.New(apperr.Invalid, "файл резервной копии %s не найден", path)
	}
	if s.engine == Postgres {
		return wrap("restore", s.pgRestore(ctx, path))
	}
	if err := checkSQLiteBackup(ctx, path); err != nil {
		return wrap("restore", err)
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	defer conn.Close()
	if err := conn.Raw(func(dc any) error { return restoreSQLite(dc, path) }); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	return nil
}

// checkSQLiteBackup opens the file read-only and makes sure it is a sound
// SQLite database with Marshrut's schema in it.
func checkSQLiteBackup(ctx context.Context, path string) error {
	bad := func(why string) error {
		return apperr.New(apperr.Invalid, "файл %s не является резервной копией Маршрута: %s", path, why)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return bad(err.Error())
	}
	defer db.Close()
	var ok string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil {
		return bad("это не база SQLite или она повреждена")
	}
	if ok != "ok" {
		return bad("проверка целостности не пройдена (" + ok + ")")
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('goose_db_version', 'learner', 'app_user')`).Scan(&n); err != nil || n != 3 {
		return bad("в ней нет таблиц Маршрута")
	}
	return nil
}

// restoreSQLite copies the backup into the open database with SQLite's
// backup API, all pages in one step, which is one transaction on the target.
func restoreSQLite(dc any, path string) error {
	r, ok := dc.(interface {
		NewRestore(string) (*sqlite.Backup, error)
	})
	if !ok {
		return errors.New("the SQLite driver cannot restore from a backup")
	}
	b, err := r.NewRestore(path)
	if err != nil {
		return err
	}
	if _, err := b.Step(-1); err != nil {
		b.Finish()
		return err
	}
	return b.Finish()
}

// syncFile flushes a finished backup to the disk before it gets its name.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer f.Close()
	return f.Sync()
}

// pgTarget is how libpq's tools reach the store's database: its URL without
// the password, which goes into PGPASSWORD so that it never shows in the list
// of processes, and with only the parameters libpq knows (pgx takes more,
// such as search_path, which libpq refuses); and the schema in use.
func (s *db) pgTarget(ctx context.Context) (conn string, env []string, schema string, err error) {
	u, err := url.Parse(s.dsn)
	if err != nil {
		return "", nil, "", fmt.Errorf("store: database URL: %w", err)
	}
	env = os.Environ()
	if p, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+p)
		u.User = url.User(u.User.Username())
	}
	q := url.Values{}
	for k, v := range u.Query() {
		if slices.Contains(libpqParams, k) {
			q[k] = v
		}
	}
	u.RawQuery = q.Encode()
	if err := s.read.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return "", nil, "", fmt.Errorf("store: current schema: %w", err)
	}
	return u.String(), env, schema, nil
}

// libpqParams are the URL parameters passed on to pg_dump and pg_restore.
var libpqParams = []string{"sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "connect_timeout", "application_name",
	"target_session_attrs", "host", "port", "hostaddr", "user", "dbname", "passfile", "service"}

// pgDump writes the schema in use to path in pg_dump's custom format.
func (s *db) pgDump(ctx context.Context, path string) error {
	conn, env, schema, err := s.pgTarget(ctx)
	if err != nil {
		return err
	}
	return pgTool(ctx, env, "pg_dump", "--format=custom", "--schema="+schema, "--file="+path, "--dbname="+conn)
}

// pgRestore checks that path is a dump pg_restore can read, then applies it
// in one transaction, dropping the objects it holds before making them anew.
func (s *db) pgRestore(ctx context.Context, path string) error {
	conn, env, _, err := s.pgTarget(ctx)
	if err != nil {
		return err
	}
	if err := pgTool(ctx, env, "pg_restore", "--list", path); err != nil {
		if apperr.CodeOf(err) == apperr.Internal {
			return apperr.Wrap(err, apperr.Invalid, "файл %s не является резервной копией pg_dump (формат custom)", path)
		}
		return err
	}
	return pgTool(ctx, env, "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
		"--single-transaction", "--exit-on-error", "--dbname="+conn, path)
}

// pgTool runs one of PostgreSQL's client programs; its complaint, if any,
// becomes part of the error.
func pgTool(ctx context.Context, env []string, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = nil, &stderr
	err := cmd.Run()
	if errors.Is(err, exec.ErrNotFound) {
		return apperr.New(apperr.Internal, "программа %s не найдена: установите пакет postgresql-client той же версии, что и сервер PostgreSQL", name)
	}
	if err != nil {
		return fmt.Errorf("store: %s: %w: %s", name, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// Checksum is the fingerprint of a table: its number of rows and a hash of
// their contents that does not depend on their order.
type Checksum struct {
	Rows int64
	Sum  string
}

// Checksums fingerprints every table of the database (of the schema in use
// on PostgreSQL). Two databases with the same checksums hold the same rows:
// tests compare them before and after a backup, a restore or a crash.
func (s *Store) Checksums(ctx context.Context) (map[string]Checksum, error) {
	rq, end := s.snapshot(ctx, s.read)
	defer end()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if s.engine == Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`
	}
	tables, err := queryStrings(ctx, rq, q)
	if err != nil {
		return nil, fmt.Errorf("store: tables: %w", err)
	}
	out := make(map[string]Checksum, len(tables))
	for _, t := range tables {
		var c Checksum
		if s.engine == Postgres {
			err = rq.QueryRowContext(ctx, `SELECT count(*), COALESCE(md5(string_agg(t::text, E'\n' ORDER BY t::text)), '') FROM "`+t+`" t`).Scan(&c.Rows, &c.Sum)
		} else {
			c, err = sqliteChecksum(ctx, rq, t)
		}
		if err != nil {
			return nil, fmt.Errorf("store: checksum of %s: %w", t, err)
		}
		out[t] = c
	}
	return out, nil
}

// sqliteChecksum hashes the rows of one SQLite table, sorted as text.
func sqliteChecksum(ctx context.Context, db querier, table string) (Checksum, error) {
	rows, err := db.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
	if err != nil {
		return Checksum{}, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return Checksum{}, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var lines []string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return Checksum{}, err
		}
		lines = append(lines, fmt.Sprintf("%q", vals))
	}
	if err := rows.Err(); err != nil {
		return Checksum{}, err
	}
	slices.Sort(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return Checksum{Rows: int64(len(lines)), Sum: hex.EncodeToString(h.Sum(nil))}, nil
}

func queryStrings(ctx context.Context, db querier, q string) ([]string, error) {
	return list(ctx, db, "query strings", q, nil, func(rows *sql.Rows) (string, error) {
		var s string
		if err := rows.Scan(&s); err != nil {
			return s, err
		}
		return s, nil
	})
}
