package rollup

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/kpi"
)

var testSecret = []byte("the region's secret of the tests")

func sample(t *testing.T) Bundle {
	t.Helper()
	r := newRaw("employment")
	r.add([]string{"2025", "Елизовский муниципальный район"}, 1, n(40), n(31), n(29), n(27), n(3))
	r.add([]string{"2025", "Алеутский муниципальный округ"}, 0, n(6), n(5), n(4), n(4), n(0))
	p := CellKey()
	tab, acc := p.protect(testSecret, r)
	p.Accuracy = []Accuracy{acc}
	return Bundle{Format: Format, Version: FormatVersion, ID: NewID(), Region: "41", RegionName: "Камчатский край", Period: "2026-11",
		CreatedAt: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), Threshold: Threshold, Protection: &p, Tables: []Table{tab}}
}

// TestPerturbationTable: no count 1–4 is published, larger counts move by
// at most two, zero stays, and every row of the table is unbiased.
func TestPerturbationTable(t *testing.T) {
	p := CellKey()
	for v := 0; v <= 60; v++ {
		sum := 0
		for k := 0; k < p.Modulus; k++ {
			out := p.Perturb(v, k)
			sum += out
			if out > 0 && out < Threshold {
				t.Fatalf("%d published as %d at key %d", v, out, k)
			}
			if v >= Threshold && (out < v-p.MaxNoise || out > v+p.MaxNoise) {
				t.Fatalf("%d published as %d at key %d", v, out, k)
			}
			if v == 0 && out != 0 {
				t.Fatalf("a zero published as %d", out)
			}
		}
		if mean := float64(sum) / float64(p.Modulus); mean < float64(v)-0.02 || mean > float64(v)+0.02 {
			t.Errorf("count %d: mean published %.3f", v, mean)
		}
	}
	if err := p.check(Threshold); err != nil {
		t.Fatal(err)
	}
}

// TestRowParts: a row's figures are sums of its perturbed parts, so a group
// minus its parts is a protected part (0 or five and more), and the same
// row with the same counts gets the same figures under the same secret.
func TestRowParts(t *testing.T) {
	b := sample(t)
	if err := b.Check(); err != nil {
		t.Fatal(err)
	}
	for _, r := range b.Tables[0].Rows {
		v := func(j int) int { return *r.Values[j] }
		for _, d := range []int{v(0) - v(1) - v(4), v(1) - v(3), v(0) - v(1), v(2) - v(3)} {
			if d < 0 || d > 0 && d < Threshold {
				t.Errorf("%v: a difference of %d between a group and its parts", r.Dims, d)
			}
		}
	}
	again := sample(t)
	for i, r := range b.Tables[0].Rows {
		for j, v := range r.Values {
			if *again.Tables[0].Rows[i].Values[j] != *v {
				t.Errorf("the same counts published as %d and %d", *v, *again.Tables[0].Rows[i].Values[j])
			}
		}
	}
	// The Алеутский row of the issue: 6 graduates, 5 at work, none unknown.
	// The one not at work is a part of one person: 0 or 5, never 1.
	r := b.Tables[0].Rows[1]
	if d := *r.Values[0] - *r.Values[1] - *r.Values[4]; d == 1 {
		t.Errorf("the one graduate not at work is seen: %v", r.Values)
	}
	bad := sample(t)
	bad.Tables[0].Rows[0].Values[4] = n(2)
	if err := bad.Check(); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "меньше порога") {
		t.Errorf("a count of 2 passed: %v", err)
	}
}

// TestCheckRefusesUnprotected: a bundle without the method and its
// parameters, or with a table that would publish small counts, is refused.
func TestCheckRefusesUnprotected(t *testing.T) {
	cases := map[string]func(b *Bundle){
		"no protection": func(b *Bundle) { b.Protection = nil },
		"no method":     func(b *Bundle) { b.Protection.Method = "" },
		"other method":  func(b *Bundle) { b.Protection.Method = "rounding" },
		"small out": func(b *Bundle) {
			pt := slices.Clone(b.Protection.PTable)
			pt[2] = PRow{Count: 2, Out: []int{2}, Keys: []int{256}}
			b.Protection.PTable = pt
		},
		"a suppressed value": func(b *Bundle) { b.Tables[0].Rows[0].Values[1] = nil },
	}
	for name, spoil := range cases {
		b := sample(t)
		spoil(&b)
		err := b.Check()
		if !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%s: %v", name, err)
		}
		if name == "no protection" && !strings.Contains(apperr.Text(err), "не указан способ защиты") {
			t.Errorf("no protection: %v", err)
		}
	}
}

