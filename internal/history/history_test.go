package history

import (
	"reflect"
	"testing"
	"time"
)

func TestDiffKeepsOnlyWhatChanged(t *testing.T) {
	got := Diff(Field("Мест", "5", "7"), Field("Год", "2027", "2027"), Field("Жильё", "нет", "да"))
	want := []Change{{"Мест", "5", "7"}, {"Жильё", "нет", "да"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Diff = %v, want %v", got, want)
	}
	if got := Diff(Field("Год", "2027", "2027")); got != nil {
		t.Fatalf("an unchanged form gave %v, want no changes", got)
	}
}

func TestValuesReadAsOnPages(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Int(5000), "5 000"}, {Int(999), "999"}, {Int(1234567), "1 234 567"}, {Int(-1500), "−1 500"},
		{Bool(true), "да"}, {Text("  "), "—"}, {Date(time.Time{}), "—"},
		{Date(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)), "01.03.2027"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
