package measures

import (
	"testing"
	"time"
)

func TestCompare(t *testing.T) {
	d := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	var gs []Graduate
	add := func(n int, g Graduate, employed int) {
		for i := range n {
			g.Employed = i < employed
			gs = append(gs, g)
		}
	}
	base := Graduate{Year: 2024, Specialty: "43.02.15", OrgID: 5, AvgGrade: 3.6}
	enrolled := base
	enrolled.Enrolled = d(2025, 1)
	late := base
	late.Enrolled = d(2025, 9) // after the year: not treated at the time of the outcome
	add(10, enrolled, 6)
	add(20, base, 6)
	add(5, late, 0)
	other := Graduate{Year: 2024, Specialty: "43.02.15", OrgID: 5, AvgGrade: 4.8, Enrolled: d(2024, 12)}
	add(4, other, 4) // no peers in their band
	c := Compare(gs)
	if c.Treated != 14 || c.Matched != 10 || c.Peers != 25 || c.Cells != 1 {
		t.Fatalf("%+v", c)
	}
	// 60 % against 6 of 25 = 24 %.
	if c.TreatedShare != 0.6 || c.PeersShare != 0.24 || !c.Clear() {
		t.Errorf("%+v", c)
	}
}
