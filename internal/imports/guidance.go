package imports

import (
	"context"
	"fmt"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/exchange"
	"marshrut/internal/guidance"
	"marshrut/internal/learner"
)

// GuidanceLoader is what an import of guidance participation needs of the
// Loader it runs in; store.Loader is one.
type GuidanceLoader interface {
	DocumentLoader
	// SchoolEvent returns the id of the event of this organiser, title and
	// day, writing e when there is none.
	SchoolEvent(e guidance.Event) (id int64, created bool, err error)
	// Participate marks the learners not yet marked at the event.
	Participate(eventID int64, ids []int64) (int, error)
}

// guidanceRow is a pupil at an event, read from a row.
type guidanceRow struct {
	snils               string
	last, first, middle string
	birth               time.Time
	grade               int
	event               guidance.Event
}

// Guidance imports a school's list of pupils who took part in career-guidance
// events, as the reports of «Билет в будущее» and «Россия — мои горизонты»
// give it: a pupil (by СНИЛС, or by name and birth date among the school's
// pupils), the event, its date and hours. Each event of the file becomes an
// event of the school (found again by its title and date), and each row the
// pupil's participation, so the school's coverage and профминимум hours
// count it. Loading the same file again changes nothing.
func (im *Importer) Guidance(ctx context.Context, t *exchange.Table, m exchange.Mapping, opt Options) (Report, error) {
	if opt.Region != "" && opt.OrgID == 0 {
		return Report{Kind: "guidance", DryRun: opt.DryRun}, apperr.Field("org", "укажите школу, чей список участников загружается")
	}
	rep, err := begin("guidance", m, &opt, "не указан регион")
	if err != nil {
		return rep, err
	}
	title := func(key string) string { return columnTitle(m, key) }
	events := map[string]int64{}
	err = im.run(ctx, &rep, opt, func(ld Loader) error {
		gl, ok := ld.(GuidanceLoader)
		if !ok {
			return apperr.New(apperr.Internal, "загрузка участия в профориентации невозможна: хранилище (%T) не умеет записывать её", ld)
		}
		return eachRow(ctx, t, &rep, opt, func(cells exchange.Row) error {
			g, issues := parseGuidance(m, cells, opt.Now)
			if len(issues) > 0 {
				rep.reject(cells.Line, issues)
				return nil
			}
			var l learner.Learner
			found := false
			if g.snils != "" {
				byKey, err := ld.FindLearners(opt.Region, []learner.Key{{SNILS: g.snils}})
				if err != nil {
					return err
				}
				l, found = byKey[learner.Key{SNILS: g.snils}]
			} else {
				var err error
				if l, found, err = gl.LearnerByName(opt.Region, opt.OrgID, g.last, g.first, g.middle, g.birth); err != nil {
					return err
				}
			}
			switch {
			case !found || l.OrgID != opt.OrgID:
				rep.reject(cells.Line, []Issue{{Reason: "школьник не найден среди обучающихся школы ни по СНИЛС, ни по ФИО и дате рождения"}})
				return nil
			case l.Status != learner.Pupil:
				rep.reject(cells.Line, []Issue{{Reason: "участник не школьник: загружается участие школьников"}})
				return nil
			case g.grade != 0 && g.grade != l.Grade:
				rep.reject(cells.Line, []Issue{{Column: title("grade"), Reason: fmt.Sprintf("класс %d не совпадает с классом школьника в списке (%d)", g.grade, l.Grade)}})
				return nil
			}
			e := g.event
			e.RegionCode, e.OrganiserID = opt.Region, opt.OrgID
			e.GradeFrom, e.GradeTo = 6, 11
			if l.Grade < 6 {
				e.GradeFrom = l.Grade
			}
			key := e.Title + "|" + e.HeldOn.Format(time.DateOnly)
			id, ok := events[key]
			if !ok {
				if err := e.Validate(); err != nil {
					var is []Issue
					for _, fe := range apperr.Fields(err) {
						is = append(is, Issue{Reason: fe.Message})
					}
					rep.reject(cells.Line, is)
					return nil
				}
				var err error
				if id, _, err = gl.SchoolEvent(e); err != nil {
					return err
				}
				events[key] = id
			}
			n, err := gl.Participate(id, []int64{l.ID})
			if err != nil {
				return err
			}
			if n > 0 {
				rep.Created++
			} else {
				rep.Unchanged++
			}
			return nil
		})
	})
	return rep, err
}

