package rollup

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/kpi"
)

func sample(t *testing.T) Bundle {
	t.Helper()
	tab := Table{Name: "employment", Dims: schema["employment"].dims, Measures: schema["employment"].measures, Rows: []Row{
		{Dims: []string{"2025", "Елизовский муниципальный район"}, Values: []*int{n(40), n(31), n(29), n(27), n(3)}},
		{Dims: []string{"2025", "Алеутский муниципальный округ"}, Values: []*int{n(4), n(4), n(3), n(3), n(0)}},
	}}
	tab.Suppress(Threshold)
	return Bundle{Format: Format, Version: FormatVersion, ID: NewID(), Region: "41", RegionName: "Камчатский край", Period: "2026-11",
		CreatedAt: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), Threshold: Threshold, Tables: []Table{tab}}
}

func TestSuppress(t *testing.T) {
	b := sample(t)
	rows := b.Tables[0].Rows
	// A row of fewer than five graduates is blanked whole; inside a published
	// row a count of 1–4 is blanked, zero stays.
	for j, v := range rows[1].Values {
		if v != nil {
			t.Errorf("small row value %d kept: %d", j, *v)
		}
	}
	if rows[0].Values[4] != nil || rows[0].Values[0] == nil || *rows[0].Values[1] != 31 {
		t.Errorf("published row %v", rows[0].Values)
	}
	if err := b.Check(); err != nil {
		t.Fatal(err)
	}
	bad := sample(t)
	bad.Tables[0].Rows[0].Values[4] = n(2)
	if err := bad.Check(); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "меньше порога") {
		t.Errorf("a count of 2 passed: %v", err)
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
	if got.ID != b.ID || !bytes.Equal(key, pub) || *got.Tables[0].Rows[0].Values[1] != 31 {
		t.Errorf("opened %+v", got)
	}

	// Tampering: one figure changed in the payload.
	var s Signed
	json.Unmarshal(signed, &s)
	payload, _ := base64.StdEncoding.DecodeString(s.Payload)
	s.Payload = base64.StdEncoding.EncodeToString(bytes.Replace(payload, []byte("31"), []byte("39"), 1))
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
	tb := measureTable([]kpi.Item{
		{Measure: guidance, Numerator: 18351, Denominator: 18352},
		{Measure: work, Numerator: 2123, Denominator: 2640, Unknown: 139},
		{Measure: work, Numerator: 3, Denominator: 40, Unknown: 2},
	})
	tb.Suppress(Threshold)
	if r := tb.Rows[0]; r.Values[1] != nil || r.Values[2] != nil || *r.Values[0] != 18352 {
		t.Errorf("one pupil outside the numerator would follow by subtraction: %v", r.Values)
	}
	if r := tb.Rows[1]; *r.Values[1] != 2123 || *r.Values[2] != 139 {
		t.Errorf("employment: %v", r.Values)
	}
	if r := tb.Rows[2]; r.Values[1] != nil || r.Values[2] != nil {
		t.Errorf("small counts kept: %v", r.Values)
	}
	b := Bundle{Format: Format, Version: FormatVersion, Region: "41", ID: NewID(), CreatedAt: time.Now(), Period: "2026-12", Threshold: Threshold, Tables: []Table{tb}}
	if err := b.Check(); err != nil {
		t.Errorf("a measures table refused: %v", err)
	}
	tb.Rows[0].Dims[0] = "ivanov_ivan"
	if err := (&Bundle{Format: Format, Version: FormatVersion, Region: "41", ID: NewID(), CreatedAt: time.Now(), Period: "2026-12", Threshold: Threshold, Tables: []Table{tb}}).Check(); err == nil {
		t.Error("a measure outside the catalogue accepted")
	}
}
