package measures

import (
	"math"
	"testing"
	"time"
)

func d(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }

func TestEmployedWithin(t *testing.T) {
	done := d(2026, 3, 31)
	tests := []struct {
		name  string
		jobs  []Span
		ok    bool
		first time.Time
	}{
		{"no jobs", nil, false, time.Time{}},
		{"job a month later", []Span{{Start: d(2026, 5, 1)}}, true, d(2026, 5, 1)},
		// 31 March + 3 months is 1 July (Go normalises 31 June).
		{"on the last day of the window", []Span{{Start: d(2026, 7, 1)}}, true, d(2026, 7, 1)},
		{"a day too late", []Span{{Start: d(2026, 7, 2)}}, false, time.Time{}},
		{"working since before and still", []Span{{Start: d(2025, 1, 10)}}, true, d(2025, 1, 10)},
		{"a job that ended before completion", []Span{{Start: d(2025, 1, 10), End: d(2026, 2, 1)}}, false, time.Time{}},
		{"the earliest of two", []Span{{Start: d(2026, 6, 1)}, {Start: d(2026, 4, 15)}}, true, d(2026, 4, 15)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			first, ok := EmployedWithin(done, tc.jobs)
			if ok != tc.ok || !first.Equal(tc.first) {
				t.Errorf("EmployedWithin = %v, %v; want %v, %v", first, ok, tc.first, tc.ok)
			}
		})
	}
	if _, ok := EmployedWithin(time.Time{}, []Span{{Start: d(2026, 1, 1)}}); ok {
		t.Error("not completed yet counts as employed")
	}
}

// fixture: two programmes of two providers; ten enrolments of known fates.
func fixture() []Fact {
	welder := Fact{ProgrammeID: 1, Programme: "Сварщик", ProviderID: 10, Provider: "Политехнический техникум", Price: 40000}
	cook := Fact{ProgrammeID: 2, Programme: "Повар", Provider: "АНО «Учебный центр»", Price: 25000}
	with := func(f Fact, c Category, s Status, done time.Time, jobs ...Span) Fact {
		f.Category, f.Status, f.Completed, f.Jobs = c, s, done, jobs
		return f
	}
	return []Fact{
		with(welder, Youth, Completed, d(2026, 3, 1), Span{Start: d(2026, 4, 1)}),                             // employed
		with(welder, Youth, Completed, d(2026, 3, 1), Span{Start: d(2026, 9, 1)}),                             // too late: not employed
		with(welder, Unemployed, Completed, d(2026, 3, 1)),                                                    // not employed
		with(welder, Unemployed, Dropped, time.Time{}),                                                        // dropped
		with(welder, SVO, Enrolled, time.Time{}),                                                              // studying
		with(cook, Youth, Completed, d(2026, 10, 20)),                                                         // waiting: three months not over
		with(cook, Youth, Completed, d(2026, 10, 20), Span{Start: d(2026, 11, 2)}),                            // employed early
		with(cook, ParentalLeave, Completed, d(2026, 2, 1), Span{Start: d(2025, 1, 1)}),                       // at work all along
		with(cook, ParentalLeave, Dropped, time.Time{}),                                                       // dropped
		with(cook, PreRetirement, Completed, d(2026, 2, 1), Span{Start: d(2020, 1, 1), End: d(2025, 12, 31)}), // lost the job before
	}
}

func TestTally(t *testing.T) {
	now := d(2026, 11, 24)
	f := Tally(fixture(), now)
	want := Row{Key: "total", Name: "Всего", Enrolled: 10, Studying: 1, Completed: 7, Dropped: 2, Employed: 3, Waiting: 1,
		Cost: 5*40000 + 5*25000}
	if f.Total != want {
		t.Fatalf("total = %+v\nwant    %+v", f.Total, want)
	}
	if got := f.Total.CompletionShare(); math.Abs(got-7.0/9) > 1e-12 {
		t.Errorf("completion share = %v, want 7/9", got)
	}
	// Of 7 completed, 1 still waits: 3 of 6 known are at work.
	if got := f.Total.EmploymentShare(); got != 0.5 {
		t.Errorf("employment share = %v, want 0.5", got)
	}
	if c, ok := f.Total.CostPerEmployed(); !ok || c != float64(325000)/3 {
		t.Errorf("cost per employed = %v, %v; want 325000/3", c, ok)
	}
	if len(f.ByProgramme) != 2 || len(f.ByProvider) != 2 {
		t.Fatalf("rows: %d programmes, %d providers", len(f.ByProgramme), len(f.ByProvider))
	}
	// Equal enrolments: by name, «Повар» before «Сварщик».
	cook, welder := f.ByProgramme[0], f.ByProgramme[1]
	if cook.Name != "Повар" || welder.Name != "Сварщик" {
		t.Fatalf("order: %s, %s", cook.Name, welder.Name)
	}
	if welder.Employed != 1 || welder.Completed != 3 || welder.Dropped != 1 || welder.Studying != 1 || welder.Cost != 200000 {
		t.Errorf("welder = %+v", welder)
	}
	if c, _ := welder.CostPerEmployed(); c != 200000 {
		t.Errorf("welder's cost per employed = %v, want 200 000", c)
	}
	if cook.Employed != 2 || cook.Waiting != 1 || cook.Known() != 3 {
		t.Errorf("cook = %+v", cook)
	}
	if f.ByProvider[0].Key != "name:АНО «Учебный центр»" || f.ByProvider[1].Key != "org:10" {
		t.Errorf("provider keys: %s, %s", f.ByProvider[0].Key, f.ByProvider[1].Key)
	}
	if len(f.ByCategory) != len(Categories) {
		t.Fatalf("%d category rows, want every category", len(f.ByCategory))
	}
	byCat := map[string]Row{}
	for _, r := range f.ByCategory {
		byCat[r.Key] = r
	}
	if y := byCat["youth"]; y.Enrolled != 4 || y.Employed != 2 || y.Waiting != 1 {
		t.Errorf("youth = %+v", y)
	}
	if r := byCat["dismissal_risk"]; r.Enrolled != 0 || r.EmploymentShare() != 0 {
		t.Errorf("an empty category = %+v", r)
	}
	if _, ok := byCat["dismissal_risk"].CostPerEmployed(); ok {
		t.Error("cost per employed of nobody employed")
	}
	h := HeadlineOf(f.Total)
	if h.Enrolled != 10 || h.Completed != 7 || h.Employed != 3 || h.EmploymentShare != 0.5 {
		t.Errorf("headline = %+v", h)
	}
}

func TestTallyEmpty(t *testing.T) {
	f := Tally(nil, d(2026, 1, 1))
	if f.Total.Enrolled != 0 || f.ByProgramme == nil && len(f.ByProgramme) != 0 || len(f.ByCategory) != len(Categories) {
		t.Errorf("empty figures: %+v", f)
	}
	if f.Total.CompletionShare() != 0 || f.Total.EmploymentShare() != 0 {
		t.Error("shares of nothing are not 0")
	}
}
