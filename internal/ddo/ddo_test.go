package ddo

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestTypes(t *testing.T) {
	want := []struct {
		t            Type
		title, short string
	}{
		{Nature, "Человек — природа", "П"},
		{Technics, "Человек — техника", "Т"},
		{Human, "Человек — человек", "Ч"},
		{Sign, "Человек — знаковая система", "З"},
		{Art, "Человек — художественный образ", "Х"},
	}
	got := Types()
	if len(got) != len(want) {
		t.Fatalf("Types() = %v", got)
	}
	for i, w := range want {
		if got[i] != w.t {
			t.Errorf("Types()[%d] = %s, want %s", i, got[i], w.t)
		}
		if !w.t.Valid() || w.t.Title() != w.title || w.t.Short() != w.short {
			t.Errorf("%s: Valid %v, Title %q, Short %q; want %q, %q", w.t, w.t.Valid(), w.t.Title(), w.t.Short(), w.title, w.short)
		}
		if a := w.t.About(); strings.Count(a, ".") < 2 || len([]rune(a)) < 100 {
			t.Errorf("%s: About is too short: %q", w.t, a)
		}
	}
	got[0] = Art
	if Types()[0] != Nature {
		t.Error("Types returns the package's own array")
	}
	for _, bad := range []Type{"", "Nature", "природа", "other"} {
		if bad.Valid() || bad.About() != "" || bad.Title() != string(bad) {
			t.Errorf("%q is taken for a type", bad)
		}
	}
}

func TestQuestionnaire(t *testing.T) {
	q := Questionnaire()
	if !strings.Contains(q.Title, "Климова") || !strings.HasPrefix(q.Instruction, "Предположим") {
		t.Errorf("title %q, instruction %q", q.Title, q.Instruction)
	}
	if len(q.Items) != Items {
		t.Fatalf("%d items", len(q.Items))
	}
	for i, it := range q.Items {
		if it.N != i+1 || it.A.Text == "" || it.B.Text == "" || !it.A.Type.Valid() || !it.B.Type.Valid() || it.A.Type == it.B.Type {
			t.Errorf("item %d: %+v", i+1, it)
		}
	}
	// Item 15 keeps the order of the source: a is the exact report (знак), b the artistic one.
	if !strings.HasPrefix(q.Items[14].A.Text, "Составлять точные описания") || q.Items[14].A.Type != Sign || q.Items[14].B.Type != Art {
		t.Errorf("item 15: %+v", q.Items[14])
	}
	q.Items[0].A.Text = "changed"
	if Questionnaire().Items[0].A.Text == "changed" {
		t.Error("Questionnaire shares its items with the caller")
	}
	it := q.Items[1]
	if o, ok := it.Option(A); !ok || o != it.A {
		t.Error("Option(A)")
	}
	if o, ok := it.Option(B); !ok || o != it.B {
		t.Error("Option(B)")
	}
	if _, ok := it.Option(0); ok {
		t.Error("Option(0) gives an option")
	}
}

// TestParseRefusesBrokenData mends the embedded file in ways a careless edit could, and
// expects each to be caught before the questionnaire is used.
func TestParseRefusesBrokenData(t *testing.T) {
	if _, err := parse(rawData); err != nil {
		t.Fatalf("embedded data: %v", err)
	}
	tests := []struct {
		name   string
		change func(m map[string]any)
		want   string
	}{
		{"item dropped", func(m map[string]any) { m["items"] = m["items"].([]any)[1:] }, "19 items"},
		{"type changed", func(m map[string]any) { opt(m, 0, "a")["type"] = "technics" }, "option slots"},
		{"unknown type", func(m map[string]any) { opt(m, 0, "a")["type"] = "water" }, "unknown type"},
		{"options swapped", func(m map[string]any) {
			a, b := opt(m, 14, "a")["type"], opt(m, 14, "b")["type"]
			opt(m, 14, "a")["type"], opt(m, 14, "b")["type"] = b, a
		}, "key gives 15a to sign"},
		{"key twice", func(m map[string]any) {
			k := m["key"].(map[string]any)["nature"].([]any)
			k[1] = k[0]
		}, "twice"},
		{"renumbered", func(m map[string]any) { m["items"].([]any)[4].(map[string]any)["n"] = 6 }, "item 5 is numbered 6"},
		{"no title", func(m map[string]any) { delete(m["types"].(map[string]any)["art"].(map[string]any), "ru") }, "type art"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(rawData, &m); err != nil {
				t.Fatal(err)
			}
			tt.change(m)
			raw, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := parse(raw); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

func opt(m map[string]any, i int, side string) map[string]any {
	return m["items"].([]any)[i].(map[string]any)[side].(map[string]any)
}
