// Package referral is the employment centre's work with young people beyond
// a case's notes: the catalogue of the centre's youth services (summer work
// for teenagers, internships, career consultations, job fairs, training,
// psychological support) and the referrals of a young person to a service or
// to a vacancy, each followed to its result. A referral to training is the
// enrolment in a group of a programme of active measures; a referral to a
// vacancy ends in a hire, which becomes a period of the person's employment
// history, or in a refusal with its reason.
package referral

import (
	"strings"
	"time"
	"unicode/utf8"

	"marshrut/internal/apperr"
)

// Kind is the kind of a youth service.
type Kind string

// The kinds of youth services an employment centre offers (Закон «О
// занятости населения в Российской Федерации», ст. 7.1-1 and 24).
const (
	SummerWork   Kind = "summer_work"  // временное трудоустройство несовершеннолетних в свободное от учёбы время
	Internship   Kind = "internship"   // стажировка выпускников
	Consultation Kind = "consultation" // профориентационная консультация
	Fair         Kind = "fair"         // ярмарка вакансий
	Training     Kind = "training"     // профессиональное обучение по программе
	Psychology   Kind = "psychology"   // психологическая поддержка
)

// Kinds are the kinds in the order forms list them.
var Kinds = []Kind{SummerWork, Internship, Consultation, Fair, Training, Psychology}

