package demo

import (
	"fmt"
	"time"

	"marshrut/internal/learner"
	"marshrut/internal/mentor"
)

// MentorLoader is where mentorship is written.
type MentorLoader interface {
	MentorLearners(region string) ([]learner.Learner, map[int64]int64, error)
	Mentorship(ps []mentor.Programme, ms []mentor.Mentor, pairs []mentor.Pair, meetings []mentor.Meeting, fb []mentor.Feedback) error
}

// Shares of the calibrated region: about two thirds of full-time college
// students have a mentor, about two in five of them from an enterprise.
const (
	collegeCoverage    = 0.72
	enterpriseShare    = 0.42
	universityCoverage = 0.35
	earlyEnd           = 0.06
)

// mentorGen holds what the mentorship step builds.
type mentorGen struct {
	*gen
	progs    []mentor.Programme
	mentors  []mentor.Mentor
	load     map[int64]int // mentor id → active pairs
	pairs    []mentor.Pair
	meetings []mentor.Meeting
	feedback []mentor.Feedback
	// open mentors with free places, by organisation, kind and specialty group
	open map[string][]int
}

var meetingTopics = []string{
	"Знакомство, план работы пары", "Экскурсия по производству", "Охрана труда на рабочем месте", "Разбор производственного задания",
	"Подготовка к демонстрационному экзамену", "Практическое занятие на оборудовании", "Разбор курсового проекта", "Карьерные планы и трудоустройство",
	"Подготовка резюме и собеседование", "Подведение итогов месяца",
}

var pairGoals = map[mentor.Form]string{
	mentor.EmployerStudent: "Адаптация на предприятии, освоение профессиональных компетенций, подготовка к демонстрационному экзамену и трудоустройству",
	mentor.PupilPupil:      "Адаптация первокурсника в колледже, помощь в учёбе и участие в жизни группы",
	mentor.TeacherTeacher:  "Методическая поддержка молодого педагога в первый год работы",
}

// mentorship generates the programmes of the region's colleges and
// universities, their mentors, this year's pairs of full-time students and
// last year's pairs of the latest graduates, with meetings and feedback.
func (g *gen) mentorship() error {
	ml, ok := g.load.(MentorLoader)
	if !ok {
		return nil
	}
	people, practice, err := ml.MentorLearners(g.opt.Region)
	if err != nil {
		return err
	}
	m := &mentorGen{gen: g, load: map[int64]int{}, open: map[string][]int{}}
	byOrg := map[int64][]learner.Learner{}
	for _, l := range people {
		byOrg[l.OrgID] = append(byOrg[l.OrgID], l)
	}
	for _, e := range g.edu {
		m.organisation(e, byOrg[e.ID], practice)
	}
	if err := ml.Mentorship(m.progs, m.mentors, m.pairs, m.meetings, m.feedback); err != nil {
		return err
	}
	g.progress("наставничество", len(m.pairs), len(m.pairs))
	return nil
}

