package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/config"
	"marshrut/internal/guidance"
	"marshrut/internal/store"
)

// benchRegion opens a region of n learners for the page benchmarks: the file
// named by MARSHRUT_BENCH_DB when it is set (generated there on the first run
// and reused after), otherwise a fresh one in a temporary folder. With
// MARSHRUT_BENCH_POSTGRES_DSN set, the region lives in that PostgreSQL database.
func benchRegion(b *testing.B, n int) (*config.Config, *store.Store) {
	b.Helper()
	ctx := context.Background()
	cfg := testConfig()
	cfg.LogLevel = 8
	cfg.DatabaseURL = os.Getenv("MARSHRUT_BENCH_DB")
	if pg := os.Getenv("MARSHRUT_BENCH_POSTGRES_DSN"); pg != "" {
		cfg.DatabaseURL = pg
	}
	if cfg.DatabaseURL == "" {
		cfg.DatabaseURL = filepath.Join(b.TempDir(), "bench.db")
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, total, err := st.Learners.Learners(ctx, auth.SystemScope(cfg.Region), learnerFilterOne); err != nil {
		b.Fatal(err)
	} else if total == 0 {
		e := &env{clock: testClock, stdout: io.Discard, stderr: io.Discard}
		if err := generate(ctx, e, &cfg, st, 1, n); err != nil {
			b.Fatal(err)
		}
		if err := demoUsers(ctx, io.Discard, &cfg, st); err != nil {
			b.Fatal(err)
		}
	}
	return &cfg, st
}

var reCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// session logs a user in and returns the cookie of the session.
func session(b testing.TB, h http.Handler, login string) *http.Cookie {
	b.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/login", nil))
	m := reCSRF.FindStringSubmatch(rec.Body.String())
	form := url.Values{"login": {login}, "password": {DemoPassword}, "csrf": {m[1]}}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "marshrut_session" && c.Value != "" {
			return c
		}
	}
	b.Fatalf("login %s: %d", login, rec.Code)
	return nil
}

// BenchmarkPages measures the server-side time of the dashboard and of a
// filtered learner list on a region of a million learners, as the region's
// analyst and as a college, and reports the 95th percentile.
//
//	go test ./cmd/marshrut -run '^$' -bench Pages -benchtime 200x
func BenchmarkPages(b *testing.B) {
	cfg, st := benchRegion(b, 1_000_000)
	h, err := handler(cfg, st)
	if err != nil {
		b.Fatal(err)
	}
	pages := []struct{ name, user, path string }{
		{"dashboard/region", "region", "/"},
		{"dashboard/college", "college", "/"},
		{"learners/region-filtered", "region", "/learners?status=graduate&year=2025&sort=name&page=3"},
		{"learners/region-search", "region", "/learners?q=" + url.QueryEscape("Иванова Мария")},
		{"learners/college-filtered", "college", "/learners?status=student&sort=birth_date&desc=1"},
		{"guidance/coverage-region", "region", "/guidance/coverage?by=municipality"},
		{"guidance/coverage-school", "school", "/guidance/coverage"},
		{"guidance/not-reached-school", "school", "/guidance/pupils?not=reached"},
		{"targeted/offers", "region", "/targeted"},
		{"targeted/figures", "region", "/targeted/figures"},
		{"monitoring/region", "region", "/monitoring"},
		{"monitoring/municipality-czn", "czn", "/monitoring"},
		{"monitoring/college", "college", "/monitoring"},
		{"risk/region-list", "region", "/risk"},
		{"risk/college-list", "college", "/risk"},
		{"balance/region", "region", "/balance"},
		{"measures/figures-region", "region", "/measures/figures"},
		{"mentorship/figures-region", "region", "/mentorship/figures"},
		{"federal/regions", "federal", "/federal"},
	}

	// The coverage of the whole region counted afresh, as the first dashboard
	// after a write sees it; later ones reuse the count for two minutes.
	b.Run("coverage/region-uncached", func(b *testing.B) {
		year := guidance.YearOf(testClock())
		var times []time.Duration
		for b.Loop() {
			start := time.Now()
			if _, _, err := st.Guidance.Coverage(context.Background(), auth.SystemScope(cfg.Region), year, ""); err != nil {
				b.Fatal(err)
			}
			times = append(times, time.Since(start))
		}
		slices.Sort(times)
		b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
		b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	})
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			cookie := session(b, h, p.user)
			var times []time.Duration
			for b.Loop() {
				req := httptest.NewRequest("GET", p.path, nil)
				req.AddCookie(cookie)
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				times = append(times, time.Since(start))
				if rec.Code != 200 {
					b.Fatalf("%s: %d", p.path, rec.Code)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
		})
	}
}

