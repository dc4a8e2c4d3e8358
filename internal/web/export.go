package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/exchange"
	"marshrut/internal/learner"
	"marshrut/internal/org"
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
	file := fmt.Sprintf("%s-%s.%s", name, time.Now().Format("2006-01-02"), f)
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
	if err := rows(xw.Write); err != nil {
		// The header is sent already: the download ends short, and the log says why.
		w.d.Log.Error("export", "table", name, "err", err)
		return
	}
	if err := xw.Close(); err != nil {
		w.d.Log.Error("export", "table", name, "err", err)
	}
}

var learnerColumns = []exchange.Column{
	{Title: "Фамилия", Width: 18}, {Title: "Имя", Width: 14}, {Title: "Отчество", Width: 18},
	{Title: "Дата рождения", Kind: exchange.Date, Width: 13}, {Title: "СНИЛС", Width: 15}, {Title: "Статус", Width: 11},
	{Title: "Организация", Width: 45}, {Title: "Муниципальное образование", Width: 32}, {Title: "Класс", Kind: exchange.Int, Width: 7},
	{Title: "Код специальности", Width: 11}, {Title: "Специальность", Width: 40}, {Title: "Курс", Kind: exchange.Int, Width: 6},
	{Title: "Форма обучения", Width: 14}, {Title: "Год выпуска", Kind: exchange.Int, Width: 8}, {Title: "ОВЗ", Width: 6},
	{Title: "Занятость сейчас", Width: 22}, {Title: "Через 6 месяцев", Width: 22}, {Title: "Через 12 месяцев", Width: 22},
}

// LearnersExport downloads the filtered list of learners the caller sees.
func (w *Web) LearnersExport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	f, err := learnerFilter(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.export(rw, r, "obuchayushchiesya", learnerColumns, func(write func([]any) error) error {
		f.Limit = 1000
		for f.Offset = 0; ; f.Offset += f.Limit {
			list, _, err := w.d.Learners.List(r.Context(), sc, f)
			if err != nil {
				return err
			}
			for _, l := range list {
				var grade, course, year any
				if l.Grade > 0 {
					grade = l.Grade
				}
				if l.Course > 0 {
					course = l.Course
				}
				if l.GraduationYear > 0 {
					year = l.GraduationYear
				}
				dis := ""
				if l.Disability {
					dis = "да"
				}
				snils := ""
				if l.SNILS != "" {
					snils = learner.FormatSNILS(l.SNILS)
				}
				if err := write([]any{l.LastName, l.FirstName, l.MiddleName, l.BirthDate, snils, l.Status.Name(), l.OrgName, l.Municipality,
					grade, l.SpecialtyCode, l.SpecialtyName, course, formName(l.Form), year, dis,
					outcomeName(l.Current), outcomeName(l.After6), outcomeName(l.After12)}); err != nil {
					return err
				}
			}
			if len(list) < f.Limit {
				return nil
			}
		}
	})
}

func formName(f learner.Form) string {
	if f == "" {
		return ""
	}
	return f.Name()
}

func outcomeName(s learner.OutcomeStatus) string {
	if s == "" {
		return ""
	}
	return s.Name()
}

var orgColumns = []exchange.Column{
	{Title: "Наименование", Width: 60}, {Title: "Вид", Width: 22}, {Title: "Муниципальное образование", Width: 32},
	{Title: "Адрес", Width: 40}, {Title: "ИНН", Width: 13}, {Title: "ОГРН", Width: 16}, {Title: "ОКВЭД2", Width: 9},
	{Title: "Обучающиеся", Kind: exchange.Int, Width: 12},
}

// OrganisationsExport downloads the filtered registry of organisations.
func (w *Web) OrganisationsExport(rw http.ResponseWriter, r *http.Request) {
	f, err := orgFilter(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.export(rw, r, "organizacii", orgColumns, func(write func([]any) error) error {
		f.Limit = 500
		for f.Offset = 0; ; f.Offset += f.Limit {
			list, _, err := w.d.Orgs.List(r.Context(), f)
			if err != nil {
				return err
			}
			for _, o := range list {
				var n any
				if o.Kind.Educates() {
					n = o.Learners
				}
				if err := write([]any{o.Name, o.Kind.Name(), o.Municipality, o.Address, o.INN, o.OGRN, o.OKVED, n}); err != nil {
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
