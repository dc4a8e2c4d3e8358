package web

import (
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/exchange"
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

// balancePage is the balance of the region by group and year.
type balancePage struct {
	Rows           []rowView
	Total          rowView
	TotalsAll      rowView
	Years          []int
	AllYears       []int
	Result         balance.Result
	Short          int
	Chart          chart
	Export         map[string]template.URL
	ProposalExport map[string]template.URL
	CanPlan        bool
	Proposals      []proposalView
	ProposalCount  int
	RateRows       []rateRow
	Method         string
	Closure        *balance.Closure // the first year's closure, nil without years
	ClosureYear    int
	MaxChange      float64
	Scenarios      []balance.Scenario
	Done, Error    string
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
	data := balancePage{Rows: rows, Total: newRowView(totals, baseTotals, pick), Years: pickYears(res.Years, pick), AllYears: res.Years,
		Result: res, Short: short, Chart: totalsChart(res.Totals), TotalsAll: newRowView(totals, nil, allIndexes(len(res.Years))),
		Export: exportLinks(r, "/balance/export"), ProposalExport: exportLinks(r, "/balance/proposals/export"),
		CanPlan: balance.CanPlan(sc), Done: q.Get("done"), Error: q.Get("error"), Proposals: proposalViews(res.Proposals, 40),
		ProposalCount: len(res.Proposals), RateRows: rateRows(res.Rates), Method: string(balance.Method)}
	if len(res.Totals) > 0 {
		c := res.Totals[0].Closure()
		data.Closure, data.ClosureYear = &c, res.Totals[0].Year
	}
	if share, err := w.d.Balance.MaxChange(r.Context(), sc); err == nil {
		data.MaxChange = share
	} else {
		w.logWithout(r, "the region's limit of a change of admission", err) // the default limit is shown
		data.MaxChange = balance.DefaultMaxChange
	}
	if balance.CanPlan(sc) {
		var err error
		if data.Scenarios, err = w.d.Balance.Scenarios(r.Context(), sc); err != nil {
			w.logWithout(r, "scenarios of the balance", err) // the base balance is chosen
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

// balancePlan is a year of the plan of a group: the gap before and after.
type balancePlan struct {
	Year          int
	Before, After string
	Unclosed      int
	Reason        string
}

// balancePlaces is a municipality with the places of a group in it.
type balancePlaces struct {
	Name   string
	Places int
}

// balanceGroupPage is a row of the balance in full.
type balanceGroupPage struct {
	Row            rowView
	Raw            balance.Row
	Chart          chart
	Years          []yearView
	Proposals      []proposalView
	Plans          []balancePlan
	Municipalities []balancePlaces
	Result         balance.Result
	Scenario       string
	Rates          balance.Rates
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
	var plans []balancePlan
	for _, p := range res.Plans {
		if p.Key == key {
			plans = append(plans, balancePlan{p.Year, signed(amount(p.GapBefore)), signed(amount(p.GapAfter)), amount(p.Unclosed), p.Reason})
		}
	}
	munis := map[int64]string{0: "не определён"}
	if list, err := w.d.Municipalities.Municipalities(r.Context(), sc.RegionCode); err != nil {
		w.logWithout(r, "municipalities of the places", err) // the places stand without the names
	} else {
		for _, m := range list {
			munis[m.ID] = m.Name
		}
	}
	var byMuni []balancePlaces
	for id, n := range row.Municipalities {
		byMuni = append(byMuni, balancePlaces{munis[id], n})
	}
	slices.SortFunc(byMuni, func(a, b balancePlaces) int { return b.Places - a.Places })
	data := balanceGroupPage{Row: newRowView(row, b, allIndexes(len(row.Cells))), Raw: row, Chart: historyChart(row), Years: yearly(row),
		Proposals: proposalViews(props, 0), Plans: plans, Municipalities: byMuni, Result: res, Scenario: r.URL.Query().Get("scenario"),
		Rates: res.Rates}
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
