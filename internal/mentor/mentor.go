// Package mentor holds mentorship (наставничество) as the region runs it under
// the target model: programmes of an education organisation in one of five
// forms, mentors with the number of mentees they can take, pairs of a mentor
// and a mentee with their goals, meetings and both sides' feedback, proposals
// of pairs computed with the matching engine, and the figures the region
// reports. The package is pure: storage and pages live elsewhere.
package mentor

import (
	"strings"
	"time"
	"unicode/utf8"

	"marshrut/internal/apperr"
	"marshrut/internal/classifier"
	"marshrut/internal/learner"
)

// Form is the form of mentorship of a programme: who mentors whom.
type Form string

const (
	PupilPupil      Form = "pupil_pupil"      // ученик – ученик: a senior learner mentors a junior one
	StudentPupil    Form = "student_pupil"    // студент – ученик: a student mentors a pupil
	EmployerPupil   Form = "employer_pupil"   // работодатель – ученик: employer staff mentor a learner
	EmployerStudent Form = "employer_student" // работодатель – студент: employer staff mentor a student
	TeacherTeacher  Form = "teacher_teacher"  // учитель – учитель: an experienced teacher mentors a young one
)

// Forms lists every form in the order pages show them.
func Forms() []Form {
	return []Form{PupilPupil, StudentPupil, EmployerPupil, EmployerStudent, TeacherTeacher}
}

// Title is the Russian name of the form.
func (f Form) Title() string {
	switch f {
	case PupilPupil:
		return "ученик — ученик"
	case StudentPupil:
		return "студент — ученик"
	case EmployerPupil:
		return "работодатель — ученик"
	case EmployerStudent:
		return "работодатель — студент"
	case TeacherTeacher:
		return "учитель — учитель"
	}
	return string(f)
}

// Valid reports whether f is one of Forms.
func (f Form) Valid() bool {
	for _, v := range Forms() {
		if v == f {
			return true
		}
	}
	return false
}

// MentorKind is who the mentors of the form are.
func (f Form) MentorKind() Kind {
	switch f {
	case PupilPupil, StudentPupil:
		return Senior
	case EmployerPupil, EmployerStudent:
		return Staff
	}
	return Teacher
}

// LearnerMentee reports whether the mentee of the form is a learner of the
// region (every form but teacher–teacher, whose mentee is a colleague).
func (f Form) LearnerMentee() bool { return f != TeacherTeacher }

// Kind is who a mentor is.
type Kind string

const (
	Staff   Kind = "staff"   // a specialist of an employer
	Teacher Kind = "teacher" // a teacher or master of industrial training
	Senior  Kind = "senior"  // a senior student or pupil
)

// Kinds lists every kind of mentor.
func Kinds() []Kind { return []Kind{Staff, Teacher, Senior} }

// Title is the Russian name of the kind.
func (k Kind) Title() string {
	switch k {
	case Staff:
		return "сотрудник предприятия"
	case Teacher:
		return "педагог"
	case Senior:
		return "старший обучающийся"
	}
	return string(k)
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return k == Staff || k == Teacher || k == Senior }

// CapacityMax bounds the mentees of one mentor; a larger number is a typing error.
const CapacityMax = 20

// Programme is a mentorship programme of an education organisation: one form,
// one year, and the pairs made in it.
type Programme struct {
	ID         int64
	RegionCode string
	OrgID      int64 // the school, college or university that runs it
	OrgName    string
	Form       Form
	Title      string
	Year       int // the year it starts
	CreatedAt  time.Time
	// Read back with the programme.
	Pairs, Active int
}

// Validate normalises and checks a programme, reporting all faults at once.
func (p *Programme) Validate(now time.Time) error {
	var errs apperr.List
	p.Title = strings.Join(strings.Fields(p.Title), " ")
	if err := classifier.CheckRegionCode("region_code", p.RegionCode); err != nil {
		errs = append(errs, err.(*apperr.Error))
	}
	if p.OrgID <= 0 {
		errs.Add("org_id", "укажите образовательную организацию, которая ведёт программу")
	}
	if !p.Form.Valid() {
		errs.Add("form", "форма наставничества должна быть одной из: %s; указано «%s»", formList(), p.Form)
	}
	switch n := utf8.RuneCountInString(p.Title); {
	case n == 0:
		errs.Add("title", "укажите название программы наставничества")
	case n > 300:
		errs.Add("title", "название программы длиннее 300 знаков")
	}
	if y := now.Year(); p.Year < 2015 || p.Year > y+1 {
		errs.Add("year", "год начала программы %d вне диапазона 2015–%d", p.Year, y+1)
	}
	return errs.Err()
}

func formList() string {
	var out []string
	for _, f := range Forms() {
		out = append(out, string(f))
	}
	return strings.Join(out, ", ")
}

