package api

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"marshrut/internal/measures"
)

// withMeasures adds the programmes of active measures to the test API.
func withMeasures(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	e.deps.Measures = measures.NewService(e.store.Measures, func() time.Time { return today })
	e.srv.Close()
	e.srv = httptest.NewServer(asCaller(t, e.f.users, New(e.deps)))
	t.Cleanup(e.srv.Close)
	return e
}

func TestOpenAPIMeasureSchemas(t *testing.T) {
	d := loadDoc(t)
	for schema, v := range map[string]any{
		"MeasureProgramme": measureProgrammeDTO{}, "MeasureProgrammePage": list[measureProgrammeDTO]{}, "MeasureGroup": measureGroupDTO{},
		"MeasureProgrammeCard": measureProgrammeCardDTO{}, "Enrolment": enrolmentDTO{}, "MeasureGroupCard": measureGroupCardDTO{},
		"MeasureProgrammeRequest": measureProgrammeRequest{}, "MeasureGroupRequest": measureGroupRequest{}, "EnrolRequest": enrolRequest{},
		"CompleteRequest": completeRequest{}, "DropRequest": dropRequest{}, "EmploymentRequest": employmentRequest{},
		"MeasureRow": measureRowDTO{}, "MeasureFigures": measureFiguresDTO{},
	} {
		got := properties(t, d, lookup(d, "#/components/schemas/"+schema))
		if want := jsonNames(reflect.TypeOf(v)); !slices.Equal(got, want) {
			t.Errorf("schema %s has %v;\nthe type has %v", schema, got, want)
		}
	}
	enum := func(name string) []string {
		var out []string
		for _, v := range lookup(d, "#/components/schemas/"+name)["enum"].([]any) {
			out = append(out, v.(string))
		}
		return out
	}
	for _, c := range []struct {
		name      string
		got, want []string
	}{
		{"MeasureCategory", enum("MeasureCategory"), names(measures.Categories)},
		{"MeasureCustomer", enum("MeasureCustomer"), names(measures.Customers)},
		{"MeasureFormat", enum("MeasureFormat"), names(measures.Formats)},
		{"EnrolmentStatus", enum("EnrolmentStatus"), names(measures.Statuses)},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: openapi.json has %v, the code %v", c.name, c.got, c.want)
		}
	}
}

