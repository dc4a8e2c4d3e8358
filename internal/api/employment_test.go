package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"marshrut/internal/auth"
	"marshrut/internal/learner"
)

// addGraduates gives both colleges graduates with known employment: the
// polytechnic's graduate of 2025 works at the employer for 70 000 ₽ since
// August 2025; the medical college has one of 2024 whose fate is unknown and
// one of 2025 at work since September 2025 without a known salary.
func (e *env) addGraduates(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemScope("41")
	for _, l := range []learner.Learner{
		{RegionCode: "41", LastName: "Орлова", FirstName: "Ольга", Sex: "ж", BirthDate: date(2003, 4, 5), Status: learner.Graduate,
			OrgID: e.f.college2.ID, MunicipalityID: e.f.muni2.ID, SpecialtyCode: "34.02.01", Form: learner.FullTime, GraduationYear: 2024},
		{RegionCode: "41", LastName: "Павлова", FirstName: "Ирина", Sex: "ж", BirthDate: date(2004, 6, 7), Status: learner.Graduate,
			OrgID: e.f.college2.ID, MunicipalityID: e.f.muni1.ID, SpecialtyCode: "34.02.01", Form: learner.FullTime, GraduationYear: 2025},
	} {
		if err := l.Validate(today); err != nil {
			t.Fatalf("%s: %v", l.FullName(), err)
		}
		if err := e.store.Learners.CreateLearner(ctx, sys, &l); err != nil {
			t.Fatal(err)
		}
		if l.GraduationYear == 2025 {
			o := learner.Outcome{LearnerID: l.ID, Status: learner.Employed, EmployerName: hospital, Start: date(2025, 9, 1)}
			if err := e.store.Learners.AddOutcome(ctx, sys, &o); err != nil {
				t.Fatal(err)
			}
		}
	}
	o := learner.Outcome{LearnerID: e.f.graduate.ID, Status: learner.Employed, EmployerID: e.f.empl.ID, Start: date(2025, 8, 1), Salary: 70000}
	if err := e.store.Learners.AddOutcome(ctx, sys, &o); err != nil {
		t.Fatal(err)
	}
}

func TestEmployment(t *testing.T) {
	e := newEnv(t)
	e.addGraduates(t)
	report := func(as, query string) employmentDTO {
		t.Helper()
		res := e.get(t, as, Prefix+"/employment"+query)
		if res.status != http.StatusOK {
			t.Fatalf("%s %s: %d %s", as, query, res.status, res.body)
		}
		return decodeJSON[employmentDTO](t, res)
	}
	kpt, kmk := itoa(e.f.college.ID), itoa(e.f.college2.ID)

	// The region sees both colleges. Six months of the graduates of 2026
	// have not passed on 1 November 2026, so the years end with 2025.
	rep := report("minobr", "")
	if rep.By != "org" || len(rep.Years) != 3 || rep.Years[0] != 2023 || rep.Years[2] != 2025 || rep.RatingYear != 2025 {
		t.Fatalf("report %+v", rep)
	}
	if len(rep.Rows) != 3 {
		t.Fatalf("rows %+v", rep.Rows)
	}
	for i, want := range []employmentRowDTO{
		{Key: kmk, Name: e.f.college2.Name, Year: 2024, Graduates: 1, Unknown6m: 1, Unknown12m: 1},
		{Key: kmk, Name: e.f.college2.Name, Year: 2025, Graduates: 1, Employed6m: 1, Share6m: 1, Employed12m: 1, Share12m: 1, Retained: 1, Retention: 1},
		{Key: kpt, Name: e.f.college.Name, Year: 2025, Graduates: 1, Employed6m: 1, Share6m: 1, Employed12m: 1, Share12m: 1, Retained: 1, Retention: 1},
	} {
		if rep.Rows[i] != want {
			t.Errorf("row %d: %+v, want %+v", i, rep.Rows[i], want)
		}
	}
	if len(rep.Total) != 3 {
		t.Fatalf("totals %+v", rep.Total)
	}
	if tot := rep.Total[2]; tot.Key != "" || tot.Name != "Всего" || tot.Year != 2025 || tot.Graduates != 2 || tot.Employed6m != 2 || tot.Share6m != 1 {
		t.Errorf("total of 2025: %+v", tot)
	}
	if tot := rep.Total[1]; tot.Year != 2024 || tot.Graduates != 1 || tot.Share6m != 0 || tot.Unknown6m != 1 {
		t.Errorf("total of 2024: %+v", tot)
	}
	if tot := rep.Total[0]; tot.Year != 2023 || tot.Graduates != 0 {
		t.Errorf("total of 2023: %+v", tot)
	}
	// The rating: both worked in 2026; only the polytechnic's salary is known.
	if len(rep.Rating) != 2 {
		t.Fatalf("rating %+v", rep.Rating)
	}
	if r := rep.Rating[0]; r.Key != kmk || r.Graduates != 1 || r.Working != 1 || r.Share != 1 || r.WithSalary != 0 || r.MedianSalary != nil {
		t.Errorf("rating of the medical college %+v", r)
	}
	if r := rep.Rating[1]; r.Key != kpt || r.Name != e.f.college.Name || r.Working != 1 || r.WithSalary != 1 || r.MedianSalary == nil || *r.MedianSalary != 70000 {
		t.Errorf("rating of the polytechnic %+v", r)
	}

	// A college sees its own graduates only.
	own := report("kpt", "")
	if len(own.Rows) != 1 || own.Rows[0].Key != kpt || len(own.Rating) != 1 || own.Rating[0].Key != kpt || own.Total[2].Graduates != 1 {
		t.Errorf("the polytechnic's report %+v", own)
	}
	own = report("kmk", "?by=org")
	if len(own.Rows) != 2 || own.Rows[0].Key != kmk || own.Rows[1].Key != kmk || len(own.Rating) != 1 || own.Rating[0].Key != kmk {
		t.Errorf("the medical college's report %+v", own)
	}
	if body := string(e.get(t, "kmk", Prefix+"/employment").body); strings.Contains(body, e.f.college.Name) || !strings.Contains(body, `"median_salary":null`) {
		t.Errorf("the medical college's report: %s", body)
	}

	// Other cuts; the federal operator gets the region's counts.
	spec := report("federal", "?by=specialty")
	if spec.By != "specialty" || len(spec.Rows) != 3 || spec.Rows[0].Key != "22.02.06" || spec.Rows[1].Key != "34.02.01" {
		t.Errorf("by specialty %+v", spec.Rows)
	}
	if len(spec.Rating) != 2 || spec.Rating[0].Key != "22.02.06" && spec.Rating[1].Key != "22.02.06" {
		t.Errorf("rating by specialty %+v", spec.Rating)
	}
	muni := report("minobr", "?by=municipality")
	if muni.By != "municipality" || len(muni.Rows) != 3 {
		t.Errorf("by municipality %+v", muni.Rows)
	}
	for _, r := range muni.Rows {
		if (r.Key != itoa(e.f.muni1.ID) || r.Name != e.f.muni1.Name) && (r.Key != itoa(e.f.muni2.ID) || r.Name != e.f.muni2.Name) {
			t.Errorf("municipality row %+v", r)
		}
	}

	if res := e.get(t, "minobr", Prefix+"/employment?by=school"); res.status != http.StatusBadRequest || res.err().Field != "by" {
		t.Errorf("unknown cut: %d %s", res.status, res.body)
	}
}
