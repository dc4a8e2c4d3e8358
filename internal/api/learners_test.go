package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"marshrut/internal/auth"
	"marshrut/internal/learner"
)

func TestListLearners(t *testing.T) {
	e := newEnv(t)
	f := e.f
	ids := func(ls ...learner.Learner) []int64 {
		out := make([]int64, len(ls))
		for i, l := range ls {
			out[i] = l.ID
		}
		return out
	}
	antonov, borisov, vasiliev := f.extra[0], f.extra[1], f.extra[2]
	cases := []struct {
		name   string
		as     string
		query  string
		want   []int64 // in order
		total  int     // -1: len(want)
		limit  int
		offset int
	}{
		{"region sees everyone by name", "minobr", "", ids(antonov, borisov, vasiliev, f.graduate, f.pupil, f.other, f.student), -1, 50, 0},
		{"by status", "minobr", "status=student", ids(antonov, borisov, vasiliev, f.other, f.student), -1, 50, 0},
		{"by organisation", "minobr", "org_id=" + itoa(f.college2.ID), ids(f.other), -1, 50, 0},
		{"by municipality", "minobr", "municipality_id=" + itoa(f.muni2.ID), ids(f.graduate, f.other), -1, 50, 0},
		{"by specialty", "minobr", "specialty_code=15.02.08", ids(antonov, borisov, vasiliev, f.student), -1, 50, 0},
		{"by grade", "minobr", "grade=9", ids(f.pupil), -1, 50, 0},
		{"by graduation year", "minobr", "graduation_year=2025", ids(f.graduate), -1, 50, 0},
		{"search ignores case", "minobr", "q=%D0%B8%D0%B2%D0%90%D0%9D%D0%BE%D0%B2%D0%B0", ids(f.pupil), -1, 50, 0}, // ивАНова
		{"search ё as е", "minobr", "q=елкин", ids(f.graduate), -1, 50, 0},
		{"search by SNILS", "minobr", "q=11223344595", ids(f.pupil), -1, 50, 0},
		{"page by birth date desc", "minobr", "sort=birth_date&desc=true&limit=2&offset=1", ids(f.student, vasiliev), 7, 2, 1},
		{"last page", "minobr", "limit=3&offset=6", ids(f.student), 7, 3, 6},
		{"past the end", "minobr", "limit=3&offset=60", nil, 7, 3, 60},
		{"sort by year desc", "minobr", "status=student&sort=graduation_year&desc=1", ids(vasiliev, borisov, antonov, f.student, f.other), -1, 50, 0},
		{"college sees its own", "kpt", "", ids(antonov, borisov, vasiliev, f.graduate, f.student), -1, 50, 0},
		{"college cannot filter its way out", "kpt", "org_id=" + itoa(f.college2.ID), nil, 0, 50, 0},
		{"employment centre sees its municipality", "czn-elizovo", "", ids(f.graduate, f.other), -1, 50, 0},
		{"employer sees nobody yet", "rybprom", "", nil, 0, 50, 0},
		{"federal sees no person", "federal", "", nil, 0, 50, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := e.get(t, c.as, Prefix+"/learners?"+c.query)
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			page := decodeJSON[list[learnerDTO]](t, res)
			var got []int64
			for _, l := range page.Items {
				got = append(got, l.ID)
			}
			total := c.total
			if total < 0 {
				total = len(c.want)
			}
			if !slices.Equal(got, c.want) || page.Total != total || page.Limit != c.limit || page.Offset != c.offset {
				t.Errorf("got %v total %d limit %d offset %d; want %v total %d limit %d offset %d",
					got, page.Total, page.Limit, page.Offset, c.want, total, c.limit, c.offset)
			}
			if page.Items == nil {
				t.Errorf("items is null, want []")
			}
		})
	}
}

