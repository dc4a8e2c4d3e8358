package imports_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"marshrut/internal/auth"
	"marshrut/internal/exchange/trudvsem"
	"marshrut/internal/imports"
	"marshrut/internal/learner"
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

// A roster without a sex column: «Ким Алина» has no patronymic, and loads
// with sex unknown; names of any language are names; a sex given but not
// understood is still refused.
func TestLearnersSexOptional(t *testing.T) {
	f := newFixture(t)
	csv := "Фамилия;Имя;Отчество;Дата рождения;СНИЛС;Код специальности;Курс\n" +
		"Ким;Алина;;01.11.2005;141-000-101 52;15.02.08;3\n" +
		"Орлова;Мария;Ивановна;02.01.2008;141-000-102 53;15.02.08;2\n" +
		"O'Connor;Siobhán;;03.03.2007;141-000-103 54;15.02.08;2\n" +
		"Сен-Жюст;Мари-Од Ж.;;04.04.2007;141-000-104 55;15.02.08;2\n"
	rep := f.run(t, []byte(csv), imports.Options{OrgID: f.college.ID})
	if rep.Created != 4 || rep.Rejected != 0 {
		t.Fatalf("report %+v", rep)
	}
	sex := map[string]string{}
	list, _, err := f.st.Learners(context.Background(), auth.SystemScope("41"), learner.Filter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range list {
		sex[l.LastName] = l.Sex
	}
	if s, ok := sex["Ким"]; !ok || s != "" || sex["Орлова"] != "ж" {
		t.Errorf("sexes %q", sex)
	}
	bad := "Фамилия;Имя;Пол;Дата рождения;СНИЛС;Код специальности;Курс\nКим;Алина;неизвестно;01.11.2005;141-000-105 56;15.02.08;3\n"
	rep = f.run(t, []byte(bad), imports.Options{OrgID: f.college.ID})
	if rep.Rejected != 1 || len(rep.Issues) == 0 || rep.Issues[0].Column != "Пол" || !strings.Contains(rep.Issues[0].Reason, "не распознан") {
		t.Errorf("a sex not understood: %+v", rep)
	}
}
