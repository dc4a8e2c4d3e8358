package store

import (
	"database/sql"
	"fmt"
	"slices"

	"marshrut/internal/apperr"
	"marshrut/internal/learner"
	"marshrut/internal/org"
)

// The methods below serve the imports of organisations and of employment
// outcomes (package imports): they read and write inside the Loader's one
// transaction, so that an import sees what it has written so far and a dry
// run rolls everything back.

// RegionOrganisations returns every organisation of the region, of any kind,
// in id order.
func (l *Loader) RegionOrganisations(region string) ([]org.Organisation, error) {
	return list(l.ctx, l.tx, "organisations of region "+region, `SELECT `+orgCols+`
		FROM organisation o JOIN municipality m ON m.id = o.municipality_id
		WHERE o.region_code = $1 ORDER BY o.id`, args{region}, func(rows *sql.Rows) (o org.Organisation, err error) {
		err = scanOrg(rows, &o)
		return o, err
	})
}

// UpdateOrganisations rewrites organisations of their region by id.
func (l *Loader) UpdateOrganisations(os []org.Organisation) error {
	if len(os) == 0 {
		return nil
	}
	stmt, err := l.tx.PrepareContext(l.ctx, `UPDATE organisation SET kind = $1, name = $2, short_name = $3, inn = $4, ogrn = $5,
		municipality_id = $6, address = $7, lat = $8, lon = $9, okved = $10, search_name = $11
		WHERE id = $12 AND region_code = $13`)
	if err != nil {
		return wrap("update organisations", err)
	}
	defer stmt.Close()
	for i := range os {
		o := &os[i]
		res, err := stmt.ExecContext(l.ctx, o.Kind, o.Name, o.ShortName, o.INN, o.OGRN, o.MunicipalityID, o.Address, o.Lat, o.Lon, o.OKVED,
			searchKey(o.Name), o.ID, o.RegionCode)
		if err != nil {
			return fmt.Errorf("store: update organisation %d: %w", o.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "организация %d не найдена в регионе %s", o.ID, o.RegionCode)
		}
	}
	return nil
}

// LearnerOutcomes returns the stored employment histories of the learners, by
// learner id, each in date order as Store.Outcomes gives it (the employer's
// name is the registry's when the outcome points to an employer).
func (l *Loader) LearnerOutcomes(learnerIDs []int64) (map[int64][]learner.Outcome, error) {
	out := map[int64][]learner.Outcome{}
	for start := 0; start < len(learnerIDs); start += 500 {
		var a args
		in := a.in(learnerIDs[start:min(len(learnerIDs), start+500)])
		if err := eachRowOp(l.ctx, l.tx, "outcomes of learners", `SELECT oc.id, oc.learner_id, oc.status, COALESCE(oc.employer_id, 0),
			COALESCE(o.name, oc.employer_name), oc.started_on, oc.ended_on, oc.source, oc.note, oc.employer_inn
			FROM outcome oc LEFT JOIN organisation o ON o.id = oc.employer_id
			WHERE oc.learner_id IN (`+in+`) ORDER BY oc.learner_id, oc.started_on, oc.id`, a, func(rows *sql.Rows) error {
			var o learner.Outcome
			if err := rows.Scan(&o.ID, &o.LearnerID, &o.Status, &o.EmployerID, &o.EmployerName,
				timeScan{&o.Start}, timeScan{&o.End}, &o.Source, &o.Note, &o.EmployerINN); err != nil {
				return err
			}
			out[o.LearnerID] = append(out[o.LearnerID], o)
			return nil
		}); err != nil {
			return nil, wrap("learner outcomes", err)
		}
	}
	return out, nil
}

// SaveOutcomes writes employment outcomes of the region's learners: add are
// inserted (an id of zero is taken from NextID, and set in the slice), change
// are rewritten by id (status, employer, dates, source and note). Then the
// current status and the statuses six and twelve months after graduation of
// every learner touched are recomputed from the whole history, exactly as
// Store.AddOutcome does. An employer id must name an employer of the region.
func (l *Loader) SaveOutcomes(region string, add, change []learner.Outcome) error {
	if len(add) == 0 && len(change) == 0 {
		return nil
	}
	if err := l.checkEmployers(region, add, change); err != nil {
		return wrap("save outcomes", err)
	}
	next := int64(0)
	for i := range add {
		if add[i].ID != 0 {
			continue
		}
		if next == 0 {
			id, err := l.NextID("outcome")
			if err != nil {
				return wrap("save outcomes", err)
			}
			next = id
			// Ids already set in add may lie past max(id) of the table.
			for _, o := range add {
				next = max(next, o.ID+1)
			}
		}
		add[i].ID = next
		next++
	}
	if err := l.Outcomes(region, add); err != nil {
		return wrap("save outcomes", err)
	}
	if len(change) > 0 {
		stmt, err := l.tx.PrepareContext(l.ctx, `UPDATE outcome SET status = $1, employer_id = $2, employer_name = $3, started_on = $4,
			ended_on = $5, source = $6, note = $7, employer_inn = $10 WHERE id = $8 AND region_code = $9`)
		if err != nil {
			return wrap("save outcomes", err)
		}
		defer stmt.Close()
		for i := range change {
			o := &change[i]
			res, err := stmt.ExecContext(l.ctx, o.Status, nullID(o.EmployerID), o.EmployerName, dateArg(o.Start), dateArg(o.End),
				o.Source, o.Note, o.ID, region, o.EmployerINN)
			if err != nil {
				return fmt.Errorf("store: update outcome %d: %w", o.ID, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return apperr.New(apperr.NotFound, "сведения о занятости %d не найдены в регионе %s", o.ID, region)
			}
		}
	}
	touched := make([]int64, 0, len(add)+len(change))
	for _, o := range add {
		touched = append(touched, o.LearnerID)
	}
	for _, o := range change {
		touched = append(touched, o.LearnerID)
	}
	slices.Sort(touched)
	for _, id := range slices.Compact(touched) {
		if err := l.s.updateMilestones(l.ctx, l.tx, id); err != nil {
			return fmt.Errorf("store: milestones of learner %d: %w", id, err)
		}
	}
	return nil
}

// checkEmployers makes sure every employer id of the outcomes is an employer
// of the region, as Store.AddOutcome does for one.
func (l *Loader) checkEmployers(region string, lists ...[]learner.Outcome) error {
	want := map[int64]bool{}
	for _, list := range lists {
		for _, o := range list {
			if o.EmployerID != 0 {
				want[o.EmployerID] = false
			}
		}
	}
	if len(want) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for start := 0; start < len(ids); start += 500 {
		var a args
		in := a.in(ids[start:min(len(ids), start+500)])
		if err := eachRowOp(l.ctx, l.tx, "check employers", `SELECT id FROM organisation WHERE id IN (`+in+`) AND region_code = `+a.add(region)+
			` AND kind = `+a.add(org.Employer), a, func(rows *sql.Rows) error {
			id, err := scanID(rows)
			want[id] = err == nil
			return err
		}); err != nil {
			return err
		}
	}
	for _, id := range ids {
		if !want[id] {
			return apperr.Field("employer_id", "работодатель %d не найден в реестре региона", id)
		}
	}
	return nil
}
