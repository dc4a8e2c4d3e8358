package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"marshrut/internal/auth"
	"marshrut/internal/youth"
)

// TestBrowserInvitations: a school prints the invitations of a class, and a
// pupil of the class redeems theirs with the birth date and lands home.
func TestBrowserInvitations(t *testing.T) {
	ctx := browser(t)
	srv, st, cfg := demoServer(t)
	bg := context.Background()
	sys := auth.SystemScope(cfg.Region)
	pupil, _, err := st.Auth.UserByLogin(bg, "pupil")
	if err != nil {
		t.Fatal(err)
	}
	l, err := st.Learners.Learner(bg, sys, pupil.LearnerID)
	if err != nil {
		t.Fatal(err)
	}
	class := youth.Class{Grade: l.Grade, Group: l.Group}

	do(t, ctx, login(srv.URL, "school"),
		chromedp.Navigate(srv.URL+"/learners"),
		chromedp.Click(css(`a[href="/invitations"]`)),
		chromedp.WaitVisible(css(`form[action="/invitations/print"]`)),
		chromedp.Click(css(`form[action="/invitations/print"] input[name=group][value="`+class.Group+`"] ~ button`)),
		chromedp.WaitVisible(css(`section.slip`)),
	)
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('section.slip svg.qr').length`)); err != nil || n == 0 {
		t.Fatalf("slips with QR codes: %d, %v", n, err)
	}
	// The first slip of a learner (not a parent's) and whose it is.
	type slip struct {
		Name string `json:"name"`
		Code string `json:"code"`
	}
	s, err := chromedp.Run(ctx, chromedp.Evaluate[slip](`(() => {
		const s = [...document.querySelectorAll('section.slip')].find(e => e.querySelector('.slip-title').textContent.includes('для обучающегося'));
		return {name: s.querySelector('.slip-name').textContent, code: s.querySelector('.slip-code').textContent};
	})()`))
	if err != nil || s.Code == "" {
		t.Fatalf("a learner's slip: %+v, %v", s, err)
	}
	members, err := st.Youth.ClassMembers(bg, sys, youth.Class{OrgID: l.OrgID, Grade: class.Grade, Group: class.Group})
	if err != nil {
		t.Fatal(err)
	}
	var who youth.Member
	for _, m := range members {
		if m.Name == s.Name {
			who = m
		}
	}
	if who.LearnerID == 0 || who.HasAccount {
		t.Fatalf("the slip's learner %q is not one of the class without an account", s.Name)
	}
	do(t, ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(css(`header.top`)), logout())

	// The pupil finds the invitation from the login page and opens the account.
	do(t, ctx, chromedp.Click(css(`a[href="/join"]`)), chromedp.WaitVisible(css(`input[name=code]`)),
		chromedp.SendKeys(css(`input[name=code]`), s.Code),
		chromedp.SendKeys(css(`input[name=birth_date]`), who.BirthDate.Format("02.01.2006")),
		chromedp.SendKeys(css(`input[name=name]`), s.Name),
		chromedp.SendKeys(css(`input[name=login]`), "new.pupil"),
		chromedp.SendKeys(css(`input[name=password]`), "Вулкан-Авачинский-2026"),
		chromedp.SendKeys(css(`input[name=password2]`), "Вулкан-Авачинский-2026"),
		chromedp.Click(css(`form[action="/join"] button[type=submit]`)),
		chromedp.WaitVisible(css(`header.top`)),
	)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || strings.TrimSuffix(loc, "/") != srv.URL {
		t.Fatalf("after the invitation the pupil is at %s, %v", loc, err)
	}
	u, _, err := st.Auth.UserByLogin(bg, "new.pupil")
	if err != nil || u.Role != auth.Learner || u.LearnerID != who.LearnerID {
		t.Fatalf("the new account = %+v, %v", u, err)
	}
	// The same code again is refused in Russian.
	do(t, ctx, logout(), chromedp.Navigate(srv.URL+"/join?code="+s.Code), chromedp.WaitVisible(css(`input[name=birth_date]`)),
		chromedp.SendKeys(css(`input[name=birth_date]`), who.BirthDate.Format("02.01.2006")),
		chromedp.SendKeys(css(`input[name=name]`), s.Name),
		chromedp.SendKeys(css(`input[name=login]`), "new.pupil2"),
		chromedp.SendKeys(css(`input[name=password]`), "Вулкан-Авачинский-2026"),
		chromedp.SendKeys(css(`input[name=password2]`), "Вулкан-Авачинский-2026"),
		chromedp.Click(css(`form[action="/join"] button[type=submit]`)),
		chromedp.WaitVisible(css(`.field-error`)),
	)
	if msg := textOf(t, ctx, `.field-error`); !strings.Contains(msg, "уже открыт") {
		t.Errorf("a used code: %q", msg)
	}
}
