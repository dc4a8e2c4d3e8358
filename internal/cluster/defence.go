package cluster

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"marshrut/internal/apperr"
)

// DefenceStatus is where a year's defence stands.
type DefenceStatus string

const (
	Open   DefenceStatus = "open"   // the experts score
	Signed DefenceStatus = "signed" // the protocol is signed: no score changes any more
)

// Title is the Russian name of the status.
func (s DefenceStatus) Title() string {
	if s == Signed {
		return "протокол подписан"
	}
	return "идёт оценка"
}

// Expert is a member of the commission: a user of role expert.
type Expert struct {
	UserID int64
	Name   string
	Login  string
}

// Assignment gives a cluster to an expert to score.
type Assignment struct {
	ClusterID int64
	UserID    int64
}

// Defence is the region's defences of clusters in one year: the criteria it
// was opened with, the commission and who scores which cluster.
type Defence struct {
	ID          int64
	RegionCode  string
	Year        int
	Criteria    Criteria
	Status      DefenceStatus
	Chair       string // the chair of the commission, who signs the protocol
	SignedAt    time.Time
	SignedBy    int64
	CreatedAt   time.Time
	Experts     []Expert
	Assignments []Assignment
}

// Assigned reports whether the expert scores the cluster.
func (d Defence) Assigned(clusterID, userID int64) bool {
	return slices.Contains(d.Assignments, Assignment{ClusterID: clusterID, UserID: userID})
}

// ExpertsOf lists the experts who score the cluster.
func (d Defence) ExpertsOf(clusterID int64) []int64 {
	var out []int64
	for _, a := range d.Assignments {
		if a.ClusterID == clusterID {
			out = append(out, a.UserID)
		}
	}
	return out
}

// Mark is one expert's score of one criterion of one cluster.
type Mark struct {
	ClusterID int64
	UserID    int64
	Criterion string
	Score     int
	Comment   string
	UpdatedAt time.Time
}

// Sheet is an expert's scores of one cluster, one mark per criterion.
type Sheet struct {
	ClusterID int64
	UserID    int64
	Marks     []Mark
}

// CheckSheet checks an expert's sheet against the defence: the defence is
// open, the cluster is assigned to the expert, every criterion of the set is
// scored once within its range, comments are within their length.
func CheckSheet(d Defence, s *Sheet, clusterName string) error {
	if d.Status == Signed {
		return apperr.New(apperr.Conflict, "протокол защит %d года подписан %s: оценки изменить нельзя", d.Year, d.SignedAt.Format("02.01.2006"))
	}
	if !d.Assigned(s.ClusterID, s.UserID) {
		return apperr.New(apperr.Forbidden, "кластер «%s» не назначен вам для оценки", clusterName)
	}
	var errs apperr.List
	given := map[string]bool{}
	for i := range s.Marks {
		m := &s.Marks[i]
		m.ClusterID, m.UserID = s.ClusterID, s.UserID
		m.Comment = strings.TrimSpace(m.Comment)
		c, ok := d.Criteria.Criterion(m.Criterion)
		switch {
		case !ok:
			errs.Add("criterion", "критерия «%s» нет в наборе %d года", m.Criterion, d.Year)
			continue
		case given[m.Criterion]:
			errs.Add(m.Criterion, "критерий «%s» оценён дважды", c.Title)
		case m.Score < 0 || m.Score > c.Max:
			errs.Add(m.Criterion, "оценка по критерию «%s» должна быть от 0 до %d, указано %d", c.Title, c.Max, m.Score)
		}
		if utf8.RuneCountInString(m.Comment) > 2000 {
			errs.Add(m.Criterion, "комментарий к критерию «%s» длиннее 2000 знаков", c.Title)
		}
		given[m.Criterion] = true
	}
	for _, c := range d.Criteria.Criteria {
		if !given[c.Key] {
			errs.Add(c.Key, "не выставлена оценка по критерию «%s»", c.Title)
		}
	}
	return errs.Err()
}

