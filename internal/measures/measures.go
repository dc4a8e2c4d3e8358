// Package measures holds the programmes of active employment measures
// («программы активных мер содействия занятости»): the programmes a region
// buys from training providers, the groups that study them, the people
// enrolled by category, their completion and the job found within three
// months, and the figures a region monitors them by.
package measures

import (
	"strings"
	"time"
	"unicode/utf8"

	"marshrut/internal/apperr"
	"marshrut/internal/learner"
)

// Customer is who orders and pays for a programme.
type Customer string

const (
	B2B Customer = "b2b" // работодатель обучает своих или будущих работников
	B2G Customer = "b2g" // государство: центр занятости, национальный проект
)

// Customers are the kinds of customer in the order forms list them.
var Customers = []Customer{B2G, B2B}

// Name is the Russian name of the kind.
func (c Customer) Name() string {
	switch c {
	case B2B:
		return "B2B — работодатель"
	case B2G:
		return "B2G — государство"
	}
	return string(c)
}

// Valid reports whether c is a known kind.
func (c Customer) Valid() bool { return c == B2B || c == B2G }

// Format is how a programme is taught.
type Format string

const (
	FullTime Format = "full_time"
	Mixed    Format = "mixed"
	Distance Format = "distance"
)

// Formats are the formats in the order forms list them.
var Formats = []Format{FullTime, Mixed, Distance}

// Name is the Russian name of the format.
func (f Format) Name() string {
	switch f {
	case FullTime:
		return "очная"
	case Mixed:
		return "очно-заочная"
	case Distance:
		return "дистанционная"
	}
	return string(f)
}

// Valid reports whether f is a known format.
func (f Format) Valid() bool { return f == FullTime || f == Mixed || f == Distance }

// Category is the group of the population a person is enrolled as.
type Category string

const (
	Youth         Category = "youth"          // молодёжь до 35 лет
	Unemployed    Category = "unemployed"     // безработные граждане
	DismissalRisk Category = "dismissal_risk" // под риском увольнения
	SVO           Category = "svo"            // участники СВО и члены их семей
	PreRetirement Category = "pre_retirement" // граждане предпенсионного возраста
	ParentalLeave Category = "parental_leave" // родители в отпуске по уходу за ребёнком
)

// Categories are the categories in the order pages list them.
var Categories = []Category{Youth, Unemployed, DismissalRisk, SVO, PreRetirement, ParentalLeave}

// Name is the Russian name of the category.
func (c Category) Name() string {
	switch c {
	case Youth:
		return "молодёжь до 35 лет"
	case Unemployed:
		return "безработные граждане"
	case DismissalRisk:
		return "под риском увольнения"
	case SVO:
		return "участники СВО и члены их семей"
	case PreRetirement:
		return "граждане предпенсионного возраста"
	case ParentalLeave:
		return "родители в отпуске по уходу за ребёнком"
	}
	return string(c)
}

// Valid reports whether c is a known category.
func (c Category) Valid() bool {
	for _, v := range Categories {
		if c == v {
			return true
		}
	}
	return false
}

// Ages of the categories that depend on age, in full years reached in the
// year of enrolment.
const (
	YouthMaxAge         = 35
	PreRetirementMinAge = 50
	MinAge              = 14
)

// Status is where an enrolment stands: enrolled → completed | dropped.
type Status string

const (
	Enrolled  Status = "enrolled"
	Completed Status = "completed"
	Dropped   Status = "dropped"
)

// Statuses are the statuses in the order pages list them.
var Statuses = []Status{Enrolled, Completed, Dropped}

// Name is the Russian name of the status.
func (s Status) Name() string {
	switch s {
	case Enrolled:
		return "обучается"
	case Completed:
		return "завершил(а) обучение"
	case Dropped:
		return "отчислен(а)"
	}
	return string(s)
}

// Programme is a programme of training a region offers as an active measure.
type Programme struct {
	ID           int64
	RegionCode   string
	Name         string
	ProviderID   int64 // an organisation of the registry; 0 for a provider outside it
	ProviderName string
	Customer     Customer
	CustomerID   int64  // the employer of a B2B programme when it is in the registry; it sees the programme
	CustomerName string // the employer of a B2B programme, or the state body
	Profession   string
	Hours        int
	Format       Format
	Price        int   // roubles per person
	ManagerID    int64 // the employment centre that manages it; 0 for the region
	ManagerName  string
	CreatedBy    int64
	CreatedAt    time.Time
	// Counts for lists, of every group and enrolment.
	Groups, Enrolled int
}