func TestMeasuresByAPI(t *testing.T) {
	e := withMeasures(t)
	post := func(as, path string, body any) response {
		return e.do(t, req{as: as, method: "POST", path: Prefix + path, body: body})
	}
	prog := map[string]any{"name": "Сварщик ручной дуговой сварки", "provider_id": e.f.college.ID, "customer": "b2g",
		"profession": "Сварщик", "hours": 256, "format": "full_time", "price": 40000}
	// Who may add programmes: the region and the centres, not a college or a school.
	for _, who := range []string{"kpt", "school1", "rybprom"} {
		if res := post(who, "/measures/programmes", prog); res.status != http.StatusForbidden {
			t.Errorf("%s adds a programme: %d", who, res.status)
		}
	}
	bad := map[string]any{"name": "Сварщик", "customer": "b2c", "profession": "Сварщик", "hours": 8, "format": "full_time", "price": 1}
	res := post("minobr", "/measures/programmes", bad)
	if res.status != http.StatusBadRequest || !strings.Contains(res.err().Message, "hours") || !strings.Contains(res.err().Message, "customer") {
		t.Errorf("a bad programme: %d %s", res.status, res.body)
	}
	if res := post("minobr", "/measures/programmes", map[string]any{"name": "x", "price_rub": 1}); res.status != http.StatusBadRequest ||
		!strings.Contains(res.err().Message, "price_rub") {
		t.Errorf("an unknown field: %d %s", res.status, res.body)
	}
	res = post("minobr", "/measures/programmes", prog)
	if res.status != http.StatusCreated {
		t.Fatalf("programme: %d %s", res.status, res.body)
	}
	p := decodeJSON[measureProgrammeDTO](t, res)
	if p.ProviderName != e.f.college.Name || p.ProviderID == nil || res.header.Get("Location") == "" {
		t.Errorf("programme %+v", p)
	}
	res = post("czn-elizovo", "/measures/programmes/"+itoa(p.ID)+"/groups", map[string]any{"name": "СВ-1", "starts_on": "2026-09-01", "ends_on": "2026-12-20", "capacity": 1})
	if res.status != http.StatusCreated {
		t.Fatalf("group: %d %s", res.status, res.body)
	}
	g := decodeJSON[measureGroupDTO](t, res)
	// The college that teaches sees it; another college does not.
	if res := e.get(t, "kpt", Prefix+"/measures/groups/"+itoa(g.ID)); res.status != http.StatusOK {
		t.Errorf("the provider reads its group: %d", res.status)
	}
	if res := e.get(t, "kmk", Prefix+"/measures/groups/"+itoa(g.ID)); res.status != http.StatusNotFound {
		t.Errorf("a foreign organisation's group: %d %s", res.status, res.body)
	}
	if res := e.get(t, "federal", Prefix+"/measures/figures"); res.status != http.StatusForbidden {
		t.Errorf("the federal operator reads figures of persons: %d", res.status)
	}
	person := map[string]any{"category": "unemployed", "last_name": "Петров", "first_name": "Олег", "birth_year": 1979,
		"snils": "123-456-789 64", "enrolled_on": "2026-08-25"}
	if res := post("czn-elizovo", "/measures/groups/"+itoa(g.ID)+"/enrolments", map[string]any{"category": "retired", "last_name": "А", "first_name": "Б", "birth_year": 1950}); res.status != http.StatusBadRequest ||
		!strings.Contains(res.err().Message, "категория") {
		t.Errorf("unknown category: %d %s", res.status, res.body)
	}
	wrong := map[string]any{"category": "unemployed", "last_name": "Петров", "first_name": "Олег", "birth_year": 1979, "snils": "123-456-789 65"}
	if res := post("czn-elizovo", "/measures/groups/"+itoa(g.ID)+"/enrolments", wrong); res.status != http.StatusBadRequest ||
		!strings.Contains(res.err().Message, "СНИЛС") {
		t.Errorf("wrong SNILS: %d %s", res.status, res.body)
	}
	res = post("czn-elizovo", "/measures/groups/"+itoa(g.ID)+"/enrolments", person)
	if res.status != http.StatusCreated {
		t.Fatalf("enrol: %d %s", res.status, res.body)
	}
	en := decodeJSON[enrolmentDTO](t, res)
	if en.Status != "enrolled" || en.SNILS != "12345678964" || en.LearnerID != nil {
		t.Errorf("enrolment %+v", en)
	}
	person["last_name"], person["snils"] = "Сидоров", ""
	if res := post("czn-elizovo", "/measures/groups/"+itoa(g.ID)+"/enrolments", person); res.status != http.StatusConflict ||
		!strings.Contains(res.err().Message, "заняты все места") {
		t.Errorf("over capacity: %d %s", res.status, res.body)
	}
	path := "/measures/enrolments/" + itoa(en.ID)
	if res := post("czn-elizovo", path+"/complete", map[string]any{"completed_on": "2026-08-30"}); res.status != http.StatusBadRequest ||
		!strings.Contains(res.err().Message, "начинается 01.09.2026") {
		t.Errorf("completion before the group started: %d %s", res.status, res.body)
	}
	if res := post("czn-elizovo", path+"/complete", map[string]any{}); res.status != http.StatusBadRequest {
		t.Errorf("completion without a date: %d", res.status)
	}
	res = post("kpt", path+"/complete", map[string]any{"completed_on": "2026-10-01"})
	if res.status != http.StatusOK || decodeJSON[enrolmentDTO](t, res).Status != "completed" {
		t.Fatalf("complete: %d %s", res.status, res.body)
	}
	res = post("czn-elizovo", path+"/employment", map[string]any{"employed_on": "2026-10-15", "employer": "ИП Сомов"})
	if res.status != http.StatusOK || !decodeJSON[enrolmentDTO](t, res).EmployedInTime {
		t.Fatalf("employment: %d %s", res.status, res.body)
	}
	if res := post("czn-elizovo", path+"/drop", map[string]any{"dropped_on": "2026-10-20"}); res.status != http.StatusConflict {
		t.Errorf("a completed one dropped: %d %s", res.status, res.body)
	}
	res = e.get(t, "minobr", Prefix+"/measures/figures?year=2026")
	if res.status != http.StatusOK {
		t.Fatalf("figures: %d %s", res.status, res.body)
	}
	figs := decodeJSON[measureFiguresDTO](t, res)
	tot := figs.Total
	if tot.Enrolled != 1 || tot.Completed != 1 || tot.Employed != 1 || tot.EmploymentShare != 1 || tot.CostPerEmployed == nil || *tot.CostPerEmployed != 40000 {
		t.Errorf("figures total %+v", tot)
	}
	if figs.Year == nil || *figs.Year != 2026 || len(figs.ByCategory) != len(measures.Categories) {
		t.Errorf("figures %+v", figs)
	}
	if res := e.get(t, "minobr", Prefix+"/measures/figures?year=1990"); res.status != http.StatusBadRequest {
		t.Errorf("year 1990: %d", res.status)
	}
	res = e.get(t, "kpt", Prefix+"/measures/programmes?q=сварщик")
	if page := decodeJSON[list[measureProgrammeDTO]](t, res); res.status != http.StatusOK || page.Total != 1 || page.Items[0].EnrolledCount != 1 {
		t.Errorf("programmes of the provider: %d %s", res.status, res.body)
	}
	if res := e.get(t, "kmk", Prefix+"/measures/programmes"); !strings.Contains(string(res.body), `"items":[]`) {
		t.Errorf("another college's list: %s", res.body)
	}
}
