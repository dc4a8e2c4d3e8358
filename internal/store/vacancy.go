package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/vacancy"
)

// Vacancies are public records: reads take no scope. A vacancy is keyed by its
// id at the source; a batch is applied by the rule of vacancy.Merge, so that
// importing the same file twice changes nothing.

const vacancyCols = `v.id, v.source, v.region_code, v.kladr_code, v.employer_name, v.employer_inn, v.employer_ogrn, v.title,
	v.specialisation, v.salary_min, v.salary_max, v.currency, v.schedule, v.employment, v.education, v.experience, v.duty,
	v.requirements, v.address, v.lat, v.lon, v.work_places, v.closed, v.created_at, v.modified_at, v.url`

func scanVacancy(sc interface{ Scan(...any) error }, v *vacancy.Vacancy) error {
	err := sc.Scan(&v.ID, &v.Source, &v.RegionCode, &v.KladrCode, &v.EmployerName, &v.EmployerINN, &v.EmployerOGRN, &v.Title,
		&v.Specialisation, &v.SalaryMin, &v.SalaryMax, &v.Currency, &v.Schedule, &v.Employment, &v.Education, &v.Experience, &v.Duty,
		&v.Requirements, &v.Address, &v.Lat, &v.Lon, &v.WorkPlaces, &v.Closed, timeScan{&v.CreatedAt}, timeScan{&v.ModifiedAt}, &v.URL)
	// Moments come back in UTC on both engines, as Validate leaves them.
	if !v.CreatedAt.IsZero() {
		v.CreatedAt = v.CreatedAt.UTC()
	}
	if !v.ModifiedAt.IsZero() {
		v.ModifiedAt = v.ModifiedAt.UTC()
	}
	return err
}

// momentArg is a timestamp parameter: NULL for the zero time.
func momentArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return tsArg(t)
}

var errVacancyNotFound = apperr.New(apperr.NotFound, "вакансия не найдена")

// Vacancy returns one vacancy.
func (s *Vacancies) Vacancy(ctx context.Context, id string) (vacancy.Vacancy, error) {
	var v vacancy.Vacancy
	err := scanVacancy(s.read.QueryRowContext(ctx, `SELECT `+vacancyCols+` FROM vacancy v WHERE v.id = $1`, id), &v)
	if noRows(err) {
		return v, errVacancyNotFound
	}
	if err != nil {
		return v, fmt.Errorf("store: vacancy: %w", err)
	}
	return v, nil
}

