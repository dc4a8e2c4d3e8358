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
