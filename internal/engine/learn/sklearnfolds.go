package learn

// The benchmark's folds are the very folds of scikit-learn's
// StratifiedKFold(n_splits, shuffle=True, random_state=seed), so that Bench
// and the peer script score the same splits and differ only by the models.
// This needs NumPy's legacy RandomState: the MT19937 generator seeded by
// init_genrand and its shuffle, which draws each index by masked rejection.

// mt19937 is the Mersenne Twister generator of Matsumoto and Nishimura.
type mt19937 struct {
	mt  [624]uint32
	pos int
}

func newMT19937(seed uint32) *mt19937 {
	r := &mt19937{pos: 624}
	r.mt[0] = seed
	for i := 1; i < 624; i++ {
		r.mt[i] = 1812433253*(r.mt[i-1]^(r.mt[i-1]>>30)) + uint32(i)
	}
	return r
}

func (r *mt19937) uint32() uint32 {
	if r.pos >= 624 {
		const upper, lower = 0x80000000, 0x7fffffff
		for i := range 624 {
			y := r.mt[i]&upper | r.mt[(i+1)%624]&lower
			v := r.mt[(i+397)%624] ^ y>>1
			if y&1 != 0 {
				v ^= 0x9908b0df
			}
			r.mt[i] = v
		}
		r.pos = 0
	}
	y := r.mt[r.pos]
	r.pos++
	y ^= y >> 11
	y ^= y << 7 & 0x9d2c5680
	y ^= y << 15 & 0xefc60000
	y ^= y >> 18
	return y
}

// interval is NumPy's random_interval: a uniform integer in [0, max].
func (r *mt19937) interval(max uint32) uint32 {
	if max == 0 {
		return 0
	}
	mask := max
	for s := uint(1); s < 32; s *= 2 {
		mask |= mask >> s
	}
	for {
		if v := r.uint32() & mask; v <= max {
			return v
		}
	}
}

// shuffle is RandomState.shuffle of a one-dimensional array.
func (r *mt19937) shuffle(a []int) {
	for i := len(a) - 1; i > 0; i-- {
		j := r.interval(uint32(i))
		a[i], a[j] = a[j], a[i]
	}
}

// sklearnFolds are the folds of StratifiedKFold(k, shuffle=True,
// random_state=seed).split(X, y), for a y with both classes and k ≤ each
// class's count.
func sklearnFolds(y []bool, k int, seed uint32) []Fold {
	// Classes are numbered by first appearance in y.
	classes := []bool{y[0], !y[0]}
	count := make([]int, 2)
	for _, v := range y {
		if v == classes[0] {
			count[0]++
		} else {
			count[1]++
		}
	}
	// allocation[f][c]: how many rows of class c fold f tests; scikit-learn
	// deals the rows sorted by class to the folds in turn.
	allocation := make([][2]int, k)
	for i := range count[0] + count[1] {
		c := 0
		if i >= count[0] {
			c = 1
		}
		allocation[i%k][c]++
	}
	rng := newMT19937(seed)
	test := make([]int, len(y))
	for c, class := range classes {
		var folds []int
		for f := range k {
			for range allocation[f][c] {
				folds = append(folds, f)
			}
		}
		rng.shuffle(folds)
		n := 0
		for i, v := range y {
			if v == class {
				test[i] = folds[n]
				n++
			}
		}
	}
	return foldsOf(test, k)
}
