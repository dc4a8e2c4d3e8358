package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/guidance"
	"marshrut/internal/jobs"
	"marshrut/internal/learner"
	"marshrut/internal/report"
	"marshrut/internal/rollup"
	"marshrut/internal/server"
	"marshrut/internal/store"
)

// The fixture of the access matrix: the demo region «41» with its users and
// every demo step (a matching run, risk cases, employment measures), a second
// small region «27» whose objects are foreign to everyone in «41», the few
// objects the demo does not make (jobs, tokens, a scenario, a report, a
// federal bundle), and one session and one API token for each demo user.

// accessLogins are the demo users the matrix walks, one of every role and,
// for experts, one outside the commission's assignments too.
var accessLogins = []string{"admin", "region", "czn", "school", "college", "university", "employer",
	"expert", "expert2", "expert3", "learner", "pupil", "parent", "federal"}

const (
	homeRegion    = "41"
	foreignRegion = "27"
)

// accessFixture is the served demo and what the walk needs to know of it.
type accessFixture struct {
	t     *testing.T
	st    *store.Store
	db    *sql.DB // read-only view of the same file, for picking ids
	h     http.Handler
	srv   *server.Server
	users map[string]auth.User
	// session cookie, its CSRF token and a personal API token of each login
	cookie, csrf, token map[string]string
	// spare objects that POSTs may end or revoke without harm to the walk:
	// a user of each region, and a token of each login and of the spare user
	spareUser      map[string]int64 // region → user id
	spareToken     map[string]int64 // login → token id
	spareUserToken int64
	jobOf          map[string]int64 // login → a job of theirs
	ctx            context.Context
}

