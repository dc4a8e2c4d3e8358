package demo

import (
	"fmt"
	"math"
	"time"

	"marshrut/internal/learner"
	"marshrut/internal/risk"
	"marshrut/internal/routing"
)

func (g *gen) people() error {
	var err error
	if g.nextLearner, err = g.load.NextID("learner"); err != nil {
		return err
	}
	if g.nextStage, err = g.load.NextID("learner_stage"); err != nil {
		return err
	}
	if g.nextOutcome, err = g.load.NextID("outcome"); err != nil {
		return err
	}
	// СНИЛС bodies are handed out in sequence from a random start, so they never repeat.
	g.snilsSeq = 1_002_000 + g.pick(400_000_000)

	// Each size is the calibrated one times the scale; the pupils take what
	// the others leave so that the total is exactly what was asked.
	colYear := int(math.Round(defaultCollegeYear * g.scale))
	uniYear := int(math.Round(defaultUniversityYr * g.scale))
	students := colYear*collegeCourses + uniYear*universityCourses
	graduates := graduateYears * (int(float64(colYear)*0.8) + int(float64(uniYear)*0.8))
	pupils := max(0, g.opt.Learners-students-graduates)
	total := pupils + students + graduates

	for i := 0; i < pupils; i++ {
		g.pupil()
		if err := g.flush(false, total); err != nil {
			return err
		}
	}
	var colleges, unis []int
	for i, e := range g.edu {
		if e.university {
			unis = append(unis, i)
		} else {
			colleges = append(colleges, i)
		}
	}
	for _, set := range []struct {
		orgs    []int
		perYear int
		courses int
	}{{colleges, colYear, collegeCourses}, {unis, uniYear, universityCourses}} {
		for course := 1; course <= set.courses; course++ {
			for i := 0; i < set.perYear; i++ {
				g.student(set.orgs[g.pick(len(set.orgs))], course, set.courses)
				if err := g.flush(false, total); err != nil {
					return err
				}
			}
		}
		for y := 1; y <= graduateYears; y++ {
			for i := 0; i < int(float64(set.perYear)*0.8); i++ {
				g.graduate(set.orgs[g.pick(len(set.orgs))], g.schoolYear-y+1, set.courses)
				if err := g.flush(false, total); err != nil {
					return err
				}
			}
		}
	}
	return g.flush(true, total)
}

