package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/balance"
)

// historyYears is how far back the vacancy history of the balance reaches.
const historyYears = 10

// monthOf is the text of a vacancy's month of publication, "2026-03", in
// UTC on both engines.
func (s *Balance) monthOf(col string) string {
	if s.engine == Postgres {
		return `to_char(` + col + ` AT TIME ZONE 'UTC', 'YYYY-MM')`
	}
	return `substr(` + col + `, 1, 7)`
}

// Input loads what the balance of a region is computed from, every
// part aggregated in the database: vacancies by month, group, level and
// municipality; students by organisation, specialty, course and year of
// graduation; graduates of recent years; contracts; capacities, needs and
// the age structure.
func (s *Balance) Input(ctx context.Context, region string, now time.Time) (balance.Input, error) {
	in := balance.Input{Specialties: map[string]balance.Specialty{}, Orgs: map[int64]string{}}
	steps := []func(context.Context, string, time.Time, *balance.Input) error{
		s.balanceSpecialties, s.balanceOrgs, s.balanceVacancies, s.balanceStudents, s.balanceContracts, s.balanceCapacity, s.balanceNeeds, s.balanceAges,
	}
	for _, step := range steps {
		if err := step(ctx, region, now, &in); err != nil {
			return in, fmt.Errorf("store: balance input: %w", err)
		}
	}
	share, _, err := s.MaxChange(ctx, region)
	if err != nil {
		return in, fmt.Errorf("store: balance input: %w", err)
	}
	in.MaxChange = share
	return in, nil
}

// MaxChange returns the region's limit on a proposal's change of
// places, ok false when it has not set one.
func (s *Balance) MaxChange(ctx context.Context, region string) (float64, bool, error) {
	var x float64
	err := s.read.QueryRowContext(ctx, `SELECT max_change FROM balance_setting WHERE region_code = $1`, region).Scan(&x)
	if noRows(err) {
		return 0, false, nil
	}
	return x, err == nil, wrap("max change", err)
}

