package targeted

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
)

var now = time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// details has what every move needs, so that a test of legality is not
// refused for a missing detail.
var details = Transition{UserID: 7, ContractNo: "ЦО-15/2026", ContractSignedOn: day(2026, 6, 1),
	StudyStart: day(2026, 9, 1), GraduatedOn: day(2026, 6, 30), WorkYears: 3}

func at(s Status) Application {
	a := NewApplication(1, 2, day(2026, 3, 1), 5)
	a.Status = s
	return a
}

// TestMoveLegality tries every pair of statuses: a legal move succeeds and
// is recorded, an illegal one is refused in Russian and changes nothing.
func TestMoveLegality(t *testing.T) {
	for _, from := range Statuses() {
		for _, to := range Statuses() {
			a := at(from)
			before := at(from)
			err := a.Move(to, now, "по заявлению", details)
			if legal[[2]Status{from, to}] {
				if err != nil {
					t.Errorf("%s → %s: %v", from, to, err)
					continue
				}
				last := a.History[len(a.History)-1]
				if a.Status != to || a.UpdatedAt != now || len(a.History) != 2 || last != (Step{Status: to, At: now, Reason: "по заявлению", UserID: 7}) {
					t.Errorf("%s → %s: application %+v", from, to, a)
				}
				continue
			}
			want := "нельзя перевести заявку из состояния «" + from.Title() + "» в «" + to.Title() + "»"
			if !apperr.Is(err, apperr.Conflict) || apperr.Message(err) != want {
				t.Errorf("%s → %s: got %v, want %q", from, to, err, want)
			}
			if !reflect.DeepEqual(a, before) {
				t.Errorf("%s → %s: a refused move changed the application", from, to)
			}
		}
	}
}

func TestMoveUnknownStatus(t *testing.T) {
	a := at(Submitted)
	if err := a.Move("hired", now, "", details); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "неизвестное состояние заявки «hired»") {
		t.Errorf("got %v", err)
	}
}

// TestMoveDetails checks what each move requires; a refused move changes nothing.
func TestMoveDetails(t *testing.T) {
	graduated := at(Graduated)
	graduated.StudyStart, graduated.GraduatedOn = day(2022, 9, 1), day(2026, 6, 30)
	studying := at(Studying)
	studying.StudyStart = day(2022, 9, 1)
	tests := []struct {
		name   string
		a      Application
		to     Status
		reason string
		d      Transition
		want   string // part of the message; empty when the move succeeds
	}{
		{"decline without reason", at(Submitted), Declined, "  ", Transition{}, "reason: укажите причину"},
		{"withdraw without reason", at(Selected), Withdrawn, "", Transition{}, "reason: укажите причину"},
		{"terminate without reason", at(Studying), Terminated, "", Transition{}, "reason: укажите причину"},
		{"break without reason", at(WorkingOff), Broken, "", Transition{}, "reason: укажите причину"},
		{"decline with reason", at(Submitted), Declined, "не прошёл отбор", Transition{}, ""},
		{"select without reason", at(Submitted), Selected, "", Transition{}, ""},
		{"contract without number", at(Selected), ContractSigned, "", Transition{ContractSignedOn: day(2026, 6, 1)}, "contract_no: укажите номер договора"},
		{"contract without date", at(Selected), ContractSigned, "", Transition{ContractNo: "12"}, "contract_signed_on: укажите дату заключения договора"},
		{"contract without both", at(Selected), ContractSigned, "", Transition{}, "contract_no: укажите номер договора о целевом обучении; contract_signed_on: укажите дату"},
		{"contract in the future", at(Selected), ContractSigned, "", Transition{ContractNo: "12", ContractSignedOn: day(2026, 12, 1)}, "дата заключения договора 01.12.2026 позже даты записи 24.11.2026"},
		{"contract signed", at(Selected), ContractSigned, "", Transition{ContractNo: " 12 ", ContractSignedOn: day(2026, 11, 24)}, ""},
		{"graduation without date", studying, Graduated, "", Transition{}, "graduated_on: укажите дату окончания обучения"},
		{"graduation before study", studying, Graduated, "", Transition{GraduatedOn: day(2021, 6, 30)}, "раньше начала обучения 01.09.2022"},
		{"graduation in the future", studying, Graduated, "", Transition{GraduatedOn: day(2027, 6, 30)}, "позже даты записи"},
		{"graduated", studying, Graduated, "", Transition{GraduatedOn: day(2026, 6, 30)}, ""},
		{"work without years", graduated, WorkingOff, "", Transition{}, "work_years: срок работы у заказчика должен быть от 3 до 5 лет, указано 0"},
		{"work for 6 years", graduated, WorkingOff, "", Transition{WorkYears: 6}, "указано 6"},
		{"work before graduation", graduated, WorkingOff, "", Transition{WorkYears: 3, ObligationStart: day(2026, 5, 1)}, "obligation_start: начало работы 01.05.2026 раньше окончания обучения 30.06.2026"},
		{"work", graduated, WorkingOff, "", Transition{WorkYears: 5}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.a
			a.History = append([]Step(nil), tt.a.History...)
			err := a.Move(tt.to, now, tt.reason, tt.d)
			if tt.want == "" {
				if err != nil || a.Status != tt.to {
					t.Errorf("got %v, status %q", err, a.Status)
				}
				return
			}
			if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Message(err), tt.want) {
				t.Errorf("got %v, want a message with %q", err, tt.want)
			}
			if !reflect.DeepEqual(a, tt.a) {
				t.Errorf("a refused move changed the application: %+v", a)
			}
		})
	}
}

