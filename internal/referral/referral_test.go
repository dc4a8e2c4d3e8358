package referral

import (
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
)

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func TestEligible(t *testing.T) {
	summer := Offering{Name: "Трудовая бригада", Kind: SummerWork, AgeMin: 14, AgeMax: 17, Places: 2, Referred: 1,
		MunicipalityID: 3, MunicipalityName: "Елизовский муниципальный район", Start: date(2027, 6, 1), End: date(2027, 8, 31)}
	today := date(2026, 12, 7)
	tests := []struct {
		name  string
		o     Offering
		birth time.Time
		muni  int64
		want  string // part of the refusal; "" — eligible
	}{
		{"13 today, 14 by the start", summer, date(2013, 5, 1), 3, ""},
		{"13 on the start", summer, date(2013, 6, 2), 3, "будет 13"},
		{"18 by the start", summer, date(2009, 5, 31), 3, "14–17"},
		{"lives elsewhere", summer, date(2011, 1, 1), 4, "для жителей"},
		{"no place left", func() Offering { o := summer; o.Referred = 2; return o }(), date(2011, 1, 1), 3, "не осталось мест"},
		{"ended", func() Offering { o := summer; o.End = date(2026, 12, 6); o.Start = date(2026, 6, 1); return o }(), date(2011, 1, 1), 3, "закончилась"},
	}
	for _, tc := range tests {
		err := tc.o.Eligible(tc.birth, tc.muni, today)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want a refusal with %q", tc.name, err, tc.want)
		}
	}
}

func TestValidate(t *testing.T) {
	ok := Offering{Kind: Consultation, Name: "Профконсультация", AgeMin: 14, AgeMax: 35, Places: 10, Start: date(2026, 12, 1), End: date(2027, 5, 31)}
	if err := ok.Validate(); err != nil {
		t.Fatalf("a good service: %v", err)
	}
	for name, change := range map[string]func(*Offering){
		"unknown kind":      func(o *Offering) { o.Kind = "party" },
		"training no group": func(o *Offering) { o.Kind = Training },
		"ages reversed":     func(o *Offering) { o.AgeMin, o.AgeMax = 30, 20 },
		"age 12":            func(o *Offering) { o.AgeMin = 12 },
		"no places":         func(o *Offering) { o.Places = 0 },
		"ends before":       func(o *Offering) { o.End = date(2026, 11, 1) },
		"over a year":       func(o *Offering) { o.End = date(2028, 1, 1) },
		"short name":        func(o *Offering) { o.Name = "Да" },
	} {
		o := ok
		change(&o)
		if err := o.Validate(); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestChanges(t *testing.T) {
	today := date(2026, 12, 7)
	job := Referral{VacancyID: "v1", Status: Sent, On: date(2026, 12, 1)}
	for _, tc := range []struct {
		r    Referral
		c    Change
		want apperr.Code // "" — accepted
	}{
		{job, Change{Status: Hired, On: date(2026, 12, 5)}, ""},
		{job, Change{Status: Started, On: date(2026, 12, 5)}, apperr.Invalid},
		{job, Change{Status: Hired, On: date(2026, 11, 30)}, apperr.Invalid},
		{job, Change{Status: Hired, On: date(2026, 12, 8)}, apperr.Invalid},
		{job, Change{Status: Refused, On: date(2026, 12, 5)}, apperr.Invalid},
		{job, Change{Status: Refused, On: date(2026, 12, 5), Reason: "не пришёл на собеседование"}, ""},
		{Referral{VacancyID: "v1", Status: Hired, On: date(2026, 12, 1)}, Change{Status: Refused, On: today, Reason: "уволился"}, apperr.Conflict},
		{Referral{Kind: Training, Status: Started, On: date(2026, 12, 1)}, Change{Status: Done, On: today}, apperr.Conflict},
		{Referral{Kind: Consultation, Status: Sent, On: date(2026, 12, 1)}, Change{Status: Done, On: today}, ""},
	} {
		err := tc.r.Check(&tc.c, today)
		if tc.want == "" && err != nil || tc.want != "" && !apperr.Is(err, tc.want) {
			t.Errorf("%+v → %+v: %v, want %q", tc.r, tc.c, err, tc.want)
		}
	}
}

func TestAge(t *testing.T) {
	if a := Age(date(2009, 12, 8), date(2026, 12, 7)); a != 16 {
		t.Errorf("the day before the 17th birthday: %d", a)
	}
	if a := Age(date(2009, 12, 7), date(2026, 12, 7)); a != 17 {
		t.Errorf("on the 17th birthday: %d", a)
	}
}
