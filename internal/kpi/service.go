package kpi

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/analytics"
	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

// Target is a measure's target for a year, as the region set it.
type Target struct {
	ID        int64
	Code      string
	Year      int
	Value     *float64 // 0–1; nil: no target for the year
	Note      string
	SetBy     int64 // 0: the installation's default (the pilot's)
	SetByName string
	SetAt     time.Time
}

// Item is one measure's value in a scope.
type Item struct {
	Measure
	Numerator   int
	Denominator int
	Unknown     int
	Target      *float64
	// TargetSet tells whether the region set the target (false: the pilot's default).
	TargetSet bool
}

// Value is Numerator ÷ Denominator; ok is false when there is nobody to count.
func (i Item) Value() (float64, bool) {
	if i.Denominator == 0 {
		return 0, false
	}
	return float64(i.Numerator) / float64(i.Denominator), true
}

// Empty says why a measure has no value: nobody to count.
func (i Item) Empty() string {
	return "Пока некого считать: в знаменателе («" + i.Measure.Denominator + "») никого нет."
}

// Rate is the value, 0 when there is nobody to count.
func (i Item) Rate() float64 { v, _ := i.Value(); return v }

// Met reports whether a target is set and reached.
func (i Item) Met() bool {
	v, ok := i.Value()
	return ok && i.Target != nil && v >= *i.Target-1e-9
}

// Below reports whether a target is set and not reached.
func (i Item) Below() bool {
	_, ok := i.Value()
	return ok && i.Target != nil && !i.Met()
}

// Scope is where a document is counted: the region, a municipality (its
// residents) or an organisation.
type Scope struct {
	Kind string // region, municipality, organisation
	ID   int64
}

// String is the scope as the API and the command line write it.
func (s Scope) String() string {
	switch s.Kind {
	case "municipality":
		return "municipality:" + strconv.FormatInt(s.ID, 10)
	case "organisation":
		return "org:" + strconv.FormatInt(s.ID, 10)
	case "centre":
		return "centre"
	case "":
		return ""
	}
	return "region"
}

// ParseScope reads «region», «centre» (an employment centre's
// municipalities), «municipality:ID» or «org:ID»; an empty string is the
// caller's own default level.
func ParseScope(s string) (Scope, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Scope{}, nil
	}
	if s == "region" || s == "centre" {
		return Scope{Kind: s}, nil
	}
	kind, id, ok := strings.Cut(s, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n <= 0 {
		return Scope{}, apperr.Field("scope", "область «%s» не распознана: region, municipality:НОМЕР или org:НОМЕР", s)
	}
	switch kind {
	case "municipality":
		return Scope{Kind: "municipality", ID: n}, nil
	case "org", "organisation":
		return Scope{Kind: "organisation", ID: n}, nil
	}
	return Scope{}, apperr.Field("scope", "область «%s» не распознана: region, municipality:НОМЕР или org:НОМЕР", s)
}

// Document is every headline measure of a scope on a day.
type Document struct {
	AsOf       time.Time // the day counted on, in the region's time zone
	Fresh      time.Time // when the counts were last brought up to date
	Scope      Scope
	ScopeName  string
	Year       int // graduation year counted six months on
	Year12     int // graduation year counted twelve months on
	RatingYear int // graduation year the national rating counts
	TargetYear int // the year whose targets apply
	Items      []Item
	View       analytics.View
}

// Item returns the document's item of a code.
func (d Document) Item(code string) (Item, bool) {
	for _, it := range d.Items {
		if it.Code == code {
			return it, true
		}
	}
	return Item{}, false
}

// Service answers the measures of a scope.
type Service struct {
	monitor *analytics.Monitor
	store   Store
	now     func() time.Time
	loc     *time.Location
}

// NewService returns a Service; loc is the region's time zone.
func NewService(m *analytics.Monitor, s Store, now func() time.Time, loc *time.Location) *Service {
	if loc == nil {
		loc = time.UTC
	}
	return &Service{monitor: m, store: s, now: now, loc: loc}
}

// Location is the region's time zone.
func (s *Service) Location() *time.Location { return s.loc }

