package targeted

import (
	"strings"
	"testing"

	"marshrut/internal/learner"
)

func TestSuits(t *testing.T) {
	spo := Offer{OrgID: 3, SpecialtyCode: "15.02.08", MunicipalityID: 4, Deadline: day(2026, 12, 1), Year: 2027, Status: Published}
	vo := Offer{OrgID: 5, SpecialtyCode: "43.03.01", Level: VO, MunicipalityID: 6, Deadline: day(2026, 12, 1), Year: 2027, Status: Published}
	pupil := func(grade int) LearnerView {
		return LearnerView{Status: learner.Pupil, Grade: grade, OrgID: 100, MunicipalityID: 4}
	}
	student := func(code string, org int64, year int) LearnerView {
		return LearnerView{Status: learner.Student, SpecialtyCode: code, OrgID: org, MunicipalityID: 8, GraduationYear: year}
	}
	with := func(o Offer, f func(*Offer)) Offer { f(&o); return o }
	tests := []struct {
		name string
		o    Offer
		l    LearnerView
		ok   bool
		why  string
	}{
		{"pupil 9, СПО", spo, pupil(9), true, "предложение СПО для учеников 9–11 классов; место работы — в муниципальном образовании проживания"},
		{"pupil 11, СПО", spo, pupil(11), true, "предложение СПО для учеников 9–11 классов"},
		{"pupil 8, СПО", spo, pupil(8), false, "предложения СПО — для учеников 9–11 классов, указан 8 класс"},
		{"pupil 9, ВО", vo, pupil(9), false, "предложения ВО — для учеников 10–11 классов, указан 9 класс"},
		{"pupil 10, ВО", vo, pupil(10), true, "предложение ВО для учеников 10–11 классов"},
		{"pupil 11, ВО by code", with(vo, func(o *Offer) { o.Level = "" }), pupil(11), true, "предложение ВО для учеников 10–11 классов"},
		{"same specialty, other college", spo, student("15.02.08", 7, 2028), true, "та же специальность 15.02.08"},
		{"same specialty, same college", spo, student("15.02.08", 3, 2028), true, "та же специальность 15.02.08; обучение в той же образовательной организации"},
		{"same group, same level", spo, student("15.02.10", 7, 2028), true, "специальность 15.02.08 из той же укрупнённой группы 15.00.00"},
		{"same group, other level", spo, student("15.03.06", 7, 2028), false, "предложение уровня СПО, а обучение идёт на уровне ВО"},
		{"other group", vo, student("15.03.06", 7, 2028), false, "специальность 43.03.01 не из укрупнённой группы 15.00.00"},
		{"no specialty", spo, student("", 7, 2028), false, "не указана специальность"},
		{"studies end before admission", spo, student("15.02.08", 7, 2026), false, "обучение заканчивается в 2026 году, раньше года приёма 2027"},
		{"studies end in admission year", spo, student("15.02.08", 7, 2027), true, "та же специальность 15.02.08"},
		{"graduate", spo, LearnerView{Status: learner.Graduate, SpecialtyCode: "15.02.08"}, false, "предложения целевого обучения адресованы школьникам и студентам"},
		{"draft", with(spo, func(o *Offer) { o.Status = Draft }), pupil(9), false, "предложение ещё не опубликовано"},
		{"closed", with(spo, func(o *Offer) { o.Status = Closed }), pupil(9), false, "приём заявок по предложению закрыт"},
		{"deadline passed", with(spo, func(o *Offer) { o.Deadline = day(2026, 11, 23) }), pupil(9), false, "приём заявок закончился 23.11.2026"},
		{"deadline today", with(spo, func(o *Offer) { o.Deadline = day(2026, 11, 24) }), pupil(9), true, "предложение СПО"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, why := Suits(tt.o, tt.l, now)
			if ok != tt.ok || !strings.HasPrefix(why, tt.why) {
				t.Errorf("got %v, %q; want %v, %q", ok, why, tt.ok, tt.why)
			}
		})
	}
}

func TestViewOf(t *testing.T) {
	l := learner.Learner{Status: learner.Student, Grade: 0, SpecialtyCode: "15.02.08", OrgID: 3, MunicipalityID: 4, GraduationYear: 2028}
	want := LearnerView{Status: learner.Student, SpecialtyCode: "15.02.08", OrgID: 3, MunicipalityID: 4, GraduationYear: 2028}
	if ViewOf(l) != want {
		t.Errorf("%+v", ViewOf(l))
	}
}
