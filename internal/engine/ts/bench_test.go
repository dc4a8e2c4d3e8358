package ts

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"testing"

	"marshrut/internal/engine/fault"
)

// Run with: go test ./internal/engine/ts -run '^$' -bench . -benchtime 3x

// TestBenchM3 runs the M3 yearly protocol on the main methods and holds
// them to the figures of BENCH.md: the combination's OWA at most 0.88,
// Theta and ETS near R's (0.906 and 0.926).
func TestBenchM3(t *testing.T) {
	series := m3(t)
	if len(series) != 645 {
		t.Fatalf("%d series, want 645", len(series))
	}
	res, err := benchSeries(context.Background(), series, []Method{Naive2, Theta, ETS, Comb})
	if err != nil {
		t.Fatal(err)
	}
	want := map[Method][2]float64{Naive2: {1, 1}, Theta: {0.90, 0.91}, ETS: {0.88, 0.90}, Comb: {0.86, 0.88}}
	for _, r := range res {
		t.Log(r)
		if w := want[r.Method]; r.OWA < w[0] || r.OWA > w[1] {
			t.Errorf("%s: OWA %.3f, want %.2f…%.2f", r.Method, r.OWA, w[0], w[1])
		}
	}
	if r := res[0]; !near(r.SMAPE, 17.88, 0.005) || !near(r.MASE, 3.172, 0.0005) {
		t.Errorf("Naive2: %v, want the M3 figures 17.88 and 3.172", r)
	}
	// The figures do not depend on the number of cores.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	one, err := benchSeries(context.Background(), series, []Method{Naive2, Comb})
	if err != nil {
		t.Fatal(err)
	}
	if one[1].SMAPE != res[3].SMAPE || one[1].MASE != res[3].MASE || one[1].OWA != res[3].OWA {
		t.Errorf("one core: %v, all cores: %v", one[1], res[3])
	}
}

func TestBenchOutput(t *testing.T) {
	var out bytes.Buffer
	if err := BenchWith(context.Background(), "testdata/M3_yearly_TSTS.csv.gz", &out, []Method{Theta}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "method=naive2 smape=17.88 mase=3.172 owa=1.000 seconds=") ||
		!strings.HasPrefix(lines[1], "method=theta smape=16.74 mase=2.772 owa=0.905 seconds=") {
		t.Errorf("output:\n%s", out.String())
	}
	if err := Bench(context.Background(), "testdata/none.csv", &out); !fault.Is(err) {
		t.Errorf("missing file: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Bench(ctx, "testdata/M3_yearly_TSTS.csv.gz", &out); err != context.Canceled {
		t.Errorf("cancelled: %v", err)
	}
}

func TestReadSeries(t *testing.T) {
	in := "\uFEFF\"category\",\"series_id\",\"value\"\n\"X\",\"B\",1\n\"X\",\"A\",2\n\"X\",\"B\",3.5\n"
	got, err := readSeries(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].id != "B" || len(got[0].values) != 2 || got[0].values[1] != 3.5 || got[1].id != "A" {
		t.Errorf("%+v", got)
	}
	for in, want := range map[string]string{
		"":                         "файл рядов пуст",
		"id,value\nA,1\n":          "нет столбцов series_id и value",
		"series_id,value\nA,x\n":   `строка 2: значение "x" не число`,
		"series_id,value\n":        "нет ни одного значения",
		"series_id,value\nA,1,2\n": "не читается как CSV",
		"series_id,value\n\"A,1\n": "не читается как CSV",
	} {
		if _, err := readSeries(strings.NewReader(in)); !strings.Contains(fault.Message(err), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}

// BenchmarkM3Yearly forecasts the 645 M3 yearly series with each method,
// on all cores, as Bench does.
func BenchmarkM3Yearly(b *testing.B) {
	series := m3(b)
	for _, m := range Methods() {
		b.Run(string(m), func(b *testing.B) {
			for b.Loop() {
				if _, err := forecastAll(context.Background(), series, 6, m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPredict fits and forecasts one series: M3's Y1 without its
// holdout (14 values) and the longest yearly series (41 values).
func BenchmarkPredict(b *testing.B) {
	series := m3(b)
	long := series[0]
	for _, s := range series {
		if len(s.values) > len(long.values) {
			long = s
		}
	}
	for _, s := range []named{series[0], long} {
		x := train(s)
		for _, m := range []Method{Theta, ETS, Comb} {
			b.Run(string(m)+"/"+s.id, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Predict(x, 7, m, Options{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
