package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"marshrut/internal/auth"
	"marshrut/internal/history"
)

// recordEdit writes the changed fields of an edit in the edit's transaction.
// The editor is the request's caller (none for the program's own work); an
// edit that changed nothing leaves no row.
func (s *db) recordEdit(ctx context.Context, tx *sql.Tx, region string, kind history.Kind, id int64, changes []history.Change) error {
	if len(changes) == 0 {
		return nil
	}
	b, err := json.Marshal(changes)
	if err != nil {
		return fmt.Errorf("store: record edit: %w", err)
	}
	u, _, _ := auth.Caller(ctx)
	_, err = tx.ExecContext(ctx, `INSERT INTO edit_history (region_code, kind, object_id, at, user_id, login, changes) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		region, kind, id, tsArg(s.now()), u.ID, u.Login, string(b))
	if err != nil {
		return fmt.Errorf("store: record edit: %w", err)
	}
	return nil
}

// History returns the edits of an object of the region, the latest first.
func (s *db) history(ctx context.Context, region string, kind history.Kind, id int64) ([]history.Entry, error) {
	var out []history.Entry
	err := eachRow(ctx, s.read, `SELECT at, user_id, login, changes FROM edit_history WHERE region_code = $1 AND kind = $2 AND object_id = $3 ORDER BY at DESC, id DESC`,
		args{region, kind, id}, func(rows *sql.Rows) error {
			var e history.Entry
			var changes string
			if err := rows.Scan(timeScan{&e.At}, &e.UserID, &e.Login, &changes); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("store: history: %w", err)
	}
	return out, nil
}
