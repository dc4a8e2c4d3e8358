package demo

import (
	"fmt"
	"slices"
	"time"

	"marshrut/internal/ddo"
	"marshrut/internal/guidance"
)

// pupilRef is what guidance needs to know of a generated pupil.
type pupilRef struct {
	id     int64
	school int64
	muni   int
	grade  int
}

// GuidanceLoader is where the guidance of the region is written.
type GuidanceLoader interface {
	NextID(table string) (int64, error)
	Events([]guidance.Event) error
	Bookings([]guidance.Booking) error
	Participations([]guidance.Participation) error
	Informings(region string, is []guidance.Informing) error
	Levels([]guidance.LevelChoice) error
	Diagnostics(region string, ds []guidance.Diagnostic) error
	RebuildReach(region string) error
}

// guidance generates the current school year's career guidance: monthly
// lessons of «Россия — мои горизонты» in every school, employers' профпробы
// booked by schools of their municipality, employment centres' fairs,
// informing of senior pupils about targeted education and ДДО results.
func (g *gen) guidance() error {
	gl, ok := g.load.(GuidanceLoader)
	if !ok || len(g.seniors) == 0 {
		return nil
	}
	year := guidance.SchoolYear(g.schoolYear)
	months := year.Months(g.opt.Now)
	nextEvent, err := gl.NextID("guidance_event")
	if err != nil {
		return err
	}
	var events []guidance.Event
	var parts []guidance.Participation
	var bookings []guidance.Booking
	today := date(g.opt.Now.Year(), g.opt.Now.Month(), g.opt.Now.Day())
	// day is a past working day of the month, up to today; ahead a working
	// day of the month after today.
	day := func(m time.Time) time.Time {
		d, _ := g.workday(m, m, today)
		return d
	}
	ahead := func(m time.Time) (time.Time, bool) {
		return g.workday(m, today.AddDate(0, 0, 1), m.AddDate(0, 1, -1))
	}
	// The months of the school year still ahead, to its end in May.
	var future []time.Time
	for m := date(today.Year(), today.Month(), 1).AddDate(0, 1, 0); m.Before(date(int(year)+1, time.June, 1)); m = m.AddDate(0, 1, 0) {
		future = append(future, m)
	}
	if d := today.AddDate(0, 0, 1); d.Month() == today.Month() && d.Before(date(int(year)+1, time.June, 1)) {
		future = append([]time.Time{date(today.Year(), today.Month(), 1)}, future...)
	}
	event := func(e guidance.Event) int64 {
		e.ID, e.RegionCode = nextEvent, g.opt.Region
		nextEvent++
		events = append(events, e)
		return e.ID
	}
	// Participations are written after their events, in batches.
	flush := func() error {
		for start := 0; start < len(parts); start += batchSize {
			if err := g.ctx.Err(); err != nil {
				return err
			}
			if err := gl.Participations(parts[start:min(len(parts), start+batchSize)]); err != nil {
				return err
			}
		}
		g.sum.Participations = len(parts)
		return nil
	}
	bySchool := map[int64][]pupilRef{}
	byMuni := map[int][]pupilRef{}
	var schools []int64
	for _, p := range g.seniors {
		if _, ok := bySchool[p.school]; !ok {
			schools = append(schools, p.school)
		}
		bySchool[p.school] = append(bySchool[p.school], p)
		byMuni[p.muni] = append(byMuni[p.muni], p)
	}

	// Levels: most schools keep to the basic level of the профминимум.
	var levels []guidance.LevelChoice
	for _, s := range schools {
		lv := []guidance.Level{guidance.Basic, guidance.Main, guidance.Advanced}[g.weighted([]float64{0.55, 0.33, 0.12})]
		levels = append(levels, guidance.LevelChoice{OrgID: s, Year: year, Level: lv})
	}
	if err := gl.Levels(levels); err != nil {
		return err
	}

	// «Россия — мои горизонты»: a weekly lesson, written as one event a month
	// per school; a few schools are late to start.
	for _, s := range schools {
		late := g.chance(0.08)
		for mi, m := range months {
			if late && mi == 0 {
				continue
			}
			id := event(guidance.Event{OrganiserID: s, Kind: guidance.Horizons, Title: "Курс «Россия — мои горизонты», " + monthName(m),
				HeldOn: day(m), GradeFrom: 6, GradeTo: 11, Hours: 4})
			for _, p := range bySchool[s] {
				if g.chance(0.9) {
					parts = append(parts, guidance.Participation{EventID: id, LearnerID: p.id})
				}
			}
		}
		// The lessons of the months ahead are planned already.
		for _, m := range future {
			if m.Year() == today.Year() && m.Month() == today.Month() {
				continue // this month's lesson is held already
			}
			if d, ok := ahead(m); ok {
				event(guidance.Event{OrganiserID: s, Kind: guidance.Horizons, Title: "Курс «Россия — мои горизонты», " + monthName(m),
					HeldOn: d, GradeFrom: 6, GradeTo: 11, Hours: 4})
			}
		}
	}

	// Профпробы of «Билет в будущее» at employers, booked by nearby schools.
	// A проба is in a specialty the employer hires and a college teaches.
	specialtyOf := func(e employer) string {
		for _, sp := range e.sector.specs {
			for _, c := range g.edu {
				if !c.university && slices.Contains(c.specialties, sp) {
					return sp
				}
			}
		}
		return ""
	}
	for _, e := range g.employers {
		if !g.chance(0.35) {
			continue
		}
		capacity := 10 + 5*g.pick(5)
		spec := specialtyOf(e)
		// A third of the пробы are ahead: schools have booked seats, no one has come yet.
		held, later := day(months[g.pick(len(months))]), false
		if len(future) > 0 && g.chance(0.3) {
			if d, ok := ahead(future[g.pick(min(2, len(future)))]); ok {
				held, later = d, true
			}
		}
		id := event(guidance.Event{OrganiserID: e.ID, Kind: guidance.Proba, Title: "Профпроба на предприятии: " + e.Name,
			HeldOn: held, Place: e.Address, GradeFrom: 8, GradeTo: 11, Capacity: capacity, Hours: 4,
			SpecialtyCode: spec, Ticket: true, Bookable: true})
		mi := g.muniIndex(e.MunicipalityID)
		left := capacity
		for _, s := range g.schools[mi] {
			if left == 0 || !g.chance(0.4) {
				continue
			}
			seats := min(left, 3+g.pick(8))
			left -= seats
			bookings = append(bookings, guidance.Booking{EventID: id, SchoolID: s.ID, Seats: seats})
			if later {
				continue
			}
			came := 0
			for _, p := range bySchool[s.ID] {
				if came == seats {
					break
				}
				if p.grade >= 8 && g.chance(0.3) {
					parts = append(parts, guidance.Participation{EventID: id, LearnerID: p.id})
					came++
				}
			}
		}
	}

	// A fair of professions by every employment centre in October.
	for mi, c := range g.czn {
		if len(months) < 2 {
			break
		}
		id := event(guidance.Event{OrganiserID: c.ID, Kind: guidance.Fair, Title: "Ярмарка профессий «Шаг в профессию»",
			HeldOn: day(months[1]), Place: c.Address, GradeFrom: 8, GradeTo: 11, Hours: 2})
		for _, p := range byMuni[mi] {
			if p.grade >= 8 && g.chance(0.35) {
				parts = append(parts, guidance.Participation{EventID: id, LearnerID: p.id})
			}
		}
	}
	if err := gl.Events(events); err != nil {
		return err
	}
	if err := gl.Bookings(bookings); err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	g.sum.Events = len(events)

	// Informing of grades 9–11 and ДДО of grades 8–11.
	nextInf, err := gl.NextID("targeted_informing")
	if err != nil {
		return err
	}
	nextDDO, err := gl.NextID("ddo_result")
	if err != nil {
		return err
	}
	sheet := ddo.Questionnaire()
	types := ddo.Types()
	var infs []guidance.Informing
	var diags []guidance.Diagnostic
	methods := []guidance.Method{guidance.ByLesson, guidance.ByMeeting, guidance.ByMessage}
	for _, p := range g.seniors {
		if p.grade >= 9 && g.chance(0.72) {
			infs = append(infs, guidance.Informing{ID: nextInf, LearnerID: p.id, OrgID: p.school, On: day(months[g.pick(len(months))]),
				Method: methods[g.weighted([]float64{0.6, 0.3, 0.1})]})
			nextInf++
		}
		if p.grade >= 8 && g.chance(0.3) {
			// Answers lean to one type, as real pupils' do.
			lean := types[g.pick(len(types))]
			var a ddo.Answers
			for i, it := range sheet.Items {
				pa := 0.5
				if it.A.Type == lean {
					pa = 0.8
				} else if it.B.Type == lean {
					pa = 0.2
				}
				a[i] = ddo.B
				if g.chance(pa) {
					a[i] = ddo.A
				}
			}
			diags = append(diags, guidance.Diagnostic{ID: nextDDO, LearnerID: p.id, TakenOn: day(months[g.pick(len(months))]),
				Answers: a, Result: ddo.Score(a), Source: []string{"self", "paper"}[g.pick(2)]})
			nextDDO++
		}
	}
	if err := gl.Informings(g.opt.Region, infs); err != nil {
		return err
	}
	if err := gl.Diagnostics(g.opt.Region, diags); err != nil {
		return err
	}
	g.sum.Informed, g.sum.Diagnostics = len(infs), len(diags)
	g.progress("профориентация", g.sum.Events, g.sum.Events)
	return gl.RebuildReach(g.opt.Region)
}

