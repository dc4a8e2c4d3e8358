package exchange

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// learnerCSV writes a roster of n learners as a college would export it.
func learnerCSV(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), fmt.Sprintf("learners-%d.csv", n))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("\uFEFF№ п/п;Фамилия;Имя;Отчество;Дата рождения;СНИЛС;Статус;Образовательная организация;Код специальности;Специальность;Курс;Группа;Форма обучения;Год выпуска\r\n")
	last := []string{"Иванов", "Петрова", "Сидоренко", "Ёлкина", "Мамедов"}
	first := []string{"Иван", "Анна", "Пётр", "Мария", "Руслан"}
	for i := 1; i <= n; i++ {
		fmt.Fprintf(w, "%d;%s;%s;Сергеевич;%02d.%02d.%d;%03d-%03d-%03d %02d;студент;\"ГБПОУ \"\"Курский техникум № %d\"\"\";15.02.08;Технология машиностроения;%d;ТМ-%d;очная;%d\r\n",
			i, last[i%5], first[i%7%5], 1+i%28, 1+i%12, 2005+i%4, i%1000, i/1000%1000, i%997, i%100, i%40, 1+i%4, i%30, 2026+i%4)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// readFile reads every row of the table at path, sampling the heap as it goes.
func readFile(b *testing.B, path string) (rows int, peakHeap uint64) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	tbl, err := Open(f, filepath.Base(path), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer tbl.Close()
	m, _ := Recognise(tbl.Header(), LearnerFields)
	var ms runtime.MemStats
	for {
		row, err := tbl.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		if m.Get(row, "last_name") == "" {
			b.Fatalf("line %d: no surname", row.Line)
		}
		rows++
		if rows%100_000 == 0 {
			runtime.ReadMemStats(&ms)
			peakHeap = max(peakHeap, ms.HeapInuse)
		}
	}
	return rows, peakHeap
}

// BenchmarkReadCSV reads a roster of a million learners. B/op is all that is
// allocated along the way; peak-heap-MiB is what is held at once, and it is
// the same for 100 000 rows and for a million: reading streams.
//
//	go test -run '^$' -bench BenchmarkReadCSV -benchmem ./internal/exchange/
func BenchmarkReadCSV(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			path := learnerCSV(b, n)
			st, _ := os.Stat(path)
			b.SetBytes(st.Size())
			b.ReportAllocs()
			runtime.GC()
			var peak uint64
			for b.Loop() {
				rows, p := readFile(b, path)
				if rows != n {
					b.Fatalf("%d rows; want %d", rows, n)
				}
				peak = max(peak, p)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// BenchmarkXLSX writes 100 000 rows with the stream writer and reads them back
// with the row iterator.
//
//	go test -run '^$' -bench BenchmarkXLSX -benchmem ./internal/exchange/
func BenchmarkXLSX(b *testing.B) {
	const n = 100_000
	cols := []Column{{Title: "Фамилия"}, {Title: "Имя"}, {Title: "Дата рождения", Kind: Date}, {Title: "Курс", Kind: Int}, {Title: "Балл", Kind: Float}}
	path := filepath.Join(b.TempDir(), "learners.xlsx")
	write := func() {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		w, err := NewXLSX(f, "Обучающиеся", cols)
		if err != nil {
			b.Fatal(err)
		}
		birth := time.Date(2008, 2, 3, 0, 0, 0, 0, time.UTC)
		for i := range n {
			if err := w.Write([]any{"Иванов", "Иван", birth.AddDate(0, 0, i%3000), 1 + i%4, float64(i%500) / 100}); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("write", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			write()
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("read", func(b *testing.B) {
		write()
		b.ReportAllocs()
		var peak uint64
		for b.Loop() {
			rows, p := readFile(b, path)
			if rows != n {
				b.Fatalf("%d rows; want %d", rows, n)
			}
			peak = max(peak, p)
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	})
}
