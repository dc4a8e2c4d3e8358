// Package analytics computes the region's key figures from the data: counts,
// coverage and employment rates on the level of the region, a municipality or
// an organisation. It reads aggregates only and never returns a person.
package analytics

import (
	"context"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/guidance"
	"marshrut/internal/learner"
)

// Overview is the size of the data a scope sees.
type Overview struct {
	Organisations map[string]int // by org kind, the whole region
	Learners      map[string]int // by learner status, within the scope
}

// Cohort is the employment of one graduation year.
type Cohort struct {
	Year      int
	Graduates int
	// Employed6 and Employed12 count graduates employed, self-employed, studying
	// or serving six and twelve months after graduation; Known6 and Known12 those
	// whose status then is known at all.
	Employed6, Known6   int
	Employed12, Known12 int
}

// Store is what analytics needs from storage; every figure is computed within the scope.
type Store interface {
	Overview(ctx context.Context, sc auth.Scope) (Overview, error)
	Cohorts(ctx context.Context, sc auth.Scope, years []int) ([]Cohort, error)
	// Coverage counts pupils reached by guidance and informed about targeted
	// education in a school year; by "" gives the total alone.
	Coverage(ctx context.Context, sc auth.Scope, year guidance.SchoolYear, by string) ([]guidance.Coverage, guidance.Coverage, error)
	Employment(ctx context.Context, sc auth.Scope, by string, years []int) ([]EmploymentRow, error)
	Rating(ctx context.Context, sc auth.Scope, by string, year int) ([]RatingRow, error)
}

// KPI is one headline figure with its goal.
type KPI struct {
	Key    string
	Title  string
	Num    int // those who count
	Den    int // all who are counted
	Goal   float64
	Note   string // what exactly is counted
	NoData string // when set, the figure cannot be computed yet, and this says why
}

// Rate is Num ÷ Den, 0 when there is nobody to count.
func (k KPI) Rate() float64 {
	if k.Den == 0 {
		return 0
	}
	return float64(k.Num) / float64(k.Den)
}

// Met reports whether the goal is reached.
func (k KPI) Met() bool { return k.NoData == "" && k.Den > 0 && k.Rate() >= k.Goal }

// Dashboard is what the first page shows.
type Dashboard struct {
	Overview Overview
	KPIs     []KPI
	Cohorts  []Cohort
	AsOf     time.Time
}

// Service computes dashboards.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a Service on the given store.
func NewService(s Store, now func() time.Time) *Service { return &Service{store: s, now: now} }

// Dashboard computes the headline figures within the caller's scope.
func (s *Service) Dashboard(ctx context.Context, sc auth.Scope) (Dashboard, error) {
	now := s.now()
	if !sc.SeesPersons() {
		// Federal operators and experts see the region's figures, which carry no person.
		sc = auth.SystemScope(sc.RegionCode)
	}
	ov, err := s.store.Overview(ctx, sc)
	if err != nil {
		return Dashboard{}, err
	}
	// The last three cohorts whose six months have passed, and the current one.
	last, _ := LastYears(now)
	years := []int{last - 2, last - 1, last}
	if last < now.Year() {
		years = append(years, now.Year())
	}
	cohorts, err := s.store.Cohorts(ctx, sc, years)
	if err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{Overview: ov, Cohorts: cohorts, AsOf: now}
	students := ov.Learners[string(learner.Student)]

	employment := KPI{Key: "employment", Title: "Трудоустройство выпускников через 6 месяцев", Goal: 0.85,
		Note: "Выпускники, которые через полгода после выпуска работают (в том числе самозанятые), учатся дальше или служат, — от всех выпускников года"}
	for _, c := range cohorts {
		if c.Year == last {
			employment.Num, employment.Den = c.Employed6, c.Graduates
			employment.Note += " " + itoa(c.Year) + " года"
		}
	}
	if employment.Den == 0 {
		employment.NoData = "Нет выпускников " + itoa(last) + " года: загрузите сведения о выпускниках и их трудоустройстве."
	}
	_, cov, err := s.store.Coverage(ctx, sc, guidance.YearOf(now), "")
	if err != nil {
		return Dashboard{}, err
	}
	year := guidance.YearOf(now).String()
	reach := KPI{Key: "guidance", Title: "Охват профориентацией", Goal: 1, Num: cov.Reached, Den: cov.Pupils,
		Note: "Школьники 6–11 классов, участвовавшие хотя бы в одном профориентационном мероприятии в " + year + " учебном году"}
	inform := KPI{Key: "target", Title: "Информирование о целевом обучении", Goal: 1, Num: cov.Informed, Den: cov.Seniors,
		Note: "Школьники 9–11 классов, проинформированные о целевом обучении в " + year + " учебном году"}
	switch {
	case cov.Pupils == 0:
		reach.NoData = "Нет школьников 6–11 классов: загрузите списки учеников."
		inform.NoData = reach.NoData
	case cov.Reached == 0 && cov.Informed == 0:
		reach.NoData = "Участие школьников в профориентации в этом учебном году ещё не отмечено."
		inform.NoData = "Сведения об информировании о целевом обучении в этом учебном году ещё не вносились."
	}
	d.KPIs = []KPI{
		reach,
		employment,
		inform,
		s.mentorship(ctx, sc, students),
	}
	return d, nil
}

// MentorshipCounter counts the full-time students in scope and those of them
// with an active mentor; a Store that has it fills the mentorship figure.
type MentorshipCounter interface {
	MentorshipCoverage(ctx context.Context, sc auth.Scope) (mentored, fullTime int, err error)
}

// mentorship is the coverage of full-time students by mentorship; without
// the counts, or without any pair yet, it says why it is empty.
func (s *Service) mentorship(ctx context.Context, sc auth.Scope, students int) KPI {
	k := KPI{Key: "mentorship", Title: "Охват наставничеством", Goal: 0.65, Den: students,
		Note:   "Студенты очной формы, у которых есть действующий наставник",
		NoData: "Наставнические пары ещё не учитываются: данных о наставничестве пока нет."}
	mc, ok := s.store.(MentorshipCounter)
	if !ok {
		return k
	}
	num, den, err := mc.MentorshipCoverage(ctx, sc)
	switch {
	case err != nil:
		k.NoData = "Охват наставничеством не удалось посчитать: попробуйте обновить страницу позже."
	case den == 0:
		k.NoData = "Нет студентов очной формы: загрузите списки студентов."
	case num == 0:
		k.NoData = "Действующих наставнических пар пока нет: их составляют координаторы программ в разделе «Наставничество»."
	default:
		k.Num, k.Den, k.NoData = num, den, ""
	}
	return k
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// OrgDashboard computes the employment of one college's or university's
// graduates. It is an aggregate: it carries no person, so anyone may see it.
func (s *Service) OrgDashboard(ctx context.Context, region string, orgID int64) (Dashboard, error) {
	return s.Dashboard(ctx, auth.Scope{Role: auth.College, RegionCode: region, OrgID: orgID})
}
