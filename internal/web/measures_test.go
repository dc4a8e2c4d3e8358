package web

import (
	"testing"

	activemeasures "marshrut/internal/measures"
)

func TestMeasureStep(t *testing.T) {
	for _, c := range []struct{ most, want int }{{1, 1}, {4, 1}, {6, 2}, {10, 2}, {11, 5}, {187, 50}, {250, 50}, {251, 100}, {4999, 1000}} {
		if got := measureStep(c.most); got != c.want {
			t.Errorf("measureStep(%d) = %d, want %d", c.most, got, c.want)
		}
	}
}

func TestCategoryChart(t *testing.T) {
	rows := []activemeasures.Row{{Name: "молодёжь", Enrolled: 187, Completed: 149, Employed: 75}, {Name: "безработные", Enrolled: 0}}
	c := categoryChart(rows)
	if len(c.Rows) != 2 || len(c.Rows[0].Bars) != 3 || len(c.Legend) != 3 {
		t.Fatalf("chart %+v", c)
	}
	// The axis runs 0…200 by 50: five ticks, the last at the end of the span.
	if len(c.Ticks) != 5 || c.Ticks[4].Label != "200" || c.Ticks[4].At != 700 {
		t.Errorf("ticks %+v", c.Ticks)
	}
	b := c.Rows[0].Bars
	if b[0].W != 374 || b[2].W != 150 || b[0].Value != "187" {
		t.Errorf("bars %+v", b)
	}
	if w := c.Rows[1].Bars[0].W; w != 0 {
		t.Errorf("an empty category's bar is %v wide", w)
	}
	if c.Height <= int(c.Rows[1].Y) {
		t.Errorf("height %d cuts the last row at %v", c.Height, c.Rows[1].Y)
	}
}
