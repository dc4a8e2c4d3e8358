package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserRisk: the region trains the model from its page and waits for
// the job; the employment centre opens a case from the list, records a
// consultation and closes the case; the region sees the case in its figures.
func TestBrowserRisk(t *testing.T) {
	ctx := browser(t)
	srv, _, _ := demoServer(t)

	do(t, ctx, login(srv.URL, "region"), chromedp.Navigate(srv.URL+"/risk"), chromedp.WaitVisible(css(`main h1`)))
	if text := textOf(t, ctx, "main"); !strings.Contains(text, "Модель ещё не обучена") {
		t.Fatalf("risk page before training: %q", text[:min(400, len(text))])
	}
	do(t, ctx, chromedp.Navigate(srv.URL+"/risk/model"), chromedp.WaitVisible(css(`form[action="/risk/train"]`)),
		chromedp.Click(css(`form[action="/risk/train"] button`)),
		// The job page refreshes itself until the job ends, then leads to the list.
		chromedp.WaitVisible(css(`#risk-list`)))
	done := textOf(t, ctx, "main .notice.ok")
	if !strings.Contains(done, "обучена") || !strings.Contains(done, "в зоне риска") {
		t.Errorf("after training: %q", done)
	}
	do(t, ctx, chromedp.Navigate(srv.URL+"/risk/model"), chromedp.WaitVisible(css(`#auc`)))
	if text := textOf(t, ctx, "main"); !strings.Contains(text, "Калибровка") || !strings.Contains(text, "По полу") || !strings.Contains(text, "используется") {
		t.Errorf("model page: %q", text[:min(600, len(text))])
	}
	do(t, ctx, logout())

	// The centre sees its municipalities' students at risk and opens a case.
	do(t, ctx, login(srv.URL, "czn"), chromedp.Navigate(srv.URL+"/risk"), chromedp.WaitVisible(css(`#risk-list`)))
	name := textOf(t, ctx, `#risk-list tbody tr:first-child td:first-child a`)
	do(t, ctx, chromedp.Click(css(`#risk-list tbody tr:first-child form button`)), chromedp.WaitVisible(css(`form[action$="/actions"]`)))
	if h := textOf(t, ctx, "main h1"); !strings.Contains(h, name) {
		t.Errorf("case of %q is titled %q", name, h)
	}
	do(t, ctx,
		chromedp.SetValue(css(`form[action$="/actions"] select[name=kind]`), "consultation"),
		chromedp.SendKeys(css(`form[action$="/actions"] textarea`), "Профконсультация по вакансиям района"),
		chromedp.Click(css(`form[action$="/actions"] button`)),
		chromedp.WaitVisible(css(`#actions`)))
	if text := textOf(t, ctx, "#actions"); !strings.Contains(text, "профконсультация") || !strings.Contains(text, "вакансиям района") {
		t.Errorf("actions: %q", text)
	}
	// Closed as employed, the case asks for the employer and the day work began.
	do(t, ctx,
		chromedp.SetValue(css(`form[action$="/close"] select[name=outcome]`), "employed"),
		chromedp.Click(css(`form[action$="/close"] button`)),
		chromedp.WaitVisible(css(`p.notice.error`)))
	if text := textOf(t, ctx, "p.notice.error"); !strings.Contains(text, "работодателя") {
		t.Errorf("closing as employed without the employer: %q", text)
	}
	do(t, ctx,
		chromedp.SetValue(css(`form[action$="/close"] select[name=outcome]`), "employed"),
		chromedp.SetValue(css(`form[action$="/close"] input[name=since]`), time.Now().AddDate(0, 0, -1).Format("2006-01-02")),
		chromedp.SendKeys(css(`form[action$="/close"] input[name=employer_name]`), "ООО «Камчатская верфь»"),
		chromedp.Click(css(`form[action$="/close"] button`)),
		// The page after closing has no forms to work the case.
		chromedp.WaitNotPresent(css(`form[action$="/close"]`)))
	if text := textOf(t, ctx, "main"); !strings.Contains(text, "закрыт") || !strings.Contains(text, "трудоустроен") {
		t.Errorf("closed case: %q", text[:min(500, len(text))])
	}
	do(t, ctx, logout())

	do(t, ctx, login(srv.URL, "region"), chromedp.Navigate(srv.URL+"/risk"), chromedp.WaitVisible(css(`#with-case`)))
	if got := textOf(t, ctx, "#with-case"); got != "1" {
		t.Errorf("at-risk students with a case: %q", got)
	}
	do(t, ctx, logout())
}
