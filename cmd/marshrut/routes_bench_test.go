package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"marshrut/internal/api"
	"marshrut/internal/auth"
	"marshrut/internal/server"
	"marshrut/internal/store"
)

// routeTiming is what BenchmarkRoutes measured of one route as one login.
type routeTiming struct {
	route, login, path string
	status             int
	first              time.Duration   // the first request, before any cache of the route
	times              []time.Duration // the requests after it, sorted
}

func (r routeTiming) p(q float64) time.Duration { return quantile(r.times, q) }

// benchRouteTables are the tables whose rows name the objects of the path
// parameters a route takes, by the kind the access matrix gives them
// (paramKind); a kind not here is not walked (users, tokens, jobs: the
// installation's own, not the region's lists).
var benchRouteTables = map[string]string{
	"learner": "learner", "org": "organisation", "vacancy": "vacancy", "event": "guidance_event",
	"offer": "targeted_offer", "application": "targeted_application", "run": "match_run",
	"case": "risk_case", "mprogramme": "mentor_programme", "mentor": "mentor", "pair": "mentor_pair",
	"measprogramme": "measure_programme", "group": "measure_group", "service": "youth_service",
	"cluster": "cluster", "defence": "cluster_defence", "scenario": "balance_scenario", "report": "report",
}

// benchDownload says whether a route hands out a file rather than a page or
// a list: exports are jobs of their own and not held to a page's time.
func benchDownload(path string) bool {
	return strings.Contains(path, "/export") || strings.HasSuffix(path, ".csv") || strings.HasSuffix(path, "/xlsx") ||
		strings.HasSuffix(path, ".json") || strings.HasSuffix(path, "/protocol")
}

