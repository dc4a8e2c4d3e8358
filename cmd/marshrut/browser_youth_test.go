package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"marshrut/internal/ddo"
	"marshrut/internal/vacancy"
	"marshrut/internal/youth"
)

// phoneWidth is the narrowest phone screen the young person's pages must fit.
const phoneWidth = 360

// overflow is how many pixels the page is wider than the window, and the
// tags of the widest elements that stick out, for the message.
func overflow(t *testing.T, ctx context.Context) (int, string) {
	t.Helper()
	type answer struct {
		Over int      `json:"over"`
		Wide []string `json:"wide"`
	}
	a, err := chromedp.Run(ctx, chromedp.Evaluate[answer](`(() => {
		const w = document.documentElement.clientWidth;
		const wide = [...document.querySelectorAll('main *, header *')].filter(e => e.getBoundingClientRect().right > w + 1)
			.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right));
		// A table that scrolls inside itself is sideways scrolling too.
		const inner = [...document.querySelectorAll('main table, main pre')].filter(e => e.scrollWidth > e.clientWidth + 1);
		return {over: Math.max(document.documentElement.scrollWidth - w, ...inner.map(e => e.scrollWidth - e.clientWidth)),
			wide: wide.concat(inner.slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' scrolls ' + (e.scrollWidth - e.clientWidth)))};
	})()`))
	if err != nil {
		t.Fatalf("measure: %v", err)
	}
	return a.Over, strings.Join(a.Wide, ", ")
}

