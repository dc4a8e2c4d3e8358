package learner

import (
	"slices"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
)

var now = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func TestNormaliseSNILS(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"112-233-445 95", "11223344595", ""},
		{"11223344595", "11223344595", ""},
		{"920-000-003 00", "92000000300", ""}, // sum 100 → control 00
		{"999-999-999 01", "99999999901", ""}, // sum 405 → 405 mod 101 = 01
		{"112-233-445 96", "", "контрольного числа"},
		{"112-233-445", "", "11 цифр"},
		{"112-233-445 9X", "", "только цифры"},
	}
	for _, tt := range tests {
		got, err := NormaliseSNILS(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("NormaliseSNILS(%q) = %q, %v; want an error with %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormaliseSNILS(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if FormatSNILS("11223344595") != "112-233-445 95" {
		t.Error("FormatSNILS")
	}
}

func TestValidate(t *testing.T) {
	valid := Learner{RegionCode: "41", LastName: " Иванов ", FirstName: "Иван", Sex: "м", BirthDate: day(2008, 2, 3),
		Status: Student, OrgID: 1, MunicipalityID: 1, SpecialtyCode: "15.02.08", Course: 2, Form: FullTime, GraduationYear: 2028}
	if err := valid.Validate(now); err != nil {
		t.Fatal(err)
	}
	if valid.LastName != "Иванов" {
		t.Errorf("surname not trimmed: %q", valid.LastName)
	}
	tests := []struct {
		name   string
		change func(*Learner)
		want   string
	}{
		{"no surname", func(l *Learner) { l.LastName = "" }, "last_name: укажите фамилию"},
		{"digits in name", func(l *Learner) { l.FirstName = "Иван2" }, "first_name: имя «Иван2»"},
		{"bad sex", func(l *Learner) { l.Sex = "x" }, "sex"},
		{"too young", func(l *Learner) { l.BirthDate = day(2024, 1, 1) }, "birth_date: дата рождения 01.01.2024 даёт возраст 2 лет"},
		{"bad snils", func(l *Learner) { l.SNILS = "123" }, "snils"},
		{"bad specialty", func(l *Learner) { l.SpecialtyCode = "15.2.8" }, "specialty_code: код специальности «15.2.8»"},
		{"bad course", func(l *Learner) { l.Course = 9 }, "course: курс должен быть от 1 до 6, указан 9"},
		{"past graduation", func(l *Learner) { l.GraduationYear = 2020 }, "graduation_year"},
		{"pupil grade", func(l *Learner) { l.Status = Pupil; l.Grade = 12 }, "grade: класс школьника должен быть от 1 до 11, указано 12"},
		{"status", func(l *Learner) { l.Status = "worker" }, "статус должен быть pupil, student или graduate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := valid
			tt.change(&l)
			err := l.Validate(now)
			if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Message(err), tt.want) {
				t.Errorf("got %v, want a message with %q", err, tt.want)
			}
		})
	}
}

func TestYearsBetween(t *testing.T) {
	for _, tt := range []struct {
		birth, at time.Time
		want      int
	}{
		{day(2008, 11, 24), day(2026, 11, 24), 18},
		{day(2008, 11, 25), day(2026, 11, 24), 17},
		{day(2008, 2, 29), day(2026, 3, 1), 18},
	} {
		if got := YearsBetween(tt.birth, tt.at); got != tt.want {
			t.Errorf("YearsBetween(%s, %s) = %d, want %d", tt.birth.Format("02.01.2006"), tt.at.Format("02.01.2006"), got, tt.want)
		}
	}
}

func TestStatusAt(t *testing.T) {
	h := []Outcome{
		{Status: Unemployed, Start: day(2025, 7, 10)},
		{Status: Employed, Start: day(2025, 9, 1), End: day(2026, 3, 1)},
	}
	for _, tt := range []struct {
		at   time.Time
		want OutcomeStatus
	}{
		{day(2025, 7, 1), Unknown},
		{day(2025, 8, 1), Unemployed},
		{day(2025, 12, 31), Employed},
		{day(2026, 3, 1), Employed},
		// The job ended: what follows is the next period or «нет сведений»,
		// not the registration the job had ended.
		{day(2026, 6, 1), Unknown},
	} {
		if got := StatusAt(h, tt.at); got != tt.want {
			t.Errorf("StatusAt(%s) = %s, want %s", tt.at.Format("02.01.2006"), got, tt.want)
		}
	}
	o := Outcome{Status: NotEmployed, EmployerID: 3, Start: day(2025, 1, 1), End: day(2024, 1, 1)}
	msg := apperr.Message(o.Validate())
	if !strings.Contains(msg, "employer_id") || !strings.Contains(msg, "end: дата окончания 01.01.2024 раньше даты начала 01.01.2025") {
		t.Errorf("outcome message %q", msg)
	}
}

