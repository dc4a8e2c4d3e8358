package imports_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/exchange"
	"marshrut/internal/imports"
	"marshrut/internal/learner"
	"marshrut/internal/org"
)

// graduates adds to the fixture an employer, a graduate of 2025 of the
// college and a graduate of the second college.
func (f *fixture) graduates(t *testing.T) (empl org.Organisation, own, foreign learner.Learner) {
	t.Helper()
	ctx := context.Background()
	empl = org.Organisation{RegionCode: "41", Kind: org.Employer, Name: "ООО «Камчатрыбпром»", INN: "4101000043", MunicipalityID: f.college.MunicipalityID}
	if err := f.st.Orgs.CreateOrganisation(ctx, &empl); err != nil {
		t.Fatal(err)
	}
	own = learner.Learner{RegionCode: "41", LastName: "Иванов", FirstName: "Иван", MiddleName: "Иванович", Sex: "м",
		BirthDate: time.Date(2005, 4, 3, 0, 0, 0, 0, time.UTC), SNILS: "112-233-445 95", Status: learner.Graduate, OrgID: f.college.ID,
		MunicipalityID: f.college.MunicipalityID, SpecialtyCode: "15.02.08", Form: learner.FullTime, GraduationYear: 2025}
	foreign = learner.Learner{RegionCode: "41", LastName: "Петрова", FirstName: "Анна", MiddleName: "Сергеевна", Sex: "ж",
		BirthDate: time.Date(2005, 12, 11, 0, 0, 0, 0, time.UTC), SNILS: "920-000-003 00", Status: learner.Graduate, OrgID: f.college2.ID,
		MunicipalityID: f.college2.MunicipalityID, SpecialtyCode: "34.02.01", Form: learner.FullTime, GraduationYear: 2025}
	for _, l := range []*learner.Learner{&own, &foreign} {
		if err := l.Validate(today); err != nil {
			t.Fatalf("fixture %s: %v", l.FullName(), err)
		}
		if err := f.st.Learners.CreateLearner(ctx, auth.SystemScope("41"), l); err != nil {
			t.Fatal(err)
		}
	}
	return empl, own, foreign
}

