package server_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/learner"
	"marshrut/internal/risk"
)

// cardWithoutRisk is the learners' store as it was before the card carried
// the risk figure: the page then asks the risk service for the threshold.
type cardWithoutRisk struct{ learner.Store }

func (s cardWithoutRisk) Card(ctx context.Context, sc auth.Scope, id int64) (learner.Card, error) {
	c, err := s.Store.Card(ctx, sc, id)
	c.Risk = nil
	return c, err
}

var reMain = regexp.MustCompile(`(?s)<main.*</main>`)

// The card shows the same whether the region's threshold comes with the
// card or from a second trip to the risk service: before the region has
// chosen one (the default) and after, with the score between the two.
func TestLearnerCardRiskAsBefore(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	before := e.server(t, cardWithoutRisk{e.st.Learners}, e.auth, e.log)
	c, code, _ := e.login(t, "college", password)
	if code != 303 {
		t.Fatalf("login: %d", code)
	}
	at := time.Now().Add(-time.Hour)
	m := risk.ModelInfo{RegionCode: "41", Kind: risk.KindLogistic, Data: []byte("{}"), Active: true, CreatedAt: at}
	if err := e.st.Risks.SaveModel(ctx, &m); err != nil {
		t.Fatal(err)
	}
	reasons := []risk.Reason{{Feature: "attendance", Text: "посещаемость ниже средней", Effect: 0.4}}
	if err := e.st.Risks.SaveScores(ctx, "41", m.ID, []risk.Score{{LearnerID: e.mine.ID, Probability: 0.33, Reasons: reasons}}, at); err != nil {
		t.Fatal(err)
	}
	section := regexp.MustCompile(`(?s)<section aria-labelledby="risk-h" id="risk">.*?</section>`)
	for _, th := range []float64{0, 0.35} {
		if th != 0 {
			if err := e.st.Risks.SetThreshold(ctx, "41", th, at); err != nil {
				t.Fatal(err)
			}
		}
		code, now := get(t, c, e.srv.URL+"/learners/"+itoa(e.mine.ID))
		codeBefore, was := get(t, c, before.URL+"/learners/"+itoa(e.mine.ID))
		if code != 200 || codeBefore != 200 {
			t.Fatalf("card: %d, before: %d", code, codeBefore)
		}
		risky := section.FindString(now)
		if risky == "" || !strings.Contains(risky, "33") || !strings.Contains(risky, "посещаемость ниже средней") {
			t.Fatalf("threshold %v: no risk section with the score in the card:\n%s", th, reMain.FindString(now))
		}
		if at := strings.Contains(risky, "в зоне риска"); at != (th == 0) {
			t.Errorf("threshold %v: «в зоне риска» shown %v", th, at)
		}
		if reMain.FindString(now) != reMain.FindString(was) {
			t.Errorf("threshold %v: the card differs from the card as it was:\n%s\n---- before:\n%s", th, reMain.FindString(now), reMain.FindString(was))
		}
	}
}
