package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/cluster"
)

// The defences of clusters before a commission: criteria by year and version,
// the defence, its commission and who scores what, the experts' sheets and
// the signed protocol.

// SaveCriteria stores a set as the next version of its region's year.
func (s *Clusters) SaveCriteria(ctx context.Context, set *cluster.Criteria) error {
	return wrap("save criteria", s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(version), 0) + 1 FROM cluster_criteria WHERE region_code = $1 AND year = $2`,
			set.RegionCode, set.Year).Scan(&set.Version); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO cluster_criteria (region_code, year, version, total, pass_score, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, set.RegionCode, set.Year, set.Version, set.Total, set.PassScore,
			nullID(set.CreatedBy), tsArg(set.CreatedAt)).Scan(&set.ID); err != nil {
			return err
		}
		for i, c := range set.Criteria {
			if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_criterion (criteria_id, position, ckey, title, indicator, threshold, weight, max_score)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, set.ID, i+1, c.Key, c.Title, c.Indicator, c.Threshold, c.Weight, c.Max); err != nil {
				return err
			}
		}
		return nil
	}))
}

// LatestCriteria returns the newest version of the region's set of a year.
func (s *Clusters) LatestCriteria(ctx context.Context, region string, year int) (cluster.Criteria, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM cluster_criteria WHERE region_code = $1 AND year = $2 ORDER BY version DESC LIMIT 1`, region, year).Scan(&id)
	if err != nil {
		return cluster.Criteria{}, wrap("latest criteria", notFound(err, "критерии оценки кластеров не утверждены"))
	}
	c, err := criteriaByID(ctx, q, id)
	return c, wrap("latest criteria", err)
}

// CriteriaVersions returns every version of the region's set of a year, newest first.
func (s *Clusters) CriteriaVersions(ctx context.Context, region string, year int) ([]cluster.Criteria, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
	ids, err := list(ctx, q, "criteria versions", `SELECT id FROM cluster_criteria WHERE region_code = $1 AND year = $2 ORDER BY version DESC`, args{region, year}, scanID)
	if err != nil {
		return nil, wrap("criteria versions", err)
	}
	var out []cluster.Criteria
	for _, id := range ids {
		set, err := criteriaByID(ctx, q, id)
		if err != nil {
			return nil, wrap("criteria versions", err)
		}
		out = append(out, set)
	}
	return out, nil
}

func criteriaByID(ctx context.Context, db querier, id int64) (cluster.Criteria, error) {
	var set cluster.Criteria
	var by sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT id, region_code, year, version, total, pass_score, created_by, created_at FROM cluster_criteria WHERE id = $1`, id).
		Scan(&set.ID, &set.RegionCode, &set.Year, &set.Version, &set.Total, &set.PassScore, &by, timeScan{&set.CreatedAt})
	if err != nil {
		return set, notFound(err, "критерии оценки кластеров не найдены")
	}
	set.CreatedBy = by.Int64
	if err := eachRowOp(ctx, db, "criteria", `SELECT ckey, title, indicator, threshold, weight, max_score FROM cluster_criterion WHERE criteria_id = $1 ORDER BY position`, args{id}, func(rows *sql.Rows) error {
		var c cluster.Criterion
		if err := rows.Scan(&c.Key, &c.Title, &c.Indicator, &c.Threshold, &c.Weight, &c.Max); err != nil {
			return err
		}
		set.Criteria = append(set.Criteria, c)
		return nil
	}); err != nil {
		return set, err
	}
	return set, nil
}

// OpenDefence stores a new defence; a region holds one defence a year.
func (s *Clusters) OpenDefence(ctx context.Context, d *cluster.Defence) error {
	err := s.write.QueryRowContext(ctx, `INSERT INTO cluster_defence (region_code, year, criteria_id, status, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		d.RegionCode, d.Year, d.Criteria.ID, d.Status, tsArg(d.CreatedAt)).Scan(&d.ID)
	if isUniqueViolation(err) {
		return apperr.New(apperr.Conflict, "защиты кластеров %d года уже открыты", d.Year)
	}
	if err != nil {
		return fmt.Errorf("store: open defence: %w", err)
	}
	return nil
}

