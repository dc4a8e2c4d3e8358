package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// The counts kept as people change (migrations 00052–00054):
// learner_grade_tally, guidance_tally, mentor_tally, targeted_tally,
// contract_tally and pair_tally. A figure of a region is a sum of their
// cells; each write that changes a person changes them in its own
// transaction: the triggers on learner for the learner's own fields, the
// store where guidance reach, mentorship pairs, offers and applications are
// written. Each change
// takes a person's part out of the counts before the write and puts it back
// after, so that the counts are always the sums of the persons' parts, and a
// full recount (RecountTallies) can check them and repair a drift.

// monthOf is the SQL of the month (YYYYMM, an integer) of a date column.
func (s *db) monthOf(col string) string {
	if s.engine == Postgres {
		return `(extract(year FROM ` + col + `) * 100 + extract(month FROM ` + col + `))::integer`
	}
	return `CAST(strftime('%Y%m', ` + col + `) AS INTEGER)`
}

// reachParts is the SQL of the parts in guidance_tally of the pupils whose
// reach rows r meet cond: a row of the month of the first event (reached,
// hours, ticket) and one of the month of the first informing.
func (s *db) reachParts(cond string) string {
	pupil := ` AND l.status = 'pupil' AND l.grade BETWEEN 6 AND 11`
	return `SELECT region_code, school_year, org_id, municipality_id, grade, month,
		sum(reached) AS reached, sum(informed) AS informed, sum(h40) AS h40, sum(h60) AS h60, sum(h80) AS h80, sum(ticket) AS ticket
		FROM (SELECT l.region_code, r.school_year, l.org_id, l.municipality_id, l.grade, ` + s.monthOf("r.first_on") + ` AS month,
				1 AS reached, 0 AS informed, CASE WHEN r.hours >= 40 THEN 1 ELSE 0 END AS h40, CASE WHEN r.hours >= 60 THEN 1 ELSE 0 END AS h60,
				CASE WHEN r.hours >= 80 THEN 1 ELSE 0 END AS h80, CASE WHEN r.ticket > 0 THEN 1 ELSE 0 END AS ticket
			FROM guidance_reach r JOIN learner l ON l.id = r.learner_id WHERE r.first_on IS NOT NULL AND ` + cond + pupil + `
			UNION ALL
			SELECT l.region_code, r.school_year, l.org_id, l.municipality_id, l.grade, ` + s.monthOf("r.informed_on") + `, 0, 1, 0, 0, 0, 0
			FROM guidance_reach r JOIN learner l ON l.id = r.learner_id WHERE r.informed_on IS NOT NULL AND ` + cond + pupil + `) c
		GROUP BY region_code, school_year, org_id, municipality_id, grade, month`
}

// mentorParts is the SQL of the parts in mentor_tally of the learners l that
// meet cond: the full-time students with an active pair, and of them those
// whose active mentor is of an enterprise.
const mentorParts = `SELECT l.region_code, l.org_id, l.municipality_id, count(*) AS mentored,
	sum(CASE WHEN EXISTS (SELECT 1 FROM mentor_pair x JOIN mentor m ON m.id = x.mentor_id
		WHERE x.learner_id = l.id AND x.status = 'active' AND m.employer_id IS NOT NULL) THEN 1 ELSE 0 END) AS at_enterprise
	FROM learner l WHERE l.status = 'student' AND l.study_form = 'full_time'
	AND EXISTS (SELECT 1 FROM mentor_pair x WHERE x.learner_id = l.id AND x.status = 'active') AND `

// gradeParts is the SQL of learner_grade_tally counted afresh.
const gradeParts = `SELECT region_code, status, org_id, municipality_id, grade, study_form, count(*) AS n FROM learner
	GROUP BY region_code, status, org_id, municipality_id, grade, study_form`

// tally describes one kept table: its key columns and its counts.
type tally struct {
	table  string
	keys   []string
	counts []string
}

