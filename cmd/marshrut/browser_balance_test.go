package main

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"marshrut/internal/balance"
)

// gapNumber reads a gap as the pages write it: «+12», «−1 234».
func gapNumber(t *testing.T, s string) int {
	t.Helper()
	s = strings.NewReplacer("\u202f", "", "\u00a0", "", " ", "", "−", "-", "+", "").Replace(strings.TrimSpace(s))
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("gap %q: %v", s, err)
	}
	return n
}

// TestBrowserBalance: the region opens the balance with its forecasts'
// accuracy, makes a scenario, is refused an admission above capacity, adds a
// new employer's need and sees the gap of that year change by it.
func TestBrowserBalance(t *testing.T) {
	ctx := browser(t)
	srv, _, _ := demoServer(t)
	year := balance.SchoolYear(testClock()) + 3 // three years ahead: a column of the main table

	do(t, ctx, login(srv.URL, "region"), chromedp.Navigate(srv.URL+"/balance"), chromedp.WaitVisible(css(`#balance`)))
	text := textOf(t, ctx, "main")
	if !strings.Contains(text, "Ошибка за год") || !strings.Contains(text, "Предложения по приёму") {
		t.Fatalf("balance page: %q", text[:min(600, len(text))])
	}
	before := gapNumber(t, textOf(t, ctx, "#total-gap-"+strconv.Itoa(year)))

	// A group's page shows the history, the forecast and its accuracy.
	do(t, ctx, chromedp.Click(css(`#balance tbody tr:first-child th a`)), chromedp.WaitVisible(css(`#accuracy`)))
	if text := textOf(t, ctx, "main"); !strings.Contains(text, "Баланс по годам") || !strings.Contains(text, "Точность прогноза") {
		t.Errorf("group page: %q", text[:min(600, len(text))])
	}

	do(t, ctx, chromedp.Navigate(srv.URL+"/balance/scenarios"), chromedp.WaitVisible(css(`#new-scenario`)),
		chromedp.SendKeys(css(`#new-scenario input[name=name]`), "Новый судоремонтный завод"),
		chromedp.Click(css(`#new-scenario button`)),
		chromedp.WaitVisible(css(`#admission-form`)))
	// An admission above capacity is refused with the reason.
	do(t, ctx,
		chromedp.SetValue(css(`#admission-form input[name=admissions]`), "100000"),
		chromedp.Click(css(`#admission-form button`)),
		chromedp.WaitVisible(css(`main .notice.error`)))
	if msg := textOf(t, ctx, "main .notice.error"); !strings.Contains(msg, "больше вместимости") {
		t.Errorf("admission above capacity: %q", msg)
	}
	// A need of 400 people three years on moves that year's gap by 400.
	do(t, ctx,
		chromedp.SendKeys(css(`#need-form input[name=employer]`), "Судоремонтный завод"),
		chromedp.SetValue(css(`#need-form select[name=horizon]`), "3"),
		chromedp.SetValue(css(`#need-form input[name=count]`), "400"),
		chromedp.Click(css(`#need-form button`)),
		chromedp.WaitVisible(css(`#moved`)))
	if text := textOf(t, ctx, "#added-needs"); !strings.Contains(text, "Судоремонтный завод") || !strings.Contains(text, "400") {
		t.Errorf("added needs: %q", text)
	}
	do(t, ctx, chromedp.Click(css(`#open-balance`)), chromedp.WaitVisible(css(`#balance`)))
	if h := textOf(t, ctx, "main h1"); !strings.Contains(h, "Новый судоремонтный завод") {
		t.Errorf("balance with the scenario is titled %q", h)
	}
	after := gapNumber(t, textOf(t, ctx, "#total-gap-"+strconv.Itoa(year)))
	if after != before-400 {
		t.Errorf("gap of %d: %d without the scenario, %d with it; want a change of −400", year, before, after)
	}
	if text := textOf(t, ctx, "#balance"); !strings.Contains(text, "было") {
		t.Errorf("the changed row does not show the gap before: %q", text[:min(400, len(text))])
	}
	do(t, ctx, logout())
}