// Defence returns a defence of the region with its criteria, commission and assignments.
func (s *Clusters) Defence(ctx context.Context, region string, id int64) (cluster.Defence, error) {
	d, err := defenceOf(ctx, s.read, region, id)
	return d, wrap("defence", err)
}

func defenceOf(ctx context.Context, db querier, region string, id int64) (cluster.Defence, error) {
	var d cluster.Defence
	var criteriaID int64
	var by sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT id, region_code, year, criteria_id, status, chair, signed_at, signed_by, created_at
		FROM cluster_defence WHERE id = $1 AND region_code = $2`, id, region).
		Scan(&d.ID, &d.RegionCode, &d.Year, &criteriaID, &d.Status, &d.Chair, timeScan{&d.SignedAt}, &by, timeScan{&d.CreatedAt})
	if err != nil {
		return d, notFound(err, "защита кластеров не найдена")
	}
	d.SignedBy = by.Int64
	if d.Criteria, err = criteriaByID(ctx, db, criteriaID); err != nil {
		return d, err
	}
	if d.Experts, err = list(ctx, db, "commission", `SELECT u.id, u.name, u.login FROM cluster_expert ce JOIN app_user u ON u.id = ce.user_id
		WHERE ce.defence_id = $1 ORDER BY u.name, u.id`, args{id}, func(rows *sql.Rows) (e cluster.Expert, err error) {
		err = rows.Scan(&e.UserID, &e.Name, &e.Login)
		return e, err
	}); err != nil {
		return d, err
	}
	if err := eachRowOp(ctx, db, "assignments", `SELECT cluster_id, user_id FROM cluster_assignment WHERE defence_id = $1 ORDER BY cluster_id, user_id`, args{id}, func(rows *sql.Rows) error {
		var as cluster.Assignment
		if err := rows.Scan(&as.ClusterID, &as.UserID); err != nil {
			return err
		}
		d.Assignments = append(d.Assignments, as)
		return nil
	}); err != nil {
		return d, err
	}
	return d, nil
}

// Defences lists the region's defences, newest first.
func (s *Clusters) Defences(ctx context.Context, region string) ([]cluster.Defence, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
	ids, err := list(ctx, q, "defences", `SELECT id FROM cluster_defence WHERE region_code = $1 ORDER BY year DESC`, args{region}, scanID)
	if err != nil {
		return nil, wrap("defences", err)
	}
	var out []cluster.Defence
	for _, id := range ids {
		d, err := defenceOf(ctx, q, region, id)
		if err != nil {
			return nil, wrap("defences", err)
		}
		out = append(out, d)
	}
	return out, nil
}

// Experts lists the region's active users of role expert.
func (s *Clusters) Experts(ctx context.Context, region string) ([]cluster.Expert, error) {
	return list(ctx, s.read, "experts", `SELECT id, name, login FROM app_user WHERE region_code = $1 AND role = 'expert' AND NOT disabled ORDER BY name, id`, args{region}, func(rows *sql.Rows) (cluster.Expert, error) {
		var e cluster.Expert
		if err := rows.Scan(&e.UserID, &e.Name, &e.Login); err != nil {
			return e, err
		}
		return e, nil
	})
}

// SetCommission replaces the commission and the assignments of an open
// defence; the members must be the region's experts and the clusters its own.
func (s *Clusters) SetCommission(ctx context.Context, region string, id int64, experts []int64, as []cluster.Assignment) error {
	return wrap("set commission", s.tx(ctx, func(tx *sql.Tx) error {
		d, err := defenceOf(ctx, tx, region, id)
		if err != nil {
			return err
		}
		if d.Status == cluster.Signed {
			return apperr.New(apperr.Conflict, "протокол защит %d года подписан: состав комиссии изменить нельзя", d.Year)
		}
		for _, u := range experts {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM app_user WHERE id = $1 AND region_code = $2 AND role = 'expert'`, u, region).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return apperr.Field("experts", "пользователь № %d не является экспертом региона", u)
			}
		}
		for _, a := range as {
			var name string
			var year int
			err := tx.QueryRowContext(ctx, `SELECT name, year FROM cluster WHERE id = $1 AND region_code = $2`, a.ClusterID, region).Scan(&name, &year)
			if noRows(err) {
				return apperr.Field("assignments", "кластер № %d не найден в реестре региона", a.ClusterID)
			}
			if err != nil {
				return err
			}
			if year > d.Year {
				// A cluster is defended only in the years it exists.
				return apperr.Field("assignments", "кластер «%s» создан в %d году: в защитах %d года его нет", name, year, d.Year)
			}
		}
		for _, q := range []string{`DELETE FROM cluster_assignment WHERE defence_id = $1`, `DELETE FROM cluster_expert WHERE defence_id = $1`} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		seen := map[int64]bool{}
		for _, u := range experts {
			if seen[u] {
				continue
			}
			seen[u] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_expert (defence_id, user_id) VALUES ($1, $2)`, id, u); err != nil {
				return err
			}
		}
		done := map[cluster.Assignment]bool{}
		for _, a := range as {
			if done[a] {
				continue
			}
			done[a] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_assignment (defence_id, cluster_id, user_id) VALUES ($1, $2, $3)`, id, a.ClusterID, a.UserID); err != nil {
				return err
			}
		}
		return nil
	}))
}