// BenchmarkRoutes walks every page and every API list of the server's and
// the API's own tables (GET, files to download aside) on an existing
// region — MARSHRUT_BENCH_DB or MARSHRUT_BENCH_POSTGRES_DSN — as every demo
// login the access matrix's rules allow, and times each request inside the
// process (the handler called directly, as the server calls it). A route
// with an object in its path is walked as the region's analyst with the
// region's newest object of its kind. Each route gets one first request
// (timed apart: it fills what the route caches) and then
// MARSHRUT_BENCH_ROUTE_N more (10 by default; fewer, down to one, when they
// pass two seconds together; none when the first took over five seconds,
// whose figures are then the first's), of which p50 and p95 are reported; the log
// holds the slowest ten by p95 and the whole table, and -v shows each route
// on stderr as it is done. MARSHRUT_BENCH_ROUTES, a regular expression
// over "path as login", walks only the routes it matches.
//
//	MARSHRUT_BENCH_DB=big.db go test ./cmd/marshrut -run '^$' -bench '^BenchmarkRoutes$' -benchtime 1x -timeout 30m -v
func BenchmarkRoutes(b *testing.B) {
	ctx := context.Background()
	n := 10
	if v, err := strconv.Atoi(os.Getenv("MARSHRUT_BENCH_ROUTE_N")); err == nil && v > 0 {
		n = v
	}
	cfg, st := benchRegion(b, 1_000_000)
	a, err := newApp(cfg, st)
	if err != nil {
		b.Fatal(err)
	}
	srv, ok := a.handler.(*server.Server)
	if !ok {
		b.Fatalf("handler is %T", a.handler)
	}
	// The monitoring figures are counted before the first page, as serve does.
	if _, err := a.monitor.Snapshot(ctx, cfg.Region); err != nil {
		b.Fatal(err)
	}
	db := benchRawDB(b, cfg.DatabaseURL, st.Engine())

	cookies, tokens := map[string]*http.Cookie{}, map[string]string{}
	authSvc := auth.NewService(st.Auth, time.Hour, testClock)
	for _, login := range accessLogins {
		u, _, err := st.Auth.UserByLogin(ctx, login)
		if err != nil {
			continue // the region has no such demo user
		}
		cookies[login] = session(b, srv, login)
		if tokens[login], _, err = authSvc.CreateToken(ctx, u, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	// ids of the region's objects, as the region's analyst sees them.
	idOf := map[string]string{}
	pick := func(kind string) string {
		if id, ok := idOf[kind]; ok {
			return id
		}
		id := ""
		switch {
		case kind == "regioncode":
			id = cfg.Region
		case kind == "table":
			id = "learners"
		case kind == "row":
			id = "1"
		case kind == "learner":
			// a student: the routes about study and risk are about students
			id = benchColumn(b, db, `SELECT max(id) FROM learner WHERE region_code = $1 AND status = 'student'`, cfg.Region)
		case benchRouteTables[kind] != "":
			id = benchColumn(b, db, `SELECT max(id) FROM `+benchRouteTables[kind]+` WHERE region_code = $1`, cfg.Region)
		}
		idOf[kind] = id
		return id
	}

	type walk struct {
		isAPI              bool
		route, login, path string
	}
	var walks []walk
	var only *regexp.Regexp
	if v := os.Getenv("MARSHRUT_BENCH_ROUTES"); v != "" {
		only = regexp.MustCompile(v)
	}
	add := func(isAPI bool, route, path string, rl rule) {
		if rl.allow == "public" || rl.skip != "" || benchDownload(path) {
			return
		}
		names := params(path)
		logins := slices.Sorted(func(yield func(string) bool) {
			for l := range expand(rl.allow) {
				if cookies[l] != nil && !yield(l) {
					return
				}
			}
		})
		if len(names) > 0 {
			if !expand(rl.allow)["region"] {
				return
			}
			logins = []string{"region"}
			for _, p := range names {
				id := pick(paramKind(path, p))
				if id == "" {
					return
				}
				path = strings.Replace(path, "{"+p+"}", id, 1)
			}
		}
		for _, l := range logins {
			if only == nil || only.MatchString(path+" as "+l) {
				walks = append(walks, walk{isAPI, route, l, path})
			}
		}
	}
	for _, r := range srv.Routes() {
		method, path, _ := strings.Cut(r.Pattern, " ")
		if method != "GET" {
			continue
		}
		rl := webRules[r.Pattern]
		path = strings.ReplaceAll(path, "{$}", "")
		if rl.path != "" {
			path = rl.path
		}
		add(false, r.Pattern, path, rl)
	}
	for _, r := range api.Routes() {
		if r.Method != "GET" {
			continue
		}
		p := r.Method + " " + r.Pattern
		add(true, "GET "+api.Prefix+r.Pattern, api.Prefix+r.Pattern, apiRules[p])
	}

	var res []routeTiming
	for b.Loop() {
		res = res[:0]
		for _, w := range walks {
			get := func() (time.Duration, int) {
				req := httptest.NewRequest("GET", w.path, nil)
				if w.isAPI {
					req.Header.Set("Authorization", "Bearer "+tokens[w.login])
					req.Header.Set("Accept", "application/json")
				} else {
					req.AddCookie(cookies[w.login])
				}
				rec := httptest.NewRecorder()
				start := time.Now()
				srv.ServeHTTP(rec, req)
				return time.Since(start), rec.Code
			}
			t := routeTiming{route: w.route, login: w.login, path: w.path}
			t.first, t.status = get()
			// A route is asked n times more, or for as long as two seconds
			// allow, and at least once; a route whose first answer took
			// more than five seconds is not asked again (its figures are
			// that answer's): the walk keeps to minutes.
			var spent time.Duration
			reps := n
			if t.first > 5*time.Second {
				t.times, reps = append(t.times, t.first), 0
			}
			for i := 0; i < reps && (i < 1 || spent < 2*time.Second); i++ {
				d, code := get()
				spent += d
				t.times = append(t.times, d)
				if code != http.StatusOK {
					t.status = code
				}
			}
			slices.Sort(t.times)
			res = append(res, t)
			if testing.Verbose() {
				fmt.Fprintf(os.Stderr, "%s as %s: %d, first %s, p95 %s\n", t.path, t.login, t.status, t.first.Round(time.Millisecond), t.p(.95).Round(time.Millisecond))
			}
		}
	}
	slices.SortFunc(res, func(x, y routeTiming) int { return int(y.p(.95) - x.p(.95)) })
	over := 0
	for _, t := range res {
		if t.p(.95) > 100*time.Millisecond {
			over++
		}
	}
	b.ReportMetric(float64(len(res)), "routes")
	b.ReportMetric(float64(over), "over-100ms")
	b.ReportMetric(float64(res[0].p(.95).Microseconds())/1000, "max-p95-ms")
	b.Logf("%s, %d routes × logins, the slowest ten by p95:\n%s", st.Engine(), len(res), routeTable(res[:min(10, len(res))]))
	b.Logf("every route:\n%s", routeTable(res))
}

// routeTable is the timings as a Markdown table.
func routeTable(res []routeTiming) string {
	var sb strings.Builder
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) }
	sb.WriteString("| route | login | status | first, ms | p50, ms | p95, ms | n |\n|---|---|---:|---:|---:|---:|---:|\n")
	for _, t := range res {
		fmt.Fprintf(&sb, "| `%s` | %s | %d | %s | %s | %s | %d |\n", t.path, t.login, t.status, ms(t.first), ms(t.p(.5)), ms(t.p(.95)), len(t.times))
	}
	return sb.String()
}

// benchRawDB opens the region's database beside the store, to pick ids by SQL.
func benchRawDB(b *testing.B, url string, engine store.Engine) *sql.DB {
	b.Helper()
	driver, dsn := "sqlite", "file:"+url+"?mode=ro"
	if engine == store.Postgres {
		driver, dsn = "pgx", url
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// benchColumn is the one value of q ("" for NULL or no row).
func benchColumn(b *testing.B, db *sql.DB, q string, args ...any) string {
	b.Helper()
	var v sql.NullString
	if err := db.QueryRow(q, args...).Scan(&v); err != nil && err != sql.ErrNoRows {
		b.Fatalf("%s: %v", q, err)
	}
	return v.String
}
