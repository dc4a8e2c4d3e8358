// Package rollup is the federal rollup: a region's figures as a bundle of
// depersonalised aggregates, signed by the region with ed25519, that a
// federal installation imports from many regions and compares. A bundle
// carries counts by public dimensions only (year, municipality, specialty,
// status), protected by the cell-key method (protect.go) over all its
// tables at once before the bundle is signed, and the reader checks that
// nothing else is in it and that the method and its parameters are.
package rollup

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"slices"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/kpi"
)

// Format names a signed bundle and its payload.
const (
	Format        = "marshrut.rollup"
	SignedFormat  = "marshrut.rollup.signed"
	FormatVersion = 2 // 2: the cell-key method and its parameters in every bundle
)

// Threshold is the fewest persons a published count may describe: no count
// 1…Threshold−1 is published.
const Threshold = 5

// Bundle is a region's figures for a period.
type Bundle struct {
	Format     string    `json:"format"`
	Version    int       `json:"version"`
	ID         string    `json:"id"` // random, unique per bundle: a replay is refused by it
	Region     string    `json:"region"`
	RegionName string    `json:"region_name"`
	Period     string    `json:"period"` // YYYY-MM the figures are of
	CreatedAt  time.Time `json:"created_at"`
	Threshold  int       `json:"threshold"`
	// Protection is the disclosure control and its parameters; the import
	// refuses a bundle without it.
	Protection *Protection `json:"protection,omitempty"`
	Tables     []Table     `json:"tables"`
}

// Table is one set of counts by dimensions.
type Table struct {
	Name     string   `json:"name"`
	Dims     []string `json:"dims"`
	Measures []string `json:"measures"`
	Rows     []Row    `json:"rows"`
}

// Row is the counts of one combination of dimension values, protected; a
// nil count does not apply (the unknown of a measure without status) or, in
// a bundle of format 1, was suppressed.
type Row struct {
	Dims   []string `json:"dims"`
	Values []*int   `json:"values"`
}

// schema is every table a bundle may hold, with its dimensions and
// measures: the reader refuses anything else, so that no field of a person
// can ride along.
var schema = map[string]struct{ dims, measures []string }{
	"learners":      {[]string{"status"}, []string{"count"}},
	"guidance":      {[]string{"municipality"}, []string{"pupils", "reached", "seniors", "informed", "hours_met", "ticket"}},
	"employment":    {[]string{"year", "municipality"}, []string{"graduates", "employed6", "employed12", "retained", "unknown6"}},
	"specialties":   {[]string{"year", "specialty"}, []string{"graduates", "employed6", "employed12", "retained", "unknown6"}},
	"early_warning": {[]string{}, []string{"scored", "at_risk", "with_case", "with_case_working", "without_case", "without_case_working", "open", "closed"}},
	// The region's headline measures from the catalogue, as every page shows them.
	"measures": {[]string{"measure"}, []string{"denominator", "numerator", "unknown"}},
}

// dimension values: a year, a specialty code, a status, or a municipality's name.
var dimValue = map[string]*regexp.Regexp{
	"year":         regexp.MustCompile(`^(19|20)\d\d$`),
	"specialty":    regexp.MustCompile(`^\d\d\.\d\d\.\d\d$`),
	"status":       regexp.MustCompile(`^(pupil|student|graduate)$`),
	"municipality": regexp.MustCompile(`^[А-ЯЁа-яё«»"().\- ]{1,120}$`),
	"measure":      regexp.MustCompile(`^[a-z][a-z0-9_]{1,40}$`),
}

// municipalKind is a word every municipality's official name holds; a
// person's name holds none of them.
var municipalKind = regexp.MustCompile(`(?i)(район|округ|город|поселени|посёлок|поселок|территори)`)

// validDim reports whether d is a value of dimension dim.
func validDim(dim, d string) bool {
	re, ok := dimValue[dim]
	if !ok || !re.MatchString(d) {
		return false
	}
	if dim == "measure" {
		_, ok := kpi.Lookup(d)
		return ok
	}
	return dim != "municipality" || municipalKind.MatchString(d)
}

