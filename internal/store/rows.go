package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"marshrut/internal/apperr"
)

// The one way the store lists rows, names its failures and tells a missing
// row: list and eachRow read a query's rows, wrap names the operation in an
// error, noRows and notFound (store.go) decide "not found".

// list runs a query and scans every row with scan, in order; no rows give a
// nil slice. Errors say the operation: "store: op: …".
func list[T any](ctx context.Context, q querier, op, query string, a args, scan func(*sql.Rows) (T, error)) ([]T, error) {
	var out []T
	err := eachRow(ctx, q, query, a, func(r *sql.Rows) error {
		v, err := scan(r)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, wrap(op, err)
	}
	return out, nil
}

// eachRow runs a query and hands every row to fn, for rows that feed a map
// or several slices; it leaves naming the operation to its caller.
func eachRow(ctx context.Context, q querier, query string, a args, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, a...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// eachRowOp is eachRow with the operation named in its error.
func eachRowOp(ctx context.Context, q querier, op, query string, a args, fn func(*sql.Rows) error) error {
	return wrap(op, eachRow(ctx, q, query, a, fn))
}

// wrap names the store's operation in err: "store: op: …". An error meant
// for people (*apperr.Error, whose text a page or a report may show) and an
// error the store has named already pass as they are; nil stays nil.
func wrap(op string, err error) error {
	var e *apperr.Error
	if err == nil || errors.As(err, &e) || strings.HasPrefix(err.Error(), "store: ") {
		return err
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// noRows reports whether err says the query found no row.
func noRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// scanID scans a row of one id.
func scanID(rows *sql.Rows) (id int64, err error) {
	err = rows.Scan(&id)
	return id, err
}

// scanner makes list's callback of a scan of one row into a T.
func scanner[T any](scan func(interface{ Scan(...any) error }, *T) error) func(*sql.Rows) (T, error) {
	return func(rows *sql.Rows) (T, error) {
		var v T
		err := scan(rows, &v)
		return v, err
	}
}

// listPage is one page of a list and the count of all it holds: rows of
// from that match where, counted over countFrom (the same rows without the
// joins that only name things), read ordered by order, limit of them from
// offset (all of them for a limit of zero).
type listPage struct {
	op, cols, from, countFrom, where, order string
	limit, offset                           int
}

// page counts and reads a listPage from q, in one snapshot so that the
// count is of the rows the page shows.
func page[T any](ctx context.Context, d *db, q querier, p listPage, a args, scan func(*sql.Rows) (T, error)) ([]T, int, error) {
	q, end := d.snapshot(ctx, q)
	defer end()
	countFrom := p.countFrom
	if countFrom == "" {
		countFrom = p.from
	}
	var total int
	if err := q.QueryRowContext(ctx, `SELECT count(*)`+countFrom+` WHERE `+p.where, a...).Scan(&total); err != nil {
		return nil, 0, wrap(p.op, err)
	}
	sq := `SELECT ` + p.cols + p.from + ` WHERE ` + p.where + ` ORDER BY ` + p.order
	if p.limit > 0 {
		sq += ` LIMIT ` + a.add(p.limit) + ` OFFSET ` + a.add(p.offset)
	}
	out, err := list(ctx, q, p.op, sq, a, scan)
	return out, total, wrap(p.op, err)
}

// snapshot begins a read-only transaction on the pool q reads from (the
// primary's read pool or a replica), so that the statements of one view see
// the database as it stood at one moment: a count and the rows it counts, a
// learner and the history below it. On PostgreSQL it is REPEATABLE READ, one
// snapshot for every statement; on SQLite a deferred BEGIN on a reading
// connection, whose snapshot WAL keeps from its first read. end closes it;
// a read keeps nothing, so it rolls back. Inside a transaction already, the
// view reads there. A snapshot that cannot begin leaves the view reading from
// the pool: the failure shows in the view's own statements.
func (d *db) snapshot(ctx context.Context, q querier) (querier, func()) {
	opts := d.snapshotOptions()
	var tx *sql.Tx
	var err error
	switch p := q.(type) {
	case *sql.DB:
		tx, err = p.BeginTx(ctx, opts)
	case onReplica:
		tx, err = p.r.db.BeginTx(ctx, opts)
		if err != nil && p.failed(ctx, err) {
			tx, err = p.primary.BeginTx(ctx, opts)
		}
	default: // a transaction already
		return q, func() {}
	}
	if err != nil {
		return q, func() {}
	}
	return tx, func() { _ = tx.Rollback() }
}

// snapshotOptions are a read-only transaction's, with one snapshot for all
// its statements: REPEATABLE READ on PostgreSQL; SQLite's WAL gives a read
// transaction one by itself.
func (d *db) snapshotOptions() *sql.TxOptions {
	opts := &sql.TxOptions{ReadOnly: true}
	if d.engine == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return opts
}
