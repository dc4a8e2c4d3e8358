package classifier

import (
	"strings"
	"testing"
)

func TestLoadBuiltin(t *testing.T) {
	b, err := LoadBuiltin()
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Regions) != 90 {
		t.Errorf("%d regions, want 89 subjects and Байконур", len(b.Regions))
	}
	federal := 0
	for _, r := range b.Regions {
		if r.Federal {
			federal++
		}
		if r.Code == "14" && r.Name != "Саха (Якутия) республика" {
			t.Errorf("Якутия shown as %q", r.Name)
		}
	}
	if federal != 89 {
		t.Errorf("%d federal subjects", federal)
	}
	levels := map[string]int{}
	for _, s := range b.Specialties {
		levels[s.Level]++
		if s.GroupCode == "" || s.Name == "" {
			t.Errorf("specialty %s lacks its group or name", s.Code)
		}
	}
	if levels[LevelSpecialty] < 260 || levels[LevelBachelor] < 180 || levels[LevelMaster] < 180 || levels[LevelSpecialist] < 90 || levels[LevelProfession] < 2 {
		t.Errorf("specialties by level: %v", levels)
	}
	if len(b.Activities) != 2899 {
		t.Errorf("%d ОКВЭД2 lines, want 2899", len(b.Activities))
	}
}

func TestCodes(t *testing.T) {
	for code, want := range map[string]string{"15.02.08": LevelSpecialty, "43.01.09": LevelProfession, "09.03.01": LevelBachelor,
		"09.04.01": LevelMaster, "31.05.01": LevelSpecialist, "09.06.01": "", "150208": ""} {
		if got := LevelOfCode(code); got != want {
			t.Errorf("LevelOfCode(%s) = %q, want %q", code, got, want)
		}
	}
	if err := CheckSpecialtyCode("specialty_code", "15.2.8"); err == nil || !strings.Contains(err.Error(), "00.00.00") {
		t.Errorf("bad shape: %v", err)
	}
	if err := CheckSpecialtyCode("specialty_code", "09.06.01"); err == nil || !strings.Contains(err.Error(), "не является кодом") {
		t.Errorf("aspirantura code: %v", err)
	}
	if r, err := RegionFromKladr("4100000000000"); err != nil || r != "41" {
		t.Errorf("RegionFromKladr = %q, %v", r, err)
	}
	if _, err := RegionFromKladr("41"); err == nil {
		t.Error("a two-digit code passed as a 13-digit one")
	}
	if err := CheckOKVED("okved", "62.01"); err != nil {
		t.Error(err)
	}
	if err := CheckOKVED("okved", "62-01"); err == nil {
		t.Error("62-01 passed")
	}
}