func newAccessFixture(t *testing.T) *accessFixture {
	t.Helper()
	ctx := context.Background()
	cfg := testConfig()
	cfg.DatabaseURL = filepath.Join(t.TempDir(), "access.db")
	cfg.LogLevel = 8 // quiet
	cfg.Region = homeRegion
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{clock: testClock, stdout: io.Discard, stderr: io.Discard}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(generate(ctx, e, &cfg, st, 11, 4000))
	must(demoUsers(ctx, io.Discard, &cfg, st))
	must(demoRun(ctx, e, &cfg, st, 11))
	must(demoRisk(ctx, e, st, &cfg, 11))
	must(demoMeasures(ctx, e, st, &cfg, 11))
	must(demoServices(ctx, e, st, &cfg))
	other := cfg
	other.Region = foreignRegion
	must(generate(ctx, e, &other, st, 12, 400))

	f := &accessFixture{t: t, st: st, ctx: ctx, users: map[string]auth.User{},
		cookie: map[string]string{}, csrf: map[string]string{}, token: map[string]string{},
		spareUser: map[string]int64{}, spareToken: map[string]int64{}, jobOf: map[string]int64{}}
	db, err := sql.Open("sqlite", "file:"+cfg.DatabaseURL+"?mode=ro")
	must(err)
	t.Cleanup(func() { db.Close() })
	f.db = db

	authSvc := auth.NewService(st.Auth, cfg.SessionTTL, testClock)
	for _, login := range accessLogins {
		u, _, err := st.Auth.UserByLogin(ctx, login)
		must(err)
		f.users[login] = u
	}
	// Spare users: a learner-less admin of each region, whose sessions and
	// lock the user pages may end without touching the walk's own users.
	for _, region := range []string{homeRegion, foreignRegion} {
		u := auth.User{Login: "spare" + region, Name: "Запасной", Role: auth.Admin, RegionCode: region}
		must(authSvc.AddUser(ctx, &u, DemoPassword))
		f.spareUser[region] = u.ID
	}
	spare, _ := st.Auth.User(ctx, f.spareUser[homeRegion])
	_, tok, err := authSvc.CreateToken(ctx, spare, "запасной")
	must(err)
	f.spareUserToken = tok.ID
	now := testClock()
	for _, login := range append([]string{"spare" + homeRegion}, accessLogins...) {
		u, _, err := st.Auth.UserByLogin(ctx, login)
		must(err)
		j := jobs.Job{Kind: "import.learners", Title: "Проверка файла группа.csv", UserID: u.ID, Status: jobs.Failed,
			Error: "файл пуст", CreatedAt: now, FinishedAt: now}
		must(st.Jobs.CreateJob(ctx, &j))
		must(st.Jobs.FinishJob(ctx, j.ID, jobs.Failed, nil, "файл пуст", now))
		f.jobOf[login] = j.ID
		if login == "spare"+homeRegion {
			continue
		}
		secret, _, err := authSvc.CreateToken(ctx, u, "матрица доступа")
		must(err)
		f.token[login] = secret
		_, spareTok, err := authSvc.CreateToken(ctx, u, "запасной")
		must(err)
		f.spareToken[login] = spareTok.ID
	}
	// Every organisation's login organises a coming event, nobody recorded
	// there yet, whose edit and history are its own (the demo gives colleges
	// and universities none).
	for _, login := range accessLogins {
		u := f.users[login]
		if u.OrgID == 0 || len(f.column(`SELECT id FROM guidance_event e WHERE organiser_id = $1
			AND NOT EXISTS (SELECT 1 FROM guidance_participation gp WHERE gp.event_id = e.id) LIMIT 1`, u.OrgID)) > 0 {
			continue
		}
		e := guidance.Event{RegionCode: u.RegionCode, OrganiserID: u.OrgID, Kind: guidance.Meeting, Title: "День открытых дверей",
			HeldOn: learner.Day(now).AddDate(0, 0, 20), GradeFrom: 8, GradeTo: 11, Hours: 2}
		must(e.Validate())
		must(st.Guidance.CreateEvent(ctx, &e))
	}
	regionUser := f.users["region"]
	for _, region := range []string{homeRegion, homeRegion, foreignRegion} {
		sc := balance.Scenario{RegionCode: region, Name: "Сценарий " + region, CreatedBy: regionUser.ID, CreatedAt: now, UpdatedAt: now}
		must(st.Balance.SaveScenario(ctx, &sc))
	}
	for _, region := range []string{homeRegion, foreignRegion} {
		rep := report.Report{RegionCode: region, Kind: "monthly", Period: "2020-01", Content: []byte("PK"), CreatedAt: now}
		must(st.Reports.SaveReport(ctx, &rep))
	}
	// A proposal of matching sent to the demo graduate, whose answer the
	// walk sends (the demo graduate works already and is not matched).
	rw, err := sql.Open("sqlite", cfg.DatabaseURL)
	must(err)
	_, err = rw.ExecContext(ctx, `UPDATE match_proposal SET learner_id = $1, status = 'sent' WHERE id = (SELECT min(id) FROM match_proposal
		WHERE status = 'proposed' AND vacancy_id IS NOT NULL)`, f.users["learner"].LearnerID)
	must(err)
	must(rw.Close())
	// The federal view needs a signed bundle of the home region.
	pemKey, pub, err := rollup.GenerateKey()
	must(err)
	key, err := rollup.ParsePrivateKey(pemKey)
	must(err)
	rcfg := testConfig()
	rcfg.Region = homeRegion
	signed, _, err := buildRollup(ctx, &rcfg, st, key)
	must(err)
	roll := rollup.NewService(st.Rollup, testClock)
	must(roll.Trust(ctx, auth.SystemScope(homeRegion), homeRegion, rollupKeyText(pub)))
	_, err = roll.Import(ctx, auth.SystemScope(homeRegion), signed)
	must(err)

	h, err := handler(&cfg, st)
	must(err)
	f.h = h
	srv, ok := h.(*server.Server)
	if !ok {
		t.Fatalf("handler is %T, not *server.Server", h)
	}
	f.srv = srv
	for _, login := range accessLogins {
		f.cookie[login], f.csrf[login] = f.login(login)
	}
	return f
}