// organisation gives one college or university its programmes and pairs.
func (m *mentorGen) organisation(e eduOrg, people []learner.Learner, practice map[int64]int64) {
	year := m.schoolYear
	work := m.programme(e, mentor.EmployerStudent, "Наставничество на предприятиях-партнёрах", year)
	// The programmes of the past years, under which the graduates were mentored.
	past := map[int]int64{}
	for y := year - graduateYears; y < year; y++ {
		past[y+1] = m.programme(e, mentor.EmployerStudent, "Наставничество на предприятиях-партнёрах", y)
	}
	peer := int64(0)
	if !e.university {
		peer = m.programme(e, mentor.PupilPupil, "Студенческое наставничество «Первокурсник»", year)
		teachers := m.programme(e, mentor.TeacherTeacher, "Школа молодого педагога", year)
		for i := 0; i < 2+m.pick(3); i++ {
			mid := m.mentor(e, mentor.Teacher, 0, "", "", "преподаватель высшей категории", 2)
			m.pair(teachers, mid, 0, m.name(m.chance(0.7)), time.Time{})
		}
	}
	coverage := collegeCoverage
	if e.university {
		coverage = universityCoverage
	}
	seniors := map[string][]learner.Learner{}
	for _, l := range people {
		if l.Status == learner.Student && l.Course >= 3 && !e.university {
			seniors[l.SpecialtyCode[:2]] = append(seniors[l.SpecialtyCode[:2]], l)
		}
	}
	for _, l := range people {
		switch {
		case l.Status == learner.Student && m.chance(coverage):
			// Juniors mostly get a senior student, seniors mostly a specialist.
			staff := e.university || m.chance(0.15) || l.Course >= 3 && m.chance(0.7)
			if !staff && m.seniorPair(e, peer, l, seniors[l.SpecialtyCode[:2]]) {
				continue
			}
			if !m.staffPair(e, work, l, practice[l.ID], time.Time{}) && !e.university {
				m.seniorPair(e, peer, l, seniors[l.SpecialtyCode[:2]])
			}
		case l.Status == learner.Graduate && m.mentored[l.ID] && past[l.GraduationYear] != 0:
			// The pairs of the graduates' last year, settled before their
			// outcomes were drawn: whatever difference the comparison finds,
			// the data did not put there by choosing the mentored.
			y := l.GraduationYear - 1
			m.staffPair(e, past[l.GraduationYear], l, practice[l.ID], time.Date(y, time.September, 1+m.pick(20), 0, 0, 0, 0, time.UTC))
		}
	}
}

// seniorPair pairs a student with a senior student of their field, one
// of a course above theirs with a free place; it reports whether it could.
func (m *mentorGen) seniorPair(e eduOrg, prog int64, l learner.Learner, seniors []learner.Learner) bool {
	for try := 0; try < 4 && len(seniors) > 0; try++ {
		s := seniors[m.pick(len(seniors))]
		if s.Course <= l.Course || s.ID == l.ID {
			continue
		}
		mid := m.reuse(fmt.Sprintf("senior:%d", s.ID), func() int64 {
			return m.mentor(e, mentor.Senior, 0, s.SpecialtyCode, s.FullName(), fmt.Sprintf("студент %d курса", s.Course), 2)
		})
		if m.load[mid] < 2 {
			m.pair(prog, mid, l.ID, "", time.Time{})
			return true
		}
	}
	return false
}

// programme adds a programme and returns its id.
func (m *mentorGen) programme(e eduOrg, form mentor.Form, title string, year int) int64 {
	id := int64(len(m.progs) + 1)
	m.progs = append(m.progs, mentor.Programme{ID: id, RegionCode: m.opt.Region, OrgID: e.ID, Form: form, Title: fmt.Sprintf("%s, %d/%d", title, year, (year+1)%100), Year: year})
	return id
}

// name makes a person's full name.
func (m *mentorGen) name(female bool) string {
	s := surnames[m.pick(len(surnames))]
	f := fatherNames[m.pick(len(fatherNames))]
	if female {
		return feminine(s) + " " + femaleNames[m.pick(len(femaleNames))] + " " + f.female
	}
	return s + " " + maleNames[m.pick(len(maleNames))] + " " + f.male
}

// mentor adds a mentor and returns its id.
// An empty name is made up.
func (m *mentorGen) mentor(e eduOrg, kind mentor.Kind, employer int64, spec, name, position string, capacity int) int64 {
	id := int64(len(m.mentors) + 1)
	if name == "" {
		name = m.name(kind == mentor.Teacher && m.chance(0.7))
	}
	m.mentors = append(m.mentors, mentor.Mentor{ID: id, RegionCode: m.opt.Region, OrgID: e.ID, EmployerID: employer, Kind: kind, FullName: name,
		Position: position, SpecialtyCode: spec, Capacity: capacity, Active: true})
	return id
}

// reuse finds an open mentor under key with a free place or makes one with make.
func (m *mentorGen) reuse(key string, make func() int64) int64 {
	for _, i := range m.open[key] {
		mt := m.mentors[i]
		if m.load[mt.ID] < mt.Capacity {
			return mt.ID
		}
	}
	id := make()
	if id != 0 {
		m.open[key] = append(m.open[key], int(id-1))
	}
	return id
}

