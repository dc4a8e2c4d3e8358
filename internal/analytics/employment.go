package analytics

import (
	"context"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
)

// EmploymentRow is the employment of one organisation's, specialty's or
// municipality's graduates of one year: at six and twelve months, kept
// (working at both), and not known.
type EmploymentRow struct {
	Key        string // organisation or municipality id, or specialty code
	Name       string
	Year       int
	Graduates  int
	Employed6  int // at work, in study or in service six months after graduation
	Employed12 int
	Retained   int // of Employed6, still so at twelve months
	Unknown6   int // status at six months not known
	Unknown12  int
	// UnknownThenEmployed is of Unknown6, at work twelve months on: with it
	// the graduates split into parts that do not overlap (the federal
	// rollup protects each part).
	UnknownThenEmployed int
}

// Share6 is Employed6 of Graduates, 0–1.
func (r EmploymentRow) Share6() float64 { return ratio(r.Employed6, r.Graduates) }

// Share12 is Employed12 of Graduates.
func (r EmploymentRow) Share12() float64 { return ratio(r.Employed12, r.Graduates) }

// Retention is Retained of Employed6.
func (r EmploymentRow) Retention() float64 { return ratio(r.Retained, r.Employed6) }

// RatingRow is the two indicators of the national rating of graduate
// employment for one organisation or specialty and graduation year: the
// share of graduates at work (employed or self-employed) at some time in the
// second year after graduation (the calendar year after it), and the median
// monthly salary of those whose salary is recorded.
type RatingRow struct {
	Key          string
	Name         string
	Year         int
	Graduates    int
	Working      int
	WithSalary   int
	MedianSalary int // 0 when no salary is recorded
}

// Share is Working of Graduates.
func (r RatingRow) Share() float64 { return ratio(r.Working, r.Graduates) }

func ratio(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// EmploymentReport is graduate employment by a cut over recent years, with
// the national rating's indicators for one year.
type EmploymentReport struct {
	By         string
	Years      []int
	Rows       []EmploymentRow
	Total      []EmploymentRow // by year, over all rows
	RatingYear int
	Rating     []RatingRow
}

// Employment reports graduate employment by organisation ("org"), specialty
// or municipality for the last three graduation years whose six months
// have passed, and the rating indicators of the latest year whose second
// year after graduation has begun.
func (s *Service) Employment(ctx context.Context, sc auth.Scope, by string) (EmploymentReport, error) {
	switch by {
	case "", "org":
		by = "org"
	case "specialty", "municipality":
	default:
		return EmploymentReport{}, apperr.Field("by", "неизвестный разрез «%s»: org, specialty или municipality", by)
	}
	now := s.now()
	last := now.Year()
	if learner.GraduationDay(last).AddDate(0, 6, 0).After(now) {
		last--
	}
	rep := EmploymentReport{By: by, Years: []int{last - 2, last - 1, last}, RatingYear: now.Year() - 1}
	var err error
	if rep.Rows, err = s.store.Employment(ctx, sc, by, rep.Years); err != nil {
		return rep, err
	}
	for _, y := range rep.Years {
		t := EmploymentRow{Name: "Всего", Year: y}
		for _, r := range rep.Rows {
			if r.Year == y {
				t.Graduates += r.Graduates
				t.Employed6 += r.Employed6
				t.Employed12 += r.Employed12
				t.Retained += r.Retained
				t.Unknown6 += r.Unknown6
				t.Unknown12 += r.Unknown12
			}
		}
		rep.Total = append(rep.Total, t)
	}
	ratingBy := by
	if ratingBy == "municipality" {
		ratingBy = "org"
	}
	rep.Rating, err = s.store.Rating(ctx, sc, ratingBy, rep.RatingYear)
	return rep, err
}