// parseGuidance reads one row of a list of participants.
func parseGuidance(m exchange.Mapping, cells exchange.Row, now time.Time) (guidanceRow, []Issue) {
	get := func(key string) string { return exchange.Clean(m.Get(cells, key)) }
	var issues []Issue
	bad := func(key, format string, args ...any) {
		issues = append(issues, Issue{Column: columnTitle(m, key), Reason: fmt.Sprintf(format, args...)})
	}
	var g guidanceRow
	g.last, g.first, g.middle = collapse(get("last_name")), collapse(get("first_name")), collapse(get("middle_name"))
	if g.last == "" && g.first == "" {
		g.last, g.first, g.middle = exchange.SplitFullName(get("full_name"))
	}
	if v := get("snils"); v != "" {
		s, err := learner.NormaliseSNILS(v)
		if err != nil {
			bad("snils", "%s", reason(err))
		}
		g.snils = s
	}
	if v := get("birth_date"); v != "" {
		d, err := exchange.ParseDate(v)
		if err != nil {
			bad("birth_date", "%s", apperr.Message(err))
		}
		g.birth = d
	}
	if g.snils == "" && (g.last == "" || g.first == "" || g.birth.IsZero()) {
		issues = append(issues, Issue{Reason: "нет ни СНИЛС, ни фамилии, имени и даты рождения: школьника не найти"})
	}
	if v := get("grade"); v != "" {
		n, err := exchange.ParseInt(strings.TrimSpace(strings.TrimRightFunc(v, func(r rune) bool { return r < '0' || r > '9' })))
		if err != nil || n < 1 || n > 11 {
			bad("grade", "класс «%s» должен быть числом от 1 до 11", v)
		}
		g.grade = n
	}
	e := &g.event
	e.Title = collapse(get("event"))
	if e.Title == "" {
		bad("event", "не указано мероприятие")
	}
	if v := get("date"); v == "" {
		bad("date", "не указана дата проведения")
	} else if d, err := exchange.ParseDate(v); err != nil {
		bad("date", "%s", apperr.Message(err))
	} else if learner.Day(d).After(learner.Day(now)) {
		bad("date", "дата %s ещё не наступила", d.Format("02.01.2006"))
	} else {
		e.HeldOn = d
	}
	e.Hours = 1
	if v := get("hours"); v != "" {
		n, err := exchange.ParseInt(v)
		if err != nil || n < 1 || n > 72 {
			bad("hours", "часы «%s» должны быть числом от 1 до 72", v)
		}
		e.Hours = n
	}
	project := exchange.Normalise(get("project"))
	t := exchange.Normalise(e.Title)
	e.Ticket = strings.Contains(project, "билет в будущее") || strings.Contains(t, "билет в будущее")
	switch {
	case strings.Contains(project, "горизонт") || strings.Contains(t, "горизонт"):
		e.Kind = guidance.Horizons
	case strings.Contains(t, "проб"):
		e.Kind = guidance.Proba
	case strings.Contains(t, "экскурс"):
		e.Kind = guidance.Excursion
	case strings.Contains(t, "ярмарк"):
		e.Kind = guidance.Fair
	case strings.Contains(t, "встреч"):
		e.Kind = guidance.Meeting
	case strings.Contains(t, "диагност") || strings.Contains(t, "онлайн") || strings.Contains(t, "тест"):
		e.Kind = guidance.Online
	default:
		e.Kind = guidance.Other
	}
	return g, issues
}
