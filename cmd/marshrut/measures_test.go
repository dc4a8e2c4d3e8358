package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/config"
	"marshrut/internal/exchange"
	"marshrut/internal/kpi"
	"marshrut/internal/measures"
	"marshrut/internal/report"
	"marshrut/internal/rollup"
	"marshrut/internal/store"
	"marshrut/internal/tables"
)

// pair is a measure's numerator and denominator as one place shows them.
type pair struct{ num, den int }

func (p pair) String() string { return fmt.Sprintf("%d из %d", p.num, p.den) }

var reMeasure = regexp.MustCompile(`data-measure="([a-z0-9_]+)" data-num="(\d+)" data-den="(\d+)"`)

// cardsOf reads the measures' cards of a page (the block «kpis»).
func cardsOf(t *testing.T, page string) map[string]pair {
	t.Helper()
	i := strings.Index(page, `id="kpis"`)
	if i < 0 {
		t.Fatalf("no measures on the page: %.300s", page)
	}
	block := page[i:]
	block = block[:strings.Index(block, "</div>")]
	out := map[string]pair{}
	for _, m := range reMeasure.FindAllStringSubmatch(block, -1) {
		n, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		out[m[1]] = pair{n, d}
	}
	return out
}

// measuresSite is a small demo region served in memory, with a session and
// an API token for each demo login.
type measuresSite struct {
	cfg    *config.Config
	st     *store.Store
	h      http.Handler
	cookie map[string]*http.Cookie
	token  map[string]string
}

func newMeasuresSite(t *testing.T) *measuresSite {
	t.Helper()
	ctx := context.Background()
	cfg := testConfig()
	cfg.DatabaseURL = filepath.Join(t.TempDir(), "measures.db")
	cfg.LogLevel = 8 // quiet
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{clock: testClock, stdout: io.Discard, stderr: io.Discard}
	if err := generate(ctx, e, &cfg, st, 5, 4000); err != nil {
		t.Fatal(err)
	}
	if err := demoUsers(ctx, io.Discard, &cfg, st); err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error { return demoRun(ctx, e, &cfg, st, 5) },
		func() error { return demoRisk(ctx, e, st, &cfg, 5) },
		func() error { return demoMeasures(ctx, e, st, &cfg, 5) },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	h, err := handler(&cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	s := &measuresSite{cfg: &cfg, st: st, h: h, cookie: map[string]*http.Cookie{}, token: map[string]string{}}
	authSvc := auth.NewService(st.Auth, cfg.SessionTTL, testClock)
	for _, login := range []string{"region", "czn", "college", "school", "federal"} {
		s.cookie[login] = session(t, h, login)
		u, _, err := st.Auth.UserByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		secret, _, err := authSvc.CreateToken(ctx, u, "проверка показателей")
		if err != nil {
			t.Fatal(err)
		}
		s.token[login] = secret
	}
	return s
}

func (s *measuresSite) get(t *testing.T, login, path string) []byte {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	if strings.HasPrefix(path, "/api/") {
		r.Header.Set("Authorization", "Bearer "+s.token[login])
		r.Header.Set("Accept", "application/json")
	} else {
		r.AddCookie(s.cookie[login])
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, r)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s as %s: %d %.300s", path, login, rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes()
}

// apiPairs reads the measures of an API or command-line document.
func apiPairs(t *testing.T, body []byte) (kpi.JSON, map[string]pair) {
	t.Helper()
	var d kpi.JSON
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatalf("measures document: %v: %.300s", err, body)
	}
	out := map[string]pair{}
	for _, it := range d.Items {
		out[it.Code] = pair{it.Numerator, it.Denominator}
	}
	return d, out
}

