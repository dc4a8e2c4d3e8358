// Package targeted holds targeted education (целевое обучение): an employer —
// the заказчик — offers places at a college or a university, a learner applies
// and signs a contract, the employer supports the learner during study, and the
// graduate then works for the employer for the agreed number of years. The
// package is pure: offers, applications with their route through the contract,
// and the figures computed from them; storage and pages live elsewhere.
package targeted

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"marshrut/internal/apperr"
	"marshrut/internal/classifier"
)

// Level is the level of education an offer prepares for.
type Level string

const (
	SPO Level = "spo" // среднее профессиональное: ОКСО XX.01.YY and XX.02.YY
	VO  Level = "vo"  // высшее: ОКСО XX.03.YY, XX.04.YY and XX.05.YY
)

// Title is the Russian abbreviation of the level.
func (l Level) Title() string {
	switch l {
	case SPO:
		return "СПО"
	case VO:
		return "ВО"
	}
	return string(l)
}

// LevelOf derives the level from the middle part of an ОКСО code; it is empty
// for a code that names neither.
func LevelOf(code string) Level {
	switch lv := classifier.LevelOfCode(code); {
	case lv == "":
		return ""
	case classifier.Specialty{Level: lv}.IsSPO():
		return SPO
	}
	return VO
}

// Group is the enlarged group (УГС) of an ОКСО code, «15.00.00» for «15.02.08»;
// it is empty for a malformed code.
func Group(code string) string {
	if classifier.LevelOfCode(code) == "" {
		return ""
	}
	return code[:2] + ".00.00"
}

// WorkYearsMin and WorkYearsMax bound the years a graduate works for the
// employer after study under the current rules.
const (
	WorkYearsMin = 3
	WorkYearsMax = 5
)

// PlacesMax bounds the places of one offer; a larger number is a typing error.
const PlacesMax = 1000

// OfferStatus is where an offer stands.
type OfferStatus string

const (
	Draft     OfferStatus = "draft"     // being prepared, seen only by its authors
	Published OfferStatus = "published" // open to applications until the deadline
	Closed    OfferStatus = "closed"    // no longer takes applications
)

// OfferStatuses lists every offer status in the order an offer goes through them.
func OfferStatuses() []OfferStatus { return []OfferStatus{Draft, Published, Closed} }

// Title is the Russian name of the offer status.
func (s OfferStatus) Title() string {
	switch s {
	case Draft:
		return "черновик"
	case Published:
		return "опубликовано"
	case Closed:
		return "закрыто"
	}
	return string(s)
}

// Valid reports whether s is one of OfferStatuses.
func (s OfferStatus) Valid() bool { return s == Draft || s == Published || s == Closed }

// SupportKind is one kind of support an employer gives during study.
type SupportKind string

const (
	Stipend      SupportKind = "stipend"       // стипендия, материальная поддержка
	Housing      SupportKind = "housing"       // жильё
	PaidPractice SupportKind = "paid_practice" // оплачиваемая практика
	OtherSupport SupportKind = "other"         // иное, описано словами
)

// Title is the Russian name of the kind of support.
func (k SupportKind) Title() string {
	switch k {
	case Stipend:
		return "стипендия (материальная поддержка)"
	case Housing:
		return "жильё"
	case PaidPractice:
		return "оплачиваемая практика"
	case OtherSupport:
		return "иная поддержка"
	}
	return string(k)
}

// StipendMax bounds the monthly stipend; a larger amount is a typing error.
const StipendMax = 1_000_000

// Support is the set of kinds of support an offer promises during study. The
// stipend is present when its monthly amount is above zero.
type Support struct {
	Stipend      int // roubles a month; 0 — no stipend
	Housing      bool
	PaidPractice bool
	Other        string // any other support, in words; empty — none
}

// Kinds lists the kinds of support present, in a fixed order.
func (s Support) Kinds() []SupportKind {
	var out []SupportKind
	if s.Stipend > 0 {
		out = append(out, Stipend)
	}
	if s.Housing {
		out = append(out, Housing)
	}
	if s.PaidPractice {
		out = append(out, PaidPractice)
	}
	if s.Other != "" {
		out = append(out, OtherSupport)
	}
	return out
}

// Offer is an employer's offer of targeted places in one specialty at one
// education organisation for one admission year.
type Offer struct {
	ID             int64
	RegionCode     string
	EmployerID     int64 // the заказчик: an organisation of kind employer
	EmployerName   string
	OrgID          int64 // the college or university that teaches the specialty
	OrgName        string
	SpecialtyCode  string // ОКСО, «15.02.08» or «43.03.01»
	SpecialtyName  string
	Level          Level // derived from SpecialtyCode by Validate
	Places         int
	Support        Support
	WorkYears      int   // years of work owed to the employer after graduation
	MunicipalityID int64 // where the graduate will work
	Municipality   string
	Requirements   string // selection requirements, in words
	Deadline       time.Time
	Year           int // admission year
	Status         OfferStatus
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Read back with the offer: its applications and the contracts among them.
	Applications int
	Contracts    int
}

