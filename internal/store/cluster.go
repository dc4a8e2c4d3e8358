package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/cluster"
	"marshrut/internal/org"
)

// Clusters carry no personal data, but they are still read within reach:
// the region and the federal operator see every cluster of the region; a
// college or an employer the clusters it belongs to; an expert the clusters
// assigned to them in any defence.

// clusterScope keeps a query on cluster c within the caller's reach.
func clusterScope(sc auth.Scope, a *args) string {
	region := `c.region_code = ` + a.add(sc.RegionCode)
	switch sc.Role {
	case auth.Admin, auth.Region, auth.System, auth.Federal:
		return region
	case auth.College, auth.University, auth.Employer:
		if sc.OrgID == 0 {
			return `1 = 0`
		}
		org := a.add(sc.OrgID)
		return region + ` AND (c.base_org_id = ` + org + ` OR EXISTS (SELECT 1 FROM cluster_org co WHERE co.cluster_id = c.id AND co.org_id = ` + org + `))`
	case auth.Expert:
		return region + ` AND EXISTS (SELECT 1 FROM cluster_assignment ca WHERE ca.cluster_id = c.id AND ca.user_id = ` + a.add(sc.UserID) + `)`
	}
	return `1 = 0`
}

// SaveCluster creates a cluster (ID 0) or rewrites one of its region with
// its colleges, employers, programmes, money and equipment, in one
// transaction. The base and member organisations must be colleges of the
// region, the anchor ones its employers.
func (s *Store) SaveCluster(ctx context.Context, c *cluster.Cluster) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := checkClusterOrgs(ctx, tx, c); err != nil {
			return err
		}
		now := s.now()
		c.UpdatedAt = now
		if c.ID == 0 {
			c.CreatedAt = now
			if err := tx.QueryRowContext(ctx, `INSERT INTO cluster (region_code, name, industry, kind, year, base_org_id, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, c.RegionCode, c.Name, c.Industry, c.Kind, c.Year, c.BaseOrgID,
				tsArg(now), tsArg(now)).Scan(&c.ID); err != nil {
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE cluster SET name = $1, industry = $2, kind = $3, year = $4, base_org_id = $5, updated_at = $6
				WHERE id = $7 AND region_code = $8`, c.Name, c.Industry, c.Kind, c.Year, c.BaseOrgID, tsArg(now), c.ID, c.RegionCode)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return apperr.New(apperr.NotFound, "кластер не найден")
			}
			for _, t := range []string{"cluster_org", "cluster_specialty", "cluster_funding", "cluster_equipment"} {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+t+` WHERE cluster_id = $1`, c.ID); err != nil {
					return err
				}
			}
		}
		return writeClusterParts(ctx, tx, c)
	})
}

func checkClusterOrgs(ctx context.Context, tx *sql.Tx, c *cluster.Cluster) error {
	var errs apperr.List
	kindOf := func(id int64) (org.Kind, error) { return orgKind(ctx, tx, c.RegionCode, id) }
	if k, err := kindOf(c.BaseOrgID); err != nil {
		return err
	} else if k != org.College {
		errs.Add("base_org_id", "базовая организация кластера должна быть колледжем (СПО) региона")
	}
	for _, m := range c.Members {
		if k, err := kindOf(m.ID); err != nil {
			return err
		} else if k != org.College {
			errs.Add("members", "участник кластера № %d не является колледжем (СПО) региона", m.ID)
		}
	}
	for _, e := range c.Employers {
		if k, err := kindOf(e.ID); err != nil {
			return err
		} else if k != org.Employer {
			errs.Add("employers", "якорный участник № %d не является работодателем региона", e.ID)
		}
	}
	return errs.Err()
}

