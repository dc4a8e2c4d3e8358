package ts

import (
	"math"
	"strings"
	"testing"

	"marshrut/internal/engine/fault"
)

// TestBacktestByHand: Naive on 1..6, two steps, two origins. From 1, 2, 3
// it says 3, 3 against 4, 5; from 1..4 it says 4, 4 against 5, 6. The
// in-sample steps are all 1, so MASE is the mean absolute error, 1.5 both
// times; sMAPE is (200/7 + 400/8)/2 and (200/9 + 400/10)/2.
func TestBacktestByHand(t *testing.T) {
	y := []float64{1, 2, 3, 4, 5, 6}
	a, err := Backtest(y, 2, 2, Naive, Options{})
	if err != nil {
		t.Fatal(err)
	}
	smape := ((200.0/7+400.0/8)/2 + (200.0/9+400.0/10)/2) / 2
	if a.Origins != 2 || a.Horizon != 2 || !near(a.SMAPE, smape, 1e-12) || !near(a.MASE, 1.5, 1e-12) ||
		!near(a.Naive2SMAPE, smape, 1e-12) || a.OWA != 1 {
		t.Errorf("%+v, want sMAPE %v MASE 1.5 OWA 1", a, smape)
	}
	// Theta on the same windows is too short and falls back; the note says
	// where.
	a, err = Backtest(y, 2, 2, Theta, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.Note, "в 2 из 2 точек проверки: ряд из 3 значений короче") {
		t.Errorf("note %q", a.Note)
	}
}

func TestBacktestM3(t *testing.T) {
	// On a long M3 series the combination beats Naive2 over five origins.
	s := m3(t)[0]
	a, err := Backtest(s.values, 6, 5, Comb, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !(a.OWA < 1) || a.Note != "" || math.IsNaN(a.SMAPE) {
		t.Errorf("%s: %+v", s.id, a)
	}
}

func TestBacktestRefuses(t *testing.T) {
	y := []float64{1, 2, 3, 4, 5, 6}
	for _, c := range []struct {
		h, origins int
		want       string
	}{
		{2, 0, "число точек проверки должно быть не меньше 1, а задано 0"},
		{3, 3, "ряд из 6 значений короток для проверки: с горизонтом 3 и числом точек проверки 3 нужно не меньше 7 значений"},
		{7, 1, "горизонт прогноза 7 больше допустимого (6)"},
	} {
		_, err := Backtest(y, c.h, c.origins, Comb, Options{})
		if !fault.Is(err) || !strings.Contains(fault.Message(err), c.want) {
			t.Errorf("h %d origins %d: %v, want %q", c.h, c.origins, err, c.want)
		}
	}
	if _, err := Backtest([]float64{1, 2, -3, 4, 5}, 1, 1, Comb, Options{}); !strings.Contains(fault.Message(err), "№3 отрицательное") {
		t.Errorf("negative: %v", err)
	}
}
