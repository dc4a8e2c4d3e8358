package web

import (
	"marshrut/internal/auth"
	"net/http"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/classifier"
	"marshrut/internal/vacancy"
)

// vacanciesPage is the list of vacancies with its filter.
type vacanciesPage struct {
	Filter vacancy.Filter
	Items  []vacancy.Vacancy
	Total  int
	Pager  pager
	Error  string
}

// Vacancies is the list of the region's vacancies with the specialties they suit.
func (w *Web) Vacancies(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := vacancy.Filter{RegionCode: w.d.Region, Query: strings.TrimSpace(q.Get("q")), SpecialtyCode: strings.TrimSpace(q.Get("specialty")),
		WithClosed: q.Get("closed") == "1", Limit: perPage, Offset: (pageOf(r) - 1) * perPage}
	data := vacanciesPage{Filter: f}
	status := http.StatusOK
	var err error
	if f.SpecialtyCode != "" {
		err = classifier.CheckSpecialtyCode("specialty", f.SpecialtyCode)
	}
	if err == nil {
		data.Items, data.Total, err = w.d.Vacancies.Vacancies(r.Context(), f)
		data.Pager = newPager(r, data.Total)
	}
	if apperr.Is(err, apperr.Invalid) {
		data.Error, status = apperr.Text(err), http.StatusBadRequest
	} else if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, status, "vacancies", "vacancies", data)
}

// vacancyPage is a vacancy's card.
type vacancyPage struct {
	Vacancy    vacancy.Vacancy
	Links      []vacancy.Link
	CanRespond bool
	Error      string
}

// Vacancy is a vacancy's card with the specialties it is linked to and why.
func (w *Web) Vacancy(rw http.ResponseWriter, r *http.Request) {
	v, err := w.d.Vacancies.Vacancy(r.Context(), r.PathValue("id"))
	if err == nil && v.RegionCode != w.d.Region {
		err = apperr.New(apperr.NotFound, "вакансия не найдена")
	}
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	links, err := w.d.Vacancies.Links(r.Context(), v.ID)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	_, sc, _ := auth.Caller(r.Context())
	w.render(rw, r, http.StatusOK, "vacancy", "vacancies", vacancyPage{Vacancy: v, Links: links,
		CanRespond: sc.Role == auth.Learner && w.d.Youth != nil && !v.Closed, Error: r.URL.Query().Get("error")})
}
