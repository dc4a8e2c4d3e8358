package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"marshrut/internal/auth"
	"marshrut/internal/cluster"
)

// TestBrowserClusterDefence: an expert of the commission scores a cluster
// assigned to them with full marks, and the region's ranking moves it up.
func TestBrowserClusterDefence(t *testing.T) {
	ctx := browser(t)
	srv, st, cfg := demoServer(t)
	bg := context.Background()
	expert, _, err := st.Auth.UserByLogin(bg, "expert")
	if err != nil {
		t.Fatal(err)
	}
	defences, err := st.Clusters.Defences(bg, cfg.Region)
	if err != nil {
		t.Fatal(err)
	}
	var d cluster.Defence
	for _, x := range defences {
		if x.Status == cluster.Open && x.Year == testClock().Year() {
			d = x
		}
	}
	if d.ID == 0 {
		t.Fatalf("the demo has no open defence of this year: %+v", defences)
	}
	defencePath := srv.URL + "/clusters/defences/" + strconv.FormatInt(d.ID, 10)

	// ranking reads the order of the clusters and the row of one of them.
	type row struct {
		order []string
		rank  int
		score string
	}
	ranking := func(clusterID int64) row {
		t.Helper()
		do(t, ctx, chromedp.Navigate(defencePath), chromedp.WaitVisible(css(`#ranking`)))
		order, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#ranking tbody tr')].map(tr => tr.dataset.cluster)`))
		if err != nil {
			t.Fatal(err)
		}
		sel := fmt.Sprintf(`#ranking tr[data-cluster="%d"]`, clusterID)
		rank, _ := strconv.Atoi(strings.TrimSpace(textOf(t, ctx, sel+` td:first-child`)))
		return row{order: order, rank: rank, score: strings.TrimSpace(textOf(t, ctx, sel+` td.score`))}
	}

	// Of the clusters assigned to the demo expert, the one ranked lowest.
	do(t, ctx, login(srv.URL, "region"))
	var target int64
	before := row{}
	for _, a := range d.Assignments {
		if a.UserID != expert.ID {
			continue
		}
		r := ranking(a.ClusterID)
		if r.rank > before.rank {
			target, before = a.ClusterID, r
		}
	}
	do(t, ctx, logout())
	if target == 0 || before.rank < 2 {
		t.Fatalf("no cluster of the expert below the first place: %+v", before)
	}

	// The expert cannot score a cluster not assigned to them.
	var foreign int64
	for _, a := range d.Assignments {
		if !d.Assigned(a.ClusterID, expert.ID) {
			foreign = a.ClusterID
			break
		}
	}
	do(t, ctx, login(srv.URL, "expert"),
		chromedp.Navigate(fmt.Sprintf("%s/clusters/%d", defencePath, foreign)), chromedp.WaitVisible(css(`main h1`)))
	if text := textOf(t, ctx, "main"); !strings.Contains(text, "не назначен вам") {
		t.Errorf("a cluster not assigned: %q", text[:min(300, len(text))])
	}

	// Full marks on every criterion.
	steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(fmt.Sprintf("%s/clusters/%d", defencePath, target)), chromedp.WaitVisible(css(`form#score`))}
	for _, c := range d.Criteria.Criteria {
		steps = append(steps, chromedp.SetValue(css(`input[name=score_`+c.Key+`]`), strconv.Itoa(c.Max)))
	}
	steps = append(steps, chromedp.SetValue(css(`textarea[name=comment_`+d.Criteria.Criteria[0].Key+`]`), "Трудоустройство подтверждено договорами"),
		chromedp.Click(css(`form#score button[type=submit]`)), chromedp.WaitVisible(css(`p.notice.ok`)))
	do(t, ctx, steps...)
	do(t, ctx, logout())

	do(t, ctx, login(srv.URL, "region"))
	after := ranking(target)
	do(t, ctx, logout())
	if after.rank >= before.rank || after.score == before.score {
		t.Errorf("cluster %d: place %d (%s) before, %d (%s) after full marks", target, before.rank, before.score, after.rank, after.score)
	}
	if strings.Join(after.order, ",") == strings.Join(before.order, ",") {
		t.Errorf("the ranking did not change: %v", after.order)
	}

	// The region gives one expert every cluster at once.
	expert3, _, err := st.Auth.UserByLogin(bg, "expert3")
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx, login(srv.URL, "region"), chromedp.Navigate(defencePath), chromedp.WaitVisible(css(`form[action$="/commission"]`)),
		chromedp.Click(css(fmt.Sprintf(`input[name=all][value="%d"]`, expert3.ID))),
		chromedp.Click(css(`form[action$="/commission"] button[type=submit]`)), chromedp.WaitVisible(css(`p.notice.ok`)))
	got, err := st.Clusters.Defence(bg, cfg.Region, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	clusters, err := st.Clusters.Clusters(bg, auth.SystemScope(cfg.Region), cluster.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range clusters {
		if !got.Assigned(c.ID, expert3.ID) {
			t.Errorf("«на все кластеры» left %s without expert3", c.Name)
		}
	}
	do(t, ctx, logout())
}
