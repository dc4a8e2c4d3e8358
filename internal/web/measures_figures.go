package web

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/exchange"
	activemeasures "marshrut/internal/measures"
)

// figureFilter reads the figures' filter from the query.
func figureFilter(r *http.Request) (activemeasures.FigureFilter, error) {
	q := r.URL.Query()
	var f activemeasures.FigureFilter
	y, err := intParam(q, "year", "год зачисления")
	if err != nil {
		return f, err
	}
	m, err := intParam(q, "municipality", "муниципальное образование")
	f.Year, f.MunicipalityID = y, int64(m)
	return f, err
}

// measureRow is a row of the figures as the page shows it.
type measureRow struct {
	activemeasures.Row
	PerEmployed string
}

// measureTable is a table of figures with its first column's title.
type measureTable struct {
	ID, Title string
	Rows      []measureRow
}

func measureRows(rows []activemeasures.Row) []measureRow {
	out := make([]measureRow, len(rows))
	for i, r := range rows {
		out[i] = measureRow{Row: r, PerEmployed: "—"}
		if c, ok := r.CostPerEmployed(); ok {
			out[i].PerEmployed = Number(int(math.Round(c))) + "\u00a0₽"
		}
	}
	return out
}

// measureFiguresPage is the page of figures of the programmes.
type measureFiguresPage struct {
	Query          url.Values
	Export         map[string]template.URL
	F              activemeasures.Figures
	Filter         activemeasures.FigureFilter
	Years          []int
	Total          measureRow
	ByCategory     measureTable
	ByProgramme    measureTable
	ByProvider     measureTable
	Chart          measureChart
	Municipalities []classifier.Municipality
	Error          string
}

// MeasureFigures is the page of figures: the totals, a chart by category
// with its table beside it, and the tables by programme and by provider.
func (w *Web) MeasureFigures(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	data := measureFiguresPage{Query: r.URL.Query(), Export: exportLinks(r, "/measures/figures/export")}
	f, err := figureFilter(r)
	if err != nil {
		data.Error = apperr.Text(err)
		f = activemeasures.FigureFilter{}
	}
	figs, err := w.d.Measures.Figures(r.Context(), sc, f)
	if apperr.Is(err, apperr.Invalid) {
		data.Error = apperr.Text(err)
		f = activemeasures.FigureFilter{}
		figs, err = w.d.Measures.Figures(r.Context(), sc, f)
	}
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	now := w.d.Measures.Now().Year()
	years := []int{}
	for y := now; y >= now-4; y-- {
		years = append(years, y)
	}
	data.F, data.Filter, data.Years = figs, f, years
	data.Total = measureRows([]activemeasures.Row{figs.Total})[0]
	data.ByCategory = measureTable{ID: "by-category", Title: "Категория", Rows: measureRows(figs.ByCategory)}
	data.ByProgramme = measureTable{ID: "by-programme", Title: "Программа", Rows: measureRows(figs.ByProgramme)}
	data.ByProvider = measureTable{ID: "by-provider", Title: "Организация", Rows: measureRows(figs.ByProvider)}
	data.Chart = categoryChart(figs.ByCategory)
	if sc.WholeRegion() {
		if data.Municipalities, err = w.d.Municipalities.Municipalities(r.Context(), sc.RegionCode); err != nil {
			w.logWithout(r, "municipalities for a filter", err) // the figures stand for the whole region
		}
	}
	w.render(rw, r, http.StatusOK, "measures_figures", "measures", data)
}

var measureColumns = []exchange.Column{
	{Title: "Разрез", Width: 14}, {Title: "Наименование", Width: 44}, {Title: "Зачислено", Kind: exchange.Int, Width: 11},
	{Title: "Обучаются", Kind: exchange.Int, Width: 11}, {Title: "Завершили", Kind: exchange.Int, Width: 11},
	{Title: "Отчислены", Kind: exchange.Int, Width: 11}, {Title: "Доля завершивших", Kind: exchange.Percent, Width: 14},
	{Title: "Трудоустроены в течение 3 мес.", Kind: exchange.Int, Width: 16}, {Title: "Ждут итога (3 мес. не прошло)", Kind: exchange.Int, Width: 16},
	{Title: "Доля трудоустроенных", Kind: exchange.Percent, Width: 14}, {Title: "Затраты, ₽", Kind: exchange.Int, Width: 14},
	{Title: "Затраты на одного трудоустроенного, ₽", Kind: exchange.Int, Width: 18},
}

