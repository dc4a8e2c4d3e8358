package api

import (
	"errors"
	"net/http"
	"strconv"

	"marshrut/internal/apperr"
	"marshrut/internal/cluster"
)

// Clusters go through cluster.Service with the caller's scope: the region
// keeps the registry, the criteria and the defences; colleges and employers
// see their clusters; experts score the clusters assigned to them.

// withCluster serves h only when the API was given the clusters service.
func (a *api) withCluster(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, c caller) error {
		if a.d.Cluster == nil {
			return errors.New("api: Deps.Cluster is not set")
		}
		return h(w, r, c)
	}
}

// orgRefDTO names an organisation of a cluster.
type orgRefDTO struct {
	ID   int64  `json:"id"`
	Name string `json:"name,omitempty"` // read-only
}

// fundingDTO is a cluster's money of one year, roubles.
type fundingDTO struct {
	Year      int   `json:"year"`
	Federal   int64 `json:"federal"`
	Regional  int64 `json:"regional"`
	Employers int64 `json:"employers"`
}

// equipmentDTO is one item of a cluster's equipment.
type equipmentDTO struct {
	Name     string `json:"name"`
	Quantity int    `json:"quantity"`
	Cost     int64  `json:"cost"`
	Year     int    `json:"year"`
}

// clusterDTO is a cluster of the registry.
type clusterDTO struct {
	ID          int64          `json:"id"` // read-only
	Name        string         `json:"name"`
	Industry    string         `json:"industry"`
	Kind        string         `json:"kind"`
	Year        int            `json:"year"`
	BaseOrgID   int64          `json:"base_org_id"`
	BaseOrg     string         `json:"base_org,omitempty"` // read-only
	Members     []orgRefDTO    `json:"members"`
	Employers   []orgRefDTO    `json:"employers"`
	Specialties []string       `json:"specialties"`
	Funding     []fundingDTO   `json:"funding"`
	Equipment   []equipmentDTO `json:"equipment"`
}

func fromCluster(c cluster.Cluster) clusterDTO {
	ref := func(o cluster.Org) orgRefDTO { return orgRefDTO{ID: o.ID, Name: o.Name} }
	return clusterDTO{ID: c.ID, Name: c.Name, Industry: string(c.Industry), Kind: string(c.Kind), Year: c.Year, BaseOrgID: c.BaseOrgID, BaseOrg: c.BaseOrg,
		Members: mapSlice(c.Members, ref), Employers: mapSlice(c.Employers, ref),
		Specialties: mapSlice(c.Specialties, func(s cluster.Specialty) string { return s.Code }),
		Funding: mapSlice(c.Funding, func(f cluster.Funding) fundingDTO {
			return fundingDTO{Year: f.Year, Federal: f.Federal, Regional: f.Regional, Employers: f.Employers}
		}),
		Equipment: mapSlice(c.Equipment, func(e cluster.Equipment) equipmentDTO {
			return equipmentDTO{Name: e.Name, Quantity: e.Quantity, Cost: e.Cost, Year: e.Year}
		})}
}

func (d clusterDTO) cluster(id int64) (cluster.Cluster, error) {
	var errs apperr.List
	checkID(&errs, "id", d.ID, id)
	c := cluster.Cluster{ID: id, Name: d.Name, Industry: cluster.Industry(d.Industry), Kind: cluster.Kind(d.Kind), Year: d.Year, BaseOrgID: d.BaseOrgID}
	for _, o := range d.Members {
		c.Members = append(c.Members, cluster.Org{ID: o.ID})
	}
	for _, o := range d.Employers {
		c.Employers = append(c.Employers, cluster.Org{ID: o.ID})
	}
	for _, s := range d.Specialties {
		c.Specialties = append(c.Specialties, cluster.Specialty{Code: s})
	}
	for _, f := range d.Funding {
		c.Funding = append(c.Funding, cluster.Funding{Year: f.Year, Federal: f.Federal, Regional: f.Regional, Employers: f.Employers})
	}
	for _, e := range d.Equipment {
		c.Equipment = append(c.Equipment, cluster.Equipment{Name: e.Name, Quantity: e.Quantity, Cost: e.Cost, Year: e.Year})
	}
	return c, errs.Err()
}

