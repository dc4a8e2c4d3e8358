package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/balance"
)

// Scenarios of admission: made from the proposals or by hand, changed and
// compared with the base balance.

// scenarioPage is the list of the region's scenarios, or one scenario with
// its changes and what they do to the gap (the same page).
type scenarioPage struct {
	Scenarios    []balance.Scenario
	Scenario     *balance.Scenario // the scenario shown, nil on the list
	Admissions   []scenarioAdmission
	Programmes   []balance.Programme
	Specialties  []balance.Specialty
	Ahead        []yearAhead
	Campaigns    []int
	Moved        []rowView
	BalanceYears []int
	Done, Error  string
}

// scenarioAdmission is a change of admission with the programme's name.
type scenarioAdmission struct {
	balance.AdmissionChange
	Name string
}

// Scenarios lists the region's scenarios and makes new ones.
func (w *Web) Scenarios(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	list, err := w.d.Balance.Scenarios(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	q := r.URL.Query()
	w.render(rw, r, http.StatusOK, "balance_scenario", "balance", scenarioPage{Scenarios: list, Done: q.Get("done"), Error: q.Get("error")})
}

// CreateScenario makes an empty scenario and opens it.
func (w *Web) CreateScenario(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	x := balance.Scenario{Name: r.PostFormValue("name")}
	if err := w.d.Balance.SaveScenario(r.Context(), sc, &x); err != nil {
		w.afterPost(rw, r, "/balance/scenarios", "", err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/balance/scenarios/%d?done=%s", x.ID, url.QueryEscape("Сценарий создан: добавьте изменения.")), http.StatusSeeOther)
}

// ScenarioFromProposals makes a scenario of the proposals of admission.
func (w *Web) ScenarioFromProposals(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	x, err := w.d.Balance.FromProposals(r.Context(), sc, r.PostFormValue("name"), r.PostForm["confirm"])
	if err != nil {
		w.afterPost(rw, r, "/balance", "", err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/balance?scenario=%d&done=%s", x.ID, url.QueryEscape("Предложения по приёму сохранены как сценарий «"+x.Name+"».")), http.StatusSeeOther)
}

// SetBalanceLimit sets the region's limit on a proposal's change of
// admission, given in percent.
func (w *Web) SetBalanceLimit(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	pct, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(r.PostFormValue("max_change")), ",", ".", 1), 64)
	if err != nil {
		pct = math.NaN() // refused by the service, after the check of access
	}
	err = w.d.Balance.SetMaxChange(r.Context(), sc, pct/100)
	w.afterPost(rw, r, "/balance", "Предел изменения приёма сохранён: "+Percent(pct/100)+" в год.", err)
}

// ScenarioPage shows a scenario's changes with the forms to add more, and
// what it does to the gap.
func (w *Web) ScenarioPage(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	x, err := w.d.Balance.Scenario(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	in, err := w.d.Balance.Input(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	progs := balance.Programmes(in)
	names := map[string]string{}
	for _, p := range progs {
		names[fmt.Sprintf("%d|%s", p.OrgID, p.Specialty.Code)] = p.OrgName + " — " + p.Specialty.Code + " " + p.Specialty.Name
	}
	var adms []scenarioAdmission
	for _, c := range x.Admissions {
		adms = append(adms, scenarioAdmission{c, names[fmt.Sprintf("%d|%s", c.OrgID, c.Specialty)]})
	}
	q := r.URL.Query()
	data := scenarioPage{Scenario: &x, Admissions: adms, Programmes: progs, Specialties: taughtSpecialties(in),
		Ahead: ahead(in.Years()), Campaigns: campaigns(in), Done: q.Get("done"), Error: q.Get("error")}
	// What the scenario does: the rows and years whose gap it moves.
	if res, err := w.d.Balance.Balance(r.Context(), sc, x.ID); err == nil {
		base, err := w.d.Balance.Balance(r.Context(), sc, 0)
		if err != nil {
			w.logWithout(r, "base balance of a scenario", err) // the page stands without what the scenario moves
		} else {
			var moved []rowView
			for _, row := range res.Rows {
				b, ok := base.Row(row.Key)
				if !ok {
					continue
				}
				v := newRowView(row, &b, allIndexes(len(row.Cells)))
				for _, c := range v.Cells {
					if c.Changed {
						moved = append(moved, v)
						break
					}
				}
			}
			data.Moved, data.BalanceYears = moved, res.Years
		}
	} else {
		data.Error = apperr.Text(err)
	}
	w.render(rw, r, http.StatusOK, "balance_scenario", "balance", data)
}

// campaigns are the admission campaigns a scenario may change: those whose
// graduates still fall within the seven years.
func campaigns(in balance.Input) []int {
	var out []int
	for y := in.SchoolYear + 1; y <= in.SchoolYear+balance.MaxHorizon-2; y++ {
		out = append(out, y)
	}
	return out
}

// AddScenarioChange adds a change of admission or a need to a scenario.
func (w *Web) AddScenarioChange(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	back := fmt.Sprintf("/balance/scenarios/%d", id)
	x, err := w.d.Balance.Scenario(r.Context(), sc, id)
	if err != nil {
		w.afterPost(rw, r, back, "", err)
		return
	}
	done := ""
	switch r.PostFormValue("kind") {
	case "admission":
		c := balance.AdmissionChange{}
		org, spec, _ := strings.Cut(r.PostFormValue("programme"), "|")
		c.OrgID, _ = strconv.ParseInt(org, 10, 64)
		c.Specialty = spec
		if c.FromYear, err = balanceInt(r, "from_year", "год приёма"); err == nil {
			if c.Admissions, err = balanceInt(r, "admissions", "приём"); err == nil {
				x.Admissions = append(x.Admissions, c)
				done = fmt.Sprintf("Приём с %d года изменён: %s.", c.FromYear, Count(c.Admissions, "человек", "человека", "человек"))
			}
		}
	case "need":
		c := balance.NeedChange{Employer: strings.TrimSpace(r.PostFormValue("employer")), Specialty: r.PostFormValue("specialty_code"),
			Yearly: r.PostFormValue("yearly") != ""}
		if c.Horizon, err = balanceInt(r, "horizon", "горизонт"); err == nil {
			if c.Count, err = balanceInt(r, "count", "потребность"); err == nil {
				x.Needs = append(x.Needs, c)
				done = fmt.Sprintf("Потребность добавлена: %s через %s.", Count(c.Count, "человек", "человека", "человек"), Count(c.Horizon, "год", "года", "лет"))
			}
		}
	default:
		err = apperr.Field("kind", "неизвестный вид изменения")
	}
	if err == nil {
		err = w.d.Balance.SaveScenario(r.Context(), sc, &x)
	}
	w.afterPost(rw, r, back, done, err)
}

// RemoveScenarioChange removes a change of a scenario by its place.
func (w *Web) RemoveScenarioChange(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	back := fmt.Sprintf("/balance/scenarios/%d", id)
	x, err := w.d.Balance.Scenario(r.Context(), sc, id)
	if err != nil {
		w.afterPost(rw, r, back, "", err)
		return
	}
	i, _ := strconv.Atoi(r.PostFormValue("index"))
	switch kind := r.PostFormValue("kind"); {
	case kind == "admission" && i >= 0 && i < len(x.Admissions):
		x.Admissions = slices.Delete(x.Admissions, i, i+1)
	case kind == "need" && i >= 0 && i < len(x.Needs):
		x.Needs = slices.Delete(x.Needs, i, i+1)
	default:
		w.afterPost(rw, r, back, "", apperr.New(apperr.NotFound, "изменение не найдено"))
		return
	}
	w.afterPost(rw, r, back, "Изменение удалено.", w.d.Balance.SaveScenario(r.Context(), sc, &x))
}

// DeleteScenario removes a scenario.
func (w *Web) DeleteScenario(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	w.afterPost(rw, r, "/balance/scenarios", "Сценарий удалён.", w.d.Balance.DeleteScenario(r.Context(), sc, id))
}
