package main

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"marshrut/internal/auth"
	"marshrut/internal/config"
	"marshrut/internal/ddo"
	"marshrut/internal/learner"
	"marshrut/internal/store"
)

// browser starts headless Chromium, or skips the test when it is absent and
// MARSHRUT_TEST_BROWSER is unset; with the variable set, a missing browser fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("MARSHRUT_TEST_BROWSER") != "" {
			t.Fatal("MARSHRUT_TEST_BROWSER is set but chromium is not installed")
		}
		t.Skip("chromium is not installed and MARSHRUT_TEST_BROWSER is unset: browser tests skipped")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancel3)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// demoServer generates a small demo region with its users and serves it.
func demoServer(t *testing.T) (*httptest.Server, *store.Store, *config.Config) {
	t.Helper()
	ctx := context.Background()
	cfg := testConfig()
	cfg.LogLevel = 8 // quiet
	base := demoBase(t)
	cfg.DatabaseURL = filepath.Join(t.TempDir(), "browser.db")
	if err := copyFile(base, cfg.DatabaseURL); err != nil {
		t.Fatal(err)
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h, err := handler(&cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, st, &cfg
}

// demoBase generates, once for the whole test binary, the demo region the
// servers of the tests start from (4 000 learners and the demo users), and
// answers its file; each test works on a copy of its own.
func demoBase(t *testing.T) string {
	t.Helper()
	base.once.Do(func() {
		dir, err := os.MkdirTemp("", "marshrut-demo-")
		if err != nil {
			base.err = err
			return
		}
		base.dir = dir
		ctx := context.Background()
		cfg := testConfig()
		cfg.DatabaseURL = filepath.Join(dir, "base.db")
		cfg.LogLevel = 8
		st, err := openStore(ctx, &cfg, cfg.Logger())
		if err != nil {
			base.err = err
			return
		}
		e := &env{clock: testClock, stdout: io.Discard, stderr: io.Discard}
		if base.err = generate(ctx, e, &cfg, st, 11, 4000); base.err == nil {
			base.err = demoUsers(ctx, io.Discard, &cfg, st)
		}
		if err := st.Close(); base.err == nil {
			base.err = err
		}
		base.path = cfg.DatabaseURL
	})
	if base.err != nil {
		t.Fatalf("the demo region of the tests: %v", base.err)
	}
	return base.path
}

var base struct {
	once      sync.Once
	dir, path string
	err       error
}

// copyFile copies a closed SQLite database file.
func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o600)
}

type css = chromedp.CSS

func login(base, user string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css(`input[name=login]`)),
		chromedp.SendKeys(css(`input[name=login]`), user),
		chromedp.SendKeys(css(`input[name=password]`), DemoPassword),
		chromedp.Click(css(`button[type=submit]`)),
		chromedp.WaitVisible(css(`header.top`)),
	)
}

func logout() chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.Click(css(`header.top form button`)), chromedp.WaitVisible(css(`input[name=login]`)))
}

// textOf returns the text of the first element matching sel.
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// do runs steps and fails the test on an error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// search submits the list's search and waits for its answer: the page
// before it is marked, since the unfiltered list may show the same link, and
// a navigation started over a submission still in flight aborts it.
func search(q string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.SendKeys(css(`input[name=q]`), q),
		chromedp.Evaluate[chromedp.Void](`document.body.setAttribute("data-before", "1")`),
		chromedp.Submit(css(`input[name=q]`)),
		chromedp.WaitVisible(css(`body:not([data-before]) #found`)))
}

