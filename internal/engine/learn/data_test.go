package learn

import (
	"math"
	"slices"
	"testing"

	"marshrut/internal/engine/fault"
)

func TestMatrix(t *testing.T) {
	m := NewMatrix(3, 2, []string{"a", ""})
	copy(m.Data, []float64{1, 2, 3, 4, 5, 6})
	if m.At(1, 1) != 4 || !slices.Equal(m.Row(2), []float64{5, 6}) {
		t.Errorf("At/Row: %v", m.Data)
	}
	if s := m.Subset([]int{2, 0}); !slices.Equal(s.Data, []float64{5, 6, 1, 2}) {
		t.Errorf("Subset: %v", s.Data)
	}
	if c := m.Columns([]int{1}); !slices.Equal(c.Data, []float64{2, 4, 6}) || c.Names[0] != "" {
		t.Errorf("Columns: %v %q", c.Data, c.Names)
	}
	if n := m.featureNames(); !slices.Equal(n, []string{"a", "x2"}) {
		t.Errorf("names %q", n)
	}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if !Missing(v) {
			t.Errorf("%v not missing", v)
		}
	}
	if Missing(0) || Missing(-1e308) {
		t.Error("a number counted as missing")
	}
	if err := (Matrix{Rows: 2, Cols: 2, Data: make([]float64, 3)}).check([]bool{true, false}); !fault.Is(err) {
		t.Errorf("a short matrix: %v", err)
	}
}
