package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// The statements a piece of code runs, counted at the driver: the store's
// pools are swapped for pools over the same driver and database whose
// connections note every query and exec they are given, and every
// transaction begun, with whether it was read-only.

// statement is one query or exec a driver connection was given.
type statement struct {
	pool  string // "read" or "write" (on PostgreSQL both are one pool, "read")
	query string
	tx    int // the number of the transaction it ran in, 0 outside one
}

// counter collects what the counting pools ran.
type counter struct {
	mu         sync.Mutex
	statements []statement
	begins     []driver.TxOptions
}

func (c *counter) note(pool, query string, tx int) {
	c.mu.Lock()
	c.statements = append(c.statements, statement{pool: pool, query: strings.Join(strings.Fields(query), " "), tx: tx})
	c.mu.Unlock()
}

func (c *counter) begin(opts driver.TxOptions) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.begins = append(c.begins, opts)
	return len(c.begins)
}

// reset forgets what was counted so far.
func (c *counter) reset() {
	c.mu.Lock()
	c.statements, c.begins = nil, nil
	c.mu.Unlock()
}

// took returns what was counted so far.
func (c *counter) took() ([]statement, []driver.TxOptions) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]statement(nil), c.statements...), append([]driver.TxOptions(nil), c.begins...)
}

// countStatements swaps the store's pools for counting ones over the same
// database until the test ends.
func countStatements(t *testing.T, s *Store) *counter {
	t.Helper()
	c := &counter{}
	dsn := s.dsn
	if s.engine == SQLite {
		dsn = sqliteDSN(s.dsn)
	}
	oldRead, oldWrite := s.read, s.write
	open := func(pool string, like *sql.DB) *sql.DB {
		db := sql.OpenDB(countConnector{drv: like.Driver(), dsn: dsn, pool: pool, c: c})
		db.SetMaxOpenConns(like.Stats().MaxOpenConnections)
		return db
	}
	read := open("read", oldRead)
	write := read
	if oldWrite != oldRead {
		write = open("write", oldWrite)
	}
	s.read, s.write = read, write
	t.Cleanup(func() {
		s.read, s.write = oldRead, oldWrite
		read.Close()
		if write != read {
			write.Close()
		}
	})
	return c
}

type countConnector struct {
	drv  driver.Driver
	dsn  string
	pool string
	c    *counter
}

func (k countConnector) Connect(ctx context.Context) (driver.Conn, error) {
	var (
		conn driver.Conn
		err  error
	)
	if dc, ok := k.drv.(driver.DriverContext); ok {
		var inner driver.Connector
		if inner, err = dc.OpenConnector(k.dsn); err != nil {
			return nil, err
		}
		conn, err = inner.Connect(ctx)
	} else {
		conn, err = k.drv.Open(k.dsn)
	}
	if err != nil {
		return nil, err
	}
	return &countConn{Conn: conn, pool: k.pool, c: k.c}, nil
}

func (k countConnector) Driver() driver.Driver { return k.drv }

// countConn notes what it runs and hands it on. Both drivers (modernc's
// SQLite and pgx) take queries and execs directly, so database/sql does not
// prepare them first; a prepared statement is counted when it runs.
type countConn struct {
	driver.Conn
	pool string
	c    *counter
	tx   int
}

func (c *countConn) QueryContext(ctx context.Context, query string, a []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	c.c.note(c.pool, query, c.tx)
	return q.QueryContext(ctx, query, a)
}

func (c *countConn) ExecContext(ctx context.Context, query string, a []driver.NamedValue) (driver.Result, error) {
	e, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	c.c.note(c.pool, query, c.tx)
	return e.ExecContext(ctx, query, a)
}

func (c *countConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	var (
		st  driver.Stmt
		err error
	)
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		st, err = p.PrepareContext(ctx, query)
	} else {
		st, err = c.Conn.Prepare(query)
	}
	if err != nil {
		return nil, err
	}
	return &countStmt{Stmt: st, conn: c, query: query}, nil
}

func (c *countConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	// Both engines' drivers begin with options; the counter needs no other way.
	b, ok := c.Conn.(driver.ConnBeginTx)
	if !ok {
		return nil, fmt.Errorf("count: the driver %T cannot begin with options", c.Conn)
	}
	tx, err := b.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	c.tx = c.c.begin(opts)
	return &countTx{Tx: tx, conn: c}, nil
}

func (c *countConn) CheckNamedValue(v *driver.NamedValue) error {
	if n, ok := c.Conn.(driver.NamedValueChecker); ok {
		return n.CheckNamedValue(v)
	}
	return driver.ErrSkip
}

func (c *countConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *countConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *countConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

type countTx struct {
	driver.Tx
	conn *countConn
}

func (t *countTx) Commit() error   { t.conn.tx = 0; return t.Tx.Commit() }
func (t *countTx) Rollback() error { t.conn.tx = 0; return t.Tx.Rollback() }

type countStmt struct {
	driver.Stmt
	conn  *countConn
	query string
}

func (s *countStmt) ExecContext(ctx context.Context, a []driver.NamedValue) (driver.Result, error) {
	s.conn.c.note(s.conn.pool, s.query, s.conn.tx)
	if e, ok := s.Stmt.(driver.StmtExecContext); ok {
		return e.ExecContext(ctx, a)
	}
	return nil, driver.ErrSkip
}

func (s *countStmt) QueryContext(ctx context.Context, a []driver.NamedValue) (driver.Rows, error) {
	s.conn.c.note(s.conn.pool, s.query, s.conn.tx)
	if q, ok := s.Stmt.(driver.StmtQueryContext); ok {
		return q.QueryContext(ctx, a)
	}
	return nil, driver.ErrSkip
}
