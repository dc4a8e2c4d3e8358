package routing

import (
	"strings"
	"testing"
	"time"

	"marshrut/internal/vacancy"
)

// titled is a place with a title, its limits read from it as the service does.
func titled(title string, edu vacancy.Education, pay int, links ...vacancy.Link) *Place {
	p := place(1, ppk, links...)
	p.Title, p.Education, p.SalaryMin, p.SalaryMax = title, edu, pay, pay
	p.Limits, p.LimitWhat = vacancy.LimitsOf(title)
	return p
}

var mining = vacancy.Link{SpecialtyCode: "21.02.15", GroupCode: "21.00.00", Score: 1, Reason: "горное дело"}

func TestMinorsKeptFromForbiddenWork(t *testing.T) {
	start := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	c := &Candidate{SpecialtyCode: "21.02.15", MunicipalityID: 1, Lat: ppk[0], Lon: ppk[1], Sex: "м",
		BirthDate: time.Date(2008, 9, 1, 0, 0, 0, 0, time.UTC)}
	list := []Candidate{*c}
	MarkMinors(list, start)
	if !list[0].Minor {
		t.Fatal("a graduate born 01.09.2008 is not a minor on 01.07.2026")
	}
	underground := titled("Горнорабочий подземный", vacancy.EduSPO, 90000, mining)
	if _, ok, why := Compatible(&list[0], underground); ok || why != ExcludedMinor {
		t.Errorf("a minor matched to underground work: %v %q", ok, why)
	}
	surveyor := titled("Маркшейдер", vacancy.EduSPO, 80000, mining)
	if _, ok, why := Compatible(&list[0], surveyor); !ok {
		t.Errorf("a minor refused a surveyor's post: %q", why)
	}
	// On the day of the 18th birthday the limit is gone.
	MarkMinors(list, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))
	if _, ok, why := Compatible(&list[0], underground); !ok {
		t.Errorf("an adult refused: %q", why)
	}
	// No birth date: not taken for a minor.
	list[0].BirthDate = time.Time{}
	MarkMinors(list, start)
	if list[0].Minor {
		t.Error("an unknown birth date taken for a minor")
	}
}

func TestWomenKeptFromRestrictedWork(t *testing.T) {
	c := &Candidate{SpecialtyCode: "21.02.15", MunicipalityID: 1, Lat: ppk[0], Lon: ppk[1], Sex: "ж"}
	underground := titled("Горнорабочий очистного забоя (подземные работы)", vacancy.EduSPO, 120000, mining)
	if _, ok, why := Compatible(c, underground); ok || why != ExcludedWomen {
		t.Errorf("a woman matched to underground mining: %v %q", ok, why)
	}
	if _, ok, why := Compatible(c, titled("Маркшейдер", vacancy.EduSPO, 80000, mining)); !ok {
		t.Errorf("a woman refused a surveyor's post: %q", why)
	}
	c.Sex = "м"
	if _, ok, why := Compatible(c, underground); !ok {
		t.Errorf("a man refused underground work: %q", why)
	}
}

// A university's law graduate: a lawyer's post of the graduate's level comes
// before a guard's post that pays more, and a college's graduate never gets
// a post asking for higher education, finished or not.
func TestLevelOfEducation(t *testing.T) {
	law := vacancy.Link{SpecialtyCode: "40.03.01", GroupCode: "40.00.00", Score: 1, Reason: "юриспруденция"}
	lawGroup := vacancy.Link{GroupCode: "40.00.00", Score: 0.7, Reason: "правоохранительная деятельность"}
	c := &Candidate{SpecialtyCode: "40.03.01", University: true, MunicipalityID: 1, Lat: ppk[0], Lon: ppk[1], Sex: "м"}
	guard := titled("Охранник", vacancy.EduNone, 75000, law)
	lawyer := titled("Юрисконсульт", vacancy.EduHigher, 60000, law)
	assistant := titled("Помощник юриста", vacancy.EduSPO, 60000, lawGroup)
	var got []*Pair
	for _, p := range []*Place{guard, assistant, lawyer} {
		pair, ok, why := Compatible(c, p)
		if !ok {
			t.Fatalf("%s: %s", p.Title, why)
		}
		pair.Score(60000)
		got = append(got, &pair)
	}
	if got[2].Graduate.Total <= got[0].Graduate.Total {
		t.Errorf("the lawyer's post %d does not come before the guard's %d", got[2].Graduate.Total, got[0].Graduate.Total)
	}
	if !strings.Contains(got[0].Graduate.Reasons(), "зарплата") || strings.Contains(got[0].Graduate.Reasons(), "по уровню образования") {
		t.Errorf("guard's reasons: %s", got[0].Graduate.Reasons())
	}
	college := &Candidate{SpecialtyCode: "40.02.04", MunicipalityID: 1, Lat: ppk[0], Lon: ppk[1]}
	for _, e := range []vacancy.Education{vacancy.EduHigher, vacancy.EduIncompleteHigher} {
		if _, ok, _ := Compatible(college, titled("Юрист", e, 60000, vacancy.Link{GroupCode: "40.00.00", Score: 1})); ok {
			t.Errorf("a college's graduate matched to a post asking for %s", e)
		}
	}
}

// Recommendations say how many linked vacancies the law keeps from a
// candidate, and why.
func TestRecommendationsSayWhyExcluded(t *testing.T) {
	list := []Place{*titled("Горнорабочий подземный", vacancy.EduSPO, 90000, mining), *titled("Маркшейдер", vacancy.EduSPO, 80000, mining)}
	pc := indexPlaces(list, 60000, nil)
	c := &Candidate{SpecialtyCode: "21.02.15", MunicipalityID: 1, Lat: ppk[0], Lon: ppk[1], Sex: "ж", Relocate: true}
	pairs, why := pairsOf(c, pc, 0, nil)
	if len(pairs) != 1 || pairs[0].Place.Title != "Маркшейдер" || why[ExcludedWomen] != 1 {
		t.Errorf("pairs %d, excluded %v", len(pairs), why)
	}
}
