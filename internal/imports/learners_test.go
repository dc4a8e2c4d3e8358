package imports_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/exchange"
	"marshrut/internal/imports"
	"marshrut/internal/learner"
	"marshrut/internal/org"
	"marshrut/internal/store"
)

var today = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

type fixture struct {
	st       *store.Store
	im       *imports.Importer
	college  org.Organisation
	college2 org.Organisation
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "imp.db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b, _ := classifier.LoadBuiltin()
	if err := st.SeedClassifiers(ctx, b); err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st}
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
	f.im = imports.New(st.Reference, func(ctx context.Context, fn func(imports.Loader) error) error {
		return st.Load(ctx, func(l *store.Loader) error { return fn(l) })
	})
	return f
}

// cp1251 encodes a CSV the way Excel on Windows saves it.
func cp1251(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(strings.ReplaceAll(s, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const roster = `Список группы;;;;;;
№ п/п;Ф.И.О.;Дата рожд.;СНИЛС обучающегося;Код специальности;Курс;Форма обуч.
1;Иванов Иван Иванович;03.04.2008;112-233-445 95;15.02.08 Технология машиностроения;2;очная
2;Петрова Анна Сергеевна;11.12.2007;920-000-003 00;22.02.06;3;очная
3;Сидоров Пётр Олегович;1.2.2008;123-456-789 00;15.02.08;2;очная
4;Смирнова Ольга Игоревна;05.05.2008;999-999-999 01;99.02.99;1;очная
5;Кузнецов Илья Петрович;31.02.2008;;15.02.08;1;очная
6;Иванов Иван Иванович;03.04.2008;11223344595;15.02.08;2;очная
`

func (f *fixture) run(t *testing.T, data []byte, opt imports.Options) imports.Report {
	t.Helper()
	tab, err := exchange.Open(bytes.NewReader(data), "roster.csv", exchange.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	m, unknown := exchange.Recognise(tab.Header(), exchange.LearnerFields)
	if len(unknown) > 1 { // «№ п/п» is ignored, nothing else should be left
		t.Fatalf("unknown columns %v", unknown)
	}
	opt.Region, opt.Now = "41", today
	rep, err := f.im.Learners(context.Background(), tab, m, opt)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func (f *fixture) count(t *testing.T) int {
	_, n, err := f.st.Learners.Learners(context.Background(), auth.SystemScope("41"), learner.Filter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLearnersImport(t *testing.T) {
	f := newFixture(t)
	data := cp1251(t, roster)
	opt := imports.Options{OrgID: f.college.ID}

	dry := f.run(t, data, imports.Options{OrgID: f.college.ID, DryRun: true})
	if n := f.count(t); n != 0 {
		t.Fatalf("a dry run wrote %d learners", n)
	}
	rep := f.run(t, data, opt)
	if rep.Rows != 6 || rep.Created != 2 || rep.Rejected != 4 {
		t.Fatalf("report %+v", rep)
	}
	if dry.Created != rep.Created || dry.Rejected != rep.Rejected {
		t.Errorf("dry run %+v differs from the import %+v", dry, rep)
	}
	want := map[int]string{ // line → a part of the reason
		5: "СНИЛС обучающегося: СНИЛС «123-456-789 00» не проходит проверку",
		6: "Код специальности: специальность «99.02.99» не найдена",
		7: "Дата рожд.: даты «31.02.2008» не существует",
		8: "повторяет строку 3",
	}
	for _, is := range rep.Issues {
		got := is.Column + ": " + is.Reason
		if w, ok := want[is.Line]; ok && strings.Contains(got, w) {
			delete(want, is.Line)
		}
	}
	for line, w := range want {
		t.Errorf("line %d: no issue like %q in %+v", line, w, rep.Issues)
	}
	list, _, err := f.st.Learners.Learners(context.Background(), auth.SystemScope("41"), learner.Filter{Query: "иванов иван", Limit: 5})
	if err != nil || len(list) != 1 {
		t.Fatalf("imported learner not found: %v", err)
	}
	l := list[0]
	if l.Sex != "м" || l.SpecialtyCode != "15.02.08" || l.Course != 2 || l.OrgID != f.college.ID || l.Status != learner.Student ||
		!l.BirthDate.Equal(time.Date(2008, 4, 3, 0, 0, 0, 0, time.UTC)) || l.MunicipalityID != f.college.MunicipalityID {
		t.Errorf("imported as %+v", l)
	}

	// The same file again changes nothing.
	again := f.run(t, data, opt)
	if again.Created != 0 || again.Updated != 0 || again.Unchanged != 2 {
		t.Errorf("re-import %+v", again)
	}
	// A changed course updates the one row.
	changed := strings.Replace(roster, "11.12.2007;920-000-003 00;22.02.06;3", "11.12.2007;920-000-003 00;22.02.06;4", 1)
	upd := f.run(t, cp1251(t, changed), opt)
	if upd.Updated != 1 || upd.Unchanged != 1 || upd.Created != 0 {
		t.Errorf("update %+v", upd)
	}
	if n := f.count(t); n != 2 {
		t.Errorf("%d learners after three imports, want 2", n)
	}
}

func TestLearnersImportScope(t *testing.T) {
	f := newFixture(t)
	csv := "Фамилия,Имя,Отчество,Дата рождения,СНИЛС,Образовательная организация,Код специальности,Курс,Группа\n" +
		"Орлова,Мария,Ивановна,2008-01-02,112-233-445 95,Камчатский медицинский колледж,34.02.01,2,СД-24\n" +
		"Орлов,Пётр,Иванович,2008-01-02,920-000-003 00,Камчатский политехнический техникум,15.02.08,2,ТМ-24\n"
	rep := f.run(t, []byte(csv), imports.Options{OrgID: f.college.ID})
	if rep.Created != 1 || rep.Rejected != 1 || !strings.Contains(rep.Issues[0].Reason, "только обучающихся своей организации") || rep.Issues[0].Line != 2 {
		t.Errorf("college importing another's student: %+v", rep)
	}
	// The region imports both, and the second college's student lands there.
	rep = f.run(t, []byte(csv), imports.Options{})
	if rep.Created != 1 || rep.Unchanged != 1 {
		t.Errorf("region import %+v", rep)
	}
	list, _, err := f.st.Learners.Learners(context.Background(), auth.SystemScope("41"), learner.Filter{Query: "орлов пётр", Limit: 1})
	if err != nil || len(list) != 1 || list[0].Group != "ТМ-24" {
		t.Errorf("the study group was not kept: %v %+v", err, list)
	}
}

// A college cannot learn whether a СНИЛС belongs to anybody in the region: a
// check reads another college's student as a new row, the real import refuses
// the row in words that do not say why and tells the caller, who audits it.
func TestLearnersImportNoSNILSOracle(t *testing.T) {
	f := newFixture(t)
	theirs := "Фамилия,Имя,Отчество,Дата рождения,СНИЛС,Код специальности,Курс\n" +
		"Орлова,Мария,Ивановна,2008-01-02,112-233-445 95,34.02.01,2\n"
	if rep := f.run(t, []byte(theirs), imports.Options{OrgID: f.college2.ID}); rep.Created != 1 {
		t.Fatalf("the other college's import: %+v", rep)
	}
	probe := "Фамилия,Имя,Отчество,Дата рождения,СНИЛС,Код специальности,Курс\n" +
		"Пробная,Анна,Ивановна,2008-01-02,112-233-445 95,15.02.08,2\n" +
		"Пробная,Вера,Ивановна,2008-01-02,920-000-003 00,15.02.08,2\n"
	dry := f.run(t, []byte(probe), imports.Options{OrgID: f.college.ID, DryRun: true})
	if dry.Created != 2 || dry.Rejected != 0 {
		t.Errorf("a check tells a taken СНИЛС from a free one: %+v", dry)
	}
	var heard []int64
	rep := f.run(t, []byte(probe), imports.Options{OrgID: f.college.ID, Conflict: func(id int64) { heard = append(heard, id) }})
	if rep.Created != 1 || rep.Rejected != 1 || len(heard) != 1 {
		t.Fatalf("the real import: %+v, heard %v", rep, heard)
	}
	reason := rep.Issues[0].Reason
	if strings.Contains(reason, "числится") || strings.Contains(reason, "другой организации;") || !strings.Contains(reason, "нельзя записать за вашей организацией") {
		t.Errorf("the refusal says why: %q", reason)
	}
}
