package store

import (
	"context"
	"database/sql"
	"fmt"

	"marshrut/internal/apperr"
	"marshrut/internal/classifier"
)

// SeedClassifiers writes the built-in classifier tables, adding what is missing
// and refreshing names; it runs on every start and costs little when nothing changed.
func (s *Store) SeedClassifiers(ctx context.Context, b *classifier.Builtin) error {
	var have int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM specialty`).Scan(&have); err != nil {
		return fmt.Errorf("store: count specialties: %w", err)
	}
	var regions int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM region`).Scan(&regions); err != nil {
		return fmt.Errorf("store: count regions: %w", err)
	}
	if have == len(b.Specialties) && regions == len(b.Regions) {
		return nil
	}
	return wrap("seed classifiers", s.tx(ctx, func(tx *sql.Tx) error {
		for _, r := range b.Regions {
			if _, err := tx.ExecContext(ctx, `INSERT INTO region (code, kladr_code, name, federal) VALUES ($1, $2, $3, $4)
				ON CONFLICT (code) DO UPDATE SET kladr_code = excluded.kladr_code, name = excluded.name, federal = excluded.federal`,
				r.Code, r.KladrCode, r.Name, r.Federal); err != nil {
				return fmt.Errorf("store: seed region %s: %w", r.Code, err)
			}
		}
		for _, sp := range b.Specialties {
			if _, err := tx.ExecContext(ctx, `INSERT INTO specialty (code, name, level, group_code, group_name) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, group_code = excluded.group_code, group_name = excluded.group_name`,
				sp.Code, sp.Name, sp.Level, sp.GroupCode, sp.GroupName); err != nil {
				return fmt.Errorf("store: seed specialty %s: %w", sp.Code, err)
			}
		}
		for _, a := range b.Activities {
			if _, err := tx.ExecContext(ctx, `INSERT INTO activity (section, code, level, name) VALUES ($1, $2, $3, $4)
				ON CONFLICT (section, code) DO UPDATE SET level = excluded.level, name = excluded.name`,
				a.Section, a.Code, a.Level, a.Name); err != nil {
				return fmt.Errorf("store: seed activity %s: %w", a.Code, err)
			}
		}
		return nil
	}))
}

// Region returns a federal subject by its two-digit code.
func (s *Classifier) Region(ctx context.Context, code string) (classifier.Region, error) {
	var r classifier.Region
	err := s.read.QueryRowContext(ctx, `SELECT code, kladr_code, name, federal FROM region WHERE code = $1`, code).
		Scan(&r.Code, &r.KladrCode, &r.Name, &r.Federal)
	return r, wrap("region", notFound(err, fmt.Sprintf("регион с кодом «%s» не найден в справочнике", code)))
}

// Regions returns every federal subject.
func (s *Classifier) Regions(ctx context.Context) ([]classifier.Region, error) {
	return list(ctx, s.read, "regions", `SELECT code, kladr_code, name, federal FROM region ORDER BY code`, nil, func(rows *sql.Rows) (classifier.Region, error) {
		var r classifier.Region
		if err := rows.Scan(&r.Code, &r.KladrCode, &r.Name, &r.Federal); err != nil {
			return r, err
		}
		return r, nil
	})
}

// CreateMunicipality adds a municipality to a region.
func (s *Store) CreateMunicipality(ctx context.Context, m *classifier.Municipality) error {
	if m.Name == "" {
		return apperr.Field("name", "укажите название муниципального образования")
	}
	return wrap("create municipality", s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO municipality (region_code, name, kind, lat, lon) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			m.RegionCode, m.Name, m.Kind, m.Lat, m.Lon).Scan(&m.ID)
		if isUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "муниципальное образование «%s» уже есть в регионе", m.Name)
		}
		return err
	}))
}

// Municipalities returns the municipalities of a region by name.
func (s *Classifier) Municipalities(ctx context.Context, regionCode string) ([]classifier.Municipality, error) {
	return list(ctx, s.read, "municipalities", `SELECT id, region_code, name, kind, lat, lon FROM municipality WHERE region_code = $1 ORDER BY name`, args{regionCode}, func(rows *sql.Rows) (classifier.Municipality, error) {
		var m classifier.Municipality
		if err := rows.Scan(&m.ID, &m.RegionCode, &m.Name, &m.Kind, &m.Lat, &m.Lon); err != nil {
			return m, err
		}
		return m, nil
	})
}

const specialtyCols = `code, name, level, group_code, group_name`

func scanSpecialty(sc interface{ Scan(...any) error }, sp *classifier.Specialty) error {
	return sc.Scan(&sp.Code, &sp.Name, &sp.Level, &sp.GroupCode, &sp.GroupName)
}

// Specialty returns one ОКСО specialty.
func (s *Classifier) Specialty(ctx context.Context, code string) (classifier.Specialty, error) {
	var sp classifier.Specialty
	err := scanSpecialty(s.read.QueryRowContext(ctx, `SELECT `+specialtyCols+` FROM specialty WHERE code = $1`, code), &sp)
	return sp, wrap("specialty", notFound(err, fmt.Sprintf("специальность с кодом «%s» не найдена в справочнике ОКСО", code)))
}

// Specialties returns the specialties of a level, or all when level is empty.
func (s *Classifier) Specialties(ctx context.Context, level string) ([]classifier.Specialty, error) {
	return list(ctx, s.read, "specialties", `SELECT `+specialtyCols+` FROM specialty WHERE $1 = '' OR level = $1 ORDER BY code`, args{level}, scanner(scanSpecialty))
}