// SetMaxChange stores the region's limit.
func (s *Balance) SetMaxChange(ctx context.Context, region string, share float64, at time.Time) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO balance_setting (region_code, max_change, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (region_code) DO UPDATE SET max_change = excluded.max_change, updated_at = excluded.updated_at`, region, share, tsArg(at))
	return wrap("set max change", err)
}

func (s *Balance) balanceSpecialties(ctx context.Context, _ string, _ time.Time, in *balance.Input) error {
	return eachRow(ctx, s.read, `SELECT code, name, level, group_code, group_name FROM specialty`, nil, func(r *sql.Rows) error {
		var sp balance.Specialty
		var level string
		if err := r.Scan(&sp.Code, &sp.Name, &level, &sp.Group, &sp.GroupName); err != nil {
			return err
		}
		sp.Level, sp.Years = balance.LevelOf(level), balance.StudyYears(level)
		in.Specialties[sp.Code] = sp
		return nil
	})
}

func (s *Balance) balanceOrgs(ctx context.Context, region string, _ time.Time, in *balance.Input) error {
	return eachRow(ctx, s.read, `SELECT id, COALESCE(NULLIF(short_name, ''), name) FROM organisation WHERE region_code = $1 AND kind IN ('college', 'university')`,
		args{region}, func(r *sql.Rows) error {
			var id int64
			var name string
			err := r.Scan(&id, &name)
			in.Orgs[id] = name
			return err
		})
}

// balanceVacancies counts the vacancies open to graduates — those that ask
// for professional education and no experience — by month of publication. A vacancy counts once, in the group of its
// strongest link (a link by title or occupation before one by sphere, then
// by score); its municipality is its employer's, found by ИНН.
func (s *Balance) balanceVacancies(ctx context.Context, region string, now time.Time, in *balance.Input) error {
	since := time.Date(now.Year()-historyYears, now.Month(), 1, 0, 0, 0, 0, time.UTC)
	q := `SELECT ` + s.monthOf("v.created_at") + `, k.group_code, CASE WHEN v.education = 'higher' THEN 'higher' ELSE 'spo' END,
		COALESCE(e.municipality_id, 0), count(*), sum(v.work_places)
	FROM vacancy v
	JOIN (SELECT vacancy_id, group_code, ROW_NUMBER() OVER (PARTITION BY vacancy_id ORDER BY CASE WHEN kind = 'sphere' THEN 1 ELSE 0 END, score DESC, code) AS rn
		FROM vacancy_link WHERE region_code = $1) k ON k.vacancy_id = v.id AND k.rn = 1
	LEFT JOIN (SELECT inn, min(municipality_id) AS municipality_id FROM organisation WHERE region_code = $1 AND inn <> '' GROUP BY inn) e ON e.inn = v.employer_inn
	WHERE v.region_code = $1 AND v.created_at IS NOT NULL AND v.created_at >= $2 AND v.education IN ('spo', 'higher')
		AND v.experience IN ('', '0')
	GROUP BY 1, 2, 3, 4`
	return eachRow(ctx, s.read, q, args{region, tsArg(since)}, func(r *sql.Rows) error {
		var v balance.VacancyMonth
		var month, level string
		if err := r.Scan(&month, &v.Key.Group, &level, &v.MunicipalityID, &v.Vacancies, &v.Places); err != nil {
			return err
		}
		t, err := time.Parse("2006-01", month)
		if err != nil {
			return fmt.Errorf("month %q: %w", month, err)
		}
		v.Month, v.Key.Level = t, balance.Level(level)
		in.Vacancies = append(in.Vacancies, v)
		return nil
	})
}

// balanceStudents counts today's students by course and the graduates of
// the last three years.
func (s *Balance) balanceStudents(ctx context.Context, region string, now time.Time, in *balance.Input) error {
	err := eachRow(ctx, s.read, `SELECT org_id, specialty_code, course, graduation_year, count(*) FROM learner
		WHERE region_code = $1 AND status = 'student' AND specialty_code IS NOT NULL AND course > 0
		GROUP BY org_id, specialty_code, course, graduation_year`, args{region}, func(r *sql.Rows) error {
		var e balance.Enrolment
		err := r.Scan(&e.OrgID, &e.Specialty, &e.Course, &e.GraduationYear, &e.Count)
		in.Enrolment = append(in.Enrolment, e)
		return err
	})
	if err != nil {
		return err
	}
	return eachRow(ctx, s.read, `SELECT org_id, specialty_code, graduation_year, count(*) FROM learner
		WHERE region_code = $1 AND status = 'graduate' AND specialty_code IS NOT NULL AND graduation_year >= $2
		GROUP BY org_id, specialty_code, graduation_year`, args{region, balance.SchoolYear(now) - 2}, func(r *sql.Rows) error {
		var g balance.Graduated
		err := r.Scan(&g.OrgID, &g.Specialty, &g.Year, &g.Count)
		in.Graduated = append(in.Graduated, g)
		return err
	})
}

// balanceContracts counts the students under signed targeted-education
// contracts by specialty and year of graduation.
func (s *Balance) balanceContracts(ctx context.Context, region string, _ time.Time, in *balance.Input) error {
	return eachRow(ctx, s.read, `SELECT t.specialty_code, l.graduation_year, count(DISTINCT a.learner_id)
		FROM targeted_application a JOIN targeted_offer t ON t.id = a.offer_id JOIN learner l ON l.id = a.learner_id
		WHERE a.region_code = $1 AND a.status IN ('contract_signed', 'studying') AND l.status = 'student'
		GROUP BY t.specialty_code, l.graduation_year`, args{region}, func(r *sql.Rows) error {
		var c balance.Contracted
		err := r.Scan(&c.Specialty, &c.GraduationYear, &c.Count)
		in.Contracted = append(in.Contracted, c)
		return err
	})
}

func (s *Balance) balanceCapacity(ctx context.Context, region string, _ time.Time, in *balance.Input) error {
	return eachRow(ctx, s.read, `SELECT c.org_id, COALESCE(NULLIF(o.short_name, ''), o.name), c.specialty_code, c.capacity, c.plan, c.updated_at
		FROM org_capacity c JOIN organisation o ON o.id = c.org_id WHERE c.region_code = $1 ORDER BY c.org_id, c.specialty_code`, args{region},
		func(r *sql.Rows) error {
			var c balance.Capacity
			err := r.Scan(&c.OrgID, &c.OrgName, &c.Specialty, &c.Capacity, &c.Plan, timeScan{&c.UpdatedAt})
			in.Capacity = append(in.Capacity, c)
			return err
		})
}

func (s *Balance) balanceNeeds(ctx context.Context, region string, _ time.Time, in *balance.Input) error {
	list, err := s.needs(ctx, `n.region_code = $1`, args{region})
	in.Needs = list
	return err
}

func (s *Balance) balanceAges(ctx context.Context, region string, _ time.Time, in *balance.Input) error {
	return eachRow(ctx, s.read, `SELECT group_code, level, band, year, employed, updated_at FROM employment_age WHERE region_code = $1
		ORDER BY group_code, level, band`, args{region}, func(r *sql.Rows) error {
		var a balance.Age
		var level, band string
		if err := r.Scan(&a.Key.Group, &level, &band, &a.Year, &a.Employed, timeScan{&a.UpdatedAt}); err != nil {
			return err
		}
		a.Key.Level, a.Band = balance.Level(level), balance.Band(band)
		in.Ages = append(in.Ages, a)
		return nil
	})
}

const needCols = `n.id, n.region_code, n.employer_id, e.name, n.specialty_code, sp.name, n.base_year, n.horizon, n.persons, n.note, n.source,
	COALESCE(n.created_by, 0), n.updated_at`

func (s *Balance) needs(ctx context.Context, cond string, a args) ([]balance.Need, error) {
	var out []balance.Need
	err := eachRow(ctx, s.read, `SELECT `+needCols+` FROM employer_need n JOIN organisation e ON e.id = n.employer_id
		JOIN specialty sp ON sp.code = n.specialty_code WHERE `+cond+` ORDER BY e.name, n.specialty_code, n.base_year DESC, n.horizon`, a,
		func(r *sql.Rows) error {
			var n balance.Need
			err := r.Scan(&n.ID, &n.RegionCode, &n.EmployerID, &n.EmployerName, &n.Specialty, &n.SpecialtyName, &n.BaseYear, &n.Horizon, &n.Count,
				&n.Note, &n.Source, &n.CreatedBy, timeScan{&n.UpdatedAt})
			out = append(out, n)
			return err
		})
	return out, err
}

// needScope keeps a query on employer_need n inside what the scope may see:
// the region all of its own, an employer its own needs, anyone else none.
func needScope(sc auth.Scope, a *args) string {
	region := "n.region_code = " + a.add(sc.RegionCode)
	switch {
	case sc.WholeRegion():
		return region
	case sc.Role == auth.Employer && sc.OrgID != 0:
		return region + " AND n.employer_id = " + a.add(sc.OrgID)
	}
	return region + " AND 1 = 0" // the region's argument is used: PostgreSQL refuses one left over
}

// Needs lists the declared needs the scope sees.
func (s *Balance) Needs(ctx context.Context, sc auth.Scope, f balance.NeedFilter) ([]balance.Need, error) {
	var a args
	cond := needScope(sc, &a)
	if f.EmployerID != 0 {
		cond += " AND n.employer_id = " + a.add(f.EmployerID)
	}
	if f.Specialty != "" {
		cond += " AND n.specialty_code = " + a.add(f.Specialty)
	}
	list, err := s.needs(ctx, cond, a)
	if err != nil {
		return nil, fmt.Errorf("store: needs: %w", err)
	}
	return list, nil
}

// SaveNeeds writes declared needs in one transaction; a need of the same
// employer, specialty, year of declaring and horizon is replaced. Every
// employer must be an employer of the scope's region, and an employer's
// scope may write only its own.
func (s *Balance) SaveNeeds(ctx context.Context, sc auth.Scope, needs []balance.Need) error {
	return wrap("save needs", s.tx(ctx, func(tx *sql.Tx) error {
		checked := map[int64]bool{}
		for i := range needs {
			n := &needs[i]
			if !checked[n.EmployerID] {
				if err := checkOrg(ctx, tx, sc, n.EmployerID, "employer", "работодатель"); err != nil {
					return err
				}
				checked[n.EmployerID] = true
			}
			if err := tx.QueryRowContext(ctx, `INSERT INTO employer_need (region_code, employer_id, specialty_code, base_year, horizon, persons, note, source, created_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
				ON CONFLICT (employer_id, specialty_code, base_year, horizon) DO UPDATE SET persons = excluded.persons, note = excluded.note,
					source = excluded.source, created_by = excluded.created_by, updated_at = excluded.updated_at
				RETURNING id`, sc.RegionCode, n.EmployerID, n.Specialty, n.BaseYear, n.Horizon, n.Count, n.Note, n.Source, nullID(n.CreatedBy),
				tsArg(n.UpdatedAt)).Scan(&n.ID); err != nil {
				return fmt.Errorf("store: save need: %w", err)
			}
		}
		return nil
	}))
}

// checkOrg checks inside tx that an organisation of one of the kinds is in
// the scope's region and, for an organisation's own scope, is its own.
func checkOrg(ctx context.Context, tx *sql.Tx, sc auth.Scope, id int64, kinds, what string) error {
	var kind, name string
	err := tx.QueryRowContext(ctx, `SELECT kind, name FROM organisation WHERE id = $1 AND region_code = $2`, id, sc.RegionCode).Scan(&kind, &name)
	if err != nil {
		return notFound(err, "организация не найдена в регионе")
	}
	if !strings.Contains(kinds, kind) {
		return apperr.Field("org_id", "«%s» — не %s", name, what)
	}
	if !sc.WholeRegion() && id != sc.OrgID {
		return apperr.New(apperr.Forbidden, "изменять можно только данные своей организации")
	}
	return nil
}

// DeleteNeed removes a declared need the scope may change.
func (s *Balance) DeleteNeed(ctx context.Context, sc auth.Scope, id int64) error {
	a := args{id}
	res, err := s.write.ExecContext(ctx, `DELETE FROM employer_need AS n WHERE n.id = $1 AND `+needScope(sc, &a), a...)
	if err != nil {
		return fmt.Errorf("store: delete need: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "заявленная потребность не найдена")
	}
	return nil
}

// EmployersByINN finds the region's organisations by ИНН.
func (s *Balance) EmployersByINN(ctx context.Context, region string, inns []string) (map[string]balance.Org, error) {
	out := map[string]balance.Org{}
	for start := 0; start < len(inns); start += 500 {
		a := args{region}
		ph := make([]string, 0, 500)
		for _, inn := range inns[start:min(len(inns), start+500)] {
			ph = append(ph, a.add(inn))
		}
		err := eachRow(ctx, s.read, `SELECT inn, id, name, kind FROM organisation WHERE region_code = $1 AND inn IN (`+strings.Join(ph, ", ")+`) ORDER BY id`, a,
			func(r *sql.Rows) error {
				var inn string
				var o balance.Org
				if err := r.Scan(&inn, &o.ID, &o.Name, &o.Kind); err != nil {
					return err
				}
				if _, dup := out[inn]; !dup {
					out[inn] = o
				}
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("store: organisations by inn: %w", err)
		}
	}
	return out, nil
}

// SaveCapacities writes capacities and plans of admission in one
// transaction, replacing those of the same programme.
func (s *Balance) SaveCapacities(ctx context.Context, sc auth.Scope, cs []balance.Capacity) error {
	return wrap("save capacities", s.tx(ctx, func(tx *sql.Tx) error {
		checked := map[int64]bool{}
		for _, c := range cs {
			if !checked[c.OrgID] {
				if err := checkOrg(ctx, tx, sc, c.OrgID, "college university", "колледж или вуз"); err != nil {
					return err
				}
				checked[c.OrgID] = true
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO org_capacity (org_id, specialty_code, region_code, capacity, plan, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (org_id, specialty_code) DO UPDATE SET capacity = excluded.capacity, plan = excluded.plan, updated_at = excluded.updated_at`,
				c.OrgID, c.Specialty, sc.RegionCode, c.Capacity, c.Plan, tsArg(c.UpdatedAt)); err != nil {
				return fmt.Errorf("store: save capacity: %w", err)
			}
		}
		return nil
	}))
}