var (
	gradeTally    = tally{"learner_grade_tally", []string{"region_code", "status", "org_id", "municipality_id", "grade", "study_form"}, []string{"n"}}
	guidanceTally = tally{"guidance_tally", []string{"region_code", "school_year", "org_id", "municipality_id", "grade", "month"},
		[]string{"reached", "informed", "h40", "h60", "h80", "ticket"}}
	mentorTally   = tally{"mentor_tally", []string{"region_code", "org_id", "municipality_id"}, []string{"mentored", "at_enterprise"}}
	pairTally     = tally{"pair_tally", []string{"region_code", "org_id", "form", "status"}, []string{"pairs", "meetings"}}
	contractTally = tally{"contract_tally", []string{"region_code", "status", "graduation_year"}, []string{"n"}}
	targetedTally = tally{"targeted_tally", []string{"region_code", "dimension", "key"},
		[]string{"offers", "places", "applications", "contracts", "fulfilled", "broken"}}
)

// offerParts is the SQL of the parts in targeted_tally of the offers t that
// meet cond: a published or closed offer with its places and the
// applications of its region for it, signed, fulfilled and broken, under
// its employer, its specialty and its year.
func offerParts(cond string) string {
	apps := `(SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code`
	offers := `SELECT t.region_code, t.employer_id, t.specialty_code, t.year, t.places, ` + apps + `) AS applications,
		` + apps + ` AND a.status IN ` + signedStatuses + `) AS contracts,
		` + apps + ` AND a.status = 'fulfilled') AS fulfilled, ` + apps + ` AND a.status = 'broken') AS broken
		FROM targeted_offer t WHERE t.status IN ('published', 'closed') AND ` + cond
	return `SELECT region_code, dimension, key, count(*) AS offers, sum(places) AS places, sum(applications) AS applications,
		sum(contracts) AS contracts, sum(fulfilled) AS fulfilled, sum(broken) AS broken
		FROM (SELECT o.*, 'employer' AS dimension, CAST(o.employer_id AS TEXT) AS key FROM (` + offers + `) o
			UNION ALL SELECT o.*, 'specialty', o.specialty_code FROM (` + offers + `) o
			UNION ALL SELECT o.*, 'year', CAST(o.year AS TEXT) FROM (` + offers + `) o) d
		GROUP BY region_code, dimension, key`
}

// pairParts is the SQL of the parts in pair_tally of the pairs x that meet
// cond: each pair with its meetings, under its programme's organisation, its
// form and its status.
func pairParts(cond string) string {
	return `SELECT region_code, org_id, form, status, count(*) AS pairs, sum(meetings) AS meetings
		FROM (SELECT x.region_code, p.org_id, p.form, x.status, (SELECT count(*) FROM mentor_meeting mt WHERE mt.pair_id = x.id) AS meetings
			FROM mentor_pair x JOIN mentor_programme p ON p.id = x.programme_id WHERE ` + cond + `) c
		GROUP BY region_code, org_id, form, status`
}

// keepPairs takes out of pair_tally (sign -1) or puts back (+1) the parts of
// the pairs x that meet cond.
func keepPairs(ctx context.Context, tx *sql.Tx, cond string, a args, sign int) error {
	return pairTally.addParts(ctx, tx, pairParts(cond), a, sign)
}

// contractParts is the SQL of the parts in contract_tally of the learners l
// that meet cond: those with a contract signed.
const contractParts = `SELECT l.region_code, l.status, l.graduation_year, count(*) AS n FROM learner l
	WHERE EXISTS (SELECT 1 FROM targeted_application a WHERE a.learner_id = l.id AND a.status IN ` + signedStatuses + `) AND `

// inChunks calls fn with the distinct ids other than zero, 500 at a time,
// as the placeholders of an IN list and their arguments.
func inChunks(ids []int64, fn func(in string, a args) error) error {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) > 0 && ids[0] == 0 { // no row: a mentee who is not a learner of the region
		ids = ids[1:]
	}
	for start := 0; start < len(ids); start += 500 {
		var a args
		if err := fn(a.in(ids[start:min(len(ids), start+500)]), a); err != nil {
			return err
		}
	}
	return nil
}

