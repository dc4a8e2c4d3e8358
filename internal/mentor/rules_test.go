package mentor

import (
	"context"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/learner"
)

func TestCheckPair(t *testing.T) {
	prog := Programme{ID: 1, RegionCode: "41", OrgID: 10, Form: EmployerStudent, Title: "Наставничество на производстве"}
	staff := Mentor{ID: 5, OrgID: 10, EmployerID: 50, Kind: Staff, FullName: "Петров О. И.", Capacity: 2, Active: true}
	student := &Mentee{ID: 7, Name: "Антонов Илья", OrgID: 10, Status: learner.Student}
	tests := []struct {
		name string
		r    Reach
		p    Pair
		code apperr.Code
		text string
	}{
		{"fits", Reach{Programme: prog, Mentor: staff, Mentee: student}, Pair{LearnerID: 7}, "", ""},
		{"over capacity", Reach{Programme: prog, Mentor: func() Mentor { m := staff; m.Load = 2; return m }(), Mentee: student}, Pair{LearnerID: 7}, apperr.Conflict, "уже 2 из 2"},
		{"mentor of another organisation", Reach{Programme: prog, Mentor: func() Mentor { m := staff; m.OrgID = 11; return m }(), Mentee: student}, Pair{LearnerID: 7}, apperr.Invalid, "другой образовательной организацией"},
		{"teacher in an employer form", Reach{Programme: prog, Mentor: func() Mentor { m := staff; m.Kind = Teacher; return m }(), Mentee: student}, Pair{LearnerID: 7}, apperr.Invalid, "сотрудник предприятия"},
		{"student of another organisation", Reach{Programme: prog, Mentor: staff, Mentee: &Mentee{ID: 8, Name: "Кузнецова Анна", OrgID: 12, Status: learner.Student}}, Pair{LearnerID: 8}, apperr.Invalid, "учится в другой"},
		{"a pupil in работодатель — студент", Reach{Programme: prog, Mentor: staff, Mentee: &Mentee{ID: 9, Name: "Иванова Мария", OrgID: 10, Status: learner.Pupil}}, Pair{LearnerID: 9}, apperr.Invalid, "наставляемый — студент"},
		{"busy mentee", Reach{Programme: prog, Mentor: staff, Mentee: student, Busy: true}, Pair{LearnerID: 7}, apperr.Invalid, "уже есть действующий наставник"},
		{"teacher–teacher needs a name", Reach{Programme: Programme{OrgID: 10, Form: TeacherTeacher}, Mentor: Mentor{OrgID: 10, Kind: Teacher, Capacity: 1, Active: true}}, Pair{}, apperr.Invalid, "наставляемого педагога"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.p
			err := CheckPair(&p, tt.r)
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				if p.EmployerID != 50 || p.MenteeName != "Антонов Илья" || p.Form != EmployerStudent {
					t.Errorf("pair not filled: %+v", p)
				}
				return
			}
			if !apperr.Is(err, tt.code) || !strings.Contains(apperr.Text(err), tt.text) {
				t.Errorf("got %v, want %s with «%s»", err, tt.code, tt.text)
			}
		})
	}
}

func TestFinish(t *testing.T) {
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	p := Pair{Start: start, PlannedEnd: start.AddDate(0, 9, 0), Status: Active}
	if err := p.Finish(start.AddDate(0, 2, 0), ""); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("early end without a reason: %v", err)
	}
	if err := p.Finish(start.AddDate(0, 9, 0), ""); err != nil || p.Status != Completed {
		t.Errorf("end on the planned day: %v, %s", err, p.Status)
	}
	if err := p.Finish(start.AddDate(0, 10, 0), ""); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("ending twice: %v", err)
	}
}

func TestPropose(t *testing.T) {
	prog := Programme{ID: 3, OrgID: 10, Form: EmployerStudent}
	mentors := []Mentor{
		{ID: 1, OrgID: 10, EmployerID: 50, Kind: Staff, SpecialtyCode: "15.02.08", Capacity: 1, Active: true, FullName: "А"},
		{ID: 2, OrgID: 10, EmployerID: 60, Kind: Staff, SpecialtyCode: "15.02.16", Capacity: 2, Load: 2, Active: true, FullName: "Б"}, // full
		{ID: 3, OrgID: 10, Kind: Teacher, Capacity: 5, Active: true, FullName: "В"},                                                   // wrong kind
	}
	cands := []Candidate{
		{LearnerID: 100, Name: "Первый", OrgID: 10, SpecialtyCode: "15.02.08", Risk: 0.1},
		{LearnerID: 101, Name: "Второй", OrgID: 10, SpecialtyCode: "15.02.08", Risk: 0.9},
		{LearnerID: 102, Name: "Третий", OrgID: 10, SpecialtyCode: "34.02.01", Risk: 0.99}, // no fit at all
	}
	got, err := Propose(context.Background(), prog, mentors, cands)
	if err != nil {
		t.Fatal(err)
	}
	// One free place: the student at higher risk takes it.
	if len(got) != 1 || got[0].Candidate.LearnerID != 101 || got[0].Mentor.ID != 1 {
		t.Fatalf("proposals %+v", got)
	}
	// At equal risk the one whose practice was at the mentor's enterprise fits better and wins.
	cands[0].PracticeEmployerID, cands[1].Risk = 50, 0.1
	got, _ = Propose(context.Background(), prog, mentors, cands)
	if len(got) != 1 || got[0].Candidate.LearnerID != 100 || got[0].Fit != fitSpecialty+fitEnterprise {
		t.Errorf("with practice: %+v", got)
	}
}