// MeasureFiguresExport downloads the figures by programme, provider and category.
func (w *Web) MeasureFiguresExport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	f, err := figureFilter(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	figs, err := w.d.Measures.Figures(r.Context(), sc, f)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.export(rw, r, "aktivnye-mery", measureColumns, func(write func([]any) error) error {
		put := func(cut string, x activemeasures.Row) error {
			var completion, employment, per any
			if x.Finished() > 0 {
				completion = x.CompletionShare()
			}
			if x.Known() > 0 {
				employment = x.EmploymentShare()
			}
			if c, ok := x.CostPerEmployed(); ok {
				per = math.Round(c)
			}
			return write([]any{cut, x.Name, x.Enrolled, x.Studying, x.Completed, x.Dropped, completion, x.Employed, x.Waiting, employment, x.Cost, per})
		}
		for _, part := range []struct {
			cut  string
			rows []activemeasures.Row
		}{{"программа", figs.ByProgramme}, {"организация", figs.ByProvider}, {"категория", figs.ByCategory}, {"итого", []activemeasures.Row{figs.Total}}} {
			for _, x := range part.rows {
				if err := put(part.cut, x); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// measureChart is a horizontal bar chart drawn on the server as SVG: for each
// row, a bar of those enrolled, of those who completed and of those at work.
type measureChart struct {
	Width, Height int
	Rows          []measureBarRow
	Ticks         []plotTick
	Legend        []measureLegend
	Label         string  // what the chart shows, for screen readers
	LabelX        float64 // where the rows' labels end
}

type measureBarRow struct {
	Label string
	Y     float64 // the baseline of the label
	Bars  []measureBar
}

type measureBar struct {
	X, Y, W, H float64
	Fill       string
	Title      string
	Value      string
	TextX      float64
}

type measureLegend struct {
	X    float64
	Fill string
	Text string
}

// The chart's colours: enrolled, completed, employed.
var measureFills = []string{"#9db7d5", "#1f5fa8", "#2e7d4f"}

// categoryChart draws enrolled, completed and employed by category.
func categoryChart(rows []activemeasures.Row) measureChart {
	const labelW, width, barH, gap, first = 300.0, 760.0, 12.0, 14.0, 34.0
	span := width - labelW - 60
	most := 1
	for _, r := range rows {
		most = max(most, r.Enrolled)
	}
	step := measureStep(most)
	top := step * ((most + step - 1) / step) // the axis ends on a round tick
	c := measureChart{Width: int(width), LabelX: labelW - 6, Label: "Зачислены, завершили обучение и трудоустроены в течение трёх месяцев по категориям"}
	names := []string{"зачислены", "завершили", "трудоустроены"}
	for i, n := range names {
		c.Legend = append(c.Legend, measureLegend{X: labelW + float64(i)*140, Fill: measureFills[i], Text: n})
	}
	y := first
	for _, r := range rows {
		row := measureBarRow{Label: r.Name, Y: round1(y + 1.5*barH + 4)}
		for i, v := range []int{r.Enrolled, r.Completed, r.Employed} {
			w := span * float64(v) / float64(top)
			row.Bars = append(row.Bars, measureBar{X: labelW, Y: round1(y + float64(i)*barH), W: round1(w), H: barH - 2, Fill: measureFills[i],
				Title: fmt.Sprintf("%s: %s — %s", r.Name, names[i], Number(v)), Value: Number(v), TextX: round1(labelW + w + 4)})
		}
		c.Rows = append(c.Rows, row)
		y += 3*barH + gap
	}
	c.Height = int(y + 20)
	for v := 0; v <= top; v += step {
		c.Ticks = append(c.Ticks, plotTick{At: round1(labelW + span*float64(v)/float64(top)), Label: Number(v)})
	}
	return c
}

// measureStep is a round step (1, 2 or 5 times a power of ten) that cuts 0…most
// into at most five parts.
func measureStep(most int) int {
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if m*p*5 >= most {
				return m * p
			}
		}
	}
}