// valueDTO is one key figure of a year.
type valueDTO struct {
	Indicator string   `json:"indicator"`
	Value     *float64 `json:"value"` // null when neither the data nor an entry give it
	Num       int      `json:"num,omitempty"`
	Den       int      `json:"den,omitempty"`
	Source    string   `json:"source"`
}

func fromValue(v cluster.Value) valueDTO {
	out := valueDTO{Indicator: string(v.Indicator), Num: v.Num, Den: v.Den, Source: string(v.Source)}
	if v.Known() {
		x := v.Value
		out.Value = &x
	} else {
		out.Source = "missing"
	}
	return out
}

// kpisDTO is the key figures of a cluster in a year.
type kpisDTO struct {
	ClusterID int64      `json:"cluster_id"`
	Year      int        `json:"year"`
	Values    []valueDTO `json:"values"`
}

// valueRequest enters the value of an indicator; shares are fractions 0–1.
type valueRequest struct {
	Year      int     `json:"year"`
	Indicator string  `json:"indicator"`
	Value     float64 `json:"value"`
}

// criterionDTO is one criterion of a set.
type criterionDTO struct {
	Key       string  `json:"key"`
	Title     string  `json:"title"`
	Indicator string  `json:"indicator,omitempty"`
	Threshold float64 `json:"threshold,omitempty"`
	Weight    int     `json:"weight"`
	Max       int     `json:"max"`
}

// criteriaDTO is a set of criteria of a year.
type criteriaDTO struct {
	ID        int64          `json:"id"`      // read-only; 0 for the default proposal
	Year      int            `json:"year"`    //
	Version   int            `json:"version"` // read-only
	Total     int            `json:"total"`
	PassScore float64        `json:"pass_score"`
	Criteria  []criterionDTO `json:"criteria"`
}

func fromCriteria(s cluster.Criteria) criteriaDTO {
	return criteriaDTO{ID: s.ID, Year: s.Year, Version: s.Version, Total: s.Total, PassScore: s.PassScore,
		Criteria: mapSlice(s.Criteria, func(c cluster.Criterion) criterionDTO {
			return criterionDTO{Key: c.Key, Title: c.Title, Indicator: string(c.Indicator), Threshold: c.Threshold, Weight: c.Weight, Max: c.Max}
		})}
}

// expertDTO is a member of a commission.
type expertDTO struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
}

// assignmentDTO gives a cluster to an expert.
type assignmentDTO struct {
	ClusterID int64 `json:"cluster_id"`
	UserID    int64 `json:"user_id"`
}

// resultDTO is a cluster's result of a defence.
type resultDTO struct {
	ClusterID int64              `json:"cluster_id"`
	Name      string             `json:"name"`
	Rank      int                `json:"rank"`
	Score     float64            `json:"score"`
	Scored    int                `json:"scored"`
	Assigned  int                `json:"assigned"`
	Passed    bool               `json:"passed"`
	Mean      map[string]float64 `json:"mean"`
}

// defenceDTO is a year's defences with the results, when the caller may see them.
type defenceDTO struct {
	ID          int64           `json:"id"`
	Year        int             `json:"year"`
	Status      string          `json:"status"`
	Chair       string          `json:"chair,omitempty"`
	SignedAt    string          `json:"signed_at,omitempty"`
	Criteria    criteriaDTO     `json:"criteria"`
	Experts     []expertDTO     `json:"experts"`
	Assignments []assignmentDTO `json:"assignments"`
	Results     []resultDTO     `json:"results"`
}

