package match

import (
	"context"
	"flag"
	"strings"
	"sync"
	"testing"
)

// The default size of match_instance.py gen, and the large one, which only
// runs when asked for by name: go test -bench Large.
var (
	defaultOnce, largeOnce sync.Once
	defaultInst, largeInst *Instance
)

func defaultInstance(b *testing.B) *Instance {
	defaultOnce.Do(func() { defaultInst = generate(b, 5000, 2000, 20, 1) })
	return defaultInst
}

func large(b *testing.B) *Instance {
	if f := flag.Lookup("test.bench"); f == nil || !strings.Contains(f.Value.String(), "Large") {
		b.Skip("200 000 × 60 000 × 30: run with -bench Large")
	}
	largeOnce.Do(func() { largeInst = generate(b, 200000, 60000, 30, 1) })
	return largeInst
}

func benchRun(b *testing.B, in *Instance, mode Mode) {
	b.ReportAllocs()
	var r Result
	for b.Loop() {
		var err error
		if r, err = Run(context.Background(), in, Options{Mode: mode, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(r.Matched), "matched")
	b.ReportMetric(float64(r.Welfare), "welfare")
	b.ReportMetric(float64(r.Blocking), "blocking")
}

func benchRead(b *testing.B, in *Instance) {
	dir := b.TempDir()
	if err := WriteInstance(dir, in); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadInstance(dir); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStable(b *testing.B)       { benchRun(b, defaultInstance(b), Stable) }
func BenchmarkOptimal(b *testing.B)      { benchRun(b, defaultInstance(b), Optimal) }
func BenchmarkReadInstance(b *testing.B) { benchRead(b, defaultInstance(b)) }

func BenchmarkLargeStable(b *testing.B)       { benchRun(b, large(b), Stable) }
func BenchmarkLargeOptimal(b *testing.B)      { benchRun(b, large(b), Optimal) }
func BenchmarkLargeReadInstance(b *testing.B) { benchRead(b, large(b)) }

// benchDefer runs deferred acceptance over lists produced a utility at a time.
func benchDefer(b *testing.B, in *Instance) {
	b.ReportAllocs()
	var r Result
	for b.Loop() {
		var err error
		r, err = Defer(context.Background(), Market{Graduates: in.NumGraduates(), Capacity: in.capacity, Lists: newByUtility(in, nil)}, Options{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(r.Matched), "matched")
	b.ReportMetric(float64(r.Proposals), "proposals")
}

// benchMost finds the most placeable of the instance's graph.
func benchMost(b *testing.B, in *Instance) {
	g := GraphOf(in)
	b.ReportAllocs()
	var most int64
	for b.Loop() {
		var err error
		if most, err = MostPlaced(context.Background(), g); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(most), "most")
}

func BenchmarkDefer(b *testing.B)           { benchDefer(b, defaultInstance(b)) }
func BenchmarkMostPlaced(b *testing.B)      { benchMost(b, defaultInstance(b)) }
func BenchmarkLargeDefer(b *testing.B)      { benchDefer(b, large(b)) }
func BenchmarkLargeMostPlaced(b *testing.B) { benchMost(b, large(b)) }
