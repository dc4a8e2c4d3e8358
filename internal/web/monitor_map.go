package web

import (
	"context"
	"math"

	"marshrut/internal/analytics"
	"marshrut/internal/kpi"
)

// regionMap is the region's municipalities drawn at their centres: each a
// circle sized by how many people the measure counts there and coloured by
// where its value stands against the target. The parts table beside it is
// its twin in numbers.
type regionMap struct {
	Width, Height int
	Points        []mapPoint
	Target        string // the target in words, for the legend; empty without one
}

// mapPoint is one municipality on the map.
type mapPoint struct {
	X, Y, R float64
	Name    string
	Text    string // the value in words: «81,4 % (136 из 167)» or «нет данных»
	Class   string // good, warn, bad or none
	Label   bool   // the name is written beside the circle
}

// mapSize is the side of the square the drawing fits in.
const mapSize = 640

// monitorMap draws the measure m over the municipalities among children,
// at the coordinates of their centres; nil when fewer than two have them.
func (w *Web) monitorMap(ctx context.Context, region string, children []analytics.Child, m kpi.Measure, target *float64) (*regionMap, error) {
	if w.d.Municipalities == nil {
		return nil, nil
	}
	list, err := w.d.Municipalities.Municipalities(ctx, region)
	if err != nil {
		return nil, err
	}
	type place struct {
		lat, lon float64
		child    analytics.Child
	}
	var places []place
	at := map[int64][2]float64{}
	for _, x := range list {
		if x.Lat != 0 || x.Lon != 0 {
			at[x.ID] = [2]float64{x.Lat, x.Lon}
		}
	}
	most := 0
	for _, c := range children {
		p, ok := at[c.Level.ID]
		if c.Level.Kind != "municipality" || !ok {
			continue
		}
		places = append(places, place{lat: p[0], lon: p[1], child: c})
		most = max(most, m.Den(c.Figures))
	}
	if len(places) < 2 {
		return nil, nil
	}
	// An equirectangular projection about the region's middle latitude is
	// true enough for one region; a margin keeps the largest circle inside.
	minLat, maxLat, minLon, maxLon := 90.0, -90.0, 180.0, -180.0
	for _, p := range places {
		minLat, maxLat = math.Min(minLat, p.lat), math.Max(maxLat, p.lat)
		minLon, maxLon = math.Min(minLon, p.lon), math.Max(maxLon, p.lon)
	}
	k := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	spanX, spanY := math.Max((maxLon-minLon)*k, 0.01), math.Max(maxLat-minLat, 0.01)
	const margin = 40
	// The drawing fits a square of mapSize: a region long from north to
	// south is drawn narrow rather than taller than a screen.
	scale := math.Min(float64(mapSize-2*margin)/spanX, float64(mapSize-2*margin)/spanY)
	// Room is left on the right for the names written beside the circles.
	out := &regionMap{Width: int(math.Ceil(spanX*scale)) + 2*margin + 160, Height: int(math.Ceil(spanY*scale)) + 2*margin}
	if target != nil {
		out.Target = Percent(*target)
	}
	for _, p := range places {
		n, den := m.Num(p.child.Figures), m.Den(p.child.Figures)
		pt := mapPoint{X: math.Round(margin + (p.lon-minLon)*k*scale), Y: math.Round(margin + (maxLat-p.lat)*scale),
			R: 3, Name: p.child.Level.Name, Text: "нет данных", Class: "none"}
		if den > 0 {
			v := float64(n) / float64(den)
			pt.R = math.Round(4+18*math.Sqrt(float64(den)/float64(max(most, 1)))*10) / 10
			pt.Text = Percent(v) + " (" + Number(n) + " из " + Number(den) + ")"
			pt.Class = standing(v, target)
			pt.Label = pt.R >= 8
		}
		out.Points = append(out.Points, pt)
	}
	return out, nil
}

// standing is where a value stands against the target: reached, within ten
// points of it, or further below; without a target, by the value alone.
func standing(v float64, target *float64) string {
	goal := 0.85
	if target != nil {
		goal = *target
	}
	switch {
	case v >= goal:
		return "good"
	case v >= goal-0.1:
		return "warn"
	}
	return "bad"
}
