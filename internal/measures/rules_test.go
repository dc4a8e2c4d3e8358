package measures

import (
	"strings"
	"testing"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

func TestRoles(t *testing.T) {
	tests := []struct {
		sc                 auth.Scope
		see, manage, enrol bool
	}{
		{auth.Scope{Role: auth.Region}, true, true, true},
		{auth.Scope{Role: auth.Admin}, true, true, true},
		{auth.Scope{Role: auth.CZN, OrgID: 5}, true, true, true},
		{auth.Scope{Role: auth.CZN}, false, false, false},
		{auth.Scope{Role: auth.College, OrgID: 7}, true, false, true},
		{auth.Scope{Role: auth.University, OrgID: 8}, true, false, true},
		{auth.Scope{Role: auth.School, OrgID: 9}, false, false, false},
		{auth.Scope{Role: auth.Employer, OrgID: 9}, true, false, false}, // the programmes it ordered
		{auth.Scope{Role: auth.Learner, LearnerID: 1}, false, false, false},
		{auth.Scope{Role: auth.Federal}, false, false, false},
		{auth.Scope{Role: auth.Expert}, false, false, false},
	}
	for _, tc := range tests {
		if CanSee(tc.sc) != tc.see || CanManage(tc.sc) != tc.manage || CanEnrol(tc.sc) != tc.enrol {
			t.Errorf("%s (org %d): see %v manage %v enrol %v; want %v %v %v", tc.sc.Role, tc.sc.OrgID,
				CanSee(tc.sc), CanManage(tc.sc), CanEnrol(tc.sc), tc.see, tc.manage, tc.enrol)
		}
	}
}

func TestProgrammeValidate(t *testing.T) {
	ok := Programme{Name: " Сварщик   ручной дуговой сварки ", ProviderName: "Политехнический техникум", Customer: B2G,
		Profession: "Сварщик", Hours: 256, Format: FullTime, Price: 45000}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	if ok.Name != "Сварщик ручной дуговой сварки" {
		t.Errorf("name not tidied: %q", ok.Name)
	}
	bad := []struct {
		field string
		edit  func(p *Programme)
	}{
		{"name", func(p *Programme) { p.Name = "" }},
		{"provider_name", func(p *Programme) { p.ProviderName = "" }},
		{"customer", func(p *Programme) { p.Customer = "b2c" }},
		{"customer_name", func(p *Programme) { p.Customer = B2B }},
		{"hours", func(p *Programme) { p.Hours = 8 }},
		{"hours", func(p *Programme) { p.Hours = 5000 }},
		{"format", func(p *Programme) { p.Format = "evening" }},
		{"price", func(p *Programme) { p.Price = -1 }},
		{"profession", func(p *Programme) { p.Profession = " " }},
	}
	for _, tc := range bad {
		p := ok
		tc.edit(&p)
		err := p.Validate()
		if fs := apperr.Fields(err); err == nil || fs[0].Field != tc.field {
			t.Errorf("%s: %v", tc.field, err)
		}
	}
	// A provider from the registry needs no name.
	reg := ok
	reg.ProviderID, reg.ProviderName = 3, ""
	if err := reg.Validate(); err != nil {
		t.Errorf("registry provider: %v", err)
	}
}

func TestGroupValidate(t *testing.T) {
	g := Group{Name: "СВ-1", Start: d(2026, 3, 1), End: d(2026, 2, 1), Capacity: 20}
	if err := g.Validate(); err == nil || !strings.Contains(err.Error(), "раньше") {
		t.Errorf("end before start: %v", err)
	}
	g.End, g.Capacity = d(2026, 5, 1), 0
	if err := g.Validate(); err == nil || !strings.Contains(err.Error(), "capacity") {
		t.Errorf("no places: %v", err)
	}
	g.Capacity = 20
	if err := g.Validate(); err != nil {
		t.Error(err)
	}
}

func TestPersonAndSNILS(t *testing.T) {
	now := d(2026, 11, 24)
	p := Person{LastName: "Петров", FirstName: "Олег", BirthYear: 1990, SNILS: "112-233-445 95"}
	if err := p.Validate(now); err != nil || p.SNILS != "11223344595" {
		t.Fatalf("valid person: %v, snils %q", err, p.SNILS)
	}
	p.SNILS = "112-233-445 96"
	if err := p.Validate(now); err == nil || !strings.Contains(err.Error(), "контрольное число") {
		t.Errorf("wrong checksum: %v", err)
	}
	p.SNILS, p.BirthYear = "", 2020
	if err := p.Validate(now); err == nil || !strings.Contains(err.Error(), "birth_year") {
		t.Errorf("a child: %v", err)
	}
	if err := CheckAge(Youth, 1980, now); err == nil || !strings.Contains(err.Error(), "46 лет") {
		t.Errorf("youth of 46: %v", err)
	}
	if err := CheckAge(PreRetirement, 1990, now); err == nil {
		t.Error("pre-retirement at 36 accepted")
	}
	if err := CheckAge(Youth, 1991, now); err != nil {
		t.Errorf("youth of 35: %v", err)
	}
}

func TestEnrolRefusals(t *testing.T) {
	now := d(2026, 11, 24)
	g := Group{Name: "СВ-1", Start: d(2026, 9, 1), End: d(2026, 12, 20), Capacity: 2, Studying: 1, Completed: 1}
	e := Enrolment{Category: Unemployed}
	if err := CheckEnrol(&e, g, now); !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "заняты все места") {
		t.Errorf("over capacity: %v", err)
	}
	g.Dropped, g.Completed = 1, 0 // a dropped person frees the place
	if err := CheckEnrol(&e, g, now); err != nil {
		t.Errorf("a free place: %v", err)
	}
	if !e.Enrolled.Equal(d(2026, 11, 24)) {
		t.Errorf("default enrolment day %v", e.Enrolled)
	}
	e = Enrolment{Category: "pensioner"}
	if err := CheckEnrol(&e, g, now); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "неизвестная категория") {
		t.Errorf("unknown category: %v", err)
	}
	e = Enrolment{Category: Youth, Enrolled: d(2026, 12, 21)}
	if err := CheckEnrol(&e, g, d(2026, 12, 25)); err == nil || !strings.Contains(err.Error(), "закончила обучение") {
		t.Errorf("after the group ended: %v", err)
	}
	e = Enrolment{Category: Youth, Enrolled: d(2026, 11, 1), Person: Person{BirthYear: 1970}}
	if err := CheckEnrol(&e, g, now); err == nil || !strings.Contains(err.Error(), "молодёжь") {
		t.Errorf("youth born in 1970: %v", err)
	}
}

