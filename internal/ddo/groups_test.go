package ddo

import (
	"math"
	"slices"
	"strings"
	"testing"
	"unicode"

	"marshrut/internal/classifier"
)

// letters keeps only the letters of a group name, lower case with ё as е, so that
// «ЭЛЕКТРО - И ТЕПЛОЭНЕРГЕТИКА» and «Электро- и теплоэнергетика» compare equal.
func letters(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(s) {
		if r == 'ё' {
			r = 'е'
		}
		if unicode.IsLetter(r) {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// TestGroupsExistInClassifier checks every group of the table against the ОКСО lists shipped
// in internal/classifier: the code exists with the same name, and every group the classifier
// knows has at least one type, so that no specialty is left out of routing by accident.
func TestGroupsExistInClassifier(t *testing.T) {
	b, err := classifier.LoadBuiltin()
	if err != nil {
		t.Fatal(err)
	}
	names := make(map[string]map[string]bool) // group code → the spellings of its name
	for _, s := range b.Specialties {
		if names[s.GroupCode] == nil {
			names[s.GroupCode] = make(map[string]bool)
		}
		names[s.GroupCode][letters(s.GroupName)] = true
	}
	seen := make(map[string]bool)
	for _, g := range groups {
		if seen[g.code] {
			t.Errorf("%s listed twice", g.code)
		}
		seen[g.code] = true
		if len(g.types) == 0 {
			t.Errorf("%s has no type", g.code)
		}
		for _, typ := range g.types {
			if !typ.Valid() {
				t.Errorf("%s: unknown type %q", g.code, typ)
			}
		}
		if names[g.code] == nil {
			t.Errorf("%s «%s» is not a group of the classifier", g.code, g.name)
			continue
		}
		want := letters(g.name)
		for got := range names[g.code] {
			// okso_vo.csv has «АРХИТЕКТУРА');» — a leftover of its SQL source, which letters drops.
			if got != want {
				t.Errorf("%s is «%s» here but %q in the classifier", g.code, g.name, got)
			}
		}
	}
	for code := range names {
		if !seen[code] {
			t.Errorf("classifier group %s has no type", code)
		}
	}
	if !slices.IsSortedFunc(groups, func(a, b struct {
		code  string
		name  string
		types []Type
	}) int {
		return strings.Compare(a.code, b.code)
	}) {
		t.Error("groups are not in code order")
	}
}

func TestGroupsAndTypesOf(t *testing.T) {
	// A sample of the correspondence from the brief, one or two groups per type.
	want := map[Type][]string{
		Nature:   {"05.00.00", "06.00.00", "19.00.00", "20.00.00", "35.00.00", "36.00.00"},
		Technics: {"08.00.00", "13.00.00", "15.00.00", "23.00.00", "27.00.00", "29.00.00"},
		Human:    {"31.00.00", "34.00.00", "37.00.00", "40.00.00", "43.00.00", "44.00.00", "49.00.00"},
		Sign:     {"01.00.00", "02.00.00", "09.00.00", "10.00.00", "38.00.00", "45.00.00", "46.00.00"},
		Art:      {"07.00.00", "29.00.00", "42.00.00", "50.00.00", "53.00.00", "54.00.00", "55.00.00"},
	}
	for typ, codes := range want {
		got := Groups(typ)
		for _, c := range codes {
			if !slices.Contains(got, c) {
				t.Errorf("Groups(%s) = %v lacks %s", typ, got, c)
			}
		}
		if !slices.IsSorted(got) {
			t.Errorf("Groups(%s) not sorted: %v", typ, got)
		}
	}
	// Groups and TypesOf are the same table read both ways.
	for _, typ := range Types() {
		for _, code := range Groups(typ) {
			if !slices.Contains(TypesOf(code), typ) {
				t.Errorf("%s is in Groups(%s) but TypesOf(%s) = %v", code, typ, code, TypesOf(code))
			}
		}
	}
	for _, g := range groups {
		ts := TypesOf(g.code)
		for _, typ := range ts {
			if !slices.Contains(Groups(typ), g.code) {
				t.Errorf("TypesOf(%s) has %s, but Groups(%s) lacks it", g.code, typ, typ)
			}
		}
		if !slices.IsSortedFunc(ts, func(a, b Type) int { return a.index() - b.index() }) {
			t.Errorf("TypesOf(%s) = %v is not in canonical order", g.code, ts)
		}
	}
	if Groups("water") != nil {
		t.Error("Groups of an unknown type")
	}

	tests := []struct {
		code string
		want []Type
	}{
		{"15.02.08", []Type{Technics}},
		{"43.03.01", []Type{Human}},
		{"09.02.07", []Type{Technics, Sign}},
		{"29.02.04", []Type{Technics, Art}},
		{"36.02.01", []Type{Nature}},
		{"54.02.01", []Type{Art}},
		{"38.02.01", []Type{Human, Sign}},
		{"15.00.00", []Type{Technics}},
		{"15", []Type{Technics}},
		{"56.02.01", nil}, // no such group
		{"1", nil},
		{"", nil},
		{"150208", nil},
		{"ab.02.01", nil},
	}
	for _, tt := range tests {
		if got := TypesOf(tt.code); !slices.Equal(got, tt.want) {
			t.Errorf("TypesOf(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestFit(t *testing.T) {
	r := Result{Points: map[Type]int{Nature: 1, Technics: 7, Human: 2, Sign: 6, Art: 4}}
	tests := []struct {
		code string
		want float64
	}{
		{"15.02.08", 7.0 / 8}, // Т
		{"09.02.07", 7.0 / 8}, // Т and З: the better one
		{"38.03.01", 6.0 / 8}, // Ч and З
		{"45.03.02", 6.0 / 8}, // З and Х
		{"29.03.04", 7.0 / 8}, // Т and Х
		{"54.02.01", 4.0 / 8}, // Х
		{"44.03.01", 2.0 / 8}, // Ч
		{"35.02.05", 1.0 / 8}, // П
		{"33.02.01", 2.0 / 8}, // П and Ч
		{"15", 7.0 / 8},       // a bare group
		{"56.02.01", 0},       // no such group
		{"xx.03.04", 0},
		{"", 0},
	}
	for _, tt := range tests {
		if got := Fit(r, tt.code); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("Fit(%s) = %v, want %v", tt.code, got, tt.want)
		}
	}
	if got := Fit(Result{Points: map[Type]int{Technics: 12}}, "15.02.08"); got != 1 {
		t.Errorf("Fit above 8 points = %v, want 1", got)
	}
	if got := Fit(Score(uniform(A)), "35.02.01"); got != 6.0/8 {
		t.Errorf("Fit of a scored sheet = %v, want 0.75", got)
	}
}
