package web

import (
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1\u202f000", 36000: "36\u202f000", 1234567: "1\u202f234\u202f567", -5000: "−5\u202f000"} {
		if got := Number(n); got != want {
			t.Errorf("Number(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]string{1: "школьник", 2: "школьника", 4: "школьника", 5: "школьников", 11: "школьников",
		12: "школьников", 14: "школьников", 21: "школьник", 22: "школьника", 25: "школьников", 101: "школьник", 111: "школьников"} {
		if got := Plural(n, "школьник", "школьника", "школьников"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
	for x, want := range map[float64]string{0.8462: "84,6\u00a0%", 1: "100\u00a0%", 0.85: "85\u00a0%", 0: "0\u00a0%",
		18351.0 / 18352: "99,9\u00a0%", 0.0004: "менее 0,1\u00a0%"} {
		if got := Percent(x); got != want {
			t.Errorf("Percent(%v) = %q, want %q", x, got, want)
		}
	}
	if got := Date(time.Date(2006, 1, 2, 0, 0, 0, 0, time.UTC)); got != "02.01.2006" {
		t.Errorf("Date = %q", got)
	}
	if Date(time.Time{}) != "—" {
		t.Error("zero date")
	}
}

func TestPercentPoints(t *testing.T) {
	for d, want := range map[float64]string{0.032: "+3,2\u00a0п.\u00a0п.", -0.005: "−0,5\u00a0п.\u00a0п.", 0: "0\u00a0п.\u00a0п.", 0.1: "+10\u00a0п.\u00a0п.", -0.00001: "0\u00a0п.\u00a0п."} {
		if got := PercentPoints(d); got != want {
			t.Errorf("PercentPoints(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestPeriod(t *testing.T) {
	for in, want := range map[string]string{"2026-12": "декабрь 2026", "2025-01": "январь 2025", "2026": "2026", "": ""} {
		if got := Period(in); got != want {
			t.Errorf("Period(%q) = %q, want %q", in, got, want)
		}
	}
}
