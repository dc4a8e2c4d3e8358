package learn

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"marshrut/internal/engine/fault"
)

func TestMarshalRoundTrip(t *testing.T) {
	x, y := synthetic(2000, 6, 0.2, 21)
	x.Names = []string{"a", "b", "c", "d", "e", "f"}
	ctx := context.Background()
	for _, kind := range []Kind{KindLogistic, KindGBT} {
		m, err := Fit(ctx, x, y, Options{Kind: kind, GBT: GBTOptions{Trees: 20}})
		if err != nil {
			t.Fatal(err)
		}
		b, err := Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Unmarshal(b)
		if err != nil {
			t.Fatal(kind, err)
		}
		if back.Kind() != kind || strings.Join(back.Features(), ",") != "a,b,c,d,e,f" {
			t.Errorf("%s: read back as %s %v", kind, back.Kind(), back.Features())
		}
		for i := range 100 {
			row := x.Row(i)
			c1, b1 := m.Contributions(row)
			c2, b2 := back.Contributions(row)
			if m.Predict(row) != back.Predict(row) || b1 != b2 || c1[1] != c2[1] {
				t.Fatalf("%s: row %d predicted differently after reading back", kind, i)
			}
		}
		again, _ := Marshal(back)
		if !bytes.Equal(b, again) {
			t.Errorf("%s: written twice, differs", kind)
		}
	}
}

func TestUnmarshalVersion(t *testing.T) {
	x, y := synthetic(500, 3, 0, 22)
	m, err := FitLogistic(context.Background(), x, y, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Marshal(m)
	future := bytes.Replace(b, []byte(`"version":1`), []byte(`"version":2`), 1)
	if bytes.Equal(future, b) {
		t.Fatal("no version field in the document")
	}
	_, err = Unmarshal(future)
	if !fault.Is(err) || !strings.Contains(fault.Message(err), "модель записана в формате версии 2") ||
		!strings.Contains(err.Error(), "читает только формат версии 1") {
		t.Errorf("version 2: %v", err)
	}
	for _, junk := range []string{``, `{}`, `[1,2]`, `{"format":"other","version":1}`} {
		if _, err := Unmarshal([]byte(junk)); fault.Message(err) != "файл не является моделью прогноза Маршрута" {
			t.Errorf("%q: %v", junk, err)
		}
	}
	broken := bytes.Replace(b, []byte(`"scale":[`), []byte(`"scale":[0,`), 1)
	if _, err := Unmarshal(broken); !strings.Contains(fault.Message(err), "файл модели повреждён") {
		t.Errorf("damaged: %v", err)
	}
}

func TestUnmarshalDamagedTree(t *testing.T) {
	x, y := synthetic(500, 3, 0, 23)
	m := fitGBT(t, x, y, Options{GBT: GBTOptions{Trees: 2}})
	m.m.Trees[1][0].Left = 0 // a loop
	b, _ := Marshal(m)
	if _, err := Unmarshal(b); !strings.Contains(fault.Message(err), "дерево 2, узел 1") {
		t.Errorf("a tree with a loop: %v", err)
	}
}
