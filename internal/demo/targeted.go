package demo

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"marshrut/internal/targeted"
)

// contractRef is a learner who studies or studied under a targeted-education
// contract, as the people step found them.
type contractRef struct {
	learner   int64
	edu       int // index in g.edu
	spec      string
	entered   int // admission year
	employer  int64
	graduated time.Time // zero for a student
	workFrom  time.Time // the first day of work for the employer; zero if they never came
}

// TargetedLoader is where targeted education is written.
type TargetedLoader interface {
	NextID(table string) (int64, error)
	Offers([]targeted.Offer) error
	Applications(region string, as []targeted.Application) error
}

// targeted generates employers' offers of targeted education: the past
// years' offers behind the contracts of today's students and graduates, and
// this year's open offers with pupils' applications to them.
func (g *gen) targeted() error {
	tl, ok := g.load.(TargetedLoader)
	if !ok {
		return nil
	}
	nextOffer, err := tl.NextID("targeted_offer")
	if err != nil {
		return err
	}
	nextApp, err := tl.NextID("targeted_application")
	if err != nil {
		return err
	}
	type key struct {
		employer, org int64
		spec          string
		year          int
	}
	index := map[key]int{}
	var offers []targeted.Offer
	var apps []targeted.Application
	offer := func(k key, status targeted.OfferStatus, deadline time.Time) int {
		if i, ok := index[k]; ok {
			return i
		}
		var muni int64
		for _, e := range g.employers {
			if e.ID == k.employer {
				muni = e.MunicipalityID
			}
		}
		o := targeted.Offer{ID: nextOffer, RegionCode: g.opt.Region, EmployerID: k.employer, OrgID: k.org, SpecialtyCode: k.spec,
			Level: targeted.LevelOf(k.spec), WorkYears: 3, MunicipalityID: muni, Year: k.year, Status: status, Deadline: deadline,
			Support:      targeted.Support{Stipend: 3000 + 500*g.pick(15), Housing: g.chance(0.3), PaidPractice: g.chance(0.6)},
			Requirements: "Средний балл аттестата не ниже 3,8; собеседование с наставником предприятия."}
		nextOffer++
		index[k] = len(offers)
		offers = append(offers, o)
		return len(offers) - 1
	}
	app := func(oi int, learnerID int64, at time.Time) *targeted.Application {
		a := targeted.NewApplication(offers[oi].ID, learnerID, at, 0)
		a.ID = nextApp
		nextApp++
		apps = append(apps, a)
		return &apps[len(apps)-1]
	}
	// move advances an application, stopping the route at the first refusal.
	move := func(a *targeted.Application, to targeted.Status, at time.Time, reason string, d targeted.Transition) bool {
		if a.Status.Final() {
			return false
		}
		if err := a.Move(to, at, reason, d); err != nil {
			return false
		}
		return true
	}
	// Contracts of today's students and graduates.
	for _, c := range g.contracts {
		e := g.edu[c.edu]
		k := key{c.employer, e.ID, c.spec, c.entered}
		oi := offer(k, targeted.Closed, date(c.entered, time.July, 15))
		a := app(oi, c.learner, date(c.entered, time.June, 1+g.pick(30)))
		move(a, targeted.Selected, date(c.entered, time.July, 20), "", targeted.Transition{})
		signed := date(c.entered, time.August, 1+g.pick(25))
		move(a, targeted.ContractSigned, signed, "", targeted.Transition{ContractNo: fmt.Sprintf("ЦО-%d-%04d", c.entered, a.ID), ContractSignedOn: signed})
		move(a, targeted.Studying, date(c.entered, time.September, 1), "", targeted.Transition{StudyStart: date(c.entered, time.September, 1)})
		if c.graduated.IsZero() {
			if g.chance(0.04) {
				move(a, targeted.Terminated, date(g.schoolYear, time.October, 10), "договор расторгнут по соглашению сторон: перевод на другую специальность", targeted.Transition{})
			}
			continue
		}
		move(a, targeted.Graduated, c.graduated, "", targeted.Transition{GraduatedOn: c.graduated})
		if c.workFrom.IsZero() {
			move(a, targeted.Broken, c.graduated.AddDate(0, 3, 0), "выпускник не приступил к работе у заказчика", targeted.Transition{})
			continue
		}
		move(a, targeted.WorkingOff, c.workFrom, "", targeted.Transition{ObligationStart: c.workFrom, WorkYears: 3})
	}
	// A past offer had as many places as it made contracts, or a few more.
	byID := map[int64]int{}
	for i, o := range offers {
		byID[o.ID] = i
	}
	for _, a := range apps {
		offers[byID[a.OfferID]].Places++
	}
	for i := range offers {
		offers[i].Places += g.pick(3)
	}
	// This year's open offers: a third of the employers offer places for a
	// specialty of their field in a college that teaches it, and pupils apply.
	admission := g.schoolYear + 1
	deadline := date(admission, time.July, 15)
	var pupils []pupilRef
	for _, p := range g.seniors {
		if p.grade >= 9 {
			pupils = append(pupils, p)
		}
	}
	for _, spec := range slices.Sorted(maps.Keys(g.bySpec)) {
		for _, ei := range g.bySpec[spec] {
			if !g.chance(0.12 / float64(len(g.employers[ei].sector.specs))) {
				continue
			}
			emp := g.employers[ei]
			for _, e := range g.edu {
				if !slices.Contains(e.specialties, spec) {
					continue
				}
				oi := offer(key{emp.ID, e.ID, spec, admission}, targeted.Published, deadline)
				offers[oi].Places = 2 + g.pick(9)
				for n := g.pick(offers[oi].Places * 2); n > 0 && len(pupils) > 0; n-- {
					p := pupils[g.pick(len(pupils))]
					if e.university && p.grade < 10 {
						continue
					}
					a := app(oi, p.id, g.opt.Now.AddDate(0, 0, -g.pick(60)))
					switch r := g.rng.Float64(); {
					case r < 0.25:
						move(a, targeted.Selected, g.opt.Now.AddDate(0, 0, -g.pick(5)), "", targeted.Transition{})
					case r < 0.33:
						move(a, targeted.Declined, g.opt.Now.AddDate(0, 0, -g.pick(5)), "не пройдено собеседование", targeted.Transition{})
					}
				}
				break
			}
		}
	}
	// The same learner may have come twice to one offer by chance: keep the first.
	seen := map[[2]int64]bool{}
	kept := apps[:0]
	for _, a := range apps {
		k := [2]int64{a.OfferID, a.LearnerID}
		if !seen[k] {
			seen[k] = true
			kept = append(kept, a)
		}
	}
	apps = kept
	if err := tl.Offers(offers); err != nil {
		return err
	}
	if err := tl.Applications(g.opt.Region, apps); err != nil {
		return err
	}
	g.sum.Offers, g.sum.Applications = len(offers), len(apps)
	for _, a := range apps {
		if a.Status.Signed() {
			g.sum.Contracts++
		}
	}
	g.progress("целевое обучение", len(offers), len(offers))
	return nil
}
