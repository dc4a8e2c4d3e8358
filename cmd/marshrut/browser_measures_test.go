package main

import (
	"context"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserMeasures: the employment centre opens a programme of the demo,
// forms a group, enrols a person who is not a learner, records the
// completion with the job found, and sees its figures grow by one enrolled
// and one employed; a college that does not teach the group does not find it.
func TestBrowserMeasures(t *testing.T) {
	ctx := browser(t)
	srv, st, cfg := demoServer(t)
	if err := demoMeasures(context.Background(), &env{clock: testClock, stdout: io.Discard, stderr: io.Discard}, st, cfg, 3); err != nil {
		t.Fatal(err)
	}
	number := func(sel string) int {
		t.Helper()
		s := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, textOf(t, ctx, sel))
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("%s is not a number: %q", sel, textOf(t, ctx, sel))
		}
		return n
	}
	do(t, ctx, login(srv.URL, "czn"), chromedp.Navigate(srv.URL+"/measures/figures"), chromedp.WaitVisible(css(`#enrolled`)))
	enrolled, employed := number(`#enrolled`), number(`#employed`)
	if enrolled == 0 {
		t.Fatal("the demo centre enrolled nobody")
	}
	if text := textOf(t, ctx, "main"); !strings.Contains(text, "По категориям") || !strings.Contains(text, "молодёжь до 35 лет") {
		t.Errorf("figures page: %q", text[:min(600, len(text))])
	}

	do(t, ctx, chromedp.Navigate(srv.URL+"/measures"), chromedp.WaitVisible(css(`#programmes`)),
		chromedp.Click(css(`#programmes tbody tr:first-child td:first-child a`)), chromedp.WaitVisible(css(`form[action$="/groups"]`)))
	today := testClock()
	do(t, ctx,
		chromedp.SendKeys(css(`form[action$="/groups"] input[name=name]`), "ПРОБА-1"),
		chromedp.SetValue(css(`form[action$="/groups"] input[name=starts_on]`), today.AddDate(0, 0, -30).Format("2006-01-02")),
		chromedp.SetValue(css(`form[action$="/groups"] input[name=ends_on]`), today.AddDate(0, 0, 30).Format("2006-01-02")),
		chromedp.SetValue(css(`form[action$="/groups"] input[name=capacity]`), "1"),
		chromedp.Click(css(`form[action$="/groups"] button`)),
		chromedp.WaitVisible(css(`#enrol-form`)))
	if h := textOf(t, ctx, "main h1"); !strings.Contains(h, "ПРОБА-1") {
		t.Fatalf("group page: %q", h)
	}
	// An unknown category is refused with a message; nothing is enrolled.
	do(t, ctx,
		chromedp.SendKeys(css(`#enrol-form input[name=last_name]`), "Трофимова"),
		chromedp.SendKeys(css(`#enrol-form input[name=first_name]`), "Алина"),
		chromedp.SendKeys(css(`#enrol-form input[name=birth_year]`), "1980"),
		chromedp.SetValue(css(`#enrol-form select[name=category]`), "youth"),
		chromedp.Click(css(`#enrol-form button`)),
		chromedp.WaitVisible(css(`main .notice.error`)))
	if msg := textOf(t, ctx, "main .notice.error"); !strings.Contains(msg, "молодёжь") || !strings.Contains(msg, "лет") {
		t.Errorf("a youth born in 1980: %q", msg)
	}
	do(t, ctx,
		chromedp.SendKeys(css(`#enrol-form input[name=last_name]`), "Трофимова"),
		chromedp.SendKeys(css(`#enrol-form input[name=first_name]`), "Алина"),
		chromedp.SendKeys(css(`#enrol-form input[name=birth_year]`), "1980"),
		chromedp.SendKeys(css(`#enrol-form input[name=snils]`), "123-456-789 64"),
		chromedp.SetValue(css(`#enrol-form select[name=category]`), "unemployed"),
		chromedp.Click(css(`#enrol-form button`)),
		chromedp.WaitVisible(css(`#enrolments`)))
	if text := textOf(t, ctx, "#enrolments"); !strings.Contains(text, "Трофимова Алина") || !strings.Contains(text, "обучается") {
		t.Errorf("enrolments: %q", text)
	}
	// The group is full now: the form gives way to a notice.
	if text := textOf(t, ctx, "#places"); !strings.Contains(text, "занято 1 из 1") {
		t.Errorf("places: %q", text)
	}
	do(t, ctx,
		chromedp.Click(css(`#enrolments tbody tr:first-child details summary`)),
		chromedp.WaitVisible(css(`form.complete input[name=completed_on]`)),
		chromedp.SetValue(css(`form.complete input[name=completed_on]`), today.Format("2006-01-02")),
		chromedp.SetValue(css(`form.complete input[name=employed_on]`), today.Format("2006-01-02")),
		chromedp.SendKeys(css(`form.complete input[name=employer]`), "ИП Сомов"),
		chromedp.Click(css(`form.complete button`)),
		// The page after completion shows the state and no form to complete.
		chromedp.WaitVisible(css(`#enrolments .tag.good`)))
	if text := textOf(t, ctx, "#enrolments"); !strings.Contains(text, "завершил(а)") || !strings.Contains(text, "трудоустроен(а)") || !strings.Contains(text, "ИП Сомов") {
		t.Errorf("after completion: %q", text)
	}
	group, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}

	do(t, ctx, chromedp.Navigate(srv.URL+"/measures/figures"), chromedp.WaitVisible(css(`#enrolled`)))
	if got := number(`#enrolled`); got != enrolled+1 {
		t.Errorf("enrolled %d, was %d", got, enrolled)
	}
	if got := number(`#employed`); got != employed+1 {
		t.Errorf("employed %d, was %d", got, employed)
	}
	do(t, ctx, logout())

	// A university that does not teach the programme does not find the group.
	do(t, ctx, login(srv.URL, "university"), chromedp.Navigate(strings.SplitN(group, "?", 2)[0]), chromedp.WaitVisible(css(`main h1`)))
	if h := textOf(t, ctx, "main h1"); !strings.Contains(h, "Не найдено") {
		t.Errorf("a university opens a group it does not teach: %q", h)
	}
	do(t, ctx, logout())
}