func TestListLearnersBadQuery(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		query, field, msg string
	}{
		{"limit=abc", "limit", "целым числом от 1 до 500"},
		{"limit=0", "limit", "от 1 до 500"},
		{"limit=501", "limit", "от 1 до 500"},
		{"offset=-1", "offset", "целым числом"},
		{"status=alien", "status", "допустимы: pupil, student, graduate"},
		{"org_id=college", "org_id", "идентификатор"},
		{"municipality_id=0", "municipality_id", "положительным"},
		{"grade=12", "grade", "от 1 до 11"},
		{"graduation_year=20x5", "graduation_year", "целым числом"},
		{"desc=maybe", "desc", "true или false"},
		{"sort=salary", "sort", "допустимы: name, birth_date, org, graduation_year"},
		{"specialty_code=15-02-08", "specialty_code", "00.00.00"},
		{"q=" + strings.Repeat("а", 201), "q", "длиннее 200"},
	} {
		t.Run(c.query[:min(len(c.query), 30)], func(t *testing.T) {
			res := e.get(t, "minobr", Prefix+"/learners?"+c.query)
			er := res.err()
			if res.status != http.StatusBadRequest || er.Code != "invalid" || er.Field != c.field ||
				!strings.HasPrefix(er.Message, c.field+": ") || !strings.Contains(er.Message, c.msg) {
				t.Errorf("got %d %s; want 400 naming %s with %q", res.status, res.body, c.field, c.msg)
			}
		})
	}
	t.Run("every fault at once", func(t *testing.T) {
		res := e.get(t, "minobr", Prefix+"/learners?limit=abc&status=alien")
		er := res.err()
		if res.status != http.StatusBadRequest || len(er.Details) != 2 || er.Details[0].Field != "status" || er.Details[1].Field != "limit" ||
			!strings.Contains(er.Message, "status: ") || !strings.Contains(er.Message, "limit: ") {
			t.Errorf("got %d %s", res.status, res.body)
		}
	})
}

func TestLearnerCard(t *testing.T) {
	e := newEnv(t)
	f := e.f
	ctx := context.Background()
	sys := auth.SystemScope("41")
	st := learner.Stage{LearnerID: f.graduate.ID, Kind: learner.StageCollege, OrgID: f.college.ID, SpecialtyCode: "22.02.06",
		Start: date(2021, 9, 1), End: date(2025, 6, 30)}
	if err := e.store.Learners.AddStage(ctx, sys, &st); err != nil {
		t.Fatal(err)
	}
	for _, o := range []learner.Outcome{
		{LearnerID: f.graduate.ID, Status: learner.Unemployed, Start: date(2025, 7, 1), Source: "czn"},
		{LearnerID: f.graduate.ID, Status: learner.Employed, EmployerID: f.empl.ID, Start: date(2025, 10, 1), Source: "college"},
	} {
		if err := e.store.Learners.AddOutcome(ctx, sys, &o); err != nil {
			t.Fatal(err)
		}
	}
	path := Prefix + "/learners/" + itoa(f.graduate.ID)
	res := e.get(t, "kpt", path)
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	card := decodeJSON[cardDTO](t, res)
	want := learnerDTO{ID: f.graduate.ID, LastName: "Ёлкин", FirstName: "Пётр", Sex: "м", BirthDate: "2004-01-02", Status: "graduate",
		OrgID: f.college.ID, OrgName: f.college.Name, MunicipalityID: f.muni2.ID, Municipality: f.muni2.Name,
		SpecialtyCode: "22.02.06", SpecialtyName: "Сварочное производство", Form: "full_time", GraduationYear: 2025,
		CurrentOutcome: "employed", Outcome6m: "employed", Outcome12m: "employed"}
	if card.learnerDTO != want {
		t.Errorf("learner\n got %+v\nwant %+v", card.learnerDTO, want)
	}
	wantStage := stageDTO{ID: st.ID, LearnerID: f.graduate.ID, Kind: "college", OrgID: f.college.ID, OrgName: f.college.Name,
		SpecialtyCode: "22.02.06", Start: "2021-09-01", End: "2025-06-30"}
	if len(card.Stages) != 1 || card.Stages[0] != wantStage {
		t.Errorf("stages %+v, want %+v", card.Stages, wantStage)
	}
	if len(card.Outcomes) != 2 || card.Outcomes[0].Status != "unemployed" || card.Outcomes[1].EmployerName != f.empl.Name ||
		card.Outcomes[1].Start != "2025-10-01" || card.Outcomes[1].Source != "college" {
		t.Errorf("outcomes %+v", card.Outcomes)
	}
	// The stages and outcomes alone, through the same audited read.
	stages := decodeJSON[items[stageDTO]](t, e.get(t, "kpt", path+"/stages"))
	outcomes := decodeJSON[items[outcomeDTO]](t, e.get(t, "kpt", path+"/outcomes"))
	if len(stages.Items) != 1 || stages.Items[0] != wantStage || len(outcomes.Items) != 2 || outcomes.Items[1] != card.Outcomes[1] {
		t.Errorf("stages %+v outcomes %+v", stages, outcomes)
	}
	// A learner without a route has empty lists, not null.
	res = e.get(t, "kpt", Prefix+"/learners/"+itoa(f.student.ID))
	if !strings.Contains(string(res.body), `"stages":[]`) || !strings.Contains(string(res.body), `"outcomes":[]`) {
		t.Errorf("empty card: %s", res.body)
	}

	// Every read was written to the audit log with who, what and from where.
	log, n, err := e.store.Auth.AuditLog(ctx, auth.AuditFilter{LearnerID: f.graduate.ID})
	if err != nil {
		t.Fatal(err)
	}
	u := e.f.users["kpt"]
	if n != 3 {
		t.Fatalf("%d audit entries for the three reads of the card, want 3: %+v", n, log)
	}
	for _, a := range log {
		if a.UserID != u.ID || a.UserLogin != "kpt" || a.Role != auth.College || a.Action != "learner.read" || a.From != "192.0.2.1" {
			t.Errorf("audit entry %+v", a)
		}
	}
	// A list is not the read of a card.
	e.get(t, "kpt", Prefix+"/learners")
	if _, n, _ := e.store.Auth.AuditLog(ctx, auth.AuditFilter{LearnerID: f.student.ID}); n != 1 {
		t.Errorf("%d audit entries for the student after one card read and a list, want 1", n)
	}
}

