package demo

import (
	"cmp"
	"fmt"
	"math"
	"slices"
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

	// Students and graduates come from the cohorts of every programme; the
	// pupils take what they leave so that the total is exactly what was asked.
	cohorts := g.plan()
	study := 0
	for _, c := range cohorts {
		study += c.n
	}
	pupils := max(0, g.opt.Learners-study)
	total := pupils + study
	if err := g.pupils(pupils, total); err != nil {
		return err
	}
	for _, c := range cohorts {
		for i := 0; i < c.n; i++ {
			if c.course > 0 {
				g.student(c)
			} else {
				g.graduate(c)
			}
			if err := g.flush(false, total); err != nil {
				return err
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

// pupils spreads n pupils over the schools by their sizes, and in each
// school over its grades and classes: a class holds up to 28 pupils, so a
// village school has one class a grade and a town school several.
func (g *gen) pupils(n, total int) error {
	var all []*school
	var sizes []float64
	for mi := range g.schools {
		for i := range g.schools[mi] {
			all = append(all, &g.schools[mi][i])
			sizes = append(sizes, float64(g.schools[mi][i].size))
		}
	}
	for si, count := range apportion(n, sizes) {
		s := all[si]
		mi := g.muniIndex(s.MunicipalityID)
		// Fewer stay for grades 10 and 11: many leave for colleges after the 9th.
		w := make([]float64, s.grades)
		for gr := range w {
			w[gr] = math.Exp(0.1 * g.rng.NormFloat64())
			if gr >= 9 {
				w[gr] *= 0.6
			}
		}
		for gi, inGrade := range apportion(count, w) {
			grade := gi + 1
			classes := max(1, (inGrade+27)/28)
			for k := 0; k < inGrade; k++ {
				g.pupil(s, mi, grade, k%classes)
				if err := g.flush(false, total); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// apportion divides n in proportion to w by the largest remainders.
func apportion(n int, w []float64) []int {
	out := make([]int, len(w))
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	if sum == 0 || n <= 0 {
		return out
	}
	type rem struct {
		i int
		r float64
	}
	rs := make([]rem, len(w))
	left := n
	for i, x := range w {
		q := float64(n) * x / sum
		out[i] = int(q)
		left -= out[i]
		rs[i] = rem{i, q - float64(out[i])}
	}
	slices.SortStableFunc(rs, func(a, b rem) int { return cmp.Compare(b.r, a.r) })
	for k := 0; k < left; k++ {
		out[rs[k%len(rs)].i]++
	}
	return out
}

var classLetters = []string{"А", "Б", "В", "Г", "Д", "Е", "Ж", "З"}

func (g *gen) pupil(s *school, mi, grade, class int) {
	l := g.person(g.chance(0.49), g.schoolYear-grade-6)
	l.Status, l.OrgID, l.Grade, l.MunicipalityID = learner.Pupil, s.ID, grade, s.MunicipalityID
	l.Group = fmt.Sprintf("%d%s", grade, classLetters[class%len(classLetters)])
	if grade >= 6 {
		g.seniors = append(g.seniors, pupilRef{id: l.ID, school: s.ID, muni: mi, grade: grade})
	}
	g.batch.learners = append(g.batch.learners, l)
	g.stage(&l, learner.StageSchool, s.ID, "", date(g.schoolYear-grade+1, time.September, 1), time.Time{})
	g.sum.Pupils++
}

// enrol makes a student of a cohort, with the school stage behind them.
func (g *gen) enrol(c cohort) learner.Learner {
	e := g.edu[c.edu]
	age := 17
	if c.after9 {
		age = 15
	}
	l := g.person(g.chance(e.female), c.entered-age)
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
	l.SpecialtyCode = c.prog.code
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
	grades := 11
	if c.after9 {
		grades = 9
	}
	list := g.schools[mi]
	sch := list[g.pick(len(list))]
	for try := 0; try < 6 && sch.grades < grades; try++ {
		sch = list[g.pick(len(list))]
	}
	g.stage(&l, learner.StageSchool, sch.ID, "", date(c.entered-grades, time.September, 1), date(c.entered, time.June, 30))
	kind := learner.StageCollege
	if e.university {
		kind = learner.StageUniversity
	}
	g.stage(&l, kind, e.ID, l.SpecialtyCode, date(c.entered, time.September, 1), time.Time{})
	return l
}

func (g *gen) student(c cohort) {
	l := g.enrol(c)
	l.Status, l.Course = learner.Student, c.course
	l.GraduationYear = c.entered + c.courses
	if c.course == c.courses {
		g.wishes(&l)
	}
	// Senior students had their practice last spring, the diligent more often.
	if c.course >= 3 && g.chance(practiceChance(g.diligence)) {
		if emp, ok := g.employerFor(l.SpecialtyCode, l.MunicipalityID); ok {
			start := date(g.schoolYear, time.Month(3+g.pick(3)), 1)
			g.stage(&l, learner.StagePractice, emp.ID, l.SpecialtyCode, start, start.AddDate(0, 0, 28+g.pick(30)))
		}
	}
	// Some students study under a targeted-education contract with an employer of their field.
	if g.chance(0.05) {
		if emp, ok := g.employerFor(l.SpecialtyCode, l.MunicipalityID); ok {
			g.contracts = append(g.contracts, contractRef{learner: l.ID, edu: c.edu, spec: l.SpecialtyCode, entered: c.entered, employer: emp.ID})
		}
	}
	g.batch.learners = append(g.batch.learners, l)
	g.sum.Students++
}

// practiceChance is the chance a student has practice at an employer.
func practiceChance(z float64) float64 { return math.Max(0.2, math.Min(0.9, 0.62+0.12*z)) }

// employerFor picks an employer that hires graduates of the specialty,
// preferring one in the learner's municipality.
func (g *gen) employerFor(spec string, muni int64) (employer, bool) {
	list := g.bySpec[spec]
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

func (g *gen) graduate(c cohort) {
	year := c.entered + c.courses
	l := g.enrol(c)
	l.Status, l.GraduationYear = learner.Graduate, year
	g.wishes(&l)
	// The education stage ended with graduation.
	last := &g.batch.stages[len(g.batch.stages)-1]
	grad := date(year, time.June, 30)
	last.End = grad
	practice := false
	emp, hasEmp := g.employerFor(l.SpecialtyCode, l.MunicipalityID)
	if hasEmp && g.chance(practiceChance(g.diligence)) {
		start := date(year, time.Month(3+g.pick(3)), 1)
		g.stage(&l, learner.StagePractice, emp.ID, l.SpecialtyCode, start, start.AddDate(0, 0, 28+g.pick(30)))
		practice = true
	}
	// A targeted contract and a mentor are settled before the outcome is
	// drawn: what they change is then an effect, not a selection.
	contract := hasEmp && g.chance(0.07)
	mentored := l.Form == learner.FullTime && g.chance(mentorChance(g.edu[c.edu].university, practice))
	if mentored {
		g.mentored[l.ID] = true
	}
	first := len(g.batch.outcomes)
	g.outcomes(&l, grad, emp, hasEmp, g.workChance(&l, practice, contract, mentored), contract)
	l.SetMilestones(learner.MilestonesOf(g.batch.outcomes[first:], year, g.opt.Now))
	if contract {
		ref := contractRef{learner: l.ID, edu: c.edu, spec: l.SpecialtyCode, entered: c.entered, employer: emp.ID, graduated: grad}
		for _, o := range g.batch.outcomes[first:] {
			if o.EmployerID == emp.ID && o.Status == learner.Employed && ref.workFrom.IsZero() {
				ref.workFrom = o.Start
			}
		}
		g.contracts = append(g.contracts, ref)
	}
	g.batch.learners = append(g.batch.learners, l)
	g.sum.Graduates++
}

// mentorChance is the chance a full-time student had a mentor in the last
// year: more in colleges, and more often where there was practice, whose
// specialists mentor.
func mentorChance(university, practice bool) float64 {
	p := collegeCoverage * 0.75
	if university {
		p = universityCoverage * 0.8
	}
	if practice {
		p += 0.1
	}
	return p
}

// workChance is the chance a graduate is occupied (at work, in service or
// studying further) within the first months: it rises with diligence, a
// practice, a good demonstration exam, a targeted contract, the demand for
// the specialty and in the municipality, and a little with a mentor; it
// falls with a disability, a hard family situation and a remote home.
func (g *gen) workChance(l *learner.Learner, practice, contract, mentored bool) float64 {
	e := g.edu[g.eduIndex(l.OrgID)]
	mi := g.muniIndex(l.MunicipalityID)
	x := 1.1 + 1.4*g.diligence + 1.0*g.demand[l.SpecialtyCode[:2]] + 0.5*g.muniDemand[mi]
	if practice {
		x += 0.8
	}
	if contract {
		x += 1.2
	}
	if mentored {
		x += 0.25
	}
	switch {
	case l.DemoExam > 0:
		x += float64(l.DemoExam-65) / 25
	case !e.university:
		x -= 0.3
	}
	if l.Disability {
		x -= 0.9
	}
	if g.social != "" && g.social != risk.SocialNone {
		x -= 0.45
	}
	if kamchatka[mi].remote {
		x -= 0.5
	}
	if e.university {
		x += 0.2
	}
	return 1 / (1 + math.Exp(-x))
}

// outcomes writes a graduate's employment history up to today: the first
// status within three months of graduation, and for some a change later.
func (g *gen) outcomes(l *learner.Learner, grad time.Time, emp employer, hasEmp bool, p float64, contract bool) {
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
	// A college loses track of a few graduates, whatever became of them.
	if g.chance(0.04) {
		add(learner.Unknown, 0, first, time.Time{}, "college")
		return
	}
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
			add(learner.Employed, emp.ID, first.AddDate(0, 6+g.pick(8), 0), time.Time{}, "czn")
		}
		return
	}
	// Those under a targeted contract go to work for their employer.
	if contract {
		add(learner.Employed, emp.ID, first, time.Time{}, src)
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
		end := first.AddDate(0, 6+g.pick(7), 0)
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
	if !g.edu[g.eduIndex(l.OrgID)].university && g.chance(0.7) {
		l.DemoExam = int(math.Round(math.Max(20, math.Min(100, 68+14*(0.7*g.diligence+0.7*g.rng.NormFloat64())))))
	}
	if g.chance(0.7) {
		g.prefs = append(g.prefs, routing.Preference{LearnerID: l.ID, Relocate: g.chance(0.2), MinSalary: 1000 * (45 + g.pick(50))})
	}
}
