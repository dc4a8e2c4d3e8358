package learn

import (
	"fmt"
	"math"

	"marshrut/internal/engine/fault"
)

// Matrix is a dense table of features, one row per person, stored row-major:
// the value of feature j in row i is Data[i*Cols+j]. Row-major keeps a row
// contiguous, which is what prediction and the logistic regression read, and
// lets a caller fill the matrix row by row without copying. NaN or ±Inf means
// the value is missing.
type Matrix struct {
	Rows, Cols int
	Data       []float64
	// Names are the features' names, one per column; empty names are
	// replaced by "x1", "x2", ... when a model is trained.
	Names []string
}

// NewMatrix returns a zero matrix of the given shape with the given names.
func NewMatrix(rows, cols int, names []string) Matrix {
	return Matrix{Rows: rows, Cols: cols, Data: make([]float64, rows*cols), Names: names}
}

// Row returns row i; it shares memory with the matrix.
func (m Matrix) Row(i int) []float64 { return m.Data[i*m.Cols : (i+1)*m.Cols : (i+1)*m.Cols] }

// At returns the value in row i, column j.
func (m Matrix) At(i, j int) float64 { return m.Data[i*m.Cols+j] }

// Subset returns a new matrix of the given rows, in the given order.
func (m Matrix) Subset(rows []int) Matrix {
	out := NewMatrix(len(rows), m.Cols, m.Names)
	for k, i := range rows {
		copy(out.Data[k*m.Cols:(k+1)*m.Cols], m.Row(i))
	}
	return out
}

// Columns returns a new matrix with only the given columns, in the given order.
func (m Matrix) Columns(cols []int) Matrix {
	names := make([]string, len(cols))
	for k, j := range cols {
		if j < len(m.Names) {
			names[k] = m.Names[j]
		}
	}
	out := NewMatrix(m.Rows, len(cols), names)
	for i := range m.Rows {
		src, dst := m.Row(i), out.Row(i)
		for k, j := range cols {
			dst[k] = src[j]
		}
	}
	return out
}

// Missing reports whether a value counts as missing: NaN or ±Inf.
func Missing(x float64) bool { return x-x != 0 }

// featureNames returns the names of the matrix's columns, filling the gaps.
func (m Matrix) featureNames() []string {
	names := make([]string, m.Cols)
	for j := range names {
		if j < len(m.Names) && m.Names[j] != "" {
			names[j] = m.Names[j]
		} else {
			names[j] = fmt.Sprintf("x%d", j+1)
		}
	}
	return names
}

// check validates the shape of training data.
func (m Matrix) check(y []bool) error {
	switch {
	case m.Rows < 0 || m.Cols <= 0:
		return fault.New("в данных для обучения нет ни одного признака")
	case len(m.Data) != m.Rows*m.Cols:
		return fault.New("размер таблицы признаков (%d значений) не равен %d строк × %d столбцов", len(m.Data), m.Rows, m.Cols)
	case len(y) != m.Rows:
		return fault.New("число ответов (%d) не равно числу строк (%d)", len(y), m.Rows)
	case len(m.Names) != 0 && len(m.Names) != m.Cols:
		return fault.New("названий признаков %d, а столбцов %d", len(m.Names), m.Cols)
	}
	return nil
}

// DefaultMinClass is the fewest examples of each class that training accepts.
const DefaultMinClass = 20

// checkClasses refuses data with one class only or too few examples of a class.
func checkClasses(y []bool, minClass int) error {
	pos := 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	neg := len(y) - pos
	switch {
	case len(y) == 0:
		return fault.New("нет данных для обучения")
	case pos == 0:
		return fault.New("для обучения нужны примеры обоих классов, а все %d примеров отрицательные", len(y))
	case neg == 0:
		return fault.New("для обучения нужны примеры обоих классов, а все %d примеров положительные", len(y))
	case pos < minClass:
		return fault.New("для обучения нужно не меньше %d примеров каждого класса: положительных %d", minClass, pos)
	case neg < minClass:
		return fault.New("для обучения нужно не меньше %d примеров каждого класса: отрицательных %d", minClass, neg)
	}
	return nil
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// Logit is the inverse of the logistic function: log(p/(1-p)).
func Logit(p float64) float64 { return math.Log(p / (1 - p)) }