func (g *gen) flush(force bool, total int) error {
	if !force && len(g.batch.learners) < batchSize {
		return nil
	}
	if err := g.ctx.Err(); err != nil {
		return err
	}
	if err := g.load.Learners(g.batch.learners); err != nil {
		return err
	}
	if err := g.load.Stages(g.opt.Region, g.batch.stages); err != nil {
		return err
	}
	if err := g.load.Outcomes(g.opt.Region, g.batch.outcomes); err != nil {
		return err
	}
	if rl, ok := g.load.(RecordLoader); ok && len(g.batch.records) > 0 {
		if err := rl.Records(g.batch.records); err != nil {
			return err
		}
	}
	g.batch.records = g.batch.records[:0]
	if pl, ok := g.load.(PreferenceLoader); ok && len(g.prefs) > 0 {
		if err := pl.Preferences(g.prefs); err != nil {
			return err
		}
		g.prefs = g.prefs[:0]
	}
	g.sum.Stages += len(g.batch.stages)
	g.sum.Outcomes += len(g.batch.outcomes)
	g.batch.learners, g.batch.stages, g.batch.outcomes = g.batch.learners[:0], g.batch.stages[:0], g.batch.outcomes[:0]
	g.progress("обучающиеся", g.sum.Learners(), total)
	return nil
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// person fills the name, sex, birth date and СНИЛС of a new learner.
func (g *gen) person(female bool, born int) learner.Learner {
	l := learner.Learner{ID: g.nextLearner, RegionCode: g.opt.Region, Sex: "м"}
	g.nextLearner++
	s := surnames[g.pick(len(surnames))]
	f := fatherNames[g.pick(len(fatherNames))]
	if female {
		l.Sex = "ж"
		l.LastName, l.FirstName, l.MiddleName = feminine(s), femaleNames[g.pick(len(femaleNames))], f.female
	} else {
		l.LastName, l.FirstName, l.MiddleName = s, maleNames[g.pick(len(maleNames))], f.male
	}
	l.BirthDate = date(born, time.Month(1+g.pick(12)), 1+g.pick(28))
	if g.chance(0.93) {
		g.snilsSeq++
		body := fmt.Sprintf("%09d", g.snilsSeq)
		l.SNILS = fmt.Sprintf("%s%02d", body, learner.SNILSCheck(body))
	}
	l.Disability = g.chance(0.025)
	return l
}

func (g *gen) stage(l *learner.Learner, kind learner.StageKind, orgID int64, spec string, start, end time.Time) {
	g.batch.stages = append(g.batch.stages, learner.Stage{ID: g.nextStage, LearnerID: l.ID, Kind: kind, OrgID: orgID,
		SpecialtyCode: spec, Start: start, End: end})
	g.nextStage++
}

func (g *gen) pupil() {
	mi := g.weighted(g.muniWeight)
	school := g.schools[mi][g.pick(len(g.schools[mi]))]
	// Fewer pupils stay for grades 10 and 11: many leave for colleges after the 9th.
	grade := 1 + g.pick(11)
	if grade >= 10 && g.chance(0.35) {
		grade = 1 + g.pick(9)
	}
	l := g.person(g.chance(0.49), g.schoolYear-grade-6)
	l.Status, l.OrgID, l.Grade, l.MunicipalityID = learner.Pupil, school.ID, grade, school.MunicipalityID
	l.Group = fmt.Sprintf("%d%c", grade, []rune("АБВ")[g.pick(3)])
	if grade >= 6 {
		g.seniors = append(g.seniors, pupilRef{id: l.ID, school: school.ID, muni: mi, grade: grade})
	}
	g.batch.learners = append(g.batch.learners, l)
	g.stage(&l, learner.StageSchool, school.ID, "", date(g.schoolYear-grade+1, time.September, 1), time.Time{})
	g.sum.Pupils++
}

// enrol makes a student of e who entered in the year entered after 9 or 11
// grades of school, with the school stage behind them.
func (g *gen) enrol(ei int, entered int) learner.Learner {
	e := g.edu[ei]
	after11 := e.university || g.chance(0.25)
	age := 15
	if after11 {
		age = 17
	}
	l := g.person(g.chance(e.female), entered-age)
	l.OrgID = e.ID
	// Diligence moves grades, attendance, debts and, later, the chance of work.
	z := g.rng.NormFloat64()
	g.diligence = z
	l.AvgGrade = math.Round(math.Max(3, math.Min(5, 4+0.45*(0.8*z+0.6*g.rng.NormFloat64())))*10) / 10
	if rec, ok := g.study(l.ID, z, e.university); ok {
		g.batch.records = append(g.batch.records, rec)
		g.social = rec.Social
	} else {
		g.social = ""
	}
	l.SpecialtyCode = e.specialties[g.pick(len(e.specialties))]
	l.Form = learner.FullTime
	if e.university {
		if r := g.rng.Float64(); r < 0.12 {
			l.Form = learner.Mixed
		} else if r < 0.3 {
			l.Form = learner.Distance
		}
	} else if g.chance(0.06) {
		l.Form = learner.Distance
	}
	// Most students come from the municipality of their college or from the centre.
	mi := g.muniIndex(e.MunicipalityID)
	if g.chance(0.35) {
		mi = g.weighted(g.muniWeight)
	}
	l.MunicipalityID = g.munis[mi].ID
	grades := 9
	if after11 {
		grades = 11
	}
	school := g.schools[mi][g.pick(len(g.schools[mi]))]
	g.stage(&l, learner.StageSchool, school.ID, "", date(entered-grades, time.September, 1), date(entered, time.June, 30))
	kind := learner.StageCollege
	if e.university {
		kind = learner.StageUniversity
	}
	g.stage(&l, kind, e.ID, l.SpecialtyCode, date(entered, time.September, 1), time.Time{})
	return l
}

func (g *gen) student(ei, course, courses int) {
	l := g.enrol(ei, g.schoolYear-course+1)
	l.Status, l.Course = learner.Student, course
	l.GraduationYear = g.schoolYear - course + 1 + courses
	if course == courses {
		g.wishes(&l)
	}
	// Senior students had their practice last spring.
	if course >= 3 && g.chance(0.6) {
		if emp, ok := g.employerFor(l.SpecialtyCode, l.MunicipalityID); ok {
			start := date(g.schoolYear, time.Month(3+g.pick(3)), 1)
			g.stage(&l, learner.StagePractice, emp.ID, l.SpecialtyCode, start, start.AddDate(0, 0, 28+g.pick(30)))
		}
	}
	// Some students study under a targeted-education contract with an employer of their field.
	if g.chance(0.04) {
		if emp, ok := g.employerFor(l.SpecialtyCode, l.MunicipalityID); ok {
			g.contracts = append(g.contracts, contractRef{learner: l.ID, edu: ei, spec: l.SpecialtyCode, entered: g.schoolYear - course + 1, employer: emp.ID})
		}
	}
	g.batch.learners = append(g.batch.learners, l)
	g.sum.Students++
}

// employerFor picks an employer that hires the specialty's group, preferring
// one in the learner's municipality.
func (g *gen) employerFor(spec string, muni int64) (employer, bool) {
	list := g.byGroup[spec[:2]]
	if len(list) == 0 {
		return employer{}, false
	}
	for try := 0; try < 4; try++ {
		e := g.employers[list[g.pick(len(list))]]
		if e.MunicipalityID == muni || try == 3 {
			return e, true
		}
	}
	return employer{}, false
}

func (g *gen) graduate(ei, year, courses int) {
	l := g.enrol(ei, year-courses)
	l.Status, l.GraduationYear = learner.Graduate, year
	g.wishes(&l)
	// The education stage ended with graduation.
	last := &g.batch.stages[len(g.batch.stages)-1]
	grad := date(year, time.June, 30)
	last.End = grad
	practice := false
	emp, hasEmp := g.employerFor(l.SpecialtyCode, l.MunicipalityID)
	if hasEmp && g.chance(0.65) {
		start := date(year, time.Month(3+g.pick(3)), 1)
		g.stage(&l, learner.StagePractice, emp.ID, l.SpecialtyCode, start, start.AddDate(0, 0, 28+g.pick(30)))
		practice = true
	}
	first := len(g.batch.outcomes)
	g.outcomes(&l, grad, emp, hasEmp, practice)
	l.SetMilestones(learner.MilestonesOf(g.batch.outcomes[first:], year, g.opt.Now))
	// One in eight of those who went to work where they had their practice did
	// so under a targeted-education contract; a few broke theirs.
	if hasEmp {
		c := contractRef{learner: l.ID, edu: ei, spec: l.SpecialtyCode, entered: year - courses, employer: emp.ID, graduated: grad}
		for _, o := range g.batch.outcomes[first:] {
			if o.EmployerID == emp.ID && o.Status == learner.Employed && c.workFrom.IsZero() {
				c.workFrom = o.Start
			}
		}
		if !c.workFrom.IsZero() && g.chance(0.12) || c.workFrom.IsZero() && g.chance(0.015) {
			g.contracts = append(g.contracts, c)
		}
	}
	g.batch.learners = append(g.batch.learners, l)
	g.sum.Graduates++
}

// outcomes writes a graduate's employment history up to today: the first
// status within three months of graduation, and for some a change later.
func (g *gen) outcomes(l *learner.Learner, grad time.Time, emp employer, hasEmp, practice bool) {
	p := 0.62
	if hasEmp {
		p = emp.demand
	}
	if practice {
		p += 0.06
	}
	if l.Disability {
		p -= 0.2
	}
	p += 0.09 * g.diligence
	if g.social != "" && g.social != risk.SocialNone {
		p -= 0.08
	}
	if l.DemoExam > 0 {
		p += float64(l.DemoExam-70) / 400
	}
	if kamchatka[g.muniIndex(l.MunicipalityID)].remote {
		p -= 0.1
	}
	if g.edu[g.eduIndex(l.OrgID)].university {
		p += 0.03
	}
	add := func(st learner.OutcomeStatus, empID int64, start, end time.Time, source string) bool {
		if start.After(g.opt.Now) {
			return false
		}
		if !end.IsZero() && end.After(g.opt.Now) && st != learner.Military {
			end = time.Time{} // a job's end is not known ahead; a term of service is
		}
		o := learner.Outcome{ID: g.nextOutcome, LearnerID: l.ID, Status: st, EmployerID: empID, Start: start, End: end, Source: source}
		// Salaries are known for the jobs reported by colleges and surveys, not all.
		if (st == learner.Employed || st == learner.SelfEmployed) && source != "czn" && g.chance(0.7) {
			o.Salary = 1000 * int(math.Round(math.Max(25, 62+18*g.rng.NormFloat64())))
		}
		g.batch.outcomes = append(g.batch.outcomes, o)
		g.nextOutcome++
		if st == learner.Employed && empID != 0 {
			g.stage(l, learner.StageWork, empID, "", start, end)
		}
		return true
	}
	first := grad.AddDate(0, 0, 7+g.pick(90))
	sources := []string{"college", "czn", "survey"}
	src := sources[g.pick(len(sources))]
	if !g.chance(p) {
		var st learner.OutcomeStatus
		switch r := g.rng.Float64(); {
		case r < 0.35:
			st = learner.Unemployed
		case r < 0.75:
			st = learner.NotEmployed
		case r < 0.85 && l.Sex == "ж":
			st = learner.Parental
		default:
			st = learner.Unknown
		}
		if !add(st, 0, first, time.Time{}, src) {
			return
		}
		// Some find work later, often through the employment centre.
		if hasEmp && g.chance(0.4) {
			add(learner.Employed, emp.ID, first.AddDate(0, 4+g.pick(8), 0), time.Time{}, "czn")
		}
		return
	}
	switch r := g.rng.Float64(); {
	case r < 0.1 && l.Sex == "м":
		// A year of service; those back from it look for work, most find it.
		end := first.AddDate(1, 0, 0)
		add(learner.Military, 0, first, end, src)
		back := end.AddDate(0, 1+g.pick(3), 0)
		switch {
		case hasEmp && g.chance(0.6):
			add(learner.Employed, emp.ID, back, time.Time{}, src)
		case g.chance(0.5):
			add(learner.Employed, 0, back, time.Time{}, "survey")
		case g.chance(0.5):
			add(learner.Unemployed, 0, end.AddDate(0, 0, 10+g.pick(20)), time.Time{}, "czn")
		}
		return
	case r < 0.2:
		add(learner.Studying, 0, date(grad.Year(), time.September, 1), time.Time{}, src)
		return
	case r < 0.26:
		add(learner.SelfEmployed, 0, first, time.Time{}, src)
		return
	}
	if !hasEmp {
		add(learner.Employed, 0, first, time.Time{}, src)
		return
	}
	// A fifth leave their first job within a year; half of them find another.
	if g.chance(0.2) {
		end := first.AddDate(0, 3+g.pick(9), 0)
		if !add(learner.Employed, emp.ID, first, end, src) {
			return
		}
		if end.After(g.opt.Now) {
			return
		}
		if other, ok := g.employerFor(l.SpecialtyCode, l.MunicipalityID); ok && g.chance(0.5) {
			add(learner.Employed, other.ID, end.AddDate(0, 0, 14+g.pick(60)), time.Time{}, "survey")
		} else {
			add(learner.NotEmployed, 0, end.AddDate(0, 0, 1), time.Time{}, "survey")
		}
		return
	}
	add(learner.Employed, emp.ID, first, time.Time{}, src)
}

func (g *gen) eduIndex(orgID int64) int {
	for i := range g.edu {
		if g.edu[i].ID == orgID {
			return i
		}
	}
	return 0
}

// wishes gives a final-year student or a graduate a demonstration exam
// result (colleges) and what they want of a job.
func (g *gen) wishes(l *learner.Learner) {
	if !g.edu[g.eduIndex(l.OrgID)].university && g.chance(0.65) {
		l.DemoExam = 40 + g.pick(61)
	}
	if g.chance(0.7) {
		g.prefs = append(g.prefs, routing.Preference{LearnerID: l.ID, Relocate: g.chance(0.2), MinSalary: 1000 * (45 + g.pick(50))})
	}
}
