package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"marshrut/internal/auth"
	"marshrut/internal/measures"
)

// TestBrowserRisk: the region trains the model from its page and waits for
// the job; the employment centre opens a case from the list, records a
// consultation, adds a training service to the catalogue, refers the person
// to it from the case and finds them enrolled in the group, then closes the
// case; the region sees the case in its figures.
func TestBrowserRisk(t *testing.T) {
	ctx := browser(t)
	srv, st, cfg := demoServer(t)
	// A group of a programme of active measures that takes people now.
	today := testClock().UTC().Truncate(24 * time.Hour)
	ms := measures.NewService(st.Measures, testClock)
	region := auth.Scope{Role: auth.Region, RegionCode: cfg.Region}
	prog := measures.Programme{Name: "Сварщик ручной дуговой сварки", ProviderName: "АНО ДПО «Учебный центр „Профи“»", Customer: measures.B2G,
		Profession: "Сварщик", Hours: 256, Format: measures.FullTime, Price: 40000}
	if err := ms.CreateProgramme(context.Background(), region, &prog); err != nil {
		t.Fatal(err)
	}
	group := measures.Group{ProgrammeID: prog.ID, Name: "С-1", Start: today, End: today.AddDate(0, 3, 0), Capacity: 10}
	if err := ms.CreateGroup(context.Background(), region, &group); err != nil {
		t.Fatal(err)
	}

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
	caseURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	// The case's own address, without the notice of the action just recorded.
	caseURL, _, _ = strings.Cut(caseURL, "?")
	// The centre adds a training service with the group, then refers the
	// person from the case: the referral enrols them.
	gid := strconv.FormatInt(group.ID, 10)
	do(t, ctx, chromedp.Navigate(srv.URL+"/services/new?kind=training"), chromedp.WaitVisible(css(`form[action="/services"]`)),
		chromedp.SendKeys(css(`input[name=name]`), "Обучение сварщиков для молодёжи"),
		chromedp.SetValue(css(`select[name=group_id]`), gid),
		chromedp.SetValue(css(`input[name=age_min]`), "16"),
		chromedp.Click(css(`form[action="/services"] button`)),
		chromedp.WaitVisible(css(`p.notice.ok`)))
	if text := textOf(t, ctx, "main"); !strings.Contains(text, "Услуга добавлена") || !strings.Contains(text, "С-1") {
		t.Errorf("the new service: %q", text[:min(600, len(text))])
	}
	serviceURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	sid := serviceURL[strings.LastIndexByte(serviceURL, '/')+1:]
	sid, _, _ = strings.Cut(sid, "?")
	do(t, ctx, chromedp.Navigate(caseURL), chromedp.WaitVisible(css(`#refer`)),
		chromedp.SetValue(css(`#refer select[name=target]`), "s:"+sid),
		chromedp.Click(css(`#refer button`)),
		chromedp.WaitVisible(css(`p.notice.ok`)))
	if text := textOf(t, ctx, "p.notice.ok"); !strings.Contains(text, "зачислен в группу") {
		t.Errorf("after the referral: %q", text)
	}
	if text := textOf(t, ctx, "main"); !strings.Contains(text, "направление № ") {
		t.Errorf("the case does not record the referral: %q", text[:min(900, len(text))])
	}
	do(t, ctx, chromedp.Navigate(srv.URL+"/measures/groups/"+gid), chromedp.WaitVisible(css(`main h1`)))
	if text := textOf(t, ctx, "main"); !strings.Contains(text, name) {
		t.Errorf("the group does not show %q enrolled: %q", name, text[:min(900, len(text))])
	}
	do(t, ctx, chromedp.Navigate(caseURL), chromedp.WaitVisible(css(`form[action$="/close"]`)))
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
		chromedp.SetValue(css(`form[action$="/close"] input[name=since]`), testClock().AddDate(0, 0, -1).Format("2006-01-02")),
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