// Check lets through only the tables, dimensions and values this version
// writes: a field that could carry a person is refused.
func TestCheckRefusesForeignContent(t *testing.T) {
	cases := map[string]func(b *Bundle){
		"unknown table":   func(b *Bundle) { b.Tables[0].Name = "learner_list" },
		"extra dimension": func(b *Bundle) { b.Tables[0].Dims = append(b.Tables[0].Dims, "snils") },
		"a name as a municipality": func(b *Bundle) {
			b.Tables[0].Rows[0].Dims[1] = "Иванова Мария Петровна, 112-233-445 95"
		},
		"a year that is not one": func(b *Bundle) { b.Tables[0].Rows[0].Dims[0] = "Иванов" },
		"low threshold":          func(b *Bundle) { b.Threshold = 1 },
		"future version":         func(b *Bundle) { b.Version = FormatVersion + 1 },
		"format 1":               func(b *Bundle) { b.Version = 1; b.Protection = nil },
	}
	for name, spoil := range cases {
		b := sample(t)
		spoil(&b)
		if err := b.Check(); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestSignAndOpen(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	otherPub, otherPriv, _ := ed25519.GenerateKey(nil)
	trusted := func(region string) (ed25519.PublicKey, bool, error) { return pub, region == "41", nil }
	b := sample(t)
	signed, err := Sign(b, priv)
	if err != nil {
		t.Fatal(err)
	}
	got, key, err := Open(signed, trusted)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != b.ID || !bytes.Equal(key, pub) || *got.Tables[0].Rows[0].Values[1] != *b.Tables[0].Rows[0].Values[1] {
		t.Errorf("opened %+v", got)
	}

	// Tampering: one figure changed in the payload.
	var s Signed
	json.Unmarshal(signed, &s)
	payload, _ := base64.StdEncoding.DecodeString(s.Payload)
	s.Payload = base64.StdEncoding.EncodeToString(bytes.Replace(payload, []byte(`"period":"2026-11"`), []byte(`"period":"2026-10"`), 1))
	tampered, _ := json.Marshal(s)
	if _, _, err := Open(tampered, trusted); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "изменён") {
		t.Errorf("tampered: %v", err)
	}
	// Signed by a key that is not the region's.
	foreign, _ := Sign(b, otherPriv)
	if _, _, err := Open(foreign, trusted); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "не его ключом") {
		t.Errorf("foreign-signed: %v", err)
	}
	_ = otherPub
	// A region whose key is not registered.
	b2 := sample(t)
	b2.Region = "25"
	other, _ := Sign(b2, priv)
	if _, _, err := Open(other, trusted); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "не зарегистрирован") {
		t.Errorf("unregistered region: %v", err)
	}
	// An envelope of a future format version.
	json.Unmarshal(signed, &s)
	s.Version = FormatVersion + 1
	future, _ := json.Marshal(s)
	if _, _, err := Open(future, trusted); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "обновите") {
		t.Errorf("future version: %v", err)
	}
	if _, _, err := Open([]byte("PK\x03\x04"), trusted); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("not a bundle: %v", err)
	}
}

func TestKeys(t *testing.T) {
	pemKey, pub, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	priv, err := ParsePrivateKey(pemKey)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(priv.Public().(ed25519.PublicKey), pub) {
		t.Error("the key read back is another")
	}
	if _, err := ParsePrivateKey([]byte("not a key")); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("garbage key: %v", err)
	}
	if _, err := ParseKey("abc"); err == nil {
		t.Error("short public key accepted")
	}
}

func TestMeasureTable(t *testing.T) {
	guidance, _ := kpi.Lookup("guidance")
	work, _ := kpi.Lookup("employment6")
	p := CellKey()
	tb, acc := p.protect(testSecret, measureTable([]kpi.Item{
		{Measure: guidance, Numerator: 18351, Denominator: 18352},
		{Measure: work, Numerator: 2123, Denominator: 2640, Unknown: 139},
		{Measure: work, Numerator: 3, Denominator: 40, Unknown: 2},
	}))
	// One pupil outside the numerator is a part of one: published 0 or 5.
	if r := tb.Rows[0]; r.Values[2] != nil || *r.Values[0]-*r.Values[1] != 0 && *r.Values[0]-*r.Values[1] < Threshold {
		t.Errorf("one pupil outside the numerator follows by subtraction: %v", r.Values)
	}
	if r := tb.Rows[1]; *r.Values[1] < 2121 || *r.Values[1] > 2125 || *r.Values[2] < 137 || *r.Values[2] > 141 {
		t.Errorf("employment: %v", r.Values)
	}
	if r := tb.Rows[2]; *r.Values[1] != 0 && *r.Values[1] != 5 || *r.Values[2] != 0 && *r.Values[2] != 5 {
		t.Errorf("small counts kept: %d %d", *r.Values[1], *r.Values[2])
	}
	if acc.Table != "measures" || acc.Figures != 8 || acc.ShareMax > 5 {
		t.Errorf("accuracy %+v", acc)
	}
	p.Accuracy = []Accuracy{acc}
	b := Bundle{Format: Format, Version: FormatVersion, Region: "41", ID: NewID(), CreatedAt: time.Now(), Period: "2026-12", Threshold: Threshold, Protection: &p, Tables: []Table{tb}}
	if err := b.Check(); err != nil {
		t.Errorf("a measures table refused: %v", err)
	}
	tb.Rows[0].Dims[0] = "ivanov_ivan"
	if err := (&Bundle{Format: Format, Version: FormatVersion, Region: "41", ID: NewID(), CreatedAt: time.Now(), Period: "2026-12", Threshold: Threshold, Protection: &p, Tables: []Table{tb}}).Check(); err == nil {
		t.Error("a measure outside the catalogue accepted")
	}
}

// The comparison reads a region's headline shares from its measures where
// the bundle has them: the tables' sums lose the parts published as 0.
func TestSummariseReadsMeasures(t *testing.T) {
	b := sample(t)
	work, _ := kpi.Lookup("employment6")
	p := CellKey()
	mt, _ := p.protect(testSecret, measureTable([]kpi.Item{{Measure: work, Numerator: 2283, Denominator: 2645, Unknown: 103}}))
	b.Tables = append(b.Tables, mt)
	r := summarise(b)
	want := float64(*mt.Rows[0].Values[1]) / float64(*mt.Rows[0].Values[0])
	if r.Employment == nil || *r.Employment != want || want < 0.85 || want > 0.875 {
		t.Errorf("employment share %v, want %v", r.Employment, want)
	}
	if !r.Protected || r.LatestYear != 2025 {
		t.Errorf("summary %+v", r)
	}
}
