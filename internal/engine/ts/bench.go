package ts

import (
	"context"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"marshrut/internal/engine/fault"
)

// benchHorizon is the holdout of the M3 yearly protocol: the last six values.
const benchHorizon = 6

// benchResult is one method's line of the benchmark.
type benchResult struct {
	Method      Method
	SMAPE, MASE float64 // means over the series of each series' mean over the steps
	OWA         float64 // against Naive2 of the same run
	Seconds     float64 // wall time of forecasting every series
}

func (r benchResult) String() string {
	return fmt.Sprintf("method=%s smape=%.2f mase=%.3f owa=%.3f seconds=%.3f", r.Method, r.SMAPE, r.MASE, r.OWA, r.Seconds)
}

// Bench runs the protocol of the R peer (peers/m3_forecast.R) on the M3
// yearly series at path (M3_yearly_TSTS.csv): every series loses its last
// six values, each method forecasts them from the rest, and sMAPE, MASE and
// OWA are averaged over the series. It writes one line per method of
// Methods(). The series are forecast on all cores; the figures do not
// depend on their number. A path ending in .gz is read through gzip.
func Bench(ctx context.Context, path string, w io.Writer) error {
	return BenchWith(ctx, path, w, Methods())
}

// BenchWith is Bench for the given methods; Naive2, which OWA needs, is
// added in front when missing.
func BenchWith(ctx context.Context, path string, w io.Writer, methods []Method) error {
	if !slices.Contains(methods, Naive2) {
		methods = append([]Method{Naive2}, methods...)
	}
	series, err := readSeriesFile(path)
	if err != nil {
		return err
	}
	res, err := benchSeries(ctx, series, methods)
	if err != nil {
		return err
	}
	for _, r := range res {
		if _, err := fmt.Fprintln(w, r); err != nil {
			return err
		}
	}
	return nil
}

// benchSeries runs the protocol of Bench on the given series and methods.
// OWA needs Naive2 among the methods; without it OWA is NaN.
func benchSeries(ctx context.Context, series []named, methods []Method) ([]benchResult, error) {
	const h = benchHorizon
	for _, s := range series {
		if len(s.values) < h+2 {
			return nil, fault.New("в ряду %s %d %s: для проверки на последних %d нужно не меньше %d",
				s.id, len(s.values), values(len(s.values)), h, h+2)
		}
		if err := check(s.values[:len(s.values)-h], h, Naive, Options{MaxHorizon: h}); err != nil {
			return nil, fault.Wrap(err, "ряд %s", s.id)
		}
	}
	out := make([]benchResult, len(methods))
	var naive2 *benchResult
	for i, m := range methods {
		if _, ok := methodInfos[m]; !ok {
			return nil, unknown(m)
		}
		t := time.Now()
		fcs, err := forecastAll(ctx, series, h, m)
		if err != nil {
			return nil, err
		}
		out[i] = benchResult{Method: m, Seconds: time.Since(t).Seconds()}
		for j, s := range series {
			n := len(s.values)
			out[i].SMAPE += SMAPE(s.values[n-h:], fcs[j])
			out[i].MASE += MASE(s.values[:n-h], s.values[n-h:], fcs[j], 1)
		}
		out[i].SMAPE /= float64(len(series))
		out[i].MASE /= float64(len(series))
		if m == Naive2 {
			naive2 = &out[i]
		}
	}
	for i := range out {
		out[i].OWA = math.NaN()
		if naive2 != nil {
			out[i].OWA = OWA(out[i].SMAPE, out[i].MASE, naive2.SMAPE, naive2.MASE)
		}
	}
	return out, nil
}

// forecastAll forecasts every series without its last h values, on as many
// goroutines as there are cores; each result lands at its series' index.
func forecastAll(ctx context.Context, series []named, h int, m Method) ([][]float64, error) {
	out := make([][]float64, len(series))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range next {
				s := series[j].values
				out[j] = predict(s[:len(s)-h], h, m, 1).Mean
			}
		})
	}
	var err error
	for j := range series {
		if err = ctx.Err(); err != nil {
			break
		}
		next <- j
	}
	close(next)
	wg.Wait()
	return out, err
}
