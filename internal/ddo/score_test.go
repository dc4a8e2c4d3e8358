package ddo

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// key is the scoring key of data/ddo.json, written out again by hand so that the tests
// check the package against the published key rather than against itself.
var key = map[Type]string{
	Nature:   "1a 3b 6a 10a 11a 13b 16a 20a",
	Technics: "1b 4a 7b 9a 11b 14a 17b 19a",
	Human:    "2a 4b 6b 8a 12a 14b 16b 18a",
	Sign:     "2b 5a 9b 10b 12b 15a 19b 20b",
	Art:      "3a 5b 7a 8b 13a 15b 17a 18b",
}

// keyed maps "7b" to its type.
func keyed(t *testing.T) map[string]Type {
	t.Helper()
	m := make(map[string]Type)
	for typ, opts := range key {
		for _, o := range strings.Fields(opts) {
			if _, dup := m[o]; dup {
				t.Fatalf("%s twice in the key", o)
			}
			m[o] = typ
		}
	}
	if len(m) != 2*Items {
		t.Fatalf("key has %d options", len(m))
	}
	return m
}

func uniform(c Choice) Answers {
	var a Answers
	for i := range a {
		a[i] = c
	}
	return a
}

func TestScoreAllSame(t *testing.T) {
	// Counted by hand from the key: the a-options of П are 1a 6a 10a 11a 16a 20a, and so on.
	tests := []struct {
		c       Choice
		want    map[Type]int
		leading []Type
	}{
		{A, map[Type]int{Nature: 6, Technics: 4, Human: 4, Sign: 2, Art: 4}, []Type{Nature}},
		{B, map[Type]int{Nature: 2, Technics: 4, Human: 4, Sign: 6, Art: 4}, []Type{Sign}},
	}
	for _, tt := range tests {
		r := Score(uniform(tt.c))
		if len(r.Points) != 5 {
			t.Errorf("all %c: %d types in Points", tt.c, len(r.Points))
		}
		for typ, n := range tt.want {
			if r.Points[typ] != n {
				t.Errorf("all %c: %s = %d, want %d", tt.c, typ, r.Points[typ], n)
			}
		}
		if got := r.Leading(); !slices.Equal(got, tt.leading) {
			t.Errorf("all %c: Leading = %v, want %v", tt.c, got, tt.leading)
		}
	}
}

// TestEveryOption flips one pair at a time from all-a to b and checks that exactly the type
// of the a-option loses a point and the type of the b-option gains one.
func TestEveryOption(t *testing.T) {
	k := keyed(t)
	base := Score(uniform(A))
	for i := range Items {
		n := strconv.Itoa(i + 1)
		from, to := k[n+"a"], k[n+"b"]
		a := uniform(A)
		a[i] = B
		r := Score(a)
		for _, typ := range Types() {
			want := base.Points[typ]
			switch typ {
			case from:
				want--
			case to:
				want++
			}
			if r.Points[typ] != want {
				t.Errorf("pair %s flipped to b: %s = %d, want %d (key: %sa→%s, %sb→%s)", n, typ, r.Points[typ], want, n, from, n, to)
			}
		}
	}
	// The same from the questionnaire's side: every option carries the type of the key.
	for _, it := range Questionnaire().Items {
		n := strconv.Itoa(it.N)
		if it.A.Type != k[n+"a"] || it.B.Type != k[n+"b"] {
			t.Errorf("item %s: a %s, b %s; key %s, %s", n, it.A.Type, it.B.Type, k[n+"a"], k[n+"b"])
		}
	}
}

func TestEightSlotsPerType(t *testing.T) {
	slots := make(map[Type]int)
	for _, it := range Questionnaire().Items {
		slots[it.A.Type]++
		slots[it.B.Type]++
	}
	for _, typ := range Types() {
		if slots[typ] != MaxPoints {
			t.Errorf("%s has %d option slots", typ, slots[typ])
		}
	}
	// Picking, in every pair, the option of one type when there is one gives that type 8.
	k := keyed(t)
	for _, typ := range Types() {
		a := uniform(A)
		for i := range a {
			if k[strconv.Itoa(i+1)+"b"] == typ {
				a[i] = B
			}
		}
		r := Score(a)
		if r.Points[typ] != MaxPoints || r.Level(typ) != High || !slices.Equal(r.Leading(), []Type{typ}) {
			t.Errorf("all options of %s: %v, leading %v", typ, r.Points, r.Leading())
		}
	}
}

