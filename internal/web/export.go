package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/exchange"
	"marshrut/internal/org"
	"marshrut/internal/tables"
)

// export streams a table as XLSX or CSV (by ?format=), row by row, so that a
// list of a million rows never sits in memory.
func (w *Web) export(rw http.ResponseWriter, r *http.Request, name string, cols []exchange.Column, rows func(write func([]any) error) error) {
	f := exchange.Format(r.URL.Query().Get("format"))
	if f == "" {
		f = exchange.XLSX
	}
	if f != exchange.XLSX && f != exchange.CSV {
		w.Error(rw, r, apperr.Field("format", "формат выгрузки «%s»: допустимы xlsx и csv", f))
		return
	}
	file := fmt.Sprintf("%s-%s.%s", name, w.d.Now().Format("2006-01-02"), f)
	ctype := "text/csv; charset=utf-8"
	if f == exchange.XLSX {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	rw.Header().Set("Content-Type", ctype)
	rw.Header().Set("Content-Disposition", `attachment; filename="`+file+`"; filename*=UTF-8''`+url.PathEscape(file))
	rw.Header().Set("Cache-Control", "no-store")
	xw, err := exchange.NewWriter(f, rw, "Лист1", cols)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	write := xw.Write
	if _, sc, ok := auth.Caller(r.Context()); ok && !sc.SeesPersons() {
		write = suppressSmall(cols, write)
	}
	if err := rows(write); err != nil {
		// The header is sent already: the download ends short, and the log says why.
		w.d.Log.Error("export", "table", name, "err", err)
		return
	}
	if err := xw.Close(); err != nil {
		w.d.Log.Error("export", "table", name, "err", err)
	}
}

// LearnersExport downloads the filtered list of learners the caller sees.
func (w *Web) LearnersExport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	f, err := learnerFilter(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.exportPersons(rw, r, "learners.export", "obuchayushchiesya", tables.LearnerColumns, func(write func([]any) error) error {
		f.Limit, f.ByID = 500, true
		for {
			list, _, err := w.d.Learners.List(r.Context(), sc, f)
			if err != nil {
				return err
			}
			for _, l := range list {
				if err := write(tables.LearnerRow(l)); err != nil {
					return err
				}
				f.AfterID = l.ID
			}
			if len(list) < f.Limit {
				return nil
			}
		}
	})
}

// OrganisationsExport downloads the filtered registry of organisations.
func (w *Web) OrganisationsExport(rw http.ResponseWriter, r *http.Request) {
	f, err := orgFilter(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.export(rw, r, "organizacii", tables.OrgColumns, func(write func([]any) error) error {
		f.Limit = 500
		for f.Offset = 0; ; f.Offset += f.Limit {
			list, _, err := w.d.Orgs.List(r.Context(), f)
			if err != nil {
				return err
			}
			for _, o := range list {
				if err := write(tables.OrgRow(o)); err != nil {
					return err
				}
			}
			if len(list) < f.Limit {
				return nil
			}
		}
	})
}

var cohortColumns = []exchange.Column{
	{Title: "Год выпуска", Kind: exchange.Int, Width: 12}, {Title: "Выпускники", Kind: exchange.Int, Width: 12},
	{Title: "Заняты через 6 мес.", Kind: exchange.Int, Width: 18}, {Title: "Доля через 6 мес.", Kind: exchange.Percent, Width: 16},
	{Title: "Заняты через 12 мес.", Kind: exchange.Int, Width: 18}, {Title: "Доля через 12 мес.", Kind: exchange.Percent, Width: 16},
	{Title: "Статус известен через 12 мес.", Kind: exchange.Int, Width: 24},
}

// CohortsExport downloads the table of graduate employment by year of the dashboard.
func (w *Web) CohortsExport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	d, err := w.d.Analytics.Dashboard(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.export(rw, r, "trudoustroystvo", cohortColumns, func(write func([]any) error) error {
		for _, c := range d.Cohorts {
			share := func(n int) any {
				if c.Graduates == 0 {
					return nil
				}
				return float64(n) / float64(c.Graduates)
			}
			if err := write([]any{c.Year, c.Graduates, c.Employed6, share(c.Employed6), c.Employed12, share(c.Employed12), c.Known12}); err != nil {
				return err
			}
		}
		return nil
	})
}

// orgFilter reads the organisations' filter from the query.
func orgFilter(r *http.Request) (org.Filter, error) {
	q := r.URL.Query()
	f := org.Filter{Kind: org.Kind(q.Get("kind")), Query: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort")}
	m, err := intParam(q, "municipality", "муниципальное образование")
	f.MunicipalityID = int64(m)
	return f, err
}
