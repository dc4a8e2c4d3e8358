package imports_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"marshrut/internal/imports"
)

// nationalFile repeats the 88 real rows of the «Работа России» sample with new
// ids to n rows, every 500th moved to Камчатка: a national file in small.
func nationalFile(b *testing.B, n int) []byte {
	src, err := os.ReadFile("testdata/trudvsem_vacancies_sample.csv")
	if err != nil {
		b.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(src)).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	_ = w.Write(rows[0])
	body := rows[1:]
	for i := 0; i < n; i++ {
		r := append([]string(nil), body[i%len(body)]...)
		r[7] = r[7][:strings.LastIndexByte(r[7], '/')+1] + fmt.Sprintf("%08x-0000-4000-8000-%012x", i/len(body), i)
		if i%500 == 0 {
			r[2] = "Камчатский край"
		}
		_ = w.Write(r)
	}
	w.Flush()
	return buf.Bytes()
}

// The import of a national file into one region, as a dry run: rows a second
// through reading, the region test and the skipped count.
//
//	go test ./internal/imports -run '^$' -bench National -benchtime 3x
func BenchmarkVacanciesNational(b *testing.B) {
	const n = 100_000
	data := nationalFile(b, n)
	st := openVacancyStore(b, filepath.Join(b.TempDir(), "vac.db"))
	im := vacancyImporter(st)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := im.Vacancies(context.Background(), bytes.NewReader(data), "national.csv", "", imports.Options{Region: "41", DryRun: true})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Rows != n || rep.Skipped != n-n/500 || rep.Rejected != 0 {
			b.Fatalf("report %+v", rep)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
