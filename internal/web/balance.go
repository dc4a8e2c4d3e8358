package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/exchange"
	"marshrut/internal/imports"
)

// The workforce balance: the table of groups by year with the accuracy of
// each forecast beside it, a group's history and forecast, the data it rests
// on (needs, capacities, age structure), and the region's scenarios.

// balanceShown are the years ahead the main table shows, of the seven.
var balanceShown = []int{1, 3, 5, 7}

// amount is a figure of the balance rounded to whole people for pages.
func amount(x float64) int { return int(math.Round(x)) }

// cellView is a year of a row as the table shows it.
type cellView struct {
	Year               int
	Demand, Lo80, Hi80 int
	Lo95, Hi95         int
	Vacancies          int
	Declared, Replace  int
	Supply, Targeted   int
	Gap, GapLo, GapHi  int
	Shortage, Surplus  bool
	Base               *cellView // the same cell without the scenario
	Changed            bool
}

func newCellView(c balance.Cell) cellView {
	return cellView{Year: c.Year, Demand: amount(c.Demand.Mean), Lo80: amount(c.Demand.Lo80), Hi80: amount(c.Demand.Hi80),
		Lo95: amount(c.Demand.Lo95), Hi95: amount(c.Demand.Hi95), Vacancies: amount(c.Vacancies.Mean),
		Declared: amount(c.Declared), Replace: amount(c.Replacement), Supply: amount(c.Supply), Targeted: amount(c.Targeted),
		Gap: amount(c.Gap), GapLo: amount(c.GapLo80), GapHi: amount(c.GapHi80), Shortage: c.Shortage(), Surplus: c.Surplus()}
}

// rowView is a row of the balance for a page.
type rowView struct {
	ID, Group, Name, Level string
	Cells                  []cellView // the shown years on the main page, all on the group's
	Students               int
	Model, Note            string
	Accuracy               *balance.Accuracy
	AccuracyNote           string
	Annual                 *balance.Annual
}

func newRowView(r balance.Row, base *balance.Row, pick []int) rowView {
	v := rowView{ID: r.Key.ID(), Group: r.Key.Group, Name: r.GroupName, Level: r.Key.Level.Name(), Students: r.Students,
		Model: r.Model, Note: r.Note, Accuracy: r.Accuracy, AccuracyNote: r.AccuracyNote, Annual: r.Annual}
	for _, i := range pick {
		c := newCellView(r.Cells[i])
		if base != nil {
			b := newCellView(base.Cells[i])
			c.Base, c.Changed = &b, b.Gap != c.Gap || b.Demand != c.Demand || b.Supply != c.Supply
		}
		v.Cells = append(v.Cells, c)
	}
	return v
}

// indexes of the years ahead in a result's years.
func shownIndexes(years []int, ahead []int) []int {
	var out []int
	for _, a := range ahead {
		if a-1 < len(years) {
			out = append(out, a-1)
		}
	}
	return out
}

func allIndexes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// scenarioParam reads the scenario of the query, 0 for none.
func scenarioParam(r *http.Request) (int64, error) {
	v := r.URL.Query().Get("scenario")
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Field("scenario", "«%s» не является номером сценария", v)
	}
	return id, nil
}

// withBase computes the balance of the query's scenario and, when there is
// one, the baseline beside it.
func (w *Web) withBase(r *http.Request, sc auth.Scope) (res balance.Result, base *balance.Result, err error) {
	id, err := scenarioParam(r)
	if err != nil {
		return res, nil, err
	}
	res, err = w.d.Balance.Balance(r.Context(), sc, id)
	if err != nil || id == 0 {
		return res, nil, err
	}
	b, err := w.d.Balance.Balance(r.Context(), sc, 0)
	return res, &b, err
}

