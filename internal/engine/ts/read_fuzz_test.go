package ts

import (
	"bytes"
	"math"
	"testing"

	"marshrut/internal/engine/fault"
)

// FuzzReadSeries feeds arbitrary text to the series reader: it must refuse
// with a Russian Invalid error or return series with an identifier, at least
// one value and only finite values.
func FuzzReadSeries(f *testing.F) {
	for _, s := range []string{
		"series_id,category,value,timestamp\nN0001,MICRO,940.66,1975\nN0001,MICRO,1084.86,1976\nN0002,MACRO,1,1980\n",
		"\uFEFFseries_id,value\na,1\nb,2\na,3\n",
		"value,series_id\n1e308,x\n",
		"series_id,value\nx,NaN\n",
		"series_id,value\nx,\n",
		"series_id,value\nx,1,2\n",
		"series_id,value\n\"x\n",
		"id,val\n",
		"",
		"series_id,value\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := readSeries(bytes.NewReader(b))
		if err != nil {
			if !fault.Is(err) || fault.Message(err) == "" {
				t.Fatalf("refusal %v is not a message for a person", err)
			}
			return
		}
		for _, s := range got {
			if len(s.values) == 0 {
				t.Fatalf("series %q without values", s.id)
			}
			for _, v := range s.values {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("series %q holds %v", s.id, v)
				}
			}
		}
	})
}