// TestBalancePages walks the balance's pages without a browser, as the
// region, a college and an employer: each sees its part, the exports
// download, and the employer's need from the form and from a file shows up.
func TestBalancePages(t *testing.T) {
	srv, _, _ := demoServer(t)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	as := func(user string) (get func(path string) (int, string), post func(path string, v url.Values) (int, string), upload func(path, kind, body string) (int, string)) {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		read := func(resp *http.Response, err error) (int, string) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		_, login := read(c.Get(srv.URL + "/login"))
		read(c.PostForm(srv.URL+"/login", url.Values{"login": {user}, "password": {DemoPassword}, "csrf": {csrf.FindStringSubmatch(login)[1]}}))
		_, page := read(c.Get(srv.URL + "/tokens"))
		token := csrf.FindStringSubmatch(page)[1]
		get = func(path string) (int, string) { return read(c.Get(srv.URL + path)) }
		post = func(path string, v url.Values) (int, string) {
			v.Set("csrf", token)
			return read(c.PostForm(srv.URL+path, v))
		}
		upload = func(path, kind, body string) (int, string) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("csrf", token)
			mw.WriteField("kind", kind)
			fw, _ := mw.CreateFormFile("file", "needs.csv")
			fw.Write([]byte(body))
			mw.Close()
			return read(c.Post(srv.URL+path, mw.FormDataContentType(), &buf))
		}
		return get, post, upload
	}

	get, _, _ := as("region")
	for path, want := range map[string]string{
		"/balance":                             "По группам специальностей",
		"/balance/data":                        "Возрастная структура занятых",
		"/balance/scenarios":                   "Сценариев пока нет",
		"/balance/groups/23.00.00-spo":         "Вакансии: история и прогноз",
		"/balance/export?format=csv":           "Разрыв (выпуск − спрос)",
		"/balance/proposals/export?format=csv": "Предлагаемый приём",
	} {
		if status, body := get(path); status != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("region %s: %d, %q not found", path, status, want)
		}
	}
	if status, _ := get("/balance/groups/99.00.00-spo"); status != http.StatusNotFound {
		t.Errorf("unknown group: %d", status)
	}

	// A college sees its own programmes and proposals, not the age structure, and no scenarios.
	get, post, _ := as("college")
	status, body := get("/balance/data")
	if status != http.StatusOK || !strings.Contains(body, "Вместимость и план приёма") || strings.Contains(body, "Возрастная структура") ||
		strings.Contains(body, "Медицинский") {
		t.Errorf("college data page: %d", status)
	}
	if status, _ := get("/balance/scenarios"); status != http.StatusForbidden {
		t.Errorf("college scenarios: %d", status)
	}
	programme := regexp.MustCompile(`<option value="(\d+\|[0-9.]+)">`).FindStringSubmatch(body)
	if programme == nil {
		t.Fatal("no programme in the college's form")
	}
	if _, body := post("/balance/capacity", url.Values{"programme": {programme[1]}, "capacity": {"30"}, "plan": {"40"}}); !strings.Contains(body, "больше вместимости") {
		t.Errorf("plan above capacity was not refused")
	}

	// An employer declares a need by the form and by a file with a bad row.
	get, post, upload := as("employer")
	if _, body := post("/balance/needs", url.Values{"specialty_code": {"23.02.07"}, "horizon": {"3"}, "count": {"12"}, "note": {"новый автопарк"}}); !strings.Contains(body, "Потребность сохранена") {
		t.Errorf("need by form: %q", body[:min(300, len(body))])
	}
	_, body = upload("/balance/import", "needs", "Код специальности;Горизонт, лет;Потребность, чел.\n23.02.07;5;15\n23.02.07;9;15\n")
	if !strings.Contains(body, "загружено: 1") || !strings.Contains(body, "строка 3") {
		t.Errorf("needs by file: %q", body[:min(600, len(body))])
	}
	if _, body := get("/balance/data"); !strings.Contains(body, "новый автопарк") || strings.Contains(body, "Работодатель</th>") {
		t.Errorf("employer's needs list")
	}
}