func writeClusterParts(ctx context.Context, tx *sql.Tx, c *cluster.Cluster) error {
	for _, list := range []struct {
		orgs []cluster.Org
		role string
	}{{c.Members, "member"}, {c.Employers, "employer"}} {
		for _, o := range list.orgs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_org (cluster_id, org_id, role) VALUES ($1, $2, $3)`, c.ID, o.ID, list.role); err != nil {
				return err
			}
		}
	}
	for _, sp := range c.Specialties {
		_, err := tx.ExecContext(ctx, `INSERT INTO cluster_specialty (cluster_id, specialty_code) VALUES ($1, $2)`, c.ID, sp.Code)
		if isForeignKeyViolation(err) {
			return apperr.Field("specialties", "специальности %s нет в справочнике ОКСО", sp.Code)
		}
		if err != nil {
			return err
		}
	}
	for _, f := range c.Funding {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_funding (cluster_id, year, federal, regional, employers) VALUES ($1, $2, $3, $4, $5)`,
			c.ID, f.Year, f.Federal, f.Regional, f.Employers); err != nil {
			return err
		}
	}
	for _, e := range c.Equipment {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_equipment (cluster_id, name, quantity, cost, year) VALUES ($1, $2, $3, $4, $5)`,
			c.ID, e.Name, e.Quantity, e.Cost, e.Year); err != nil {
			return err
		}
	}
	return nil
}

const clusterCols = `c.id, c.region_code, c.name, c.industry, c.kind, c.year, c.base_org_id, COALESCE(NULLIF(b.short_name, ''), b.name), c.created_at, c.updated_at`

const clusterFrom = ` FROM cluster c JOIN organisation b ON b.id = c.base_org_id`

// Cluster returns a cluster the caller sees with all its parts.
func (s *Store) Cluster(ctx context.Context, sc auth.Scope, id int64) (cluster.Cluster, error) {
	var a args
	list, err := s.clusters(ctx, `c.id = `+a.add(id)+` AND `+clusterScope(sc, &a), a)
	if err != nil {
		return cluster.Cluster{}, err
	}
	if len(list) == 0 {
		return cluster.Cluster{}, apperr.New(apperr.NotFound, "кластер не найден")
	}
	return list[0], nil
}

// Clusters lists the clusters the caller sees, by name, with all their parts.
func (s *Store) Clusters(ctx context.Context, sc auth.Scope, f cluster.Filter) ([]cluster.Cluster, error) {
	var a args
	where := clusterScope(sc, &a)
	if f.Industry != "" {
		where += ` AND c.industry = ` + a.add(f.Industry)
	}
	if f.Year != 0 {
		where += ` AND c.year = ` + a.add(f.Year)
	}
	return s.clusters(ctx, where, a)
}

func (s *Store) clusters(ctx context.Context, where string, a args) ([]cluster.Cluster, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+clusterCols+clusterFrom+` WHERE `+where+` ORDER BY c.name, c.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("store: clusters: %w", err)
	}
	var out []cluster.Cluster
	index := map[int64]int{}
	for rows.Next() {
		var c cluster.Cluster
		if err := rows.Scan(&c.ID, &c.RegionCode, &c.Name, &c.Industry, &c.Kind, &c.Year, &c.BaseOrgID, &c.BaseOrg,
			timeScan{&c.CreatedAt}, timeScan{&c.UpdatedAt}); err != nil {
			rows.Close()
			return nil, err
		}
		index[c.ID] = len(out)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	return out, s.clusterParts(ctx, out, index)
}