// Name is the Russian name of the kind.
func (k Kind) Name() string {
	switch k {
	case SummerWork:
		return "временная работа для подростков"
	case Internship:
		return "стажировка выпускников"
	case Consultation:
		return "профориентационная консультация"
	case Fair:
		return "ярмарка вакансий"
	case Training:
		return "профессиональное обучение"
	case Psychology:
		return "психологическая поддержка"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Ages of the people a service may be for: from 14, when a teenager may
// work with a parent's consent (ТК РФ ст. 63), to 35, the upper age of youth
// (Федеральный закон № 489-ФЗ «О молодёжной политике»).
const (
	MinAge = 14
	MaxAge = 35
)

// MaxPlaces is the largest number of places of one service.
const MaxPlaces = 10_000

// Offering is a youth service of an employment centre's catalogue.
type Offering struct {
	ID               int64
	RegionCode       string
	CZNID            int64 // the centre that offers it
	CZNName          string
	Kind             Kind
	Name             string
	Audience         string // who it is for, in words
	AgeMin, AgeMax   int
	MunicipalityID   int64 // 0: every municipality the centre serves
	MunicipalityName string
	Provider         string // who carries it out, when not the centre itself
	Places           int
	Start, End       time.Time
	GroupID          int64 // training: the group of a programme of active measures
	GroupName        string
	CreatedBy        int64
	CreatedAt        time.Time
	UpdatedAt        time.Time
	// Referred counts the referrals that hold a place: all but the refused.
	Referred int
}

// Free is the number of places left.
func (s Offering) Free() int { return max(0, s.Places-s.Referred) }

// Open reports whether the service still takes referrals on day: it has not
// ended.
func (s Offering) Open(day time.Time) bool { return !Day(day).After(s.End) }

// Validate checks a service and tidies its text.
func (s *Offering) Validate() error {
	var errs apperr.List
	s.Name, s.Audience, s.Provider = tidy(s.Name), tidy(s.Audience), tidy(s.Provider)
	if !s.Kind.Valid() {
		errs.Add("kind", "выберите вид услуги: %s", kindList())
	}
	errs.Text("name", "название услуги", s.Name, 3, 300)
	if utf8.RuneCountInString(s.Audience) > 500 {
		errs.Add("audience", "описание того, для кого услуга, — не длиннее 500 знаков")
	}
	if utf8.RuneCountInString(s.Provider) > 300 {
		errs.Add("provider", "исполнитель — не длиннее 300 знаков")
	}
	switch {
	case s.AgeMin < MinAge || s.AgeMin > MaxAge:
		errs.Add("age_min", "возраст «от» — от %d до %d лет, указано %d", MinAge, MaxAge, s.AgeMin)
	case s.AgeMax < s.AgeMin || s.AgeMax > MaxAge:
		errs.Add("age_max", "возраст «до» — от %d до %d лет, указано %d", s.AgeMin, MaxAge, s.AgeMax)
	}
	if s.Kind == SummerWork && s.AgeMin < MinAge {
		errs.Add("age_min", "временная работа — с 14 лет")
	}
	if s.Places < 1 || s.Places > MaxPlaces {
		errs.Add("places", "число мест — от 1 до %d, указано %d", MaxPlaces, s.Places)
	}
	switch {
	case s.Start.IsZero():
		errs.Add("starts_on", "укажите, с какого дня услуга оказывается")
	case s.End.IsZero():
		errs.Add("ends_on", "укажите, по какой день услуга оказывается")
	case s.End.Before(s.Start):
		errs.Add("ends_on", "услуга не может закончиться (%s) раньше, чем начнётся (%s)", day(s.End), day(s.Start))
	case s.End.After(s.Start.AddDate(1, 0, 0)):
		errs.Add("ends_on", "услуга в каталоге — не дольше года: с %s по %s — дольше; заведите её на следующий год отдельно", day(s.Start), day(s.End))
	}
	if s.Kind == Training && s.GroupID == 0 {
		errs.Add("group_id", "для обучения выберите группу программы содействия занятости: направление на обучение — это зачисление в неё")
	}
	if s.Kind != Training {
		s.GroupID = 0
	}
	s.Start, s.End = Day(s.Start), Day(s.End)
	return errs.Err()
}

// Status is where a referral stands.
type Status string

// Statuses of a referral.
const (
	Sent    Status = "sent"    // направлен(а)
	Started Status = "started" // приступил(а): пришёл на услугу, зачислен(а) на обучение
	Done    Status = "done"    // услуга оказана, обучение завершено
	Hired   Status = "hired"   // принят(а) на работу по направлению
	Refused Status = "refused" // не состоялось: отказ работодателя, неявка, отказ самого человека
)

// Statuses are the statuses in the order lists show them.
var Statuses = []Status{Sent, Started, Done, Hired, Refused}

// Name is the Russian name of the status.
func (s Status) Name() string {
	switch s {
	case Sent:
		return "направлен(а)"
	case Started:
		return "приступил(а)"
	case Done:
		return "услуга оказана"
	case Hired:
		return "принят(а) на работу"
	case Refused:
		return "не состоялось"
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Final reports whether nothing follows the status.
func (s Status) Final() bool { return s == Done || s == Hired || s == Refused }

// Referral is a young person sent to a service of the catalogue or to a
// vacancy, and what came of it.
type Referral struct {
	ID          int64
	RegionCode  string
	LearnerID   int64
	LearnerName string
	CZNID       int64 // the centre that referred
	CZNName     string
	CaseID      int64 // the case it was made in; 0 from the card
	// Exactly one of OfferingID and VacancyID is set.
	OfferingID   int64
	OfferingName string
	Kind         Kind // of the service; "" for a vacancy
	VacancyID    string
	VacancyTitle string
	EmployerID   int64 // the vacancy's employer
	EmployerName string
	EnrolmentID  int64 // training: the enrolment the referral made
	Status       Status
	Reason       string    // why it did not happen
	On           time.Time // the day of the referral
	Result       time.Time // the day of the last status: started, done, hired, refused
	Note         string
	CreatedBy    int64
	CreatedAt    time.Time
}

// Target is what the person was referred to, in words.
func (r Referral) Target() string {
	if r.VacancyID != "" {
		if r.EmployerName != "" {
			return "вакансия «" + r.VacancyTitle + "», " + r.EmployerName
		}
		return "вакансия «" + r.VacancyTitle + "»"
	}
	return r.OfferingName
}

// Next are the statuses a referral may move to from its own.
func (r Referral) Next() []Status {
	if r.Status.Final() {
		return nil
	}
	switch {
	case r.VacancyID != "":
		return []Status{Hired, Refused}
	case r.Kind == Training:
		// Training follows the enrolment: completion and drop-out are
		// recorded on the group, the referral reads them.
		return nil
	case r.Status == Sent:
		return []Status{Started, Done, Refused}
	}
	return []Status{Done, Refused}
}

// Change is a new status of a referral with its day and, for a refusal,
// the reason; for a hire, the day work starts.
type Change struct {
	Status Status
	On     time.Time
	Reason string
}

// Check refuses a change the referral cannot take on day today.
func (r Referral) Check(c *Change, today time.Time) error {
	c.Reason = tidy(c.Reason)
	allowed := false
	for _, s := range r.Next() {
		allowed = allowed || s == c.Status
	}
	switch {
	case r.Kind == Training && r.VacancyID == "":
		return apperr.New(apperr.Conflict, "направление на обучение идёт по зачислению: завершение и отчисление отмечают в группе программы")
	case r.Status.Final():
		return apperr.New(apperr.Conflict, "по направлению уже есть итог: %s", r.Status.Name())
	case !allowed:
		return apperr.Field("status", "из состояния «%s» направление переходит только в: %s", r.Status.Name(), statusList(r.Next()))
	}
	if c.On.IsZero() {
		return apperr.Field("on", "укажите дату")
	}
	c.On = Day(c.On)
	switch {
	case c.On.Before(r.On):
		return apperr.Field("on", "дата %s раньше самого направления (%s)", day(c.On), day(r.On))
	case c.On.After(Day(today)):
		return apperr.Field("on", "дата %s ещё не наступила: итог отмечают, когда он есть", day(c.On))
	}
	if c.Status == Refused && utf8.RuneCountInString(c.Reason) < 3 {
		return apperr.Field("reason", "укажите, почему не состоялось: отказ работодателя, неявка, отказ самого человека")
	}
	if utf8.RuneCountInString(c.Reason) > 500 {
		return apperr.Field("reason", "причина — не длиннее 500 знаков")
	}
	return nil
}

// Eligible refuses a person the service is not for: by age on the day of
// the referral (or of the service's start, when it lies ahead) and by the
// municipality they live in.
func (s Offering) Eligible(birth time.Time, municipalityID int64, on time.Time) error {
	at := Day(on)
	if s.Start.After(at) {
		at = s.Start
	}
	if !birth.IsZero() {
		age := Age(birth, at)
		if age < s.AgeMin || age > s.AgeMax {
			return apperr.Field("offering_id", "услуга «%s» — для %d–%d лет, а человеку на %s будет %d", s.Name, s.AgeMin, s.AgeMax, day(at), age)
		}
	}
	if s.MunicipalityID != 0 && municipalityID != s.MunicipalityID {
		return apperr.Field("offering_id", "услуга «%s» — для жителей: %s", s.Name, s.MunicipalityName)
	}
	if !s.Open(on) {
		return apperr.Field("offering_id", "услуга «%s» закончилась %s", s.Name, day(s.End))
	}
	if s.Free() == 0 {
		return apperr.New(apperr.Conflict, "в услуге «%s» не осталось мест: все %d заняты", s.Name, s.Places)
	}
	return nil
}

// Age is the age in full years on a day.
func Age(birth, on time.Time) int {
	age := on.Year() - birth.Year()
	if on.Month() < birth.Month() || (on.Month() == birth.Month() && on.Day() < birth.Day()) {
		age--
	}
	return age
}

// Day is the calendar day of t at midnight UTC, as dates are stored.
func Day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func kindList() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = "«" + k.Name() + "» (" + string(k) + ")"
	}
	return strings.Join(names, ", ")
}

func statusList(ss []Status) string {
	if len(ss) == 0 {
		return "никуда"
	}
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = "«" + s.Name() + "»"
	}
	return strings.Join(names, ", ")
}

func tidy(s string) string { return strings.Join(strings.Fields(s), " ") }

func day(t time.Time) string { return t.Format("02.01.2006") }
