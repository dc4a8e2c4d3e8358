package imports

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/classifier"
	"marshrut/internal/exchange"
	"marshrut/internal/learner"
	"marshrut/internal/org"
)

// ErrSNILSTaken is the one answer to a СНИЛС an organisation may not take:
// it does not say whether the number belongs to anybody.
const ErrSNILSTaken = "этот СНИЛС нельзя записать за вашей организацией: проверьте номер; если обучающийся переходит к вам из другой организации, перевод оформляет регион"

// row is a learner read from a row, with the line it came from.
type row struct {
	line int
	l    learner.Learner
}

// Learners imports pupils, students and graduates from t with the columns m.
// Rows are matched to stored learners by СНИЛС, or by organisation and own
// id; a stored learner is updated only in the columns the file has.
func (im *Importer) Learners(ctx context.Context, t *exchange.Table, m exchange.Mapping, opt Options) (Report, error) {
	rep, err := begin("learners", m, &opt, "")
	if err != nil {
		return rep, err
	}
	dir, err := im.directory(ctx, opt.Region)
	if err != nil {
		return rep, err
	}
	if opt.OrgID != 0 {
		if _, ok := dir.orgByID[opt.OrgID]; !ok {
			return rep, apperr.Field("org_id", "организация %d не является школой, колледжем или вузом региона", opt.OrgID)
		}
	}
	p := &learnerParser{m: m, d: dir, opt: opt}
	// Import keys seen so far → the line where each first appeared. Keys are
	// kept as 64-bit hashes: a million rows then take tens of megabytes, not
	// hundreds, and a collision among a million keys has odds of 1 in 10^7.
	seen := map[uint64]int{}
	err = im.run(ctx, &rep, opt, func(ld Loader) error {
		next, err := ld.NextID("learner")
		if err != nil {
			return err
		}
		var batch []row
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			keys := make([]learner.Key, 0, len(batch))
			for _, r := range batch {
				k, _ := learner.KeyOf(r.l)
				keys = append(keys, k)
			}
			stored, err := ld.FindLearners(opt.Region, keys)
			if err != nil {
				return err
			}
			var creates, updates []learner.Learner
			for _, r := range batch {
				k, _ := learner.KeyOf(r.l)
				old, found := stored[k]
				switch {
				case !found:
					r.l.ID = next
					next++
					creates = append(creates, r.l)
					rep.Created++
				case opt.OrgID != 0 && old.OrgID != opt.OrgID && opt.DryRun:
					// A check says nothing of other organisations' people: the
					// row reads as a new learner. Only the real import, which
					// writes and is audited, finds the clash.
					rep.Created++
				case opt.OrgID != 0 && old.OrgID != opt.OrgID:
					if opt.Conflict != nil {
						opt.Conflict(old.ID)
					}
					rep.reject(r.line, []Issue{{Column: p.title("snils"), Reason: ErrSNILSTaken}})
				default:
					merged := p.merge(old, r.l)
					if err := merged.Validate(opt.Now); err != nil {
						rep.reject(r.line, p.issues(err))
						continue
					}
					if learner.SameRecord(old, merged) {
						rep.Unchanged++
						continue
					}
					updates = append(updates, merged)
					rep.Updated++
				}
			}
			batch = batch[:0]
			if err := ld.Learners(creates); err != nil {
				return err
			}
			return ld.UpdateLearners(updates)
		}
		err = eachRow(ctx, t, &rep, opt, func(cells exchange.Row) error {
			l, issues := p.parse(cells)
			if len(issues) == 0 {
				key, ok := importKey(l)
				if !ok {
					issues = []Issue{{Reason: "нет ни СНИЛС, ни идентификатора обучающегося: строку не с чем сопоставить при повторной загрузке"}}
				} else if first, dup := seen[hashKey(key)]; dup {
					issues = []Issue{{Column: p.keyTitle(l), Reason: fmt.Sprintf("повторяет строку %d: тот же обучающийся указан дважды", first)}}
				} else {
					seen[hashKey(key)] = cells.Line
				}
			}
			if len(issues) > 0 {
				rep.reject(cells.Line, issues)
				return nil
			}
			batch = append(batch, row{cells.Line, l})
			if len(batch) >= batchSize {
				if err := flush(); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return flush()
	})
	return rep, err
}

func hashKey(k string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(k))
	return h.Sum64()
}

func importKey(l learner.Learner) (string, bool) {
	k, ok := learner.KeyOf(l)
	if !ok {
		return "", false
	}
	if k.SNILS != "" {
		return "s" + k.SNILS, true
	}
	return fmt.Sprintf("e%d:%s", k.OrgID, k.ExternalID), true
}

// learnerParser turns rows into learners.
type learnerParser struct {
	m   exchange.Mapping
	d   *directory
	opt Options
}

func (p *learnerParser) title(key string) string {
	if c := p.m.Col(key); c >= 0 && c < len(p.m.Header()) {
		return p.m.Header()[c]
	}
	for _, f := range p.m.Fields() {
		if f.Key == key {
			return f.Title
		}
	}
	return key
}

func (p *learnerParser) keyTitle(l learner.Learner) string {
	if l.SNILS != "" {
		return p.title("snils")
	}
	return p.title("external_id")
}

// columnOf maps the fields of domain errors to the file's columns.
var columnOf = map[string]string{
	"org_id": "org_name", "municipality_id": "municipality", "form": "form", "status": "status",
}

func (p *learnerParser) issues(err error) []Issue {
	var out []Issue
	for _, e := range apperr.Fields(err) {
		key := e.Field
		if k, ok := columnOf[key]; ok {
			key = k
		}
		col := ""
		if e.Field != "" {
			col = p.title(key)
		}
		out = append(out, Issue{Column: col, Reason: e.Message})
	}
	return out
}

// parse reads one row. A learner that comes back with issues is rejected.
func (p *learnerParser) parse(r exchange.Row) (learner.Learner, []Issue) {
	var issues []Issue
	bad := func(key, format string, args ...any) {
		issues = append(issues, Issue{Column: p.title(key), Reason: fmt.Sprintf(format, args...)})
	}
	get := func(key string) string { return exchange.Clean(p.m.Get(r, key)) }
	l := learner.Learner{RegionCode: p.opt.Region, ExternalID: get("external_id"), Group: get("group")}
	l.LastName, l.FirstName, l.MiddleName = get("last_name"), get("first_name"), get("middle_name")
	if l.LastName == "" && l.FirstName == "" && p.m.Has("full_name") {
		l.LastName, l.FirstName, l.MiddleName = exchange.SplitFullName(get("full_name"))
	}
	if v := get("birth_date"); v != "" {
		d, err := exchange.ParseDate(v)
		if err != nil {
			bad("birth_date", "%s", apperr.Message(err))
		}
		l.BirthDate = d
	}
	// Sex is optional: unknown when neither a sex column nor a patronymic tells it.
	l.Sex = parseSex(get("sex"), l.MiddleName)
	if l.Sex == "" && get("sex") != "" {
		bad("sex", "пол «%s» не распознан: укажите «м» или «ж» или оставьте пустым", get("sex"))
	}
	l.SNILS = get("snils")
	ints := []struct {
		key  string
		into *int
	}{{"grade", &l.Grade}, {"course", &l.Course}, {"graduation_year", &l.GraduationYear}}
	for _, f := range ints {
		if v := get(f.key); v != "" {
			n, err := exchange.ParseInt(strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(v, "класс")), "курс"))
			if err != nil {
				bad(f.key, "«%s» не является целым числом", v)
			}
			*f.into = n
		}
	}
	if v := get("disability"); v != "" {
		b, err := exchange.ParseBool(v)
		if err != nil {
			bad("disability", "«%s»: ожидается «да» или «нет»", v)
		}
		l.Disability = b
	}
	// The organisation: by INN, by name, or the uploader's own.
	switch inn, name := get("org_inn"), get("org_name"); {
	case inn != "":
		o, ok := p.d.orgByINN[inn]
		if !ok {
			bad("org_inn", "образовательная организация с ИНН %s не найдена в регионе", inn)
		}
		l.OrgID = o.ID
	case name != "":
		o, ok := p.d.orgByName[exchange.Normalise(name)]
		if !ok {
			bad("org_name", "образовательная организация «%s» не найдена в регионе", name)
		}
		l.OrgID = o.ID
	default:
		l.OrgID = p.opt.OrgID
		if l.OrgID == 0 {
			bad("org_name", "не указана образовательная организация")
		}
	}
	if p.opt.OrgID != 0 && l.OrgID != 0 && l.OrgID != p.opt.OrgID {
		bad("org_name", "можно загружать только обучающихся своей организации")
	}
	if v := get("municipality"); v != "" {
		id, ok := p.d.muniByName[exchange.Normalise(v)]
		if !ok {
			bad("municipality", "муниципальное образование «%s» не найдено в регионе", v)
		}
		l.MunicipalityID = id
	} else if o, ok := p.d.orgByID[l.OrgID]; ok {
		l.MunicipalityID = o.MunicipalityID
	}
	l.SpecialtyCode = get("specialty_code")
	if l.SpecialtyCode == "" && get("specialty_name") != "" {
		code, ok := p.d.specialtyByName[exchange.Normalise(get("specialty_name"))]
		if !ok {
			bad("specialty_name", "специальность «%s» не найдена в ОКСО: укажите её код", get("specialty_name"))
		}
		l.SpecialtyCode = code
	} else if l.SpecialtyCode != "" {
		// A code followed by its name («15.02.08 Технология машиностроения») is common.
		l.SpecialtyCode = strings.Fields(l.SpecialtyCode)[0]
		if classifier.CheckSpecialtyCode("specialty_code", l.SpecialtyCode) == nil && !p.d.specialties[l.SpecialtyCode] {
			bad("specialty_code", "специальность «%s» не найдена в справочнике ОКСО", l.SpecialtyCode)
		}
	}
	l.Form = parseForm(get("form"))
	if l.Form == "" && get("form") != "" {
		bad("form", "форма обучения «%s» не распознана: очная, очно-заочная или заочная", get("form"))
	}
	l.Status = p.status(get("status"), l)
	if l.Status == "" {
		bad("status", "статус «%s» не распознан: школьник, студент или выпускник", get("status"))
	}
	if (l.Status == learner.Student || l.Status == learner.Graduate) && l.Form == "" {
		l.Form = learner.FullTime
	}
	if l.Status == learner.Student && l.GraduationYear == 0 && l.Course > 0 {
		l.GraduationYear = expectedGraduation(l.SpecialtyCode, l.Course, p.opt.Now)
	}
	if o, ok := p.d.orgByID[l.OrgID]; ok && l.Status != "" {
		if (l.Status == learner.Pupil) != (o.Kind == org.School) {
			bad("org_name", "%s не может числиться в организации «%s»", strings.ToLower(l.Status.Name()), o.Name)
		}
	}
	if len(issues) > 0 {
		return l, issues
	}
	if err := l.Validate(p.opt.Now); err != nil {
		return l, p.issues(err)
	}
	return l, nil
}