// SaveSheet replaces an expert's marks of a cluster after check has passed
// the sheet with the defence as this transaction reads it, so that a
// protocol signed a moment before is seen.
func (s *Clusters) SaveSheet(ctx context.Context, region string, defenceID int64, sh cluster.Sheet, check func(cluster.Defence) error) error {
	return wrap("save sheet", s.tx(ctx, func(tx *sql.Tx) error {
		d, err := defenceOf(ctx, tx, region, defenceID)
		if err != nil {
			return err
		}
		if err := check(d); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM cluster_mark WHERE defence_id = $1 AND cluster_id = $2 AND user_id = $3`,
			defenceID, sh.ClusterID, sh.UserID); err != nil {
			return err
		}
		for _, m := range sh.Marks {
			if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_mark (defence_id, cluster_id, user_id, criterion, score, comment, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, defenceID, sh.ClusterID, sh.UserID, m.Criterion, m.Score, m.Comment, tsArg(m.UpdatedAt)); err != nil {
				return err
			}
		}
		return nil
	}))
}

// Marks lists every mark of a defence.
func (s *Clusters) Marks(ctx context.Context, defenceID int64) ([]cluster.Mark, error) {
	out, err := marksOf(ctx, s.read, defenceID)
	return out, wrap("marks", err)
}

func marksOf(ctx context.Context, db querier, defenceID int64) ([]cluster.Mark, error) {
	return list(ctx, db, "marks", `SELECT cluster_id, user_id, criterion, score, comment, updated_at FROM cluster_mark WHERE defence_id = $1
		ORDER BY cluster_id, user_id, criterion`, args{defenceID}, func(rows *sql.Rows) (cluster.Mark, error) {
		var m cluster.Mark
		if err := rows.Scan(&m.ClusterID, &m.UserID, &m.Criterion, &m.Score, &m.Comment, timeScan{&m.UpdatedAt}); err != nil {
			return m, err
		}
		return m, nil
	})
}

// SignDefence signs an open defence after check has passed it with the
// marks this transaction reads.
func (s *Clusters) SignDefence(ctx context.Context, region string, id int64, chair string, by int64, at time.Time, check func(cluster.Defence, []cluster.Mark) error) error {
	return wrap("sign defence", s.tx(ctx, func(tx *sql.Tx) error {
		d, err := defenceOf(ctx, tx, region, id)
		if err != nil {
			return err
		}
		marks, err := marksOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := check(d, marks); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE cluster_defence SET status = 'signed', chair = $1, signed_at = $2, signed_by = $3 WHERE id = $4 AND status = 'open'`,
			strings.TrimSpace(chair), tsArg(at), nullID(by), id)
		return err
	}))
}