// Mentor is a person who mentors: a specialist of an enterprise, a teacher or
// a senior learner, attached to the education organisation whose programmes
// they serve.
type Mentor struct {
	ID            int64
	RegionCode    string
	OrgID         int64 // the education organisation whose programmes the mentor serves
	OrgName       string
	EmployerID    int64 // the enterprise where a staff mentor works; 0 for the others
	EmployerName  string
	Kind          Kind
	FullName      string
	Position      string // job title, or «студент 4 курса»
	SpecialtyCode string // ОКСО the mentor knows; empty — any
	SpecialtyName string
	Capacity      int // how many mentees at once
	Active        bool
	CreatedAt     time.Time
	// Load is the mentor's active pairs, read back with the mentor.
	Load int
}

// Free is how many more mentees the mentor may take.
func (m Mentor) Free() int { return max(0, m.Capacity-m.Load) }

// Validate normalises and checks a mentor, reporting all faults at once.
func (m *Mentor) Validate() error {
	var errs apperr.List
	m.FullName = strings.Join(strings.Fields(m.FullName), " ")
	m.Position = strings.TrimSpace(m.Position)
	m.SpecialtyCode = strings.TrimSpace(m.SpecialtyCode)
	if err := classifier.CheckRegionCode("region_code", m.RegionCode); err != nil {
		errs = append(errs, err.(*apperr.Error))
	}
	if m.OrgID <= 0 {
		errs.Add("org_id", "укажите образовательную организацию, программы которой ведёт наставник")
	}
	if !m.Kind.Valid() {
		errs.Add("kind", "наставник должен быть сотрудником предприятия (staff), педагогом (teacher) или старшим обучающимся (senior), указано «%s»", m.Kind)
	}
	if m.Kind == Staff && m.EmployerID <= 0 {
		errs.Add("employer_id", "укажите предприятие, где работает наставник")
	}
	if m.Kind != Staff {
		m.EmployerID = 0
	}
	switch n := utf8.RuneCountInString(m.FullName); {
	case n == 0:
		errs.Add("full_name", "укажите фамилию, имя и отчество наставника")
	case n > 200:
		errs.Add("full_name", "имя наставника длиннее 200 знаков")
	}
	if utf8.RuneCountInString(m.Position) > 200 {
		errs.Add("position", "должность длиннее 200 знаков")
	}
	if m.SpecialtyCode != "" {
		if err := classifier.CheckSpecialtyCode("specialty_code", m.SpecialtyCode); err != nil {
			errs = append(errs, err.(*apperr.Error))
		}
	}
	if m.Capacity < 1 || m.Capacity > CapacityMax {
		errs.Add("capacity", "число наставляемых должно быть от 1 до %d, указано %d", CapacityMax, m.Capacity)
	}
	return errs.Err()
}

// Status is where a pair stands.
type Status string

const (
	Active    Status = "active"    // the mentor and the mentee work together
	Completed Status = "completed" // the pair reached its planned end
	Early     Status = "early"     // the pair ended before its planned end
)

// Statuses lists every status of a pair.
func Statuses() []Status { return []Status{Active, Completed, Early} }

