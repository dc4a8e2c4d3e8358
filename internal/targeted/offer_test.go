package targeted

import (
	"slices"
	"strings"
	"testing"

	"marshrut/internal/apperr"
)

// teaches says organisation 3 teaches 15.02.08 and 43.03.01, and nobody teaches anything else.
func teaches(orgID int64, specialty string) bool {
	return orgID == 3 && (specialty == "15.02.08" || specialty == "43.03.01")
}

func validOffer() Offer {
	return Offer{RegionCode: "41", EmployerID: 2, OrgID: 3, OrgName: "Камчатский политехнический техникум",
		SpecialtyCode: " 15.02.08 ", Places: 5, Support: Support{Stipend: 5000, Housing: true, Other: "  наставник "},
		WorkYears: 3, MunicipalityID: 4, Requirements: " средний балл не ниже 4 ", Deadline: day(2026, 11, 24),
		Year: 2027, Status: Published}
}

func TestOfferValid(t *testing.T) {
	o := validOffer()
	if err := o.Validate(now, teaches); err != nil {
		t.Fatal(err)
	}
	if o.SpecialtyCode != "15.02.08" || o.Requirements != "средний балл не ниже 4" || o.Support.Other != "наставник" {
		t.Errorf("not trimmed: %+v", o)
	}
	if o.Level != SPO {
		t.Errorf("level %q", o.Level)
	}
	o.SpecialtyCode = "43.03.01"
	if err := o.Validate(now, teaches); err != nil || o.Level != VO {
		t.Errorf("%v, level %q", err, o.Level)
	}
	// A draft may lack a deadline, or have one in the past.
	for _, d := range []Offer{{Deadline: day(2020, 1, 1)}, {}} {
		o := validOffer()
		o.Status, o.Deadline = Draft, d.Deadline
		if err := o.Validate(now, teaches); err != nil {
			t.Errorf("draft with deadline %v: %v", d.Deadline, err)
		}
	}
	// A closed offer keeps its past deadline.
	o = validOffer()
	o.Status, o.Deadline = Closed, day(2026, 8, 1)
	if err := o.Validate(now, teaches); err != nil {
		t.Error(err)
	}
}

func TestOfferValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Offer)
		want   string
	}{
		{"region", func(o *Offer) { o.RegionCode = "" }, "region_code: код региона «» должен состоять из двух цифр"},
		{"no employer", func(o *Offer) { o.EmployerID = 0 }, "employer_id: укажите работодателя — заказчика целевого обучения"},
		{"no organisation", func(o *Offer) { o.OrgID = 0 }, "org_id: укажите образовательную организацию"},
		{"no specialty", func(o *Offer) { o.SpecialtyCode = "" }, "specialty_code: код специальности «» должен иметь вид 00.00.00"},
		{"bad specialty", func(o *Offer) { o.SpecialtyCode = "15.2.8" }, "specialty_code: код специальности «15.2.8»"},
		{"not a programme", func(o *Offer) { o.SpecialtyCode = "15.07.01" }, "specialty_code: код «15.07.01» не является кодом профессии или специальности"},
		{"not taught, named", func(o *Offer) {
			o.SpecialtyCode = "15.02.10"
			o.SpecialtyName = "Мехатроника и робототехника"
		},
			"specialty_code: образовательная организация «Камчатский политехнический техникум» не ведёт обучение по специальности 15.02.10 «Мехатроника и робототехника»"},
		{"not taught, unnamed", func(o *Offer) { o.OrgID = 9; o.OrgName = "" },
			"specialty_code: образовательная организация № 9 не ведёт обучение по специальности 15.02.08"},
		{"no places", func(o *Offer) { o.Places = 0 }, "places: число мест должно быть от 1 до 1000, указано 0"},
		{"too many places", func(o *Offer) { o.Places = 1001 }, "places: число мест должно быть от 1 до 1000, указано 1001"},
		{"negative stipend", func(o *Offer) { o.Support.Stipend = -1 }, "support_stipend: размер стипендии должен быть от 0 до 1000000 рублей в месяц, указано -1"},
		{"long other", func(o *Offer) { o.Support.Other = strings.Repeat("ж", 1001) }, "support_other: описание иной поддержки длиннее 1000 знаков"},
		{"2 years", func(o *Offer) { o.WorkYears = 2 }, "work_years: срок работы у заказчика после окончания обучения должен быть от 3 до 5 лет, указано 2"},
		{"6 years", func(o *Offer) { o.WorkYears = 6 }, "work_years: срок работы у заказчика после окончания обучения должен быть от 3 до 5 лет, указано 6"},
		{"no municipality", func(o *Offer) { o.MunicipalityID = 0 }, "municipality_id: укажите муниципальное образование места работы"},
		{"long requirements", func(o *Offer) { o.Requirements = strings.Repeat("а", 4001) }, "requirements: требования к отбору длиннее 4000 знаков"},
		{"no year", func(o *Offer) { o.Year = 0 }, "year: год приёма 0 вне диапазона 2000–2031"},
		{"far year", func(o *Offer) { o.Year = 2032 }, "year: год приёма 2032"},
		{"status", func(o *Offer) { o.Status = "open" }, "status: статус предложения должен быть draft, published или closed, указано «open»"},
		{"published without deadline", func(o *Offer) { o.Deadline = day(1, 1, 1) }, "deadline: укажите последний день подачи заявок"},
		{"closed without deadline", func(o *Offer) { o.Status = Closed; o.Deadline = day(1, 1, 1) }, "deadline: укажите последний день подачи заявок"},
		{"published, deadline passed", func(o *Offer) { o.Deadline = day(2026, 11, 23) },
			"deadline: последний день подачи заявок 23.11.2026 уже прошёл; опубликовать можно предложение с днём не раньше 24.11.2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := validOffer()
			tt.change(&o)
			err := o.Validate(now, teaches)
			if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Message(err), tt.want) {
				t.Errorf("got %v, want a message with %q", err, tt.want)
			}
		})
	}
}

