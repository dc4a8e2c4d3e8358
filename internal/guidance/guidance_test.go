package guidance

import (
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestSchoolYear(t *testing.T) {
	tests := []struct {
		on   time.Time
		want SchoolYear
	}{
		{day(2026, 9, 1), 2026}, {day(2026, 8, 31), 2025}, {day(2027, 1, 15), 2026}, {day(2026, 12, 31), 2026},
	}
	for _, tt := range tests {
		if got := YearOf(tt.on); got != tt.want {
			t.Errorf("YearOf(%s) = %d, want %d", tt.on.Format("02.01.2006"), got, tt.want)
		}
	}
	y := SchoolYear(2026)
	if y.String() != "2026/27" || !y.Start().Equal(day(2026, 9, 1)) || !y.End().Equal(day(2027, 9, 1)) {
		t.Errorf("year %s from %s to %s", y, y.Start(), y.End())
	}
	if SchoolYear(2099).String() != "2099/00" {
		t.Errorf("the century's turn: %s", SchoolYear(2099))
	}
	if m := y.Months(day(2026, 11, 24)); len(m) != 3 || !m[2].Equal(day(2026, 11, 1)) {
		t.Errorf("months by 24.11: %v", m)
	}
	if m := y.Months(day(2028, 1, 1)); len(m) != 12 || !m[11].Equal(day(2027, 8, 1)) {
		t.Errorf("months of a past year: %d", len(m))
	}
}

func TestLevels(t *testing.T) {
	want := map[Level]int{Basic: 40, Main: 60, Advanced: 80}
	for _, l := range Levels {
		if l.Hours() != want[l] || !l.Valid() || l.Name() == string(l) {
			t.Errorf("level %s: %d hours, name %q", l, l.Hours(), l.Name())
		}
	}
	p := Pupil{Hours: 59, Level: Main}
	if p.MeetsLevel() {
		t.Error("59 hours meet the основной level")
	}
	p.Hours = 60
	if !p.MeetsLevel() {
		t.Error("60 hours do not meet the основной level")
	}
}

func TestEventValidate(t *testing.T) {
	good := Event{RegionCode: "41", OrganiserID: 1, Kind: Proba, Title: " Профпроба «Сварщик» ", HeldOn: day(2026, 10, 5),
		GradeFrom: 8, GradeTo: 11, Hours: 4, SpecialtyCode: "15.01.05"}
	if err := good.Validate(); err != nil || good.Title != "Профпроба «Сварщик»" {
		t.Fatalf("good event: %v, title %q", err, good.Title)
	}
	tests := []struct {
		name, field string
		edit        func(e *Event)
	}{
		{"no title", "title", func(e *Event) { e.Title = "  " }},
		{"unknown kind", "kind", func(e *Event) { e.Kind = "party" }},
		{"grades reversed", "grade_to", func(e *Event) { e.GradeFrom, e.GradeTo = 11, 8 }},
		{"grade 12", "grade_from", func(e *Event) { e.GradeTo = 12 }},
		{"no hours", "hours", func(e *Event) { e.Hours = 0 }},
		{"no date", "held_on", func(e *Event) { e.HeldOn = time.Time{} }},
		{"bad specialty", "specialty_code", func(e *Event) { e.SpecialtyCode = "15-01-05" }},
		{"negative capacity", "capacity", func(e *Event) { e.Capacity = -1 }},
		{"no organiser", "organiser_id", func(e *Event) { e.OrganiserID = 0 }},
	}
	for _, tt := range tests {
		e := good
		tt.edit(&e)
		err := e.Validate()
		found := false
		for _, f := range apperr.Fields(err) {
			found = found || f.Field == tt.field
		}
		if !found {
			t.Errorf("%s: %v, want an error of %s", tt.name, err, tt.field)
		}
	}
	if err := good.Admits(7); err == nil || !strings.Contains(apperr.Message(err), "8–11") {
		t.Errorf("a 7th-grader admitted: %v", err)
	}
	if err := good.Admits(9); err != nil {
		t.Errorf("a 9th-grader refused: %v", err)
	}
}

func TestInformingValidate(t *testing.T) {
	now := day(2026, 11, 24)
	i := Informing{LearnerID: 5, On: day(2026, 11, 20), Method: ByLesson}
	if err := i.Validate(now); err != nil {
		t.Fatal(err)
	}
	i.On = now.AddDate(0, 0, 1)
	if err := i.Validate(now); err == nil {
		t.Error("informing tomorrow accepted")
	}
	i.On, i.Method = now, "pigeon"
	if err := i.Validate(now); err == nil {
		t.Error("unknown method accepted")
	}
}

func TestCoverageShares(t *testing.T) {
	var c Coverage
	if c.ReachedShare() != 0 || c.InformedShare() != 0 {
		t.Error("shares of nothing are not 0")
	}
	c.Add(Coverage{Pupils: 40, Reached: 30, Seniors: 20, Informed: 5, HoursMet: 10})
	c.Add(Coverage{Pupils: 10, Reached: 10, Seniors: 5, Informed: 5})
	if c.ReachedShare() != 0.8 || c.InformedShare() != 0.4 || c.HoursShare() != 0.2 {
		t.Errorf("shares %v %v %v", c.ReachedShare(), c.InformedShare(), c.HoursShare())
	}
}

func TestRights(t *testing.T) {
	tests := []struct {
		sc               auth.Scope
		organise, record bool
	}{
		{auth.Scope{Role: auth.Region}, true, true},
		{auth.Scope{Role: auth.School, OrgID: 1}, true, true},
		{auth.Scope{Role: auth.Employer, OrgID: 2}, true, false},
		{auth.Scope{Role: auth.College, OrgID: 3}, true, false},
		{auth.Scope{Role: auth.CZN, OrgID: 4}, true, false},
		{auth.Scope{Role: auth.Learner, LearnerID: 5}, false, false},
		{auth.Scope{Role: auth.Federal}, false, false},
		{auth.Scope{Role: auth.School}, false, false}, // a school user without a school
	}
	for _, tt := range tests {
		if CanOrganise(tt.sc) != tt.organise || CanRecord(tt.sc) != tt.record {
			t.Errorf("%s (org %d): organise %v, record %v", tt.sc.Role, tt.sc.OrgID, CanOrganise(tt.sc), CanRecord(tt.sc))
		}
	}
}
