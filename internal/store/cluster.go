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
	"marshrut/internal/history"
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
			return region + ` AND 1 = 0` // the region's argument is used: PostgreSQL refuses one left over
		}
		org := a.add(sc.OrgID)
		return region + ` AND (c.base_org_id = ` + org + ` OR EXISTS (SELECT 1 FROM cluster_org co WHERE co.cluster_id = c.id AND co.org_id = ` + org + `))`
	case auth.Expert:
		return region + ` AND EXISTS (SELECT 1 FROM cluster_assignment ca WHERE ca.cluster_id = c.id AND ca.user_id = ` + a.add(sc.UserID) + `)`
	}
	return region + ` AND 1 = 0`
}

// SaveCluster creates a cluster (ID 0) or rewrites one of its region with
// its colleges, employers, programmes, money and equipment, in one
// transaction. The base and member organisations must be colleges of the
// region, the anchor ones its employers.
func (s *Clusters) SaveCluster(ctx context.Context, c *cluster.Cluster) error {
	return wrap("save cluster", s.tx(ctx, func(tx *sql.Tx) error {
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
			before, err := clusterByID(ctx, tx, c.RegionCode, c.ID)
			if err != nil {
				return err
			}
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
			if err := writeClusterParts(ctx, tx, c); err != nil {
				return err
			}
			after, err := clusterByID(ctx, tx, c.RegionCode, c.ID)
			if err != nil {
				return err
			}
			return s.recordEdit(ctx, tx, c.RegionCode, history.Cluster, c.ID, cluster.Changes(before, after))
		}
		return writeClusterParts(ctx, tx, c)
	}))
}