// holidays are the public holidays of the Russian calendar (ТК РФ ст. 112)
// as month and day; no event is held on them.
var holidays = map[[2]int]bool{
	{1, 1}: true, {1, 2}: true, {1, 3}: true, {1, 4}: true, {1, 5}: true, {1, 6}: true, {1, 7}: true, {1, 8}: true,
	{2, 23}: true, {3, 8}: true, {5, 1}: true, {5, 9}: true, {6, 12}: true, {11, 4}: true,
}

// working reports whether a day is a working day: Monday to Friday and not a holiday.
func working(d time.Time) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday && !holidays[[2]int{int(d.Month()), d.Day()}]
}

// workday draws a working day of month m between from and to (inclusive);
// ok is false when there is none.
func (g *gen) workday(m, from, to time.Time) (time.Time, bool) {
	first, last := m, m.AddDate(0, 1, -1)
	if from.After(first) {
		first = from
	}
	if to.Before(last) {
		last = to
	}
	var days []time.Time
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		if working(d) {
			days = append(days, d)
		}
	}
	if len(days) == 0 {
		// None in the span: the last working day before it.
		d := first
		for !working(d) {
			d = d.AddDate(0, 0, -1)
		}
		return d, false
	}
	return days[g.pick(len(days))], true
}

var monthNames = [...]string{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}

func monthName(m time.Time) string { return fmt.Sprintf("%s %d", monthNames[m.Month()-1], m.Year()) }
