package learn

import (
	"slices"
	"testing"

	"marshrut/internal/engine/fault"
)

func TestStratifiedKFold(t *testing.T) {
	y := make([]bool, 103)
	for i := range y {
		y[i] = i%4 == 0 // 26 positives
	}
	folds, err := StratifiedKFold(y, 5, 42)
	if err != nil {
		t.Fatal(err)
	}
	seen := make([]int, len(y))
	for k, f := range folds {
		if len(f.Train)+len(f.Test) != len(y) {
			t.Errorf("fold %d: %d + %d rows", k, len(f.Train), len(f.Test))
		}
		if !slices.IsSorted(f.Test) || !slices.IsSorted(f.Train) {
			t.Errorf("fold %d not sorted", k)
		}
		pos := 0
		for _, i := range f.Test {
			seen[i]++
			if y[i] {
				pos++
			}
		}
		if pos < 5 || pos > 6 || len(f.Test) < 20 || len(f.Test) > 21 {
			t.Errorf("fold %d: %d rows, %d positives", k, len(f.Test), pos)
		}
	}
	for i, n := range seen {
		if n != 1 {
			t.Fatalf("row %d tested %d times", i, n)
		}
	}
	again, _ := StratifiedKFold(y, 5, 42)
	other, _ := StratifiedKFold(y, 5, 43)
	if !slices.EqualFunc(folds, again, func(a, b Fold) bool { return slices.Equal(a.Test, b.Test) }) {
		t.Error("same seed, other folds")
	}
	if slices.EqualFunc(folds, other, func(a, b Fold) bool { return slices.Equal(a.Test, b.Test) }) {
		t.Error("other seed, same folds")
	}
	if _, err := StratifiedKFold(y[:12], 5, 1); !fault.Is(err) {
		t.Errorf("3 positives in 5 folds: %v", err)
	}
}
