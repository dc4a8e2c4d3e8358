package cluster

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"marshrut/internal/apperr"
)

// Criterion is one criterion the commission scores a cluster on.
type Criterion struct {
	Key   string // latin, unique within its set: «employment»
	Title string
	// Indicator is the key figure the criterion is judged on, shown to the
	// experts with its Threshold — the value the region expects; "" when
	// the experts judge by the defence alone.
	Indicator Indicator
	Threshold float64
	Weight    int // points of the set's total the criterion carries
	Max       int // experts score it 0..Max
}

// Met reports whether a value reaches the criterion's threshold; a criterion
// without an indicator or a threshold, or a missing value, is not judged.
func (c Criterion) Met(v Value) (met, judged bool) {
	if c.Indicator == "" || c.Threshold <= 0 || !v.Known() {
		return false, false
	}
	return v.Value >= c.Threshold, true
}

// Criteria is the region's set of criteria for the defences of one year.
// A set is never changed once saved: a change is a new version, and a
// defence keeps the version it was opened with.
type Criteria struct {
	ID         int64
	RegionCode string
	Year       int
	Version    int
	Total      int     // the weights add up to it: a cluster scored fully by every expert gets Total
	PassScore  float64 // the final score from which the commission's conclusion is positive
	Criteria   []Criterion
	CreatedBy  int64
	CreatedAt  time.Time
}

// Criterion finds a criterion by key.
func (s Criteria) Criterion(key string) (Criterion, bool) {
	for _, c := range s.Criteria {
		if c.Key == key {
			return c, true
		}
	}
	return Criterion{}, false
}

var reKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// MaxCriteria bounds the criteria of a set.
const MaxCriteria = 30

// Validate normalises and checks a set, reporting all faults at once: above
// all, its weights must add up to its total.
func (s *Criteria) Validate(now time.Time) error {
	var errs apperr.List
	if y := now.Year(); s.Year < 2022 || s.Year > y+1 {
		errs.Add("year", "год защит %d вне диапазона 2022–%d", s.Year, y+1)
	}
	if s.Total < 1 || s.Total > 1000 {
		errs.Add("total", "общее число баллов должно быть от 1 до 1000, указано %d", s.Total)
	}
	if s.PassScore < 0 || s.PassScore > float64(s.Total) {
		errs.Add("pass_score", "проходной балл должен быть от 0 до %d, указано %s", s.Total, formatFloat(s.PassScore))
	}
	if len(s.Criteria) == 0 || len(s.Criteria) > MaxCriteria {
		errs.Add("criteria", "в наборе должно быть от 1 до %d критериев, указано %d", MaxCriteria, len(s.Criteria))
	}
	seen := map[string]bool{}
	sum := 0
	for i := range s.Criteria {
		c := &s.Criteria[i]
		c.Key = strings.TrimSpace(c.Key)
		c.Title = strings.Join(strings.Fields(c.Title), " ")
		n := i + 1
		switch {
		case !reKey.MatchString(c.Key):
			errs.Add("criteria", "критерий %d: ключ «%s» — латинские строчные буквы, цифры и _, до 32 знаков, с буквы в начале", n, c.Key)
		case seen[c.Key]:
			errs.Add("criteria", "критерий %d: ключ «%s» повторяется", n, c.Key)
		}
		seen[c.Key] = true
		if c.Title == "" || utf8.RuneCountInString(c.Title) > 300 {
			errs.Add("criteria", "критерий %d: укажите название до 300 знаков", n)
		}
		if c.Weight < 1 {
			errs.Add("criteria", "критерий «%s»: вес должен быть не меньше 1, указано %d", c.Title, c.Weight)
		}
		if c.Max < 1 || c.Max > 100 {
			errs.Add("criteria", "критерий «%s»: шкала оценки экспертов — от 0 до 1–100 баллов, указано %d", c.Title, c.Max)
		}
		if c.Indicator != "" && !c.Indicator.Valid() {
			errs.Add("criteria", "критерий «%s»: неизвестный показатель «%s»", c.Title, c.Indicator)
		}
		if c.Indicator == "" {
			c.Threshold = 0
		} else if err := c.Indicator.Check(c.Threshold); err != nil {
			errs.Add("criteria", "критерий «%s»: порог: %s", c.Title, apperr.Text(err))
		}
		sum += c.Weight
	}
	if len(s.Criteria) > 0 && sum != s.Total {
		errs.Add("weights", "сумма весов критериев %d не равна общему числу баллов %d: измените веса так, чтобы они давали в сумме %d", sum, s.Total, s.Total)
	}
	return errs.Err()
}

// DefaultCriteria is the set a region starts from: there are no federal
// weights, so these are only a proposal to change.
func DefaultCriteria(year int) Criteria {
	return Criteria{Year: year, Total: 100, PassScore: 60, Criteria: []Criterion{
		{Key: "employment", Title: "Трудоустройство выпускников", Indicator: Employed, Threshold: 0.8, Weight: 25, Max: 10},
		{Key: "employers", Title: "Трудоустройство на предприятиях кластера", Indicator: EmployedAtCluster, Threshold: 0.5, Weight: 15, Max: 10},
		{Key: "targeted", Title: "Целевое обучение", Indicator: Targeted, Threshold: 0.25, Weight: 15, Max: 10},
		{Key: "demo_exam", Title: "Демонстрационный экзамен профильного уровня", Indicator: DemoExam, Threshold: 0.7, Weight: 15, Max: 10},
		{Key: "teachers", Title: "Преподаватели из отрасли", Indicator: IndustryTeachers, Threshold: 10, Weight: 10, Max: 10},
		{Key: "money", Title: "Софинансирование работодателей", Indicator: Cofinancing, Threshold: 10_000_000, Weight: 10, Max: 10},
		{Key: "defence", Title: "Качество защиты и план развития", Weight: 10, Max: 10},
	}}
}

func formatFloat(x float64) string {
	s := strings.TrimRight(strings.TrimRight(strings.Replace(strconv.FormatFloat(x, 'f', 2, 64), ".", ",", 1), "0"), ",")
	if s == "" {
		return "0"
	}
	return s
}