// Today is the current day in the region's time zone.
func (s *Service) Today() time.Time {
	t := s.now().In(s.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Document counts every measure of the scope the caller may see on day
// asOf (zero: today, from the live snapshot; a past day is counted afresh).
func (s *Service) Document(ctx context.Context, sc auth.Scope, scope Scope, asOf time.Time) (Document, error) {
	today := s.Today()
	var v analytics.View
	var err error
	switch {
	case asOf.IsZero() || asOf.Equal(today):
		asOf = today
		v, err = s.monitor.View(ctx, sc, scope.Kind, scope.ID)
	case asOf.After(today):
		return Document{}, apperr.Field("as_of", "дата расчёта %s ещё не наступила", asOf.Format("02.01.2006"))
	case asOf.Year() < 2000:
		return Document{}, apperr.Field("as_of", "дата расчёта %s слишком ранняя", asOf.Format("02.01.2006"))
	default:
		// The end of the day asked, so that what happened on it counts.
		v, err = s.monitor.ViewAt(ctx, sc, scope.Kind, scope.ID, asOf.Add(24*time.Hour-time.Second))
	}
	if err != nil {
		return Document{}, err
	}
	d := Document{AsOf: asOf, Fresh: v.Fresh.In(s.loc), Scope: Scope{Kind: v.Level.Kind, ID: v.Level.ID}, ScopeName: v.Level.Name,
		Year: v.Year, Year12: v.Year12, RatingYear: v.RatingYear, TargetYear: asOf.Year(), View: v}
	targets, err := s.Targets(ctx, sc.RegionCode, d.TargetYear)
	if err != nil {
		return Document{}, err
	}
	d.Items = Evaluate(v.Figures, v.Level.Kind == "region", targets)
	return d, nil
}

// Evaluate computes every measure on the counts; region tells whether the
// counts are the region's, which alone carry the region-wide measures.
func Evaluate(f analytics.Figures, region bool, targets map[string]Target) []Item {
	out := make([]Item, 0, len(Catalogue))
	for _, m := range Catalogue {
		if m.Region && !region {
			continue
		}
		it := Item{Measure: m, Numerator: m.Num(f), Denominator: m.Den(f), Unknown: m.Unknown(f)}
		if t, ok := targets[m.Code]; ok {
			it.Target, it.TargetSet = t.Value, t.SetBy != 0 || t.ID != 0
		}
		out = append(out, it)
	}
	return out
}

// Targets returns the target of every measure for a year: the region's
// latest, or the pilot's default where the region set none.
func (s *Service) Targets(ctx context.Context, region string, year int) (map[string]Target, error) {
	set, err := s.store.Targets(ctx, region, year)
	if err != nil {
		return nil, err
	}
	out := map[string]Target{}
	for _, m := range Catalogue {
		if m.Default > 0 {
			v := m.Default
			out[m.Code] = Target{Code: m.Code, Year: year, Value: &v, SetByName: "по умолчанию (пилот)"}
		}
	}
	for _, t := range set {
		out[t.Code] = t
	}
	return out, nil
}

// TargetHistory is every target of a measure the region set, newest first.
func (s *Service) TargetHistory(ctx context.Context, sc auth.Scope, code string) ([]Target, error) {
	if _, ok := Lookup(code); !ok {
		return nil, apperr.New(apperr.NotFound, "показатель не найден")
	}
	return s.store.TargetHistory(ctx, sc.RegionCode, code)
}

// CanSetTargets reports whether the scope sets the region's targets.
func CanSetTargets(sc auth.Scope) bool { return sc.Role == auth.Region || sc.Role == auth.Admin }

// SetTarget records a measure's target for a year: percent is 0–100, or
// nil to say the year has no target.
func (s *Service) SetTarget(ctx context.Context, sc auth.Scope, code string, year int, percent *float64, note string) error {
	if !CanSetTargets(sc) {
		return apperr.New(apperr.Forbidden, "цели показателей устанавливает региональное министерство")
	}
	var errs apperr.List
	if _, ok := Lookup(code); !ok {
		errs.Add("code", "показатель «%s» не найден в каталоге", code)
	}
	if now := s.Today().Year(); year < 2000 || year > now+10 {
		errs.Add("year", "год %d вне допустимого диапазона 2000–%d", year, now+10)
	}
	var value *float64
	if percent != nil {
		p := *percent
		if math.IsNaN(p) || p < 0 || p > 100 {
			errs.Add("value", "цель должна быть от 0 до 100 %%, указано %s", strconv.FormatFloat(p, 'f', -1, 64))
		} else {
			v := math.Round(p*10) / 1000
			value = &v
		}
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 500 {
		errs.Add("note", "пояснение длиннее 500 знаков")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return s.store.AddTarget(ctx, sc.RegionCode, &Target{Code: code, Year: year, Value: value, Note: note, SetBy: sc.UserID, SetAt: s.now()})
}

// JSON is a document as the API answers it and the command line prints it.
type JSON struct {
	AsOf       string     `json:"as_of"`
	Fresh      string     `json:"fresh,omitempty"`
	Scope      string     `json:"scope"`
	ScopeName  string     `json:"scope_name"`
	Year6m     int        `json:"graduation_year_6m"`
	Year12m    int        `json:"graduation_year_12m"`
	RatingYear int        `json:"rating_year"`
	Items      []JSONItem `json:"items"`
}

// JSONItem is one measure of a JSON document.
type JSONItem struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Definition  string   `json:"definition"`
	Numerator   int      `json:"numerator"`
	Denominator int      `json:"denominator"`
	Value       *float64 `json:"value"`
	Target      *float64 `json:"target"`
	Unknown     *int     `json:"unknown"`
}

// JSON is the document in the shape of the API.
func (d Document) JSON() JSON {
	out := JSON{AsOf: d.AsOf.Format("2006-01-02"), Scope: d.Scope.String(), ScopeName: d.ScopeName, Year6m: d.Year, Year12m: d.Year12,
		RatingYear: d.RatingYear, Items: make([]JSONItem, 0, len(d.Items))}
	if !d.Fresh.IsZero() {
		out.Fresh = d.Fresh.Format(time.RFC3339)
	}
	for _, it := range d.Items {
		j := JSONItem{Code: it.Code, Name: it.Name, Definition: it.Definition, Numerator: it.Numerator, Denominator: it.Denominator, Target: it.Target}
		if v, ok := it.Value(); ok {
			j.Value = &v
		}
		if it.Status {
			u := it.Unknown
			j.Unknown = &u
		}
		out.Items = append(out.Items, j)
	}
	return out
}
