package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/cluster"
	"marshrut/internal/history"
	"marshrut/internal/org"
)

// clustersPage is the registry of clusters with an expert's defences.
type clustersPage struct {
	Clusters    []cluster.Cluster
	Filter      cluster.Filter
	Industries  []cluster.Industry
	Manages     bool
	Defences    []cluster.Defence
	Done, Error string
}

// Clusters is the registry of clusters the caller sees; an expert sees the
// clusters assigned to them with links to score them.
func (w *Web) Clusters(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	q := r.URL.Query()
	f := cluster.Filter{Industry: cluster.Industry(q.Get("industry"))}
	list, err := w.d.Cluster.Clusters(r.Context(), sc, f)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data := clustersPage{Clusters: list, Filter: f, Industries: cluster.Industries(), Manages: cluster.Manages(sc),
		Done: q.Get("done"), Error: q.Get("error")}
	if sc.Role == auth.Expert {
		ds, err := w.d.Cluster.Defences(r.Context(), sc)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		var mine []cluster.Defence
		for _, d := range ds {
			for _, a := range d.Assignments {
				if a.UserID == sc.UserID {
					mine = append(mine, d)
					break
				}
			}
		}
		data.Defences = mine
	}
	w.render(rw, r, http.StatusOK, "cluster", "clusters", data)
}

// ClusterForm is the form of a new cluster, or of a change of one (?id=).
func (w *Web) ClusterForm(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if !cluster.Manages(sc) {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "реестр кластеров ведёт регион"))
		return
	}
	c := cluster.Cluster{Kind: cluster.EduIndustrial, Year: w.d.Cluster.Now().Year()}
	if id, _ := strconv.ParseInt(r.URL.Query().Get("id"), 10, 64); id != 0 {
		var err error
		if c, err = w.d.Cluster.Cluster(r.Context(), sc, id); err != nil {
			w.Error(rw, r, err)
			return
		}
	}
	w.renderClusterForm(rw, r, http.StatusOK, c, nil)
}

// clusterForm is the form of a new or changed cluster.
type clusterForm struct {
	Cluster    cluster.Cluster
	Industries []cluster.Industry
	Kinds      []cluster.Kind
	Fields     map[string]string
	Colleges   []org.Organisation
	Employers  []org.Organisation
	Chosen     map[int64]bool
	Specs      string
	Equipment  string
	Funding    []cluster.Funding
	Error      string
}

func (w *Web) renderClusterForm(rw http.ResponseWriter, r *http.Request, status int, c cluster.Cluster, err error) {
	data := clusterForm{Cluster: c, Industries: cluster.Industries(), Kinds: cluster.Kinds(), Fields: map[string]string{}}
	for _, k := range []org.Kind{org.College, org.Employer} {
		list, _, lerr := w.d.Orgs.List(r.Context(), org.Filter{Kind: k, Limit: 1000})
		if lerr != nil {
			w.Error(rw, r, lerr)
			return
		}
		if k == org.College {
			data.Colleges = list
		} else {
			data.Employers = list
		}
	}
	chosen := map[int64]bool{}
	for _, o := range append(append([]cluster.Org{}, c.Members...), c.Employers...) {
		chosen[o.ID] = true
	}
	var specs []string
	for _, s := range c.Specialties {
		specs = append(specs, s.Code)
	}
	var equipment []string
	for _, e := range c.Equipment {
		equipment = append(equipment, fmt.Sprintf("%s; %d; %d; %d", e.Name, e.Quantity, e.Cost, e.Year))
	}
	funding := append([]cluster.Funding{}, c.Funding...)
	for len(funding) < 3 {
		funding = append(funding, cluster.Funding{})
	}
	data.Chosen, data.Specs, data.Equipment, data.Funding = chosen, strings.Join(specs, ", "), strings.Join(equipment, "\n"), funding
	if err != nil {
		data.Error, data.Fields = apperr.Text(err), fieldMessages(err)
	}
	w.render(rw, r, status, "cluster_form", "clusters", data)
}

