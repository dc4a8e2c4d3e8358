package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/config"
	"marshrut/internal/demo"
	"marshrut/internal/learner"
	"marshrut/internal/store"
)

// The load generator lives in a benchmark rather than in a `marshrut
// loadtest` command: it needs the demo users' password and the store to pick
// the learners each user may open, it belongs with the other page
// benchmarks whose figures go into BENCHMARKS.md, and a production binary
// has no business carrying a tool that floods a server.

// loadCall is one kind of request in the mix, with its weight.
type loadCall struct {
	name   string
	weight int
	// path picks the request's path; api calls go with the region's token.
	path func(r *rand.Rand) string
	api  bool
	user string // whose session a page is requested in
}

// loadTarget is a served region with its users logged in.
type loadTarget struct {
	base     string
	browsers map[string]*http.Client
	token    string
	calls    []loadCall
	total    int
}

// loadResult is what a load run measured.
type loadResult struct {
	requests, errors int
	elapsed          time.Duration
	latency          map[string][]time.Duration
	firstErrors      []string
}

// serveForLoad starts the real server (http.Server with its timeouts) on a
// loopback port, logs in the demo users and prepares the mix: the dashboard,
// filtered lists, learner cards (audited reads), vacancies and the API.
func serveForLoad(tb testing.TB, cfg *config.Config, st *store.Store) *loadTarget {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	c := *cfg
	c.Addr = "127.0.0.1:0"
	go func() {
		done <- serve(ctx, &env{clock: testClock, stdout: io.Discard, stderr: io.Discard}, &c, st, func(a string) { addr <- a })
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case err := <-done:
		tb.Fatalf("serve: %v", err)
	}
	tb.Cleanup(func() {
		cancel()
		<-done
	})
	t := &loadTarget{base: base, browsers: map[string]*http.Client{}}
	transport := &http.Transport{MaxIdleConnsPerHost: 64}
	tb.Cleanup(transport.CloseIdleConnections)
	ids := map[string][]int64{}
	for _, login := range []string{"region", "college", "school", "czn"} {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar, Transport: transport, Timeout: time.Minute,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Get(base + "/login")
		if err != nil {
			tb.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := reCSRF.FindStringSubmatch(string(page))
		resp, err = client.PostForm(base+"/login", url.Values{"login": {login}, "password": {DemoPassword}, "csrf": {m[1]}})
		if err != nil {
			tb.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			tb.Fatalf("login %s: %d", login, resp.StatusCode)
		}
		t.browsers[login] = client
		u, _, err := st.Auth.UserByLogin(context.Background(), login)
		if err != nil {
			tb.Fatal(err)
		}
		list, _, err := st.Learners.Learners(context.Background(), u.Scope("127.0.0.1"), learner.Filter{Limit: 500})
		if err != nil {
			tb.Fatal(err)
		}
		for _, l := range list {
			ids[login] = append(ids[login], l.ID)
		}
	}
	u, _, err := st.Auth.UserByLogin(context.Background(), "region")
	if err != nil {
		tb.Fatal(err)
	}
	if t.token, _, err = auth.NewService(st.Auth, time.Hour, testClock).CreateToken(context.Background(), u, "load"); err != nil {
		tb.Fatal(err)
	}
	pick := func(login string) func(r *rand.Rand) string {
		return func(r *rand.Rand) string {
			list := ids[login]
			if len(list) == 0 {
				return "/learners"
			}
			return "/learners/" + strconv.FormatInt(list[r.IntN(len(list))], 10)
		}
	}
	fixed := func(p string) func(*rand.Rand) string { return func(*rand.Rand) string { return p } }
	statuses := []string{"pupil", "student", "graduate"}
	t.calls = []loadCall{
		{name: "dashboard/region", weight: 10, user: "region", path: fixed("/")},
		{name: "dashboard/college", weight: 6, user: "college", path: fixed("/")},
		{name: "learners/region", weight: 10, user: "region", path: func(r *rand.Rand) string {
			return fmt.Sprintf("/learners?status=%s&sort=name&page=%d", statuses[r.IntN(3)], 1+r.IntN(20))
		}},
		{name: "learners/college", weight: 6, user: "college", path: func(r *rand.Rand) string {
			return fmt.Sprintf("/learners?page=%d", 1+r.IntN(5))
		}},
		{name: "card/region", weight: 10, user: "region", path: pick("region")},
		{name: "card/college", weight: 6, user: "college", path: pick("college")},
		{name: "card/czn", weight: 4, user: "czn", path: pick("czn")},
		{name: "pupils/school", weight: 4, user: "school", path: fixed("/guidance/pupils")},
		{name: "vacancies", weight: 6, user: "czn", path: func(r *rand.Rand) string { return fmt.Sprintf("/vacancies?page=%d", 1+r.IntN(5)) }},
		{name: "organisations", weight: 4, user: "region", path: fixed("/organisations")},
		{name: "api/learners", weight: 12, api: true, path: func(r *rand.Rand) string {
			return fmt.Sprintf("/api/v1/learners?limit=50&offset=%d", 50*r.IntN(20))
		}},
		{name: "api/learner", weight: 12, api: true, path: func(r *rand.Rand) string {
			list := ids["region"]
			return "/api/v1/learners/" + strconv.FormatInt(list[r.IntN(len(list))], 10)
		}},
		{name: "api/organisations", weight: 4, api: true, path: fixed("/api/v1/organisations?limit=50")},
	}
	for _, c := range t.calls {
		t.total += c.weight
	}
	return t
}

// run sends the mix from workers concurrent clients until the deadline or
// until each has sent perWorker requests (0: no such bound).
func (t *loadTarget) run(workers int, d time.Duration, perWorker int) loadResult {
	res := loadResult{latency: map[string][]time.Duration{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 42))
			local := map[string][]time.Duration{}
			var n, errs int
			var first []string
			for i := 0; (perWorker == 0 || i < perWorker) && time.Now().Before(deadline); i++ {
				c := t.pick(r)
				path := c.path(r)
				began := time.Now()
				status, err := t.send(c, path)
				local[c.name] = append(local[c.name], time.Since(began))
				n++
				if err != nil || status != http.StatusOK {
					errs++
					if len(first) < 5 {
						first = append(first, fmt.Sprintf("%s %s: %d %v", c.name, path, status, err))
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			res.requests += n
			res.errors += errs
			res.firstErrors = append(res.firstErrors, first...)
			for k, v := range local {
				res.latency[k] = append(res.latency[k], v...)
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// send sends one request of the kind c and reads the answer through.
func (t *loadTarget) send(c loadCall, path string) (int, error) {
	req, _ := http.NewRequest("GET", t.base+path, nil)
	client := t.browsers["region"]
	if c.api {
		req.Header.Set("Authorization", "Bearer "+t.token)
	} else {
		client = t.browsers[c.user]
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// warm sends every kind of request of the mix once, one after another, and
// answers what failed.
func (t *loadTarget) warm() []string {
	var failed []string
	r := rand.New(rand.NewPCG(0, 42))
	for _, c := range t.calls {
		path := c.path(r)
		if status, err := t.send(c, path); err != nil || status != http.StatusOK {
			failed = append(failed, fmt.Sprintf("%s %s: %d %v", c.name, path, status, err))
		}
	}
	return failed
}

func (t *loadTarget) pick(r *rand.Rand) loadCall {
	x := r.IntN(t.total)
	for _, c := range t.calls {
		if x < c.weight {
			return c
		}
		x -= c.weight
	}
	return t.calls[len(t.calls)-1]
}

// quantile is the q-quantile of sorted durations.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

// all is every latency of the run, sorted.
func (r loadResult) all() []time.Duration {
	var out []time.Duration
	for _, v := range r.latency {
		out = append(out, v...)
	}
	slices.Sort(out)
	return out
}

// table is the run as a Markdown table for BENCHMARKS.md.
func (r loadResult) table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "| request | count | p50, ms | p99, ms | max, ms |\n|---|---:|---:|---:|---:|\n")
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range r.latency {
			if !yield(k) {
				return
			}
		}
	})
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) }
	for _, k := range append(names, "all") {
		v := r.latency[k]
		if k == "all" {
			v = r.all()
		} else {
			v = slices.Sorted(slices.Values(v))
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s |\n", k, len(v), ms(quantile(v, .5)), ms(quantile(v, .99)), ms(v[len(v)-1]))
	}
	fmt.Fprintf(&b, "\n%d requests in %.1f s: %.0f req/s, %d errors\n", r.requests, r.elapsed.Seconds(), float64(r.requests)/r.elapsed.Seconds(), r.errors)
	return b.String()
}

// Many clients at once over loopback get every page and API call right: the
// mix of the load benchmark, bounded by a number of requests, on a small
// region. The figures are the benchmark's; this checks only that nothing fails.
func TestLoadMixWithoutErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a demo region and serves it")
	}
	db := filepath.Join(t.TempDir(), "load.db")
	demoRegion(t, db, 300)
	cfg := testConfig()
	cfg.DatabaseURL, cfg.LogLevel = db, 8
	st, err := openStore(context.Background(), &cfg, cfg.Logger())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// The bound is the number of requests; the deadline only guards against a
	// hang (under -race the pure-Go SQLite is many times slower).
	const workers, each = 6, 10
	res := serveForLoad(t, &cfg, st).run(workers, 10*time.Minute, each)
	if res.requests != workers*each {
		t.Errorf("%d requests sent, want %d", res.requests, workers*each)
	}
	if res.errors != 0 {
		t.Errorf("%d of %d requests failed: %s", res.errors, res.requests, strings.Join(res.firstErrors, "; "))
	}
}

// BenchmarkLoad serves a region on loopback and sends it the mix of pages
// and API calls from concurrent clients for a fixed time
// (MARSHRUT_LOAD_SECONDS, 30 by default; MARSHRUT_LOAD_WORKERS clients, 16 by
// default). It reports requests per second, p50 and p99 and the errors, and
// logs the table per request kind. The region is an existing one when
// MARSHRUT_BENCH_DB (SQLite) or MARSHRUT_BENCH_POSTGRES_DSN (PostgreSQL)
// names it — a region of a million learners, say — and otherwise the default
// demo region, generated afresh. Before the clock starts, every kind of
// request is sent once, as a server that has been up a while has answered
// each already (the monitoring figures counted, the caches filled).
//
//	go test ./cmd/marshrut -run '^$' -bench '^BenchmarkLoad$' -benchtime 1x -v
//	MARSHRUT_BENCH_DB=big.db MARSHRUT_LOAD_SECONDS=60 MARSHRUT_LOAD_WORKERS=64 \
//	  go test ./cmd/marshrut -run '^$' -bench '^BenchmarkLoad$' -benchtime 1x -timeout 30m -v
func BenchmarkLoad(b *testing.B) {
	seconds, workers := 30, 16
	if v, err := strconv.Atoi(os.Getenv("MARSHRUT_LOAD_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	if v, err := strconv.Atoi(os.Getenv("MARSHRUT_LOAD_WORKERS")); err == nil && v > 0 {
		workers = v
	}
	cfg, st := benchRegion(b, demo.DefaultLearners)
	cfg.LogLevel = 8
	target := serveForLoad(b, cfg, st)
	if failed := target.warm(); len(failed) > 0 {
		b.Fatalf("warming up: %s", strings.Join(failed, "; "))
	}
	var res loadResult
	for b.Loop() {
		res = target.run(workers, time.Duration(seconds)*time.Second, 0)
	}
	all := res.all()
	b.ReportMetric(float64(res.requests)/res.elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(quantile(all, .5).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(quantile(all, .99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(res.errors), "errors")
	b.Logf("%s, %d clients:\n%s", st.Engine(), workers, res.table())
	if res.errors > 0 {
		b.Errorf("%d errors: %s", res.errors, strings.Join(res.firstErrors, "; "))
	}
}