// login signs in through the login form, as a browser does, and returns the
// session cookie and the CSRF token of the session's forms.
func (f *accessFixture) login(login string) (cookie, csrf string) {
	t := f.t
	t.Helper()
	res := f.serve(httptest.NewRequest("GET", "/login", nil))
	m := reCSRF.FindStringSubmatch(res.Body.String())
	if m == nil {
		t.Fatalf("login form without a CSRF token: %s", res.Body)
	}
	var formCookie *http.Cookie
	for _, c := range res.Result().Cookies() {
		if c.Value != "" {
			formCookie = c
		}
	}
	form := url.Values{"login": {login}, "password": {DemoPassword}, "csrf": {m[1]}}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(formCookie)
	res = f.serve(req)
	for _, c := range res.Result().Cookies() {
		if c.Name == "marshrut_session" && c.Value != "" {
			cookie = c.Value
		}
	}
	if res.Code != http.StatusSeeOther || cookie == "" {
		t.Fatalf("login %s: %d %s", login, res.Code, res.Body)
	}
	_, sess, _, err := f.authenticate(cookie)
	if err != nil {
		t.Fatal(err)
	}
	return cookie, sess.CSRF
}

func (f *accessFixture) authenticate(cookie string) (auth.User, auth.Session, auth.User, error) {
	sess, u, err := auth.NewService(f.st.Auth, time.Hour, testClock).Authenticate(f.ctx, cookie)
	return u, sess, u, err
}

func (f *accessFixture) serve(r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

// idPair is the ids of one kind of object for a login: own is one the login
// should reach (empty when it has none), foreign one it must not reach (empty
// when there is none: a whole-region role has nothing foreign in its region
// for objects that the foreign region lacks), and neighbour, for objects
// every organisation of the region sees (organisations, vacancies, offers),
// another organisation's one in the home region.
type idPair struct{ own, foreign, neighbour string }

// column reads one column of ids.
func (f *accessFixture) column(q string, args ...any) []string {
	f.t.Helper()
	rows, err := f.db.QueryContext(f.ctx, q, args...)
	if err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v sql.NullString
		if err := rows.Scan(&v); err != nil {
			f.t.Fatal(err)
		}
		out = append(out, v.String)
	}
	return out
}

// split picks the first candidate seen and the first not seen.
func split(cands []string, seen func(id string) bool) idPair {
	var p idPair
	for _, c := range cands {
		if seen(c) {
			if p.own == "" {
				p.own = c
			}
		} else if p.foreign == "" {
			p.foreign = c
		}
		if p.own != "" && p.foreign != "" {
			break
		}
	}
	return p
}

func atoi64(s string) int64 { n, _ := strconv.ParseInt(s, 10, 64); return n }

// scope is the login's scope as the server makes it.
func (f *accessFixture) scope(login string) auth.Scope { return f.users[login].Scope("192.0.2.1") }

