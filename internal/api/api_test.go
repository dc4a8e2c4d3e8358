package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"marshrut/internal/analytics"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/guidance"
	"marshrut/internal/imports"
	"marshrut/internal/jobs"
	"marshrut/internal/learner"
	"marshrut/internal/org"
	"marshrut/internal/routing"
	"marshrut/internal/store"
	"marshrut/internal/targeted"
)

// today is the clock of the learner service in tests, so that ages and years
// of the fixture stay valid.
var today = time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)

// fixture is a small region: two municipalities, a school, two colleges, an
// employer, an employment centre, a few learners and a user of each role
// ("smirnov" is the learner user of the student).
type fixture struct {
	muni1, muni2                         classifier.Municipality
	school, college, college2, empl, czn org.Organisation
	pupil, student, graduate, other      learner.Learner
	extra                                []learner.Learner // more students of college, for paging
	users                                map[string]auth.User
}

// env is the API on a real SQLite store, behind a test middleware that sets
// the caller named by the X-Test-As header (none when the header is absent).
type env struct {
	t     *testing.T
	store *store.Store
	srv   *httptest.Server
	f     *fixture
	log   *syncBuffer
	deps  Deps // what the API was built with
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "api.db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	b, err := classifier.LoadBuiltin()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SeedClassifiers(ctx, b); err != nil {
		t.Fatalf("seed classifiers: %v", err)
	}
	e := &env{t: t, store: s, f: seed(t, s), log: logs}
	clock := func() time.Time { return today }
	e.deps = Deps{
		Learners: learner.NewService(s.Learners, s.Auth, clock),
		Orgs:     org.NewService(s.Orgs),
		// As cmd/marshrut builds it.
		Importer: imports.New(s.Reference, func(ctx context.Context, fn func(imports.Loader) error) error {
			return s.Load(ctx, func(l *store.Loader) error { return fn(l) })
		}),
		Guidance:  guidance.NewService(s.Guidance, clock),
		Targeted:  targeted.NewService(s.Targeted, clock),
		Routing:   routing.NewService(s.Routing, &syncJobs{}, clock),
		Analytics: analytics.NewService(s.Analytics, clock),
		Log:       log,
	}
	e.srv = httptest.NewServer(asCaller(t, e.f.users, New(e.deps)))
	t.Cleanup(e.srv.Close)
	return e
}

// syncJobs stands in for the job runner: it runs a job at once, in the
// caller's goroutine, so that a matching run has finished when POST answers.
// Like the runner, it leaves the job's own failure to the job (a run records
// it as failed) and reports nothing to the caller of Start.
type syncJobs struct {
	mu   sync.Mutex
	next int64
}

func (j *syncJobs) Start(ctx context.Context, job *jobs.Job, fn func(context.Context, jobs.Progress) (any, error)) error {
	j.mu.Lock()
	j.next++
	job.ID = j.next
	j.mu.Unlock()
	fn(context.WithoutCancel(ctx), func(int, int) {})
	return nil
}

// asCaller stands in for the server's authentication; every exchange with
// next is checked against openapi.json (conform).
func asCaller(t *testing.T, users map[string]auth.User, next http.Handler) http.Handler {
	next = conform(t, next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if name := r.Header.Get("X-Test-As"); name != "" {
			u, ok := users[name]
			if !ok {
				http.Error(w, "test: unknown user "+name, http.StatusTeapot)
				return
			}
			r = r.WithContext(auth.WithCaller(r.Context(), u, u.Scope("192.0.2.1")))
		}
		next.ServeHTTP(w, r)
	})
}

