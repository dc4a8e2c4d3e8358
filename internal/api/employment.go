package api

import (
	"net/http"

	"marshrut/internal/analytics"
)

// The report of graduate employment goes through analytics.Service with the
// caller's scope: counts of the graduates the caller sees, never a person.

// employmentCuts are the values of ?by= of the report.
var employmentCuts = []string{"org", "specialty", "municipality"}

// employmentRowDTO is the employment of one organisation's, specialty's or
// municipality's graduates of one year, or of all of them (a total).
type employmentRowDTO struct {
	Key         string  `json:"key"`
	Name        string  `json:"name"`
	Year        int     `json:"year"`
	Graduates   int     `json:"graduates"`
	Employed6m  int     `json:"employed_6m"`
	Share6m     float64 `json:"share_6m"`
	Employed12m int     `json:"employed_12m"`
	Share12m    float64 `json:"share_12m"`
	Retained    int     `json:"retained"`
	Retention   float64 `json:"retention"`
	Unknown6m   int     `json:"unknown_6m"`
	Unknown12m  int     `json:"unknown_12m"`
}

func fromEmploymentRow(r analytics.EmploymentRow) employmentRowDTO {
	return employmentRowDTO{Key: r.Key, Name: r.Name, Year: r.Year, Graduates: r.Graduates, Employed6m: r.Employed6, Share6m: r.Share6(),
		Employed12m: r.Employed12, Share12m: r.Share12(), Retained: r.Retained, Retention: r.Retention(),
		Unknown6m: r.Unknown6, Unknown12m: r.Unknown12}
}

// ratingRowDTO is the national rating's two indicators for one organisation
// or specialty; the median salary is null when no salary is recorded.
type ratingRowDTO struct {
	Key          string  `json:"key"`
	Name         string  `json:"name"`
	Graduates    int     `json:"graduates"`
	Working      int     `json:"working"`
	Share        float64 `json:"share"`
	MedianSalary *int    `json:"median_salary"`
	WithSalary   int     `json:"with_salary"`
}

func fromRatingRow(r analytics.RatingRow) ratingRowDTO {
	d := ratingRowDTO{Key: r.Key, Name: r.Name, Graduates: r.Graduates, Working: r.Working, Share: r.Share(), WithSalary: r.WithSalary}
	if r.WithSalary > 0 {
		m := r.MedianSalary
		d.MedianSalary = &m
	}
	return d
}

// employmentDTO is the report: rows by the cut over three graduation years,
// totals by year, and the rating of one year.
type employmentDTO struct {
	By         string             `json:"by"`
	Years      []int              `json:"years"`
	Rows       []employmentRowDTO `json:"rows"`
	Total      []employmentRowDTO `json:"total"`
	RatingYear int                `json:"rating_year"`
	Rating     []ratingRowDTO     `json:"rating"`
}

func fromEmployment(rep analytics.EmploymentReport) employmentDTO {
	years := rep.Years
	if years == nil {
		years = []int{}
	}
	return employmentDTO{By: rep.By, Years: years, Rows: mapSlice(rep.Rows, fromEmploymentRow), Total: mapSlice(rep.Total, fromEmploymentRow),
		RatingYear: rep.RatingYear, Rating: mapSlice(rep.Rating, fromRatingRow)}
}

// employment answers the report of graduate employment within the caller's scope.
func (a *api) employment(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	by := q.oneOf("by", employmentCuts...)
	if err := q.err(); err != nil {
		return err
	}
	rep, err := a.d.Analytics.Employment(r.Context(), c.scope, by)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromEmployment(rep))
	return nil
}
