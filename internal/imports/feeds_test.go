package imports_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/exchange"
	"marshrut/internal/exchange/trudvsem"
	"marshrut/internal/imports"
	"marshrut/internal/learner"
	"marshrut/internal/org"
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
		v, err := st.Vacancies.Vacancy(context.Background(), "c0ffee00-0000-11ee-8000-000000000001")
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
	list, _, err := f.st.Learners.Learners(context.Background(), auth.SystemScope("41"), learner.Filter{Limit: 10})
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

// feedFixtures runs fn on the fixture of newFixture over SQLite and, when
// MARSHRUT_TEST_POSTGRES_DSN is set, over PostgreSQL.
func feedFixtures(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newFixture(t)) })
	dsn := os.Getenv("MARSHRUT_TEST_POSTGRES_DSN")
	if dsn == "" {
		return
	}
	t.Run("postgres", func(t *testing.T) {
		ctx := context.Background()
		st := openVacancyStore(t, vacancySchema(t, dsn))
		f := &fixture{st: st, im: vacancyImporter(st)}
		munis := []classifier.Municipality{{RegionCode: "41", Name: "Петропавловск-Камчатский городской округ", Kind: "городской округ"},
			{RegionCode: "41", Name: "Елизовский муниципальный район", Kind: "муниципальный район"}}
		for i := range munis {
			if err := st.CreateMunicipality(ctx, &munis[i]); err != nil {
				t.Fatal(err)
			}
		}
		f.college = org.Organisation{RegionCode: "41", Kind: org.College, Name: "КГПОБУ «Камчатский политехнический техникум»",
			ShortName: "Камчатский политехнический техникум", INN: "4101000011", MunicipalityID: munis[0].ID}
		f.college2 = org.Organisation{RegionCode: "41", Kind: org.College, Name: "Камчатский медицинский колледж", MunicipalityID: munis[1].ID}
		for _, o := range []*org.Organisation{&f.college, &f.college2} {
			if err := st.Orgs.CreateOrganisation(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		fn(t, f)
	})
}

// runKind imports data as a table of the named kind.
func (f *fixture) runKind(t *testing.T, kind string, data []byte, opt imports.Options) imports.Report {
	t.Helper()
	tab, err := exchange.Open(bytes.NewReader(data), kind+".csv", exchange.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	k := imports.Kinds[kind]
	m, _ := exchange.Recognise(tab.Header(), k.Fields)
	opt.Region, opt.Now = "41", today
	rep, err := k.Run(context.Background(), f.im, tab, m, opt)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// cohort loads two graduates of 2025 and a student of the college.
func (f *fixture) cohort(t *testing.T) map[string]learner.Learner {
	t.Helper()
	roster := "Фамилия;Имя;Отчество;Дата рождения;СНИЛС;Код специальности;Статус;Год выпуска;Курс\n" +
		"Ким;Алина;;01.11.2005;141-000-101 52;15.02.08;выпускник;2025;\n" +
		"Орлова;Мария;Ивановна;02.01.2006;141-000-102 53;15.02.08;выпускник;2025;\n" +
		"Лавров;Денис;Олегович;03.03.2007;141-000-103 54;15.02.08;студент;2027;3\n"
	if rep := f.run(t, []byte(roster), imports.Options{OrgID: f.college.ID}); rep.Created != 3 {
		t.Fatalf("roster: %+v", rep)
	}
	list, _, err := f.st.Learners.Learners(context.Background(), auth.SystemScope("41"), learner.Filter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]learner.Learner{}
	for _, l := range list {
		out[l.LastName] = l
	}
	return out
}

// The fund's periods of work outrank the college's entry by the one rule:
// the graduate the college reports as not employed works six months on.
func TestSFRAnswer(t *testing.T) {
	feedFixtures(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		people := f.cohort(t)
		college := "СНИЛС;Статус занятости;Дата начала\n141-000-101 52;не трудоустроен;01.07.2025\n"
		if rep := f.runKind(t, "outcomes", []byte(college), imports.Options{OrgID: f.college.ID}); rep.Created != 1 {
			t.Fatalf("college's entry: %+v", rep)
		}
		if l, _ := f.st.Learners.Learner(ctx, auth.SystemScope("41"), people["Ким"].ID); l.After6 != learner.NotEmployed {
			t.Fatalf("before the fund's answer: six months on %q", l.After6)
		}
		answer := "СНИЛС;ИНН страхователя;Наименование страхователя;Дата начала периода работы;Дата окончания периода работы\n" +
			"141-000-101 52;7707083893;ПАО Сбербанк;01.09.2025;\n" +
			"141-000-102 53;4101011783;ООО «Океанрыбфлот»;15.08.2025;31.10.2025\n" +
			"141-000-102 53;7707083893;ПАО Сбербанк;01.11.2025;\n" +
			"141-000-105 56;7707083893;ПАО Сбербанк;01.11.2025;\n" +
			"999-999-999 99;7707083893;ПАО Сбербанк;01.11.2025;\n" +
			"141-000-103 54;7707083893;ПАО Сбербанк;01.12.2025;01.11.2025\n" +
			"141-000-101 52;7707083893;ПАО Сбербанк;01.09.2025;\n"
		dry := f.runKind(t, "sfr", []byte(answer), imports.Options{DryRun: true})
		rep := f.runKind(t, "sfr", []byte(answer), imports.Options{})
		if rep.Rows != 7 || rep.Created != 3 || rep.Rejected != 4 || rep.Flagged != 1 || dry.Created != rep.Created || dry.Rejected != rep.Rejected {
			t.Fatalf("answer: %+v\ndry run: %+v", rep, dry)
		}
		want := map[int]string{5: "не найден в регионе", 6: "СНИЛС", 7: "раньше даты начала", 8: "повторяет строку 2"}
		for _, is := range rep.Issues {
			if w, ok := want[is.Line]; ok && strings.Contains(is.Column+" "+is.Reason, w) {
				delete(want, is.Line)
			}
		}
		if len(want) > 0 {
			t.Errorf("issues %+v; missing %v", rep.Issues, want)
		}
		if rep.Notes[0].Line != 3 || !strings.Contains(rep.Notes[0].Reason, "без ИНН") {
			t.Errorf("note %+v", rep.Notes)
		}
		kim, _ := f.st.Learners.Learner(ctx, auth.SystemScope("41"), people["Ким"].ID)
		if kim.After6 != learner.Employed || kim.Current != learner.Employed {
			t.Errorf("after the fund's answer: six months on %q, now %q; want employed", kim.After6, kim.Current)
		}
		hist, err := f.st.Learners.Outcomes(ctx, auth.SystemScope("41"), people["Ким"].ID)
		if err != nil {
			t.Fatal(err)
		}
		sfr := 0
		for _, o := range hist {
			if o.Source == learner.SourceSFR {
				sfr++
				if o.EmployerINN != "7707083893" || o.Status != learner.Employed {
					t.Errorf("the fund's entry %+v", o)
				}
			}
		}
		if sfr != 1 || len(hist) != 2 {
			t.Errorf("history %+v", hist)
		}
		again := f.runKind(t, "sfr", []byte(answer), imports.Options{})
		if again.Created != 0 || again.Updated != 0 || again.Unchanged != 3 {
			t.Errorf("again: %+v", again)
		}
		// The end of a period, reported later, closes the stored one.
		closed := "СНИЛС;ИНН страхователя;Наименование страхователя;Дата начала периода работы;Дата окончания периода работы\n" +
			"141-000-101 52;7707083893;ПАО Сбербанк;01.09.2025;30.04.2026\n"
		if rep := f.runKind(t, "sfr", []byte(closed), imports.Options{}); rep.Updated != 1 || rep.Created != 0 {
			t.Errorf("closing a period: %+v", rep)
		}
	})
}

// ФИС ФРДО: the registry's file makes the students it names graduates.
func TestFRDO(t *testing.T) {
	feedFixtures(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		people := f.cohort(t)
		file := "Название документа;Вид документа;Серия документа;Номер документа;Дата выдачи;Регистрационный номер;" +
			"Код специальности, направления подготовки;Наименование специальности, направления подготовки;Наименование квалификации;" +
			"Год поступления;Год окончания;Фамилия получателя;Имя получателя;Отчество получателя;Дата рождения получателя;СНИЛС\n" +
			"Диплом о среднем профессиональном образовании;Оригинал;114124;0012345;30.06.2026;123;15.02.08;Технология машиностроения;Техник;2023;2026;Лавров;Денис;Олегович;03.03.2007;141-000-103 54\n" +
			"Диплом о среднем профессиональном образовании;Оригинал;114124;0012346;30.06.2026;124;15.02.08;Технология машиностроения;Техник;2022;2025;Ким;Алина;;01.11.2005;\n" +
			"Диплом о среднем профессиональном образовании;Оригинал;114124;0012347;30.06.2026;125;15.02.08;Технология машиностроения;Техник;2023;2026;Нет;Такого;;01.01.2006;\n" +
			"Диплом о среднем профессиональном образовании;Оригинал;114124;0012345;30.06.2026;126;15.02.08;Технология машиностроения;Техник;2023;2026;Лавров;Денис;Олегович;03.03.2007;\n" +
			"Диплом о среднем профессиональном образовании;Оригинал;114124;0012348;30.06.2026;127;99.99.99;;Техник;2023;2031;Орлова;Мария;Ивановна;02.01.2006;141-000-102 53\n"
		dry := f.runKind(t, "frdo", []byte(file), imports.Options{OrgID: f.college.ID, DryRun: true})
		if l, _ := f.st.Learners.Learner(ctx, auth.SystemScope("41"), people["Лавров"].ID); l.Status != learner.Student {
			t.Fatalf("a dry run changed the student: %+v", l)
		}
		rep := f.runKind(t, "frdo", []byte(file), imports.Options{OrgID: f.college.ID})
		if rep.Rows != 5 || rep.Created != 2 || rep.Rejected != 3 || dry.Created != 2 {
			t.Fatalf("report %+v, dry run %+v", rep, dry)
		}
		want := map[int]string{4: "не найден", 5: "уже указан в строке 2", 6: "Год окончания"}
		for _, is := range rep.Issues {
			if w, ok := want[is.Line]; ok && strings.Contains(is.Column+" "+is.Reason, w) {
				delete(want, is.Line)
			}
		}
		if len(want) > 0 {
			t.Errorf("issues %+v; missing %v", rep.Issues, want)
		}
		l, _ := f.st.Learners.Learner(ctx, auth.SystemScope("41"), people["Лавров"].ID)
		if l.Status != learner.Graduate || l.GraduationYear != 2026 || l.Course != 0 {
			t.Errorf("after the registry's file: %+v", l)
		}
		again := f.runKind(t, "frdo", []byte(file), imports.Options{OrgID: f.college.ID})
		if again.Created != 0 || again.Updated != 0 || again.Unchanged != 2 {
			t.Errorf("again: %+v", again)
		}
	})
}

// A school's list of participants of «Россия — мои горизонты» and «Билет в
// будущее» marks its pupils at events of the school and counts their hours.
func TestGuidanceParticipation(t *testing.T) {
	feedFixtures(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		school := org.Organisation{RegionCode: "41", Kind: org.School, Name: "МБОУ «Средняя школа № 3»", MunicipalityID: f.college.MunicipalityID}
		if err := f.st.Orgs.CreateOrganisation(ctx, &school); err != nil {
			t.Fatal(err)
		}
		pupils := "Фамилия;Имя;Отчество;Дата рождения;СНИЛС;Класс\n" +
			"Ким;Алина;;01.11.2011;141-000-101 52;9\n" +
			"Орлов;Пётр;Иванович;02.01.2012;;8\n"
		if rep := f.run(t, []byte(pupils), imports.Options{OrgID: school.ID}); rep.Created != 1 {
			// Орлов has no СНИЛС and no identifier: the roster cannot load him again.
			t.Logf("roster: %+v", rep)
		}
		pupils2 := "Фамилия;Имя;Отчество;Дата рождения;Идентификатор;Класс\nОрлов;Пётр;Иванович;02.01.2012;Л-8-1;8\n"
		if rep := f.run(t, []byte(pupils2), imports.Options{OrgID: school.ID}); rep.Created != 1 {
			t.Fatalf("roster: %+v", rep)
		}
		file := "ФИО участника;Дата рождения;СНИЛС;Класс;Мероприятие;Дата проведения;Количество часов;Проект\n" +
			"Ким Алина;01.11.2011;141-000-101 52;9;Россия индустриальная: атомная промышленность;18.09.2025;1;Россия — мои горизонты\n" +
			"Орлов Пётр Иванович;02.01.2012;;8;Россия индустриальная: атомная промышленность;18.09.2025;1;Россия — мои горизонты\n" +
			"Ким Алина;01.11.2011;141-000-101 52;9;Профессиональная проба «Повар»;10.10.2025;4;Билет в будущее\n" +
			"Нет Такого;01.01.2011;;9;Профессиональная проба «Повар»;10.10.2025;4;Билет в будущее\n" +
			"Ким Алина;01.11.2011;141-000-101 52;7;Ярмарка профессий;10.11.2025;2;\n" +
			"Ким Алина;01.11.2011;141-000-101 52;9;Ярмарка профессий;10.11.2030;2;\n"
		tab := func() imports.Report {
			return f.runKind(t, "guidance", []byte(file), imports.Options{OrgID: school.ID})
		}
		dry := f.runKind(t, "guidance", []byte(file), imports.Options{OrgID: school.ID, DryRun: true})
		rep := tab()
		if rep.Rows != 6 || rep.Created != 3 || rep.Rejected != 3 || dry.Created != 3 {
			t.Fatalf("report %+v, dry run %+v", rep, dry)
		}
		want := map[int]string{5: "не найден", 6: "класс 7 не совпадает", 7: "ещё не наступила"}
		for _, is := range rep.Issues {
			if w, ok := want[is.Line]; ok && strings.Contains(is.Reason, w) {
				delete(want, is.Line)
			}
		}
		if len(want) > 0 {
			t.Errorf("issues %+v; missing %v", rep.Issues, want)
		}
		again := tab()
		if again.Created != 0 || again.Unchanged != 3 {
			t.Errorf("again: %+v", again)
		}
		list, _, err := f.st.Learners.Learners(ctx, auth.SystemScope("41"), learner.Filter{Query: "ким", Limit: 1})
		if err != nil || len(list) != 1 {
			t.Fatal(err)
		}
		events, err := f.st.Guidance.LearnerEvents(ctx, auth.SystemScope("41"), list[0].ID)
		if err != nil || len(events) != 2 {
			t.Fatalf("Ким's events %+v, %v", events, err)
		}
		for _, e := range events {
			if e.OrganiserID != school.ID || (e.Hours == 4) != e.Ticket {
				t.Errorf("event %+v", e)
			}
		}
	})
}
