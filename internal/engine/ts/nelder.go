package ts

import "math"

// minimize finds a local minimum of f by the Nelder–Mead simplex method,
// starting from x0 with a first simplex of the given steps along each axis.
// f returns +Inf outside the admissible region, which the simplex then
// avoids. It stops when the values at the vertices agree to a relative
// tolerance of 1e-10 or after maxEval evaluations, and returns the best
// point and its value. Coefficients are the usual ones: reflection 1,
// expansion 2, contraction and shrinking ½.
func minimize(f func([]float64) float64, x0, step []float64, maxEval int) ([]float64, float64) {
	const tol = 1e-8
	d := len(x0)
	pts := make([][]float64, d+1)
	val := make([]float64, d+1)
	for i := range pts {
		pts[i] = append([]float64(nil), x0...)
		if i > 0 {
			pts[i][i-1] += step[i-1]
		}
		val[i] = f(pts[i])
	}
	evals := d + 1
	cen := make([]float64, d)
	xr := make([]float64, d)
	xe := make([]float64, d)
	along := func(dst []float64, t float64, worst []float64) {
		for j := range dst {
			dst[j] = cen[j] + t*(worst[j]-cen[j])
		}
	}
	for evals < maxEval {
		// Order: best first, worst last (insertion sort; d is at most five).
		for i := 1; i <= d; i++ {
			for j := i; j > 0 && val[j] < val[j-1]; j-- {
				val[j], val[j-1] = val[j-1], val[j]
				pts[j], pts[j-1] = pts[j-1], pts[j]
			}
		}
		best, worst := val[0], val[d]
		if math.IsInf(best, 1) || worst-best <= tol*(math.Abs(best)+tol) {
			break
		}
		for j := range cen {
			cen[j] = 0
			for i := 0; i < d; i++ {
				cen[j] += pts[i][j]
			}
			cen[j] /= float64(d)
		}
		along(xr, -1, pts[d])
		fr := f(xr)
		evals++
		switch {
		case fr < best:
			along(xe, -2, pts[d])
			fe := f(xe)
			evals++
			if fe < fr {
				copy(pts[d], xe)
				val[d] = fe
			} else {
				copy(pts[d], xr)
				val[d] = fr
			}
		case fr < val[d-1]:
			copy(pts[d], xr)
			val[d] = fr
		default:
			t := -0.5 // outside: between the centroid and the reflection
			if fr >= worst {
				t = 0.5 // inside: between the centroid and the worst point
			}
			along(xe, t, pts[d])
			fc := f(xe)
			evals++
			if fc < math.Min(fr, worst) {
				copy(pts[d], xe)
				val[d] = fc
				break
			}
			for i := 1; i <= d; i++ {
				for j := range pts[i] {
					pts[i][j] = pts[0][j] + 0.5*(pts[i][j]-pts[0][j])
				}
				val[i] = f(pts[i])
			}
			evals += d
		}
	}
	bi := 0
	for i := range val {
		if val[i] < val[bi] {
			bi = i
		}
	}
	return pts[bi], val[bi]
}