// status reads the status column, or infers it: a grade makes a pupil, a
// course a student, a past graduation year a graduate.
func (p *learnerParser) status(v string, l learner.Learner) learner.Status {
	switch n := exchange.Normalise(v); {
	case n == "":
	case strings.HasPrefix(n, "школ") || strings.HasPrefix(n, "учени") || strings.HasPrefix(n, "учащ") || n == "pupil":
		return learner.Pupil
	case strings.HasPrefix(n, "студ") || strings.HasPrefix(n, "обучающ") || n == "student":
		return learner.Student
	case strings.HasPrefix(n, "выпуск") || n == "graduate":
		return learner.Graduate
	default:
		return ""
	}
	switch {
	case l.Grade > 0:
		return learner.Pupil
	case l.Course > 0:
		return learner.Student
	case l.GraduationYear > 0 && l.GraduationYear <= p.opt.Now.Year():
		return learner.Graduate
	case l.GraduationYear > 0:
		return learner.Student
	}
	return ""
}

func parseSex(v, middle string) string {
	switch n := exchange.Normalise(v); {
	case strings.HasPrefix(n, "м"):
		return "м"
	case strings.HasPrefix(n, "ж"):
		return "ж"
	case n != "":
		return ""
	}
	// No sex column: a patronymic tells it.
	switch m := strings.ToLower(middle); {
	case strings.HasSuffix(m, "вич") || strings.HasSuffix(m, "ич") || strings.HasSuffix(m, "оглы"):
		return "м"
	case strings.HasSuffix(m, "вна") || strings.HasSuffix(m, "чна") || strings.HasSuffix(m, "кызы"):
		return "ж"
	}
	return ""
}