func fromProtocol(p cluster.Protocol) defenceDTO {
	d := p.Defence
	return defenceDTO{ID: d.ID, Year: d.Year, Status: string(d.Status), Chair: d.Chair, SignedAt: formatTime(d.SignedAt), Criteria: fromCriteria(d.Criteria),
		Experts: mapSlice(d.Experts, func(e cluster.Expert) expertDTO { return expertDTO{UserID: e.UserID, Name: e.Name} }),
		Assignments: mapSlice(d.Assignments, func(a cluster.Assignment) assignmentDTO {
			return assignmentDTO{ClusterID: a.ClusterID, UserID: a.UserID}
		}),
		Results: mapSlice(p.Results, func(r cluster.Result) resultDTO {
			return resultDTO{ClusterID: r.ClusterID, Name: r.Name, Rank: r.Rank, Score: r.Score, Scored: r.Scored, Assigned: r.Assigned, Passed: r.Passed, Mean: r.Mean}
		})}
}

// defenceRequest opens the defences of a year.
type defenceRequest struct {
	Year int `json:"year"`
}

// commissionRequest sets the commission of a defence and who scores what.
type commissionRequest struct {
	Experts     []int64         `json:"experts"`
	Assignments []assignmentDTO `json:"assignments"`
}

// markDTO is one score of a sheet.
type markDTO struct {
	Criterion string `json:"criterion"`
	Score     int    `json:"score"`
	Comment   string `json:"comment,omitempty"`
}

// sheetRequest is an expert's scores of one cluster.
type sheetRequest struct {
	ClusterID int64     `json:"cluster_id"`
	Marks     []markDTO `json:"marks"`
}

// signRequest signs a protocol.
type signRequest struct {
	Chair string `json:"chair"`
}

func (a *api) listClusters(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	f := cluster.Filter{Industry: cluster.Industry(q.oneOf("industry", names(cluster.Industries())...)), Year: q.int("year", 2021, 2100, 0)}
	if err := q.err(); err != nil {
		return err
	}
	cs, err := a.d.Cluster.Clusters(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items[clusterDTO]{Items: mapSlice(cs, fromCluster)})
	return nil
}

func (a *api) getCluster(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	cl, err := a.d.Cluster.Cluster(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromCluster(cl))
	return nil
}

func (a *api) createCluster(w http.ResponseWriter, r *http.Request, c caller) error {
	return a.saveCluster(w, r, c, 0)
}

func (a *api) updateCluster(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return a.saveCluster(w, r, c, id)
}

// saveCluster writes a cluster whole (PUT is not a patch) and answers it as stored.
func (a *api) saveCluster(w http.ResponseWriter, r *http.Request, c caller, id int64) error {
	var in clusterDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	cl, err := in.cluster(id)
	if err != nil {
		return err
	}
	if err := a.d.Cluster.SaveCluster(r.Context(), c.scope, &cl); err != nil {
		return err
	}
	if got, err := a.d.Cluster.Cluster(r.Context(), c.scope, cl.ID); err != nil {
		a.d.Log.Warn("api: read back cluster", "id", cl.ID, "err", err) // the answer is the cluster as saved
	} else {
		cl = got
	}
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
		w.Header().Set("Location", Prefix+"/clusters/"+strconv.FormatInt(cl.ID, 10))
	}
	writeJSON(w, status, fromCluster(cl))
	return nil
}

// clusterKPIs answers the key figures of a cluster in a year (by default the last one).
func (a *api) clusterKPIs(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	q := newQuery(r)
	year := q.int("year", 2021, 2100, a.d.Cluster.Now().Year()-1)
	if err := q.err(); err != nil {
		return err
	}
	_, vs, err := a.d.Cluster.KPIs(r.Context(), c.scope, id, year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, kpisDTO{ClusterID: id, Year: year, Values: mapSlice(vs, fromValue)})
	return nil
}