// idsOf answers the ids of a kind of object for a login; home-region
// candidates come first so that «foreign» is a neighbour when there is one.
func (f *accessFixture) idsOf(kind, login string) idPair {
	ctx, sc, st := f.ctx, f.scope(login), f.st
	u := f.users[login]
	inRegion := func(table string) []string {
		return f.column(`SELECT id FROM ` + table + ` ORDER BY region_code = '` + homeRegion + `' DESC, id LIMIT 400`)
	}
	regionOf := func(table string) func(string) bool {
		return func(id string) bool {
			r := f.column(`SELECT region_code FROM `+table+` WHERE id = $1`, id)
			return len(r) == 1 && r[0] == u.RegionCode
		}
	}
	ok := func(err error) bool { return err == nil }
	switch kind {
	case "learner":
		// Whom the login sees is the test's own answer (sees), not the
		// store's; own is the first of them by name, as the list shows.
		// For the whole region's logins it is the first student: the routes
		// about a learner's study and risk are about students, and the first
		// name of the region may be a pupil's.
		seen := f.sees(login)
		own := ""
		filter := learner.Filter{Limit: 1}
		if u.Role == auth.Admin || u.Role == auth.Region {
			filter.Status = learner.Student
		}
		if list, _, err := st.Learners.Learners(ctx, sc, filter); err == nil && len(list) > 0 && seen[list[0].ID] {
			own = strconv.FormatInt(list[0].ID, 10)
		}
		// A neighbour of the same kind: for a college another college's student.
		cands := f.column(`SELECT id FROM learner ORDER BY region_code = '`+homeRegion+`' DESC,
			status = (SELECT status FROM learner WHERE id = $1) DESC, id LIMIT 800`, atoi64(own))
		p := split(cands, func(id string) bool { return seen[atoi64(id)] })
		p.own = own
		return p
	case "org":
		// Organisations are a registry every region reads (Store.Organisation
		// takes no scope): none is foreign, another one is a neighbour.
		p := split(inRegion("organisation"), regionOf("organisation"))
		p.foreign = ""
		if u.OrgID != 0 {
			p.own = strconv.FormatInt(u.OrgID, 10)
			p.neighbour = f.column(`SELECT id FROM organisation WHERE region_code = $1 AND id <> $2
				ORDER BY kind = (SELECT kind FROM organisation WHERE id = $2) DESC, id LIMIT 1`, u.RegionCode, u.OrgID)[0]
		}
		return p
	case "vacancy":
		p := split(f.column(`SELECT id FROM vacancy ORDER BY region_code = '`+homeRegion+`' DESC, id LIMIT 400`), regionOf("vacancy"))
		if u.Role == auth.Employer {
			inn := f.column(`SELECT inn FROM organisation WHERE id = $1`, u.OrgID)[0]
			// An open vacancy with candidates, so that its applicants are there.
			if own := f.column(`SELECT id FROM vacancy v WHERE employer_inn = $1 AND region_code = $2
				ORDER BY EXISTS (SELECT 1 FROM match_proposal p WHERE p.vacancy_id = v.id) DESC, closed, id LIMIT 1`, inn, u.RegionCode); len(own) > 0 {
				p.own = own[0]
			}
			p.neighbour = f.column(`SELECT id FROM vacancy WHERE employer_inn <> $1 AND region_code = $2 ORDER BY id LIMIT 1`, inn, u.RegionCode)[0]
		}
		return p
	case "user":
		if u.Role == auth.Admin {
			// The administrator is the installation's: every region's users are its own.
			return idPair{own: strconv.FormatInt(f.spareUser[homeRegion], 10)}
		}
		return idPair{own: strconv.FormatInt(f.spareUser[homeRegion], 10), foreign: strconv.FormatInt(f.spareUser[foreignRegion], 10)}
	case "token":
		return idPair{own: strconv.FormatInt(f.spareToken[login], 10), foreign: strconv.FormatInt(f.spareUserToken, 10)}
	case "usertoken":
		// A token of the spare user, whose account the user pages act on.
		return idPair{own: strconv.FormatInt(f.spareUserToken, 10)}
	case "job":
		return idPair{own: strconv.FormatInt(f.jobOf[login], 10), foreign: strconv.FormatInt(f.jobOf["spare"+homeRegion], 10)}
	case "event":
		p := split(inRegion("guidance_event"), func(id string) bool { _, err := st.Guidance.Event(ctx, u.RegionCode, atoi64(id)); return ok(err) })
		if u.OrgID != 0 {
			// An organisation's own event is one it organises (none of its
			// pupils recorded there, so that the routes of participation
			// find nothing to take off), another's is the neighbour.
			if own := f.column(`SELECT id FROM guidance_event e WHERE organiser_id = $1 AND region_code = $2
				AND NOT EXISTS (SELECT 1 FROM guidance_participation gp WHERE gp.event_id = e.id) ORDER BY id LIMIT 1`, u.OrgID, u.RegionCode); len(own) > 0 {
				p.own = own[0]
			}
			if n := f.column(`SELECT id FROM guidance_event WHERE organiser_id <> $1 AND region_code = $2 ORDER BY id LIMIT 1`, u.OrgID, u.RegionCode); len(n) > 0 {
				p.neighbour = n[0]
			}
		}
		return p
	case "offer":
		p := split(inRegion("targeted_offer"), func(id string) bool { _, err := st.Targeted.Offer(ctx, u.RegionCode, atoi64(id)); return ok(err) })
		if u.Role == auth.Employer {
			if own := f.column(`SELECT id FROM targeted_offer WHERE employer_id = $1 ORDER BY id LIMIT 1`, u.OrgID); len(own) > 0 {
				p.own = own[0]
			} else {
				p.own = ""
			}
			p.neighbour = f.column(`SELECT id FROM targeted_offer WHERE employer_id <> $1 AND region_code = $2 ORDER BY id LIMIT 1`, u.OrgID, u.RegionCode)[0]
		}
		return p
	case "application":
		return split(inRegion("targeted_application"), func(id string) bool { _, err := st.Targeted.Application(ctx, sc, atoi64(id)); return ok(err) })
	case "run":
		return split(inRegion("match_run"), func(id string) bool { _, err := st.Routing.MatchRun(ctx, u.RegionCode, atoi64(id)); return ok(err) })
	case "proposal":
		return split(inRegion("match_proposal"), func(id string) bool {
			l := f.column(`SELECT learner_id FROM match_proposal WHERE id = $1`, id)
			_, err := st.Learners.Learner(ctx, sc, atoi64(l[0]))
			return ok(err)
		})
	case "response":
		return split(inRegion("vacancy_response"), func(id string) bool { _, err := st.Youth.Response(ctx, sc, atoi64(id)); return ok(err) })
	case "myproposal":
		return split(inRegion("match_proposal"), func(id string) bool {
			list, _ := st.Youth.MyProposals(ctx, sc, 1000)
			for _, p := range list {
				if strconv.FormatInt(p.ID, 10) == id {
					return true
				}
			}
			return false
		})
	case "case":
		return split(inRegion("risk_case"), func(id string) bool { _, err := st.Risks.Case(ctx, sc, atoi64(id)); return ok(err) })
	case "mprogramme":
		return split(inRegion("mentor_programme"), func(id string) bool { _, err := st.Mentorship.Programme(ctx, sc, atoi64(id)); return ok(err) })
	case "pair":
		return split(inRegion("mentor_pair"), func(id string) bool { _, err := st.Mentorship.Pair(ctx, sc, atoi64(id)); return ok(err) })
	case "measprogramme":
		p := split(inRegion("measure_programme"), func(id string) bool { _, err := st.Measures.Programme(ctx, sc, atoi64(id)); return ok(err) })
		if u.Role == auth.CZN {
			// A centre edits the programmes it manages: one of its own, and
			// one it sees but does not manage as the neighbour.
			if own := f.column(`SELECT id FROM measure_programme WHERE manager_id = $1 ORDER BY id LIMIT 1`, u.OrgID); len(own) > 0 {
				p.own = own[0]
			}
			if other := f.column(`SELECT id FROM measure_programme WHERE COALESCE(manager_id, 0) <> $1 AND region_code = $2 ORDER BY id LIMIT 1`, u.OrgID, u.RegionCode); len(other) > 0 {
				p.neighbour = other[0]
			}
		}
		return p
	case "mentor":
		return split(inRegion("mentor"), func(id string) bool { _, err := st.Mentorship.Mentor(ctx, sc, atoi64(id)); return ok(err) })
	case "group":
		return split(inRegion("measure_group"), func(id string) bool { _, err := st.Measures.Group(ctx, sc, atoi64(id)); return ok(err) })
	case "enrolment":
		return split(inRegion("measure_enrolment"), func(id string) bool { _, err := st.Measures.Enrolment(ctx, sc, atoi64(id)); return ok(err) })
	case "service":
		p := split(inRegion("youth_service"), func(id string) bool { _, err := st.Referrals.Offering(ctx, sc, atoi64(id)); return ok(err) })
		if u.Role == auth.CZN {
			// A centre's own service, and another centre's as the neighbour.
			p.own = f.column(`SELECT id FROM youth_service WHERE czn_id = $1 ORDER BY id LIMIT 1`, u.OrgID)[0]
			p.neighbour = f.column(`SELECT id FROM youth_service WHERE czn_id <> $1 AND region_code = $2 ORDER BY id LIMIT 1`, u.OrgID, u.RegionCode)[0]
		}
		return p
	case "referral":
		return split(inRegion("referral"), func(id string) bool { _, err := st.Referrals.Referral(ctx, sc, atoi64(id)); return ok(err) })
	case "cluster":
		return split(inRegion("cluster"), func(id string) bool { _, err := st.Clusters.Cluster(ctx, sc, atoi64(id)); return ok(err) })
	case "defence":
		return split(inRegion("cluster_defence"), func(id string) bool { _, err := st.Clusters.Defence(ctx, u.RegionCode, atoi64(id)); return ok(err) })
	case "need":
		// Deleting a need takes it: each login gets one of its own.
		list, _ := st.Balance.Needs(ctx, sc, balance.NeedFilter{})
		p := split(inRegion("employer_need"), func(id string) bool {
			return slices.ContainsFunc(list, func(n balance.Need) bool { return strconv.FormatInt(n.ID, 10) == id })
		})
		if len(list) > 0 {
			p.own = strconv.FormatInt(list[min(slices.Index(accessLogins, login), len(list)-1)].ID, 10)
		}
		return p
	case "scenario":
		// Deleting a scenario takes it: admin and region get one each.
		p := split(inRegion("balance_scenario"), func(id string) bool { _, err := st.Balance.Scenario(ctx, u.RegionCode, atoi64(id)); return ok(err) })
		if login == "region" && p.own != "" {
			p.own = strconv.FormatInt(atoi64(p.own)+1, 10)
		}
		return p
	case "report":
		return split(inRegion("report"), func(id string) bool { _, err := st.Reports.Report(ctx, u.RegionCode, atoi64(id)); return ok(err) })
	case "bgroup":
		// A specialty group of the balance: its key is group code and level.
		return idPair{own: f.balanceKey()}
	case "regioncode":
		// Region codes are no secret: a region without a bundle is named in
		// the answer, so none is foreign.
		return idPair{own: homeRegion}
	case "table":
		return idPair{own: "learners"}
	case "row":
		return idPair{own: "1"}
	}
	f.t.Fatalf("no way to pick ids of kind %q", kind)
	return idPair{}
}

