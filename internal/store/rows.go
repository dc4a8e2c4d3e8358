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

// page counts and reads a listPage.
func page[T any](ctx context.Context, q querier, p listPage, a args, scan func(*sql.Rows) (T, error)) ([]T, int, error) {
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