// Result is a cluster's outcome of the defence.
type Result struct {
	ClusterID int64
	Name      string
	Industry  Industry
	BaseOrg   string
	Assigned  int                // experts assigned
	Scored    int                // of them, those who scored every criterion
	Mean      map[string]float64 // the mean score of each criterion over those experts
	Score     float64            // the final score, 0..Total
	Rank      int                // 1 for the best; 0 while nobody has scored the cluster
	Passed    bool               // Score reaches the set's pass score
}

// Complete reports whether every assigned expert has scored the cluster.
func (r Result) Complete() bool { return r.Assigned > 0 && r.Scored == r.Assigned }

// Results computes the final scores and the ranking. An expert's score of a
// cluster is Σ weight × mark ÷ max over the criteria, so that full marks give
// the set's total; the final score is the mean over the experts who scored
// every criterion. Clusters are ranked by it, best first, ties by name;
// clusters nobody has scored yet come last, without a rank.
func Results(d Defence, clusters []Cluster, marks []Mark) []Result {
	type key struct{ cluster, user int64 }
	sheets := map[key]map[string]int{}
	for _, m := range marks {
		k := key{m.ClusterID, m.UserID}
		if sheets[k] == nil {
			sheets[k] = map[string]int{}
		}
		sheets[k][m.Criterion] = m.Score
	}
	var out []Result
	for _, c := range clusters {
		experts := d.ExpertsOf(c.ID)
		if len(experts) == 0 || c.Year > d.Year {
			// Ranked only in the years it existed.
			continue
		}
		r := Result{ClusterID: c.ID, Name: c.Name, Industry: c.Industry, BaseOrg: c.BaseOrg, Assigned: len(experts), Mean: map[string]float64{}}
		var total float64
		for _, u := range experts {
			sheet := sheets[key{c.ID, u}]
			if !complete(d.Criteria, sheet) {
				continue
			}
			r.Scored++
			for _, cr := range d.Criteria.Criteria {
				r.Mean[cr.Key] += float64(sheet[cr.Key])
				total += float64(cr.Weight) * float64(sheet[cr.Key]) / float64(cr.Max)
			}
		}
		if r.Scored > 0 {
			for k := range r.Mean {
				r.Mean[k] /= float64(r.Scored)
			}
			r.Score = round2(total / float64(r.Scored))
			r.Passed = r.Score >= d.Criteria.PassScore
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b Result) int {
		if (a.Scored > 0) != (b.Scored > 0) {
			if a.Scored > 0 {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Name, b.Name))
	})
	for i := range out {
		if out[i].Scored > 0 {
			out[i].Rank = i + 1
		}
	}
	return out
}

func complete(set Criteria, sheet map[string]int) bool {
	if len(sheet) == 0 {
		return false
	}
	for _, c := range set.Criteria {
		if _, ok := sheet[c.Key]; !ok {
			return false
		}
	}
	return true
}

func round2(x float64) float64 {
	return float64(int64(x*100+0.5)) / 100
}

// CheckSign checks that a defence can be signed: it is open, it has a chair,
// and every assigned expert has scored their clusters.
func CheckSign(d Defence, results []Result, chair string) error {
	if d.Status == Signed {
		return apperr.New(apperr.Conflict, "протокол защит %d года уже подписан %s", d.Year, d.SignedAt.Format("02.01.2006"))
	}
	var errs apperr.List
	chair = strings.TrimSpace(chair)
	if chair == "" || utf8.RuneCountInString(chair) > 200 {
		errs.Add("chair", "укажите председателя комиссии, который подписывает протокол")
	}
	if len(results) == 0 {
		errs.Add("assignments", "ни один кластер не назначен экспертам: подписывать нечего")
	}
	var waiting []string
	for _, r := range results {
		if !r.Complete() {
			waiting = append(waiting, "«"+r.Name+"» ("+strconv.Itoa(r.Scored)+" из "+strconv.Itoa(r.Assigned)+")")
		}
	}
	if len(waiting) > 0 {
		errs.Add("assignments", "не все эксперты выставили оценки: %s", strings.Join(waiting, ", "))
	}
	return errs.Err()
}
