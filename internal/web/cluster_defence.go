package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/cluster"
	"marshrut/internal/exchange"
)

// The defences of clusters: the criteria, the defence and its commission, an
// expert's sheet, the protocol and its signature.

// ClusterCriteria shows the criteria of a year with their versions and the
// form of a new version.
func (w *Web) ClusterCriteria(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	q := r.URL.Query()
	year, _ := strconv.Atoi(q.Get("year"))
	if year == 0 {
		year = w.d.Cluster.Now().Year()
	}
	set, err := w.d.Cluster.Criteria(r.Context(), sc, year)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	versions, err := w.d.Cluster.CriteriaVersions(r.Context(), sc, year)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.renderCriteria(rw, r, http.StatusOK, set, versions, q.Get("done"), nil)
}

// criteriaPage is the criteria of a year with their versions and the form of a new one.
type criteriaPage struct {
	Set         cluster.Criteria
	Rows        []cluster.Criterion
	Thresholds  []string
	Versions    []cluster.Criteria
	Indicators  []cluster.Indicator
	Manages     bool
	Done, Error string
}

func (w *Web) renderCriteria(rw http.ResponseWriter, r *http.Request, status int, set cluster.Criteria, versions []cluster.Criteria, done string, err error) {
	_, sc, _ := auth.Caller(r.Context())
	rows := append([]cluster.Criterion{}, set.Criteria...)
	for len(rows) < len(set.Criteria)+3 {
		rows = append(rows, cluster.Criterion{})
	}
	thresholds := make([]string, len(rows))
	for i, c := range rows {
		thresholds[i] = thresholdInput(c)
	}
	data := criteriaPage{Set: set, Rows: rows, Thresholds: thresholds, Versions: versions, Indicators: cluster.Indicators(),
		Manages: cluster.Manages(sc), Done: done}
	if err != nil {
		data.Error = apperr.Text(err)
	}
	w.render(rw, r, status, "cluster_criteria", "clusters", data)
}