// TestBrowserPhone walks the young person's side on a phone-sized window:
// every page of the learner, the pupil and the parent fits 360 px without
// sideways scrolling; a graduate responds to a vacancy and the employer
// invites them; a pupil takes the ДДО, sees where to study and signs up for
// a профпроба.
func TestBrowserPhone(t *testing.T) {
	ctx := browser(t)
	srv, st, cfg := demoServer(t)
	bg := context.Background()
	do(t, ctx, chromedp.EmulateViewport(phoneWidth, 780))

	fits := func(login string, paths ...string) {
		t.Helper()
		for _, p := range paths {
			do(t, ctx, chromedp.Navigate(srv.URL+p), chromedp.WaitVisible(css(`main`)))
			if over, wide := overflow(t, ctx); over > 0 {
				t.Errorf("%s %s is %d px wider than a %d px screen: %s", login, p, over, phoneWidth, wide)
			}
		}
	}
	grad, _, err := st.Auth.UserByLogin(bg, "learner")
	if err != nil {
		t.Fatal(err)
	}
	emp, _, err := st.Auth.UserByLogin(bg, "employer")
	if err != nil {
		t.Fatal(err)
	}
	o, err := st.Orgs.Organisation(bg, emp.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	// An open vacancy of the demo employer the graduate has not answered.
	mine, _, err := st.Youth.Responses(bg, grad.Scope(""), youth.ResponseFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	answered := map[string]bool{}
	for _, r := range mine {
		answered[r.VacancyID] = true
	}
	var vac vacancy.Vacancy
	for off := 0; vac.ID == ""; off += 500 {
		list, total, err := st.Vacancies.Vacancies(bg, vacancy.Filter{RegionCode: cfg.Region, Limit: 500, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range list {
			if v.EmployerINN == o.INN && !v.Closed && !answered[v.ID] && vac.ID == "" {
				vac = v
			}
		}
		if off+500 >= total {
			break
		}
	}
	if vac.ID == "" {
		t.Fatalf("the demo employer %d (%s) has no open vacancy left to answer; answered %d", o.ID, o.INN, len(mine))
	}

	t.Run("pages fit", func(t *testing.T) {
		own := []string{"/", "/me/profile", "/me/resume", "/ddo/result", "/targeted", "/routing", "/me/responses", "/me/proposals", "/mentorship", "/password", "/vacancies/" + vac.ID}
		do(t, ctx, login(srv.URL, "learner"))
		nav := textOf(t, ctx, "header.top nav")
		if strings.Contains(nav, "Обучающиеся") || strings.Contains(nav, "API-токены") {
			t.Errorf("the graduate's menu has staff items: %q", nav)
		}
		fits("learner", own...)
		if len(mine) > 0 {
			fits("learner", fmt.Sprintf("/me/responses/%d", mine[0].ID))
		}
		do(t, ctx, logout(), login(srv.URL, "pupil"))
		fits("pupil", append(own, "/ddo")...)
		do(t, ctx, logout(), login(srv.URL, "parent"))
		if h := textOf(t, ctx, "main h1"); !strings.HasPrefix(h, "Маршрут ребёнка") {
			t.Errorf("the parent's home is %q", h)
		}
		fits("parent", own...)
		do(t, ctx, logout(), login(srv.URL, "employer"))
		fits("employer", "/me/responses", "/me/proposals")
		do(t, ctx, logout())
	})

	t.Run("graduate responds and is invited", func(t *testing.T) {
		do(t, ctx, login(srv.URL, "learner"), chromedp.Navigate(srv.URL+"/vacancies/"+vac.ID), chromedp.WaitVisible(css(`#respond-h`)),
			chromedp.SendKeys(css(`textarea[name=message]`), "Готов приступить с понедельника."),
			chromedp.SendKeys(css(`input[name=contact]`), "+7 900 123-45-67"),
			chromedp.Click(css(`#respond-h ~ form button[type=submit]`)),
			chromedp.WaitVisible(css(`.notice.ok`)))
		if text := textOf(t, ctx, "main"); !strings.Contains(text, vac.Title) || !strings.Contains(text, "отправлен") {
			t.Fatalf("the graduate's responses: %q", text)
		}
		do(t, ctx, logout(), login(srv.URL, "employer"), chromedp.Navigate(srv.URL+"/me/responses?status=sent"), chromedp.WaitVisible(css(`main ul.items`)))
		// The newest response is the graduate's: open it, see what they showed, invite.
		do(t, ctx, chromedp.Click(css(`main ul.items li a`)), chromedp.WaitVisible(css(`select[name=to]`)))
		text := textOf(t, ctx, "main")
		if !strings.Contains(text, "+7 900 123-45-67") || !strings.Contains(text, "Готов приступить") || !strings.Contains(text, grad.Name[strings.LastIndex(grad.Name, " ")+1:]) {
			t.Fatalf("the employer sees: %q", text)
		}
		if over, wide := overflow(t, ctx); over > 0 {
			t.Errorf("the response page is %d px too wide: %s", over, wide)
		}
		do(t, ctx, chromedp.SetValue(css(`select[name=to]`), string(youth.Invited)), chromedp.Click(css(`main form.form button[type=submit]`)),
			chromedp.WaitVisible(css(`.notice.ok`)))
		do(t, ctx, logout(), login(srv.URL, "learner"))
		home := textOf(t, ctx, "main")
		if !strings.Contains(home, "Вас пригласили на собеседование") || !strings.Contains(home, "«"+vac.Title+"»: приглашение на собеседование") {
			t.Errorf("the graduate's home after the invitation: %q", home)
		}
		do(t, ctx, logout())
	})

	t.Run("school invites a parent who opens an account", func(t *testing.T) {
		pupil, _, err := st.Auth.UserByLogin(bg, "pupil")
		if err != nil {
			t.Fatal(err)
		}
		do(t, ctx, login(srv.URL, "school"), chromedp.Navigate(fmt.Sprintf("%s/learners/%d", srv.URL, pupil.LearnerID)),
			chromedp.WaitVisible(css(`form[action$="/invite"] button`)), chromedp.Click(css(`form[action$="/invite"] button`)),
			chromedp.WaitVisible(css(`code.secret`)))
		code := textOf(t, ctx, "code.secret")
		do(t, ctx, logout(), chromedp.Navigate(srv.URL+"/invite"), chromedp.WaitVisible(css(`input[name=code]`)),
			chromedp.SendKeys(css(`input[name=code]`), code), chromedp.SendKeys(css(`input[name=name]`), "Иванова Ольга Петровна"),
			chromedp.SendKeys(css(`input[name=login]`), "mama.ivanova"), chromedp.SendKeys(css(`input[name=password]`), "длинный-пароль-мамы"),
			chromedp.Click(css(`button[type=submit]`)), chromedp.WaitVisible(css(`.login .notice.ok`)),
			chromedp.SendKeys(css(`input[name=login]`), "mama.ivanova"), chromedp.SendKeys(css(`input[name=password]`), "длинный-пароль-мамы"),
			chromedp.Click(css(`button[type=submit]`)), chromedp.WaitVisible(css(`header.top`)))
		if h := textOf(t, ctx, "main h1"); !strings.HasPrefix(h, "Маршрут ребёнка") {
			t.Errorf("the invited parent's home is %q", h)
		}
		// The consent to a targeted contract, given from the phone.
		do(t, ctx, chromedp.Click(css(`form[action="/me/consents"] input[value=targeted] ~ button`)), chromedp.WaitVisible(css(`.notice.ok`)))
		if text := textOf(t, ctx, "#consents"); !strings.Contains(text, "Иванова Ольга Петровна") {
			t.Errorf("the consent does not name who gave it: %q", text)
		}
		do(t, ctx, logout())
	})

	t.Run("pupil takes the ДДО and signs up for a профпроба", func(t *testing.T) {
		do(t, ctx, login(srv.URL, "pupil"), chromedp.Navigate(srv.URL+"/ddo"), chromedp.WaitVisible(css(`form.ddo`)))
		for i := 1; i <= ddo.Items; i++ {
			do(t, ctx, chromedp.WaitReady(css(`input[name=so][value="`+strings.Repeat("a", i-1)+`"]`)), chromedp.Click(css(`button[value=a]`)))
		}
		do(t, ctx, chromedp.WaitVisible(css(`#ddo-result`)))
		if over, wide := overflow(t, ctx); over > 0 {
			t.Errorf("the result is %d px too wide: %s", over, wide)
		}
		bars, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('figure.bars svg.bar rect').length`))
		if err != nil || bars != 5 {
			t.Errorf("bars of the five types: %d, %v", bars, err)
		}
		if text := textOf(t, ctx, "#progs-h + *"); strings.Contains(text, "нет сведений") {
			t.Errorf("no programme fits the result: %q", text)
		}
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#trials form button').length`))
		if err != nil || n == 0 {
			t.Fatalf("no профпроба to sign up for: %d, %v", n, err)
		}
		do(t, ctx, chromedp.Click(css(`#trials form button`)), chromedp.WaitVisible(css(`.notice.ok`)))
		if text := textOf(t, ctx, "#trials"); !strings.Contains(text, "вы записаны") {
			t.Errorf("after signing up: %q", text)
		}
		do(t, ctx, logout(), login(srv.URL, "parent"))
		if home := textOf(t, ctx, "main"); !strings.Contains(home, "Запись на профпробу") {
			t.Errorf("the parent does not hear of the sign-up: %q", home)
		}
		do(t, ctx, logout())
	})

}
