package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/analytics"
	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/exchange"
	"marshrut/internal/kpi"
	"marshrut/internal/report"
)

// hbar is one bar of a horizontal bar chart drawn on the server.
type hbar struct {
	Label string
	Value float64 // 0–1
	Width float64 // in the chart's units
	Y     float64
	Text  string
}

// hbars lays out shares as bars of a chart width wide.
func hbars(labels []string, values []float64, texts []string) []hbar {
	// The bars stop at 480 of the chart's 640, leaving room for «81,4 % (1 136 из 1 367)».
	const width, step = 230.0, 22.0
	out := make([]hbar, len(values))
	for i, v := range values {
		out[i] = hbar{Label: labels[i], Value: v, Width: math.Round(width*math.Max(0, math.Min(1, v))*10) / 10, Y: float64(i) * step, Text: texts[i]}
	}
	return out
}

// linePoint is a point of a line chart.
type linePoint struct{ X, Y float64 }

// Monitoring is a level's page: the headline figures, the table of the
// level's parts with a chart, the funnel by cohort and the trend by month.
func (w *Web) Monitoring(rw http.ResponseWriter, r *http.Request) {
	v, err := w.monitorView(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "monitoring", "monitoring", w.monitorData(r, v))
}

func (w *Web) monitorView(r *http.Request) (kpi.Document, error) {
	_, sc, _ := auth.Caller(r.Context())
	q := r.URL.Query()
	scope := kpi.Scope{Kind: q.Get("level")}
	if s := q.Get("id"); s != "" {
		var err error
		if scope.ID, err = strconv.ParseInt(s, 10, 64); err != nil {
			return kpi.Document{}, apperr.Field("id", "«%s» не является номером", s)
		}
	}
	return w.d.KPI.Document(r.Context(), sc, scope, time.Time{})
}

// partRow is a part of a level (a municipality or an organisation) with
// its measures.
type partRow struct {
	analytics.Child
	Items []kpi.Item
}

// monitorPage is a level's page of the monitoring.
type monitorPage struct {
	View       analytics.View
	Doc        kpi.Document
	Measures   []kpi.Measure
	Figure     kpi.Measure
	Target     *float64 // the region's target of the figure, nil without one
	Parts      []partRow
	Bars       []hbar
	FunnelBars []hbar
	Funnel     []funnelRow
	Line       string
	Line2      string
	Most       int
	Map        *regionMap // nil when the map cannot be drawn
	Exports    map[string]map[string]string
	Print      string
	Forms      []report.Form
	Printing   bool // ?print=1: the report to print, no links between levels
}