// Limits of a programme.
const (
	MinHours = 16
	MaxHours = 2000
	MaxPrice = 1_000_000
)

// Validate checks a programme and tidies its text.
func (p *Programme) Validate() error {
	var errs apperr.List
	p.Name = tidy(p.Name)
	p.ProviderName = tidy(p.ProviderName)
	p.CustomerName = tidy(p.CustomerName)
	p.Profession = tidy(p.Profession)
	errs.Text("name", "название программы", p.Name, 3, 300)
	if p.ProviderID == 0 {
		errs.Text("provider_name", "организация, которая обучает", p.ProviderName, 3, 300)
	}
	if !p.Customer.Valid() {
		errs.Add("customer", "выберите заказчика: b2b (работодатель) или b2g (государство)")
	} else if p.Customer == B2B && p.CustomerName == "" {
		errs.Add("customer_name", "для программы B2B укажите работодателя-заказчика")
	}
	if utf8.RuneCountInString(p.CustomerName) > 300 {
		errs.Add("customer_name", "заказчик длиннее 300 знаков")
	}
	errs.Text("profession", "профессия (специальность) обучения", p.Profession, 2, 200)
	if p.Hours < MinHours || p.Hours > MaxHours {
		errs.Add("hours", "объём программы — от %d до %d часов, указано %d", MinHours, MaxHours, p.Hours)
	}
	if !p.Format.Valid() {
		errs.Add("format", "выберите форму обучения: очная, очно-заочная или дистанционная")
	}
	if p.Price < 0 || p.Price > MaxPrice {
		errs.Add("price", "стоимость обучения одного человека — от 0 до 1 000 000 ₽, указано %d", p.Price)
	}
	return errs.Err()
}

// Group is a group that studies a programme together.
type Group struct {
	ID            int64
	RegionCode    string
	ProgrammeID   int64
	ProgrammeName string
	ProviderID    int64
	ProviderName  string
	Price         int
	Name          string
	Start, End    time.Time
	Capacity      int
	ManagerID     int64 // the employment centre that formed it; 0 for the region
	ManagerName   string
	CreatedBy     int64
	CreatedAt     time.Time
	// Enrolments of the group, whoever made them.
	Studying, Completed, Dropped int
}

// Taken is the number of places taken: those studying and those who completed.
func (g Group) Taken() int { return g.Studying + g.Completed }

// Free is the number of places left.
func (g Group) Free() int { return max(0, g.Capacity-g.Taken()) }

// MaxCapacity is the largest group.
const MaxCapacity = 500

// Validate checks a group.
func (g *Group) Validate() error {
	var errs apperr.List
	g.Name = tidy(g.Name)
	errs.Text("name", "название группы", g.Name, 1, 100)
	switch {
	case g.Start.IsZero():
		errs.Add("starts_on", "укажите дату начала обучения")
	case g.End.IsZero():
		errs.Add("ends_on", "укажите дату окончания обучения")
	case g.End.Before(g.Start):
		errs.Add("ends_on", "обучение не может закончиться (%s) раньше, чем начнётся (%s)", day(g.End), day(g.Start))
	case g.End.After(g.Start.AddDate(2, 0, 0)):
		errs.Add("ends_on", "обучение группы длится не больше двух лет: с %s по %s — дольше", day(g.Start), day(g.End))
	}
	if g.Capacity < 1 || g.Capacity > MaxCapacity {
		errs.Add("capacity", "число мест в группе — от 1 до %d, указано %d", MaxCapacity, g.Capacity)
	}
	return errs.Err()
}

// Enrolment is a person enrolled in a group.
type Enrolment struct {
	ID            int64
	RegionCode    string
	GroupID       int64
	GroupName     string
	GroupStart    time.Time
	GroupEnd      time.Time
	ProgrammeID   int64
	ProgrammeName string
	ProviderID    int64
	// LearnerID is set when the person is a learner of the region; Person
	// holds the name and birth year either way.
	LearnerID      int64
	Person         Person
	Category       Category
	Status         Status
	ManagerID      int64 // the employment centre that enrolled the person
	ManagerName    string
	MunicipalityID int64
	Enrolled       time.Time
	Completed      time.Time
	Dropped        time.Time
	// EmployedOn and Employer are recorded on the enrolment for persons who
	// are not learners; for learners EmployedOn is the start of the first job
	// the outcome history shows within three months of completion.
	EmployedOn time.Time
	Employer   string
	CreatedBy  int64
	CreatedAt  time.Time
}