func parseForm(v string) learner.Form {
	switch n := exchange.Normalise(v); {
	case n == "":
		return ""
	case strings.HasPrefix(n, "очно заочн") || strings.HasPrefix(n, "очнозаочн") || strings.HasPrefix(n, "вечерн"):
		return learner.Mixed
	case strings.HasPrefix(n, "заочн"):
		return learner.Distance
	case strings.HasPrefix(n, "очн") || n == "full time":
		return learner.FullTime
	}
	return ""
}

// merge overlays the columns the file has on the stored learner.
func (p *learnerParser) merge(old, in learner.Learner) learner.Learner {
	out := old
	has := p.m.Has
	if has("last_name") || has("full_name") {
		out.LastName, out.FirstName = in.LastName, in.FirstName
		if has("middle_name") || has("full_name") {
			out.MiddleName = in.MiddleName
		}
	}
	if has("sex") || in.Sex != "" {
		out.Sex = in.Sex
	}
	set := func(key string, f func()) {
		if has(key) {
			f()
		}
	}
	set("birth_date", func() { out.BirthDate = in.BirthDate })
	set("snils", func() { out.SNILS = in.SNILS })
	set("external_id", func() { out.ExternalID = in.ExternalID })
	set("group", func() { out.Group = in.Group })
	set("grade", func() { out.Grade = in.Grade })
	set("course", func() { out.Course = in.Course })
	set("graduation_year", func() { out.GraduationYear = in.GraduationYear })
	set("disability", func() { out.Disability = in.Disability })
	set("form", func() { out.Form = in.Form })
	set("municipality", func() { out.MunicipalityID = in.MunicipalityID })
	if has("specialty_code") || has("specialty_name") {
		out.SpecialtyCode = in.SpecialtyCode
	}
	if has("org_inn") || has("org_name") {
		out.OrgID = in.OrgID
	}
	out.Status = in.Status
	return out
}

// courses is the usual length of study by level, in years.
var courses = map[string]int{
	classifier.LevelProfession: 3, classifier.LevelSpecialty: 4, classifier.LevelBachelor: 4,
	classifier.LevelSpecialist: 5, classifier.LevelMaster: 2,
}

// expectedGraduation estimates the graduation year of a student from the
// course and the usual length of the level, when a roster does not give it.
func expectedGraduation(code string, course int, now time.Time) int {
	end := now.Year() // the year the current school year ends
	if now.Month() >= time.September {
		end++
	}
	total := max(courses[classifier.LevelOfCode(code)], course)
	return end + total - course
}
