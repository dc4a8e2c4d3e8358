package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/imports"
)

// The balance's data: what it is computed from (taught specialties, ages),
// the employers' declared needs, capacities and the import of their files.

// balanceDataPage is what the balance rests on, with its forms and loads.
type balanceDataPage struct {
	CanDeclare  bool
	CanCapacity bool
	CanPlan     bool
	Region      bool
	Horizons    []int
	Kinds       []struct{ Kind, Title string }
	Year        int
	Bands       []balance.Band
	Specialties []balance.Specialty
	Needs       []balance.Need
	Programmes  []balance.Programme
	Ages        []ageRow
	Done, Error string
}

// BalanceData is what the balance rests on besides vacancies and learners:
// declared needs, capacities and the age structure, with their forms and loads.
func (w *Web) BalanceData(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if !balance.CanSee(sc) {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "баланс кадров видят регион, центры занятости, образовательные организации и работодатели"))
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	in, err := w.d.Balance.Input(ctx, sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data := balanceDataPage{CanDeclare: balance.CanDeclare(sc), CanCapacity: balance.CanSetCapacity(sc), CanPlan: balance.CanPlan(sc),
		Region: sc.WholeRegion(), Done: q.Get("done"), Error: q.Get("error"), Horizons: balance.Horizons, Kinds: balance.ImportKinds,
		Year: w.d.Balance.Now().Year(), Bands: balance.Bands, Specialties: taughtSpecialties(in)}
	if balance.CanDeclare(sc) {
		needs, err := w.d.Balance.Needs(ctx, sc, balance.NeedFilter{})
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		data.Needs = needs
	}
	if balance.CanSetCapacity(sc) {
		progs, err := w.d.Balance.Programmes(ctx, sc)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		data.Programmes = progs
	}
	if balance.CanPlan(sc) {
		data.Ages = ageTable(in.Ages)
	}
	w.render(rw, r, http.StatusOK, "balance_data", "balance", data)
}

// taughtSpecialties lists the specialties the region's organisations teach
// or plan to, for the forms.
func taughtSpecialties(in balance.Input) []balance.Specialty {
	seen := map[string]bool{}
	var out []balance.Specialty
	for _, p := range balance.Programmes(in) {
		if !seen[p.Specialty.Code] {
			seen[p.Specialty.Code] = true
			out = append(out, p.Specialty)
		}
	}
	slices.SortFunc(out, func(a, b balance.Specialty) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// ageRow is a group's age structure as a row of a table.
type ageRow struct {
	Group, Name, Level string
	Year               int
	ByBand             []int
	Total              int
}

func ageTable(ages []balance.Age) []ageRow {
	var out []ageRow
	index := map[balance.Key]int{}
	for _, a := range ages {
		i, ok := index[a.Key]
		if !ok {
			i = len(out)
			index[a.Key] = i
			out = append(out, ageRow{Group: a.Key.Group, Name: a.GroupName, Level: a.Key.Level.Name(), Year: a.Year, ByBand: make([]int, len(balance.Bands))})
		}
		if b := slices.Index(balance.Bands, a.Band); b >= 0 {
			out[i].ByBand[b] += a.Employed
			out[i].Total += a.Employed
		}
	}
	return out
}

// balanceInt reads an integer field of a form, naming it when it is wrong.
func balanceInt(r *http.Request, name, title string) (int, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0, apperr.Field(name, "не указано: %s", title)
	}
	n, err := strconv.Atoi(strings.ReplaceAll(strings.ReplaceAll(v, " ", ""), "\u202f", ""))
	if err != nil {
		return 0, apperr.Field(name, "%s: «%s» не является целым числом", title, v)
	}
	return n, nil
}

// DeclareNeed saves a need from the form.
func (w *Web) DeclareNeed(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	n := balance.Need{Specialty: r.PostFormValue("specialty_code"), Note: r.PostFormValue("note")}
	var err error
	if sc.WholeRegion() {
		var o balance.Org
		if o, err = w.d.Balance.Employer(r.Context(), sc, r.PostFormValue("employer_inn")); err != nil {
			w.afterPost(rw, r, "/balance/data", "", err)
			return
		}
		n.EmployerID = o.ID
	}
	if n.Horizon, err = balanceInt(r, "horizon", "горизонт"); err == nil {
		if n.Count, err = balanceInt(r, "count", "потребность"); err == nil {
			err = w.d.Balance.Declare(r.Context(), sc, &n)
		}
	}
	w.afterPost(rw, r, "/balance/data", fmt.Sprintf("Потребность сохранена: %s через %s.", Count(n.Count, "человек", "человека", "человек"),
		Count(n.Horizon, "год", "года", "лет")), err)
}

// DeleteNeed removes a need.
func (w *Web) DeleteNeed(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	w.afterPost(rw, r, "/balance/data", "Потребность удалена.", w.d.Balance.DeleteNeed(r.Context(), sc, id))
}

// SetCapacity saves a programme's capacity and plan of admission.
func (w *Web) SetCapacity(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	c := balance.Capacity{}
	org, spec, _ := strings.Cut(r.PostFormValue("programme"), "|")
	c.OrgID, _ = strconv.ParseInt(org, 10, 64)
	c.Specialty = spec
	var err error
	if c.Capacity, err = balanceInt(r, "capacity", "вместимость"); err == nil {
		if strings.TrimSpace(r.PostFormValue("plan")) != "" {
			c.Plan, err = balanceInt(r, "plan", "план приёма")
		}
		if err == nil {
			err = w.d.Balance.SetCapacity(r.Context(), sc, c)
		}
	}
	w.afterPost(rw, r, "/balance/data", "Вместимость сохранена.", err)
}

// BalanceImport loads a file of needs, capacities or the age structure.
func (w *Web) BalanceImport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	file, hdr, err := r.FormFile("file")
	if err != nil {
		w.afterPost(rw, r, "/balance/data", "", apperr.Field("file", "выберите файл CSV или XLSX"))
		return
	}
	defer file.Close()
	rep, err := imports.Balance(r.Context(), w.d.Balance, sc, r.FormValue("kind"), file, hdr.Filename)
	if err == nil && rep.Loaded == 0 && len(rep.Rejected) > 0 {
		err = apperr.New(apperr.Invalid, "ни одна строка не загружена; %s", rejectedText(rep))
	}
	msg := "Файл загружен: " + rep.String() + "."
	if len(rep.Rejected) > 0 {
		msg += " " + rejectedText(rep)
	}
	w.afterPost(rw, r, "/balance/data", msg, err)
}

// rejectedText names the first rejected rows of a report.
func rejectedText(rep balance.Report) string {
	var parts []string
	for i, x := range rep.Rejected {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("и ещё %d", len(rep.Rejected)-5))
			break
		}
		parts = append(parts, fmt.Sprintf("строка %d: %s", x.Line, x.Reason))
	}
	return "Отклонены: " + strings.Join(parts, "; ") + "."
}