// keepContracted takes out of contract_tally (sign -1) or puts back (+1)
// the parts of the learners of ids.
func keepContracted(ctx context.Context, tx *sql.Tx, ids []int64, sign int) error {
	return inChunks(ids, func(in string, a args) error {
		return contractTally.addParts(ctx, tx, contractParts+`l.id IN (`+in+`) GROUP BY l.region_code, l.status, l.graduation_year`, a, sign)
	})
}

// keepOffers takes out of targeted_tally (sign -1) or puts back (+1) the
// parts of the offers of ids.
func keepOffers(ctx context.Context, tx *sql.Tx, ids []int64, sign int) error {
	return inChunks(ids, func(in string, a args) error {
		return targetedTally.addParts(ctx, tx, offerParts(`t.id IN (`+in+`)`), a, sign)
	})
}

// addParts adds the rows of parts (the tally's key and count columns, in
// order), times sign, to the tally.
func (t tally) addParts(ctx context.Context, tx *sql.Tx, parts string, a args, sign int) error {
	sums := make([]string, len(t.counts))
	for i, c := range t.counts {
		sums[i] = fmt.Sprintf("%d * p.%s", sign, c)
	}
	q := t.add(`SELECT p.` + strings.Join(t.keys, ", p.") + `, ` + strings.Join(sums, ", ") + ` FROM (` + parts + `) p WHERE true`)
	if _, err := tx.ExecContext(ctx, q, a...); err != nil {
		return fmt.Errorf("store: keep %s: %w", t.table, err)
	}
	return nil
}

// add is the statement that adds the rows of source (the tally's key and
// count columns, in order: a SELECT or VALUES) to the tally's cells.
func (t tally) add(source string) string {
	set := make([]string, len(t.counts))
	for i, c := range t.counts {
		set[i] = c + ` = ` + t.table + `.` + c + ` + excluded.` + c
	}
	return `INSERT INTO ` + t.table + ` (` + strings.Join(t.keys, ", ") + `, ` + strings.Join(t.counts, ", ") + `) ` + source +
		` ON CONFLICT (` + strings.Join(t.keys, ", ") + `) DO UPDATE SET ` + strings.Join(set, ", ")
}

// keepReach takes out of guidance_tally (sign -1) or puts back (+1) the
// parts of the pupils whose learner_id meets cond.
func (s *db) keepReach(ctx context.Context, tx *sql.Tx, cond string, a args, sign int) error {
	return guidanceTally.addParts(ctx, tx, s.reachParts(`r.`+cond), a, sign)
}

// keepMentored takes out of mentor_tally (sign -1) or puts back (+1) the
// parts of the learners l that meet cond.
func keepMentored(ctx context.Context, tx *sql.Tx, cond string, a args, sign int) error {
	return mentorTally.addParts(ctx, tx, mentorParts+cond+` GROUP BY l.region_code, l.org_id, l.municipality_id`, a, sign)
}

// Drift is what a full recount found of one kept table: the cells whose
// counts differed from the data and the sum of the differences, each count
// of each cell taken by its size.
type Drift struct {
	Table string
	Cells int
	Off   int64
}