// tablePairs reads a row of an exported table whose columns come in
// threes: «name: число», «name: из», «name».
func tablePairs(t *testing.T, data []byte, name, row string) map[string]pair {
	t.Helper()
	tb, err := exchange.Open(bytes.NewReader(data), name, exchange.Options{HeaderRow: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer tb.Close()
	codes := map[string]string{}
	for _, m := range kpi.Catalogue {
		codes[m.Name] = m.Code
	}
	header := tb.Header()
	for r, err := range tb.All() {
		if err != nil {
			t.Fatal(err)
		}
		if r.Cell(0) != row {
			continue
		}
		out := map[string]pair{}
		for i := 1; i+1 < len(header); i += 3 {
			code := codes[strings.TrimSuffix(header[i], ": число")]
			if r.Cell(i) == "" {
				continue // a region-wide measure in a municipality's row
			}
			n, _ := strconv.Atoi(r.Cell(i))
			d, _ := strconv.Atoi(r.Cell(i + 1))
			out[code] = pair{n, d}
		}
		return out
	}
	t.Fatalf("no row «%s» in %s", row, name)
	return nil
}

// agree fails on every measure where got differs from want.
func agree(t *testing.T, where string, want, got map[string]pair, needAll bool) {
	t.Helper()
	for code, w := range want {
		g, ok := got[code]
		switch {
		case !ok && needAll && w.den > 0:
			t.Errorf("%s: no measure %s", where, code)
		case ok && g != w:
			t.Errorf("%s: %s is %s, the catalogue says %s", where, code, g, w)
		}
	}
}

// TestMeasuresAgree finds the same numerator and denominator of every
// measure for the region, a municipality and an organisation on the home
// page, «Мониторинг», the API, the command line, the exports, the monthly
// report and the federal rollup; then a write is seen on the next page.
func TestMeasuresAgree(t *testing.T) {
	s := newMeasuresSite(t)
	ctx := context.Background()
	czn, _, err := s.st.Auth.UserByLogin(ctx, "czn")
	if err != nil {
		t.Fatal(err)
	}
	college, _, err := s.st.Auth.UserByLogin(ctx, "college")
	if err != nil {
		t.Fatal(err)
	}
	muni := czn.Scope("").Municipalities[0]
	scopes := []struct {
		name, login, scope, level string
		id                        int64
	}{
		{"region", "region", "region", "region", 0},
		{"municipality", "czn", "municipality:" + strconv.FormatInt(muni, 10), "municipality", muni},
		{"organisation", "college", "org:" + strconv.FormatInt(college.OrgID, 10), "organisation", college.OrgID},
	}
	for _, sc := range scopes {
		t.Run(sc.name, func(t *testing.T) {
			doc, want := apiPairs(t, s.get(t, sc.login, "/api/v1/measures?scope="+sc.scope))
			if len(want) < 10 || want["employment6"].den == 0 || want["guidance"].den == 0 && sc.level != "organisation" {
				t.Fatalf("the catalogue's document is too thin: %+v", want)
			}
			// The home page of the login whose own level it is.
			agree(t, "home page of "+sc.login, want, cardsOf(t, string(s.get(t, sc.login, "/"))), true)
			// «Мониторинг» of the level, as its own login and as the region.
			q := fmt.Sprintf("/monitoring?level=%s&id=%d", sc.level, sc.id)
			agree(t, "monitoring as "+sc.login, want, cardsOf(t, string(s.get(t, sc.login, q))), true)
			agree(t, "monitoring as region", want, cardsOf(t, string(s.get(t, "region", q))), true)
			// The catalogue's page of the login.
			catalogue := map[string]pair{}
			for _, m := range reMeasure.FindAllStringSubmatch(string(s.get(t, sc.login, "/monitoring/measures")), -1) {
				n, _ := strconv.Atoi(m[2])
				d, _ := strconv.Atoi(m[3])
				catalogue[m[1]] = pair{n, d}
			}
			agree(t, "catalogue page of "+sc.login, want, catalogue, true)
			// The export of the level's table: its first row is the level itself.
			exp := strings.Replace(q, "/monitoring?", "/monitoring/export?", 1)
			csv := s.get(t, sc.login, exp+"&table=parts&format=csv")
			agree(t, "CSV export", want, tablePairs(t, csv, "monitoring.csv", doc.ScopeName), true)
			xlsx := s.get(t, sc.login, exp+"&table=parts&format=xlsx")
			agree(t, "XLSX export", want, tablePairs(t, xlsx, "monitoring.xlsx", doc.ScopeName), true)
			// The command line.
			var out bytes.Buffer
			e := &env{clock: testClock, stdout: &out, stderr: io.Discard, getenv: func(string) string { return "" }}
			if code := run(ctx, []string{"measures", "--db", s.cfg.DatabaseURL, "--scope", sc.scope, "--format", "json"}, e); code != 0 {
				t.Fatalf("marshrut measures: exit %d", code)
			}
			_, cli := apiPairs(t, out.Bytes())
			agree(t, "command line", want, cli, true)
		})
	}

	// The monthly report: the region's row and the municipality's.
	_, region := apiPairs(t, s.get(t, "region", "/api/v1/measures?scope=region"))
	muniDoc, muniWant := apiPairs(t, s.get(t, "region", fmt.Sprintf("/api/v1/measures?scope=municipality:%d", muni)))
	now := testClock
	_, figures := newFigures(s.cfg, s.st, balance.NewService(s.st.Balance, now), measures.NewService(s.st.Measures, now), now)
	rep := report.NewService(s.st.Reports, figures, inline{}, tables.ReportXLSX, now)
	book, err := rep.Build(ctx, s.cfg.Region)
	if err != nil {
		t.Fatal(err)
	}
	agree(t, "monthly report, region", region, tablePairs(t, book, "report.xlsx", "Регион в целом"), true)
	agree(t, "monthly report, municipality", muniWant, tablePairs(t, book, "report.xlsx", muniDoc.ScopeName), false)

	// The federal rollup carries the region's measures, protected: every
	// figure moved a little, a share of a base of 2 000 or more (a region's
	// size) by less than a percentage point; a smaller base moves more, by
	// the noise of the municipalities' parts it adds up.
	pemKey, _, err := rollup.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	key, err := rollup.ParsePrivateKey(pemKey)
	if err != nil {
		t.Fatal(err)
	}
	_, b, err := buildRollup(ctx, s.cfg, s.st, key)
	if err != nil {
		t.Fatal(err)
	}
	rolled := map[string]pair{}
	for _, tb := range b.Tables {
		if tb.Name != "measures" {
			continue
		}
		for _, r := range tb.Rows {
			rolled[r.Dims[0]] = pair{*r.Values[1], *r.Values[0]}
		}
	}
	if len(rolled) < 8 {
		t.Errorf("the rollup carries %d measures", len(rolled))
	}
	for code, w := range region {
		g, ok := rolled[code]
		switch {
		case !ok && w.den > 0:
			t.Errorf("rollup: no measure %s", code)
		case ok && w.den >= 2000 && math.Abs(float64(g.num)/float64(g.den)-float64(w.num)/float64(w.den)) >= 0.01:
			t.Errorf("rollup: %s is %s, the catalogue says %s: more than a point apart", code, g, w)
		}
	}

	// Last, as it changes the data: a write shows on the writer's next page.
	t.Run("write", func(t *testing.T) { writeShowsAtOnce(t, s) })
}

// writeShowsAtOnce: a college records a graduate's work, and its next home
// page counts it, although the region's snapshot is minutes fresh.
func writeShowsAtOnce(t *testing.T, s *measuresSite) {
	ctx := context.Background()
	doc, before := apiPairs(t, s.get(t, "college", "/api/v1/measures"))
	home := cardsOf(t, string(s.get(t, "college", "/")))
	agree(t, "home page before", before, home, true)
	college, _, err := s.st.Auth.UserByLogin(ctx, "college")
	if err != nil {
		t.Fatal(err)
	}
	// A graduate of the counted year whose status six months on is not known.
	var id int64
	db, err := sql.Open("sqlite", "file:"+s.cfg.DatabaseURL+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, `SELECT id FROM learner WHERE org_id = $1 AND status = 'graduate' AND graduation_year = $2
		AND outcome_6m IN ('', 'unknown') ORDER BY id LIMIT 1`, college.OrgID, doc.Year6m).Scan(&id); err != nil {
		t.Fatalf("no graduate without a known status: %v", err)
	}
	page := string(s.get(t, "college", "/learners/"+strconv.FormatInt(id, 10)))
	m := reCSRF.FindStringSubmatch(page)
	form := url.Values{"csrf": {m[1]}, "status": {"employed"}, "start": {fmt.Sprintf("%d-09-01", doc.Year6m)}, "employer_name": {"ООО «Камчатская верфь»"}, "source": {"college"}}
	r := httptest.NewRequest("POST", "/learners/"+strconv.FormatInt(id, 10)+"/outcomes", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(s.cookie["college"])
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, r)
	if rec.Code != http.StatusSeeOther || strings.Contains(rec.Header().Get("Location"), "error") {
		t.Fatalf("record work: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	card := string(s.get(t, "college", "/learners/"+strconv.FormatInt(id, 10)))
	if !strings.Contains(card, `data-status="now">Трудоустроен`) || !strings.Contains(card, `data-status="6m">Трудоустроен`) {
		t.Errorf("the card does not read the new period: %s", card[strings.Index(card, "Сейчас"):][:300])
	}
	after := cardsOf(t, string(s.get(t, "college", "/")))
	if a, b := after["employment6"], before["employment6"]; a.num != b.num+1 || a.den != b.den {
		t.Errorf("employment six months on: %s before, %s after the write", b, a)
	}
	_, api := apiPairs(t, s.get(t, "college", "/api/v1/measures"))
	agree(t, "API after the write", api, after, true)
}