// TestOfferValidateAll checks that all faults are reported at once, each
// under its field.
func TestOfferValidateAll(t *testing.T) {
	var o Offer
	err := o.Validate(now, teaches)
	if !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("got %v", err)
	}
	msg := apperr.Message(err)
	for _, f := range []string{"region_code", "employer_id", "org_id", "specialty_code", "places", "work_years", "municipality_id", "year", "status"} {
		if !strings.Contains(msg, f+": ") {
			t.Errorf("no %s in %q", f, msg)
		}
	}
	// teaches is not asked about an organisation or a code that is already wrong.
	asked := false
	o = validOffer()
	o.OrgID = 0
	_ = o.Validate(now, func(int64, string) bool { asked = true; return false })
	if asked {
		t.Error("teaches asked about org 0")
	}
	// A nil teaches skips the check.
	o = validOffer()
	o.OrgID = 99
	if err := o.Validate(now, nil); err != nil {
		t.Error(err)
	}
}

func TestLevelOf(t *testing.T) {
	for code, want := range map[string]Level{"15.01.05": SPO, "15.02.08": SPO, "43.03.01": VO, "38.04.01": VO, "31.05.01": VO, "15.06.01": "", "15.2.8": "", "": ""} {
		if got := LevelOf(code); got != want {
			t.Errorf("LevelOf(%q) = %q, want %q", code, got, want)
		}
	}
	if Group("15.02.08") != "15.00.00" || Group("bad") != "" {
		t.Error("Group")
	}
}

func TestSupportKinds(t *testing.T) {
	s := Support{Stipend: 3000, PaidPractice: true, Other: "проезд"}
	if got := s.Kinds(); !slices.Equal(got, []SupportKind{Stipend, PaidPractice, OtherSupport}) {
		t.Errorf("Kinds() = %v", got)
	}
	if (Support{}).Kinds() != nil {
		t.Error("empty support has kinds")
	}
}

func TestOpen(t *testing.T) {
	o := validOffer()
	if !o.Open(now) {
		t.Error("open on its deadline day")
	}
	if o.Open(day(2026, 11, 25)) {
		t.Error("open after the deadline")
	}
	o.Status = Closed
	if o.Open(day(2026, 1, 1)) {
		t.Error("a closed offer is open")
	}
}