// Balance is the balance of the region by group and year.
func (w *Web) Balance(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if !balance.CanSee(sc) {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "баланс кадров видят регион, центры занятости, образовательные организации и работодатели"))
		return
	}
	res, base, err := w.withBase(r, sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	pick := shownIndexes(res.Years, balanceShown)
	rows := make([]rowView, 0, len(res.Rows))
	short := 0
	for _, row := range res.Rows {
		var b *balance.Row
		if base != nil {
			if x, ok := base.Row(row.Key); ok {
				b = &x
			}
		}
		rows = append(rows, newRowView(row, b, pick))
		if row.Cells[len(row.Cells)-1].Shortage() {
			short++
		}
	}
	totals := balance.Row{Cells: res.Totals}
	var baseTotals *balance.Row
	if base != nil {
		baseTotals = &balance.Row{Cells: base.Totals}
	}
	q := r.URL.Query()
	data := map[string]any{"Rows": rows, "Total": newRowView(totals, baseTotals, pick), "Years": pickYears(res.Years, pick), "AllYears": res.Years,
		"Result": res, "Short": short, "Chart": totalsChart(res.Totals), "TotalsAll": newRowView(totals, nil, allIndexes(len(res.Years))),
		"Export": exportLinks(r, "/balance/export"), "ProposalExport": exportLinks(r, "/balance/proposals/export"),
		"CanPlan": balance.CanPlan(sc), "Done": q.Get("done"), "Error": q.Get("error"), "Proposals": proposalViews(res.Proposals, 40),
		"ProposalCount": len(res.Proposals), "RateRows": rateRows(res.Rates), "Method": string(balance.Method)}
	if len(res.Totals) > 0 {
		data["Closure"], data["ClosureYear"] = res.Totals[0].Closure(), res.Totals[0].Year
	}
	if share, err := w.d.Balance.MaxChange(r.Context(), sc); err == nil {
		data["MaxChange"] = share
	} else {
		data["MaxChange"] = balance.DefaultMaxChange
	}
	if balance.CanPlan(sc) {
		if list, err := w.d.Balance.Scenarios(r.Context(), sc); err == nil {
			data["Scenarios"] = list
		}
	}
	w.render(rw, r, http.StatusOK, "balance", "balance", data)
}

func pickYears(years []int, pick []int) []int {
	out := make([]int, 0, len(pick))
	for _, i := range pick {
		out = append(out, years[i])
	}
	return out
}

// proposalView is a proposal for a page.
type proposalView struct {
	balance.Proposal
	Group, Level string
}

// DemandText is the demand of the year of graduation with its 80 % interval.
func (p proposalView) DemandText() string {
	r := func(x float64) string { return Number(int(math.Round(x))) }
	return r(p.Demand.Mean) + " (" + r(p.Demand.Lo80) + "–" + r(p.Demand.Hi80) + ")"
}