func (w *Web) monitorData(r *http.Request, d kpi.Document) monitorPage {
	v := d.View
	m, ok := kpi.Lookup(r.URL.Query().Get("figure"))
	if !ok || m.Region {
		m, _ = kpi.Lookup("employment6")
	}
	targets, err := w.d.KPI.Targets(r.Context(), w.d.Region, d.TargetYear)
	if err != nil {
		w.logWithout(r, "targets of the monitoring", err) // the figures stand without their targets
	}
	labels, values, texts := []string{}, []float64{}, []string{}
	var parts []partRow
	for _, c := range v.Children {
		parts = append(parts, partRow{Child: c, Items: kpi.Evaluate(c.Figures, false, targets)})
		n, den := m.Num(c.Figures), m.Den(c.Figures)
		if den == 0 {
			continue
		}
		labels = append(labels, c.Level.Name)
		values = append(values, float64(n)/float64(den))
		texts = append(texts, Percent(float64(n)/float64(den))+" ("+Number(n)+" из "+Number(den)+")")
	}
	var columns []kpi.Measure
	for _, x := range kpi.Catalogue {
		if !x.Region {
			columns = append(columns, x)
		}
	}
	var target *float64
	if t, ok := targets[m.Code]; ok {
		target = t.Value
	}
	funnelBars := []hbar{}
	if len(v.Funnels) > 0 {
		f := v.Funnels[0]
		for _, x := range v.Funnels {
			if x.Graduated > 0 && x.Year <= v.Year {
				f = x
				break
			}
		}
		steps := funnelSteps(f)
		ls, vs, ts := make([]string, len(steps)), make([]float64, len(steps)), make([]string, len(steps))
		for i, s := range steps {
			ls[i], ts[i] = s.Title, Number(s.N)
			if f.Admitted > 0 {
				vs[i] = float64(s.N) / float64(f.Admitted)
				ts[i] += " · " + Percent(vs[i])
			}
		}
		funnelBars = hbars(ls, vs, ts)
	}
	var line, line2 []linePoint
	most := 1
	for _, p := range v.Months {
		most = max(most, p.Reached, p.Informed)
	}
	for i, p := range v.Months {
		x := 40 + float64(i)*320/math.Max(1, float64(len(v.Months)-1))
		line = append(line, linePoint{X: math.Round(x), Y: math.Round(180 - 160*float64(p.Reached)/float64(most))})
		line2 = append(line2, linePoint{X: math.Round(x), Y: math.Round(180 - 160*float64(p.Informed)/float64(most))})
	}
	exports := map[string]map[string]string{}
	for _, t := range []string{"parts", "funnel", "months"} {
		q := r.URL.Query()
		q.Set("table", t)
		q.Del("print")
		exports[t] = map[string]string{"xlsx": "/monitoring/export?" + q.Encode() + "&format=xlsx", "csv": "/monitoring/export?" + q.Encode() + "&format=csv"}
	}
	regionMap, err := w.monitorMap(r.Context(), w.d.Region, v.Children, m, target)
	if err != nil {
		w.d.Log.Warn("monitoring map", "path", r.URL.Path, "err", err) // the page stands without its map
	}
	printQ := r.URL.Query()
	printQ.Set("print", "1")
	return monitorPage{View: v, Doc: d, Measures: columns, Figure: m, Target: target, Parts: parts, Bars: hbars(labels, values, texts),
		FunnelBars: funnelBars, Funnel: funnelRows(v.Funnels), Line: points(line), Line2: points(line2), Most: most, Map: regionMap,
		Exports: exports, Print: "/monitoring?" + printQ.Encode(), Forms: w.levelForms(r, v.Level.Kind, v.Level.ID),
		// With ?print=1 the page is the report to print: a title of its own, no links between levels.
		Printing: r.URL.Query().Get("print") == "1"}
}

func points(ps []linePoint) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.0f,%.0f", p.X, p.Y)
	}
	return b.String()
}

// funnelStep is a stage of the way from school to work.
type funnelStep struct {
	Title string
	N     int
}

func funnelSteps(f analytics.Funnel) []funnelStep {
	return []funnelStep{
		{"Учились в колледже или вузе региона", f.Admitted},
		{"Пришли из школ региона", f.FromSchool},
		{"Были охвачены профориентацией в школе", f.Guided},
		{"Прошли практику у работодателя", f.Practice},
		{"Имели наставника", f.Mentor},
		{"Учились по целевому договору", f.Contract},
		{"Окончили обучение", f.Graduated},
		{"Заняты через 6 месяцев", f.Working6},
		{"Заняты через 12 месяцев", f.Working12},
	}
}

// funnelRow is a cohort's funnel as a table row.
type funnelRow struct {
	Year  int
	Steps []funnelStep
}

func funnelRows(fs []analytics.Funnel) []funnelRow {
	out := make([]funnelRow, len(fs))
	for i, f := range fs {
		out[i] = funnelRow{Year: f.Year, Steps: funnelSteps(f)}
	}
	return out
}

