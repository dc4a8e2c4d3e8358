package imports

import (
	"context"
	"fmt"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/exchange"
	"marshrut/internal/learner"
	"marshrut/internal/org"
)

// SFR imports an answer of the social fund (СФР) on the employment of
// graduates, received through interagency exchange for a request made with
// SFRRequest: one period of work a row (СНИЛС, employer's ИНН and name, start
// and end). Each period becomes an entry of the learner's history with the
// source learner.SourceSFR, which the one rule of learner.Resolve prefers to
// a college's entry on the days both cover. The fund is the source that rules
// on what it reports: an employer's ИНН failing its check digits is dropped
// and the row kept and flagged. A period already loaded (same learner, start
// and employer) is completed with its end, never doubled, so loading the same
// answer twice changes nothing.
func (im *Importer) SFR(ctx context.Context, t *exchange.Table, m exchange.Mapping, opt Options) (Report, error) {
	rep, err := begin("sfr", m, &opt, "не указан регион, сведения о занятости которого загружаются")
	if err != nil {
		return rep, err
	}
	title := func(key string) string { return columnTitle(m, key) }
	employers := map[string]org.Organisation{}
	seen := map[string]int{}
	err = im.run(ctx, &rep, opt, func(ld Loader) error {
		ol, ok := ld.(OutcomeLoader)
		if !ok {
			return apperr.New(apperr.Internal, "загрузка ответа СФР невозможна: хранилище (%T) не умеет записывать сведения о занятости", ld)
		}
		orgs, err := ol.RegionOrganisations(opt.Region)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if o.INN != "" && o.Kind == org.Employer {
				employers[o.INN] = o
			}
		}
		rules := historyRules{column: title("snils"), who: "выпускник",
			pupil: "СНИЛС принадлежит школьнику: сведения о занятости ведутся для студентов и выпускников",
			entry: sfrEntry,
			merge: func(old, in learner.Outcome) (learner.Outcome, []Issue) {
				old.End, old.EmployerINN, old.Status = in.End, in.EmployerINN, in.Status
				if in.EmployerID != 0 {
					old.EmployerID, old.EmployerName = in.EmployerID, in.EmployerName
				}
				return old, nil
			},
			unchanged: func(old, merged learner.Outcome) bool {
				return sameOutcome(old, merged) && old.EmployerINN == merged.EmployerINN
			}}
		var batch []historyRow
		flush := func() error {
			err := saveHistories(&rep, ld, ol, opt, batch, rules)
			batch = batch[:0]
			return err
		}
		err = eachRow(ctx, t, &rep, opt, func(cells exchange.Row) error {
			r, note, issues := parseSFR(m, cells, opt.Now, employers)
			if len(issues) == 0 {
				key := r.snils + "|" + r.o.Start.Format(time.DateOnly) + "|" + r.o.EmployerINN + "|" + exchange.Normalise(r.o.EmployerName)
				if first, dup := seen[key]; dup {
					issues = []Issue{{Reason: fmt.Sprintf("повторяет строку %d: тот же СНИЛС, работодатель и дата начала периода", first)}}
				} else {
					seen[key] = cells.Line
				}
			}
			if len(issues) > 0 {
				rep.reject(cells.Line, issues)
				return nil
			}
			if note != nil {
				rep.flag(cells.Line, *note)
			}
			batch = append(batch, r)
			if len(batch) >= batchSize {
				return flush()
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

// sfrEntry returns the index in hist of the fund's entry in stands for: the
// fund's, of the same start and employer (by ИНН when both have one, else by
// name); -1 when there is none.
func sfrEntry(hist []learner.Outcome, in learner.Outcome) int {
	for i, o := range hist {
		if o.Source != learner.SourceSFR || !sameDay(o.Start, in.Start) {
			continue
		}
		if o.EmployerINN != "" && in.EmployerINN != "" {
			if o.EmployerINN == in.EmployerINN {
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

// parseSFR reads one row of the fund's answer; note is a remark on a row kept.
func parseSFR(m exchange.Mapping, r exchange.Row, now time.Time, employers map[string]org.Organisation) (historyRow, *Issue, []Issue) {
	var issues []Issue
	bad := func(key, format string, args ...any) {
		issues = append(issues, Issue{Column: columnTitle(m, key), Reason: fmt.Sprintf(format, args...)})
	}
	get := func(key string) string { return exchange.Clean(m.Get(r, key)) }
	out := historyRow{line: r.Line}
	if v := get("snils"); v == "" {
		bad("snils", "не указан СНИЛС")
	} else if s, err := learner.NormaliseSNILS(v); err != nil {
		bad("snils", "%s", reason(err))
	} else {
		out.snils = s
	}
	o := &out.o
	o.Source, o.Status = learner.SourceSFR, learner.Employed
	if k := exchange.Normalise(get("kind")); k == "ип" || strings.HasPrefix(k, "ип ") || strings.Contains(k, "предприним") ||
		strings.Contains(k, "самозанят") || strings.Contains(k, "нпд") {
		o.Status = learner.SelfEmployed
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
	switch {
	case get("start_date") == "":
		bad("start_date", "не указана дата начала периода работы")
	case learner.Day(o.Start).After(learner.Day(now)):
		bad("start_date", "дата начала %s ещё не наступила", o.Start.Format("02.01.2006"))
	case !o.End.IsZero() && o.End.Before(o.Start):
		bad("end_date", "дата окончания %s раньше даты начала %s", o.End.Format("02.01.2006"), o.Start.Format("02.01.2006"))
	}
	o.EmployerName = collapse(get("employer_name"))
	if o.EmployerName == "" {
		bad("employer_name", "не указано наименование страхователя (работодателя)")
	}
	var note *Issue
	if inn := codeDigits(get("employer_inn")); inn != "" {
		if n := len(inn); allDigits(inn) && (n == 9 || n == 11) {
			inn = "0" + inn
		}
		if err := org.CheckINN(inn); err != nil {
			// The fund rules on its own records: the period stands, unlinked.
			note = &Issue{Column: columnTitle(m, "employer_inn"), Reason: fmt.Sprintf("%s; период работы принят без ИНН работодателя", reason(err))}
		} else {
			o.EmployerINN = inn
			if e, ok := employers[inn]; ok && o.Status == learner.Employed {
				o.EmployerID, o.EmployerName = e.ID, e.Name
			}
		}
	}
	if len(issues) > 0 {
		return out, nil, issues
	}
	if err := o.Validate(); err != nil {
		var is []Issue
		for _, e := range apperr.Fields(err) {
			is = append(is, Issue{Reason: e.Message})
		}
		return out, nil, is
	}
	return out, note, nil
}
