package api

import (
	"errors"
	"net/http"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/imports"
	"marshrut/internal/report"
	"marshrut/internal/tables"
)

// formDTO is an official form in the list.
type formDTO struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	Org    bool   `json:"org"`
	Region bool   `json:"region"`
}

// sheetDTO is a form filled in: the same table as its XLSX and print page.
type sheetDTO struct {
	Name     string      `json:"name"`
	Title    string      `json:"title"`
	Subtitle string      `json:"subtitle"`
	Org      string      `json:"organisation"`
	Period   string      `json:"period"`
	AsOf     string      `json:"as_of"`
	Columns  []columnDTO `json:"columns"`
	Rows     [][]any     `json:"rows"`
	Totals   []any       `json:"totals"`
	Notes    []string    `json:"notes"`
}

type columnDTO struct {
	Number int    `json:"number"`
	Title  string `json:"title"`
	Kind   string `json:"kind"` // text, count, share
}

// formOrg is the organisation a form is asked for: the caller's own, or the
// one a region's user names; its kind picks the forms it has.
func (a *api) formOrg(r *http.Request, c caller, q *query) (int64, string, error) {
	id, asked := c.scope.OrgID, q.id("org")
	switch {
	case c.scope.WholeRegion():
		id = asked
	case asked != 0 && asked != id:
		return 0, "", apperr.New(apperr.Forbidden, "формы отчётности другой организации недоступны: сотрудник организации составляет формы своей")
	}
	if err := q.err(); err != nil || id == 0 {
		return 0, "", err
	}
	o, err := a.d.Orgs.Get(r.Context(), id)
	if err != nil {
		return 0, "", err
	}
	return id, string(o.Kind), nil
}

// listForms lists the official forms the caller makes.
func (a *api) listForms(w http.ResponseWriter, r *http.Request, c caller) error {
	if !report.MakesForms(c.scope) {
		return apperr.New(apperr.Forbidden, "формы отчётности доступны региону, школам, колледжам, вузам и работодателям")
	}
	q := newQuery(r)
	_, kind, err := a.formOrg(r, c, q)
	if err != nil {
		return err
	}
	out := []formDTO{}
	for _, f := range report.For(c.scope, kind) {
		out = append(out, formDTO{Name: f.Name, Title: f.Title, Org: f.Org, Region: f.Region})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// buildForm makes the form the query names (form, org, year).
func (a *api) buildForm(r *http.Request, c caller) (report.Sheet, error) {
	if a.d.Forms == nil {
		return report.Sheet{}, errors.New("api: Deps.Forms is not set")
	}
	if !report.MakesForms(c.scope) {
		return report.Sheet{}, apperr.New(apperr.Forbidden, "формы отчётности доступны региону, школам, колледжам, вузам и работодателям")
	}
	q := newQuery(r)
	id, kind, err := a.formOrg(r, c, q)
	if err != nil {
		return report.Sheet{}, err
	}
	name := q.text("form", 40)
	year := q.int("year", 1970, 2100, 0)
	if err := q.err(); err != nil {
		return report.Sheet{}, err
	}
	if name == "" {
		if list := report.For(c.scope, kind); len(list) > 0 {
			name = list[0].Name
		}
	}
	return a.d.Forms.Build(r.Context(), c.scope, name, report.FormOptions{OrgID: id, Year: year})
}

// getForm answers a form filled in, as JSON.
func (a *api) getForm(w http.ResponseWriter, r *http.Request, c caller) error {
	sh, err := a.buildForm(r, c)
	if err != nil {
		return err
	}
	kinds := map[report.ColumnKind]string{report.Text: "text", report.Count: "count", report.Share: "share"}
	out := sheetDTO{Name: sh.Name, Title: sh.Title, Subtitle: sh.Subtitle, Org: sh.Org, Period: sh.Period, AsOf: sh.AsOf.Format(time.DateOnly),
		Rows: sh.Rows, Totals: sh.Totals, Notes: sh.Notes}
	for i, col := range sh.Columns {
		out.Columns = append(out.Columns, columnDTO{Number: i + 1, Title: col.Title, Kind: kinds[col.Kind]})
	}
	if out.Rows == nil {
		out.Rows = [][]any{}
	}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getFormXLSX answers a form as XLSX laid out like the paper form.
func (a *api) getFormXLSX(w http.ResponseWriter, r *http.Request, c caller) error {
	sh, err := a.buildForm(r, c)
	if err != nil {
		return err
	}
	b, err := tables.FormXLSX(sh)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", `attachment; filename="marshrut-`+sh.Name+`-`+sh.AsOf.Format(time.DateOnly)+`.xlsx"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(b)
	return err
}

// importSFR loads the social fund's answer on graduates' employment; only the region may.
func (a *api) importSFR(w http.ResponseWriter, r *http.Request, c caller) error {
	return a.importTable(w, r, c, imports.Kinds["sfr"])
}

// importFRDO loads the file of education documents for ФИС ФРДО.
func (a *api) importFRDO(w http.ResponseWriter, r *http.Request, c caller) error {
	return a.importTable(w, r, c, imports.Kinds["frdo"])
}

// importGuidance loads a school's list of pupils at guidance events.
func (a *api) importGuidance(w http.ResponseWriter, r *http.Request, c caller) error {
	return a.importTable(w, r, c, imports.Kinds["guidance"])
}
