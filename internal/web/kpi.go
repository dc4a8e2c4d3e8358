package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/kpi"
	"marshrut/internal/learner"
)

// measuresPage is the catalogue of headline measures: each with its value
// in the caller's scope, its target for the year and the form to set it.
type measuresPage struct {
	Doc     kpi.Document
	Targets map[string]kpi.Target
	CanSet  bool
	Years   []int
	Done    bool
	Fail    string
}

// MeasureCatalogue lists every headline measure with its value and target.
func (w *Web) MeasureCatalogue(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	doc, err := w.d.KPI.Document(r.Context(), sc, kpi.Scope{}, time.Time{})
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	targets, err := w.d.KPI.Targets(r.Context(), sc.RegionCode, doc.TargetYear)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	q := r.URL.Query()
	y := doc.TargetYear
	w.render(rw, r, http.StatusOK, "kpi", "monitoring", measuresPage{Doc: doc, Targets: targets, CanSet: kpi.CanSetTargets(sc),
		Years: []int{y, y + 1}, Done: q.Get("done") == "target", Fail: q.Get("error")})
}

// measurePage is how one measure is counted.
type measurePage struct {
	Measure kpi.Measure
	Item    kpi.Item
	HasItem bool
	Twin    *kpi.Item
	Doc     kpi.Document
	Rule    string // the rule of statuses over time, for measures of statuses
	History []kpi.Target
	CanSet  bool
	Years   []int
}

// MeasurePage is a measure's «Как считается»: definition, formula, data,
// the people without a known status, the other ministry's variant beside
// it, and its targets with their history.
func (w *Web) MeasurePage(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	m, ok := kpi.Lookup(r.PathValue("code"))
	if !ok {
		w.Error(rw, r, apperr.New(apperr.NotFound, "показатель не найден"))
		return
	}
	doc, err := w.d.KPI.Document(r.Context(), sc, kpi.Scope{}, time.Time{})
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	p := measurePage{Measure: m, Doc: doc, CanSet: kpi.CanSetTargets(sc), Years: []int{doc.TargetYear, doc.TargetYear + 1}}
	p.Item, p.HasItem = doc.Item(m.Code)
	if t, ok := doc.Item(m.Twin); ok && m.Twin != "" {
		p.Twin = &t
	}
	if m.Status || strings.HasPrefix(m.Code, "employment") || strings.HasPrefix(m.Code, "retention") || m.Code == "rating" {
		p.Rule = learner.Rule
	}
	if p.History, err = w.d.KPI.TargetHistory(r.Context(), sc, m.Code); err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "kpi_measure", "monitoring", p)
}

// SetTarget records a measure's target for a year from the catalogue's form.
func (w *Web) SetTarget(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	code := r.PostFormValue("code")
	year, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("year")))
	if err != nil {
		err = apperr.Field("year", "год «%s» не является числом", r.PostFormValue("year"))
	}
	var percent *float64
	if v := strings.TrimSpace(strings.ReplaceAll(strings.TrimSuffix(strings.TrimSpace(r.PostFormValue("value")), "%"), ",", ".")); v != "" && err == nil {
		p, perr := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if perr != nil {
			err = apperr.Field("value", "цель «%s» не является числом процентов", r.PostFormValue("value"))
		}
		percent = &p
	}
	if err == nil {
		err = w.d.KPI.SetTarget(r.Context(), sc, code, year, percent, r.PostFormValue("note"))
	}
	back := "/monitoring/measures"
	if r.PostFormValue("back") == "measure" {
		if _, ok := kpi.Lookup(code); ok {
			back += "/" + code
		}
	}
	w.afterPost(rw, r, back, "target", err)
}