// Open reports whether the offer takes applications on the date of now: it is
// published and its deadline, the last day to apply, has not passed.
func (o Offer) Open(now time.Time) bool {
	return o.Status == Published && !o.Deadline.IsZero() && !dayBefore(o.Deadline, now)
}

// Validate normalises and checks every field, reporting all faults at once.
// now is the date against which the deadline and the year are judged.
// teaches answers whether an education organisation teaches a specialty; the
// offer is refused when it does not. A nil teaches skips that check, which
// only callers that have made it themselves should do.
//
// Validate does not look up organisations: the caller checks that EmployerID
// is an employer and OrgID a college or a university.
func (o *Offer) Validate(now time.Time, teaches func(orgID int64, specialty string) bool) error {
	var errs apperr.List
	o.SpecialtyCode = strings.TrimSpace(o.SpecialtyCode)
	o.Requirements = strings.TrimSpace(o.Requirements)
	o.Support.Other = strings.TrimSpace(o.Support.Other)
	if err := classifier.CheckRegionCode("region_code", o.RegionCode); err != nil {
		errs = append(errs, err.(*apperr.Error))
	}
	if o.EmployerID <= 0 {
		errs.Add("employer_id", "укажите работодателя — заказчика целевого обучения")
	}
	if o.OrgID <= 0 {
		errs.Add("org_id", "укажите образовательную организацию")
	}
	o.Level = ""
	if err := classifier.CheckSpecialtyCode("specialty_code", o.SpecialtyCode); err != nil {
		errs = append(errs, err.(*apperr.Error))
	} else {
		o.Level = LevelOf(o.SpecialtyCode)
		if o.OrgID > 0 && teaches != nil && !teaches(o.OrgID, o.SpecialtyCode) {
			errs.Add("specialty_code", "%s не ведёт обучение по специальности %s", o.orgLabel(), o.specialtyLabel())
		}
	}
	if o.Places < 1 || o.Places > PlacesMax {
		errs.Add("places", "число мест должно быть от 1 до %d, указано %d", PlacesMax, o.Places)
	}
	if o.Support.Stipend < 0 || o.Support.Stipend > StipendMax {
		errs.Add("support_stipend", "размер стипендии должен быть от 0 до %d рублей в месяц, указано %d", StipendMax, o.Support.Stipend)
	}
	if utf8.RuneCountInString(o.Support.Other) > 1000 {
		errs.Add("support_other", "описание иной поддержки длиннее 1000 знаков")
	}
	if o.WorkYears < WorkYearsMin || o.WorkYears > WorkYearsMax {
		errs.Add("work_years", "срок работы у заказчика после окончания обучения должен быть от %d до %d лет, указано %d", WorkYearsMin, WorkYearsMax, o.WorkYears)
	}
	if o.MunicipalityID <= 0 {
		errs.Add("municipality_id", "укажите муниципальное образование места работы")
	}
	if utf8.RuneCountInString(o.Requirements) > 4000 {
		errs.Add("requirements", "требования к отбору длиннее 4000 знаков")
	}
	if y := now.Year(); o.Year < 2000 || o.Year > y+5 {
		errs.Add("year", "год приёма %d вне диапазона 2000–%d", o.Year, y+5)
	}
	switch {
	case !o.Status.Valid():
		errs.Add("status", "статус предложения должен быть draft, published или closed, указано «%s»", o.Status)
	case o.Status == Draft:
		// A draft may wait for its deadline.
	case o.Deadline.IsZero():
		errs.Add("deadline", "укажите последний день подачи заявок")
	case o.Status == Published && dayBefore(o.Deadline, now):
		errs.Add("deadline", "последний день подачи заявок %s уже прошёл; опубликовать можно предложение с днём не раньше %s",
			o.Deadline.Format("02.01.2006"), now.Format("02.01.2006"))
	}
	return errs.Err()
}

func (o *Offer) orgLabel() string {
	if o.OrgName != "" {
		return "образовательная организация «" + o.OrgName + "»"
	}
	return "образовательная организация № " + strconv.FormatInt(o.OrgID, 10)
}

func (o *Offer) specialtyLabel() string {
	if o.SpecialtyName != "" {
		return o.SpecialtyCode + " «" + o.SpecialtyName + "»"
	}
	return o.SpecialtyCode
}

// dateOf is the calendar day of t, at midnight in t's own location.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// dayBefore reports whether the calendar day of a, read in a's location, comes
// before the calendar day of b, read in b's: a date stored at midnight UTC is
// compared with today in the region, whatever its offset.
func dayBefore(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	if ay != by {
		return ay < by
	}
	if am != bm {
		return am < bm
	}
	return ad < bd
}

// OfferFilter selects offers in a list.
type OfferFilter struct {
	EmployerID    int64
	OrgID         int64
	SpecialtyCode string
	Year          int
	Status        OfferStatus
	Drafts        bool // include drafts (for their employer and the region)
	Limit, Offset int
}
