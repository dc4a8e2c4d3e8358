package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"marshrut/internal/balance"
)

// withBalance adds the workforce balance to the test API.
func withBalance(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	e.deps.Balance = balance.NewService(e.store.Balance, func() time.Time { return today })
	e.srv.Close()
	e.srv = httptest.NewServer(asCaller(t, e.f.users, New(e.deps)))
	t.Cleanup(e.srv.Close)
	return e
}

func TestOpenAPIBalanceSchemas(t *testing.T) {
	d := loadDoc(t)
	for schema, v := range map[string]any{
		"BalanceCell": balanceCellDTO{}, "BalanceAccuracy": accuracyDTO{}, "BalanceRow": balanceRowDTO{}, "Balance": balanceDTO{},
		"BalancePoint": pointDTO{}, "BalanceGroup": balanceGroupDTO{}, "AdmissionProposal": admissionProposalDTO{},
		"AdmissionProposalList": items[admissionProposalDTO]{}, "Need": needDTO{}, "NeedList": items[needDTO]{}, "NeedRequest": needRequest{},
		"AdmissionChange": balance.AdmissionChange{}, "NeedChange": balance.NeedChange{}, "Scenario": scenarioDTO{},
		"ScenarioList": items[scenarioDTO]{}, "ScenarioRequest": scenarioRequest{},
	} {
		got := properties(t, d, lookup(d, "#/components/schemas/"+schema))
		if want := jsonNames(reflect.TypeOf(v)); !slices.Equal(got, want) {
			t.Errorf("schema %s has %v;\nthe type has %v", schema, got, want)
		}
	}
}

// TestBalanceByAPI: who sees the balance, an employer's needs and their
// refusals, and a scenario that is checked against capacity.
func TestBalanceByAPI(t *testing.T) {
	e := withBalance(t)
	res := e.get(t, "minobr", Prefix+"/balance")
	if res.status != http.StatusOK {
		t.Fatalf("balance: %d %s", res.status, res.body)
	}
	var b balanceDTO
	if err := json.Unmarshal(res.body, &b); err != nil {
		t.Fatal(err)
	}
	// The fixture's college teaches 15.02.08 to second- and first-year students.
	var row *balanceRowDTO
	for i := range b.Rows {
		if b.Rows[i].Key == "15.00.00-spo" {
			row = &b.Rows[i]
		}
	}
	if len(b.Years) != 7 || row == nil || row.Students == 0 || len(row.Cells) != 7 || !strings.Contains(row.Note, "вакансий") {
		t.Fatalf("balance: years %v, row %+v", b.Years, row)
	}
	for _, who := range []string{"school1", "federal"} {
		if res := e.get(t, who, Prefix+"/balance"); res.status != http.StatusForbidden {
			t.Errorf("%s reads the balance: %d", who, res.status)
		}
	}
	if res := e.get(t, "minobr", Prefix+"/balance/groups/15.00.00-spo"); res.status != http.StatusOK || !strings.Contains(string(res.body), `"history":[]`) {
		t.Errorf("group: %d %s", res.status, res.body)
	}
	if res := e.get(t, "minobr", Prefix+"/balance/groups/nonsense"); res.status != http.StatusBadRequest {
		t.Errorf("bad key: %d", res.status)
	}

	// Needs: the employer declares its own; a horizon of eight years is refused.
	post := func(as, path string, body any) response {
		return e.do(t, req{as: as, method: "POST", path: Prefix + path, body: body})
	}
	if res := post("rybprom", "/balance/needs", map[string]any{"specialty_code": "15.02.08", "horizon": 8, "count": 5}); res.status != http.StatusBadRequest ||
		!strings.Contains(res.err().Message, "от 1 до 7") {
		t.Errorf("horizon 8: %d %s", res.status, res.body)
	}
	if res := post("rybprom", "/balance/needs", map[string]any{"specialty_code": "15.02.08", "horizon": 3, "count": -2}); res.status != http.StatusBadRequest {
		t.Errorf("negative count: %d %s", res.status, res.body)
	}
	res = post("rybprom", "/balance/needs", map[string]any{"specialty_code": "15.02.08", "horizon": 3, "count": 25, "note": "новый цех"})
	var n needDTO
	json.Unmarshal(res.body, &n)
	if res.status != http.StatusCreated || n.EmployerID != e.f.empl.ID || n.Year != today.Year()+3 || n.Count != 25 {
		t.Fatalf("declare: %d %s", res.status, res.body)
	}
	if res := post("kpt", "/balance/needs", map[string]any{"specialty_code": "15.02.08", "horizon": 3, "count": 25}); res.status != http.StatusForbidden {
		t.Errorf("a college declares a need: %d", res.status)
	}
	if res := e.get(t, "minobr", Prefix+"/balance/needs"); res.status != http.StatusOK || !strings.Contains(string(res.body), "новый цех") {
		t.Errorf("region's needs: %d %s", res.status, res.body)
	}
	// The declared need is in the balance: three years on, 25 more.
	res = e.get(t, "minobr", Prefix+"/balance")
	json.Unmarshal(res.body, &b)
	for _, r := range b.Rows {
		if r.Key == "15.00.00-spo" {
			if c := r.Cells[today.Year()+3-b.Years[0]]; c.Declared != 25 {
				t.Errorf("declared in %d: %+v", c.Year, c)
			}
		}
	}

	// Scenarios are the region's; an admission the college cannot take is refused.
	sc := map[string]any{"name": "Новый завод", "admissions": []map[string]any{{"org_id": e.f.college.ID, "specialty_code": "15.02.08", "from_year": b.Years[0], "admissions": 40}},
		"needs": []map[string]any{{"specialty_code": "15.02.08", "horizon": 2, "count": 30}}}
	if res := post("kpt", "/balance/scenarios", sc); res.status != http.StatusForbidden {
		t.Errorf("a college makes a scenario: %d", res.status)
	}
	res = post("minobr", "/balance/scenarios", sc)
	var s scenarioDTO
	json.Unmarshal(res.body, &s)
	if res.status != http.StatusCreated || s.ID == 0 || len(s.Admissions) != 1 {
		t.Fatalf("scenario: %d %s", res.status, res.body)
	}
	res = e.get(t, "minobr", fmt.Sprintf("%s/balance?scenario_id=%d", Prefix, s.ID))
	var with balanceDTO
	json.Unmarshal(res.body, &with)
	if with.ScenarioID == nil || *with.ScenarioID != s.ID || with.Totals[1].Declared-b.Totals[1].Declared != 30 {
		t.Errorf("balance with the scenario: %d, totals %+v against %+v", res.status, with.Totals[1], b.Totals[1])
	}
	sc["admissions"] = []map[string]any{{"org_id": e.f.college2.ID, "specialty_code": "15.02.08", "from_year": b.Years[0], "admissions": 40}}
	if res := post("minobr", "/balance/scenarios", sc); res.status != http.StatusBadRequest || !strings.Contains(res.err().Message, "не ведёт подготовку") {
		t.Errorf("admission of an organisation that does not teach: %d %s", res.status, res.body)
	}
	if res := e.do(t, req{as: "rybprom", method: "DELETE", path: fmt.Sprintf("%s/balance/needs/%d", Prefix, n.ID)}); res.status != http.StatusNoContent {
		t.Errorf("delete own need: %d %s", res.status, res.body)
	}
}