// TestTotals scores every one of the 2^20 sheets: the points always sum to 20 and stay in 0–8.
func TestTotals(t *testing.T) {
	if testing.Short() {
		t.Skip("2^20 sheets")
	}
	for bits := range 1 << Items {
		var a Answers
		for i := range a {
			a[i] = A
			if bits&(1<<i) != 0 {
				a[i] = B
			}
		}
		r := Score(a)
		sum := 0
		for _, typ := range Types() {
			n := r.Points[typ]
			if n < 0 || n > MaxPoints {
				t.Fatalf("%s: %v", a, r.Points)
			}
			sum += n
		}
		if sum != Items || len(r.Points) != 5 {
			t.Fatalf("%s: points %v sum to %d", a, r.Points, sum)
		}
	}
}

func TestScoreIncomplete(t *testing.T) {
	a := uniform(A)
	a[0] = 0 // 1a is П
	if r := Score(a); r.Points[Nature] != 5 {
		t.Errorf("unanswered pair scored: %v", r.Points)
	}
	if r := Score(Answers{}); r.Leading() != nil || r.Points[Art] != 0 || len(r.Points) != 5 {
		t.Errorf("empty sheet: %v, leading %v", r.Points, r.Leading())
	}
}

func TestLevels(t *testing.T) {
	tests := []struct {
		points int
		want   Level
		title  string
	}{
		{-1, "", ""},
		{0, Low, "низкий"},
		{2, Low, "низкий"},
		{3, Medium, "средний"},
		{6, Medium, "средний"},
		{7, High, "высокий"},
		{8, High, "высокий"},
		{9, "", ""},
	}
	for _, tt := range tests {
		if got := LevelOf(tt.points); got != tt.want || got.Title() != tt.title {
			t.Errorf("LevelOf(%d) = %q (%q), want %q (%q)", tt.points, got, got.Title(), tt.want, tt.title)
		}
	}
	r := Result{Points: map[Type]int{Nature: 2, Technics: 3, Human: 6, Sign: 7, Art: 2}}
	for typ, want := range map[Type]Level{Nature: Low, Technics: Medium, Human: Medium, Sign: High, Art: Low} {
		if r.Level(typ) != want {
			t.Errorf("Level(%s) = %s, want %s", typ, r.Level(typ), want)
		}
	}
}

func TestLeadingTies(t *testing.T) {
	tests := []struct {
		points map[Type]int
		want   []Type
	}{
		{map[Type]int{Nature: 4, Technics: 4, Human: 4, Sign: 4, Art: 4}, []Type{Nature, Technics, Human, Sign, Art}},
		{map[Type]int{Art: 6, Nature: 6, Human: 3, Sign: 3, Technics: 2}, []Type{Nature, Art}},
		{map[Type]int{Sign: 5, Human: 5, Technics: 5, Nature: 5}, []Type{Nature, Technics, Human, Sign}},
		{map[Type]int{Human: 8, Sign: 6, Art: 6}, []Type{Human}},
	}
	for _, tt := range tests {
		if got := (Result{Points: tt.points}).Leading(); !slices.Equal(got, tt.want) {
			t.Errorf("Leading(%v) = %v, want %v", tt.points, got, tt.want)
		}
	}
	// A real sheet with a tie: all a except 1 and 6 (П loses two, Т and Ч gain one) gives П4 Т5 Ч5 З2 Х4.
	a := uniform(A)
	a[0], a[5] = B, B
	if got := Score(a).Leading(); !slices.Equal(got, []Type{Technics, Human}) {
		t.Errorf("tie sheet %s: Leading = %v, points %v", a, got, Score(a).Points)
	}
}