// TestRoute walks one application from submission to the fulfilled
// obligation and checks the dates it keeps.
func TestRoute(t *testing.T) {
	a := NewApplication(10, 20, day(2026, 3, 1), 5)
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		to Status
		at time.Time
		d  Transition
	}{
		{Selected, day(2026, 4, 1), Transition{UserID: 3}},
		{ContractSigned, day(2026, 6, 2), Transition{ContractNo: " ЦО-1 ", ContractSignedOn: day(2026, 6, 1)}},
		{Studying, time.Date(2026, 9, 1, 9, 15, 0, 0, time.UTC), Transition{}},
		{Graduated, day(2030, 7, 1), Transition{GraduatedOn: day(2030, 6, 28)}},
		{WorkingOff, time.Date(2030, 8, 1, 12, 0, 0, 0, time.UTC), Transition{WorkYears: 3}},
		{Fulfilled, day(2033, 8, 1), Transition{}},
	}
	for _, s := range steps {
		if err := a.Move(s.to, s.at, "", s.d); err != nil {
			t.Fatalf("→ %s: %v", s.to, err)
		}
	}
	if a.ContractNo != "ЦО-1" || a.ContractSignedOn != day(2026, 6, 1) || a.StudyStart != day(2026, 9, 1) ||
		a.GraduatedOn != day(2030, 6, 28) || a.ObligationStart != day(2030, 8, 1) || a.ObligationEnd != day(2033, 8, 1) {
		t.Errorf("dates: %+v", a)
	}
	if len(a.History) != 7 || a.History[0].Status != Submitted || a.History[1].UserID != 3 || a.History[6].Status != Fulfilled {
		t.Errorf("history: %+v", a.History)
	}
	if a.Status != Fulfilled || a.UpdatedAt != day(2033, 8, 1) {
		t.Errorf("status %s, updated %v", a.Status, a.UpdatedAt)
	}
}

// TestFulfilledEarly: an obligation running to 2033 is not fulfilled in
// 2031 without a word; with a reason it is.
func TestFulfilledEarly(t *testing.T) {
	a := NewApplication(10, 20, day(2026, 3, 1), 5)
	a.Status, a.ObligationStart, a.ObligationEnd = WorkingOff, day(2030, 8, 1), day(2033, 8, 1)
	err := a.Move(Fulfilled, day(2031, 2, 1), "", Transition{})
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "01.08.2033") || a.Status != WorkingOff {
		t.Fatalf("fulfilled two years early without a reason: %v, status %s", err, a.Status)
	}
	if err := a.Move(Fulfilled, day(2031, 2, 1), "работодатель освободил от отработки: сокращение штата", Transition{}); err != nil || a.Status != Fulfilled {
		t.Fatalf("with a reason: %v, status %s", err, a.Status)
	}
}

func TestObligationEnd(t *testing.T) {
	tests := []struct {
		start time.Time
		years int
		want  time.Time
	}{
		{day(2026, 9, 1), 3, day(2029, 9, 1)},
		{day(2026, 12, 31), 5, day(2031, 12, 31)},
		{day(2028, 2, 29), 3, day(2031, 2, 28)}, // no 29 February in 2031
		{day(2028, 2, 29), 4, day(2032, 2, 29)}, // 2032 is a leap year
		{day(2027, 2, 28), 5, day(2032, 2, 28)},
		{day(2027, 3, 1), 5, day(2032, 3, 1)},
	}
	for _, tt := range tests {
		g := at(Graduated)
		g.GraduatedOn = day(2020, 6, 30)
		if err := g.Move(WorkingOff, now, "", Transition{ObligationStart: tt.start, WorkYears: tt.years}); err != nil {
			t.Fatal(err)
		}
		if g.ObligationStart != tt.start || g.ObligationEnd != tt.want {
			t.Errorf("%s + %d years: %s – %s, want end %s", tt.start.Format("02.01.2006"), tt.years,
				g.ObligationStart.Format("02.01.2006"), g.ObligationEnd.Format("02.01.2006"), tt.want.Format("02.01.2006"))
		}
	}
	// Without a start the obligation starts on the day of the move.
	g := at(Graduated)
	if err := g.Move(WorkingOff, now, "", Transition{WorkYears: 4}); err != nil {
		t.Fatal(err)
	}
	if g.ObligationStart != day(2026, 11, 24) || g.ObligationEnd != day(2030, 11, 24) {
		t.Errorf("default start: %v – %v", g.ObligationStart, g.ObligationEnd)
	}
}

// A move must not write into the history array of an earlier copy.
func TestMoveKeepsCopies(t *testing.T) {
	a := NewApplication(1, 2, day(2026, 3, 1), 5)
	a.History = append(make([]Step, 0, 10), a.History...)
	old := a
	if err := a.Move(Selected, now, "", Transition{}); err != nil {
		t.Fatal(err)
	}
	b := old
	if err := b.Move(Withdrawn, now, "передумал", Transition{}); err != nil {
		t.Fatal(err)
	}
	if a.History[1].Status != Selected || b.History[1].Status != Withdrawn || len(old.History) != 1 {
		t.Errorf("histories share storage: %v / %v", a.History, b.History)
	}
}

func TestApplicationValidate(t *testing.T) {
	var a Application
	err := a.Validate()
	for _, want := range []string{"offer_id: укажите предложение", "learner_id: укажите обучающегося", "status: неизвестное состояние", "submitted_at"} {
		if !strings.Contains(apperr.Message(err), want) {
			t.Errorf("%v: want %q", err, want)
		}
	}
}
