package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/demo"
	"marshrut/internal/imports"
	"marshrut/internal/org"
)

// TestBalance computes the balance of a small demo region on both engines:
// what the input holds, who sees and changes which needs and capacities, a
// scenario that moves the gap, and a file of needs with a bad row.
func TestBalance(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		if err := s.Load(ctx, func(l *Loader) error {
			_, err := demo.Generate(ctx, l, demo.Options{Seed: 5, Learners: 6000, Region: "41", Now: now})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		in, err := s.Balance.Input(ctx, "41", now)
		if err != nil {
			t.Fatal(err)
		}
		months := map[time.Time]bool{}
		for _, v := range in.Vacancies {
			months[v.Month] = true
			if v.Places <= 0 || v.Key.Group == "" || (v.Key.Level != balance.SPO && v.Key.Level != balance.Higher) {
				t.Fatalf("vacancy month %+v", v)
			}
		}
		if len(months) < 55 || len(in.Enrolment) == 0 || len(in.Graduated) == 0 || len(in.Capacity) == 0 || len(in.Needs) == 0 || len(in.Ages) == 0 {
			t.Fatalf("input: %d months, %d enrolment, %d graduated, %d capacities, %d needs, %d ages",
				len(months), len(in.Enrolment), len(in.Graduated), len(in.Capacity), len(in.Needs), len(in.Ages))
		}

		svc := balance.NewService(s.Balance, func() time.Time { return now })
		region := auth.Scope{Role: auth.Region, RegionCode: "41", UserID: 1}
		res, err := svc.Balance(ctx, region, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, r := range res.Rows {
			if r.Accuracy != nil {
				checked++
			}
		}
		if len(res.Rows) < 10 || checked < 5 || res.Totals[0].Supply <= 0 || res.Totals[0].Demand.Mean <= 0 || len(res.Proposals) == 0 {
			t.Fatalf("balance: %d rows, %d with accuracy, totals %+v, %d proposals", len(res.Rows), checked, res.Totals[0], len(res.Proposals))
		}
		for _, p := range res.Proposals {
			if p.Capacity > 0 && p.Proposed > p.Capacity || p.Proposed < 0 {
				t.Errorf("proposal beyond capacity: %+v", p)
			}
		}
		if _, err := svc.Balance(ctx, auth.Scope{Role: auth.School, RegionCode: "41", OrgID: 1}, 0); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a school sees the balance: %v", err)
		}

		// An employer sees and changes its own needs only.
		employers, _, err := s.Orgs.Organisations(ctx, org.Filter{Kind: org.Employer, Limit: 2})
		if err != nil || len(employers) < 2 {
			t.Fatal(employers, err)
		}
		own := auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: employers[0].ID, UserID: 2}
		n := balance.Need{Specialty: "15.02.08", Horizon: 3, Count: 12, Note: "новый цех"}
		if err := svc.Declare(ctx, own, &n); err != nil || n.ID == 0 {
			t.Fatalf("declare: %v", err)
		}
		n2 := n
		n2.ID, n2.Count = 0, 14 // the same employer, specialty, year and horizon: replaced
		if err := svc.Declare(ctx, own, &n2); err != nil || n2.ID != n.ID {
			t.Fatalf("declare again: %v, id %d → %d", err, n.ID, n2.ID)
		}
		list, err := svc.Needs(ctx, own, balance.NeedFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range list {
			if x.EmployerID != own.OrgID {
				t.Errorf("an employer sees another's need: %+v", x)
			}
		}
		if len(list) == 0 || list[0].EmployerName == "" {
			t.Fatalf("own needs: %+v", list)
		}
		other := auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: employers[1].ID}
		if err := svc.DeleteNeed(ctx, other, n.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another employer deletes the need: %v", err)
		}
		bad := balance.Need{Specialty: "15.02.08", Horizon: 8, Count: 5}
		if err := svc.Declare(ctx, own, &bad); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "от 1 до 7") {
			t.Errorf("horizon of 8 years: %v", err)
		}
		college := in.Capacity[0].OrgID
		if err := svc.Declare(ctx, region, &balance.Need{EmployerID: college, Specialty: "15.02.08", Horizon: 1, Count: 3}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a need of a college: %v", err)
		}
		if err := svc.DeleteNeed(ctx, own, n.ID); err != nil {
			t.Errorf("delete own need: %v", err)
		}

		// A college sets its own capacity, not another's; sees its own proposals.
		cs := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: college}
		c := in.Capacity[0]
		c.Capacity += 10
		if err := svc.SetCapacity(ctx, cs, c); err != nil {
			t.Errorf("own capacity: %v", err)
		}
		c.Plan = c.Capacity + 1
		if err := svc.SetCapacity(ctx, cs, c); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("plan above capacity: %v", err)
		}
		var foreign balance.Capacity
		for _, x := range in.Capacity {
			if x.OrgID != college {
				foreign = x
				break
			}
		}
		if err := svc.SetCapacity(ctx, auth.Scope{Role: auth.Region, RegionCode: "41"}, balance.Capacity{OrgID: employers[0].ID, Specialty: "15.02.08", Capacity: 5}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("capacity of an employer: %v", err)
		}
		cres, err := svc.Balance(ctx, cs, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range cres.Proposals {
			if p.OrgID != college {
				t.Errorf("a college sees another's proposal: %+v", p)
			}
		}
		if _, err := svc.Balance(ctx, cs, 1); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a college opens a scenario: %v", err)
		}

		// A scenario raises an admission to the capacity and adds a need: the gap moves.
		key := in.Specialties[foreign.Specialty].Key()
		sc := balance.Scenario{Name: "Новый завод", Admissions: []balance.AdmissionChange{{OrgID: foreign.OrgID, Specialty: foreign.Specialty, FromYear: 2027, Admissions: foreign.Capacity}},
			Needs: []balance.NeedChange{{Employer: "Судоремонтный завод", Specialty: foreign.Specialty, Horizon: 2, Count: 40}}}
		if err := svc.SaveScenario(ctx, region, &sc); err != nil {
			t.Fatal(err)
		}
		back, err := svc.Scenario(ctx, region, sc.ID)
		if err != nil || back.Name != sc.Name || len(back.Admissions) != 1 || back.Needs[0].Count != 40 {
			t.Fatalf("scenario back: %+v %v", back, err)
		}
		base, _ := svc.Balance(ctx, region, 0)
		with, err := svc.Balance(ctx, region, sc.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := base.Row(key)
		w, _ := with.Row(key)
		if d := w.Cells[1].Demand.Mean - b.Cells[1].Demand.Mean; d < 39.9 || d > 40.1 {
			t.Errorf("demand of 2028 moved by %v, want 40", d)
		}
		if w.Cells[6].Supply <= b.Cells[6].Supply && foreign.Capacity > foreign.Plan {
			t.Errorf("supply of 2033: %v with the scenario, %v without", w.Cells[6].Supply, b.Cells[6].Supply)
		}
		sc.Admissions[0].Admissions = foreign.Capacity + 1
		if err := svc.SaveScenario(ctx, region, &sc); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "больше вместимости") {
			t.Errorf("admission above capacity: %v", err)
		}
		if err := svc.DeleteScenario(ctx, region, sc.ID); err != nil {
			t.Error(err)
		}
		if _, err := svc.Scenario(ctx, region, sc.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("deleted scenario: %v", err)
		}

		// A file of needs: the good row is loaded, the bad one reported.
		file := "ИНН работодателя;Код специальности;Горизонт, лет;Потребность, чел.\n" +
			employers[1].INN + ";15.02.08;5;7\n" + employers[1].INN + ";15.02.08;9;7\n"
		rep, err := imports.Balance(ctx, svc, region, balance.ImportNeeds, strings.NewReader(file), "needs.csv")
		if err != nil {
			t.Fatal(err)
		}
		if rep.Loaded != 1 || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 3 || !strings.Contains(rep.Rejected[0].Reason, "горизонт") {
			t.Errorf("import report: %+v", rep)
		}
	})
}