// RecountTallies counts the kept tables afresh from the data, compares them
// with what was kept and repairs what differs, returning the drift of the
// tables that differed. The comparison is made in one snapshot of the
// database (the counts change with the data in the same transactions); the
// repair adds the differences, so writes made meanwhile, which kept the
// counts themselves, stay counted.
func (s *Store) RecountTallies(ctx context.Context) ([]Drift, error) {
	type cell struct {
		key    string
		keys   []any
		counts []int64
	}
	type diff struct {
		t     tally
		cells []cell
	}
	var diffs []diff
	// One snapshot: a read transaction of SQLite's WAL sees one, and
	// PostgreSQL's repeatable read does.
	rtx, err := s.read.BeginTx(ctx, s.snapshotOptions())
	if err != nil {
		return nil, fmt.Errorf("store: recount tallies: %w", err)
	}
	defer rtx.Rollback()
	if s.engine == Postgres {
		// The recount's plans look costly enough for PostgreSQL to compile
		// them, which takes longer than running them.
		if _, err := rtx.ExecContext(ctx, `SET LOCAL jit = off`); err != nil {
			return nil, fmt.Errorf("store: recount tallies: %w", err)
		}
	}
	read := func(t tally, q string, into map[string]cell) error {
		return eachRow(ctx, rtx, q, nil, func(rows *sql.Rows) error {
			keys := make([]any, len(t.keys))
			var text []string
			for i := range keys {
				var v any
				keys[i] = &v
			}
			counts := make([]int64, len(t.counts))
			dest := slices.Clone(keys)
			for i := range counts {
				dest = append(dest, &counts[i])
			}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			for i, k := range keys {
				v := *(k.(*any))
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				keys[i] = v
				text = append(text, fmt.Sprint(v))
			}
			key := strings.Join(text, "|")
			c := into[key]
			if c.counts == nil {
				c = cell{key: key, keys: keys, counts: make([]int64, len(counts))}
			}
			for i, n := range counts {
				c.counts[i] += n
			}
			into[key] = c
			return nil
		})
	}
	for _, t := range []struct {
		tally
		fresh string
	}{
		{gradeTally, gradeParts},
		{guidanceTally, s.reachParts("true")},
		{mentorTally, mentorParts + `true GROUP BY l.region_code, l.org_id, l.municipality_id`},
		{targetedTally, offerParts("true")},
		{contractTally, contractParts + `true GROUP BY l.region_code, l.status, l.graduation_year`},
		{pairTally, pairParts("true")},
	} {
		fresh, kept := map[string]cell{}, map[string]cell{}
		cols := strings.Join(t.keys, ", ") + ", " + strings.Join(t.counts, ", ")
		if err := read(t.tally, `SELECT `+cols+` FROM (`+t.fresh+`) f`, fresh); err != nil {
			return nil, fmt.Errorf("store: recount %s: %w", t.table, err)
		}
		if err := read(t.tally, `SELECT `+cols+` FROM `+t.table, kept); err != nil {
			return nil, fmt.Errorf("store: recount %s: %w", t.table, err)
		}
		d := diff{t: t.tally}
		for key, k := range kept {
			f := fresh[key]
			c := cell{key: key, keys: k.keys, counts: make([]int64, len(k.counts))}
			off := false
			for i := range c.counts {
				if f.counts != nil {
					c.counts[i] = f.counts[i]
				}
				c.counts[i] -= k.counts[i]
				off = off || c.counts[i] != 0
			}
			if off {
				d.cells = append(d.cells, c)
			}
		}
		for key, f := range fresh {
			if _, ok := kept[key]; !ok && slices.ContainsFunc(f.counts, func(n int64) bool { return n != 0 }) {
				d.cells = append(d.cells, f)
			}
		}
		if len(d.cells) > 0 {
			slices.SortFunc(d.cells, func(a, b cell) int { return strings.Compare(a.key, b.key) })
			diffs = append(diffs, d)
		}
	}
	rtx.Rollback()
	if len(diffs) == 0 {
		return nil, nil
	}
	var out []Drift
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for _, d := range diffs {
			dr := Drift{Table: d.t.table, Cells: len(d.cells)}
			for _, c := range d.cells {
				var a args
				ph := make([]string, 0, len(c.keys)+len(c.counts))
				for _, k := range c.keys {
					ph = append(ph, a.add(k))
				}
				for _, n := range c.counts {
					ph = append(ph, a.add(n))
					dr.Off += max(n, -n)
				}
				if _, err := tx.ExecContext(ctx, d.t.add(`VALUES (`+strings.Join(ph, ", ")+`)`), a...); err != nil {
					return fmt.Errorf("store: repair %s: %w", d.t.table, err)
				}
			}
			out = append(out, dr)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// keepMentoredIDs is keepMentored for the learners of ids.
func keepMentoredIDs(ctx context.Context, tx *sql.Tx, ids []int64, sign int) error {
	return inChunks(ids, func(in string, a args) error {
		return keepMentored(ctx, tx, `l.id IN (`+in+`)`, a, sign)
	})
}