// Learner reports whether the person is a learner of the region.
func (e Enrolment) Learner() bool { return e.LearnerID != 0 }

// Person is someone enrolled who is not a learner of the region, kept only
// as far as the measure needs.
type Person struct {
	ID             int64
	LastName       string
	FirstName      string
	MiddleName     string
	BirthYear      int
	SNILS          string // 11 digits or empty
	MunicipalityID int64
}

// Name is the person's full name.
func (p Person) Name() string {
	return strings.TrimSpace(strings.Join([]string{p.LastName, p.FirstName, p.MiddleName}, " "))
}

// Validate checks a person who is not a learner and normalises the SNILS.
func (p *Person) Validate(now time.Time) error {
	var errs apperr.List
	p.LastName, p.FirstName, p.MiddleName = tidy(p.LastName), tidy(p.FirstName), tidy(p.MiddleName)
	errs.Text("last_name", "фамилия", p.LastName, 1, 100)
	errs.Text("first_name", "имя", p.FirstName, 1, 100)
	if utf8.RuneCountInString(p.MiddleName) > 100 {
		errs.Add("middle_name", "отчество длиннее 100 знаков")
	}
	if p.BirthYear < 1930 || p.BirthYear > now.Year()-MinAge {
		errs.Add("birth_year", "год рождения — от 1930 до %d, указано %d", now.Year()-MinAge, p.BirthYear)
	}
	if s, err := NormSNILS(p.SNILS); err != nil {
		errs = append(errs, err)
	} else {
		p.SNILS = s
	}
	return errs.Err()
}

// NormSNILS returns the 11 digits of a SNILS written with or without its
// hyphens and space, or "" for an empty one; a wrong checksum is refused.
func NormSNILS(s string) (string, *apperr.Error) {
	var d []byte
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			d = append(d, byte(r))
		case r == '-' || r == ' ' || r == '\u00a0':
		default:
			return "", apperr.Field("snils", "СНИЛС «%s» содержит недопустимый знак «%c»", s, r)
		}
	}
	switch {
	case len(d) == 0:
		return "", nil
	case len(d) != 11:
		return "", apperr.Field("snils", "в СНИЛС 11 цифр, указано %d", len(d))
	}
	check := int(d[9]-'0')*10 + int(d[10]-'0')
	if want := learner.SNILSCheck(string(d[:9])); want != check {
		return "", apperr.Field("snils", "контрольное число СНИЛС не сходится: должно быть %02d, указано %02d", want, check)
	}
	return string(d), nil
}

// CheckAge refuses a category the person's age does not fit in the year of
// enrolment: young people are up to 35, the pre-retirement age starts at 50.
func CheckAge(c Category, birthYear int, on time.Time) error {
	if birthYear == 0 {
		return nil
	}
	age := on.Year() - birthYear
	switch {
	case c == Youth && age > YouthMaxAge:
		return apperr.Field("category", "категория «%s»: в %d году человеку %d лет, а не больше %d", c.Name(), on.Year(), age, YouthMaxAge)
	case c == PreRetirement && age < PreRetirementMinAge:
		return apperr.Field("category", "категория «%s»: в %d году человеку %d лет, а не меньше %d", c.Name(), on.Year(), age, PreRetirementMinAge)
	}
	return nil
}

// CheckEnrol checks a new enrolment against its group and the day: a known
// category, a date not in the future and before the group ends, and a free
// place.
func CheckEnrol(e *Enrolment, g Group, now time.Time) error {
	if !e.Category.Valid() {
		return apperr.Field("category", "неизвестная категория «%s»; допустимы: youth, unemployed, dismissal_risk, svo, pre_retirement, parental_leave", e.Category)
	}
	if e.Enrolled.IsZero() {
		e.Enrolled = dateOf(now)
	}
	switch {
	case dateOf(e.Enrolled).After(dateOf(now)):
		return apperr.Field("enrolled_on", "дата зачисления %s ещё не наступила", day(e.Enrolled))
	case e.Enrolled.After(g.End):
		return apperr.Field("enrolled_on", "группа «%s» закончила обучение %s: зачислить в неё %s нельзя", g.Name, day(g.End), day(e.Enrolled))
	case e.Enrolled.Before(g.Start.AddDate(0, -3, 0)):
		return apperr.Field("enrolled_on", "зачисляют не раньше чем за три месяца до начала обучения (%s), указано %s", day(g.Start), day(e.Enrolled))
	}
	if g.Free() == 0 {
		return apperr.New(apperr.Conflict, "в группе «%s» заняты все места: %d из %d", g.Name, g.Taken(), g.Capacity)
	}
	return CheckAge(e.Category, e.Person.BirthYear, e.Enrolled)
}