// Title is the Russian name of the status.
func (s Status) Title() string {
	switch s {
	case Active:
		return "действует"
	case Completed:
		return "завершена"
	case Early:
		return "завершена досрочно"
	}
	return string(s)
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool { return s == Active || s == Completed || s == Early }

// Pair is a mentor and a mentee in a programme.
type Pair struct {
	ID          int64
	RegionCode  string
	ProgrammeID int64
	Form        Form // the programme's
	OrgID       int64
	MentorID    int64
	Mentor      string
	EmployerID  int64 // the mentor's enterprise, 0 when the mentor is not staff
	Employer    string
	LearnerID   int64  // the mentee when a learner; 0 for teacher–teacher
	MenteeName  string // the mentee's name: read back for a learner, entered for a colleague
	Start       time.Time
	PlannedEnd  time.Time
	End         time.Time // zero while active
	EndReason   string    // why the pair ended early
	Goals       string
	Status      Status
	CreatedBy   int64
	CreatedAt   time.Time
	// Read back with the pair.
	Meetings int
}

// Validate normalises and checks a new pair, reporting all faults at once.
func (p *Pair) Validate() error {
	var errs apperr.List
	p.Goals = strings.TrimSpace(p.Goals)
	p.MenteeName = strings.Join(strings.Fields(p.MenteeName), " ")
	if p.ProgrammeID <= 0 {
		errs.Add("programme_id", "укажите программу наставничества")
	}
	if p.MentorID <= 0 {
		errs.Add("mentor_id", "укажите наставника")
	}
	if p.LearnerID <= 0 && p.MenteeName == "" {
		errs.Add("learner_id", "укажите наставляемого")
	}
	if utf8.RuneCountInString(p.MenteeName) > 200 {
		errs.Add("mentee_name", "имя наставляемого длиннее 200 знаков")
	}
	if p.Start.IsZero() {
		errs.Add("start", "укажите дату начала работы пары")
	}
	switch {
	case p.PlannedEnd.IsZero():
		errs.Add("planned_end", "укажите плановую дату завершения")
	case !p.Start.IsZero() && !p.PlannedEnd.After(p.Start):
		errs.Add("planned_end", "плановое завершение %s не позже начала %s", p.PlannedEnd.Format("02.01.2006"), p.Start.Format("02.01.2006"))
	case !p.Start.IsZero() && p.PlannedEnd.After(p.Start.AddDate(3, 0, 0)):
		errs.Add("planned_end", "пара работает не дольше трёх лет: плановое завершение %s", p.PlannedEnd.Format("02.01.2006"))
	}
	switch n := utf8.RuneCountInString(p.Goals); {
	case n == 0:
		errs.Add("goals", "сформулируйте цели работы пары")
	case n > 2000:
		errs.Add("goals", "цели длиннее 2000 знаков")
	}
	p.Status = Active
	return errs.Err()
}

// Finish ends an active pair on the day end: Completed when the planned end
// has come, Early otherwise, which needs a reason.
func (p *Pair) Finish(end time.Time, reason string) error {
	reason = strings.TrimSpace(reason)
	if p.Status != Active {
		return apperr.New(apperr.Conflict, "пара уже %s", p.Status.Title())
	}
	var errs apperr.List
	if end.IsZero() {
		errs.Add("end", "укажите дату завершения")
	} else if end.Before(p.Start) {
		errs.Add("end", "завершение %s раньше начала %s", end.Format("02.01.2006"), p.Start.Format("02.01.2006"))
	}
	status := Completed
	if !end.IsZero() && end.Before(p.PlannedEnd) {
		status = Early
		if reason == "" {
			errs.Add("reason", "пара завершается раньше плановой даты %s: укажите причину", p.PlannedEnd.Format("02.01.2006"))
		}
	}
	if utf8.RuneCountInString(reason) > 1000 {
		errs.Add("reason", "причина длиннее 1000 знаков")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	p.Status, p.End, p.EndReason = status, end, reason
	return nil
}

// Meeting is one meeting of a pair.
type Meeting struct {
	ID      int64
	PairID  int64
	HeldOn  time.Time
	Minutes int
	Topic   string
	Note    string
}

// Validate checks a meeting of the pair p against the day now.
func (m *Meeting) Validate(p Pair, now time.Time) error {
	var errs apperr.List
	m.Topic = strings.TrimSpace(m.Topic)
	m.Note = strings.TrimSpace(m.Note)
	switch {
	case m.HeldOn.IsZero():
		errs.Add("held_on", "укажите дату встречи")
	case m.HeldOn.Before(p.Start):
		errs.Add("held_on", "встреча %s раньше начала работы пары %s", m.HeldOn.Format("02.01.2006"), p.Start.Format("02.01.2006"))
	case learner.Day(m.HeldOn).After(learner.Day(now)):
		errs.Add("held_on", "встреча %s ещё не прошла: в журнал вносятся состоявшиеся встречи", m.HeldOn.Format("02.01.2006"))
	case !p.End.IsZero() && m.HeldOn.After(p.End):
		errs.Add("held_on", "встреча %s позже завершения пары %s", m.HeldOn.Format("02.01.2006"), p.End.Format("02.01.2006"))
	}
	if m.Minutes < 10 || m.Minutes > 480 {
		errs.Add("minutes", "продолжительность встречи должна быть от 10 до 480 минут, указано %d", m.Minutes)
	}
	switch n := utf8.RuneCountInString(m.Topic); {
	case n == 0:
		errs.Add("topic", "укажите тему встречи")
	case n > 300:
		errs.Add("topic", "тема длиннее 300 знаков")
	}
	if utf8.RuneCountInString(m.Note) > 2000 {
		errs.Add("note", "заметка длиннее 2000 знаков")
	}
	return errs.Err()
}

// Side is who gives feedback.
type Side string

const (
	MenteeSide Side = "mentee"
	MentorSide Side = "mentor"
)

// Title is the Russian name of the side.
func (s Side) Title() string {
	if s == MentorSide {
		return "наставник"
	}
	return "наставляемый"
}

// Feedback is one side's judgement of the pair's work.
type Feedback struct {
	ID      int64
	PairID  int64
	Side    Side
	Rating  int // 1–5
	Comment string
	At      time.Time
}

// Validate checks feedback.
func (f *Feedback) Validate() error {
	var errs apperr.List
	f.Comment = strings.TrimSpace(f.Comment)
	if f.Side != MenteeSide && f.Side != MentorSide {
		errs.Add("side", "отзыв даёт наставник (mentor) или наставляемый (mentee), указано «%s»", f.Side)
	}
	if f.Rating < 1 || f.Rating > 5 {
		errs.Add("rating", "оценка должна быть от 1 до 5, указано %d", f.Rating)
	}
	if utf8.RuneCountInString(f.Comment) > 2000 {
		errs.Add("comment", "отзыв длиннее 2000 знаков")
	}
	return errs.Err()
}

// PairFilter selects pairs in a list.
type PairFilter struct {
	ProgrammeID   int64
	MentorID      int64
	LearnerID     int64
	Status        Status
	Limit, Offset int
}

// MentorFilter selects mentors in a list.
type MentorFilter struct {
	OrgID      int64
	EmployerID int64
	Limit      int
	Offset     int
}