// SaveCluster saves a cluster from the form.
func (w *Web) SaveCluster(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if err := r.ParseForm(); err != nil {
		w.Error(rw, r, apperr.Wrap(err, apperr.Invalid, "форма не прочитана"))
		return
	}
	c, err := clusterFromForm(r)
	if err == nil {
		err = w.d.Cluster.SaveCluster(r.Context(), sc, &c)
	}
	if err != nil {
		if apperr.Is(err, apperr.Invalid) {
			w.renderClusterForm(rw, r, http.StatusBadRequest, c, err)
			return
		}
		w.Error(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/clusters/%d?done=saved", c.ID), http.StatusSeeOther)
}

// clusterFromForm reads a cluster; equipment comes as lines «name; quantity; cost; year».
func clusterFromForm(r *http.Request) (cluster.Cluster, error) {
	c := cluster.Cluster{ID: formID(r, "id"), Name: r.PostFormValue("name"), Industry: cluster.Industry(r.PostFormValue("industry")),
		Kind: cluster.Kind(r.PostFormValue("kind")), Year: formInt(r, "year"), BaseOrgID: formID(r, "base_org_id")}
	for _, v := range r.PostForm["members"] {
		id, _ := strconv.ParseInt(v, 10, 64)
		c.Members = append(c.Members, cluster.Org{ID: id})
	}
	for _, v := range r.PostForm["employers"] {
		id, _ := strconv.ParseInt(v, 10, 64)
		c.Employers = append(c.Employers, cluster.Org{ID: id})
	}
	for _, code := range strings.FieldsFunc(r.PostFormValue("specialties"), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' }) {
		c.Specialties = append(c.Specialties, cluster.Specialty{Code: code})
	}
	var errs apperr.List
	years, fed, reg, emp := r.PostForm["funding_year"], r.PostForm["funding_federal"], r.PostForm["funding_regional"], r.PostForm["funding_employers"]
	for i := range years {
		y, _ := strconv.Atoi(strings.TrimSpace(years[i]))
		if y == 0 {
			continue
		}
		money := func(list []string) int64 {
			if i >= len(list) {
				return 0
			}
			n, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(list[i]), " ", ""), 10, 64)
			if err != nil && strings.TrimSpace(list[i]) != "" {
				errs.Add("funding", "финансирование %d года: «%s» — не целое число рублей", y, list[i])
			}
			return n
		}
		c.Funding = append(c.Funding, cluster.Funding{Year: y, Federal: money(fed), Regional: money(reg), Employers: money(emp)})
	}
	for n, line := range strings.Split(r.PostFormValue("equipment"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, ";")
		if len(parts) != 4 {
			errs.Add("equipment", "строка %d оборудования: нужно «наименование; количество; стоимость; год»", n+1)
			continue
		}
		qty, e1 := strconv.Atoi(strings.TrimSpace(parts[1]))
		cost, e2 := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(parts[2]), " ", ""), 10, 64)
		year, e3 := strconv.Atoi(strings.TrimSpace(parts[3]))
		if e1 != nil || e2 != nil || e3 != nil {
			errs.Add("equipment", "строка %d оборудования: количество, стоимость и год — целые числа", n+1)
			continue
		}
		c.Equipment = append(c.Equipment, cluster.Equipment{Name: parts[0], Quantity: qty, Cost: cost, Year: year})
	}
	return c, errs.Err()
}

// clusterCard is a cluster's card with the key figures of a year.
type clusterCard struct {
	C           cluster.Cluster
	KPIs        []kpiView
	Year        int
	Years       []int
	MayEnter    bool
	Manages     bool
	History     []history.Entry
	Done, Error string
}