// CheckComplete checks the completion of an enrolment on a day: it must be
// studying, and the day must be after the group started and the person was
// enrolled, and not in the future.
func CheckComplete(e Enrolment, on, now time.Time) error {
	if err := studying(e); err != nil {
		return err
	}
	switch {
	case on.IsZero():
		return apperr.Field("completed_on", "укажите дату завершения обучения")
	case dateOf(on).After(dateOf(now)):
		return apperr.Field("completed_on", "дата завершения %s ещё не наступила", day(on))
	case on.Before(e.GroupStart):
		return apperr.Field("completed_on", "обучение группы «%s» начинается %s: завершить его %s нельзя", e.GroupName, day(e.GroupStart), day(on))
	case on.Before(e.Enrolled):
		return apperr.Field("completed_on", "завершение %s раньше зачисления %s", day(on), day(e.Enrolled))
	}
	return nil
}

// CheckDrop checks that an enrolment may be ended on a day by dropping out.
func CheckDrop(e Enrolment, on, now time.Time) error {
	if err := studying(e); err != nil {
		return err
	}
	switch {
	case on.IsZero():
		return apperr.Field("dropped_on", "укажите дату отчисления")
	case dateOf(on).After(dateOf(now)):
		return apperr.Field("dropped_on", "дата отчисления %s ещё не наступила", day(on))
	case on.Before(e.Enrolled):
		return apperr.Field("dropped_on", "отчисление %s раньше зачисления %s", day(on), day(e.Enrolled))
	}
	return nil
}

// CheckEmployment checks the job recorded after a programme: the enrolment
// is completed, the day is after the enrolment and not in the future. A
// learner's job becomes a period of the learner's employment history, so
// the employer must be named.
func CheckEmployment(e Enrolment, on time.Time, employer string, now time.Time) error {
	if e.Learner() && strings.TrimSpace(employer) == "" {
		return apperr.Field("employer", "укажите работодателя: работа обучающегося региона записывается в его историю занятости")
	}
	if e.Status != Completed {
		return apperr.New(apperr.Conflict, "трудоустройство записывают после завершения обучения, а человек %s", e.Status.Name())
	}
	switch {
	case on.IsZero():
		return apperr.Field("employed_on", "укажите дату трудоустройства")
	case dateOf(on).After(dateOf(now)):
		return apperr.Field("employed_on", "дата трудоустройства %s ещё не наступила", day(on))
	case on.Before(e.Enrolled):
		return apperr.Field("employed_on", "трудоустройство %s раньше зачисления на обучение %s", day(on), day(e.Enrolled))
	}
	if utf8.RuneCountInString(strings.TrimSpace(employer)) > 300 {
		return apperr.Field("employer", "работодатель длиннее 300 знаков")
	}
	return nil
}

func studying(e Enrolment) error {
	if e.Status != Enrolled {
		return apperr.New(apperr.Conflict, "обучение уже закончено: человек %s", e.Status.Name())
	}
	return nil
}

// tidy trims a text and keeps one space between its words.
func tidy(s string) string { return strings.Join(strings.Fields(s), " ") }

func day(t time.Time) string { return t.Format("02.01.2006") }

// dateOf is the calendar day of t, at midnight UTC, as dates are stored.
func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// WindowEnd is the last day a job counts as the result of the training.
func (e Enrolment) WindowEnd() time.Time {
	if e.Completed.IsZero() {
		return time.Time{}
	}
	return e.Completed.AddDate(0, Window, 0)
}

// EmployedInTime reports whether the person completed and was at work
// within three months of completion.
func (e Enrolment) EmployedInTime() bool {
	if e.Status != Completed || e.EmployedOn.IsZero() {
		return false
	}
	_, ok := EmployedWithin(e.Completed, []Span{{Start: e.EmployedOn}})
	return ok
}

// HasJob reports whether a job is known: recorded for a person, found in
// the outcome history within three months for a learner.
func (e Enrolment) HasJob() bool { return !e.EmployedOn.IsZero() }
