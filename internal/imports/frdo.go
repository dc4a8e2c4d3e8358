package imports

import (
	"context"
	"fmt"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/exchange"
	"marshrut/internal/learner"
)

// DocumentLoader is what an import of the registry's documents needs of the
// Loader it runs in; store.Loader is one.
type DocumentLoader interface {
	// LearnerByName finds the one learner of the region with this name and
	// birth date (at orgID when it is not zero).
	LearnerByName(region string, orgID int64, last, first, middle string, birth time.Time) (learner.Learner, bool, error)
	// SaveDocuments writes documents, each replacing the one of the same
	// organisation, series and number.
	SaveDocuments(region string, docs []learner.Document) (created, updated, same int, err error)
}

// FRDO imports the file a college or university fills for the federal
// registry of education documents (ФИС ФРДО): one document a row, naming its
// holder. The holder, found by СНИЛС or else by name and birth date among the
// organisation's learners, becomes a graduate of the year the row gives, in
// the specialty it gives, and the document is kept. A row whose holder is not
// in the region is refused: the file records graduation, it does not enrol.
// Loading the same file again changes nothing.
func (im *Importer) FRDO(ctx context.Context, t *exchange.Table, m exchange.Mapping, opt Options) (Report, error) {
	rep, err := begin("frdo", m, &opt, "не указан регион, выпускники которого загружаются")
	if err != nil {
		return rep, err
	}
	dir, err := im.directory(ctx, opt.Region)
	if err != nil {
		return rep, err
	}
	title := func(key string) string { return columnTitle(m, key) }
	seen := map[string]int{}
	err = im.run(ctx, &rep, opt, func(ld Loader) error {
		dl, ok := ld.(DocumentLoader)
		if !ok {
			return apperr.New(apperr.Internal, "загрузка документов ФИС ФРДО невозможна: хранилище (%T) не умеет записывать их", ld)
		}
		return eachRow(ctx, t, &rep, opt, func(cells exchange.Row) error {
			fr, issues := parseFRDO(m, cells, opt.Now, dir)
			doc, snils, last, first, middle, birth, year := fr.doc, fr.snils, fr.last, fr.first, fr.middle, fr.birth, fr.doc.GraduationYear
			if len(issues) == 0 {
				key := doc.Series + "|" + doc.Number
				if first, dup := seen[key]; dup {
					issues = append(issues, Issue{Column: title("doc_number"), Reason: fmt.Sprintf("документ %s %s уже указан в строке %d", doc.Series, doc.Number, first)})
				} else {
					seen[key] = cells.Line
				}
			}
			if len(issues) > 0 {
				rep.reject(cells.Line, issues)
				return nil
			}

			var l learner.Learner
			found := false
			if snils != "" {
				byKey, err := ld.FindLearners(opt.Region, []learner.Key{{SNILS: snils}})
				if err != nil {
					return err
				}
				l, found = byKey[learner.Key{SNILS: snils}]
			} else {
				var err error
				if l, found, err = dl.LearnerByName(opt.Region, opt.OrgID, last, first, middle, birth); err != nil {
					return err
				}
			}
			switch {
			case !found || (opt.OrgID != 0 && l.OrgID != opt.OrgID):
				where := "в регионе"
				if opt.OrgID != 0 {
					where = "среди обучающихся вашей организации"
				}
				rep.reject(cells.Line, []Issue{{Reason: fmt.Sprintf("получатель документа не найден %s ни по СНИЛС, ни по ФИО и дате рождения: загрузите сначала список обучающихся", where)}})
				return nil
			case l.Status == learner.Pupil:
				rep.reject(cells.Line, []Issue{{Reason: "получатель документа — школьник: ФИС ФРДО загружается для выпускников колледжей и вузов"}})
				return nil
			case !l.BirthDate.IsZero() && !birth.IsZero() && !sameDay(l.BirthDate, birth):
				rep.reject(cells.Line, []Issue{{Column: title("birth_date"), Reason: "дата рождения получателя не совпадает с датой рождения обучающегося с этим СНИЛС"}})
				return nil
			}
			grad := l
			grad.Status, grad.GraduationYear = learner.Graduate, year
			if doc.SpecialtyCode != "" {
				grad.SpecialtyCode = doc.SpecialtyCode
			}
			if grad.Form == "" {
				grad.Form = learner.FullTime
			}
			if err := grad.Validate(opt.Now); err != nil {
				var is []Issue
				for _, e := range apperr.Fields(err) {
					is = append(is, Issue{Reason: e.Message})
				}
				rep.reject(cells.Line, is)
				return nil
			}
			changed := !learner.SameRecord(l, grad)
			if changed {
				if err := ld.UpdateLearners([]learner.Learner{grad}); err != nil {
					return err
				}
			}
			doc.LearnerID, doc.OrgID = l.ID, l.OrgID
			created, updated, _, err := dl.SaveDocuments(opt.Region, []learner.Document{doc})
			if err != nil {
				return err
			}
			switch {
			case created > 0:
				rep.Created++
			case updated > 0 || changed:
				rep.Updated++
			default:
				rep.Unchanged++
			}
			return nil
		})
	})
	return rep, err
}