// TestLearnerOutsideScope checks that a learner another organisation holds is
// answered exactly as a missing one, on every route of a learner, and that
// nothing is read into the audit log nor written.
func TestLearnerOutsideScope(t *testing.T) {
	e := newEnv(t)
	f := e.f
	foreign, missing := itoa(f.other.ID), "999999"
	update := fromLearner(f.other)
	update.ID, update.OrgID, update.LastName = 0, f.college.ID, "Изменённая"
	for _, c := range []struct {
		as, method, path string
		body             any
	}{
		{"kpt", "GET", "/learners/{id}", nil},
		{"kpt", "GET", "/learners/{id}/stages", nil},
		{"kpt", "GET", "/learners/{id}/outcomes", nil},
		{"kpt", "PUT", "/learners/{id}", update},
		{"kpt", "POST", "/learners/{id}/stages", map[string]any{"kind": "practice", "org_id": f.empl.ID, "start": "2026-09-01"}},
		{"kpt", "POST", "/learners/{id}/outcomes", map[string]any{"status": "employed", "start": "2026-09-01"}},
		{"school1", "GET", "/learners/{id}", nil},
		{"rybprom", "GET", "/learners/{id}", nil},
		{"federal", "GET", "/learners/{id}", nil},
	} {
		t.Run(c.as+" "+c.method+" "+c.path, func(t *testing.T) {
			before := e.counts(t)
			a := e.do(t, req{as: c.as, method: c.method, path: Prefix + strings.ReplaceAll(c.path, "{id}", foreign), body: c.body})
			b := e.do(t, req{as: c.as, method: c.method, path: Prefix + strings.ReplaceAll(c.path, "{id}", missing), body: c.body})
			if a.status != http.StatusNotFound || a.err().Code != "not_found" {
				t.Errorf("foreign learner: %d %s, want 404", a.status, a.body)
			}
			if a.status != b.status || string(a.body) != string(b.body) {
				t.Errorf("foreign %d %s differs from missing %d %s", a.status, a.body, b.status, b.body)
			}
			if after := e.counts(t); after != before {
				t.Errorf("data changed: %+v → %+v", before, after)
			}
		})
	}
	if _, n, _ := e.store.Auth.AuditLog(context.Background(), auth.AuditFilter{LearnerID: f.other.ID}); n != 0 {
		t.Errorf("%d audit entries of refused reads", n)
	}
	got, _ := e.store.Learners.Learner(context.Background(), auth.SystemScope("41"), f.other.ID)
	if got.LastName != "Кузнецова" || got.OrgID != f.college2.ID {
		t.Errorf("foreign learner changed: %+v", got)
	}
}

// validSNILS is a СНИЛС whose control number is right.
const validSNILS = "123-456-789 64"

