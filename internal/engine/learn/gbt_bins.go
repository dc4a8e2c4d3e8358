package learn

import (
	"math/rand/v2"
	"slices"
	"sync"
)

// MaxBins is the most bins of non-missing values a feature gets; missing
// values have one more bin of their own, so a bin index fits a byte.
const MaxBins = 255

// binSample is how many values at most the quantiles of a feature are taken from.
const binSample = 200_000

// edges returns, from the training rows, the upper edges of the bins of each feature: a value x falls
// in bin b, the number of edges below x, so that x ≤ edges[b] exactly when
// its bin is b or lower. A feature with few distinct values gets a bin per
// value; others get bins of about equal frequency.
func edges(x Matrix, train []int, maxBins int, rng *rand.Rand, workers int) [][]float64 {
	rows := train
	if len(rows) > binSample {
		rows = slices.Clone(train)
		rng.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
		rows = rows[:binSample]
		slices.Sort(rows) // read the matrix in order
	}
	out := make([][]float64, x.Cols)
	parallel(x.Cols, workers, func(j int) {
		vals := make([]float64, 0, len(rows))
		for _, i := range rows {
			if v := x.At(i, j); !Missing(v) {
				vals = append(vals, v)
			}
		}
		out[j] = featureEdges(vals, maxBins)
	})
	return out
}

// featureEdges computes the edges of one feature from its non-missing values.
func featureEdges(vals []float64, maxBins int) []float64 {
	slices.Sort(vals)
	distinct := slices.Compact(slices.Clone(vals))
	var e []float64
	if len(distinct) <= maxBins {
		for k := 1; k < len(distinct); k++ {
			e = append(e, mid(distinct[k-1], distinct[k]))
		}
		return e
	}
	n := len(vals)
	for k := 1; k < maxBins; k++ {
		i := k * n / maxBins
		// The edge falls between two neighbouring values; a run of equal
		// values stays whole in the lower bin.
		v := vals[i]
		if vals[i-1] < v {
			v = mid(vals[i-1], v)
		}
		if v < vals[n-1] && (len(e) == 0 || v > e[len(e)-1]) {
			e = append(e, v)
		}
	}
	return e
}

func mid(a, b float64) float64 {
	m := a/2 + b/2
	if m < a || m >= b { // neighbouring floats
		return a
	}
	return m
}

// binOf is the bin of x among edges; missing values take bin len(edges)+1's
// place, the bin after the last one.
func binOf(e []float64, x float64) uint8 {
	if Missing(x) {
		return uint8(len(e) + 1)
	}
	lo, hi := 0, len(e)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if e[m] < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return uint8(lo)
}

// binned is a matrix in bins, stored row-major like Matrix: the bin of row i
// in feature j is bins[i*p+j]. Feature j has nb[j] bins of values, numbered
// 0..nb[j]-1, and bin nb[j] for missing values. Row-major lets a histogram
// read a row's bins from one cache line and its gradient once for all features.
type binned struct {
	rows, p int
	bins    []uint8
	nb      []int
	off     []int // where feature j starts in a histogram
	size    int   // length of a histogram
}

// binMatrix bins the given rows of x.
func binMatrix(x Matrix, rows []int, e [][]float64, workers int) *binned {
	p := x.Cols
	b := &binned{rows: len(rows), p: p, bins: make([]uint8, len(rows)*p), nb: make([]int, p), off: make([]int, p)}
	for j := range e {
		b.nb[j] = len(e[j]) + 1
		b.off[j] = b.size
		b.size += b.nb[j] + 1
	}
	const chunk = 1 << 13
	parallel((len(rows)+chunk-1)/chunk, workers, func(c int) {
		for k := c * chunk; k < min((c+1)*chunk, len(rows)); k++ {
			src, dst := x.Row(rows[k]), b.bins[k*p:(k+1)*p]
			for j, v := range src {
				dst[j] = binOf(e[j], v)
			}
		}
	})
	return b
}

// parallel calls f(0..n-1) on up to workers goroutines. Each call is whole on
// one goroutine, so results that f writes per index do not depend on the
// number of workers.
func parallel(n, workers int, f func(i int)) {
	if workers <= 1 || n <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var mu sync.Mutex
	next := 0
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
}