// TestPeriods walks the cases of the rule of periods one by one.
func TestPeriods(t *testing.T) {
	for _, tt := range []struct {
		name string
		h    []Outcome
		at   time.Time
		want OutcomeStatus
	}{
		{"service that ended ends its status",
			[]Outcome{{Status: Military, Start: day(2025, 7, 20), End: day(2026, 7, 20), Source: SourceCollege}},
			day(2026, 8, 1), Unknown},
		{"service still under way",
			[]Outcome{{Status: Military, Start: day(2025, 7, 20), End: day(2026, 7, 20), Source: SourceCollege}},
			day(2026, 7, 20), Military},
		{"what follows service counts after it",
			[]Outcome{{Status: Military, Start: day(2025, 7, 20), End: day(2026, 7, 20)}, {Status: Employed, Start: day(2026, 9, 1)}},
			day(2026, 10, 1), Employed},
		{"a known status beats a later «нет сведений»",
			[]Outcome{{Status: Employed, Start: day(2025, 9, 1), Source: SourceCollege}, {Status: Unknown, Start: day(2026, 1, 15), Source: SourceSurvey}},
			day(2026, 6, 1), Employed},
		{"a later record of equal rank closes an open one",
			[]Outcome{{Status: Unemployed, Start: day(2025, 8, 1), Source: SourceCZN}, {Status: Employed, Start: day(2026, 2, 1), Source: SourceCollege}},
			day(2026, 6, 1), Employed},
		{"a college's record does not close the social fund's",
			[]Outcome{{Status: Employed, Start: day(2025, 9, 1), Source: SourceSFR}, {Status: NotEmployed, Start: day(2026, 2, 1), Source: SourceCollege}},
			day(2026, 6, 1), Employed},
		{"the social fund's period that ended no longer overrides",
			[]Outcome{{Status: Employed, Start: day(2025, 9, 1), End: day(2026, 1, 31), Source: SourceSFR}, {Status: SelfEmployed, Start: day(2025, 9, 1), Source: SourceCollege}},
			day(2026, 6, 1), SelfEmployed},
		{"overlapping records: the social fund's counts",
			[]Outcome{{Status: NotEmployed, Start: day(2025, 9, 1), Source: SourceCollege}, {Status: Employed, Start: day(2025, 8, 1), End: day(2026, 12, 31), Source: SourceSFR}},
			day(2026, 6, 1), Employed},
	} {
		h := append([]Outcome(nil), tt.h...)
		slices.SortStableFunc(h, func(a, b Outcome) int { return a.Start.Compare(b.Start) })
		if got := StatusAt(h, tt.at); got != tt.want {
			t.Errorf("%s: StatusAt(%s) = %s, want %s", tt.name, tt.at.Format("02.01.2006"), got, tt.want)
		}
	}
}

func TestMilestonesOf(t *testing.T) {
	h := []Outcome{
		{Status: Military, Start: day(2025, 7, 20), End: day(2026, 7, 20)},
		{Status: Employed, Start: day(2026, 9, 1), EmployerINN: "4101000010"},
	}
	m := MilestonesOf(h, 2025, day(2026, 8, 10))
	if m.Current != Unknown || m.After6 != Military || m.After12 != Military || !m.Next.Equal(day(2026, 9, 1)) {
		t.Errorf("after service: %+v", m)
	}
	m = MilestonesOf(h, 2025, day(2026, 5, 1))
	if m.Current != Military || !m.Next.Equal(day(2026, 7, 21)) {
		t.Errorf("during service: %+v (the status changes the day after it ends)", m)
	}
	m = MilestonesOf(h, 2025, day(2026, 12, 1))
	if m.Current != Employed || !m.Next.IsZero() {
		t.Errorf("at work: %+v", m)
	}
	// The same employer six and twelve months on, by INN.
	w := []Outcome{{Status: Employed, Start: day(2025, 8, 1), End: day(2026, 2, 1), EmployerINN: "4101000010"},
		{Status: Employed, Start: day(2026, 2, 2), EmployerID: 7, EmployerINN: "4101000010"}}
	if m := MilestonesOf(w, 2025, day(2026, 12, 1)); !m.SameEmployer() {
		t.Errorf("same employer by INN: %+v", m)
	}
	w[1].EmployerINN = "4101999999"
	if m := MilestonesOf(w, 2025, day(2026, 12, 1)); m.SameEmployer() || m.After12 != Employed {
		t.Errorf("another employer: %+v", m)
	}
	if !Parental.Occupied() || Parental.Working() || !SelfEmployed.Working() || Unemployed.Occupied() {
		t.Error("the sets of occupied and working statuses")
	}
}