// setClusterValue enters a value and answers the figures of its year.
func (a *api) setClusterValue(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in valueRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := a.d.Cluster.SetValue(r.Context(), c.scope, id, in.Year, cluster.Indicator(in.Indicator), in.Value); err != nil {
		return err
	}
	_, vs, err := a.d.Cluster.KPIs(r.Context(), c.scope, id, in.Year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, kpisDTO{ClusterID: id, Year: in.Year, Values: mapSlice(vs, fromValue)})
	return nil
}

// getCriteria answers the newest set of a year, or the default proposal.
func (a *api) getCriteria(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	year := q.int("year", 2022, 2100, a.d.Cluster.Now().Year())
	if err := q.err(); err != nil {
		return err
	}
	set, err := a.d.Cluster.Criteria(r.Context(), c.scope, year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromCriteria(set))
	return nil
}

// saveCriteria stores a new version of a year's set; weights that do not add
// up to the total are refused and nothing is written.
func (a *api) saveCriteria(w http.ResponseWriter, r *http.Request, c caller) error {
	var in criteriaDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	set := cluster.Criteria{Year: in.Year, Total: in.Total, PassScore: in.PassScore}
	for _, cr := range in.Criteria {
		set.Criteria = append(set.Criteria, cluster.Criterion{Key: cr.Key, Title: cr.Title, Indicator: cluster.Indicator(cr.Indicator),
			Threshold: cr.Threshold, Weight: cr.Weight, Max: cr.Max})
	}
	if err := a.d.Cluster.SaveCriteria(r.Context(), c.scope, &set); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, fromCriteria(set))
	return nil
}

func (a *api) listDefences(w http.ResponseWriter, r *http.Request, c caller) error {
	ds, err := a.d.Cluster.Defences(r.Context(), c.scope)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items[defenceDTO]{Items: mapSlice(ds, func(d cluster.Defence) defenceDTO {
		return fromProtocol(cluster.Protocol{Defence: d})
	})})
	return nil
}

func (a *api) openDefence(w http.ResponseWriter, r *http.Request, c caller) error {
	var in defenceRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	d, err := a.d.Cluster.OpenDefence(r.Context(), c.scope, in.Year)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/cluster-defences/"+strconv.FormatInt(d.ID, 10))
	return a.writeDefence(w, r, c, d.ID, http.StatusCreated)
}

func (a *api) getDefence(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return a.writeDefence(w, r, c, id, http.StatusOK)
}

func (a *api) writeDefence(w http.ResponseWriter, r *http.Request, c caller, id int64, status int) error {
	p, err := a.d.Cluster.Protocol(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, status, fromProtocol(p))
	return nil
}

func (a *api) setCommission(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in commissionRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	as := mapSlice(in.Assignments, func(x assignmentDTO) cluster.Assignment {
		return cluster.Assignment{ClusterID: x.ClusterID, UserID: x.UserID}
	})
	if err := a.d.Cluster.SetCommission(r.Context(), c.scope, id, in.Experts, as); err != nil {
		return err
	}
	return a.writeDefence(w, r, c, id, http.StatusOK)
}

// scoreCluster saves an expert's sheet: 403 for a cluster not assigned to
// them, 400 for a score out of a criterion's range, 409 after signing.
func (a *api) scoreCluster(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in sheetRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	sh := cluster.Sheet{ClusterID: in.ClusterID, Marks: mapSlice(in.Marks, func(m markDTO) cluster.Mark {
		return cluster.Mark{Criterion: m.Criterion, Score: m.Score, Comment: m.Comment}
	})}
	if err := a.d.Cluster.Score(r.Context(), c.scope, id, sh); err != nil {
		return err
	}
	return a.writeDefence(w, r, c, id, http.StatusOK)
}

func (a *api) signDefence(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in signRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := a.d.Cluster.Sign(r.Context(), c.scope, id, in.Chair); err != nil {
		return err
	}
	return a.writeDefence(w, r, c, id, http.StatusOK)
}

// clusterHistory answers the cluster's registry edits, the latest first.
func (a *api) clusterHistory(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	h, err := a.d.Cluster.History(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeHistory(w, h)
	return nil
}