// Check refuses a bundle that is not exactly what this version writes:
// unknown tables, dimensions or values, counts below the threshold.
func (b *Bundle) Check() error {
	if b.Format != Format {
		return apperr.New(apperr.Invalid, "файл не является пакетом сводных показателей Маршрута")
	}
	if b.Version > FormatVersion {
		return apperr.New(apperr.Invalid, "пакет записан в формате версии %d, а эта версия программы читает форматы до %d: обновите Маршрут", b.Version, FormatVersion)
	}
	if b.Version < 1 {
		return apperr.New(apperr.Invalid, "в пакете не указана версия формата")
	}
	if !regexp.MustCompile(`^\d\d$`).MatchString(b.Region) {
		return apperr.New(apperr.Invalid, "код региона «%s» в пакете неверен", b.Region)
	}
	if len(b.ID) != 32 || b.CreatedAt.IsZero() {
		return apperr.New(apperr.Invalid, "у пакета нет номера или даты создания")
	}
	if b.Threshold < Threshold {
		return apperr.New(apperr.Invalid, "порог скрытия малых чисел в пакете %d меньше %d", b.Threshold, Threshold)
	}
	if err := b.Protection.check(b.Threshold); err != nil {
		return err
	}
	for _, t := range b.Tables {
		want, ok := schema[t.Name]
		if !ok {
			return apperr.New(apperr.Invalid, "неизвестная таблица «%s» в пакете", t.Name)
		}
		if !slices.Equal(t.Dims, want.dims) || !slices.Equal(t.Measures, want.measures) {
			return apperr.New(apperr.Invalid, "таблица «%s» в пакете не того состава", t.Name)
		}
		for _, r := range t.Rows {
			if len(r.Dims) != len(t.Dims) || len(r.Values) != len(t.Measures) {
				return apperr.New(apperr.Invalid, "строка таблицы «%s» не того размера", t.Name)
			}
			for k, d := range r.Dims {
				if !validDim(t.Dims[k], d) {
					return apperr.New(apperr.Invalid, "значение «%s» измерения «%s» в таблице «%s» недопустимо", d, t.Dims[k], t.Name)
				}
			}
			for j, v := range r.Values {
				if v == nil && !(t.Name == "measures" && j == 2) {
					return apperr.New(apperr.Invalid, "в таблице «%s» есть пустое число: защищённый пакет публикует все числа", t.Name)
				}
				if v != nil && (*v < 0 || *v > 0 && *v < b.Threshold) {
					return apperr.New(apperr.Invalid, "в таблице «%s» есть число меньше порога %d: такой пакет мог бы указать на человека", t.Name, b.Threshold)
				}
			}
		}
	}
	return nil
}

// Signed is a bundle as it travels: the payload's exact bytes, the region's
// public key and the signature of the payload by it.
type Signed struct {
	Format    string `json:"format"`
	Version   int    `json:"version"`
	Key       string `json:"key"`       // base64 of the ed25519 public key
	Payload   string `json:"payload"`   // base64 of the bundle's JSON
	Signature string `json:"signature"` // base64 of the ed25519 signature of the payload bytes
}

// NewID returns a random bundle id.
func NewID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Sign checks the bundle and signs it with the region's key.
func Sign(b Bundle, key ed25519.PrivateKey) ([]byte, error) {
	if err := b.Check(); err != nil {
		return nil, err
	}
	payload, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	s := Signed{Format: SignedFormat, Version: FormatVersion, Key: base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey)),
		Payload: base64.StdEncoding.EncodeToString(payload), Signature: base64.StdEncoding.EncodeToString(ed25519.Sign(key, payload))}
	return json.MarshalIndent(s, "", "  ")
}

// Trust tells the public key registered for a region; ok is false when none is.
type Trust func(region string) (key ed25519.PublicKey, ok bool, err error)

// Open verifies a signed bundle: its format, the signature over the exact
// payload, that the key is the one registered for the bundle's region, and
// that the payload is a bundle this version reads. Every refusal is a
// Russian message and nothing is kept.
func Open(data []byte, trust Trust) (Bundle, ed25519.PublicKey, error) {
	var s Signed
	if err := json.Unmarshal(data, &s); err != nil || s.Format != SignedFormat {
		return Bundle{}, nil, apperr.New(apperr.Invalid, "файл не является подписанным пакетом сводных показателей Маршрута")
	}
	if s.Version > FormatVersion {
		return Bundle{}, nil, apperr.New(apperr.Invalid, "пакет записан в формате версии %d, а эта версия программы читает форматы до %d: обновите Маршрут", s.Version, FormatVersion)
	}
	key, err1 := base64.StdEncoding.DecodeString(s.Key)
	payload, err2 := base64.StdEncoding.DecodeString(s.Payload)
	sig, err3 := base64.StdEncoding.DecodeString(s.Signature)
	if err1 != nil || err2 != nil || err3 != nil || len(key) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize {
		return Bundle{}, nil, apperr.New(apperr.Invalid, "пакет повреждён: ключ, содержимое или подпись не читаются")
	}
	if !ed25519.Verify(key, payload, sig) {
		return Bundle{}, nil, apperr.New(apperr.Invalid, "подпись пакета не сходится с содержимым: пакет изменён после подписи")
	}
	var b Bundle
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return Bundle{}, nil, apperr.New(apperr.Invalid, "содержимое пакета не читается: %v", err)
	}
	if err := b.Check(); err != nil {
		return Bundle{}, nil, err
	}
	want, ok, err := trust(b.Region)
	if err != nil {
		return Bundle{}, nil, err
	}
	if !ok {
		return Bundle{}, nil, apperr.New(apperr.Invalid, "ключ региона %s не зарегистрирован: сначала добавьте его открытый ключ (marshrut rollup trust --code %s --key …)", b.Region, b.Region)
	}
	if !bytes.Equal(want, key) {
		return Bundle{}, nil, apperr.New(apperr.Invalid, "пакет региона %s подписан не его ключом: пакет отклонён", b.Region)
	}
	return b, ed25519.PublicKey(key), nil
}

// ParseKey reads a base64 public key.
func ParseKey(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, apperr.Field("key", "открытый ключ должен быть 32 байтами в base64 (как его печатает marshrut rollup keygen)")
	}
	return ed25519.PublicKey(b), nil
}
