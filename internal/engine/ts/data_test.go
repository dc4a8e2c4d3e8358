package ts

import (
	"compress/gzip"
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"sync"
	"testing"
)

// The M3 yearly series of testdata, read once.
var (
	m3Once   sync.Once
	m3Series []named
	m3Err    error
)

func m3(t testing.TB) []named {
	t.Helper()
	m3Once.Do(func() { m3Series, m3Err = readSeriesFile("testdata/M3_yearly_TSTS.csv.gz") })
	if m3Err != nil {
		t.Fatal(m3Err)
	}
	return m3Series
}

// readGzipCSV reads a gzip-compressed CSV file with a header into maps from
// column name to value.
func readGzipCSV(t testing.TB, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(z).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]map[string]string, 0, len(recs)-1)
	for _, r := range recs[1:] {
		row := make(map[string]string, len(r))
		for j, v := range r {
			row[recs[0][j]] = v
		}
		out = append(out, row)
	}
	return out
}

// num parses a number of a reference file; R's NA is NaN.
func num(t testing.TB, s string) float64 {
	t.Helper()
	if s == "NA" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// train is a series without its last six values, the M3 holdout.
func train(s named) []float64 { return s.values[:len(s.values)-6] }
