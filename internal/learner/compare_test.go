package learner

import (
	"math"
	"testing"
)

// Mentors given to the strong: the plain comparison shows a large gap, the
// comparison within cells of grades shows none.
func TestCompareHoldsGradesEqual(t *testing.T) {
	strata := []Stratum{
		{Specialty: "15.02.08", OrgID: 1, Band: 4, Treated: true, Graduates: 40, Employed: 36},
		{Specialty: "15.02.08", OrgID: 1, Band: 4, Treated: false, Graduates: 10, Employed: 9},
		{Specialty: "15.02.08", OrgID: 1, Band: 1, Treated: true, Graduates: 10, Employed: 5},
		{Specialty: "15.02.08", OrgID: 1, Band: 1, Treated: false, Graduates: 40, Employed: 20},
		// Mentored graduates with no peers are counted but not compared.
		{Specialty: "43.02.15", OrgID: 2, Band: 3, Treated: true, Graduates: 7, Employed: 7},
		// Peers of no mentored graduate do not enter.
		{Specialty: "34.02.01", OrgID: 3, Band: 2, Treated: false, Graduates: 100, Employed: 10},
	}
	c := Compare(strata)
	if c.Treated != 57 || c.Matched != 50 || c.Peers != 50 || c.Cells != 2 {
		t.Fatalf("counts %+v", c)
	}
	// Plain shares: 41/50 = 82 % against 29/50 = 58 %; within cells both 41/50.
	if math.Abs(c.TreatedShare-0.82) > 1e-9 || math.Abs(c.PeersShare-0.82) > 1e-9 || math.Abs(c.Difference) > 1e-9 {
		t.Errorf("shares %.3f / %.3f, difference %.3f", c.TreatedShare, c.PeersShare, c.Difference)
	}
	if c.Clear() || c.Low >= 0 || c.High <= 0 {
		t.Errorf("interval %.3f..%.3f said clear", c.Low, c.High)
	}
	// A real gap inside the cells is found, with an interval that leaves out zero.
	strata[1].Employed, strata[3].Employed = 5, 8
	c = Compare(strata)
	if !c.Clear() || c.Difference < 0.3 {
		t.Errorf("a real gap: %+v", c)
	}
	if none := Compare(strata[4:5]); none.Matched != 0 || none.Treated != 7 || none.Clear() {
		t.Errorf("no peers: %+v", none)
	}
}

func TestGradeBand(t *testing.T) {
	for v, want := range map[float64]int{0: 0, 3.2: 1, 3.5: 2, 3.99: 2, 4: 3, 4.5: 4, 5: 4} {
		if got := GradeBand(v); got != want {
			t.Errorf("GradeBand(%v) = %d, want %d", v, got, want)
		}
	}
}
