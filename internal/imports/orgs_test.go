package imports_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"marshrut/internal/apperr"
	"marshrut/internal/exchange"
	"marshrut/internal/imports"
	"marshrut/internal/org"
)

// table opens data as a file named name and recognises its columns among fields.
func table(t *testing.T, data []byte, name string, fields []exchange.Field) (*exchange.Table, exchange.Mapping) {
	t.Helper()
	tab, err := exchange.Open(bytes.NewReader(data), name, exchange.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tab.Close() })
	m, unknown := exchange.Recognise(tab.Header(), fields)
	if len(unknown) > 0 {
		t.Fatalf("unknown columns %v", unknown)
	}
	return tab, m
}

func (f *fixture) runOrgs(t *testing.T, data []byte, opt imports.Options) imports.Report {
	t.Helper()
	tab, m := table(t, data, "orgs.csv", exchange.OrganisationFields)
	opt.Region, opt.Now = "41", today
	rep, err := f.im.Organisations(context.Background(), tab, m, opt)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func (f *fixture) orgs(t *testing.T) map[string]org.Organisation {
	t.Helper()
	list, _, err := f.st.Orgs.Organisations(context.Background(), org.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]org.Organisation{}
	for _, o := range list {
		out[o.Name] = o
	}
	return out
}

// register is a regional register of organisations as Excel saves it: the
// college of the fixture gains an address, a bad ИНН on line 4, a repeated
// ИНН on line 5.
const register = `Наименование;Вид организации;ИНН;ОГРН;Муниципальное образование;Адрес;Широта;Долгота;ОКВЭД
ООО «Камчатрыбпром»;Работодатель;4101000029;1024100000011;Петропавловск-Камчатский;ул. Ленина, 1;53,0167;158,65;03.11 Рыболовство морское
АО «Судоремсервис»;;4101 000 036;;Елизовский;ул. Мира, 5;;;33.15
ООО «Опечатка»;работодатель;4101000030;;Елизовский;;;;
ООО «Камчатрыбпром» (филиал);работодатель;4101000029;;Елизовский;;;;
МБОУ «Средняя школа № 3»;СОШ;;;Елизовский муниципальный район;ул. Школьная, 3;;;
КГПОБУ «Камчатский политехнический техникум»;техникум;4101000011;;Петропавловск-Камчатский городской округ;ул. Ленинградская, 37;;;
`

func TestOrganisationsImport(t *testing.T) {
	f := newFixture(t)
	data := cp1251(t, register)

	dry := f.runOrgs(t, data, imports.Options{DryRun: true})
	if n := len(f.orgs(t)); n != 2 {
		t.Fatalf("a dry run left %d organisations, want the fixture's 2", n)
	}
	rep := f.runOrgs(t, data, imports.Options{})
	if rep.Rows != 6 || rep.Created != 3 || rep.Updated != 1 || rep.Rejected != 2 {
		t.Fatalf("report %+v", rep)
	}
	if dry.Created != rep.Created || dry.Updated != rep.Updated || dry.Rejected != rep.Rejected || !dry.DryRun {
		t.Errorf("dry run %+v differs from the import %+v", dry, rep)
	}
	want := map[int]string{ // line → column and a part of the reason
		4: "ИНН: ИНН «4101000030» не проходит проверку",
		5: "ИНН: повторяет строку 2",
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
	got := f.orgs(t)
	if len(got) != 5 {
		t.Fatalf("%d organisations, want 5: %v", len(got), got)
	}
	fish := got["ООО «Камчатрыбпром»"]
	if fish.Kind != org.Employer || fish.INN != "4101000029" || fish.OGRN != "1024100000011" || fish.MunicipalityID != f.college.MunicipalityID ||
		fish.Lat != 53.0167 || fish.Lon != 158.65 || fish.OKVED != "03.11" || fish.Address != "ул. Ленина, 1" {
		t.Errorf("employer imported as %+v", fish)
	}
	if yard := got["АО «Судоремсервис»"]; yard.Kind != org.Employer || yard.INN != "4101000036" || yard.MunicipalityID != f.college2.MunicipalityID {
		t.Errorf("an organisation with an ИНН and no kind imported as %+v", yard)
	}
	if school := got["МБОУ «Средняя школа № 3»"]; school.Kind != org.School || school.INN != "" {
		t.Errorf("school imported as %+v", school)
	}
	if c := got[f.college.Name]; c.ID != f.college.ID || c.Address != "ул. Ленинградская, 37" || c.Kind != org.College || c.ShortName != f.college.ShortName {
		t.Errorf("college updated as %+v", c)
	}

	// The same file again changes nothing.
	again := f.runOrgs(t, data, imports.Options{})
	if again.Created != 0 || again.Updated != 0 || again.Unchanged != 4 || again.Rejected != 2 {
		t.Errorf("re-import %+v", again)
	}
	// A changed address updates the one organisation, found by its ИНН.
	moved := strings.Replace(register, "ул. Мира, 5", "ул. Садовая, 12", 1)
	upd := f.runOrgs(t, cp1251(t, moved), imports.Options{})
	if upd.Updated != 1 || upd.Unchanged != 3 || upd.Created != 0 {
		t.Errorf("update %+v", upd)
	}
	if a := f.orgs(t)["АО «Судоремсервис»"].Address; a != "ул. Садовая, 12" {
		t.Errorf("address %q after the update", a)
	}
	// A register without ИНН finds the school by its name in its municipality.
	byName := "Наименование,Муниципальное образование,Адрес\nМБОУ «Средняя школа №3»,Елизовский,\"ул. Школьная, 5\"\n"
	if rep := f.runOrgs(t, []byte(byName), imports.Options{}); rep.Updated != 1 || rep.Created != 0 {
		t.Errorf("by name %+v", rep)
	}
	if n := len(f.orgs(t)); n != 5 {
		t.Errorf("%d organisations after the imports, want 5", n)
	}
}

func TestOrganisationsImportRules(t *testing.T) {
	f := newFixture(t)
	csv := "Наименование,Тип,ИНН,Муниципальное образование\n" +
		"Камчатский медицинский колледж,работодатель,,Елизовский\n" + // an educating organisation keeps its kind
		"Центр занятости населения г. Елизово,ЦЗН,,Елизовский\n" +
		"ООО «Без ИНН»,работодатель,,Елизовский\n" + // an employer needs an ИНН
		"Кооператив «Рыбак»,рыболовецкий,,Елизовский\n" + // a kind not understood
		"ООО «Где-то»,,4101000043,Усть-Камчатский\n" // a municipality of no one
	rep := f.runOrgs(t, []byte(csv), imports.Options{})
	if rep.Created != 1 || rep.Rejected != 4 {
		t.Fatalf("report %+v", rep)
	}
	want := map[int]string{
		2: "Тип: вид организации «Камчатский медицинский колледж»",
		4: "ИНН: у работодателя должен быть указан ИНН",
		5: "Тип: вид организации «рыболовецкий» не распознан",
		6: "Муниципальное образование: муниципальное образование «Усть-Камчатский» не найдено",
	}
	for _, is := range rep.Issues {
		if w, ok := want[is.Line]; ok && strings.Contains(is.Column+": "+is.Reason, w) {
			delete(want, is.Line)
		}
	}
	for line, w := range want {
		t.Errorf("line %d: no issue like %q in %+v", line, w, rep.Issues)
	}
	if c := f.orgs(t)["Центр занятости населения г. Елизово"]; c.Kind != org.CZN {
		t.Errorf("employment centre imported as %+v", c)
	}

	// A college's user may not load the register.
	tab, m := table(t, []byte(csv), "orgs.csv", exchange.OrganisationFields)
	_, err := f.im.Organisations(context.Background(), tab, m, imports.Options{Region: "41", OrgID: f.college.ID})
	if !apperr.Is(err, apperr.Forbidden) || !strings.Contains(apperr.Message(err), "только регион") {
		t.Errorf("college importing organisations: %v, want Forbidden", err)
	}
}
