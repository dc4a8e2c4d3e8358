package learn

// Contributions of the trees are SHAP values computed exactly by the
// path-dependent TreeSHAP algorithm (Lundberg, Erion, Lee, "Consistent
// individualized feature attribution for tree ensembles", 2018, Algorithm 2):
// each feature's contribution is its Shapley value in the game where a
// coalition's worth is the tree's expected output given the coalition's
// values, the other features averaged over the training rows that reached
// each node. A missing value is a value like any other here: it follows the
// branch it follows in prediction.

// Contributions are the features' SHAP values; the base is the model's
// expected score over the training rows: Base plus each tree's mean output.
func (m *GBT) Contributions(row []float64) ([]float64, float64) {
	checkRow(row, len(m.m.Names))
	phi := make([]float64, len(row))
	base := m.m.Base
	var buf []pathElem
	for _, t := range m.m.Trees {
		base += expected(t, 0)
		d := depth(t, 0)
		if need := (d + 1) * (d + 2) / 2; len(buf) < need {
			buf = make([]pathElem, need)
		}
		s := shap{t: t, row: row, phi: phi}
		s.recurse(0, nil, buf, 1, 1, -1)
	}
	return phi, base
}

// expected is the mean output of the subtree at k over the training rows that reached it.
func expected(t []node, k int) float64 {
	n := &t[k]
	if n.Feature < 0 {
		return n.Value
	}
	l, r := &t[n.Left], &t[n.Right]
	return (l.Cover*expected(t, n.Left) + r.Cover*expected(t, n.Right)) / n.Cover
}

// depth is the number of edges on the longest path down from k.
func depth(t []node, k int) int {
	if t[k].Feature < 0 {
		return 0
	}
	return 1 + max(depth(t, t[k].Left), depth(t, t[k].Right))
}

// pathElem is an element of the path of splits from the root: the feature
// split on, the share of training rows that followed the path ("zero": the
// feature left out) and whether the row follows it ("one": the feature known),
// and the weight of the subsets of the path's features of each size.
type pathElem struct {
	feature   int
	zero, one float64
	weight    float64
}

type shap struct {
	t   []node
	row []float64
	phi []float64
}

// recurse visits node k. parent is the path down to k's parent; the
// split that led to k, with fractions zero and one on feature, extends it.
// buf holds the paths of k and of the nodes below it.
func (s *shap) recurse(k int, parent, buf []pathElem, zero, one float64, feature int) {
	d := len(parent) // the path's new element goes here
	path := buf[:d+1]
	copy(path, parent)
	extendPath(path, d, zero, one, feature)
	n := &s.t[k]
	if n.Feature < 0 {
		for i := 1; i <= d; i++ {
			w := unwoundSum(path, d, i)
			s.phi[path[i].feature] += w * (path[i].one - path[i].zero) * n.Value
		}
		return
	}
	x := s.row[n.Feature]
	hot, cold := n.Right, n.Left
	if Missing(x) && n.MissingLeft || !Missing(x) && x <= n.Threshold {
		hot, cold = n.Left, n.Right
	}
	inZero, inOne := 1.0, 1.0
	for i := 1; i <= d; i++ {
		if path[i].feature == n.Feature {
			// The feature was split on above: undo that split, to redo it here.
			inZero, inOne = path[i].zero, path[i].one
			unwindPath(path, d, i)
			path = path[:d]
			break
		}
	}
	rest := buf[len(path):]
	s.recurse(hot, path, rest, s.t[hot].Cover/n.Cover*inZero, inOne, n.Feature)
	s.recurse(cold, path, rest, s.t[cold].Cover/n.Cover*inZero, 0, n.Feature)
}

func extendPath(p []pathElem, d int, zero, one float64, feature int) {
	p[d] = pathElem{feature: feature, zero: zero, one: one, weight: b2f(d == 0)}
	for i := d - 1; i >= 0; i-- {
		p[i+1].weight += one * p[i].weight * float64(i+1) / float64(d+1)
		p[i].weight = zero * p[i].weight * float64(d-i) / float64(d+1)
	}
}

// unwindPath removes element k from a path of d+1 elements.
func unwindPath(p []pathElem, d, k int) {
	one, zero := p[k].one, p[k].zero
	next := p[d].weight
	for i := d - 1; i >= 0; i-- {
		if one != 0 {
			tmp := p[i].weight
			p[i].weight = next * float64(d+1) / (float64(i+1) * one)
			next = tmp - p[i].weight*zero*float64(d-i)/float64(d+1)
		} else {
			p[i].weight = p[i].weight * float64(d+1) / (zero * float64(d-i))
		}
	}
	for i := k; i < d; i++ {
		p[i].feature, p[i].zero, p[i].one = p[i+1].feature, p[i+1].zero, p[i+1].one
	}
}

// unwoundSum is the total weight of the path with element k removed, without removing it.
func unwoundSum(p []pathElem, d, k int) float64 {
	one, zero := p[k].one, p[k].zero
	next := p[d].weight
	total := 0.0
	for i := d - 1; i >= 0; i-- {
		if one != 0 {
			tmp := next * float64(d+1) / (float64(i+1) * one)
			total += tmp
			next = p[i].weight - tmp*zero*float64(d-i)/float64(d+1)
		} else if zero != 0 {
			total += p[i].weight / zero / (float64(d-i) / float64(d+1))
		}
	}
	return total
}
