// Package guidance holds career guidance at school: events that show pupils a
// trade (профпробы, excursions, lessons of «Россия — мои горизонты», fairs,
// meetings with employers, diagnostics), the pupils who took part, informing
// about targeted education, the academic hours each pupil gathers against the
// профминимум level the school chose, and coverage: who is reached this
// school year and who is not yet.
package guidance

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"marshrut/internal/apperr"
	"marshrut/internal/classifier"
	"marshrut/internal/learner"
)

// Kind is the kind of a guidance event.
type Kind string

const (
	Proba     Kind = "proba"     // профессиональная проба
	Excursion Kind = "excursion" // экскурсия на предприятие
	Horizons  Kind = "horizons"  // занятие «Россия — мои горизонты»
	Fair      Kind = "fair"      // ярмарка профессий
	Meeting   Kind = "meeting"   // встреча с работодателем
	Online    Kind = "online"    // онлайн-диагностика
	Other     Kind = "other"
)

// Kinds lists every kind in the order forms offer them.
var Kinds = []Kind{Proba, Excursion, Horizons, Fair, Meeting, Online, Other}

// Name is the Russian name of the kind.
func (k Kind) Name() string {
	switch k {
	case Proba:
		return "Профессиональная проба"
	case Excursion:
		return "Экскурсия на предприятие"
	case Horizons:
		return "Занятие «Россия — мои горизонты»"
	case Fair:
		return "Ярмарка профессий"
	case Meeting:
		return "Встреча с работодателем"
	case Online:
		return "Онлайн-диагностика"
	case Other:
		return "Другое"
	}
	return string(k)
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Event is one guidance activity held on one day by one organiser: a school,
// a college or university, an employer or an employment centre.
type Event struct {
	ID            int64
	RegionCode    string
	OrganiserID   int64
	Organiser     string // the organiser's short name, when read back
	Kind          Kind
	Title         string
	HeldOn        time.Time
	Place         string
	GradeFrom     int
	GradeTo       int
	Capacity      int    // places; 0 means no limit
	SpecialtyCode string // the profession or specialty it shows, ОКСО; may be empty
	Specialty     string // its name, when read back
	Hours         int    // academic hours each participant gets
	// Ticket marks an activity of «Билет в будущее», which the region reports apart.
	Ticket bool
	// Bookable events — профпробы an employer or a college offers — take
	// bookings of places by schools, whose pupils then take part.
	Bookable     bool
	Participants int // read back
	Booked       int // places booked by schools, read back
	CreatedAt    time.Time
}

// Validate checks the event and tidies its text.
func (e *Event) Validate() error {
	var errs apperr.List
	e.Title, e.Place = strings.TrimSpace(e.Title), strings.TrimSpace(e.Place)
	if err := classifier.CheckRegionCode("region_code", e.RegionCode); err != nil {
		errs = append(errs, err.(*apperr.Error))
	}
	if e.OrganiserID <= 0 {
		errs.Add("organiser_id", "укажите организатора")
	}
	if !e.Kind.Valid() {
		errs.Add("kind", "вид мероприятия «%s» неизвестен", e.Kind)
	}
	switch n := utf8.RuneCountInString(e.Title); {
	case n == 0:
		errs.Add("title", "укажите название мероприятия")
	case n > 200:
		errs.Add("title", "название длиннее 200 знаков")
	}
	if utf8.RuneCountInString(e.Place) > 300 {
		errs.Add("place", "место проведения длиннее 300 знаков")
	}
	if e.HeldOn.IsZero() {
		errs.Add("held_on", "укажите дату проведения")
	} else if y := e.HeldOn.Year(); y < 2000 || y > 2100 {
		errs.Add("held_on", "дата проведения %s вне разумных пределов", e.HeldOn.Format("02.01.2006"))
	}
	if e.GradeFrom < 1 || e.GradeFrom > 11 || e.GradeTo < 1 || e.GradeTo > 11 {
		errs.Add("grade_from", "классы участников должны быть от 1 до 11, указано %d–%d", e.GradeFrom, e.GradeTo)
	} else if e.GradeFrom > e.GradeTo {
		errs.Add("grade_to", "класс «по» (%d) меньше класса «с» (%d)", e.GradeTo, e.GradeFrom)
	}
	if e.Capacity < 0 || e.Capacity > 100000 {
		errs.Add("capacity", "число мест должно быть от 0 (без ограничения) до 100 000")
	}
	if e.Hours < 1 || e.Hours > 72 {
		errs.Add("hours", "продолжительность должна быть от 1 до 72 академических часов, указано %d", e.Hours)
	}
	if e.SpecialtyCode != "" {
		if err := classifier.CheckSpecialtyCode("specialty_code", e.SpecialtyCode); err != nil {
			errs = append(errs, err.(*apperr.Error))
		}
	}
	return errs.Err()
}

// Admits reports whether a pupil of grade can take part, with the reason when not.
func (e *Event) Admits(grade int) error {
	if grade < e.GradeFrom || grade > e.GradeTo {
		return apperr.Field("grade", "мероприятие для %d–%d классов, а обучающийся в %d классе", e.GradeFrom, e.GradeTo, grade)
	}
	return nil
}

// Method is how a pupil was informed about targeted education.
type Method string

const (
	ByLesson  Method = "lesson"  // классный час, урок
	ByMeeting Method = "meeting" // встреча, родительское собрание
	ByMessage Method = "message" // сообщение, рассылка
)

// Methods lists every way of informing.
var Methods = []Method{ByLesson, ByMeeting, ByMessage}

// Name is the Russian name of the method.
func (m Method) Name() string {
	switch m {
	case ByLesson:
		return "Урок, классный час"
	case ByMeeting:
		return "Встреча, собрание"
	case ByMessage:
		return "Сообщение"
	}
	return string(m)
}

// Valid reports whether m is one of Methods.
func (m Method) Valid() bool { return m == ByLesson || m == ByMeeting || m == ByMessage }

// Informing records that a pupil was told about targeted education.
type Informing struct {
	ID         int64
	RegionCode string
	LearnerID  int64
	OrgID      int64 // the organisation that informed
	On         time.Time
	Method     Method
	Note       string
}

// Validate checks the record.
func (i *Informing) Validate(now time.Time) error {
	var errs apperr.List
	i.Note = strings.TrimSpace(i.Note)
	if i.LearnerID <= 0 {
		errs.Add("learner_id", "укажите обучающегося")
	}
	if !i.Method.Valid() {
		errs.Add("method", "способ информирования «%s» неизвестен: урок, встреча или сообщение", i.Method)
	}
	if i.On.IsZero() {
		errs.Add("on", "укажите дату информирования")
	} else if learner.Day(i.On).After(learner.Day(now)) {
		errs.Add("on", "дата информирования %s ещё не наступила", i.On.Format("02.01.2006"))
	}
	if utf8.RuneCountInString(i.Note) > 500 {
		errs.Add("note", "примечание длиннее 500 знаков")
	}
	return errs.Err()
}

// Level is the профминимум level a school chose for the year.
type Level string

const (
	Basic    Level = "basic"    // базовый: не менее 40 часов в год
	Main     Level = "main"     // основной: не менее 60 часов
	Advanced Level = "advanced" // продвинутый: не менее 80 часов
)

// Levels lists the levels from the lowest.
var Levels = []Level{Basic, Main, Advanced}

// Name is the Russian name of the level.
func (l Level) Name() string {
	switch l {
	case Basic:
		return "базовый"
	case Main:
		return "основной"
	case Advanced:
		return "продвинутый"
	}
	return string(l)
}

// Hours is the least number of academic hours a year the level asks for.
func (l Level) Hours() int {
	switch l {
	case Main:
		return 60
	case Advanced:
		return 80
	}
	return 40
}

// Valid reports whether l is one of Levels.
func (l Level) Valid() bool { return l == Basic || l == Main || l == Advanced }

// SchoolYear is a school year by the calendar year it starts in: 2026 is
// 1 September 2026 to 31 August 2027.
type SchoolYear int

// YearOf returns the school year a day falls in.
func YearOf(t time.Time) SchoolYear {
	if t.Month() >= time.September {
		return SchoolYear(t.Year())
	}
	return SchoolYear(t.Year() - 1)
}

// Start is the first day of the year.
func (y SchoolYear) Start() time.Time {
	return time.Date(int(y), time.September, 1, 0, 0, 0, 0, time.UTC)
}

// End is the day after the last day of the year.
func (y SchoolYear) End() time.Time {
	return time.Date(int(y)+1, time.September, 1, 0, 0, 0, 0, time.UTC)
}

// String is the year as schools write it: «2026/27».
func (y SchoolYear) String() string { return fmt.Sprintf("%d/%02d", int(y), (int(y)+1)%100) }

// Months are the months of the year from September to the month of now, or
// all twelve for a year gone by, each as its first day.
func (y SchoolYear) Months(now time.Time) []time.Time {
	var out []time.Time
	today := learner.Day(now) // the months' first days are dates, now an instant
	for m := y.Start(); m.Before(y.End()) && !m.After(today); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return out
}

// Grades reached by coverage: career guidance covers grades 6 to 11, informing
// about targeted education the senior grades 9 to 11.
const (
	GuidanceFrom = 6
	InformFrom   = 9
	LastGrade    = 11
)

// Coverage is the reach of guidance over one school, municipality or the
// region in one school year.
type Coverage struct {
	ID       int64  // the school or municipality; 0 for the region
	Name     string // its name
	Pupils   int    // pupils of grades 6–11
	Reached  int    // of them, with at least one activity this year
	Seniors  int    // pupils of grades 9–11
	Informed int    // of them, informed about targeted education this year
	// HoursMet counts the pupils of grades 6–11 whose hours this year reach
	// the level their school chose (базовый when it chose none).
	HoursMet int
	Ticket   int // pupils with an activity of «Билет в будущее» this year
}

// ReachedShare is the share of pupils reached, 0–1; 0 when there are none.
func (c Coverage) ReachedShare() float64 { return share(c.Reached, c.Pupils) }

// InformedShare is the share of senior pupils informed, 0–1.
func (c Coverage) InformedShare() float64 { return share(c.Informed, c.Seniors) }

// HoursShare is the share of pupils whose hours reach their level, 0–1.
func (c Coverage) HoursShare() float64 { return share(c.HoursMet, c.Pupils) }

// Add adds o's counts to c.
func (c *Coverage) Add(o Coverage) {
	c.Pupils += o.Pupils
	c.Reached += o.Reached
	c.Seniors += o.Seniors
	c.Informed += o.Informed
	c.HoursMet += o.HoursMet
	c.Ticket += o.Ticket
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// Pupil is one pupil's guidance in a school year: the list of pupils not yet
// reached and the hours against the level are made of these.
type Pupil struct {
	LearnerID  int64
	Name       string
	Grade      int
	Group      string // class, «9А»
	OrgID      int64
	School     string
	Activities int
	Hours      int
	Level      Level // the school's level for the year
	InformedOn time.Time
}

// MeetsLevel reports whether the pupil's hours reach the school's level.
func (p Pupil) MeetsLevel() bool { return p.Hours >= p.Level.Hours() }

// MonthPoint is the coverage at the end of one month of the school year:
// pupils reached and informed by then, counted once.
type MonthPoint struct {
	Month    time.Time
	Reached  int
	Informed int
}

// EventFilter selects events in a list.
type EventFilter struct {
	Year          SchoolYear
	OrganiserID   int64
	Kind          Kind
	Bookable      bool
	BookedBy      int64 // a school that booked places
	Limit, Offset int
}

// Booking is a school's booking of places on an event.
type Booking struct {
	EventID  int64
	SchoolID int64
	School   string
	Seats    int
	Came     int // the school's pupils recorded as taking part
}

// PupilFilter selects pupils for the coverage lists. Not is "reached",
// "informed" or "hours" for those not reached, not informed (grades 9–11) or
// short of their level's hours; empty for all.
type PupilFilter struct {
	OrgID         int64
	Grade         int
	Group         string
	Not           string
	Limit, Offset int
}

// Class is a class of a school: grade and letter, with its size.
type Class struct {
	Grade  int
	Group  string
	Pupils int
}

// Name is the class as a school writes it: «9А», or «9 класс» without a letter.
func (c Class) Name() string {
	if c.Group != "" {
		return c.Group
	}
	return fmt.Sprintf("%d класс", c.Grade)
}

// Participation is a pupil's taking part in an event, as loads write it.
type Participation struct {
	EventID   int64
	LearnerID int64
}

// LevelChoice is the level a school chose for a year, as loads write it.
type LevelChoice struct {
	OrgID int64
	Year  SchoolYear
	Level Level
}
