package web

import (
	"io"
	"log/slog"
	"math"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/rollup"
)

// The region's page says which figures are protected and how, and shows
// the accuracy of the bundle by table; a bundle of the old format says its
// small counts were hidden.
func TestFederalRegionProtection(t *testing.T) {
	w, err := New(Deps{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	five := 5
	p := rollup.CellKey()
	p.Accuracy = []rollup.Accuracy{{Table: "employment", Figures: 140, MeanAbs: 2.61, Shares: 10.34}, {Table: "measures", Figures: 33, MeanAbs: 2.18, Shares: 0.06, ShareMax: 0.57}}
	b := rollup.Bundle{Region: "41", RegionName: "Камчатский край", Period: "2026-12", ID: rollup.NewID(), CreatedAt: time.Now(), Threshold: rollup.Threshold, Protection: &p,
		Tables: []rollup.Table{{Name: "learners", Dims: []string{"status"}, Measures: []string{"count"}, Rows: []rollup.Row{{Dims: []string{"pupil"}, Values: []*int{&five}}}}}}
	render := func(b rollup.Bundle) string {
		rec := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/federal/regions/41", nil)
		u := auth.User{ID: 1, Login: "federal", Role: auth.Federal}
		r = r.WithContext(auth.WithCaller(r.Context(), u, u.Scope("127.0.0.1")))
		w.render(rec, r, 200, "federal_region", "federal", map[string]any{"Bundle": b, "Measures": measureTitles, "Tables": tableTitles})
		return rec.Body.String()
	}
	page := render(b)
	for _, want := range []string{"Защита чисел и точность сводки", "методом ключа ячейки", "±2", "Трудоустройство по муниципалитетам", "2,61", "10,34", "0,57"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	b.Protection = nil
	if page := render(b); !strings.Contains(page, "Пакет прежнего формата") {
		t.Error("an old bundle is not told apart")
	}
}

// The comparison's chart sets every region beside the others in each
// share, with the pilot's target, and says «нет данных» where a share
// cannot be computed; the table below says the same numbers.
func TestFederalChart(t *testing.T) {
	w, err := New(Deps{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	share := func(v float64) *float64 { return &v }
	rows := []rollup.RegionRow{
		{Code: "41", Name: "Камчатский край", Period: "2026-11", Learners: 55_000, Guidance: share(0.914), Informed: share(0.62), Employment: share(0.871), Retention: share(0.9)},
		{Code: "49", Name: "Магаданская область", Period: "2026-11", Learners: 21_000, Guidance: share(0.78), Employment: share(0.8)},
	}
	c := regionsChart(rows)
	if c == nil || len(c.Panels) != 4 {
		t.Fatalf("chart %+v, want four panels", c)
	}
	emp := c.Panels[2]
	if emp.Target != Percent(0.85) || emp.TargetX != fedLabel+math.Round(fedScale*0.85) || len(emp.Bars) != 2 || emp.Bars[0].Width != math.Round(fedScale*0.871) {
		t.Errorf("employment panel %+v", emp)
	}
	if inf := c.Panels[1].Bars[1]; inf.Width != 0 || inf.Text != "нет данных" {
		t.Errorf("a region without the share: %+v", inf)
	}
	rec := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/federal", nil)
	u := auth.User{ID: 1, Login: "federal", Role: auth.Federal}
	r = r.WithContext(auth.WithCaller(r.Context(), u, u.Scope("127.0.0.1")))
	w.render(rec, r, 200, "federal", "federal", map[string]any{"Rows": rows, "Chart": c, "Threshold": rollup.Threshold})
	page := rec.Body.String()
	for _, want := range []string{`id="regions-chart"`, "Заняты через 6 месяцев после выпуска (цель " + Percent(0.85) + ")", Percent(0.871), "Магаданская область", "нет данных", `id="regions"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if regionsChart(nil) != nil {
		t.Error("a chart without regions")
	}
}
