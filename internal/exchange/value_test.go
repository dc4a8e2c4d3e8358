package exchange

import (
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		err  string
	}{
		{"2", 2, ""},
		{" 1 234,5 ", 1234.5, ""},
		{"1\u00a0234\u202f567,25", 1234567.25, ""},
		{"1234.5", 1234.5, ""},
		{"1,234.5", 1234.5, ""},
		{"1.234,5", 1234.5, ""},
		{"1,234", 1.234, ""},
		{"1,234,567", 1234567, ""},
		{"1.234.567", 1234567, ""},
		{"−5", -5, ""},
		{"-0,5", -0.5, ""},
		{"1e3", 1000, ""},
		{"56.123456", 56.123456, ""},
		{"", 0, "число не указано"},
		{"NaN", 0, "число «NaN» не распознано"},
		{"Inf", 0, "не распознано"},
		{"0x1F", 0, "не распознано"},
		{"1_000", 0, "не распознано"},
		{"1e999", 0, "не распознано"},
		{"два", 0, "не распознано"},
		{"12%", 0, "не распознано"},
	}
	for _, tt := range tests {
		got, err := ParseNumber(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseNumber(%q) = %v, %v; want an error with %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for in, want := range map[string]int{"2": 2, "2,0": 2, "2.0": 2, " 2026 ": 2026, "-1": -1} {
		if got, err := ParseInt(in); err != nil || got != want {
			t.Errorf("ParseInt(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseInt("2,5"); err == nil || !strings.Contains(err.Error(), "ожидается целое число, указано «2,5»") {
		t.Errorf("ParseInt(2,5): %v", err)
	}
}

func TestParseBool(t *testing.T) {
	for in, want := range map[string]bool{"да": true, "Да": true, " ДА ": true, "+": true, "1": true, "ИСТИНА": true, "TRUE": true, "х": true,
		"нет": false, "Нет": false, "-": false, "0": false, "ЛОЖЬ": false, "FALSE": false} {
		if got, err := ParseBool(in); err != nil || got != want {
			t.Errorf("ParseBool(%q) = %v, %v", in, got, err)
		}
	}
	for in, want := range map[string]string{"": "значение не указано", "может быть": "значение «может быть» не распознано: ожидается «да» или «нет»"} {
		if _, err := ParseBool(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseBool(%q): %v", in, err)
		}
	}
}