func newStudent(e *env) map[string]any {
	return map[string]any{
		"last_name": "Петров", "first_name": "Олег", "middle_name": "Ильич", "sex": "м", "birth_date": "2009-02-03",
		"snils": validSNILS, "status": "student", "org_id": e.f.college.ID, "municipality_id": e.f.muni1.ID,
		"specialty_code": "15.02.08", "course": 1, "form": "full_time", "graduation_year": 2030, "disability": true,
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

func TestCreateLearner(t *testing.T) {
	e := newEnv(t)
	f := e.f
	base := newStudent(e)
	pupil := map[string]any{"last_name": "Сидорова", "first_name": "Ольга", "sex": "ж", "birth_date": "2014-09-30",
		"status": "pupil", "org_id": f.school.ID, "municipality_id": f.muni2.ID, "grade": 6}
	refused := []struct {
		name   string
		as     string
		body   map[string]any
		status int
		field  string // "" when several fields are at fault
		msg    string
	}{
		{"bad SNILS check", "kpt", with(base, "snils", "123-456-789 00"), 400, "snils", "snils: СНИЛС «123-456-789 00» не проходит проверку контрольного числа"},
		{"SNILS too short", "kpt", with(base, "snils", "123-456"), 400, "snils", "должен состоять из 11 цифр"},
		{"another organisation's SNILS", "kpt", with(base, "snils", f.pupil.SNILS), 400, "snils", "нельзя записать за вашей организацией"},
		{"duplicate SNILS for the region", "minobr", with(base, "snils", f.pupil.SNILS), 400, "snils", "уже есть в регионе"},
		{"specialty shape", "kpt", with(base, "specialty_code", "15-02-08"), 400, "specialty_code", "должен иметь вид 00.00.00"},
		{"specialty not in ОКСО", "kpt", with(base, "specialty_code", "99.02.99"), 400, "specialty_code", "не найдена в справочнике ОКСО"},
		{"birth date shape", "kpt", with(base, "birth_date", "03.02.2009"), 400, "birth_date", "ГГГГ-ММ-ДД"},
		{"too young", "kpt", with(base, "birth_date", "2025-01-01"), 400, "birth_date", "ожидается от 5 до 80"},
		{"no surname", "kpt", with(base, "last_name", nil), 400, "last_name", "укажите фамилию"},
		{"unknown status", "kpt", with(base, "status", "alumnus"), 400, "status", "pupil, student или graduate"},
		{"school as a college", "minobr", with(base, "org_id", f.school.ID), 400, "org_id", "колледжу или вузу"},
		{"unknown municipality", "minobr", with(base, "municipality_id", 4242), 400, "municipality_id", "не найдено в регионе 41"},
		{"several faults", "kpt", with(base, "snils", "1", "sex", "x", "course", 9), 400, "", "sex: пол должен быть"},
		{"id is assigned by the server", "kpt", with(base, "id", 77), 400, "id", "назначает сервер"},
		{"another college", "kpt", with(base, "org_id", f.college2.ID), 400, "org_id", "только обучающихся своей организации"},
		{"employer may not", "rybprom", base, 403, "", "недостаточно прав"},
		{"employment centre may not", "czn-elizovo", base, 403, "", "недостаточно прав"},
		{"region from the body", "minobr", with(base, "region_code", "77"), 400, "region_code", "Неизвестное поле «region_code»"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			before := e.counts(t)
			res := e.do(t, req{as: c.as, method: "POST", path: Prefix + "/learners", body: c.body})
			er := res.err()
			if res.status != c.status || er.Field != c.field || !strings.Contains(er.Message, c.msg) {
				t.Errorf("got %d %s\nwant %d field %q message with %q", res.status, res.body, c.status, c.field, c.msg)
			}
			if c.field != "" && c.status == 400 && !strings.Contains(er.Message, c.field) {
				t.Errorf("message %q does not name the field %s", er.Message, c.field)
			}
			if after := e.counts(t); after != before {
				t.Errorf("a refused create wrote: %+v → %+v", before, after)
			}
		})
	}
	t.Run("several faults are listed", func(t *testing.T) {
		res := e.do(t, req{as: "kpt", method: "POST", path: Prefix + "/learners", body: with(base, "snils", "1", "sex", "x", "course", 9)})
		var fields []string
		for _, d := range res.err().Details {
			fields = append(fields, d.Field)
		}
		if !slices.Equal(fields, []string{"sex", "snils", "course"}) {
			t.Errorf("details name %v: %s", fields, res.body)
		}
	})

	accepted := []struct {
		name string
		as   string
		body map[string]any
	}{
		{"college adds its student", "kpt", base},
		{"region adds a pupil", "minobr", pupil},
		{"read-only fields are ignored", "minobr", with(base, "snils", nil, "org_name", "что угодно", "current_outcome", "employed")},
	}
	for _, c := range accepted {
		t.Run(c.name, func(t *testing.T) {
			before := e.counts(t)
			res := e.do(t, req{as: c.as, method: "POST", path: Prefix + "/learners", body: c.body})
			if res.status != http.StatusCreated {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			created := decodeJSON[learnerDTO](t, res)
			loc := res.header.Get("Location")
			if created.ID == 0 || loc != Prefix+"/learners/"+itoa(created.ID) {
				t.Fatalf("id %d, Location %q", created.ID, loc)
			}
			if after := e.counts(t); after.learners != before.learners+1 {
				t.Errorf("learners %d → %d", before.learners, after.learners)
			}
			card := decodeJSON[cardDTO](t, e.get(t, c.as, loc))
			if card.learnerDTO.ID != created.ID || card.LastName != c.body["last_name"] || card.BirthDate != c.body["birth_date"] ||
				card.OrgID != c.body["org_id"] || card.OrgName == "" || card.Municipality == "" || card.CurrentOutcome != "" {
				t.Errorf("read back %+v after posting %v", card.learnerDTO, c.body)
			}
			if c.body["snils"] == validSNILS && (created.SNILS != "12345678964" || card.SNILS != "12345678964") {
				t.Errorf("SNILS stored as %q, read as %q, want 11 digits", created.SNILS, card.SNILS)
			}
			if c.body["status"] == "student" && (card.SpecialtyName == "" || card.Course != 1 || !card.Disability) {
				t.Errorf("student read back as %+v", card.learnerDTO)
			}
		})
	}
}

func TestUpdateLearner(t *testing.T) {
	e := newEnv(t)
	f := e.f
	path := Prefix + "/learners/" + itoa(f.student.ID)
	current := decodeJSON[cardDTO](t, e.get(t, "kpt", path)).learnerDTO

	changed := current
	changed.LastName, changed.Course, changed.OrgName = "Смирнов-Лебедев", 3, "не учитывается"
	res := e.do(t, req{as: "kpt", method: "PUT", path: path, body: changed})
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	got := decodeJSON[cardDTO](t, e.get(t, "kpt", path)).learnerDTO
	if got.LastName != "Смирнов-Лебедев" || got.Course != 3 || got.OrgName != f.college.Name {
		t.Errorf("read back %+v", got)
	}

	for _, c := range []struct {
		name   string
		as     string
		path   string
		body   any
		status int
		field  string
		msg    string
	}{
		{"to another college", "kpt", path, with(newStudent(e), "org_id", f.college2.ID, "snils", nil), 400, "org_id", "в чужую организацию"},
		{"id differs from the path", "kpt", path, with(newStudent(e), "id", f.graduate.ID, "snils", nil), 400, "id", "не совпадает"},
		{"path id not a number", "kpt", Prefix + "/learners/abc", newStudent(e), 400, "id", "целым положительным числом"},
		{"SNILS of another learner", "minobr", path, with(newStudent(e), "snils", f.pupil.SNILS), 400, "snils", "уже есть"},
		{"employer may not", "rybprom", path, newStudent(e), 403, "", "недостаточно прав"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := decodeJSON[cardDTO](t, e.get(t, "minobr", path)).learnerDTO
			res := e.do(t, req{as: c.as, method: "PUT", path: c.path, body: c.body})
			er := res.err()
			if res.status != c.status || er.Field != c.field || !strings.Contains(er.Message, c.msg) {
				t.Errorf("got %d %s\nwant %d field %q message with %q", res.status, res.body, c.status, c.field, c.msg)
			}
			if after := decodeJSON[cardDTO](t, e.get(t, "minobr", path)).learnerDTO; after != before {
				t.Errorf("a refused update wrote:\n%+v\n%+v", before, after)
			}
		})
	}
}

func TestAddStageAndOutcome(t *testing.T) {
	e := newEnv(t)
	f := e.f
	grad := Prefix + "/learners/" + itoa(f.graduate.ID)
	refused := []struct {
		name, as, path string
		body           map[string]any
		status         int
		field, msg     string
	}{
		{"unknown stage", "kpt", grad + "/stages", map[string]any{"kind": "holiday", "start": "2025-07-01"}, 400, "kind", "неизвестный этап маршрута «holiday»"},
		{"stage without start", "kpt", grad + "/stages", map[string]any{"kind": "work"}, 400, "start", "укажите дату начала"},
		{"stage ends before it starts", "kpt", grad + "/stages", map[string]any{"kind": "work", "start": "2025-07-01", "end": "2025-06-01"}, 400, "end", "раньше даты начала"},
		{"stage date shape", "kpt", grad + "/stages", map[string]any{"kind": "work", "start": "1 июля"}, 400, "start", "ГГГГ-ММ-ДД"},
		{"stage of another learner", "kpt", grad + "/stages", map[string]any{"kind": "work", "start": "2025-07-01", "learner_id": f.student.ID}, 400, "learner_id", "не совпадает"},
		{"employer may not edit a route", "rybprom", grad + "/stages", map[string]any{"kind": "work", "start": "2025-07-01"}, 403, "", "недостаточно прав"},
		{"unknown outcome", "kpt", grad + "/outcomes", map[string]any{"status": "retired", "start": "2025-07-01"}, 400, "status", "неизвестный статус занятости"},
		{"a school is no employer", "kpt", grad + "/outcomes", map[string]any{"status": "employed", "employer_id": f.school.ID, "start": "2025-07-01"}, 400, "employer_id", "не найден в реестре"},
		{"employer of the unemployed", "kpt", grad + "/outcomes", map[string]any{"status": "unemployed", "employer_id": f.empl.ID, "start": "2025-07-01"}, 400, "employer_id", "только для статуса"},
		{"a school may not record outcomes", "school1", grad + "/outcomes", map[string]any{"status": "employed", "start": "2025-07-01"}, 403, "", "недостаточно прав"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			before := e.counts(t)
			res := e.do(t, req{as: c.as, method: "POST", path: c.path, body: c.body})
			er := res.err()
			if res.status != c.status || er.Field != c.field || !strings.Contains(er.Message, c.msg) {
				t.Errorf("got %d %s\nwant %d field %q message with %q", res.status, res.body, c.status, c.field, c.msg)
			}
			if after := e.counts(t); after != before {
				t.Errorf("a refused write wrote: %+v → %+v", before, after)
			}
		})
	}

	res := e.do(t, req{as: "kpt", method: "POST", path: grad + "/stages",
		body: map[string]any{"kind": "practice", "org_id": f.empl.ID, "start": "2025-03-01", "end": "2025-04-30", "note": " преддипломная "}})
	if res.status != http.StatusCreated {
		t.Fatalf("stage: %d %s", res.status, res.body)
	}
	st := decodeJSON[stageDTO](t, res)
	if st.ID == 0 || st.LearnerID != f.graduate.ID || st.Kind != "practice" || st.Start != "2025-03-01" || st.End != "2025-04-30" || st.Note != "преддипломная" {
		t.Errorf("stage answered as %+v", st)
	}

	res = e.do(t, req{as: "kpt", method: "POST", path: grad + "/outcomes",
		body: map[string]any{"status": "employed", "employer_id": f.empl.ID, "start": "2025-08-15"}})
	if res.status != http.StatusCreated {
		t.Fatalf("outcome: %d %s", res.status, res.body)
	}
	o := decodeJSON[outcomeDTO](t, res)
	if o.ID == 0 || o.Status != "employed" || o.Source != "college" || o.Start != "2025-08-15" {
		t.Errorf("outcome answered as %+v", o)
	}
	card := decodeJSON[cardDTO](t, e.get(t, "minobr", grad))
	if len(card.Stages) != 1 || card.Stages[0].OrgName != f.empl.Name || len(card.Outcomes) != 1 ||
		card.CurrentOutcome != "employed" || card.Outcome6m != "employed" {
		t.Errorf("card after the writes: %+v", card)
	}
	// The employer now sees the graduate it employs.
	if res := e.get(t, "rybprom", grad); res.status != http.StatusOK {
		t.Errorf("employer reads its employee: %d %s", res.status, res.body)
	}
}