// MonitoringExport downloads a table of a level's page.
func (w *Web) MonitoringExport(rw http.ResponseWriter, r *http.Request) {
	d, err := w.monitorView(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	v := d.View
	switch r.URL.Query().Get("table") {
	case "funnel":
		cols := []exchange.Column{{Title: "Год выпуска", Kind: exchange.Int}}
		for _, s := range funnelSteps(analytics.Funnel{}) {
			cols = append(cols, exchange.Column{Title: s.Title, Kind: exchange.Int, Width: 16})
		}
		w.export(rw, r, "funnel", cols, func(write func([]any) error) error {
			for _, row := range funnelRows(v.Funnels) {
				vals := []any{row.Year}
				for _, s := range row.Steps {
					vals = append(vals, s.N)
				}
				if err := write(vals); err != nil {
					return err
				}
			}
			return nil
		})
	case "months":
		cols := []exchange.Column{{Title: "Месяц", Kind: exchange.Date}, {Title: "Охвачено профориентацией", Kind: exchange.Int},
			{Title: "Проинформировано о целевом обучении", Kind: exchange.Int}, {Title: "Открыто случаев ЦЗН", Kind: exchange.Int}, {Title: "Из них закрыто", Kind: exchange.Int}}
		w.export(rw, r, "trend", cols, func(write func([]any) error) error {
			for _, p := range v.Months {
				if err := write([]any{p.Month, p.Reached, p.Informed, p.Cases, p.Closed}); err != nil {
					return err
				}
			}
			return nil
		})
	default:
		cols := []exchange.Column{{Title: "Часть", Width: 40}}
		for _, m := range d.Items {
			cols = append(cols, exchange.Column{Title: m.Name + ": число", Kind: exchange.Int}, exchange.Column{Title: m.Name + ": из", Kind: exchange.Int},
				exchange.Column{Title: m.Name, Kind: exchange.Percent})
		}
		targets, err := w.d.KPI.Targets(r.Context(), w.d.Region, d.TargetYear)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		w.export(rw, r, "monitoring", cols, func(write func([]any) error) error {
			row := func(name string, items []kpi.Item) error {
				vals := []any{name}
				byCode := map[string]kpi.Item{}
				for _, it := range items {
					byCode[it.Code] = it
				}
				for _, m := range d.Items {
					it, ok := byCode[m.Code]
					if !ok {
						vals = append(vals, nil, nil, nil)
						continue
					}
					vals = append(vals, it.Numerator, it.Denominator, it.Rate())
				}
				return write(vals)
			}
			if err := row(v.Level.Name, d.Items); err != nil {
				return err
			}
			for _, c := range v.Children {
				if err := row(c.Level.Name, kpi.Evaluate(c.Figures, false, targets)); err != nil {
					return err
				}
			}
			return nil
		})
	}
}

// reportsPage is the list of the region's monthly reports.
type reportsPage struct {
	Reports     []report.Report
	Done, Error string
}

// Reports is the list of the region's monthly reports.
func (w *Web) Reports(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	list, err := w.d.Reports.Reports(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	q := r.URL.Query()
	w.render(rw, r, http.StatusOK, "reports", "monitoring", reportsPage{Reports: list, Done: q.Get("done"), Error: q.Get("error")})
}

// StartReport generates the current month's report in the background.
func (w *Web) StartReport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, err := w.d.Reports.Start(r.Context(), sc)
	if err != nil {
		w.afterPost(rw, r, "/monitoring/reports", "", err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/jobs/%d", id), http.StatusSeeOther)
}

// ReportFile downloads a report as it was generated.
func (w *Web) ReportFile(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	rep, err := w.d.Reports.Report(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	name := "marshrut-" + rep.RegionCode + "-" + rep.Period + ".xlsx"
	rw.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	rw.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	rw.Header().Set("Cache-Control", "no-store")
	rw.Write(rep.Content)
}

// levelForms are the official forms of a level of the monitoring the caller
// makes: the region's at the region, an organisation's at its level.
func (w *Web) levelForms(r *http.Request, kind string, id int64) []report.Form {
	_, sc, _ := auth.Caller(r.Context())
	if !report.MakesForms(sc) {
		return nil
	}
	switch kind {
	case "region":
		if sc.WholeRegion() {
			return report.For(sc, "")
		}
	case "organisation":
		if sc.WholeRegion() || sc.OrgID == id {
			o, err := w.d.Orgs.Get(r.Context(), id)
			if err != nil {
				w.logWithout(r, "organisation of the level's forms", err) // the page stands without its forms
				return nil
			}
			return report.For(sc, string(o.Kind))
		}
	}
	return nil
}
