package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"marshrut/internal/auth"
	"marshrut/internal/web"
)

// The days the school year turns on, each met on purpose: the last day of
// the school year and the graduates' day (30 June), the summer that follows
// (1 July), the first of September, and the turn of the calendar year, on
// which the year of the targets changes while the school year does not.
var boundaryDays = []struct {
	day        string
	schoolYear string // the school year the guidance page shows
	targetYear string // the year whose targets the catalogue shows
}{
	{"2026-06-30", "2025/26", "2026"},
	{"2026-07-01", "2025/26", "2026"},
	{"2026-09-01", "2026/27", "2026"},
	{"2026-12-31", "2026/27", "2026"},
	{"2027-01-01", "2026/27", "2027"},
}

// TestSchoolYearBoundaries generates the demo region as of each boundary
// day and reads it on that day: every role's home answers, the guidance
// page is of the right school year, the measures carry the year's targets,
// and the region's home shows the same figures as the catalogue's document.
func TestSchoolYearBoundaries(t *testing.T) {
	for _, b := range boundaryDays {
		t.Run(b.day, func(t *testing.T) {
			ctx := context.Background()
			cfg := testConfig()
			cfg.Clock = testClockOf(b.day)
			cfg.DatabaseURL = filepath.Join(t.TempDir(), "boundary.db")
			cfg.LogLevel = 8 // quiet
			st, err := openStore(ctx, &cfg, cfg.Logger())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			e := &env{clock: cfg.Clock, stdout: io.Discard, stderr: io.Discard}
			for _, step := range []struct {
				name string
				run  func() error
			}{
				{"region", func() error { return generate(ctx, e, &cfg, st, 11, 1500) }},
				{"users", func() error { return demoUsers(ctx, io.Discard, &cfg, st) }},
				{"matching", func() error { return demoRun(ctx, e, &cfg, st, 11) }},
				{"risk", func() error { return demoRisk(ctx, e, st, &cfg, 11) }},
				{"programmes", func() error { return demoMeasures(ctx, e, st, &cfg, 11) }},
				{"services", func() error { return demoServices(ctx, e, st, &cfg) }},
				{"targets", func() error { return demoTargets(ctx, e, st, &cfg) }},
			} {
				if err := step.run(); err != nil {
					t.Fatalf("demo step %s on %s: %v", step.name, b.day, err)
				}
			}
			h, err := handler(&cfg, st)
			if err != nil {
				t.Fatal(err)
			}
			get := func(login, path string) string {
				t.Helper()
				r := httptest.NewRequest("GET", path, nil)
				r.AddCookie(session(t, h, login))
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
				if rec.Code != http.StatusOK {
					t.Fatalf("GET %s as %s on %s: %d %.300s", path, login, b.day, rec.Code, rec.Body.String())
				}
				return rec.Body.String()
			}
			// Each home shows its own work.
			own := map[string]string{"expert": "порученные вам", "federal": "Регионы, приславшие сводки",
				"czn": "Открытые случаи центра", "employer": "Ваши предложения целевого обучения"}
			for _, login := range accessLogins {
				home := get(login, "/")
				if !strings.Contains(home, "<main") {
					t.Errorf("the home of %s on %s has no main part", login, b.day)
				}
				if want := own[login]; want != "" && !strings.Contains(home, want) {
					t.Errorf("the home of %s on %s does not show «%s»", login, b.day, want)
				}
			}
			if page := get("region", "/guidance"); !strings.Contains(page, "Профориентация · "+b.schoolYear+" учебный год") {
				t.Errorf("on %s the guidance page is not of the school year %s: %s", b.day, b.schoolYear, reH1.FindString(page))
			}
			if page := get("region", "/monitoring/measures"); !strings.Contains(page, b.targetYear) {
				t.Errorf("on %s the catalogue does not name the year %s", b.day, b.targetYear)
			}
			// The region's home against the catalogue's document of the day.
			u, _, err := st.Auth.UserByLogin(ctx, "region")
			if err != nil {
				t.Fatal(err)
			}
			secret, _, err := auth.NewService(st.Auth, cfg.SessionTTL, cfg.NowFunc()).CreateToken(ctx, u, "границы учебного года")
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest("GET", "/api/v1/measures?scope=region", nil)
			r.Header.Set("Authorization", "Bearer "+secret)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != http.StatusOK {
				t.Fatalf("measures document on %s: %d %s", b.day, rec.Code, rec.Body.String())
			}
			doc, want := apiPairs(t, rec.Body.Bytes())
			if !strings.HasPrefix(doc.AsOf, b.day) {
				t.Errorf("the document of %s is as of %s", b.day, doc.AsOf)
			}
			home := get("region", "/")
			agree(t, "home page of region on "+b.day, want, cardsOf(t, home), true)
			// The trend of guidance ends on today's reach, under the target's line.
			rows := reTrendRow.FindAllStringSubmatch(trendTable(home, "guidance"), -1)
			if len(rows) == 0 {
				t.Fatalf("on %s the region's home has no trend of guidance", b.day)
			}
			last := rows[len(rows)-1]
			if g := want["guidance"]; last[2] != number(g.num) || last[3] != number(g.den) {
				t.Errorf("on %s the trend ends on %s of %s (%s), the measure is %v", b.day, last[2], last[3], last[1], g)
			}
			if !strings.Contains(home, `class="target"`) {
				t.Errorf("on %s the trend has no target line", b.day)
			}
			// A school's home has its own trend, ending on its own measure.
			school := get("school", "/")
			if rows := reTrendRow.FindAllStringSubmatch(trendTable(school, "guidance"), -1); len(rows) == 0 {
				t.Errorf("on %s the school's home has no trend of guidance", b.day)
			} else if last, g := rows[len(rows)-1], cardsOf(t, school)["guidance"]; last[2] != number(g.num) || last[3] != number(g.den) {
				t.Errorf("on %s the school's trend ends on %s of %s, its measure is %v", b.day, last[2], last[3], g)
			}
			// The map of the region's municipalities says what its table says.
			mon := get("region", "/monitoring?level=region&figure=guidance")
			circles := reCircle.FindAllStringSubmatch(mon, -1)
			if len(circles) < 10 {
				t.Fatalf("on %s the map has %d municipalities", b.day, len(circles))
			}
			for _, c := range circles {
				row := reRow(c[1]).FindStringSubmatch(mon)
				if row == nil {
					t.Errorf("on %s the map's %s has no row in the table", b.day, c[1])
				} else if number(atoi(row[1])) != c[2] || number(atoi(row[2])) != c[3] {
					t.Errorf("on %s the map says %s: %s из %s, the table %s из %s", b.day, c[1], c[2], c[3], row[1], row[2])
				}
			}
		})
	}
}

var (
	reH1       = regexp.MustCompile(`<h1>[^<]*</h1>`)
	reTrendRow = regexp.MustCompile(`<tr><td>([^<]+)</td><td class="num">([^<]+)</td><td class="num">([^<]+)</td>`)
)

// reCircle reads a municipality of the map: name, number and of how many.
var reCircle = regexp.MustCompile(`<circle [^>]*><title>([^:<]+): [^(<]*\(([^ ]+(?: [^ ]+)?) из ([^)]+)\)</title>`)

// reRow finds the guidance cell of a municipality's row in the parts table.
func reRow(name string) *regexp.Regexp {
	return regexp.MustCompile(regexp.QuoteMeta(name) + `</a></td>(?:<td[^>]*>.*?</td>)*?<td class="num" data-measure="guidance" data-num="(\d+)" data-den="(\d+)">`)
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// trendTable is the table twin of a trend's chart on a page.
func trendTable(page, code string) string {
	_, rest, _ := strings.Cut(page, `<table id="trend-`+code+`-table">`)
	table, _, _ := strings.Cut(rest, "</table>")
	return table
}

// number writes n as the pages do.
func number(n int) string { return web.Number(n) }