func seed(t *testing.T, s *store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{users: map[string]auth.User{}}
	f.muni1 = classifier.Municipality{RegionCode: "41", Name: "Петропавловск-Камчатский городской округ", Kind: "городской округ"}
	f.muni2 = classifier.Municipality{RegionCode: "41", Name: "Елизовский муниципальный район", Kind: "муниципальный район"}
	for _, m := range []*classifier.Municipality{&f.muni1, &f.muni2} {
		if err := s.CreateMunicipality(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	f.school = org.Organisation{RegionCode: "41", Kind: org.School, Name: "МБОУ «Средняя школа № 1»", MunicipalityID: f.muni1.ID}
	f.college = org.Organisation{RegionCode: "41", Kind: org.College, Name: "Камчатский политехнический техникум", MunicipalityID: f.muni1.ID}
	f.college2 = org.Organisation{RegionCode: "41", Kind: org.College, Name: "Камчатский медицинский колледж", MunicipalityID: f.muni2.ID}
	f.empl = org.Organisation{RegionCode: "41", Kind: org.Employer, Name: "ООО «Камчатрыбпром»", INN: "4101000011", MunicipalityID: f.muni1.ID}
	f.czn = org.Organisation{RegionCode: "41", Kind: org.CZN, Name: "ЦЗН Елизовского района", MunicipalityID: f.muni2.ID}
	for _, o := range []*org.Organisation{&f.school, &f.college, &f.college2, &f.empl, &f.czn} {
		if err := o.Validate(); err != nil {
			t.Fatalf("fixture %s: %v", o.Name, err)
		}
		if err := s.Orgs.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	f.pupil = learner.Learner{RegionCode: "41", LastName: "Иванова", FirstName: "Мария", MiddleName: "Петровна", Sex: "ж",
		BirthDate: date(2011, 3, 4), SNILS: "112-233-445 95", Status: learner.Pupil, OrgID: f.school.ID,
		MunicipalityID: f.muni1.ID, Grade: 9}
	f.student = learner.Learner{RegionCode: "41", LastName: "Смирнов", FirstName: "Артём", Sex: "м",
		BirthDate: date(2008, 5, 6), Status: learner.Student, OrgID: f.college.ID, MunicipalityID: f.muni1.ID,
		SpecialtyCode: "15.02.08", Course: 2, Form: learner.FullTime, GraduationYear: 2028}
	f.graduate = learner.Learner{RegionCode: "41", LastName: "Ёлкин", FirstName: "Пётр", Sex: "м",
		BirthDate: date(2004, 1, 2), Status: learner.Graduate, OrgID: f.college.ID, MunicipalityID: f.muni2.ID,
		SpecialtyCode: "22.02.06", Form: learner.FullTime, GraduationYear: 2025}
	f.other = learner.Learner{RegionCode: "41", LastName: "Кузнецова", FirstName: "Анна", Sex: "ж",
		BirthDate: date(2007, 7, 8), Status: learner.Student, OrgID: f.college2.ID, MunicipalityID: f.muni2.ID,
		SpecialtyCode: "34.02.01", Course: 3, Form: learner.FullTime, GraduationYear: 2027}
	all := []*learner.Learner{&f.pupil, &f.student, &f.graduate, &f.other}
	for i, name := range []string{"Антонов", "Борисов", "Васильев"} {
		f.extra = append(f.extra, learner.Learner{RegionCode: "41", LastName: name, FirstName: "Иван", Sex: "м",
			BirthDate: date(2008, 1, 10+i), Status: learner.Student, OrgID: f.college.ID, MunicipalityID: f.muni1.ID,
			SpecialtyCode: "15.02.08", Course: 1, Form: learner.FullTime, GraduationYear: 2029})
	}
	for i := range f.extra {
		all = append(all, &f.extra[i])
	}
	for _, l := range all {
		if err := l.Validate(today); err != nil {
			t.Fatalf("fixture %s: %v", l.FullName(), err)
		}
		if err := s.Learners.CreateLearner(ctx, auth.SystemScope("41"), l); err != nil {
			t.Fatalf("create %s: %v", l.FullName(), err)
		}
	}
	for _, u := range []auth.User{
		{Login: "minobr", Name: "Министерство образования", Role: auth.Region, RegionCode: "41"},
		{Login: "admin", Role: auth.Admin, RegionCode: "41"},
		{Login: "kpt", Name: "Политехнический техникум", Role: auth.College, RegionCode: "41", OrgID: f.college.ID},
		{Login: "kmk", Name: "Медицинский колледж", Role: auth.College, RegionCode: "41", OrgID: f.college2.ID},
		{Login: "school1", Role: auth.School, RegionCode: "41", OrgID: f.school.ID},
		{Login: "rybprom", Role: auth.Employer, RegionCode: "41", OrgID: f.empl.ID},
		{Login: "czn-elizovo", Role: auth.CZN, RegionCode: "41", OrgID: f.czn.ID},
		{Login: "federal", Role: auth.Federal, RegionCode: "41"},
		{Login: "smirnov", Name: "Смирнов Артём", Role: auth.Learner, RegionCode: "41", LearnerID: f.student.ID},
	} {
		if err := u.Validate(); err != nil {
			t.Fatalf("fixture user %s: %v", u.Login, err)
		}
		if err := s.Auth.CreateUser(ctx, &u, "not a hash"); err != nil {
			t.Fatalf("fixture user %s: %v", u.Login, err)
		}
		f.users[u.Login] = u
	}
	return f
}

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// response is what a request got back.
type response struct {
	status int
	header http.Header
	body   []byte
}

// errBody is the error the response carries, zero when it is not an error.
func (r response) err() errorDTO {
	var b errorBody
	json.Unmarshal(r.body, &b)
	return b.Error
}

// req describes a request: as is the login of the caller ("" for none); body
// is sent as is when it is a string or []byte, as JSON otherwise; header
// overrides the default Content-Type: application/json of a body.
type req struct {
	as     string
	method string
	path   string
	body   any
	header map[string]string
}

func (e *env) do(t *testing.T, rq req) response {
	t.Helper()
	var body io.Reader
	switch b := rq.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(data)
	}
	r, err := http.NewRequest(rq.method, e.srv.URL+rq.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	for k, v := range rq.header {
		if v == "" {
			r.Header.Del(k)
		} else {
			r.Header.Set(k, v)
		}
	}
	if rq.as != "" {
		r.Header.Set("X-Test-As", rq.as)
	}
	res, err := e.srv.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: data}
}

func (e *env) get(t *testing.T, as, path string) response {
	t.Helper()
	return e.do(t, req{as: as, method: "GET", path: path})
}

// decodeJSON reads the body of a response into a T, failing the test on error.
func decodeJSON[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body is not the expected JSON: %v\n%s", err, r.body)
	}
	return v
}

// counts are the rows a refused request must leave as they were.
type counts struct{ learners, organisations, stages, outcomes int }

func (e *env) counts(t *testing.T) counts {
	t.Helper()
	ctx := context.Background()
	sys := auth.SystemScope("41")
	var c counts
	ls, n, err := e.store.Learners.Learners(ctx, sys, learner.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	c.learners = n
	if _, c.organisations, err = e.store.Orgs.Organisations(ctx, org.Filter{Limit: 1}); err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		st, err := e.store.Learners.Stages(ctx, sys, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		out, err := e.store.Learners.Outcomes(ctx, sys, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		c.stages += len(st)
		c.outcomes += len(out)
	}
	return c
}

// syncBuffer is a log sink the handler may write to from its goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestNoCaller(t *testing.T) {
	e := newEnv(t)
	a := &api{}
	for _, rt := range a.routes() {
		if rt.public {
			continue
		}
		t.Run(rt.method+" "+rt.pattern, func(t *testing.T) {
			before := e.counts(t)
			path := Prefix + strings.ReplaceAll(rt.pattern, "{id}", itoa(e.f.student.ID))
			var body any
			if rt.method != "GET" {
				body = map[string]any{}
			}
			res := e.do(t, req{method: rt.method, path: path, body: body})
			if res.status != http.StatusUnauthorized || res.err().Code != "unauthorized" || !strings.Contains(res.err().Message, "Bearer") {
				t.Errorf("got %d %s, want 401 unauthorized", res.status, res.body)
			}
			if !strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate = %q", res.header.Get("WWW-Authenticate"))
			}
			if after := e.counts(t); after != before {
				t.Errorf("a refused request changed the data: %+v → %+v", before, after)
			}
		})
	}
	if res := e.get(t, "", Prefix+"/openapi.json"); res.status != http.StatusOK {
		t.Errorf("openapi.json without a caller: %d %s", res.status, res.body)
	}
}

func TestMe(t *testing.T) {
	e := newEnv(t)
	res := e.get(t, "kpt", Prefix+"/me")
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	got := decodeJSON[map[string]any](t, res)
	u := e.f.users["kpt"]
	want := map[string]any{"id": float64(u.ID), "login": "kpt", "name": "Политехнический техникум", "role": "college",
		"org_id": float64(e.f.college.ID), "region_code": "41"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if res.header.Get("Cache-Control") != "no-store" || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
		t.Errorf("headers %v", res.header)
	}
}

func TestUnmatched(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		name, method, path string
		status             int
		allow              string
	}{
		{"unknown path", "GET", "/api/v1/vacancies", 404, ""},
		{"unknown method", "DELETE", "/api/v1/learners/1", 405, "GET, PUT, HEAD"},
		{"post on a card", "POST", "/api/v1/organisations/1", 405, "GET, PUT, HEAD"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.do(t, req{as: "minobr", method: c.method, path: c.path})
			if res.status != c.status || res.err().Message == "" {
				t.Errorf("got %d %s, want %d with a JSON error", res.status, res.body, c.status)
			}
			if got := res.header.Get("Allow"); got != c.allow {
				t.Errorf("Allow = %q, want %q", got, c.allow)
			}
		})
	}
}

// TestInternalError checks that a failure of the database is logged in full
// and shown only as the generic message.
func TestInternalError(t *testing.T) {
	e := newEnv(t)
	e.store.Close()
	res := e.get(t, "minobr", Prefix+"/learners")
	if res.status != http.StatusInternalServerError || res.err().Code != "internal" {
		t.Fatalf("got %d %s, want 500 internal", res.status, res.body)
	}
	if msg := res.err().Message; !strings.HasPrefix(msg, "Внутренняя ошибка сервера") || strings.Contains(msg, "sql") {
		t.Errorf("message shows details: %q", msg)
	}
	if logged := e.log.String(); !strings.Contains(logged, "api request failed") || !strings.Contains(logged, "path=/api/v1/learners") ||
		!strings.Contains(logged, "sql") {
		t.Errorf("the failure was not logged in full: %q", logged)
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
