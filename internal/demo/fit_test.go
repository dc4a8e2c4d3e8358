package demo

import (
	"slices"
	"testing"

	"marshrut/internal/org"
)

// Every course an employer orders names the branches that order it, and
// only employers of those branches are its customers.
func TestCatalogueFitsBranches(t *testing.T) {
	for _, c := range catalogue {
		if c.b2b && len(c.okved) == 0 {
			t.Errorf("«%s» is ordered by employers but names no branch", c.name)
		}
		for _, code := range c.okved {
			if _, ok := sectorOf(code); !ok {
				t.Errorf("«%s»: branch %s has no employers in the demo", c.name, code)
			}
		}
	}
	firms := []org.Organisation{{Name: "Аптека", OKVED: "47.73"}, {Name: "Стройка", OKVED: "41.20"}}
	if got := fitting(firms, []string{"41.20"}); len(got) != 1 || got[0].Name != "Стройка" {
		t.Errorf("bricklayers ordered by %v", got)
	}
	if got := fitting(firms, nil); len(got) != 2 {
		t.Errorf("a trade of any branch found %d employers", len(got))
	}
}

// A programme has the courses of its standard: an СПО programme is a year
// shorter after the 11th grade.
func TestProgrammeCourses(t *testing.T) {
	med := programme{code: "31.02.01", months: 46}
	if c9, c11 := med.courses(false, true), med.courses(false, false); c9 != 4 || c11 != 3 {
		t.Errorf("«Лечебное дело»: %d courses after the 9th grade, %d after the 11th; want 4 and 3", c9, c11)
	}
	trade := programme{code: "43.01.09", months: 34}
	if c := trade.courses(false, true); c != 3 {
		t.Errorf("«Повар, кондитер» after the 9th grade: %d courses, want 3", c)
	}
	if c := (programme{code: "26.05.05", months: 66}).courses(true, false); c != 6 {
		t.Errorf("«Судовождение» (5 лет 6 мес.): %d courses, want 6", c)
	}
	for _, o := range slices.Concat(colleges, universities) {
		for _, p := range o.programmes {
			if p.months < 10 || p.months > 72 {
				t.Errorf("%s: %s lasts %d months", o.name, p.code, p.months)
			}
		}
	}
}
