package mentor

import "testing"

func TestCompute(t *testing.T) {
	c := Counts{
		ByOrg: []Coverage{
			{Key: "2", Name: "Политехнический техникум", FullTime: 200, Mentored: 130, AtEnterprise: 60},
			{Key: "1", Name: "Медицинский колледж", FullTime: 100, Mentored: 50, AtEnterprise: 0},
		},
		ByMunicipality: []Coverage{{Key: "7", Name: "Елизово", FullTime: 300, Mentored: 180, AtEnterprise: 60}},
		Pairs: []PairCount{
			{Form: EmployerStudent, Status: Active, Pairs: 60, Meetings: 240},
			{Form: EmployerStudent, Status: Early, Pairs: 5, Meetings: 6},
			{Form: EmployerStudent, Status: Completed, Pairs: 15, Meetings: 90},
			{Form: PupilPupil, Status: Active, Pairs: 120, Meetings: 64},
		},
		Mentored: Graduates{Graduates: 40, Employed: 34},
		Rest:     Graduates{Graduates: 60, Employed: 42},
		Year:     2025,
	}
	f := Compute(c)
	if f.Total.FullTime != 300 || f.Total.Mentored != 180 || f.Total.AtEnterprise != 60 {
		t.Fatalf("total %+v", f.Total)
	}
	if f.Total.Share() != 0.6 || f.Total.EnterpriseShare() != 0.2 {
		t.Errorf("coverage %v, at enterprises %v", f.Total.Share(), f.Total.EnterpriseShare())
	}
	if f.ByOrg[0].Name != "Медицинский колледж" || f.ByOrg[1].Share() != 0.65 {
		t.Errorf("by organisation %+v", f.ByOrg)
	}
	if f.Pairs != 200 || f.Active != 180 || f.Ended != 20 || f.Early != 5 || f.EarlyShare != 0.25 || f.Meetings != 400 || f.MeetingsPerPair != 2 {
		t.Errorf("pairs %+v", f)
	}
	// Forms come in the order of Forms: ученик — ученик before работодатель — студент.
	if len(f.ByForm) != 2 || f.ByForm[0].Form != PupilPupil || f.ByForm[1].Pairs() != 80 {
		t.Errorf("by form %+v", f.ByForm)
	}
	if f.Mentored.Share() != 0.85 || f.Rest.Share() != 0.7 {
		t.Errorf("employment %v against %v", f.Mentored.Share(), f.Rest.Share())
	}
	empty := Compute(Counts{})
	if empty.Total.Share() != 0 || empty.MeetingsPerPair != 0 || empty.EarlyShare != 0 || empty.Rest.Share() != 0 {
		t.Errorf("empty figures %+v", empty)
	}
}