func TestBrowser(t *testing.T) {
	ctx := browser(t)
	srv, st, cfg := demoServer(t)
	bg := context.Background()
	collegeUser, _, err := st.Auth.UserByLogin(bg, "college")
	if err != nil {
		t.Fatal(err)
	}
	sys := auth.SystemScope(cfg.Region)
	mine, _, err := st.Learners.Learners(bg, sys, learner.Filter{OrgID: collegeUser.OrgID, Status: learner.Student, Limit: 1})
	if err != nil || len(mine) == 0 {
		t.Fatalf("a student of the college: %v", err)
	}
	all, _, err := st.Learners.Learners(bg, sys, learner.Filter{Status: learner.Student, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var foreign learner.Learner
	for _, l := range all {
		if l.OrgID != collegeUser.OrgID && l.LastName != mine[0].LastName {
			foreign = l
			break
		}
	}
	if foreign.ID == 0 {
		t.Fatal("no student of another college")
	}

	t.Run("region", func(t *testing.T) {
		do(t, ctx, login(srv.URL, "region"))
		text := textOf(t, ctx, "main")
		for _, want := range []string{"Ключевые показатели", "Занятость выпускников через 6 месяцев", "Охват профориентацией", "Информирование о целевом обучении", "Ваши дела"} {
			if !strings.Contains(text, want) {
				t.Errorf("region dashboard lacks %q", want)
			}
		}
		// Search a learner of any college and open the card.
		do(t, ctx,
			chromedp.Navigate(srv.URL+"/learners"),
			search(foreign.LastName+" "+foreign.FirstName),
			chromedp.WaitVisible(css(`a[href="/learners/`+strconv.FormatInt(foreign.ID, 10)+`"]`)),
			chromedp.Click(css(`a[href="/learners/`+strconv.FormatInt(foreign.ID, 10)+`"]`)),
			chromedp.WaitVisible(css(`#route-h`)))
		text = textOf(t, ctx, "main")
		do(t, ctx, logout())
		if !strings.Contains(text, foreign.FullName()) || !strings.Contains(text, "Маршрут") {
			t.Errorf("card of %s not shown: %q", foreign.FullName(), text[:min(200, len(text))])
		}
	})

	t.Run("college", func(t *testing.T) {
		do(t, ctx, login(srv.URL, "college"),
			chromedp.Navigate(srv.URL+"/learners"),
			search(mine[0].LastName),
			chromedp.WaitVisible(css(`a[href="/learners/`+strconv.FormatInt(mine[0].ID, 10)+`"]`)))
		text := textOf(t, ctx, "main")
		if !strings.Contains(text, mine[0].FullName()) {
			t.Errorf("own student %s not found", mine[0].FullName())
		}
		// A student of another college: not in search, and the card is «not found».
		do(t, ctx,
			chromedp.Navigate(srv.URL+"/learners?q="+url.QueryEscape(foreign.LastName+" "+foreign.FirstName)),
			chromedp.WaitVisible(css(`#found`)))
		text = textOf(t, ctx, "#found")
		if !strings.Contains(text, "Никого не найдено") {
			t.Errorf("search for a foreign student: %q", text)
		}
		do(t, ctx, chromedp.Navigate(srv.URL+"/learners/"+strconv.FormatInt(foreign.ID, 10)), chromedp.WaitVisible(css(`main h1`)))
		text = textOf(t, ctx, "main")
		do(t, ctx, logout())
		if !strings.Contains(text, "Не найдено") || strings.Contains(text, foreign.LastName) {
			t.Errorf("foreign card: %q", text)
		}
	})

	t.Run("region sends proposals", func(t *testing.T) {
		// The ministry runs the matching, then sends every proposal of one
		// municipality at once: counted first, changed after confirmation.
		do(t, ctx, login(srv.URL, "region"), chromedp.Navigate(srv.URL+"/routing"),
			chromedp.WaitVisible(css(`form[action="/routing/runs"]`)),
			chromedp.Click(css(`form[action="/routing/runs"] button[type=submit]`)),
			chromedp.WaitVisible(css(`#matched`)),
			chromedp.Click(css(`#bulk summary`)),
			chromedp.SetValue(css(`#bulk select[name=municipality]`), municipalityOf(t, st, cfg.Region, "Петропавловск")),
			chromedp.Click(css(`#bulk button[type=submit]`)),
			chromedp.WaitVisible(css(`#bulk-count`)))
		count := textOf(t, ctx, "#bulk-count")
		if !strings.Contains(count, "предлож") {
			t.Fatalf("the count to confirm: %q", count)
		}
		do(t, ctx, chromedp.Click(css(`form[action$="/bulk"] button[type=submit]`)), chromedp.WaitVisible(css(`p.notice.ok`)))
		done := strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(textOf(t, ctx, "p.notice.ok"))
		n := strings.Fields(count)[0]
		if !strings.Contains(done, "Предложений направлено: "+strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(n)) {
			t.Errorf("after sending: %q, counted %q", done, count)
		}
		do(t, ctx, logout())
	})

	t.Run("employer", func(t *testing.T) {
		// The employer publishes an offer choosing the college and the
		// specialty from a list, with its own municipality by default, then
		// edits it; the stipend reads as the stipend.
		do(t, ctx, login(srv.URL, "employer"), chromedp.Navigate(srv.URL+"/targeted/offers/new"),
			chromedp.WaitVisible(css(`select[name=programme]`)))
		attr, err := chromedp.Run(ctx, chromedp.AttributeValue(css(`select[name=programme] optgroup option`), "value"))
		first := attr.Value
		if err != nil || !strings.Contains(first, "|") {
			t.Fatalf("the list of programmes: %q", first)
		}
		do(t, ctx, chromedp.SetValue(css(`select[name=programme]`), first),
			chromedp.SetValue(css(`input[name=stipend]`), "5000"),
			chromedp.Click(css(`input[name=housing]`)),
			chromedp.Click(css(`form.form button[type=submit]`)),
			chromedp.WaitVisible(css(`p.notice.ok`)))
		text := strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(textOf(t, ctx, "main"))
		if !strings.Contains(text, "стипендия 5 000 ₽ в месяц, жильё") {
			t.Errorf("the offer's support: %q", text[:min(900, len(text))])
		}
		do(t, ctx, chromedp.Click(css(`a[href$="/edit"]`)), chromedp.WaitVisible(css(`select[name=programme]`)))
		chosen, err := chromedp.Run(ctx, chromedp.Value(css(`select[name=programme]`)))
		if err != nil || chosen != first {
			t.Errorf("the edit form chose %q, want %q", chosen, first)
		}
		do(t, ctx, chromedp.SetValue(css(`input[name=places]`), "4"),
			chromedp.Click(css(`form.form button[type=submit]`)),
			chromedp.WaitVisible(css(`p.notice.ok`)))
		text = textOf(t, ctx, "main")
		do(t, ctx, logout())
		if !strings.Contains(text, "Изменения сохранены") || !strings.Contains(text, "Мест4;") && !strings.Contains(text, "4; заявок") {
			t.Errorf("after the edit: %q", text[:min(900, len(text))])
		}
		// The edit is in the offer's history: the field, what it was and
		// what it became.
		if i := strings.Index(text, "История изменений"); i < 0 || !strings.Contains(text[i:], "Мест") || !strings.Contains(text[i:], "4") {
			t.Errorf("the offer's history after the edit: %q", text[max(0, len(text)-600):])
		}
	})

	t.Run("czn", func(t *testing.T) {
		do(t, ctx, login(srv.URL, "czn"))
		text := textOf(t, ctx, "main")
		if !strings.Contains(text, "центра занятости") {
			t.Errorf("czn dashboard: %q", text[:min(300, len(text))])
		}
		nav := textOf(t, ctx, "header.top nav")
		do(t, ctx, logout())
		if strings.Contains(nav, "Журнал доступа") || !strings.Contains(nav, "Обучающиеся") {
			t.Errorf("czn navigation: %q", nav)
		}
	})

	t.Run("guidance", func(t *testing.T) {
		// A pupil takes the ДДО one pair per screen and sees the result.
		do(t, ctx, login(srv.URL, "pupil"), chromedp.Navigate(srv.URL+"/ddo"), chromedp.WaitVisible(css(`form.ddo`)))
		for i := 1; i <= ddo.Items; i++ {
			// Each screen carries the answers so far: wait for this one's.
			do(t, ctx, chromedp.WaitReady(css(`input[name=so][value="`+strings.Repeat("a", i-1)+`"]`)))
			if step := textOf(t, ctx, "p.step"); step != fmt.Sprintf("Пара %d из %d", i, ddo.Items) {
				t.Fatalf("screen %d shows %q", i, step)
			}
			do(t, ctx, chromedp.Click(css(`button[value=a]`)))
		}
		do(t, ctx, chromedp.WaitVisible(css(`#ddo-result`)))
		text := textOf(t, ctx, "main")
		all, _ := ddo.ParseAnswers(strings.Repeat("a", ddo.Items))
		res := ddo.Score(all)
		for _, ty := range res.Leading() {
			if !strings.Contains(text, ty.Title()) || !strings.Contains(text, ty.About()) {
				t.Errorf("result lacks the leading type %s: %q", ty.Title(), text[:min(400, len(text))])
			}
		}
		points := textOf(t, ctx, `#ddo-result tr[data-type=technics] td`)
		do(t, ctx, logout())
		if points != strconv.Itoa(res.Points[ddo.Technics]) {
			t.Errorf("technics points %s, want %d", points, res.Points[ddo.Technics])
		}

		// A school informs a class about targeted education and sees its coverage change.
		informed := func() int {
			do(t, ctx, chromedp.Navigate(srv.URL+"/guidance/coverage"), chromedp.WaitVisible(css(`#coverage`)))
			v, err := chromedp.Run(ctx, chromedp.AttributeValue(css(`td[data-informed]`), "data-informed"))
			if err != nil {
				t.Fatal(err)
			}
			n, _ := strconv.Atoi(v.Value)
			return n
		}
		do(t, ctx, login(srv.URL, "school"))
		before := informed()
		do(t, ctx, chromedp.Navigate(srv.URL+"/guidance/inform"), chromedp.WaitVisible(css(`select[name=class]`)),
			chromedp.Click(css(`form.filters button`)), chromedp.WaitVisible(css(`ul.checklist`)))
		fresh, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll('ul.checklist li')].filter(li => !li.querySelector('.muted')).length`))
		if err != nil {
			t.Fatal(err)
		}
		do(t, ctx, chromedp.Click(css(`form[method=post][action="/guidance/inform"] button[type=submit]`)), chromedp.WaitVisible(css(`p.notice.ok`)))
		after := informed()
		do(t, ctx, logout())
		if after != before+fresh || fresh == 0 {
			t.Errorf("informed %d → %d after informing %d pupils not yet informed", before, after, fresh)
		}
	})
}

// municipalityOf is the id of the region's municipality whose name has part.
func municipalityOf(t *testing.T, st *store.Store, region, part string) string {
	t.Helper()
	ms, err := st.Classifier.Municipalities(context.Background(), region)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if strings.Contains(m.Name, part) {
			return strconv.FormatInt(m.ID, 10)
		}
	}
	t.Fatalf("no municipality named %q", part)
	return ""
}
