package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestTargetedRoute follows targeted education through the API: the employer
// offers places at the college, the student applies, the employer selects
// and signs the contract, and the figures count it.
func TestTargetedRoute(t *testing.T) {
	e := newEnv(t)
	offer := map[string]any{"org_id": e.f.college.ID, "specialty_code": "15.02.08", "places": 2,
		"support": map[string]any{"stipend": 5000, "housing": true}, "work_years": 3, "municipality_id": e.f.muni1.ID,
		"requirements": "Средний балл не ниже 4,0", "deadline": "2027-06-30", "year": 2027, "status": "draft"}
	countOffers := func() int {
		t.Helper()
		return decodeJSON[list[offerDTO]](t, e.get(t, "minobr", Prefix+"/targeted/offers")).Total
	}

	// Refusals: a college offers nothing, an employer offers in its own name
	// only, and only for a specialty the college teaches.
	if res := e.do(t, req{as: "kpt", method: "POST", path: Prefix + "/targeted/offers", body: offer}); res.status != http.StatusForbidden {
		t.Errorf("a college offers: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "rybprom", method: "POST", path: Prefix + "/targeted/offers", body: merged(offer, map[string]any{"employer_id": e.f.czn.ID})}); res.status != http.StatusBadRequest ||
		res.err().Field != "employer_id" {
		t.Errorf("an employer names another employer: %d %s", res.status, res.body)
	}
	res := e.do(t, req{as: "rybprom", method: "POST", path: Prefix + "/targeted/offers", body: merged(offer, map[string]any{"org_id": e.f.college2.ID})})
	if res.status != http.StatusBadRequest || res.err().Field != "specialty_code" || !strings.Contains(res.err().Message, "не ведёт обучение по специальности 15.02.08") {
		t.Errorf("a specialty the college does not teach: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "rybprom", method: "POST", path: Prefix + "/targeted/offers", body: merged(offer, map[string]any{"deadline": "30.06.2027"})}); res.status != http.StatusBadRequest ||
		res.err().Field != "deadline" {
		t.Errorf("a date in the wrong form: %d %s", res.status, res.body)
	}
	if n := countOffers(); n != 0 {
		t.Fatalf("refused offers were stored: %d", n)
	}

	// The draft.
	res = e.do(t, req{as: "rybprom", method: "POST", path: Prefix + "/targeted/offers", body: offer})
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	o := decodeJSON[offerDTO](t, res)
	if o.ID == 0 || o.EmployerID != e.f.empl.ID || o.EmployerName != e.f.empl.Name || o.SpecialtyName == "" || o.Level != "spo" ||
		o.Status != "draft" || o.Open || o.Deadline == nil || *o.Deadline != "2027-06-30" || o.Support.Stipend != 5000 || !o.Support.Housing {
		t.Errorf("created offer %+v", o)
	}
	offerPath := Prefix + "/targeted/offers/" + itoa(o.ID)
	if loc := res.header.Get("Location"); loc != offerPath {
		t.Errorf("Location = %q", loc)
	}
	if res := e.get(t, "smirnov", offerPath); res.status != http.StatusNotFound {
		t.Errorf("the student sees a draft: %d %s", res.status, res.body)
	}
	if page := decodeJSON[list[offerDTO]](t, e.get(t, "kpt", Prefix+"/targeted/offers")); page.Total != 0 || page.Items == nil {
		t.Errorf("the college sees a draft: %+v", page)
	}
	if res := e.do(t, req{as: "smirnov", method: "POST", path: offerPath + "/applications", body: map[string]any{}}); res.status != http.StatusNotFound {
		t.Errorf("an application to a draft: %d %s", res.status, res.body)
	}

	// Published.
	res = e.do(t, req{as: "rybprom", method: "PUT", path: offerPath, body: merged(offer, map[string]any{"status": "published"})})
	if res.status != http.StatusOK {
		t.Fatalf("publish: %d %s", res.status, res.body)
	}
	if o = decodeJSON[offerDTO](t, res); o.Status != "published" || !o.Open {
		t.Errorf("published offer %+v", o)
	}
	if res := e.do(t, req{as: "rybprom", method: "PUT", path: offerPath, body: merged(offer, map[string]any{"id": o.ID + 1})}); res.status != http.StatusBadRequest ||
		res.err().Field != "id" {
		t.Errorf("an id that contradicts the path: %d %s", res.status, res.body)
	}
	page := decodeJSON[list[offerDTO]](t, e.get(t, "smirnov", Prefix+"/targeted/offers?specialty_code=15.02.08&status=published"))
	if page.Total != 1 || page.Items[0].ID != o.ID {
		t.Errorf("the student's list %+v", page)
	}
	if res := e.get(t, "smirnov", Prefix+"/targeted/offers?specialty_code=15.2.8&status=open"); res.status != http.StatusBadRequest || len(res.err().Details) != 2 {
		t.Errorf("bad filters: %d %s", res.status, res.body)
	}

	// The student applies for themself.
	appsOf := Prefix + "/targeted/applications"
	res = e.do(t, req{as: "smirnov", method: "POST", path: offerPath + "/applications", body: map[string]any{}})
	if res.status != http.StatusCreated {
		t.Fatalf("apply: %d %s", res.status, res.body)
	}
	app := decodeJSON[applicationCardDTO](t, res)
	if app.ID == 0 || app.LearnerID != e.f.student.ID || app.OfferID != o.ID || app.Status != "submitted" || len(app.History) != 1 ||
		!slices.Equal(app.Moves, []string{"withdrawn"}) || app.ContractSignedOn != nil || app.SubmittedAt == "" {
		t.Errorf("application %+v", app)
	}
	appPath := appsOf + "/" + itoa(app.ID)
	if loc := res.header.Get("Location"); loc != appPath {
		t.Errorf("Location = %q", loc)
	}
	if res := e.do(t, req{as: "smirnov", method: "POST", path: offerPath + "/applications", body: map[string]any{}}); res.status != http.StatusConflict {
		t.Errorf("a second application: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "smirnov", method: "POST", path: offerPath + "/applications", body: map[string]any{"learner_id": e.f.other.ID}}); res.status != http.StatusForbidden {
		t.Errorf("an application for someone else: %d %s", res.status, res.body)
	}

	// The employer sees the application with its moves.
	mine := decodeJSON[list[applicationDTO]](t, e.get(t, "rybprom", appsOf+"?offer_id="+itoa(o.ID)))
	if mine.Total != 1 || mine.Items[0].ID != app.ID || mine.Items[0].Learner == "" || !slices.Equal(mine.Items[0].Moves, []string{"selected", "declined"}) {
		t.Fatalf("employer's applications %+v", mine)
	}
	if got := decodeJSON[list[applicationDTO]](t, e.get(t, "kmk", appsOf)); got.Total != 0 {
		t.Errorf("another college sees %d applications", got.Total)
	}

	move := func(as string, body map[string]any) response {
		t.Helper()
		return e.do(t, req{as: as, method: "POST", path: appPath + "/moves", body: body})
	}
	statusNow := func() string {
		t.Helper()
		return decodeJSON[applicationCardDTO](t, e.get(t, "rybprom", appPath)).Status
	}
	if res := move("smirnov", map[string]any{"to": "selected"}); res.status != http.StatusForbidden {
		t.Errorf("the student selects themself: %d %s", res.status, res.body)
	}
	res = move("rybprom", map[string]any{"to": "selected"})
	if res.status != http.StatusOK || decodeJSON[applicationCardDTO](t, res).Status != "selected" {
		t.Fatalf("select: %d %s", res.status, res.body)
	}
	// The contract needs its number and date; without them nothing changes.
	res = move("rybprom", map[string]any{"to": "contract_signed"})
	if er := res.err(); res.status != http.StatusBadRequest || !strings.Contains(er.Message, "укажите номер договора") ||
		!strings.Contains(er.Message, "укажите дату заключения договора") || len(er.Details) != 2 {
		t.Errorf("a contract without number and date: %d %s", res.status, res.body)
	}
	if res := move("rybprom", map[string]any{"to": "contract_signed", "contract_no": "ЦО-17"}); res.status != http.StatusBadRequest ||
		res.err().Field != "contract_signed_on" {
		t.Errorf("a contract without a date: %d %s", res.status, res.body)
	}
	if res := move("rybprom", map[string]any{"to": "contract_signed", "contract_no": "ЦО-17", "contract_signed_on": "2026-12-01"}); res.status != http.StatusBadRequest ||
		res.err().Field != "contract_signed_on" {
		t.Errorf("a contract signed in the future: %d %s", res.status, res.body)
	}
	if got := statusNow(); got != "selected" {
		t.Fatalf("refused moves changed the status to %s", got)
	}
	res = move("rybprom", map[string]any{"to": "contract_signed", "contract_no": "ЦО-17", "contract_signed_on": "2026-10-30"})
	if res.status != http.StatusOK {
		t.Fatalf("contract: %d %s", res.status, res.body)
	}
	signed := decodeJSON[applicationCardDTO](t, res)
	if signed.Status != "contract_signed" || signed.ContractNo != "ЦО-17" || signed.ContractSignedOn == nil || *signed.ContractSignedOn != "2026-10-30" ||
		len(signed.History) != 3 || signed.History[2].Status != "contract_signed" || !slices.Equal(signed.Moves, []string{"terminated"}) {
		t.Errorf("signed %+v", signed)
	}

	// A move the route does not have is a conflict; an unknown status a bad request.
	res = move("rybprom", map[string]any{"to": "selected"})
	if res.status != http.StatusConflict || res.err().Code != "conflict" || !strings.Contains(res.err().Message, "нельзя перевести заявку из состояния «договор заключён» в «отобран»") {
		t.Errorf("an illegal move: %d %s", res.status, res.body)
	}
	if res := move("rybprom", map[string]any{"to": "signed"}); res.status != http.StatusBadRequest || res.err().Field != "to" {
		t.Errorf("an unknown status: %d %s", res.status, res.body)
	}
	if got := statusNow(); got != "contract_signed" {
		t.Errorf("refused moves changed the status to %s", got)
	}
	// The college sees its student's application and may record the study.
	if got := decodeJSON[applicationCardDTO](t, e.get(t, "kpt", appPath)); !slices.Equal(got.Moves, []string{"studying"}) {
		t.Errorf("the college's moves %v", got.Moves)
	}

	// The figures count the offer, the application and the contract.
	res = e.get(t, "minobr", Prefix+"/targeted/figures")
	if res.status != http.StatusOK {
		t.Fatalf("figures: %d %s", res.status, res.body)
	}
	f := decodeJSON[targetedFiguresDTO](t, res)
	if f.Total.Offers != 1 || f.Total.Places != 2 || f.Total.Applications != 1 || f.Total.PerPlace != 0.5 || f.Total.Contracts != 1 {
		t.Errorf("total %+v", f.Total)
	}
	if len(f.ByEmployer) != 1 || f.ByEmployer[0].Key != itoa(e.f.empl.ID) || f.ByEmployer[0].Name != e.f.empl.Name || f.ByEmployer[0].Contracts != 1 {
		t.Errorf("by employer %+v", f.ByEmployer)
	}
	if len(f.BySpecialty) != 1 || f.BySpecialty[0].Key != "15.02.08" || len(f.ByYear) != 1 || f.ByYear[0].Key != "2027" {
		t.Errorf("by specialty %+v, by year %+v", f.BySpecialty, f.ByYear)
	}
	// Last year's graduate had no contract.
	if f.GraduationYear != 2026 || f.Graduates != 0 || f.ContractShare != 0 {
		t.Errorf("graduates %+v", f)
	}
	if res := e.get(t, "federal", Prefix+"/targeted/figures"); res.status != http.StatusOK {
		t.Errorf("federal figures: %d %s", res.status, res.body)
	}
}