// balanceKey is the key of the first group of the region's balance, as the
// API lists it.
func (f *accessFixture) balanceKey() string {
	res := f.serve(f.apiRequest("GET", "/api/v1/balance", "region"))
	var b struct {
		Rows []struct {
			Key string `json:"key"`
		} `json:"rows"`
	}
	json.Unmarshal(res.Body.Bytes(), &b)
	if len(b.Rows) == 0 {
		f.t.Fatalf("no balance rows: %d %.300s", res.Code, res.Body)
	}
	return b.Rows[0].Key
}

// apiRequest is an empty API request of a login ("" for none).
func (f *accessFixture) apiRequest(method, path, login string) *http.Request {
	var body io.Reader
	if method == "POST" || method == "PUT" {
		body = strings.NewReader("{}")
	}
	r := httptest.NewRequest(method, path, body)
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	r.Header.Set("Accept", "application/json")
	if login != "" {
		r.Header.Set("Authorization", "Bearer "+f.token[login])
	}
	return r
}

// webRequest is a page request of a login ("" for none); a POST carries
// only the session's CSRF token.
func (f *accessFixture) webRequest(method, path, login string) *http.Request {
	var body io.Reader
	if method != "GET" && login != "" {
		body = strings.NewReader(url.Values{"csrf": {f.csrf[login]}}.Encode())
	}
	r := httptest.NewRequest(method, path, body)
	if body != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if login != "" {
		r.AddCookie(&http.Cookie{Name: "marshrut_session", Value: f.cookie[login]})
	}
	return r
}

// waitJobs waits until the jobs the walk started (a training, a report) end,
// so that the database is compared at rest.
func (f *accessFixture) waitJobs() {
	deadline := time.Now().Add(time.Minute)
	for {
		n := f.column(`SELECT count(*) FROM job WHERE status NOT IN ('done', 'failed')`)
		if n[0] == "0" {
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("%s jobs still running after a minute", n[0])
		}
		time.Sleep(20 * time.Millisecond)
	}
}