// likeEscape escapes the wildcards of LIKE with a backslash.
var likeEscape = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Vacancies returns a page of the filter's vacancies, newest first (those the
// source gave no date last), and the total that match. A limit outside 1–500
// is a page of 50, as for organisations.
func (s *Vacancies) Vacancies(ctx context.Context, f vacancy.Filter) ([]vacancy.Vacancy, int, error) {
	var a args
	where := "1 = 1"
	if f.RegionCode != "" {
		where += " AND v.region_code = " + a.add(f.RegionCode)
	}
	if !f.WithClosed {
		// closed = false, not NOT closed: an equality the index
		// vacancy_recent serves the order of the page by.
		where += " AND v.closed = false"
	}
	if f.Source != "" {
		where += " AND v.source = " + a.add(string(f.Source))
	}
	if f.GroupCode != "" {
		where += " AND EXISTS (SELECT 1 FROM vacancy_link k WHERE k.vacancy_id = v.id AND k.group_code = " + a.add(f.GroupCode) + ")"
	}
	if f.SpecialtyCode != "" {
		group := f.SpecialtyCode
		if len(group) >= 2 {
			group = group[:2] + ".00.00"
		}
		where += " AND EXISTS (SELECT 1 FROM vacancy_link k WHERE k.vacancy_id = v.id AND (k.specialty_code = " + a.add(f.SpecialtyCode) +
			" OR (k.specialty_code IS NULL AND k.group_code = " + a.add(group) + ")))"
	}
	if q := searchKey(f.Query); q != "" {
		where += " AND v.search_text LIKE " + a.add("%"+likeEscape.Replace(q)+"%") + ` ESCAPE '\'`
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	// Newest first, those without a date last: in SQLite a NULL is below
	// every value and comes last in descending order by itself; PostgreSQL
	// is told. Either way the index vacancy_recent reads the page in order.
	order := `v.created_at DESC, v.id`
	if s.engine == Postgres {
		order = `v.created_at DESC NULLS LAST, v.id`
	}
	return page(ctx, s.db, s.read, listPage{op: "vacancies", cols: vacancyCols, from: ` FROM vacancy v`, where: where,
		order: order, limit: limit, offset: max(f.Offset, 0)}, a, scanner(scanVacancy))
}

// Links returns the links of a vacancy, surest first; NotFound when there is
// no such vacancy.
func (s *Vacancies) Links(ctx context.Context, vacancyID string) ([]vacancy.Link, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
	var out []vacancy.Link
	if err := eachRowOp(ctx, q, "vacancy links", `SELECT vacancy_id, COALESCE(specialty_code, ''), group_code, kind, score, reason
		FROM vacancy_link WHERE vacancy_id = $1 ORDER BY score DESC, code`, args{vacancyID}, func(rows *sql.Rows) error {
		var l vacancy.Link
		if err := rows.Scan(&l.VacancyID, &l.SpecialtyCode, &l.GroupCode, &l.Kind, &l.Score, &l.Reason); err != nil {
			return err
		}
		out = append(out, l)
		return nil
	}); err != nil {
		return nil, wrap("links", err)
	}
	if len(out) == 0 {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM vacancy WHERE id = $1`, vacancyID).Scan(&n); err != nil {
			return nil, wrap("links", err)
		}
		if n == 0 {
			return nil, errVacancyNotFound
		}
	}
	return out, nil
}

// UpsertVacancies applies a batch in one transaction; see Loader.UpsertVacancies.
func (s *Vacancies) UpsertVacancies(ctx context.Context, items []vacancy.Item) (vacancy.Upserted, error) {
	var up vacancy.Upserted
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		l := &Loader{s: s.db, ctx: ctx, tx: tx, now: tsArg(s.now())}
		up, err = l.UpsertVacancies(items)
		return err
	})
	if err != nil {
		return vacancy.Upserted{}, wrap("upsert vacancies", err)
	}
	return up, nil
}

// vacancyChunk is how many ids one lookup names.
const vacancyChunk = 500

// Vacancies returns the stored vacancies among ids, by id.
func (l *Loader) Vacancies(ids []string) (map[string]vacancy.Vacancy, error) {
	out := make(map[string]vacancy.Vacancy, len(ids))
	for start := 0; start < len(ids); start += vacancyChunk {
		var a args
		ph := make([]string, 0, vacancyChunk)
		for _, id := range ids[start:min(len(ids), start+vacancyChunk)] {
			ph = append(ph, a.add(id))
		}
		if err := eachRowOp(l.ctx, l.tx, "find vacancies", `SELECT `+vacancyCols+` FROM vacancy v WHERE v.id IN (`+strings.Join(ph, ", ")+`)`, a, func(rows *sql.Rows) error {
			var v vacancy.Vacancy
			if err := scanVacancy(rows, &v); err != nil {
				return err
			}
			out[v.ID] = v
			return nil
		}); err != nil {
			return nil, wrap("load vacancies", err)
		}
	}
	return out, nil
}

// UpsertVacancies applies a batch inside the load's transaction: an unknown id
// is inserted, a known one is replaced by the rule of vacancy.Merge, and the
// links of every inserted or replaced vacancy are replaced by the item's links.
// An id given twice is merged in order. Every vacancy and link is validated
// first; a fault stops the whole batch with a message naming the vacancy.
// Counts are of distinct ids.
func (l *Loader) UpsertVacancies(items []vacancy.Item) (vacancy.Upserted, error) {
	var up vacancy.Upserted
	if len(items) == 0 {
		return up, nil
	}
	type entry struct {
		item            vacancy.Item
		stored, changed bool
	}
	byID := make(map[string]*entry, len(items))
	var order []string // ids in first appearance
	specialties := map[string]bool{}
	for i := range items {
		it := vacancy.Item{Vacancy: items[i].Vacancy, Links: append([]vacancy.Link(nil), items[i].Links...)}
		v := &it.Vacancy
		if err := v.Validate(); err != nil {
			return up, apperr.Wrap(err, apperr.Invalid, "вакансия %d пакета (%s): %s", i+1, clipID(v.ID), apperr.Message(err))
		}
		for j := range it.Links {
			k := &it.Links[j]
			if k.VacancyID == "" {
				k.VacancyID = v.ID
			}
			if k.VacancyID != v.ID {
				return up, apperr.New(apperr.Invalid, "связь %d вакансии %s относится к другой вакансии, %s", j+1, v.ID, clipID(k.VacancyID))
			}
			if err := k.Validate(); err != nil {
				return up, apperr.Wrap(err, apperr.Invalid, "связь %d вакансии %s: %s", j+1, v.ID, apperr.Message(err))
			}
			if k.SpecialtyCode != "" {
				specialties[k.SpecialtyCode] = true
			}
		}
		if e, ok := byID[v.ID]; ok {
			if merged, changed := vacancy.Merge(e.item.Vacancy, *v); changed {
				e.item, e.changed = vacancy.Item{Vacancy: merged, Links: it.Links}, true
			}
			continue
		}
		byID[v.ID] = &entry{item: it}
		order = append(order, v.ID)
	}
	if err := l.checkSpecialties(specialties); err != nil {
		return up, wrap("upsert vacancies", err)
	}
	stored, err := l.Vacancies(order)
	if err != nil {
		return up, wrap("upsert vacancies", err)
	}
	var inserts, updates []*vacancy.Item
	for _, id := range order {
		e := byID[id]
		old, ok := stored[id]
		if !ok {
			inserts = append(inserts, &e.item)
			up.Inserted++
			continue
		}
		e.stored = true
		// The first item of the id met the stored version; later items of the
		// same id were merged into it above.
		merged, changed := vacancy.Merge(old, e.item.Vacancy)
		if !changed {
			up.Unchanged++
			continue
		}
		e.item.Vacancy = merged
		updates = append(updates, &e.item)
		up.Updated++
	}
	if err := l.insertVacancies(inserts); err != nil {
		return vacancy.Upserted{}, wrap("upsert vacancies", err)
	}
	if err := l.updateVacancies(updates); err != nil {
		return vacancy.Upserted{}, wrap("upsert vacancies", err)
	}
	if err := l.replaceLinks(append(inserts, updates...), len(inserts)); err != nil {
		return vacancy.Upserted{}, wrap("upsert vacancies", err)
	}
	return up, nil
}

// clipID keeps a bad id short in a message.
func clipID(id string) string {
	if r := []rune(id); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return id
}

// checkSpecialties reports the first of codes missing from the classifier.
func (l *Loader) checkSpecialties(codes map[string]bool) error {
	if len(codes) == 0 {
		return nil
	}
	list := make([]string, 0, len(codes))
	for c := range codes {
		list = append(list, c)
	}
	sort.Strings(list)
	found := map[string]bool{}
	for start := 0; start < len(list); start += vacancyChunk {
		var a args
		ph := make([]string, 0, vacancyChunk)
		for _, c := range list[start:min(len(list), start+vacancyChunk)] {
			ph = append(ph, a.add(c))
		}
		if err := eachRowOp(l.ctx, l.tx, "check specialties", `SELECT code FROM specialty WHERE code IN (`+strings.Join(ph, ", ")+`)`, a, func(rows *sql.Rows) error {
			var c string
			if err := rows.Scan(&c); err != nil {
				return err
			}
			found[c] = true
			return nil
		}); err != nil {
			return err
		}
	}
	for _, c := range list {
		if !found[c] {
			return apperr.Field("specialty_code", "специальность «%s» не найдена в справочнике ОКСО", c)
		}
	}
	return nil
}

var vacancyWriteCols = []string{"id", "region_code", "source", "kladr_code", "employer_name", "employer_inn", "employer_ogrn", "title",
	"specialisation", "salary_min", "salary_max", "currency", "schedule", "employment", "education", "experience", "duty",
	"requirements", "address", "lat", "lon", "work_places", "closed", "created_at", "modified_at", "url", "search_text"}

func vacancyValues(v *vacancy.Vacancy) []any {
	return []any{v.ID, v.RegionCode, string(v.Source), v.KladrCode, v.EmployerName, v.EmployerINN, v.EmployerOGRN, v.Title,
		v.Specialisation, v.SalaryMin, v.SalaryMax, v.Currency, v.Schedule, v.Employment, string(v.Education), v.Experience, v.Duty,
		v.Requirements, v.Address, v.Lat, v.Lon, v.WorkPlaces, v.Closed, momentArg(v.CreatedAt), momentArg(v.ModifiedAt), v.URL,
		searchKey(v.Title, v.EmployerName)}
}

func (l *Loader) insertVacancies(items []*vacancy.Item) error {
	cols := append(append([]string(nil), vacancyWriteCols...), "loaded_at", "updated_at")
	err := l.insert("vacancy", cols, len(items), func(i int) []any {
		return append(vacancyValues(&items[i].Vacancy), l.now, l.now)
	})
	if isForeignKeyViolation(err) {
		return apperr.Wrap(err, apperr.Invalid, "регион вакансии не найден в справочнике субъектов РФ")
	}
	return err
}

func (l *Loader) updateVacancies(items []*vacancy.Item) error {
	if len(items) == 0 {
		return nil
	}
	set := make([]string, 0, len(vacancyWriteCols))
	for i, c := range vacancyWriteCols[1:] {
		set = append(set, fmt.Sprintf("%s = $%d", c, i+1))
	}
	n := len(vacancyWriteCols)
	stmt, err := l.tx.PrepareContext(l.ctx, `UPDATE vacancy SET `+strings.Join(set, ", ")+
		fmt.Sprintf(`, updated_at = $%d WHERE id = $%d`, n, n+1))
	if err != nil {
		return fmt.Errorf("store: update vacancies: %w", err)
	}
	defer stmt.Close()
	for _, it := range items {
		vals := vacancyValues(&it.Vacancy)
		if _, err := stmt.ExecContext(l.ctx, append(vals[1:], l.now, it.Vacancy.ID)...); err != nil {
			if isForeignKeyViolation(err) {
				return apperr.Wrap(err, apperr.Invalid, "вакансия %s: регион не найден в справочнике субъектов РФ", it.Vacancy.ID)
			}
			return fmt.Errorf("store: update vacancy %s: %w", it.Vacancy.ID, err)
		}
	}
	return nil
}

// replaceLinks writes the links of items; the first fresh items are new
// vacancies, which have no links to delete.
func (l *Loader) replaceLinks(items []*vacancy.Item, fresh int) error {
	old := items[fresh:]
	for start := 0; start < len(old); start += vacancyChunk {
		var a args
		ph := make([]string, 0, vacancyChunk)
		for _, it := range old[start:min(len(old), start+vacancyChunk)] {
			ph = append(ph, a.add(it.Vacancy.ID))
		}
		if _, err := l.tx.ExecContext(l.ctx, `DELETE FROM vacancy_link WHERE vacancy_id IN (`+strings.Join(ph, ", ")+`)`, a...); err != nil {
			return fmt.Errorf("store: delete vacancy links: %w", err)
		}
	}
	type row struct {
		region string
		link   *vacancy.Link
	}
	var rows []row
	for _, it := range items {
		seen := map[string]bool{}
		for j := range it.Links {
			k := &it.Links[j]
			// Two links to one code would break the key; the matcher combines
			// them, and a hand-made batch keeps the first.
			if seen[k.Code()] {
				continue
			}
			seen[k.Code()] = true
			rows = append(rows, row{it.Vacancy.RegionCode, k})
		}
	}
	return l.insert("vacancy_link", []string{"vacancy_id", "region_code", "code", "specialty_code", "group_code", "kind", "score", "reason"},
		len(rows), func(i int) []any {
			k := rows[i].link
			return []any{k.VacancyID, rows[i].region, k.Code(), nullText(k.SpecialtyCode), k.GroupCode, string(k.Kind), k.Score, k.Reason}
		})
}
