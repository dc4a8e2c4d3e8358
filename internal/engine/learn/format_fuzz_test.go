package learn

import (
	"context"
	"math"
	"testing"

	"marshrut/internal/engine/fault"
)

// FuzzUnmarshal feeds damaged model documents to Unmarshal: it must refuse
// them with a Russian Invalid error or return a model that predicts on any
// row of the declared width without panicking and with a probability in [0, 1]
// (or NaN for a NaN input), and that writes back to a document that reads the same.
func FuzzUnmarshal(f *testing.F) {
	x, y := synthetic(300, 3, 0.2, 7)
	x.Names = []string{"a", "b", "c"}
	for _, kind := range []Kind{KindLogistic, KindGBT} {
		m, err := Fit(context.Background(), x, y, Options{Kind: kind, GBT: GBTOptions{Trees: 3}})
		if err != nil {
			f.Fatal(err)
		}
		b, err := Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	for _, s := range []string{
		``, `{}`, `null`, `[]`,
		`{"format":"marshrut.learn.model","version":2,"kind":"logreg"}`,
		`{"format":"marshrut.learn.model","version":1,"kind":"logreg"}`,
		`{"format":"marshrut.learn.model","version":1,"kind":"gbt","gbt":{}}`,
		`{"format":"marshrut.learn.model","version":1,"kind":"logreg","logreg":{"names":["a"],"mean":[0],"scale":[0],"coef":[1e308]}}`,
		`{"format":"marshrut.learn.model","version":1,"kind":"gbt","gbt":{"names":["a"],"trees":[{"feature":[5],"threshold":[0],"left":[1],"right":[1],"value":[0]}]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Unmarshal(b)
		if err != nil {
			if !fault.Is(err) || fault.Message(err) == "" {
				t.Fatalf("refusal %v is not a message for a person", err)
			}
			return
		}
		n := len(m.Features())
		for _, v := range []float64{0, 1, -1e9, 1e9, math.NaN(), math.Inf(1)} {
			row := make([]float64, n)
			for i := range row {
				row[i] = v
			}
			p := m.Predict(row)
			if !math.IsNaN(p) && (p < 0 || p > 1) {
				t.Fatalf("Predict(%v) = %v", row, p)
			}
			c, _ := m.Contributions(row)
			if len(c) != n {
				t.Fatalf("%d contributions for %d features", len(c), n)
			}
		}
		again, err := Marshal(m)
		if err != nil {
			t.Fatalf("a model read cannot be written: %v", err)
		}
		if _, err := Unmarshal(again); err != nil {
			t.Fatalf("a model written from a read one does not read back: %v", err)
		}
	})
}
