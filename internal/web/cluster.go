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
	"marshrut/internal/exchange"
	"marshrut/internal/org"
)

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
	data := map[string]any{"Clusters": list, "Filter": f, "Industries": cluster.Industries(), "Manages": cluster.Manages(sc),
		"Done": q.Get("done"), "Error": q.Get("error")}
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
		data["Defences"] = mine
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

func (w *Web) renderClusterForm(rw http.ResponseWriter, r *http.Request, status int, c cluster.Cluster, err error) {
	data := map[string]any{"Cluster": c, "Industries": cluster.Industries(), "Kinds": cluster.Kinds(), "Fields": map[string]string{}}
	for key, k := range map[string]org.Kind{"Colleges": org.College, "Employers": org.Employer} {
		list, _, lerr := w.d.Orgs.List(r.Context(), org.Filter{Kind: k, Limit: 1000})
		if lerr != nil {
			w.Error(rw, r, lerr)
			return
		}
		data[key] = list
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
	data["Chosen"], data["Specs"], data["Equipment"], data["Funding"] = chosen, strings.Join(specs, ", "), strings.Join(equipment, "\n"), funding
	if err != nil {
		data["Error"], data["Fields"] = apperr.Text(err), fieldMessages(err)
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
	w.render(rw, r, http.StatusOK, "cluster_card", "clusters", map[string]any{"C": c, "KPIs": kpiViews(kpis), "Year": year, "Years": years,
		"MayEnter": cluster.MayEnter(sc, c), "Manages": cluster.Manages(sc), "Done": q.Get("done"), "Error": q.Get("error")})
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
	data := map[string]any{"Set": set, "Rows": rows, "Thresholds": thresholds, "Versions": versions, "Indicators": cluster.Indicators(),
		"Manages": cluster.Manages(sc), "Done": done}
	if err != nil {
		data["Error"] = apperr.Text(err)
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
			versions, _ := w.d.Cluster.CriteriaVersions(r.Context(), sc, set.Year)
			w.renderCriteria(rw, r, http.StatusBadRequest, set, versions, "", err)
			return
		}
		w.Error(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/clusters/criteria?year=%d&done=saved", set.Year), http.StatusSeeOther)
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
	w.render(rw, r, http.StatusOK, "cluster_defences", "clusters", map[string]any{"Defences": ds, "Manages": cluster.Manages(sc),
		"Year": w.d.Cluster.Now().Year(), "Done": q.Get("done"), "Error": q.Get("error")})
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
	data := map[string]any{"P": p, "D": p.Defence, "Manages": cluster.Manages(sc), "Done": q.Get("done"), "Error": q.Get("error")}
	clusters, err := w.d.Cluster.Clusters(r.Context(), sc, cluster.Filter{})
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data["Clusters"] = clusters
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
		data["Experts"], data["Members"], data["Assigned"] = experts, members, assigned
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
		data["Mine"], data["Scored"] = mine, scored
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
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			experts = append(experts, n)
		}
	}
	var as []cluster.Assignment
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
	w.render(rw, r, http.StatusOK, "cluster_score", "clusters", map[string]any{"D": p.Defence, "C": c, "Marks": marks, "Values": values, "KPIYear": kpiYear,
		"Done": q.Get("done"), "Error": q.Get("error")})
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
	w.render(rw, r, http.StatusOK, "cluster_protocol", "clusters", map[string]any{"P": p, "D": p.Defence})
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
