package vacancy

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// oksoCodes reads every code of the classifier's ОКСО files, the ones the
// crosswalk may name.
func oksoCodes(t *testing.T) map[string]bool {
	t.Helper()
	codes := map[string]bool{}
	for _, name := range []string{"okso_spo.csv", "okso_spo_extra.csv", "okso_vo.csv"} {
		f, err := os.Open(filepath.Join("..", "classifier", "data", name))
		if os.IsNotExist(err) && name == "okso_spo_extra.csv" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range rows[1:] {
			codes[strings.TrimSpace(r[0])] = true
			if len(r) > 3 && r[3] != "" {
				codes[strings.TrimSpace(r[3])] = true // group_code of a specialty
			}
		}
	}
	return codes
}

func TestCrosswalkCodesExist(t *testing.T) {
	cw, err := LoadCrosswalk()
	if err != nil {
		t.Fatal(err)
	}
	codes := oksoCodes(t)
	groups := 0
	for _, s := range cw.Spheres {
		for _, g := range s.Groups {
			groups++
			if !codes[g.GroupCode] {
				t.Errorf("sphere %s «%s»: group %s is in no ОКСО file of the classifier", s.Code, s.Name, g.GroupCode)
			}
		}
		if len(s.Groups) == 0 && s.Code != "NotQualification" {
			t.Errorf("sphere %s «%s» has no group", s.Code, s.Name)
		}
	}
	for _, o := range cw.Occupations {
		if !codes[o.Code] {
			t.Errorf("occupation «%s»: code %s is in no ОКСО file of the classifier", o.Name, o.Code)
		}
	}
	if len(cw.Spheres) != 34 || groups < 60 || len(cw.Occupations) < 80 {
		t.Errorf("%d spheres with %d groups, %d occupations: a table was cut short", len(cw.Spheres), groups, len(cw.Occupations))
	}
	t.Logf("crosswalk: %d spheres → %d sphere–УГС pairs; %d occupations", len(cw.Spheres), groups, len(cw.Occupations))
}

func TestSphere(t *testing.T) {
	cw, err := LoadCrosswalk()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"Транспорт, автобизнес, логистика, склад, ВЭД", "Transport"},
		{"Транспорт, автобизнес, логистика", "Transport"}, // alias
		{"транспорт,  автобизнес", "Transport"},           // alias, other case and spacing
		{"Transport", "Transport"}, // dataset code
		{"industry", "Industry"},
		{"Производство", "Industry"}, // the name in the open-data sample
		{"Здравоохранение и социальное обеспечение", "Medicine"},
		{"Образование, наука", "Education"},
		{"Информационные технологии, телекоммуникации, связь", "InformationTechnology"},
		{"Строительство, ремонт, стройматериалы, недвижимость", "BuldindRealty"},
		{"Рабочие специальности, производство", "WorkingSpecialties"},
		{"Сельское хозяйство, экология, ветеринария", "Agricultural"},
		{"Пищевая промышленность", "Food"},
		{"Торговля", "Sales"},
		{"Государственная служба, некоммерческие организации", "StateServices"},
		{"Гостиницы, рестораны, общепит, кейтеринг", "Restaurants"},
		{"Безопасность, службы охраны", "Safety"},
		{"Добывающая промышленность", "Resources"},
		{"ЖКХ, эксплуатация", "Communal"},
		{"Склад, логистика", "Transport"}, // parts of one sphere's name, in any order
		{"Металлургия", "Metallurgy"},
		{"Промышленность", ""}, // part of several
		{"Космос", ""},
		{"", ""},
	}
	for _, tt := range tests {
		s, ok := cw.Sphere(tt.in)
		if ok != (tt.want != "") || s.Code != tt.want {
			t.Errorf("Sphere(%q) = %q, %v; want %q", tt.in, s.Code, ok, tt.want)
		}
	}
}