// SaveAges writes the age structure of the employed, replacing the rows of
// the same group, level and band.
func (s *Balance) SaveAges(ctx context.Context, region string, ages []balance.Age) error {
	return wrap("save ages", s.tx(ctx, func(tx *sql.Tx) error {
		return saveAges(ctx, tx, region, ages)
	}))
}

func saveAges(ctx context.Context, tx *sql.Tx, region string, ages []balance.Age) error {
	for _, x := range ages {
		if _, err := tx.ExecContext(ctx, `INSERT INTO employment_age (region_code, group_code, level, band, year, employed, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (region_code, group_code, level, band) DO UPDATE SET year = excluded.year, employed = excluded.employed, updated_at = excluded.updated_at`,
			region, x.Key.Group, string(x.Key.Level), string(x.Band), x.Year, x.Employed, tsArg(x.UpdatedAt)); err != nil {
			return fmt.Errorf("store: save ages: %w", err)
		}
	}
	return nil
}

// scenarioChanges is how a scenario's changes are kept.
type scenarioChanges struct {
	Admissions []balance.AdmissionChange `json:"admissions"`
	Needs      []balance.NeedChange      `json:"needs"`
}

func (s *Balance) scenarios(ctx context.Context, cond string, a args) ([]balance.Scenario, error) {
	var out []balance.Scenario
	err := eachRow(ctx, s.read, `SELECT id, region_code, name, changes, COALESCE(created_by, 0), created_at, updated_at FROM balance_scenario WHERE `+cond+
		` ORDER BY id DESC`, a, func(r *sql.Rows) error {
		var x balance.Scenario
		var changes string
		if err := r.Scan(&x.ID, &x.RegionCode, &x.Name, &changes, &x.CreatedBy, timeScan{&x.CreatedAt}, timeScan{&x.UpdatedAt}); err != nil {
			return err
		}
		var c scenarioChanges
		if err := json.Unmarshal([]byte(changes), &c); err != nil {
			return fmt.Errorf("scenario %d: %w", x.ID, err)
		}
		x.Admissions, x.Needs = c.Admissions, c.Needs
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: scenarios: %w", err)
	}
	return out, nil
}

// Scenarios lists the region's scenarios, newest first.
func (s *Balance) Scenarios(ctx context.Context, region string) ([]balance.Scenario, error) {
	out, err := s.scenarios(ctx, `region_code = $1`, args{region})
	return out, wrap("scenarios", err)
}

// Scenario returns a scenario of the region.
func (s *Balance) Scenario(ctx context.Context, region string, id int64) (balance.Scenario, error) {
	list, err := s.scenarios(ctx, `region_code = $1 AND id = $2`, args{region, id})
	if err != nil {
		return balance.Scenario{}, wrap("scenario", err)
	}
	if len(list) == 0 {
		return balance.Scenario{}, apperr.New(apperr.NotFound, "сценарий не найден")
	}
	return list[0], nil
}

// SaveScenario inserts a scenario (ID zero) or replaces its name and changes.
func (s *Balance) SaveScenario(ctx context.Context, x *balance.Scenario) error {
	data, err := json.Marshal(scenarioChanges{Admissions: x.Admissions, Needs: x.Needs})
	if err != nil {
		return wrap("save scenario", err)
	}
	if x.ID == 0 {
		err = s.write.QueryRowContext(ctx, `INSERT INTO balance_scenario (region_code, name, changes, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, x.RegionCode, x.Name, string(data), nullID(x.CreatedBy), tsArg(x.CreatedAt), tsArg(x.UpdatedAt)).Scan(&x.ID)
		if err != nil {
			return fmt.Errorf("store: save scenario: %w", err)
		}
		return nil
	}
	res, err := s.write.ExecContext(ctx, `UPDATE balance_scenario SET name = $1, changes = $2, updated_at = $3 WHERE id = $4 AND region_code = $5`,
		x.Name, string(data), tsArg(x.UpdatedAt), x.ID, x.RegionCode)
	if err != nil {
		return fmt.Errorf("store: save scenario: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "сценарий не найден")
	}
	return nil
}

// DeleteScenario removes a scenario of the region.
func (s *Balance) DeleteScenario(ctx context.Context, region string, id int64) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM balance_scenario WHERE id = $1 AND region_code = $2`, id, region)
	if err != nil {
		return fmt.Errorf("store: delete scenario: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "сценарий не найден")
	}
	return nil
}

// Balance writes the demo region's capacities, declared needs and age
// structure inside the load's transaction.
func (l *Loader) Balance(region string, caps []balance.Capacity, needs []balance.Need, ages []balance.Age) error {
	for _, c := range caps {
		if _, err := l.tx.ExecContext(l.ctx, `INSERT INTO org_capacity (org_id, specialty_code, region_code, capacity, plan, updated_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			c.OrgID, c.Specialty, region, c.Capacity, c.Plan, tsArg(c.UpdatedAt)); err != nil {
			return fmt.Errorf("store: load capacity: %w", err)
		}
	}
	for _, n := range needs {
		if _, err := l.tx.ExecContext(l.ctx, `INSERT INTO employer_need (region_code, employer_id, specialty_code, base_year, horizon, persons, note, source, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, region, n.EmployerID, n.Specialty, n.BaseYear, n.Horizon, n.Count, n.Note, n.Source, tsArg(n.UpdatedAt)); err != nil {
			return fmt.Errorf("store: load need: %w", err)
		}
	}
	return wrap("load balance", saveAges(l.ctx, l.tx, region, ages))
}