func (f *fixture) runOutcomes(t *testing.T, data []byte, opt imports.Options) imports.Report {
	t.Helper()
	tab, m := table(t, data, "outcomes.csv", exchange.OutcomeFields)
	opt.Region, opt.Now = "41", today
	rep, err := f.im.Outcomes(context.Background(), tab, m, opt)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func (f *fixture) learner(t *testing.T, id int64) (learner.Learner, []learner.Outcome) {
	t.Helper()
	ctx := context.Background()
	l, err := f.st.Learners.Learner(ctx, auth.SystemScope("41"), id)
	if err != nil {
		t.Fatal(err)
	}
	hist, err := f.st.Learners.Outcomes(ctx, auth.SystemScope("41"), id)
	if err != nil {
		t.Fatal(err)
	}
	return l, hist
}

// employment is a college's report on its graduates: the own graduate works
// from August and is called up in November; line 4 is another college's
// graduate, line 5 a status no one knows, line 6 a СНИЛС of no one.
const employment = `СНИЛС;ФИО выпускника;Статус трудоустройства;Дата трудоустройства;Дата увольнения;ИНН работодателя;Место работы;Источник;Примечание
112-233-445 95;Иванов Иван Иванович;Трудоустроен по специальности;01.08.2025;;4101000043;;;
112-233-445 95;Иванов Иван Иванович;Призван в ряды ВС РФ;15.11.2025;;;;;срочная служба
920-000-003 00;Петрова Анна Сергеевна;работает;01.09.2025;;;ИП Сидоров;;
112-233-445 95;Иванов Иван Иванович;в поиске себя;01.03.2026;;;;;
123-456-789 64;Никто;учится;01.09.2025;;;;;
`

func TestOutcomesImport(t *testing.T) {
	f := newFixture(t)
	empl, own, foreign := f.graduates(t)
	data := cp1251(t, employment)
	opt := imports.Options{OrgID: f.college.ID}

	dry := f.runOutcomes(t, data, imports.Options{OrgID: f.college.ID, DryRun: true})
	if _, hist := f.learner(t, own.ID); len(hist) != 0 {
		t.Fatalf("a dry run wrote %d outcomes", len(hist))
	}
	rep := f.runOutcomes(t, data, opt)
	if rep.Rows != 5 || rep.Created != 2 || rep.Rejected != 3 {
		t.Fatalf("report %+v", rep)
	}
	if dry.Created != rep.Created || dry.Rejected != rep.Rejected {
		t.Errorf("dry run %+v differs from the import %+v", dry, rep)
	}
	want := map[int]string{ // line → column and a part of the reason
		4: "СНИЛС: обучающийся с этим СНИЛС не найден в вашей организации",
		5: "Статус трудоустройства: статус занятости «в поиске себя» не распознан",
		6: "СНИЛС: обучающийся с этим СНИЛС не найден в вашей организации",
	}
	var foreignIssue, missingIssue imports.Issue
	for _, is := range rep.Issues {
		got := is.Column + ": " + is.Reason
		if w, ok := want[is.Line]; ok && strings.Contains(got, w) {
			delete(want, is.Line)
		}
		switch is.Line {
		case 4:
			foreignIssue = is
		case 6:
			missingIssue = is
		}
	}
	for line, w := range want {
		t.Errorf("line %d: no issue like %q in %+v", line, w, rep.Issues)
	}
	if foreignIssue.Reason != missingIssue.Reason || foreignIssue.Column != missingIssue.Column {
		t.Errorf("another college's graduate (%+v) is told apart from no one (%+v)", foreignIssue, missingIssue)
	}

	// The milestones follow the history: on 30.12.2025 and 30.06.2026 in the army.
	l, hist := f.learner(t, own.ID)
	if l.Current != learner.Military || l.After6 != learner.Military || l.After12 != learner.Military {
		t.Errorf("milestones %s / %s / %s", l.Current, l.After6, l.After12)
	}
	if len(hist) != 2 || hist[0].Status != learner.Employed || hist[0].EmployerID != empl.ID || hist[0].Source != imports.OutcomeSource ||
		hist[1].Status != learner.Military || hist[1].Note != "срочная служба" || !hist[1].Start.Equal(time.Date(2025, 11, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("history %+v", hist)
	}
	if _, other := f.learner(t, foreign.ID); len(other) != 0 {
		t.Errorf("another college's graduate got %d outcomes", len(other))
	}

	// The same file again changes nothing.
	again := f.runOutcomes(t, data, opt)
	if again.Created != 0 || again.Updated != 0 || again.Unchanged != 2 || again.Rejected != 3 {
		t.Errorf("re-import %+v", again)
	}
	// The job's end date completes the stored entry; with the service starting
	// in January, at six months the graduate is not employed.
	later := strings.Replace(employment, "01.08.2025;;4101000043", "01.08.2025;31.10.2025;4101000043", 1)
	later = strings.Replace(later, "ВС РФ;15.11.2025", "ВС РФ;15.01.2026", 1)
	upd := f.runOutcomes(t, cp1251(t, later), opt)
	if upd.Updated != 1 || upd.Created != 1 || upd.Unchanged != 0 {
		t.Errorf("update %+v", upd)
	}
	l, hist = f.learner(t, own.ID)
	if len(hist) != 3 || !hist[0].End.Equal(time.Date(2025, 10, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("history after the update %+v", hist)
	}
	// Both services stand in the history (a new start date is a new entry),
	// the earlier one still covering 30.12.2025.
	if l.After6 != learner.Military || l.Current != learner.Military {
		t.Errorf("milestones after the update %s / %s / %s", l.Current, l.After6, l.After12)
	}

	// The region loads the other college's graduate too.
	region := f.runOutcomes(t, data, imports.Options{})
	if region.Created != 1 || region.Rejected != 2 || !strings.Contains(region.Issues[len(region.Issues)-1].Reason, "не найден в регионе") {
		t.Errorf("region import %+v", region)
	}
	if l, hist := f.learner(t, foreign.ID); len(hist) != 1 || hist[0].EmployerName != "ИП Сидоров" || l.After6 != learner.Employed {
		t.Errorf("other college's graduate %s: %+v", l.After6, hist)
	}
}

func TestOutcomesImportStatuses(t *testing.T) {
	f := newFixture(t)
	_, own, _ := f.graduates(t)
	csv := "СНИЛС,Статус,Дата начала,Дата окончания,ИНН организации,Наименование организации\n" +
		"11223344595,самозанятый,01.07.2025,,,\n" +
		"11223344595,продолжает обучение,02.07.2025,,,КамГУ им. Витуса Беринга\n" +
		"11223344595,отпуск по уходу за ребенком,03.07.2025,,,\n" +
		"11223344595,состоит на учёте в ЦЗН,04.07.2025,,,\n" +
		"11223344595,не трудоустроен,05.07.2025,,,\n" +
		"11223344595,нет сведений,06.07.2025,,,\n" +
		"11223344595,ИП,07.07.2025,,,\n" +
		"11223344595,трудоустроен,08.07.2025,,4101000050,\n" + // an ИНН of no employer and no name
		"11223344595,трудоустроен,09.07.2025,01.07.2025,,ООО «Ромашка»\n" + // ends before it starts
		"11223344595,трудоустроен,01.01.2027,,,ООО «Ромашка»\n" + // not yet
		"11223344595,самозанятый,01.07.2025,,,\n" // repeats line 2
	rep := f.runOutcomes(t, []byte(csv), imports.Options{})
	if rep.Created != 7 || rep.Rejected != 4 {
		t.Fatalf("report %+v", rep)
	}
	want := map[int]string{
		9:  "Наименование организации: работодатель с ИНН 4101000050 не найден в реестре региона",
		10: "Дата окончания: дата окончания 01.07.2025 раньше даты начала 09.07.2025",
		11: "Дата начала: дата начала 01.01.2027 ещё не наступила",
		12: ": повторяет строку 2",
	}
	for _, is := range rep.Issues {
		if w, ok := want[is.Line]; ok && strings.Contains(is.Column+": "+is.Reason, w) {
			delete(want, is.Line)
		}
	}
	for line, w := range want {
		t.Errorf("line %d: no issue like %q in %+v", line, w, rep.Issues)
	}
	_, hist := f.learner(t, own.ID)
	var got []learner.OutcomeStatus
	for _, o := range hist {
		got = append(got, o.Status)
	}
	wantStatuses := []learner.OutcomeStatus{learner.SelfEmployed, learner.Studying, learner.Parental, learner.Unemployed,
		learner.NotEmployed, learner.Unknown, learner.SelfEmployed}
	if len(got) != len(wantStatuses) {
		t.Fatalf("statuses %v, want %v", got, wantStatuses)
	}
	for i := range got {
		if got[i] != wantStatuses[i] {
			t.Errorf("entry %d: %s, want %s", i, got[i], wantStatuses[i])
		}
	}
	if hist[1].EmployerName != "КамГУ им. Витуса Беринга" {
		t.Errorf("place of study %q", hist[1].EmployerName)
	}
}