// staffPair pairs a student with a specialist of the enterprise of their
// practice, or of another enterprise of their field; it reports whether
// there was one.
func (m *mentorGen) staffPair(e eduOrg, prog int64, l learner.Learner, practiceAt int64, start time.Time) bool {
	emp := practiceAt
	if emp == 0 {
		if list := m.bySpec[l.SpecialtyCode]; len(list) > 0 {
			emp = m.employers[list[m.pick(len(list))]].ID
		}
	}
	if emp == 0 {
		return false
	}
	positions := []string{"мастер участка", "главный специалист", "ведущий инженер", "начальник смены", "старший мастер", "технолог"}
	key := fmt.Sprintf("staff:%d:%d:%s:%d", e.ID, emp, l.SpecialtyCode, prog)
	mid := m.reuse(key, func() int64 {
		return m.mentor(e, mentor.Staff, emp, l.SpecialtyCode, "", positions[m.pick(len(positions))], 3+m.pick(3))
	})
	m.pair(prog, mid, l.ID, "", start)
	return true
}

// pair adds a pair with its meetings and feedback. A zero start is this
// school year's; an earlier one is last year's, completed at its planned end.
func (m *mentorGen) pair(prog, mid, learnerID int64, menteeName string, start time.Time) {
	if prog == 0 || mid == 0 {
		return
	}
	now := m.opt.Now
	current := start.IsZero()
	if current {
		start = time.Date(m.schoolYear, time.September, 1+m.pick(45), 0, 0, 0, 0, time.UTC)
		if start.After(now) {
			start = now.AddDate(0, 0, -m.pick(7))
		}
	}
	p := mentor.Pair{ID: int64(len(m.pairs) + 1), RegionCode: m.opt.Region, ProgrammeID: prog, MentorID: mid, LearnerID: learnerID,
		MenteeName: menteeName, Start: start, PlannedEnd: time.Date(start.Year()+1, time.June, 30, 0, 0, 0, 0, time.UTC),
		Goals: pairGoals[m.progs[prog-1].Form], Status: mentor.Active, CreatedAt: start}
	until := now
	if !current {
		p.Status, p.End, until = mentor.Completed, p.PlannedEnd, p.PlannedEnd
	}
	if m.chance(earlyEnd) {
		if end := start.AddDate(0, 1+m.pick(5), 0); end.Before(now) {
			reasons := []string{"обучающийся отчислен по собственному желанию", "перевод на заочную форму обучения", "наставник уволился с предприятия",
				"несовместимость графиков, пара переформирована"}
			p.Status, p.End, p.EndReason, until = mentor.Early, end, reasons[m.pick(len(reasons))], end
		}
	}
	if p.Status == mentor.Active {
		m.load[mid]++
	}
	m.pairs = append(m.pairs, p)
	for d := start.AddDate(0, 0, 3+m.pick(7)); !d.After(until); d = d.AddDate(0, 0, 14+m.pick(14)) {
		if m.chance(0.85) {
			m.meetings = append(m.meetings, mentor.Meeting{PairID: p.ID, HeldOn: d, Minutes: 45 + 15*m.pick(6), Topic: meetingTopics[m.pick(len(meetingTopics))]})
		}
	}
	comments := []string{"Наставник помог разобраться в работе цеха", "Полезные встречи, жаль, что редко", "Получил приглашение на практику",
		"Стало понятнее, чем заниматься после выпуска", ""}
	if learnerID != 0 && m.chance(0.35) {
		m.feedback = append(m.feedback, mentor.Feedback{PairID: p.ID, Side: mentor.MenteeSide, Rating: 3 + m.pick(3), Comment: comments[m.pick(len(comments))], At: until})
	}
	if m.chance(0.2) {
		m.feedback = append(m.feedback, mentor.Feedback{PairID: p.ID, Side: mentor.MentorSide, Rating: 3 + m.pick(3),
			Comment: mentorComments[m.pick(len(mentorComments))], At: until})
	}
}

var mentorComments = []string{"Мотивирован, задания выполняет в срок", "Нужно больше практики на оборудовании", ""}
