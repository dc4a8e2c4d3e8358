package learn

import (
	"math/rand/v2"

	"marshrut/internal/engine/fault"
)

// Fold is one split of cross-validation: row indices to train on and to test on,
// both ascending.
type Fold struct {
	Train, Test []int
}

// StratifiedKFold splits the rows into k folds that keep the share of
// positives: each class is shuffled with the seed and dealt to the folds in
// turn, so the folds' sizes differ by at most one row within each class.
func StratifiedKFold(y []bool, k int, seed uint64) ([]Fold, error) {
	pos, neg := counts(y)
	if k < 2 {
		return nil, fault.New("для перекрёстной проверки нужно не меньше двух частей, а задано %d", k)
	}
	if pos < k || neg < k {
		return nil, fault.New("для перекрёстной проверки на %d частей нужно не меньше %d примеров каждого класса: положительных %d, отрицательных %d", k, k, pos, neg)
	}
	return foldsOf(foldOf(y, k, seed), k), nil
}

// foldsOf turns the fold of each row into k folds: each fold tests its own
// rows and trains on all the others.
func foldsOf(fold []int, k int) []Fold {
	out := make([]Fold, k)
	for i, f := range fold {
		for j := range out {
			if j == f {
				out[j].Test = append(out[j].Test, i)
			} else {
				out[j].Train = append(out[j].Train, i)
			}
		}
	}
	return out
}

// foldOf assigns each row a fold 0..k-1, stratified by class.
func foldOf(y []bool, k int, seed uint64) []int {
	rng := rand.New(rand.NewPCG(seed, 0x6d61727368727574)) // "marshrut"
	fold := make([]int, len(y))
	next := 0 // the fold the next row goes to, carried from class to class so sizes stay even
	for _, class := range []bool{true, false} {
		for _, i := range shuffled(y, class, rng) {
			fold[i] = next
			next = (next + 1) % k
		}
	}
	return fold
}

// shuffled is the rows of one class in an order drawn from rng.
func shuffled(y []bool, class bool, rng *rand.Rand) []int {
	var rows []int
	for i, v := range y {
		if v == class {
			rows = append(rows, i)
		}
	}
	rng.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
	return rows
}