// clusterByID reads a cluster of the region with its parts through db.
func clusterByID(ctx context.Context, db querier, region string, id int64) (cluster.Cluster, error) {
	var a args
	list, err := clustersWhere(ctx, db, `c.id = `+a.add(id)+` AND c.region_code = `+a.add(region), a)
	if err != nil {
		return cluster.Cluster{}, err
	}
	if len(list) == 0 {
		return cluster.Cluster{}, apperr.New(apperr.NotFound, "кластер не найден")
	}
	return list[0], nil
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
func (s *Clusters) Cluster(ctx context.Context, sc auth.Scope, id int64) (cluster.Cluster, error) {
	var a args
	list, err := clustersWhere(ctx, s.read, `c.id = `+a.add(id)+` AND `+clusterScope(sc, &a), a)
	if err != nil {
		return cluster.Cluster{}, wrap("cluster", err)
	}
	if len(list) == 0 {
		return cluster.Cluster{}, apperr.New(apperr.NotFound, "кластер не найден")
	}
	return list[0], nil
}

// Clusters lists the clusters the caller sees, by name, with all their parts.
func (s *Clusters) Clusters(ctx context.Context, sc auth.Scope, f cluster.Filter) ([]cluster.Cluster, error) {
	var a args
	where := clusterScope(sc, &a)
	if f.Industry != "" {
		where += ` AND c.industry = ` + a.add(f.Industry)
	}
	if f.Year != 0 {
		where += ` AND c.year = ` + a.add(f.Year)
	}
	out, err := clustersWhere(ctx, s.read, where, a)
	return out, wrap("clusters", err)
}

func clustersWhere(ctx context.Context, db querier, where string, a args) ([]cluster.Cluster, error) {
	out, err := list(ctx, db, "clusters", `SELECT `+clusterCols+clusterFrom+` WHERE `+where+` ORDER BY c.name, c.id`, a, func(rows *sql.Rows) (cluster.Cluster, error) {
		var c cluster.Cluster
		err := rows.Scan(&c.ID, &c.RegionCode, &c.Name, &c.Industry, &c.Kind, &c.Year, &c.BaseOrgID, &c.BaseOrg,
			timeScan{&c.CreatedAt}, timeScan{&c.UpdatedAt})
		return c, err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	index := make(map[int64]int, len(out))
	for i, c := range out {
		index[c.ID] = i
	}
	return out, clusterParts(ctx, db, out, index)
}

// clusterParts reads the parts of the clusters, four queries for all of them.
func clusterParts(ctx context.Context, db querier, cs []cluster.Cluster, index map[int64]int) error {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	if err := clusterOrgs(ctx, db, cs, index, ids); err != nil {
		return err
	}
	var a args
	if err := eachRowOp(ctx, db, "cluster specialties", `SELECT cs.cluster_id, cs.specialty_code, sp.name FROM cluster_specialty cs JOIN specialty sp ON sp.code = cs.specialty_code
		WHERE cs.cluster_id IN (`+a.in(ids)+`) ORDER BY cs.specialty_code`, a, func(rows *sql.Rows) error {
		var id int64
		var sp cluster.Specialty
		if err := rows.Scan(&id, &sp.Code, &sp.Name); err != nil {
			return err
		}
		cs[index[id]].Specialties = append(cs[index[id]].Specialties, sp)
		return nil
	}); err != nil {
		return err
	}
	a = nil
	if err := eachRowOp(ctx, db, "cluster funding", `SELECT cluster_id, year, federal, regional, employers FROM cluster_funding WHERE cluster_id IN (`+a.in(ids)+`) ORDER BY year`, a, func(rows *sql.Rows) error {
		var id int64
		var f cluster.Funding
		if err := rows.Scan(&id, &f.Year, &f.Federal, &f.Regional, &f.Employers); err != nil {
			return err
		}
		cs[index[id]].Funding = append(cs[index[id]].Funding, f)
		return nil
	}); err != nil {
		return err
	}
	a = nil
	return eachRowOp(ctx, db, "cluster equipment", `SELECT cluster_id, name, quantity, cost, year FROM cluster_equipment WHERE cluster_id IN (`+a.in(ids)+`) ORDER BY year, id`, a, func(rows *sql.Rows) error {
		var id int64
		var e cluster.Equipment
		if err := rows.Scan(&id, &e.Name, &e.Quantity, &e.Cost, &e.Year); err != nil {
			return err
		}
		cs[index[id]].Equipment = append(cs[index[id]].Equipment, e)
		return nil
	})
}

func clusterOrgs(ctx context.Context, db querier, cs []cluster.Cluster, index map[int64]int, ids []int64) error {
	var a args
	return eachRowOp(ctx, db, "cluster organisations", `SELECT co.cluster_id, co.org_id, COALESCE(NULLIF(o.short_name, ''), o.name), co.role
		FROM cluster_org co JOIN organisation o ON o.id = co.org_id WHERE co.cluster_id IN (`+a.in(ids)+`) ORDER BY o.name`, a, func(rows *sql.Rows) error {
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
		return nil
	})
}

// Counts counts what the key figures of a cluster in a year are made
// of. Students are those with a study stage at the cluster's colleges in its
// programmes on 1 October of the year, counted by person (distinct learners,
// however many stages they have); graduates are the year's graduates of the
// colleges in the programmes.
func (s *Clusters) Counts(ctx context.Context, c cluster.Cluster, year int) (cluster.Counts, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
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
	err := q.QueryRowContext(ctx, `SELECT count(DISTINCT st.learner_id), count(DISTINCT ta.learner_id)
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
	err = q.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(CASE WHEN l.outcome_6m IN `+positive+` THEN 1 ELSE 0 END), 0),
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
func (s *Clusters) EnteredValues(ctx context.Context, clusterID int64, year int) (map[cluster.Indicator]float64, error) {
	out := map[cluster.Indicator]float64{}
	if err := eachRowOp(ctx, s.read, "cluster values", `SELECT indicator, value FROM cluster_value WHERE cluster_id = $1 AND year = $2`, args{clusterID, year}, func(rows *sql.Rows) error {
		var k cluster.Indicator
		var v float64
		if err := rows.Scan(&k, &v); err != nil {
			return err
		}
		out[k] = v
		return nil
	}); err != nil {
		return nil, wrap("entered values", err)
	}
	return out, nil
}

// SaveValue writes an entered value, replacing the one before.
func (s *Clusters) SaveValue(ctx context.Context, v cluster.EnteredValue) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO cluster_value (cluster_id, year, indicator, value, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (cluster_id, year, indicator) DO UPDATE SET value = excluded.value, entered_by = excluded.entered_by, entered_at = excluded.entered_at`,
		v.ClusterID, v.Year, v.Indicator, v.Value, nullID(v.By), tsArg(v.At))
	if err != nil {
		return fmt.Errorf("store: save cluster value: %w", err)
	}
	return nil
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
