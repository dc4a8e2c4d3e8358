package imports

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/exchange"
	"marshrut/internal/learner"
	"marshrut/internal/org"
)

// OutcomeLoader is what an import of employment outcomes needs of the Loader
// it runs in, besides FindLearners; store.Loader is one.
type OutcomeLoader interface {
	// RegionOrganisations returns every organisation of the region.
	RegionOrganisations(region string) ([]org.Organisation, error)
	// LearnerOutcomes returns the stored histories of the learners, by id.
	LearnerOutcomes(learnerIDs []int64) (map[int64][]learner.Outcome, error)
	// SaveOutcomes inserts add and rewrites change, then recomputes the
	// current status and the milestones of every learner touched.
	SaveOutcomes(region string, add, change []learner.Outcome) error
}

// OutcomeSource is the source an imported outcome gets when the file names none.
const OutcomeSource = "import"

// historyRow is an outcome read from a row: the learner's СНИЛС stands for
// the learner until the batch is looked up.

// Outcomes imports a report on graduates' employment from t with the columns
// m: each row is one entry of a learner's history, found by СНИЛС in
// opt.Region and, for an organisation's user (opt.OrgID), among its own
// learners only. A row that repeats a stored entry (same learner, status,
// start date and employer) leaves it unchanged, or completes it with the end
// date, source and note the row fills; any other row adds an entry. The
// learners' current status and statuses six and twelve months after
// graduation follow the new history.
func (im *Importer) Outcomes(ctx context.Context, t *exchange.Table, m exchange.Mapping, opt Options) (Report, error) {
	rep, err := begin("outcomes", m, &opt, "не указан регион, сведения о занятости которого загружаются")
	if err != nil {
		return rep, err
	}
	p := &outcomeParser{m: m, opt: opt, employers: map[string]org.Organisation{}}
	seen := map[string]int{} // entry key → line where it first appeared
	err = im.run(ctx, &rep, opt, func(ld Loader) error {
		ol, ok := ld.(OutcomeLoader)
		if !ok {
			return apperr.New(apperr.Internal, "загрузка сведений о занятости невозможна: хранилище (%T) не умеет записывать их", ld)
		}
		orgs, err := ol.RegionOrganisations(opt.Region)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if o.INN != "" {
				if prev, ok := p.employers[o.INN]; !ok || (prev.Kind != org.Employer && o.Kind == org.Employer) {
					p.employers[o.INN] = o
				}
			}
		}
		rules := historyRules{column: p.title("snils"), who: "обучающийся",
			pupil: "обучающийся с этим СНИЛС — школьник: сведения о занятости ведутся для студентов и выпускников",
			entry: sameEntry,
			merge: func(old, in learner.Outcome) (learner.Outcome, []Issue) {
				merged := p.merge(old, in)
				if err := merged.Validate(); err != nil {
					return merged, p.issues(err)
				}
				return merged, nil
			},
			unchanged: sameOutcome}
		var batch []historyRow
		flush := func() error {
			err := saveHistories(&rep, ld, ol, opt, batch, rules)
			batch = batch[:0]
			return err
		}
		err = eachRow(ctx, t, &rep, opt, func(cells exchange.Row) error {
			r, issues := p.parse(cells)
			if len(issues) == 0 {
				key := r.snils + "|" + string(r.o.Status) + "|" + r.o.Start.Format(time.DateOnly) + "|" + employerKey(r.o)
				if first, dup := seen[key]; dup {
					issues = []Issue{{Reason: fmt.Sprintf("повторяет строку %d: те же обучающийся, статус, дата начала и работодатель", first)}}
				} else {
					seen[key] = cells.Line
				}
			}
			if len(issues) > 0 {
				rep.reject(cells.Line, issues)
				return nil
			}
			batch = append(batch, r)
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

// employerKey is how an entry's employer is compared: the registry's id, or
// the normalised name.
func employerKey(o learner.Outcome) string {
	if o.EmployerID != 0 {
		return fmt.Sprint("#", o.EmployerID)
	}
	return exchange.Normalise(o.EmployerName)
}

// sameEntry returns the index in hist of the entry in stands for: the same
// status, start date and employer (by registry id when both have one, else by
// name, since a stored entry reads back with the registry's name); -1 when
// none is.
func sameEntry(hist []learner.Outcome, in learner.Outcome) int {
	for i, o := range hist {
		if o.Status != in.Status || !sameDay(o.Start, in.Start) {
			continue
		}
		if o.EmployerID != 0 && in.EmployerID != 0 {
			if o.EmployerID == in.EmployerID {
				return i
			}
			continue
		}
		if exchange.Normalise(o.EmployerName) == exchange.Normalise(in.EmployerName) {
			return i
		}
	}
	return -1
}

func sameDay(a, b time.Time) bool {
	return a.IsZero() == b.IsZero() && a.Format(time.DateOnly) == b.Format(time.DateOnly)
}

func sameOutcome(a, b learner.Outcome) bool {
	return a.Status == b.Status && a.EmployerID == b.EmployerID && a.EmployerName == b.EmployerName && sameDay(a.Start, b.Start) &&
		sameDay(a.End, b.End) && a.Source == b.Source && a.Note == b.Note
}

// outcomeParser turns rows into outcomes.
type outcomeParser struct {
	m         exchange.Mapping
	opt       Options
	employers map[string]org.Organisation // organisations of the region by ИНН
}

func (p *outcomeParser) title(key string) string { return columnTitle(p.m, key) }

// outcomeColumnOf maps the fields of learner.Outcome.Validate to the file's columns.
var outcomeColumnOf = map[string]string{"start": "start_date", "end": "end_date", "employer_id": "employer_inn"}

func (p *outcomeParser) issues(err error) []Issue {
	var out []Issue
	for _, e := range apperr.Fields(err) {
		col := ""
		if e.Field != "" {
			key := e.Field
			if k, ok := outcomeColumnOf[key]; ok {
				key = k
			}
			col = p.title(key)
		}
		out = append(out, Issue{Column: col, Reason: e.Message})
	}
	return out
}

// merge completes a stored entry with the end date, source and note a row fills.
func (p *outcomeParser) merge(old, in learner.Outcome) learner.Outcome {
	out := old
	if !in.End.IsZero() {
		out.End = in.End
	}
	if p.m.Has("source") && in.Source != OutcomeSource {
		out.Source = in.Source
	}
	if in.Note != "" {
		out.Note = in.Note
	}
	// A stored entry reads back with the registry's name; writing it back as
	// the free-text name changes nothing the user sees.
	return out
}

// parse reads one row.
func (p *outcomeParser) parse(r exchange.Row) (historyRow, []Issue) {
	var issues []Issue
	bad := func(key, format string, args ...any) {
		issues = append(issues, Issue{Column: p.title(key), Reason: fmt.Sprintf(format, args...)})
	}
	get := func(key string) string { return exchange.Clean(p.m.Get(r, key)) }
	out := historyRow{line: r.Line}
	if v := get("snils"); v == "" {
		bad("snils", "не указан СНИЛС: без него обучающегося не найти")
	} else if s, err := learner.NormaliseSNILS(v); err != nil {
		bad("snils", "%s", reason(err))
	} else {
		out.snils = s
	}
	o := &out.o
	if v := get("status"); v == "" {
		bad("status", "не указан статус занятости")
	} else if o.Status = parseOutcomeStatus(v); o.Status == "" {
		bad("status", "статус занятости «%s» не распознан: трудоустроен, самозанятый, продолжает обучение, военная служба, "+
			"отпуск по уходу за ребёнком, безработный, не трудоустроен или нет сведений", v)
	}
	for _, d := range []struct {
		key  string
		into *time.Time
	}{{"start_date", &o.Start}, {"end_date", &o.End}} {
		v := get(d.key)
		if v == "" {
			continue
		}
		t, err := exchange.ParseDate(v)
		if err != nil {
			bad(d.key, "%s", apperr.Message(err))
			continue
		}
		*d.into = t
	}
	if get("start_date") == "" {
		bad("start_date", "не указана дата, с которой действует статус")
	} else if learner.Day(o.Start).After(learner.Day(p.opt.Now)) {
		bad("start_date", "дата начала %s ещё не наступила", o.Start.Format("02.01.2006"))
	}
	o.EmployerName = collapse(get("employer_name"))
	if inn := codeDigits(get("employer_inn")); inn != "" {
		if n := len(inn); allDigits(inn) && (n == 9 || n == 11) {
			inn = "0" + inn
		}
		if err := org.CheckINN(inn); err != nil {
			bad("employer_inn", "%s", reason(err))
		} else if e, ok := p.employers[inn]; ok && e.Kind == org.Employer && o.Status == learner.Employed {
			o.EmployerID, o.EmployerName = e.ID, e.Name
		} else if o.EmployerName == "" {
			switch {
			case o.Status != learner.Employed && ok:
				// Studying, say, at a college of the region: its name tells where.
				o.EmployerName = e.Name
			case o.Status != learner.Employed:
				bad("employer_name", "организация с ИНН %s не найдена в регионе: укажите её наименование", inn)
			case ok:
				bad("employer_inn", "организация «%s» с ИНН %s не является работодателем в реестре региона: укажите наименование работодателя", e.Name, inn)
			default:
				bad("employer_name", "работодатель с ИНН %s не найден в реестре региона: укажите наименование работодателя", inn)
			}
		}
	}
	o.Source = collapse(get("source"))
	if o.Source == "" {
		o.Source = OutcomeSource
	}
	o.Note = collapse(get("note"))
	if len(issues) > 0 {
		return out, issues
	}
	if err := o.Validate(); err != nil {
		return out, p.issues(err)
	}
	return out, nil
}

// parseOutcomeStatus reads a status of employment as reports write it.
func parseOutcomeStatus(v string) learner.OutcomeStatus {
	n := exchange.Normalise(v)
	if s, ok := named(n, learner.OutcomeStatuses); ok {
		return s
	}
	has := func(parts ...string) bool {
		for _, p := range parts {
			if strings.HasPrefix(n, p) || strings.Contains(n, " "+p) {
				return true
			}
		}
		return false
	}
	switch {
	case has("нет сведений", "нет данных", "сведения отсутств", "сведений нет", "неизвест", "не известно", "не установлен"):
		return learner.Unknown
	case has("безработ", "состоит на учет", "на учете в цзн", "зарегистрирован в цзн", "зарегистрирован в центре занятости", "признан безработ"):
		return learner.Unemployed
	case has("не трудоустр", "нетрудоустр", "не работает", "не занят", "незанят"):
		return learner.NotEmployed
	case has("отпуск по уходу", "декрет", "отпуск по беремен", "уход за ребенк"):
		return learner.Parental
	case has("самозанят", "нпд", "собственное дело") || n == "ип" ||
		strings.HasPrefix(n, "ип ") || strings.HasPrefix(n, "индивидуальный предприним") || strings.HasPrefix(n, "предприниматель"):
		return learner.SelfEmployed
	case has("армия", "армии", "военн", "призван", "срочн", "служба в вс", "вс рф", "контракт с минобороны"):
		return learner.Military
	case has("продолж", "учится", "учеба", "обучается", "обучение", "поступил", "студент"):
		return learner.Studying
	case has("трудоустр", "работает", "работа", "занят", "принят на работу"):
		return learner.Employed
	}
	return ""
}

// reason is the message of a field error without its field's name, which the
// issue's column already gives.
func reason(err error) string {
	var e *apperr.Error
	if errors.As(err, &e) && e.Code != apperr.Internal {
		return e.Message
	}
	return apperr.Message(err)
}