// SaveClusterCriteria saves a new version of the criteria from the form;
// thresholds of shares come in per cent.
func (w *Web) SaveClusterCriteria(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if err := r.ParseForm(); err != nil {
		w.Error(rw, r, apperr.Wrap(err, apperr.Invalid, "форма не прочитана"))
		return
	}
	pass, _ := strconv.ParseFloat(strings.ReplaceAll(r.PostFormValue("pass_score"), ",", "."), 64)
	set := cluster.Criteria{Year: formInt(r, "year"), Total: formInt(r, "total"), PassScore: pass}
	keys := r.PostForm["key"]
	for i := range keys {
		at := func(name string) string {
			if list := r.PostForm[name]; i < len(list) {
				return strings.TrimSpace(list[i])
			}
			return ""
		}
		if at("key") == "" && at("title") == "" {
			continue
		}
		weight, _ := strconv.Atoi(at("weight"))
		maxScore, _ := strconv.Atoi(at("max"))
		threshold, _ := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(at("threshold"), ",", "."), " ", ""), 64)
		ind := cluster.Indicator(at("indicator"))
		if ind.Unit() == cluster.Share {
			threshold /= 100
		}
		set.Criteria = append(set.Criteria, cluster.Criterion{Key: at("key"), Title: at("title"), Indicator: ind, Threshold: threshold, Weight: weight, Max: maxScore})
	}
	if err := w.d.Cluster.SaveCriteria(r.Context(), sc, &set); err != nil {
		if apperr.Is(err, apperr.Invalid) {
			versions, verr := w.d.Cluster.CriteriaVersions(r.Context(), sc, set.Year)
			if verr != nil {
				w.logWithout(r, "versions of criteria", verr) // the refused form stands without them
			}
			w.renderCriteria(rw, r, http.StatusBadRequest, set, versions, "", err)
			return
		}
		w.Error(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/clusters/criteria?year=%d&done=saved", set.Year), http.StatusSeeOther)
}

// defencesPage is the list of the region's defences.
type defencesPage struct {
	Defences    []cluster.Defence
	Manages     bool
	Year        int
	Done, Error string
}

// Defences lists the region's defences and opens a new one.
func (w *Web) Defences(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	ds, err := w.d.Cluster.Defences(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	q := r.URL.Query()
	w.render(rw, r, http.StatusOK, "cluster_defences", "clusters", defencesPage{Defences: ds, Manages: cluster.Manages(sc),
		Year: w.d.Cluster.Now().Year(), Done: q.Get("done"), Error: q.Get("error")})
}

// OpenDefence opens the defences of a year.
func (w *Web) OpenDefence(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	d, err := w.d.Cluster.OpenDefence(r.Context(), sc, formInt(r, "year"))
	if err != nil {
		w.afterPost(rw, r, "/clusters/defences", "", err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/clusters/defences/%d?done=opened", d.ID), http.StatusSeeOther)
}

// defencePage is a defence with its ranking, commission and an expert's clusters.
type defencePage struct {
	P           cluster.Protocol
	D           cluster.Defence
	Manages     bool
	Clusters    []cluster.Cluster
	Experts     []cluster.Expert
	Members     map[int64]bool
	Assigned    map[string]bool
	Mine        []cluster.Cluster
	Scored      map[int64]bool
	Done, Error string
}

// Defence is a defence: the ranking, the commission and its assignments
// (the region changes them while the defence is open); for an expert, the
// clusters to score.
func (w *Web) Defence(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p, err := w.d.Cluster.Protocol(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	q := r.URL.Query()
	data := defencePage{P: p, D: p.Defence, Manages: cluster.Manages(sc), Done: q.Get("done"), Error: q.Get("error")}
	clusters, err := w.d.Cluster.Clusters(r.Context(), sc, cluster.Filter{})
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data.Clusters = clusters
	if cluster.Manages(sc) {
		experts, err := w.d.Cluster.Experts(r.Context(), sc)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		members, assigned := map[int64]bool{}, map[string]bool{}
		for _, e := range p.Defence.Experts {
			members[e.UserID] = true
		}
		for _, a := range p.Defence.Assignments {
			assigned[fmt.Sprintf("%d:%d", a.ClusterID, a.UserID)] = true
		}
		data.Experts, data.Members, data.Assigned = experts, members, assigned
	}
	if sc.Role == auth.Expert {
		scored := map[int64]bool{}
		for _, m := range p.Marks {
			scored[m.ClusterID] = true
		}
		var mine []cluster.Cluster
		for _, c := range clusters {
			if p.Defence.Assigned(c.ID, sc.UserID) {
				mine = append(mine, c)
			}
		}
		data.Mine, data.Scored = mine, scored
	}
	w.render(rw, r, http.StatusOK, "cluster_defence", "clusters", data)
}

// SetCommission saves the commission and the assignments from the form:
// checkboxes «member» with user ids and «assign» with «cluster:user».
func (w *Web) SetCommission(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	back := fmt.Sprintf("/clusters/defences/%d", id)
	if err := r.ParseForm(); err != nil {
		w.afterPost(rw, r, back, "", apperr.Wrap(err, apperr.Invalid, "форма не прочитана"))
		return
	}
	var experts []int64
	for _, v := range r.PostForm["member"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			w.afterPost(rw, r, back, "", apperr.Field("member", "«%s» не является номером эксперта", v))
			return
		}
		experts = append(experts, n)
	}
	var as []cluster.Assignment
	// An expert ticked «на все кластеры» scores every cluster of the region
	// that existed in the defence's year.
	if all := r.PostForm["all"]; len(all) > 0 {
		d, err := w.d.Cluster.Defence(r.Context(), sc, id)
		if err != nil {
			w.afterPost(rw, r, back, "", err)
			return
		}
		clusters, err := w.d.Cluster.Clusters(r.Context(), sc, cluster.Filter{})
		if err != nil {
			w.afterPost(rw, r, back, "", err)
			return
		}
		clusters = slices.DeleteFunc(clusters, func(c cluster.Cluster) bool { return c.Year > d.Year })
		for _, v := range all {
			uid, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				continue
			}
			experts = append(experts, uid) // on every cluster, so in the commission
			for _, c := range clusters {
				as = append(as, cluster.Assignment{ClusterID: c.ID, UserID: uid})
			}
		}
	}
	for _, v := range r.PostForm["assign"] {
		c, u, _ := strings.Cut(v, ":")
		cid, e1 := strconv.ParseInt(c, 10, 64)
		uid, e2 := strconv.ParseInt(u, 10, 64)
		if e1 == nil && e2 == nil {
			as = append(as, cluster.Assignment{ClusterID: cid, UserID: uid})
		}
	}
	w.afterPost(rw, r, back, "commission", w.d.Cluster.SetCommission(r.Context(), sc, id, experts, as))
}

// scorePage is an expert's form of scores of one cluster.
type scorePage struct {
	D           cluster.Defence
	C           cluster.Cluster
	Marks       map[string]cluster.Mark
	Values      map[string]kpiView
	KPIYear     int
	Done, Error string
}

// ScoreForm is an expert's form of scores of one cluster, with the
// cluster's key figures against the criteria's thresholds.
func (w *Web) ScoreForm(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	cid, _ := strconv.ParseInt(r.PathValue("cluster"), 10, 64)
	p, err := w.d.Cluster.Protocol(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	if sc.Role != auth.Expert || !p.Defence.Assigned(cid, sc.UserID) {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "этот кластер не назначен вам для оценки"))
		return
	}
	kpiYear := min(p.Defence.Year-1, w.d.Cluster.Now().Year())
	c, kpis, err := w.d.Cluster.KPIs(r.Context(), sc, cid, kpiYear)
	if apperr.Is(err, apperr.Invalid) {
		c, err = w.d.Cluster.Cluster(r.Context(), sc, cid)
	}
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	marks := map[string]cluster.Mark{}
	for _, m := range p.Marks {
		if m.ClusterID == cid {
			marks[m.Criterion] = m
		}
	}
	values := map[string]kpiView{}
	for _, cr := range p.Defence.Criteria.Criteria {
		if cr.Indicator != "" {
			v := viewOf(cluster.ValueOf(kpis, cr.Indicator))
			v.Threshold = formatValue(cr.Indicator, cr.Threshold)
			v.Met, v.Judged = cr.Met(v.Value)
			values[cr.Key] = v
		}
	}
	q := r.URL.Query()
	w.render(rw, r, http.StatusOK, "cluster_score", "clusters", scorePage{D: p.Defence, C: c, Marks: marks, Values: values, KPIYear: kpiYear,
		Done: q.Get("done"), Error: q.Get("error")})
}

// Score saves an expert's scores from the form: «score_<key>» and «comment_<key>».
func (w *Web) Score(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	cid, _ := strconv.ParseInt(r.PathValue("cluster"), 10, 64)
	back := fmt.Sprintf("/clusters/defences/%d/clusters/%d", id, cid)
	d, err := w.d.Cluster.Defence(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	sheet := cluster.Sheet{ClusterID: cid}
	var errs apperr.List
	for _, cr := range d.Criteria.Criteria {
		v := strings.TrimSpace(r.PostFormValue("score_" + cr.Key))
		n, perr := strconv.Atoi(v)
		if perr != nil {
			errs.Add(cr.Key, "оценка по критерию «%s»: «%s» — не целое число", cr.Title, v)
			continue
		}
		sheet.Marks = append(sheet.Marks, cluster.Mark{Criterion: cr.Key, Score: n, Comment: r.PostFormValue("comment_" + cr.Key)})
	}
	err = errs.Err()
	if err == nil {
		err = w.d.Cluster.Score(r.Context(), sc, id, sheet)
	}
	w.afterPost(rw, r, back, "scored", err)
}

// protocolPage is the printable protocol of a defence.
type protocolPage struct {
	P cluster.Protocol
	D cluster.Defence
}

// Protocol is the printable protocol of a defence.
func (w *Web) Protocol(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p, err := w.d.Cluster.Protocol(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	if p.Results == nil && sc.Role == auth.Expert {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "протокол будет доступен экспертам после подписания"))
		return
	}
	w.render(rw, r, http.StatusOK, "cluster_protocol", "clusters", protocolPage{P: p, D: p.Defence})
}

// ProtocolExport downloads the protocol as XLSX (or CSV).
func (w *Web) ProtocolExport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	p, err := w.d.Cluster.Protocol(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	if p.Results == nil && sc.Role == auth.Expert {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "протокол будет доступен экспертам после подписания"))
		return
	}
	cols := []exchange.Column{{Title: "Место", Kind: exchange.Int, Width: 8}, {Title: "Кластер", Width: 44}, {Title: "Отрасль", Width: 28},
		{Title: "Базовая организация", Width: 36}}
	for _, c := range p.Defence.Criteria.Criteria {
		cols = append(cols, exchange.Column{Title: fmt.Sprintf("%s (вес %d, 0–%d)", c.Title, c.Weight, c.Max), Kind: exchange.Float, Width: 18})
	}
	cols = append(cols, exchange.Column{Title: "Итоговый балл", Kind: exchange.Float}, exchange.Column{Title: "Экспертов оценили", Kind: exchange.Int},
		exchange.Column{Title: "Заключение", Width: 22})
	w.export(rw, r, fmt.Sprintf("protokol-zashchity-klasterov-%d", p.Defence.Year), cols, func(write func([]any) error) error {
		for _, res := range p.Results {
			row := []any{nilIfZero(res.Rank), res.Name, res.Industry.Title(), res.BaseOrg}
			for _, c := range p.Defence.Criteria.Criteria {
				if res.Scored == 0 {
					row = append(row, nil)
				} else {
					row = append(row, res.Mean[c.Key])
				}
			}
			row = append(row, res.Score, res.Scored, conclusion(res))
			if err := write(row); err != nil {
				return err
			}
		}
		return nil
	})
}

func nilIfZero(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// conclusion is the commission's conclusion on a cluster.
func conclusion(r cluster.Result) string {
	switch {
	case r.Scored == 0:
		return "не оценён"
	case r.Passed:
		return "результаты подтверждены"
	}
	return "ниже проходного балла"
}

// SignDefence signs the protocol.
func (w *Web) SignDefence(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	w.afterPost(rw, r, fmt.Sprintf("/clusters/defences/%d", id), "signed", w.d.Cluster.Sign(r.Context(), sc, id, r.PostFormValue("chair")))
}