// Cluster is a cluster's card: the registry and the key figures of a year,
// with the form to enter those the data do not give.
func (w *Web) Cluster(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	q := r.URL.Query()
	year, _ := strconv.Atoi(q.Get("year"))
	if year == 0 {
		year = w.d.Cluster.Now().Year() - 1
	}
	c, err := w.d.Cluster.Cluster(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	year = max(year, c.Year)
	_, kpis, err := w.d.Cluster.KPIs(r.Context(), sc, id, year)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	var years []int
	for y := c.Year; y <= w.d.Cluster.Now().Year(); y++ {
		years = append(years, y)
	}
	var edits []history.Entry
	if cluster.Manages(sc) {
		if edits, err = w.d.Cluster.History(r.Context(), sc, id); err != nil {
			w.Error(rw, r, err)
			return
		}
	}
	w.render(rw, r, http.StatusOK, "cluster_card", "clusters", clusterCard{C: c, KPIs: kpiViews(kpis), Year: year, Years: years,
		MayEnter: cluster.MayEnter(sc, c), Manages: cluster.Manages(sc), Done: q.Get("done"), Error: q.Get("error"), History: edits})
}

// SetClusterValue enters the value of an indicator; shares come in per cent.
func (w *Web) SetClusterValue(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	year := formInt(r, "year")
	ind := cluster.Indicator(r.PostFormValue("indicator"))
	back := fmt.Sprintf("/clusters/%d?year=%d", id, year)
	raw := strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(r.PostFormValue("value")), ",", "."), " ", "")
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		w.afterPostQ(rw, r, back, "", apperr.Field("value", "значение «%s» не является числом", r.PostFormValue("value")))
		return
	}
	if ind.Unit() == cluster.Share {
		v /= 100
	}
	w.afterPostQ(rw, r, back, "value", w.d.Cluster.SetValue(r.Context(), sc, id, year, ind, v))
}

// afterPostQ is afterPost for a page whose address has a query already.
func (w *Web) afterPostQ(rw http.ResponseWriter, r *http.Request, back, done string, err error) {
	path, query, _ := strings.Cut(back, "?")
	if query == "" {
		w.afterPost(rw, r, path, done, err)
		return
	}
	switch {
	case err == nil:
		http.Redirect(rw, r, back+"&done="+done, http.StatusSeeOther)
	case apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) || apperr.Is(err, apperr.Forbidden):
		http.Redirect(rw, r, back+"&error="+url.QueryEscape(apperr.Text(err)), http.StatusSeeOther)
	default:
		w.Error(rw, r, err)
	}
}

// kpiView is a key figure as a page shows it.
type kpiView struct {
	cluster.Value
	Text      string // the value written the Russian way, «—» when missing
	Threshold string // the criterion's threshold, on the scoring form
	Met       bool
	Judged    bool
}

func viewOf(v cluster.Value) kpiView {
	out := kpiView{Value: v, Text: "—"}
	if v.Known() {
		out.Text = formatValue(v.Indicator, v.Value)
	}
	return out
}

func kpiViews(vs []cluster.Value) []kpiView {
	out := make([]kpiView, len(vs))
	for i, v := range vs {
		out[i] = viewOf(v)
	}
	return out
}

// formatValue writes a value of an indicator in its unit.
func formatValue(ind cluster.Indicator, v float64) string {
	switch ind.Unit() {
	case cluster.Share:
		return Percent(v)
	case cluster.Roubles:
		return Number(int(v)) + "\u00a0₽"
	}
	return Number(int(v))
}

// thresholdInput is a criterion's threshold as the form takes it: shares in per cent.
func thresholdInput(c cluster.Criterion) string {
	if c.Indicator == "" || c.Threshold == 0 {
		return ""
	}
	v := c.Threshold
	if c.Indicator.Unit() == cluster.Share {
		v *= 100
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Decimal writes x with n digits after the decimal comma: «72,25».
func Decimal(x float64, n int) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', n, 64), ".", ",", 1)
}