// frdoRow is a document read from a row, with what finds its holder.
type frdoRow struct {
	doc                 learner.Document
	snils               string
	last, first, middle string
	birth               time.Time
}

// parseFRDO reads one row of the registry's file.
func parseFRDO(m exchange.Mapping, cells exchange.Row, now time.Time, dir *directory) (frdoRow, []Issue) {
	title := func(key string) string { return columnTitle(m, key) }
	get := func(key string) string { return exchange.Clean(m.Get(cells, key)) }
	var issues []Issue
	bad := func(key, format string, args ...any) {
		issues = append(issues, Issue{Column: title(key), Reason: fmt.Sprintf(format, args...)})
	}
	var out frdoRow
	out.last, out.first, out.middle = collapse(get("last_name")), collapse(get("first_name")), collapse(get("middle_name"))
	if out.last == "" {
		bad("last_name", "не указана фамилия получателя")
	}
	if out.first == "" {
		bad("first_name", "не указано имя получателя")
	}
	var issued time.Time
	for _, d := range []struct {
		key, what string
		into      *time.Time
	}{{"birth_date", "дата рождения получателя", &out.birth}, {"issue_date", "дата выдачи документа", &issued}} {
		v := get(d.key)
		if v == "" {
			bad(d.key, "не указана %s", d.what)
			continue
		}
		t, err := exchange.ParseDate(v)
		if err != nil {
			bad(d.key, "%s", apperr.Message(err))
			continue
		}
		*d.into = t
	}
	if !issued.IsZero() && learner.Day(issued).After(learner.Day(now)) {
		bad("issue_date", "дата выдачи %s ещё не наступила", issued.Format("02.01.2006"))
	}
	if v := get("snils"); v != "" {
		s, err := learner.NormaliseSNILS(v)
		if err != nil {
			bad("snils", "%s", reason(err))
		}
		out.snils = s
	}
	doc := learner.Document{Series: collapse(get("doc_series")), Number: collapse(get("doc_number")), Issued: issued,
		RegNumber: collapse(get("reg_number")), Name: collapse(get("doc_name")), Qualification: collapse(get("qualification"))}
	if doc.Number == "" {
		bad("doc_number", "не указан номер документа")
	}
	if v := get("graduation_year"); v == "" {
		bad("graduation_year", "не указан год окончания")
	} else if n, err := exchange.ParseInt(v); err != nil || n < 1970 || n > now.Year() {
		bad("graduation_year", "год окончания «%s» должен быть числом от 1970 до %d", v, now.Year())
	} else {
		doc.GraduationYear = n
	}
	if code := strings.TrimSpace(get("specialty_code")); code != "" {
		if c := firstWord(code); dir.specialties[c] {
			doc.SpecialtyCode = c
		} else {
			bad("specialty_code", "специальность «%s» не найдена в классификаторе ОКСО", code)
		}
	} else if name := get("specialty_name"); name != "" {
		if c, ok := dir.specialtyByName[exchange.Normalise(name)]; ok {
			doc.SpecialtyCode = c
		}
	}
	out.doc = doc
	return out, issues
}

// firstWord is the code of «15.02.08 Технология машиностроения».
func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return s
}
