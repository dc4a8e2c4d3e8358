package web

import (
	"io"
	"marshrut/internal/kpi"
	"marshrut/internal/learner"
	"net/http"
	"strconv"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/rollup"
)

// maxBundle is the largest signed bundle a page accepts.
const maxBundle = 900 << 10

// measureTitles name the measures of the bundles' tables.
var measureTitles = map[string]string{
	"count": "человек", "pupils": "школьников 6–11 классов", "reached": "охвачено профориентацией", "seniors": "школьников 9–11 классов",
	"informed": "проинформировано о целевом обучении", "hours_met": "с часами профминимума", "ticket": "в «Билете в будущее»",
	"graduates": "выпускников", "employed6": "заняты через 6 месяцев", "employed12": "заняты через 12 месяцев", "retained": "сохранили занятость",
	"unknown6": "нет сведений через 6 месяцев", "scored": "оценено", "at_risk": "в зоне риска", "with_case": "со случаем",
	"with_case_working": "со случаем: работают", "without_case": "без случая", "without_case_working": "без случая: работают",
	"open": "случаев открыто", "closed": "случаев закрыто",
	"denominator": "база показателя", "numerator": "в числителе", "unknown": "нет сведений о статусе",
}

// dimValue is a dimension's value as a person reads it: a status or a
// measure by its name, anything else as it is.
func dimValue(v string) string {
	if st := learner.Status(v); st.Valid() {
		return st.Name()
	}
	if m, ok := kpi.Lookup(v); ok {
		return m.Name
	}
	return v
}

var tableTitles = map[string]string{
	"learners": "Обучающиеся", "guidance": "Профориентация по муниципалитетам", "employment": "Трудоустройство по муниципалитетам",
	"specialties": "Трудоустройство по специальностям", "early_warning": "Раннее предупреждение",
	"measures": "Ключевые показатели",
}

// federalPage is the comparison of the regions, with the forms that import a
// bundle and trust a region's key.
type federalPage struct {
	Rows      []rollup.RegionRow
	Chart     *federalChart
	CanImport bool
	CanTrust  bool
	Done      string
	Error     string
	Threshold int
}

// Federal is the comparison of the regions whose bundles the installation holds.
func (w *Web) Federal(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	rows, err := w.d.Rollup.Compare(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	q := r.URL.Query()
	w.render(rw, r, http.StatusOK, "federal", "federal", federalPage{Rows: rows, Chart: regionsChart(rows), CanImport: rollup.CanImport(sc), CanTrust: rollup.CanTrust(sc),
		Done: q.Get("done"), Error: q.Get("error"), Threshold: rollup.Threshold})
}

// FederalImport takes a signed bundle from the form.
func (w *Web) FederalImport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	file, _, err := r.FormFile("bundle")
	if err != nil {
		w.afterPost(rw, r, "/federal", "", apperr.Field("bundle", "выберите файл пакета"))
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxBundle+1))
	if err == nil && len(data) > maxBundle {
		err = apperr.New(apperr.Invalid, "файл больше %d КБ: это не пакет сводных показателей", maxBundle>>10)
	}
	var b rollup.Bundle
	if err == nil {
		b, err = w.d.Rollup.Import(r.Context(), sc, data)
	}
	w.afterPost(rw, r, "/federal", "Загружен пакет региона "+b.Region+" ("+b.RegionName+") за "+b.Period+".", err)
}

// FederalTrust registers a region's public key.
func (w *Web) FederalTrust(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	region := r.PostFormValue("region")
	err := w.d.Rollup.Trust(r.Context(), sc, region, r.PostFormValue("key"))
	w.afterPost(rw, r, "/federal", "Ключ региона "+region+" зарегистрирован.", err)
}

// federalRegionPage is a region's latest bundle and the bundles before it.
type federalRegionPage struct {
	Bundle   rollup.Bundle
	History  []rollup.Imported
	Measures map[string]string
	Tables   map[string]string
}

// FederalRegion is a region's latest bundle, table by table, with its
// protection and accuracy; in a bundle of format 1 a suppressed count is
// shown as «< 5».
func (w *Web) FederalRegion(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	b, hist, err := w.d.Rollup.Region(r.Context(), sc, r.PathValue("code"))
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "federal_region", "federal", federalRegionPage{Bundle: b, History: hist,
		Measures: measureTitles, Tables: tableTitles})
}

// federalCellPage is one row of a region's table.
type federalCellPage struct {
	Cell     rollup.Cell
	Measures map[string]string
	Tables   map[string]string
}

// FederalCell opens one row of a region's table; a suppressed one (format 1)
// is refused.
func (w *Web) FederalCell(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	row, err := strconv.Atoi(r.PathValue("row"))
	if err != nil {
		w.Error(rw, r, apperr.New(apperr.NotFound, "строка не найдена"))
		return
	}
	c, err := w.d.Rollup.Drill(r.Context(), sc, r.PathValue("code"), r.PathValue("table"), row-1)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "federal_cell", "federal", federalCellPage{Cell: c, Measures: measureTitles, Tables: tableTitles})
}
