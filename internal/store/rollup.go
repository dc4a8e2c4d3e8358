package store

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/rollup"
)

// TrustedKey returns the public key registered for a region's bundles.
func (s *Rollup) TrustedKey(ctx context.Context, region string) (ed25519.PublicKey, bool, error) {
	var k string
	err := s.read.QueryRowContext(ctx, `SELECT public_key FROM rollup_key WHERE region_code = $1`, region).Scan(&k)
	if noRows(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, wrap("trusted key", err)
	}
	key, err := rollup.ParseKey(k)
	return key, err == nil, wrap("trusted key", err)
}

// SetTrustedKey registers (or replaces) a region's public key.
func (s *Rollup) SetTrustedKey(ctx context.Context, region string, key ed25519.PublicKey, at time.Time) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO rollup_key (region_code, public_key, added_at) VALUES ($1, $2, $3)
		ON CONFLICT (region_code) DO UPDATE SET public_key = excluded.public_key, added_at = excluded.added_at`,
		region, base64.StdEncoding.EncodeToString(key), tsArg(at))
	return wrap("set trusted key", err)
}

// SaveBundle keeps an imported bundle. A bundle seen before, or one not
// newer than the latest of its region, is a replay and is refused.
func (s *Rollup) SaveBundle(ctx context.Context, b rollup.Bundle, at time.Time, by int64) error {
	payload, err := json.Marshal(b)
	if err != nil {
		return wrap("save bundle", err)
	}
	return wrap("save bundle", s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM rollup_bundle WHERE id = $1`, b.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "этот пакет (№ %s) уже загружен: повторная загрузка отклонена", b.ID[:8])
		}
		var latest time.Time
		if err := tx.QueryRowContext(ctx, `SELECT max(created_at) FROM rollup_bundle WHERE region_code = $1`, b.Region).Scan(timeScan{&latest}); err != nil {
			return err
		}
		if !latest.IsZero() && !b.CreatedAt.After(latest) {
			return apperr.New(apperr.Conflict, "пакет региона %s создан %s — не позже уже загруженного (%s): старый пакет не заменяет новый",
				b.Region, b.CreatedAt.Format("02.01.2006 15:04"), latest.Format("02.01.2006 15:04"))
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO rollup_bundle (id, region_code, version, period, created_at, payload, imported_at, imported_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, b.ID, b.Region, b.Version, b.Period, tsArg(b.CreatedAt), string(payload), tsArg(at), nullID(by))
		return err
	}))
}

// LatestBundles returns the newest bundle of every region, by region code.
func (s *Rollup) LatestBundles(ctx context.Context) ([]rollup.Bundle, error) {
	var out []rollup.Bundle
	err := eachRow(ctx, s.read, `SELECT b.payload FROM rollup_bundle b WHERE b.created_at = (SELECT max(c.created_at) FROM rollup_bundle c
		WHERE c.region_code = b.region_code) ORDER BY b.region_code`, nil, func(r *sql.Rows) error {
		var p string
		if err := r.Scan(&p); err != nil {
			return err
		}
		var b rollup.Bundle
		if err := json.Unmarshal([]byte(p), &b); err != nil {
			return fmt.Errorf("stored bundle: %w", err)
		}
		out = append(out, b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: bundles: %w", err)
	}
	return out, nil
}

// BundleHistory lists the bundles imported from a region, newest first.
func (s *Rollup) BundleHistory(ctx context.Context, region string) ([]rollup.Imported, error) {
	var out []rollup.Imported
	err := eachRow(ctx, s.read, `SELECT id, period, created_at, imported_at FROM rollup_bundle WHERE region_code = $1 ORDER BY created_at DESC`,
		args{region}, func(r *sql.Rows) error {
			var x rollup.Imported
			if err := r.Scan(&x.ID, &x.Period, timeScan{&x.CreatedAt}, timeScan{&x.ImportedAt}); err != nil {
				return err
			}
			out = append(out, x)
			return nil
		})
	return out, wrap("bundle history", err)
}