// proposalViews keeps the largest changes first, at most n.
func proposalViews(ps []balance.Proposal, n int) []proposalView {
	out := make([]proposalView, 0, len(ps))
	for _, p := range ps {
		out = append(out, proposalView{Proposal: p, Group: p.Specialty.GroupName, Level: p.Key.Level.Name()})
	}
	slices.SortStableFunc(out, func(a, b proposalView) int {
		if a.AdmissionYear != b.AdmissionYear {
			return a.AdmissionYear - b.AdmissionYear
		}
		return abs(b.Change()) - abs(a.Change())
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// BalanceExport downloads the whole balance: every row and year.
func (w *Web) BalanceExport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	res, _, err := w.withBase(r, sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	cols := []exchange.Column{{Title: "УГС", Width: 10}, {Title: "Группа", Width: 40}, {Title: "Уровень", Width: 8}, {Title: "Год", Kind: exchange.Int, Width: 8},
		{Title: "Спрос по вакансиям", Kind: exchange.Int, Width: 12}, {Title: "Заявлено работодателями", Kind: exchange.Int, Width: 12},
		{Title: "Замена уходящих на пенсию", Kind: exchange.Int, Width: 12}, {Title: "Спрос всего", Kind: exchange.Int, Width: 12},
		{Title: "Спрос, 80 % от", Kind: exchange.Int, Width: 10}, {Title: "Спрос, 80 % до", Kind: exchange.Int, Width: 10},
		{Title: "Спрос, 95 % от", Kind: exchange.Int, Width: 10}, {Title: "Спрос, 95 % до", Kind: exchange.Int, Width: 10},
		{Title: "Выпуск", Kind: exchange.Int, Width: 10}, {Title: "В т. ч. по целевым договорам", Kind: exchange.Int, Width: 12},
		{Title: "Разрыв (выпуск − спрос)", Kind: exchange.Int, Width: 12}, {Title: "Модель", Width: 16},
		{Title: "Ошибка годового итога на истории, %", Kind: exchange.Float, Width: 12}, {Title: "То же у «как за прошлые 12 месяцев», %", Kind: exchange.Float, Width: 12},
		{Title: "sMAPE помесячно, %", Kind: exchange.Float, Width: 10}, {Title: "OWA помесячно", Kind: exchange.Float, Width: 10}}
	w.export(rw, r, "balans-kadrov", cols, func(write func([]any) error) error {
		for _, row := range res.Rows {
			var annual, naive, smape, owa any
			if a := row.Annual; a != nil {
				annual, naive = math.Round(a.SMAPE*10)/10, math.Round(a.NaiveSMAPE*10)/10
			}
			if a := row.Accuracy; a != nil {
				smape = math.Round(a.SMAPE*10) / 10
				if !math.IsNaN(a.OWA) && !math.IsInf(a.OWA, 0) {
					owa = math.Round(a.OWA*1000) / 1000
				}
			}
			for _, c := range row.Cells {
				v := newCellView(c)
				if err := write([]any{row.Key.Group, row.GroupName, row.Key.Level.Name(), c.Year, v.Vacancies, v.Declared, v.Replace, v.Demand,
					v.Lo80, v.Hi80, v.Lo95, v.Hi95, v.Supply, v.Targeted, v.Gap, row.Model, annual, naive, smape, owa}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// ProposalsExport downloads the proposals of admission the caller sees.
func (w *Web) ProposalsExport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	res, _, err := w.withBase(r, sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	cols := []exchange.Column{{Title: "Год приёма", Kind: exchange.Int, Width: 10}, {Title: "Год выпуска", Kind: exchange.Int, Width: 10},
		{Title: "Организация", Width: 36}, {Title: "Код специальности", Width: 12}, {Title: "Специальность", Width: 40},
		{Title: "Приём сейчас", Kind: exchange.Int, Width: 10}, {Title: "Вместимость", Kind: exchange.Int, Width: 10},
		{Title: "Предлагаемый приём", Kind: exchange.Int, Width: 12}, {Title: "Изменение", Kind: exchange.Int, Width: 10}}
	w.export(rw, r, "predlozheniya-priyoma", cols, func(write func([]any) error) error {
		for _, p := range res.Proposals {
			var capacity any
			if p.Capacity > 0 {
				capacity = p.Capacity
			}
			if err := write([]any{p.AdmissionYear, p.GraduationYear, p.OrgName, p.Specialty.Code, p.Specialty.Name, p.Current, capacity, p.Proposed, p.Change()}); err != nil {
				return err
			}
		}
		return nil
	})
}

// BalanceGroup is a row of the balance in full: the history of vacancies
// and its forecast, the accuracy of the forecast on that history, the seven
// years, the specialties and the proposals.
func (w *Web) BalanceGroup(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	key, ok := balance.ParseKey(r.PathValue("key"))
	if !ok {
		w.Error(rw, r, apperr.New(apperr.NotFound, "группа специальностей не найдена"))
		return
	}
	res, base, err := w.withBase(r, sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	row, ok := res.Row(key)
	if !ok {
		w.Error(rw, r, apperr.New(apperr.NotFound, "в балансе нет группы %s (%s)", key.Group, key.Level.Name()))
		return
	}
	var b *balance.Row
	if base != nil {
		if x, ok := base.Row(key); ok {
			b = &x
		}
	}
	var props []balance.Proposal
	for _, p := range res.Proposals {
		if p.Key == key {
			props = append(props, p)
		}
	}
	type planView struct {
		Year          int
		Before, After string
		Unclosed      int
		Reason        string
	}
	var plans []planView
	for _, p := range res.Plans {
		if p.Key == key {
			plans = append(plans, planView{p.Year, signed(amount(p.GapBefore)), signed(amount(p.GapAfter)), amount(p.Unclosed), p.Reason})
		}
	}
	munis := map[int64]string{0: "не определён"}
	if list, err := w.d.Municipalities.Municipalities(r.Context(), sc.RegionCode); err == nil {
		for _, m := range list {
			munis[m.ID] = m.Name
		}
	}
	type muniView struct {
		Name   string
		Places int
	}
	var byMuni []muniView
	for id, n := range row.Municipalities {
		byMuni = append(byMuni, muniView{munis[id], n})
	}
	slices.SortFunc(byMuni, func(a, b muniView) int { return b.Places - a.Places })
	data := map[string]any{"Row": newRowView(row, b, allIndexes(len(row.Cells))), "Raw": row, "Chart": historyChart(row), "Years": yearly(row),
		"Proposals": proposalViews(props, 0), "Plans": plans, "Municipalities": byMuni, "Result": res, "Scenario": r.URL.Query().Get("scenario"),
		"Rates": res.Rates}
	w.render(rw, r, http.StatusOK, "balance_group", "balance", data)
}

// yearView is a calendar year of a row's vacancy history or forecast.
type yearView struct {
	Year             int
	Actual           int
	Months           int // months of history in the year
	Forecast         bool
	Mean, Lo80, Hi80 int
}

// yearly sums the monthly history and forecast of a row to calendar years.
func yearly(row balance.Row) []yearView {
	by := map[int]*yearView{}
	var order []int
	get := func(y int) *yearView {
		v := by[y]
		if v == nil {
			v = &yearView{Year: y}
			by[y] = v
			order = append(order, y)
		}
		return v
	}
	var mean, lo, hi = map[int]float64{}, map[int]float64{}, map[int]float64{}
	for _, p := range row.History {
		v := get(p.Month.Year())
		v.Actual += amount(p.Value)
		v.Months++
	}
	for i, p := range row.Forecast {
		y := p.Month.Year()
		get(y).Forecast = true
		mean[y] += p.Value
		lo[y] += row.Lo80[i].Value
		hi[y] += row.Hi80[i].Value
	}
	out := make([]yearView, 0, len(order))
	for _, y := range order {
		v := by[y]
		v.Mean, v.Lo80, v.Hi80 = amount(mean[y]), amount(lo[y]), amount(hi[y])
		out = append(out, *v)
	}
	return out
}

// chart is a line chart drawn on the server as SVG: lines over x positions,
// with a shaded band.
type chart struct {
	W, H   int
	Left   float64
	Bottom float64
	Band   string
	Lines  []chartLine
	XTicks []plotTick
	YTicks []plotTick
	Label  string
}

type chartLine struct {
	Points string
	Color  string
	Dash   string
	Name   string
}

// chartSeries is a line: NaN leaves a point out.
type chartSeries struct {
	Values      []float64
	Color, Dash string
	Name        string
}

// buildChart places n points a line across, from zero to the highest
// value, with the band between lo and hi (nil for none).
func buildChart(label string, xLabels []string, every int, lo, hi []float64, lines []chartSeries) chart {
	const w, h, left, right, top, bottom = 640.0, 260.0, 56.0, 12.0, 12.0, 28.0
	c := chart{W: int(w), H: int(h), Left: left, Bottom: h - bottom, Label: label}
	n := len(xLabels)
	top1 := 1.0
	for _, s := range lines {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				top1 = math.Max(top1, v)
			}
		}
	}
	for _, v := range hi {
		if !math.IsNaN(v) {
			top1 = math.Max(top1, v)
		}
	}
	step := niceStep(top1 / 4)
	top1 = math.Ceil(top1/step) * step
	x := func(i int) float64 {
		if n < 2 {
			return left
		}
		return left + float64(i)*(w-left-right)/float64(n-1)
	}
	y := func(v float64) float64 { return top + (h-top-bottom)*(1-v/top1) }
	for _, s := range lines {
		var pts []string
		for i, v := range s.Values {
			if !math.IsNaN(v) {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
			}
		}
		c.Lines = append(c.Lines, chartLine{Points: strings.Join(pts, " "), Color: s.Color, Dash: s.Dash, Name: s.Name})
	}
	if lo != nil {
		var up, down []string
		for i := range hi {
			if !math.IsNaN(hi[i]) {
				up = append(up, fmt.Sprintf("%.1f,%.1f", x(i), y(hi[i])))
			}
		}
		for i := len(lo) - 1; i >= 0; i-- {
			if !math.IsNaN(lo[i]) {
				down = append(down, fmt.Sprintf("%.1f,%.1f", x(i), y(lo[i])))
			}
		}
		c.Band = strings.Join(append(up, down...), " ")
	}
	for i := 0; i < n; i += max(1, every) {
		c.XTicks = append(c.XTicks, plotTick{At: round1(x(i)), Label: xLabels[i]})
	}
	for v := 0.0; v <= top1+step/2; v += step {
		c.YTicks = append(c.YTicks, plotTick{At: round1(y(v)), Label: Number(int(v))})
	}
	return c
}

// niceStep rounds a step of an axis up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if x <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

// totalsChart draws the region's demand, with its 80% interval, against the supply.
func totalsChart(cells []balance.Cell) chart {
	labels := make([]string, len(cells))
	demand, supply, lo, hi := make([]float64, len(cells)), make([]float64, len(cells)), make([]float64, len(cells)), make([]float64, len(cells))
	for i, c := range cells {
		labels[i] = strconv.Itoa(c.Year)
		demand[i], supply[i], lo[i], hi[i] = c.Demand.Mean, c.Supply, c.Demand.Lo80, c.Demand.Hi80
	}
	return buildChart("Спрос и выпуск по годам, человек", labels, 1, lo, hi, []chartSeries{
		{Values: demand, Color: "#b3261e", Name: "спрос"}, {Values: supply, Color: "#1f5fa8", Name: "выпуск"}})
}

// historyChart draws the monthly work places of a row's vacancies and
// their forecast with its 80% interval.
func historyChart(row balance.Row) chart {
	n := len(row.History) + len(row.Forecast)
	labels := make([]string, n)
	hist, fc, lo, hi := nans(n), nans(n), nans(n), nans(n)
	for i, p := range row.History {
		labels[i] = strconv.Itoa(p.Month.Year())
		hist[i] = p.Value
	}
	for i, p := range row.Forecast {
		k := len(row.History) + i
		labels[k] = strconv.Itoa(p.Month.Year())
		fc[k], lo[k], hi[k] = p.Value, row.Lo80[i].Value, row.Hi80[i].Value
	}
	if len(row.History) > 0 && len(row.Forecast) > 0 {
		k := len(row.History) - 1
		fc[k], lo[k], hi[k] = hist[k], hist[k], hist[k]
	}
	// Ticks at Januaries.
	every := 12
	start := 0
	for i := range row.History {
		if row.History[i].Month.Month() == time.January {
			start = i
			break
		}
	}
	c := buildChart("Рабочие места в вакансиях по месяцам", labels[start:], every, lo[start:], hi[start:], []chartSeries{
		{Values: hist[start:], Color: "#1f5fa8", Name: "история"}, {Values: fc[start:], Color: "#b3261e", Dash: "5 4", Name: "прогноз"}})
	return c
}

func nans(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}

// BalanceData is what the balance rests on besides vacancies and learners:
// declared needs, capacities and the age structure, with their forms and loads.
func (w *Web) BalanceData(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if !balance.CanSee(sc) {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "баланс кадров видят регион, центры занятости, образовательные организации и работодатели"))
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	in, err := w.d.Balance.Input(ctx, sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data := map[string]any{"CanDeclare": balance.CanDeclare(sc), "CanCapacity": balance.CanSetCapacity(sc), "CanPlan": balance.CanPlan(sc),
		"Region": sc.WholeRegion(), "Done": q.Get("done"), "Error": q.Get("error"), "Horizons": balance.Horizons, "Kinds": balance.ImportKinds,
		"Year": w.d.Balance.Now().Year(), "Bands": balance.Bands, "Specialties": taughtSpecialties(in)}
	if balance.CanDeclare(sc) {
		needs, err := w.d.Balance.Needs(ctx, sc, balance.NeedFilter{})
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		data["Needs"] = needs
	}
	if balance.CanSetCapacity(sc) {
		progs, err := w.d.Balance.Programmes(ctx, sc)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		data["Programmes"] = progs
	}
	if balance.CanPlan(sc) {
		data["Ages"] = ageTable(in.Ages)
	}
	w.render(rw, r, http.StatusOK, "balance_data", "balance", data)
}

// taughtSpecialties lists the specialties the region's organisations teach
// or plan to, for the forms.
func taughtSpecialties(in balance.Input) []balance.Specialty {
	seen := map[string]bool{}
	var out []balance.Specialty
	for _, p := range balance.Programmes(in) {
		if !seen[p.Specialty.Code] {
			seen[p.Specialty.Code] = true
			out = append(out, p.Specialty)
		}
	}
	slices.SortFunc(out, func(a, b balance.Specialty) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// ageRow is a group's age structure as a row of a table.
type ageRow struct {
	Group, Name, Level string
	Year               int
	ByBand             []int
	Total              int
}

func ageTable(ages []balance.Age) []ageRow {
	var out []ageRow
	index := map[balance.Key]int{}
	for _, a := range ages {
		i, ok := index[a.Key]
		if !ok {
			i = len(out)
			index[a.Key] = i
			out = append(out, ageRow{Group: a.Key.Group, Name: a.GroupName, Level: a.Key.Level.Name(), Year: a.Year, ByBand: make([]int, len(balance.Bands))})
		}
		if b := slices.Index(balance.Bands, a.Band); b >= 0 {
			out[i].ByBand[b] += a.Employed
			out[i].Total += a.Employed
		}
	}
	return out
}

// balanceInt reads an integer field of a form, naming it when it is wrong.
func balanceInt(r *http.Request, name, title string) (int, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0, apperr.Field(name, "не указано: %s", title)
	}
	n, err := strconv.Atoi(strings.ReplaceAll(strings.ReplaceAll(v, " ", ""), "\u202f", ""))
	if err != nil {
		return 0, apperr.Field(name, "%s: «%s» не является целым числом", title, v)
	}
	return n, nil
}

// DeclareNeed saves a need from the form.
func (w *Web) DeclareNeed(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	n := balance.Need{Specialty: r.PostFormValue("specialty_code"), Note: r.PostFormValue("note")}
	var err error
	if sc.WholeRegion() {
		var o balance.Org
		if o, err = w.d.Balance.Employer(r.Context(), sc, r.PostFormValue("employer_inn")); err != nil {
			w.afterPost(rw, r, "/balance/data", "", err)
			return
		}
		n.EmployerID = o.ID
	}
	if n.Horizon, err = balanceInt(r, "horizon", "горизонт"); err == nil {
		if n.Count, err = balanceInt(r, "count", "потребность"); err == nil {
			err = w.d.Balance.Declare(r.Context(), sc, &n)
		}
	}
	w.afterPost(rw, r, "/balance/data", fmt.Sprintf("Потребность сохранена: %s через %s.", Count(n.Count, "человек", "человека", "человек"),
		Count(n.Horizon, "год", "года", "лет")), err)
}

// DeleteNeed removes a need.
func (w *Web) DeleteNeed(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	w.afterPost(rw, r, "/balance/data", "Потребность удалена.", w.d.Balance.DeleteNeed(r.Context(), sc, id))
}

// SetCapacity saves a programme's capacity and plan of admission.
func (w *Web) SetCapacity(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	c := balance.Capacity{}
	org, spec, _ := strings.Cut(r.PostFormValue("programme"), "|")
	c.OrgID, _ = strconv.ParseInt(org, 10, 64)
	c.Specialty = spec
	var err error
	if c.Capacity, err = balanceInt(r, "capacity", "вместимость"); err == nil {
		if strings.TrimSpace(r.PostFormValue("plan")) != "" {
			c.Plan, err = balanceInt(r, "plan", "план приёма")
		}
		if err == nil {
			err = w.d.Balance.SetCapacity(r.Context(), sc, c)
		}
	}
	w.afterPost(rw, r, "/balance/data", "Вместимость сохранена.", err)
}

// BalanceImport loads a file of needs, capacities or the age structure.
func (w *Web) BalanceImport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	file, hdr, err := r.FormFile("file")
	if err != nil {
		w.afterPost(rw, r, "/balance/data", "", apperr.Field("file", "выберите файл CSV или XLSX"))
		return
	}
	defer file.Close()
	rep, err := imports.Balance(r.Context(), w.d.Balance, sc, r.FormValue("kind"), file, hdr.Filename)
	if err == nil && rep.Loaded == 0 && len(rep.Rejected) > 0 {
		err = apperr.New(apperr.Invalid, "ни одна строка не загружена; %s", rejectedText(rep))
	}
	msg := "Файл загружен: " + rep.String() + "."
	if len(rep.Rejected) > 0 {
		msg += " " + rejectedText(rep)
	}
	w.afterPost(rw, r, "/balance/data", msg, err)
}

// rejectedText names the first rejected rows of a report.
func rejectedText(rep balance.Report) string {
	var parts []string
	for i, x := range rep.Rejected {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("и ещё %d", len(rep.Rejected)-5))
			break
		}
		parts = append(parts, fmt.Sprintf("строка %d: %s", x.Line, x.Reason))
	}
	return "Отклонены: " + strings.Join(parts, "; ") + "."
}

// Scenarios lists the region's scenarios and makes new ones.
func (w *Web) Scenarios(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	list, err := w.d.Balance.Scenarios(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	q := r.URL.Query()
	w.render(rw, r, http.StatusOK, "balance_scenario", "balance", map[string]any{"Scenarios": list, "Done": q.Get("done"), "Error": q.Get("error")})
}

// CreateScenario makes an empty scenario and opens it.
func (w *Web) CreateScenario(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	x := balance.Scenario{Name: r.PostFormValue("name")}
	if err := w.d.Balance.SaveScenario(r.Context(), sc, &x); err != nil {
		w.afterPost(rw, r, "/balance/scenarios", "", err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/balance/scenarios/%d?done=%s", x.ID, url.QueryEscape("Сценарий создан: добавьте изменения.")), http.StatusSeeOther)
}

// ScenarioFromProposals makes a scenario of the proposals of admission.
func (w *Web) ScenarioFromProposals(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	x, err := w.d.Balance.FromProposals(r.Context(), sc, r.PostFormValue("name"), r.PostForm["confirm"])
	if err != nil {
		w.afterPost(rw, r, "/balance", "", err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/balance?scenario=%d&done=%s", x.ID, url.QueryEscape("Предложения по приёму сохранены как сценарий «"+x.Name+"».")), http.StatusSeeOther)
}

// SetBalanceLimit sets the region's limit on a proposal's change of
// admission, given in percent.
func (w *Web) SetBalanceLimit(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	pct, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(r.PostFormValue("max_change")), ",", ".", 1), 64)
	if err != nil {
		pct = math.NaN() // refused by the service, after the check of access
	}
	err = w.d.Balance.SetMaxChange(r.Context(), sc, pct/100)
	w.afterPost(rw, r, "/balance", "Предел изменения приёма сохранён: "+Percent(pct/100)+" в год.", err)
}

// ScenarioPage shows a scenario's changes with the forms to add more, and
// what it does to the gap.
func (w *Web) ScenarioPage(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	x, err := w.d.Balance.Scenario(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	in, err := w.d.Balance.Input(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	progs := balance.Programmes(in)
	names := map[string]string{}
	for _, p := range progs {
		names[fmt.Sprintf("%d|%s", p.OrgID, p.Specialty.Code)] = p.OrgName + " — " + p.Specialty.Code + " " + p.Specialty.Name
	}
	type admView struct {
		balance.AdmissionChange
		Name string
	}
	var adms []admView
	for _, c := range x.Admissions {
		adms = append(adms, admView{c, names[fmt.Sprintf("%d|%s", c.OrgID, c.Specialty)]})
	}
	q := r.URL.Query()
	data := map[string]any{"Scenario": x, "Admissions": adms, "Programmes": progs, "Specialties": taughtSpecialties(in),
		"Ahead": ahead(in.Years()), "Campaigns": campaigns(in), "Done": q.Get("done"), "Error": q.Get("error")}
	// What the scenario does: the rows and years whose gap it moves.
	if res, err := w.d.Balance.Balance(r.Context(), sc, x.ID); err == nil {
		base, err := w.d.Balance.Balance(r.Context(), sc, 0)
		if err == nil {
			var moved []rowView
			for _, row := range res.Rows {
				b, ok := base.Row(row.Key)
				if !ok {
					continue
				}
				v := newRowView(row, &b, allIndexes(len(row.Cells)))
				for _, c := range v.Cells {
					if c.Changed {
						moved = append(moved, v)
						break
					}
				}
			}
			data["Moved"], data["BalanceYears"] = moved, res.Years
		}
	} else {
		data["Error"] = apperr.Text(err)
	}
	w.render(rw, r, http.StatusOK, "balance_scenario", "balance", data)
}

// campaigns are the admission campaigns a scenario may change: those whose
// graduates still fall within the seven years.
func campaigns(in balance.Input) []int {
	var out []int
	for y := in.SchoolYear + 1; y <= in.SchoolYear+balance.MaxHorizon-2; y++ {
		out = append(out, y)
	}
	return out
}

// AddScenarioChange adds a change of admission or a need to a scenario.
func (w *Web) AddScenarioChange(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	back := fmt.Sprintf("/balance/scenarios/%d", id)
	x, err := w.d.Balance.Scenario(r.Context(), sc, id)
	if err != nil {
		w.afterPost(rw, r, back, "", err)
		return
	}
	done := ""
	switch r.PostFormValue("kind") {
	case "admission":
		c := balance.AdmissionChange{}
		org, spec, _ := strings.Cut(r.PostFormValue("programme"), "|")
		c.OrgID, _ = strconv.ParseInt(org, 10, 64)
		c.Specialty = spec
		if c.FromYear, err = balanceInt(r, "from_year", "год приёма"); err == nil {
			if c.Admissions, err = balanceInt(r, "admissions", "приём"); err == nil {
				x.Admissions = append(x.Admissions, c)
				done = fmt.Sprintf("Приём с %d года изменён: %s.", c.FromYear, Count(c.Admissions, "человек", "человека", "человек"))
			}
		}
	case "need":
		c := balance.NeedChange{Employer: strings.TrimSpace(r.PostFormValue("employer")), Specialty: r.PostFormValue("specialty_code"),
			Yearly: r.PostFormValue("yearly") != ""}
		if c.Horizon, err = balanceInt(r, "horizon", "горизонт"); err == nil {
			if c.Count, err = balanceInt(r, "count", "потребность"); err == nil {
				x.Needs = append(x.Needs, c)
				done = fmt.Sprintf("Потребность добавлена: %s через %s.", Count(c.Count, "человек", "человека", "человек"), Count(c.Horizon, "год", "года", "лет"))
			}
		}
	default:
		err = apperr.Field("kind", "неизвестный вид изменения")
	}
	if err == nil {
		err = w.d.Balance.SaveScenario(r.Context(), sc, &x)
	}
	w.afterPost(rw, r, back, done, err)
}

// RemoveScenarioChange removes a change of a scenario by its place.
func (w *Web) RemoveScenarioChange(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	back := fmt.Sprintf("/balance/scenarios/%d", id)
	x, err := w.d.Balance.Scenario(r.Context(), sc, id)
	if err != nil {
		w.afterPost(rw, r, back, "", err)
		return
	}
	i, _ := strconv.Atoi(r.PostFormValue("index"))
	switch kind := r.PostFormValue("kind"); {
	case kind == "admission" && i >= 0 && i < len(x.Admissions):
		x.Admissions = slices.Delete(x.Admissions, i, i+1)
	case kind == "need" && i >= 0 && i < len(x.Needs):
		x.Needs = slices.Delete(x.Needs, i, i+1)
	default:
		w.afterPost(rw, r, back, "", apperr.New(apperr.NotFound, "изменение не найдено"))
		return
	}
	w.afterPost(rw, r, back, "Изменение удалено.", w.d.Balance.SaveScenario(r.Context(), sc, &x))
}

// DeleteScenario removes a scenario.
func (w *Web) DeleteScenario(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	w.afterPost(rw, r, "/balance/scenarios", "Сценарий удалён.", w.d.Balance.DeleteScenario(r.Context(), sc, id))
}

// signed writes a whole number with its sign: «+12», «−30», «0».
func signed(n int) string {
	if n > 0 {
		return "+" + Number(n)
	}
	return Number(n)
}

// GapText is the gap with its sign.
func (c cellView) GapText() string { return signed(c.Gap) }

// Class is the style of the gap: a shortage beyond the interval is bad, a
// surplus beyond it a warning.
func (c cellView) Class() string {
	switch {
	case c.Shortage:
		return "bad"
	case c.Surplus:
		return "warn"
	}
	return "good"
}

// SMAPE is the backtest's sMAPE, or a dash without one.
func (v rowView) SMAPE() string {
	if v.Accuracy == nil || math.IsNaN(v.Accuracy.SMAPE) {
		return "—"
	}
	return Decimal(v.Accuracy.SMAPE, 1) + "\u00a0%"
}

// MASE is the backtest's MASE, or a dash.
func (v rowView) MASE() string {
	if v.Accuracy == nil || math.IsNaN(v.Accuracy.MASE) || math.IsInf(v.Accuracy.MASE, 0) {
		return "—"
	}
	return Decimal(v.Accuracy.MASE, 2)
}

// OWA is the backtest's OWA against the naive forecast, or a dash.
func (v rowView) OWA() string {
	if v.Accuracy == nil || math.IsNaN(v.Accuracy.OWA) || math.IsInf(v.Accuracy.OWA, 0) {
		return "—"
	}
	return Decimal(v.Accuracy.OWA, 2)
}

// Beats reports that the forecast beat the naive one on the history.
func (v rowView) Beats() bool {
	return v.Accuracy != nil && !math.IsNaN(v.Accuracy.OWA) && v.Accuracy.OWA < 1
}

// rateRow is the rates of a level for the table: three steps between courses.
type rateRow struct {
	Level      string
	Steps      []string
	Graduation string
	Base       int
}

func rateRows(r balance.Rates) []rateRow {
	var out []rateRow
	for _, l := range []balance.Level{balance.SPO, balance.Higher} {
		x, ok := r.Level[l]
		if !ok {
			continue
		}
		row := rateRow{Level: l.Name(), Graduation: Percent(x.Graduation), Base: x.Base}
		for i := 0; i < 3; i++ {
			v := "—"
			if i < len(x.Progression) {
				v = Percent(x.Progression[i])
			}
			row.Steps = append(row.Steps, v)
		}
		out = append(out, row)
	}
	return out
}

// yearAhead is a year of the balance with how many years ahead it is.
type yearAhead struct{ N, Year int }

func ahead(years []int) []yearAhead {
	out := make([]yearAhead, len(years))
	for i, y := range years {
		out[i] = yearAhead{i + 1, y}
	}
	return out
}

// AnnualText is the error of the forecast of a year's total on the history.
func (v rowView) AnnualText() string {
	if v.Annual == nil {
		return "—"
	}
	return Decimal(v.Annual.SMAPE, 1) + "\u00a0%"
}

// NaiveText is the same error of carrying the last twelve months forward.
func (v rowView) NaiveText() string {
	if v.Annual == nil {
		return "—"
	}
	return Decimal(v.Annual.NaiveSMAPE, 1) + "\u00a0%"
}
