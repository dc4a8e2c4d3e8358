package imports_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"marshrut/internal/exchange/trudvsem"
	"marshrut/internal/imports"
	"marshrut/internal/store"
)

// Three real-shaped Kamchatka vacancies of the federal service whose
// employers' ИНН fail their check digits: kept, unlinked, flagged.
func TestVacanciesBadINNKept(t *testing.T) {
	data, err := os.ReadFile("testdata/trudvsem_api_bad_inn.json")
	if err != nil {
		t.Fatal(err)
	}
	vacancyStores(t, func(t *testing.T, st *store.Store, im *imports.Importer) {
		rep := importVacancies(t, im, data, "kamchatka.json", "", imports.Options{Region: "41"})
		if got := countsOf(rep); got != (counts{rows: 3, created: 3}) || rep.Flagged != 3 || len(rep.Notes) != 3 {
			t.Fatalf("import: %+v, flagged %d, notes %+v, issues %+v", got, rep.Flagged, rep.Notes, rep.Issues)
		}
		for i, n := range rep.Notes {
			if n.Line != i+1 || n.Column != "employer_inn" || !strings.Contains(n.Reason, "без связи с работодателем") {
				t.Errorf("note %d: %+v", i, n)
			}
		}
		v, err := st.Vacancy(context.Background(), "c0ffee00-0000-11ee-8000-000000000001")
		if err != nil {
			t.Fatal(err)
		}
		if v.EmployerINN != "" || v.EmployerName != "ООО «Океанрыбфлот»" {
			t.Errorf("stored with employer %q, ИНН %q; want the name kept and no ИНН", v.EmployerName, v.EmployerINN)
		}
		again := importVacancies(t, im, data, "kamchatka.json", trudvsem.API, imports.Options{Region: "41"})
		if got := countsOf(again); got != (counts{rows: 3, unchanged: 3}) {
			t.Errorf("again: %+v", got)
		}
	})
}