// clusterParts reads the parts of the clusters, four queries for all of them.
func (s *Store) clusterParts(ctx context.Context, cs []cluster.Cluster, index map[int64]int) error {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	if err := s.clusterOrgs(ctx, cs, index, ids); err != nil {
		return err
	}
	var a args
	rows, err := s.read.QueryContext(ctx, `SELECT cs.cluster_id, cs.specialty_code, sp.name FROM cluster_specialty cs JOIN specialty sp ON sp.code = cs.specialty_code
		WHERE cs.cluster_id IN (`+a.in(ids)+`) ORDER BY cs.specialty_code`, a...)
	if err != nil {
		return fmt.Errorf("store: cluster specialties: %w", err)
	}
	for rows.Next() {
		var id int64
		var sp cluster.Specialty
		if err := rows.Scan(&id, &sp.Code, &sp.Name); err != nil {
			rows.Close()
			return err
		}
		cs[index[id]].Specialties = append(cs[index[id]].Specialties, sp)
	}
	rows.Close()
	a = nil
	rows, err = s.read.QueryContext(ctx, `SELECT cluster_id, year, federal, regional, employers FROM cluster_funding WHERE cluster_id IN (`+a.in(ids)+`) ORDER BY year`, a...)
	if err != nil {
		return fmt.Errorf("store: cluster funding: %w", err)
	}
	for rows.Next() {
		var id int64
		var f cluster.Funding
		if err := rows.Scan(&id, &f.Year, &f.Federal, &f.Regional, &f.Employers); err != nil {
			rows.Close()
			return err
		}
		cs[index[id]].Funding = append(cs[index[id]].Funding, f)
	}
	rows.Close()
	a = nil
	rows, err = s.read.QueryContext(ctx, `SELECT cluster_id, name, quantity, cost, year FROM cluster_equipment WHERE cluster_id IN (`+a.in(ids)+`) ORDER BY year, id`, a...)
	if err != nil {
		return fmt.Errorf("store: cluster equipment: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var e cluster.Equipment
		if err := rows.Scan(&id, &e.Name, &e.Quantity, &e.Cost, &e.Year); err != nil {
			return err
		}
		cs[index[id]].Equipment = append(cs[index[id]].Equipment, e)
	}
	return rows.Err()
}

func (s *Store) clusterOrgs(ctx context.Context, cs []cluster.Cluster, index map[int64]int, ids []int64) error {
	var a args
	rows, err := s.read.QueryContext(ctx, `SELECT co.cluster_id, co.org_id, COALESCE(NULLIF(o.short_name, ''), o.name), co.role
		FROM cluster_org co JOIN organisation o ON o.id = co.org_id WHERE co.cluster_id IN (`+a.in(ids)+`) ORDER BY o.name`, a...)
	if err != nil {
		return fmt.Errorf("store: cluster organisations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var o cluster.Org
		var role string
		if err := rows.Scan(&id, &o.ID, &o.Name, &role); err != nil {
			return err
		}
		c := &cs[index[id]]
		if role == "employer" {
			c.Employers = append(c.Employers, o)
		} else {
			c.Members = append(c.Members, o)
		}
	}
	return rows.Err()
}

// ClusterCounts counts what the key figures of a cluster in a year are made
// of. Students are those with a study stage at the cluster's colleges in its
// programmes on 1 October of the year, counted by person (distinct learners,
// however many stages they have); graduates are the year's graduates of the
// colleges in the programmes.
func (s *Store) ClusterCounts(ctx context.Context, c cluster.Cluster, year int) (cluster.Counts, error) {
	var n cluster.Counts
	if len(c.Specialties) == 0 {
		return n, nil
	}
	specs := make([]string, len(c.Specialties))
	for i, sp := range c.Specialties {
		specs[i] = sp.Code
	}
	inText := func(a *args, vs []string) string {
		ph := make([]string, len(vs))
		for i, v := range vs {
			ph[i] = a.add(v)
		}
		return strings.Join(ph, ", ")
	}
	census := dateArg(time.Date(year, time.October, 1, 0, 0, 0, 0, time.UTC))
	var a args
	err := s.read.QueryRowContext(ctx, `SELECT count(DISTINCT st.learner_id), count(DISTINCT ta.learner_id)
		FROM learner_stage st JOIN learner l ON l.id = st.learner_id
		LEFT JOIN (SELECT DISTINCT learner_id FROM targeted_application WHERE status IN `+signedStatuses+`) ta ON ta.learner_id = st.learner_id
		WHERE l.region_code = `+a.add(c.RegionCode)+` AND st.kind IN ('college', 'university') AND st.org_id IN (`+a.in(c.Colleges())+`)
		AND COALESCE(st.specialty_code, l.specialty_code) IN (`+inText(&a, specs)+`)
		AND st.started_on <= `+a.add(census)+` AND (st.ended_on IS NULL OR st.ended_on >= `+a.add(census)+`)`, a...).Scan(&n.Students, &n.Targeted)
	if err != nil {
		return n, fmt.Errorf("store: cluster students: %w", err)
	}
	a = nil
	employers := `1 = 0`
	if len(c.Employers) > 0 {
		ids := make([]int64, len(c.Employers))
		for i, e := range c.Employers {
			ids[i] = e.ID
		}
		employers = `o.employer_id IN (` + a.in(ids) + `)`
	}
	err = s.read.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(CASE WHEN l.outcome_6m IN `+positive+` THEN 1 ELSE 0 END), 0),
		COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM outcome o WHERE o.learner_id = l.id AND o.status = 'employed' AND `+employers+`) THEN 1 ELSE 0 END), 0)
		FROM learner l WHERE l.region_code = `+a.add(c.RegionCode)+` AND l.status = 'graduate' AND l.graduation_year = `+a.add(year)+`
		AND l.org_id IN (`+a.in(c.Colleges())+`) AND l.specialty_code IN (`+inText(&a, specs)+`)`, a...).Scan(&n.Graduates, &n.Employed, &n.EmployedAtCluster)
	if err != nil {
		return n, fmt.Errorf("store: cluster graduates: %w", err)
	}
	n.Funding, n.HasFunding = c.FundingOf(year)
	return n, nil
}

// EnteredValues returns the values entered for a cluster's year.
func (s *Store) EnteredValues(ctx context.Context, clusterID int64, year int) (map[cluster.Indicator]float64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT indicator, value FROM cluster_value WHERE cluster_id = $1 AND year = $2`, clusterID, year)
	if err != nil {
		return nil, fmt.Errorf("store: cluster values: %w", err)
	}
	defer rows.Close()
	out := map[cluster.Indicator]float64{}
	for rows.Next() {
		var k cluster.Indicator
		var v float64
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// SaveValue writes an entered value, replacing the one before.
func (s *Store) SaveValue(ctx context.Context, v cluster.EnteredValue) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO cluster_value (cluster_id, year, indicator, value, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (cluster_id, year, indicator) DO UPDATE SET value = excluded.value, entered_by = excluded.entered_by, entered_at = excluded.entered_at`,
		v.ClusterID, v.Year, v.Indicator, v.Value, nullID(v.By), tsArg(v.At))
	if err != nil {
		return fmt.Errorf("store: save cluster value: %w", err)
	}
	return nil
}

// SaveCriteria stores a set as the next version of its region's year.
func (s *Store) SaveCriteria(ctx context.Context, set *cluster.Criteria) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
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
	})
}

// LatestCriteria returns the newest version of the region's set of a year.
func (s *Store) LatestCriteria(ctx context.Context, region string, year int) (cluster.Criteria, error) {
	var id int64
	err := s.read.QueryRowContext(ctx, `SELECT id FROM cluster_criteria WHERE region_code = $1 AND year = $2 ORDER BY version DESC LIMIT 1`, region, year).Scan(&id)
	if err != nil {
		return cluster.Criteria{}, notFound(err, "критерии оценки кластеров не утверждены")
	}
	return criteriaByID(ctx, s.read, id)
}

// CriteriaVersions returns every version of the region's set of a year, newest first.
func (s *Store) CriteriaVersions(ctx context.Context, region string, year int) ([]cluster.Criteria, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id FROM cluster_criteria WHERE region_code = $1 AND year = $2 ORDER BY version DESC`, region, year)
	if err != nil {
		return nil, fmt.Errorf("store: criteria versions: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	var out []cluster.Criteria
	for _, id := range ids {
		set, err := criteriaByID(ctx, s.read, id)
		if err != nil {
			return nil, err
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
	rows, err := db.QueryContext(ctx, `SELECT ckey, title, indicator, threshold, weight, max_score FROM cluster_criterion WHERE criteria_id = $1 ORDER BY position`, id)
	if err != nil {
		return set, fmt.Errorf("store: criteria: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c cluster.Criterion
		if err := rows.Scan(&c.Key, &c.Title, &c.Indicator, &c.Threshold, &c.Weight, &c.Max); err != nil {
			return set, err
		}
		set.Criteria = append(set.Criteria, c)
	}
	return set, rows.Err()
}

// OpenDefence stores a new defence; a region holds one defence a year.
func (s *Store) OpenDefence(ctx context.Context, d *cluster.Defence) error {
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
func (s *Store) Defence(ctx context.Context, region string, id int64) (cluster.Defence, error) {
	return defenceOf(ctx, s.read, region, id)
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
	rows, err := db.QueryContext(ctx, `SELECT u.id, u.name, u.login FROM cluster_expert ce JOIN app_user u ON u.id = ce.user_id
		WHERE ce.defence_id = $1 ORDER BY u.name, u.id`, id)
	if err != nil {
		return d, fmt.Errorf("store: commission: %w", err)
	}
	for rows.Next() {
		var e cluster.Expert
		if err := rows.Scan(&e.UserID, &e.Name, &e.Login); err != nil {
			rows.Close()
			return d, err
		}
		d.Experts = append(d.Experts, e)
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT cluster_id, user_id FROM cluster_assignment WHERE defence_id = $1 ORDER BY cluster_id, user_id`, id)
	if err != nil {
		return d, fmt.Errorf("store: assignments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var as cluster.Assignment
		if err := rows.Scan(&as.ClusterID, &as.UserID); err != nil {
			return d, err
		}
		d.Assignments = append(d.Assignments, as)
	}
	return d, rows.Err()
}

// Defences lists the region's defences, newest first.
func (s *Store) Defences(ctx context.Context, region string) ([]cluster.Defence, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id FROM cluster_defence WHERE region_code = $1 ORDER BY year DESC`, region)
	if err != nil {
		return nil, fmt.Errorf("store: defences: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	var out []cluster.Defence
	for _, id := range ids {
		d, err := defenceOf(ctx, s.read, region, id)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// Experts lists the region's active users of role expert.
func (s *Store) Experts(ctx context.Context, region string) ([]cluster.Expert, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name, login FROM app_user WHERE region_code = $1 AND role = 'expert' AND NOT disabled ORDER BY name, id`, region)
	if err != nil {
		return nil, fmt.Errorf("store: experts: %w", err)
	}
	defer rows.Close()
	var out []cluster.Expert
	for rows.Next() {
		var e cluster.Expert
		if err := rows.Scan(&e.UserID, &e.Name, &e.Login); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SetCommission replaces the commission and the assignments of an open
// defence; the members must be the region's experts and the clusters its own.
func (s *Store) SetCommission(ctx context.Context, region string, id int64, experts []int64, as []cluster.Assignment) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
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
			if err == sql.ErrNoRows {
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
	})
}

// SaveSheet replaces an expert's marks of a cluster after check has passed
// the sheet with the defence as this transaction reads it, so that a
// protocol signed a moment before is seen.
func (s *Store) SaveSheet(ctx context.Context, region string, defenceID int64, sh cluster.Sheet, check func(cluster.Defence) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
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
	})
}

// Marks lists every mark of a defence.
func (s *Store) Marks(ctx context.Context, defenceID int64) ([]cluster.Mark, error) {
	return marksOf(ctx, s.read, defenceID)
}

func marksOf(ctx context.Context, db querier, defenceID int64) ([]cluster.Mark, error) {
	rows, err := db.QueryContext(ctx, `SELECT cluster_id, user_id, criterion, score, comment, updated_at FROM cluster_mark WHERE defence_id = $1
		ORDER BY cluster_id, user_id, criterion`, defenceID)
	if err != nil {
		return nil, fmt.Errorf("store: marks: %w", err)
	}
	defer rows.Close()
	var out []cluster.Mark
	for rows.Next() {
		var m cluster.Mark
		if err := rows.Scan(&m.ClusterID, &m.UserID, &m.Criterion, &m.Score, &m.Comment, timeScan{&m.UpdatedAt}); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// SignDefence signs an open defence after check has passed it with the
// marks this transaction reads.
func (s *Store) SignDefence(ctx context.Context, region string, id int64, chair string, by int64, at time.Time, check func(cluster.Defence, []cluster.Mark) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
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
	})
}

// Clusters writes, for the demo, clusters with their parts and the values
// entered for them; the clusters get their ids here.
func (l *Loader) Clusters(cs []cluster.Cluster, values []cluster.EnteredValue) error {
	ids := map[int64]int64{} // the demo's numbering → the stored id
	for i := range cs {
		c := &cs[i]
		demoID := c.ID
		if err := l.tx.QueryRowContext(l.ctx, `INSERT INTO cluster (region_code, name, industry, kind, year, base_org_id, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, c.RegionCode, c.Name, c.Industry, c.Kind, c.Year, c.BaseOrgID, l.now).Scan(&c.ID); err != nil {
			return fmt.Errorf("store: load cluster %s: %w", c.Name, err)
		}
		ids[demoID] = c.ID
		if err := writeClusterParts(l.ctx, l.tx, c); err != nil {
			return fmt.Errorf("store: load cluster %s: %w", c.Name, err)
		}
	}
	for _, v := range values {
		if _, err := l.tx.ExecContext(l.ctx, `INSERT INTO cluster_value (cluster_id, year, indicator, value, entered_at) VALUES ($1, $2, $3, $4, $5)`,
			ids[v.ClusterID], v.Year, v.Indicator, v.Value, tsArg(v.At)); err != nil {
			return fmt.Errorf("store: load cluster value: %w", err)
		}
	}
	return nil
}