// BenchmarkAPIList loads the API's learner list from 8 concurrent clients over
// real TCP for the benchmark's duration and reports requests per second and errors.
//
//	go test ./cmd/marshrut -run '^$' -bench APIList -benchtime 2000x
func BenchmarkAPIList(b *testing.B) {
	cfg, st := benchRegion(b, 0)
	h, err := handler(cfg, st)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	u, _, err := st.Auth.UserByLogin(context.Background(), "region")
	if err != nil {
		b.Fatal(err)
	}
	secret, _, err := auth.NewService(st.Auth, time.Hour, testClock).CreateToken(context.Background(), u, "bench")
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	var errs atomic.Int64
	var next atomic.Int64
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
				req, _ := http.NewRequest("GET", srv.URL+"/api/v1/learners?status=graduate&limit=50&offset="+strconv.FormatInt(i%100*50, 10), nil)
				req.Header.Set("Authorization", "Bearer "+secret)
				resp, err := client.Do(req)
				if err != nil {
					errs.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs.Add(1)
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
	b.ReportMetric(float64(errs.Load()), "errors")
}

// BenchmarkServeRSS builds the binary, generates the default demo region, runs
// `marshrut serve`, requests every page a few hundred times and reports the
// peak resident memory of the process (VmHWM).
//
//	go test ./cmd/marshrut -run '^$' -bench ServeRSS -benchtime 1x
func BenchmarkServeRSS(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "marshrut")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "demo.db")
	if out, err := exec.Command(bin, "demo", "--db", db, "--today", testDayArg, "--generate-only").CombinedOutput(); err != nil {
		b.Fatalf("demo: %v\n%s", err, out)
	}
	for b.Loop() {
		cmd := exec.Command(bin, "serve", "--db", db, "--addr", "127.0.0.1:0", "--log-level", "warn")
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		buf := make([]byte, 256)
		n, _ := stdout.Read(buf)
		addr := strings.TrimSpace(strings.TrimPrefix(string(buf[:n]), "Маршрут работает: "))
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		resp, err := c.Get(addr + "/login")
		if err != nil {
			b.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := reCSRF.FindStringSubmatch(string(page))
		resp, err = c.PostForm(addr+"/login", url.Values{"login": {"region"}, "password": {DemoPassword}, "csrf": {m[1]}})
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		for i := 0; i < 300; i++ {
			for _, p := range []string{"/", "/learners?status=graduate&page=" + strconv.Itoa(i%50+1), "/organisations", "/learners/" + strconv.Itoa(i+1)} {
				resp, err := c.Get(addr + p)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
		status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		for _, line := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
				b.ReportMetric(float64(kb)/1024, "MB-rss-peak")
			}
		}
	}
}

// BenchmarkMonitorSnapshot counts the snapshot behind the monitoring pages
// afresh, as the server does in the background every five minutes:
//
//	MARSHRUT_BENCH_DB=big.db go test ./cmd/marshrut -run '^$' -bench MonitorSnapshot -benchtime 3x
func BenchmarkMonitorSnapshot(b *testing.B) {
	cfg, st := benchRegion(b, 1_000_000)
	for b.Loop() {
		if _, err := st.Analytics.MonitorSnapshot(context.Background(), cfg.Region, testClock(), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMeasures times GET /api/v1/measures for the region server-side:
// as read from the snapshot, and after a write of a college touched its
// figures (recounted before the answer), and reports p50 and p95.
//
//	MARSHRUT_BENCH_DB=big.db go test ./cmd/marshrut -run '^$' -bench Measures -benchtime 200x
func BenchmarkMeasures(b *testing.B) {
	cfg, st := benchRegion(b, 1_000_000)
	ctx := context.Background()
	a, err := newApp(cfg, st)
	if err != nil {
		b.Fatal(err)
	}
	u, _, err := st.Auth.UserByLogin(ctx, "region")
	if err != nil {
		b.Fatal(err)
	}
	secret, _, err := auth.NewService(st.Auth, time.Hour, testClock).CreateToken(ctx, u, "bench")
	if err != nil {
		b.Fatal(err)
	}
	college, _, err := st.Auth.UserByLogin(ctx, "college")
	if err != nil {
		b.Fatal(err)
	}
	get := func() time.Duration {
		req := httptest.NewRequest("GET", "/api/v1/measures?scope=region", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		rec := httptest.NewRecorder()
		start := time.Now()
		a.handler.ServeHTTP(rec, req)
		d := time.Since(start)
		if rec.Code != http.StatusOK {
			b.Fatalf("measures: %d %s", rec.Code, rec.Body.String())
		}
		return d
	}
	start := time.Now()
	get() // the first count of the snapshot
	b.ReportMetric(time.Since(start).Seconds(), "first-s")
	for _, mode := range []string{"read", "after-write"} {
		b.Run(mode, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				if mode == "after-write" {
					a.monitor.Touch(cfg.Region, college.OrgID)
				}
				times = append(times, get())
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}
