package web

import (
	"net/http"
	"strconv"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/report"
	"marshrut/internal/tables"
)

// formsOrg is the organisation, and its kind, of the caller's own organisation, or of the one
// a region's user asks for; "" for the region.
func (w *Web) formsOrg(r *http.Request, sc auth.Scope) (int64, string, error) {
	id := sc.OrgID
	if sc.WholeRegion() {
		id, _ = strconv.ParseInt(r.URL.Query().Get("org"), 10, 64)
	}
	if id == 0 {
		return 0, "", nil
	}
	o, err := w.d.Orgs.Get(r.Context(), id)
	if err != nil {
		return 0, "", err
	}
	return id, string(o.Kind), nil
}

// formsPage is the list of the official forms the caller makes.
type formsPage struct {
	Forms []report.Form
	OrgID int64
	Whole bool
}

// Forms lists the official forms the caller makes, each with its print page
// and its XLSX.
func (w *Web) Forms(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if !report.MakesForms(sc) {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "формы отчётности доступны региону, школам, колледжам, вузам и работодателям"))
		return
	}
	id, kind, err := w.formsOrg(r, sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "forms", "monitoring", formsPage{Forms: report.For(sc, kind), OrgID: id, Whole: sc.WholeRegion()})
}

// formSheet builds the form the query names: form, org, year.
func (w *Web) formSheet(r *http.Request) (report.Sheet, error) {
	_, sc, _ := auth.Caller(r.Context())
	if !report.MakesForms(sc) {
		return report.Sheet{}, apperr.New(apperr.Forbidden, "формы отчётности доступны региону, школам, колледжам, вузам и работодателям")
	}
	id, kind, err := w.formsOrg(r, sc)
	if err != nil {
		return report.Sheet{}, err
	}
	q := r.URL.Query()
	name := q.Get("form")
	if name == "" {
		// The first form of the organisation's kind, as the list opens it.
		if list := report.For(sc, kind); len(list) > 0 {
			name = list[0].Name
		}
	}
	opt := report.FormOptions{OrgID: id}
	if y := q.Get("year"); y != "" {
		if opt.Year, err = strconv.Atoi(y); err != nil {
			return report.Sheet{}, apperr.Field("year", "год «%s» не распознан", y)
		}
	}
	return w.d.Forms.Build(r.Context(), sc, name, opt)
}

// formPage is the print page of a form.
type formPage struct {
	Sheet report.Sheet
	Query string
}

// Form is the print page of a form: the same table as its XLSX.
func (w *Web) Form(rw http.ResponseWriter, r *http.Request) {
	sh, err := w.formSheet(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "form", "monitoring", formPage{Sheet: sh, Query: r.URL.RawQuery})
}

// FormXLSX downloads a form as XLSX laid out like the paper form.
func (w *Web) FormXLSX(rw http.ResponseWriter, r *http.Request) {
	sh, err := w.formSheet(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	b, err := tables.FormXLSX(sh)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	name := "marshrut-" + sh.Name + "-" + sh.AsOf.Format(time.DateOnly) + ".xlsx"
	rw.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	rw.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	rw.Header().Set("Cache-Control", "no-store")
	rw.Write(b)
}

// formCell is a value of a form as the page shows it: whole numbers with thin
// spaces, shares as percentages, nothing as empty.
func formCell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int:
		return Number(x)
	case float64:
		return Percent(x)
	case string:
		return x
	}
	return ""
}
