package balance

import (
	"strings"
	"time"

	"marshrut/internal/apperr"
)

// Scenario is a what-if of the region: changes of admissions and added
// needs, with the balance recomputed.
type Scenario struct {
	ID         int64
	RegionCode string
	Name       string
	Admissions []AdmissionChange
	Needs      []NeedChange
	CreatedBy  int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// AdmissionChange sets the admission of an organisation to a specialty from
// an admission campaign (the year of the first of September) on.
type AdmissionChange struct {
	OrgID      int64  `json:"org_id"`
	Specialty  string `json:"specialty_code"`
	FromYear   int    `json:"from_year"`
	Admissions int    `json:"admissions"`
}

// NeedChange adds a need of Count specialists of a specialty in the year
// Horizon years ahead, or in every year from it on when Yearly.
type NeedChange struct {
	Employer  string `json:"employer"`
	Specialty string `json:"specialty_code"`
	Horizon   int    `json:"horizon"`
	Count     int    `json:"count"`
	Yearly    bool   `json:"yearly"`
}

// MaxCount bounds a count typed in a form or a file: above it is a typo.
const MaxCount = 100000

// checkName tidies and checks a scenario's name.
func (s *Scenario) checkName() error {
	s.Name = strings.Join(strings.Fields(s.Name), " ")
	if s.Name == "" {
		return apperr.Field("name", "назовите сценарий, например «Новый судоремонтный завод»")
	}
	if len([]rune(s.Name)) > 120 {
		return apperr.Field("name", "название сценария длиннее 120 знаков")
	}
	return nil
}

// checkAdmission checks a change of admission against the programmes the
// region has: the organisation must teach or plan to teach the specialty,
// and the admission must fit its capacity.
func checkAdmission(c AdmissionChange, in Input, progs map[progKey]*Programme) error {
	p := progs[progKey{c.OrgID, c.Specialty}]
	sp, known := in.Specialties[c.Specialty]
	switch {
	case !known:
		return apperr.Field("specialty_code", "специальность «%s» не найдена в классификаторе", c.Specialty)
	case p == nil:
		return apperr.Field("org_id", "организация не ведёт подготовку по специальности %s «%s» и не указала вместимость по ней", c.Specialty, sp.Name)
	case c.Admissions < 0:
		return apperr.Field("admissions", "приём не может быть отрицательным: %d", c.Admissions)
	case c.Admissions > MaxCount:
		return apperr.Field("admissions", "приём %d больше возможного (%d)", c.Admissions, MaxCount)
	case c.FromYear <= in.SchoolYear || c.FromYear > in.SchoolYear+MaxHorizon:
		return apperr.Field("from_year", "год приёма %d вне горизонта: допустимы %d–%d", c.FromYear, in.SchoolYear+1, in.SchoolYear+MaxHorizon)
	case p.Capacity > 0 && c.Admissions > p.Capacity:
		return apperr.Field("admissions", "приём %d человек больше вместимости организации «%s» по специальности %s — %d мест в год",
			c.Admissions, p.OrgName, c.Specialty, p.Capacity)
	}
	return nil
}

// checkNeed checks an added need.
func checkNeed(c NeedChange, in Input) error {
	if _, ok := in.Specialties[c.Specialty]; !ok {
		return apperr.Field("specialty_code", "специальность «%s» не найдена в классификаторе", c.Specialty)
	}
	return checkCountHorizon(c.Count, c.Horizon)
}

// checkCountHorizon checks the count and horizon of a need.
func checkCountHorizon(count, horizon int) error {
	switch {
	case horizon < 1 || horizon > MaxHorizon:
		return apperr.Field("horizon", "горизонт %d лет вне допустимого: потребность указывается на срок от 1 до %d лет", horizon, MaxHorizon)
	case count <= 0:
		return apperr.Field("count", "потребность должна быть положительным числом человек, указано %d", count)
	case count > MaxCount:
		return apperr.Field("count", "потребность %d человек больше возможной (%d)", count, MaxCount)
	}
	return nil
}

// Check checks every change of the scenario against the input.
func (s *Scenario) Check(in Input) error {
	if err := s.checkName(); err != nil {
		return err
	}
	progs := programmes(in)
	for _, c := range s.Admissions {
		if err := checkAdmission(c, in, progs); err != nil {
			return err
		}
	}
	for _, c := range s.Needs {
		if err := checkNeed(c, in); err != nil {
			return err
		}
	}
	return nil
}

// addNeeds adds the scenario's needs to the declared ones by specialty and year.
func addNeeds(decl map[string][]float64, changes []NeedChange, years []int) {
	for _, c := range changes {
		v := decl[c.Specialty]
		if v == nil {
			v = make([]float64, len(years))
			decl[c.Specialty] = v
		}
		for i := range years {
			if i+1 == c.Horizon || c.Yearly && i+1 > c.Horizon {
				v[i] += float64(c.Count)
			}
		}
	}
}
