package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/balance"
)

// The charts of the balance pages, drawn on the server as SVG: demand against
// graduates by year with the forecast's interval, and a group's history.

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
