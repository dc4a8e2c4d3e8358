package balance

import (
	"strings"
	"testing"

	"marshrut/internal/apperr"
)

// The default limit holds a proposal to a fifth of the places a year, says
// why more is asked, and the region's confirmation lets the full change in.
func TestProposalsHeldToLimit(t *testing.T) {
	res, err := Compute(withDemand(fixture()), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Proposals) != 3 {
		t.Fatalf("proposals: %+v", res.Proposals)
	}
	p := res.Proposals[0]
	// 120 now, 150 asked (capacity), 20 % of 120 = 24: 144 without a confirmation.
	if p.Proposed != 144 || p.Wanted != 150 || p.Limit != 24 || !p.Confirm() {
		t.Fatalf("proposal %+v", p)
	}
	for _, want := range []string{"нехватку выпускников 2031 года", "спрос 160", "выпуск 48", "на 25 %", "20 % в год", "подтверждение"} {
		if !strings.Contains(p.Why, want) {
			t.Errorf("why %q lacks %q", p.Why, want)
		}
	}
	for _, pl := range res.Plans {
		if pl.Year == 2031 && !strings.Contains(pl.Reason, "ограничено 20 %") {
			t.Errorf("plan %+v", pl)
		}
	}
	got, err := Confirmed(res.Proposals, []string{p.ID()})
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Proposed != 150 || got[1].Proposed != 144 || res.Proposals[0].Proposed != 144 {
		t.Errorf("confirmed: %d, %d; the proposals themselves %d", got[0].Proposed, got[1].Proposed, res.Proposals[0].Proposed)
	}
	if _, err := Confirmed(res.Proposals, []string{"7-15.02.08-2040"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("an unknown confirmation: %v", err)
	}
	// Within the limit nothing waits for a confirmation.
	in := withDemand(fixture())
	in.MaxChange = 0.25
	res, _ = Compute(in, nil)
	for _, p := range res.Proposals {
		if p.Confirm() || p.Why != "" || p.Proposed != 150 {
			t.Errorf("within the limit: %+v", p)
		}
	}
}

// A programme that admits nobody now is opened only with a confirmation.
func TestLimitOf(t *testing.T) {
	for _, c := range []struct {
		cur  int
		want int
	}{{0, 0}, {3, 1}, {78, 15}, {120, 24}} {
		if got := limitOf(c.cur, 0.2); got != c.want {
			t.Errorf("limitOf(%d) = %d, want %d", c.cur, got, c.want)
		}
	}
}

// Targeted contracts are demand: a year's demand is never below the
// graduates employers signed for, and the closure says how much of it they close.
func TestContractsAreDemand(t *testing.T) {
	in := fixture()
	in.Contracted = []Contracted{{Specialty: "15.02.08", GraduationYear: 2027, Count: 25}}
	res, err := Compute(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Totals[0]
	if c.Year != 2027 || !near(c.Demand.Mean, 25) || !near(c.Demand.Lo80, 25) || !near(c.Contracted, 25) || !near(c.Targeted, 25) {
		t.Fatalf("cell %+v", c)
	}
	cl := c.Closure()
	if cl.Need != 25 || cl.Closed != 25 || cl.ByContracts != 25 || cl.ContractShare() != 1 {
		t.Errorf("closure %+v", cl)
	}
	// With demand above the contracts they add nothing.
	in = withDemand(fixture())
	in.Contracted = []Contracted{{Specialty: "15.02.08", GraduationYear: 2027, Count: 5}}
	res, _ = Compute(in, nil)
	if c := res.Totals[0]; c.Contracted != 0 || c.Demand.Mean < 100 || c.Closure().ByContracts != 5 {
		t.Errorf("cell %+v, closure %+v", c, c.Closure())
	}
}