func TestCompleteAndDrop(t *testing.T) {
	now := d(2026, 11, 24)
	e := Enrolment{GroupName: "СВ-1", GroupStart: d(2026, 9, 1), Enrolled: d(2026, 8, 20), Status: Enrolled}
	err := CheckComplete(e, d(2026, 8, 31), now)
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "начинается 01.09.2026") {
		t.Errorf("completion before the group started: %v", err)
	}
	if err := CheckComplete(e, d(2026, 11, 25), now); err == nil || !strings.Contains(err.Error(), "не наступила") {
		t.Errorf("completion tomorrow: %v", err)
	}
	if err := CheckComplete(e, d(2026, 11, 20), now); err != nil {
		t.Error(err)
	}
	if err := CheckDrop(e, d(2026, 8, 1), now); err == nil {
		t.Error("dropped before enrolment accepted")
	}
	done := e
	done.Status = Completed
	if err := CheckComplete(done, d(2026, 11, 20), now); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("completing twice: %v", err)
	}
	if err := CheckDrop(done, d(2026, 11, 20), now); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("dropping a completed one: %v", err)
	}
	if err := CheckEmployment(done, d(2026, 12, 1), "", now); err == nil {
		t.Error("a job in the future accepted")
	}
	if err := CheckEmployment(done, d(2026, 11, 22), "ООО «Ромашка»", now); err != nil {
		t.Error(err)
	}
	learnerOne := done
	learnerOne.LearnerID = 5
	if err := CheckEmployment(learnerOne, d(2026, 11, 22), "", now); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "истори") {
		t.Errorf("a learner's job without its employer: %v", err)
	}
	if err := CheckEmployment(learnerOne, d(2026, 11, 22), "ООО «Ромашка»", now); err != nil {
		t.Errorf("a learner's job after the programme: %v", err)
	}
	if err := CheckEmployment(e, d(2026, 11, 22), "", now); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("a job before completion recorded: %v", err)
	}
}
