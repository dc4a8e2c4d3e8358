package web

import (
	"math"

	"marshrut/internal/kpi"
	"marshrut/internal/rollup"
)

// federalChart sets the regions side by side, one panel per headline share,
// a bar per region and the pilot's target as a line. The regions' table
// below it is its twin in numbers.
type federalChart struct {
	Width, Height int
	Panels        []federalPanel
}

// federalPanel is one share across the regions.
type federalPanel struct {
	Title   string
	Y       int     // the panel's top
	TargetX float64 // where the target's line is drawn; 0 without a target
	Target  string
	Bars    []federalBar
}

// federalBar is one region in a panel.
type federalBar struct {
	Y     int
	Width float64 // 0 without a figure
	Label string
	Text  string // the share in words, «нет данных» without one
}

const (
	fedLabel = 230 // room for the region's name
	fedScale = 320 // the width of 100 %
	fedRow   = 20
	fedHead  = 26
)

// regionsChart draws the comparison; nil without regions.
func regionsChart(rows []rollup.RegionRow) *federalChart {
	if len(rows) == 0 {
		return nil
	}
	out := &federalChart{Width: fedLabel + fedScale + 70}
	y := 0
	for _, m := range []struct {
		code, title string
		share       func(rollup.RegionRow) *float64
	}{
		{"guidance", "Охват профориентацией", func(r rollup.RegionRow) *float64 { return r.Guidance }},
		{"informed", "Информированы о целевом обучении", func(r rollup.RegionRow) *float64 { return r.Informed }},
		{"employment6", "Заняты через 6 месяцев после выпуска", func(r rollup.RegionRow) *float64 { return r.Employment }},
		{"retention", "Сохранили занятость к 12 месяцам", func(r rollup.RegionRow) *float64 { return r.Retention }},
	} {
		p := federalPanel{Title: m.title, Y: y}
		if c, ok := kpi.Lookup(m.code); ok && c.Default > 0 {
			p.TargetX, p.Target = fedLabel+math.Round(fedScale*math.Min(1, c.Default)), Percent(c.Default)
		}
		y += fedHead
		for _, r := range rows {
			b := federalBar{Y: y, Label: r.Code + " " + r.Name, Text: "нет данных"}
			if v := m.share(r); v != nil {
				b.Width, b.Text = math.Round(fedScale*math.Max(0, math.Min(1, *v))), Percent(*v)
			}
			p.Bars = append(p.Bars, b)
			y += fedRow
		}
		out.Panels = append(out.Panels, p)
		y += 10
	}
	out.Height = y
	return out
}
