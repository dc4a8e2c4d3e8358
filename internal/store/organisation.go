package store

import (
	"context"
	"database/sql"
	"fmt"

	"marshrut/internal/apperr"
	"marshrut/internal/org"
)

const orgCols = `o.id, o.region_code, o.kind, o.name, o.short_name, o.inn, o.ogrn, o.municipality_id, m.name,
	o.address, o.lat, o.lon, o.okved`

func scanOrg(sc interface{ Scan(...any) error }, o *org.Organisation) error {
	return sc.Scan(&o.ID, &o.RegionCode, &o.Kind, &o.Name, &o.ShortName, &o.INN, &o.OGRN, &o.MunicipalityID, &o.Municipality,
		&o.Address, &o.Lat, &o.Lon, &o.OKVED)
}

// CreateOrganisation stores a new organisation and sets its ID.
func (s *Orgs) CreateOrganisation(ctx context.Context, o *org.Organisation) error {
	return wrap("create organisation", s.tx(ctx, func(tx *sql.Tx) error {
		if err := checkMunicipality(ctx, tx, o.RegionCode, o.MunicipalityID); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO organisation
			(region_code, kind, name, short_name, inn, ogrn, municipality_id, address, lat, lon, okved, search_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			o.RegionCode, o.Kind, o.Name, o.ShortName, o.INN, o.OGRN, o.MunicipalityID, o.Address, o.Lat, o.Lon, o.OKVED,
			searchKey(o.Name), tsArg(s.now())).Scan(&o.ID)
	}))
}

// UpdateOrganisation stores changes to an organisation of the same region.
func (s *Orgs) UpdateOrganisation(ctx context.Context, o *org.Organisation) error {
	return wrap("update organisation", s.tx(ctx, func(tx *sql.Tx) error {
		if err := checkMunicipality(ctx, tx, o.RegionCode, o.MunicipalityID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE organisation SET kind = $1, name = $2, short_name = $3, inn = $4, ogrn = $5,
			municipality_id = $6, address = $7, lat = $8, lon = $9, okved = $10, search_name = $11
			WHERE id = $12 AND region_code = $13`,
			o.Kind, o.Name, o.ShortName, o.INN, o.OGRN, o.MunicipalityID, o.Address, o.Lat, o.Lon, o.OKVED, searchKey(o.Name), o.ID, o.RegionCode)
		if err != nil {
			return fmt.Errorf("store: update organisation: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "организация не найдена")
		}
		return nil
	}))
}

func checkMunicipality(ctx context.Context, tx *sql.Tx, region string, id int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM municipality WHERE id = $1 AND region_code = $2`, id, region).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return apperr.Field("municipality_id", "муниципальное образование %d не найдено в регионе %s", id, region)
	}
	return nil
}

// Organisation returns one organisation.
func (s *Orgs) Organisation(ctx context.Context, id int64) (org.Organisation, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
	var o org.Organisation
	err := scanOrg(q.QueryRowContext(ctx, `SELECT `+orgCols+`
		FROM organisation o JOIN municipality m ON m.id = o.municipality_id WHERE o.id = $1`, id), &o)
	if err != nil {
		return o, wrap("organisation", notFound(err, "организация не найдена"))
	}
	if o.Kind.Educates() {
		err = q.QueryRowContext(ctx, `SELECT `+orgLearners+` FROM organisation o WHERE o.id = $1`, id).Scan(&o.Learners)
	}
	return o, wrap("organisation", err)
}

// orgLearners counts the learners of organisation o from the tally, which
// keeps them by organisation with every write (a learner is always of its
// organisation's region): a college of thousands is a few rows, not
// thousands.
const orgLearners = `(SELECT COALESCE(sum(t.n), 0) FROM learner_tally t WHERE t.region_code = o.region_code AND t.org_id = o.id)`

var orgSort = map[string]string{
	"name":         "o.search_name",
	"kind":         "o.kind, o.search_name",
	"municipality": "m.name, o.search_name",
}

// Organisations returns a page of organisations matching f and their total count.
func (s *Orgs) Organisations(ctx context.Context, f org.Filter) ([]org.Organisation, int, error) {
	var a args
	where := "1 = 1"
	if f.Kind != "" {
		where += " AND o.kind = " + a.add(f.Kind)
	}
	if f.MunicipalityID != 0 {
		where += " AND o.municipality_id = " + a.add(f.MunicipalityID)
	}
	if q := searchKey(f.Query); q != "" {
		// An INN or OGRN is matched exactly; anything else by a word in the name.
		where += " AND (o.inn = " + a.add(q) + " OR o.ogrn = " + a.add(q) + " OR o.search_name LIKE " + a.add("%"+q+"%") + ")"
	}
	rd := s.reader(ctx) // a list page or an export: a replica may serve it
	var total int
	if err := rd.QueryRowContext(ctx, `SELECT count(*) FROM organisation o WHERE `+where, a...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count organisations: %w", err)
	}
	order, ok := orgSort[f.Sort]
	if !ok {
		order = orgSort["name"]
	}
	if f.Desc {
		order += " DESC"
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	q := `SELECT ` + orgCols + `, ` + orgLearners + `
		FROM organisation o JOIN municipality m ON m.id = o.municipality_id
		WHERE ` + where + ` ORDER BY ` + order + `, o.id LIMIT ` + a.add(limit) + ` OFFSET ` + a.add(max(f.Offset, 0))
	out, err := list(ctx, rd, "list organisations", q, a, func(rows *sql.Rows) (org.Organisation, error) {
		var o org.Organisation
		if err := rows.Scan(&o.ID, &o.RegionCode, &o.Kind, &o.Name, &o.ShortName, &o.INN, &o.OGRN, &o.MunicipalityID, &o.Municipality,
			&o.Address, &o.Lat, &o.Lon, &o.OKVED, &o.Learners); err != nil {
			return o, err
		}
		return o, nil
	})
	return out, total, wrap("organisations", err)
}
