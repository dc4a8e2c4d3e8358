// Package cluster holds the educational-industrial clusters of the federal
// project «Профессионалитет» in a region: their registry (colleges, anchor
// employers, programmes, money and equipment), their key figures per year,
// computed from the region's data where it has them and entered where it
// does not, the region's criteria of judgement with weights and thresholds
// versioned per year, and the yearly defences before a commission of experts
// with the final scores, the ranking and the signed protocol. The package is
// pure: storage and pages live elsewhere.
package cluster

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"marshrut/internal/apperr"
	"marshrut/internal/classifier"
)

// Industry is a branch of the economy the programme builds clusters for.
type Industry string

// industries are the programme's branches with their Russian names.
var industries = []struct {
	key   Industry
	title string
}{
	{"mechanical", "Машиностроение"}, {"metallurgy", "Металлургия"}, {"chemistry", "Химическая промышленность"},
	{"agriculture", "Сельское хозяйство"}, {"shipbuilding", "Судостроение"}, {"pedagogy", "Педагогика"},
	{"it", "Информационные технологии"}, {"railway", "Железнодорожный транспорт"}, {"nuclear", "Атомная промышленность"},
	{"mining", "Горнодобывающая промышленность"}, {"light", "Лёгкая промышленность"}, {"pharma", "Фармацевтика"},
	{"tourism", "Туризм и сфера услуг"}, {"construction", "Строительство"}, {"energy", "Энергетика"},
	{"oil_gas", "Нефтегазовая отрасль"}, {"aviation", "Авиастроение"}, {"health", "Здравоохранение"},
	{"electronics", "Радиоэлектроника"}, {"forestry", "Лесная промышленность"}, {"fishery", "Рыбохозяйственный комплекс"},
	{"food", "Пищевая промышленность"}, {"creative", "Креативные индустрии"}, {"logistics", "Транспорт и логистика"},
}

// Industries lists the programme's industries in the order pages show them.
func Industries() []Industry {
	out := make([]Industry, len(industries))
	for i, x := range industries {
		out[i] = x.key
	}
	return out
}

// Title is the Russian name of the industry.
func (i Industry) Title() string {
	for _, x := range industries {
		if x.key == i {
			return x.title
		}
	}
	return string(i)
}

// Valid reports whether i is one of Industries.
func (i Industry) Valid() bool { return slices.Contains(Industries(), i) }

// Kind is the kind of a cluster.
type Kind string

const (
	EduIndustrial Kind = "edu_industrial" // образовательно-производственный: with anchor employers' money
	Educational   Kind = "educational"    // образовательный
)

// Kinds lists the kinds of clusters.
func Kinds() []Kind { return []Kind{EduIndustrial, Educational} }

// Title is the Russian name of the kind.
func (k Kind) Title() string {
	switch k {
	case EduIndustrial:
		return "образовательно-производственный"
	case Educational:
		return "образовательный"
	}
	return string(k)
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return k == EduIndustrial || k == Educational }

// Org is an organisation of a cluster: a member college or an anchor employer.
type Org struct {
	ID   int64
	Name string
}

// Specialty is a programme of a cluster: an ОКСО specialty of СПО.
type Specialty struct {
	Code string
	Name string
}

// Funding is the money a cluster got in one year, in roubles, by source.
type Funding struct {
	Year                         int
	Federal, Regional, Employers int64
}

// Total is the money of the year from every source.
func (f Funding) Total() int64 { return f.Federal + f.Regional + f.Employers }

// Equipment is one item of equipment bought for a cluster.
type Equipment struct {
	Name     string
	Quantity int
	Cost     int64 // roubles, all the items together
	Year     int
}

// Cluster is a cluster of the registry.
type Cluster struct {
	ID          int64
	RegionCode  string
	Name        string
	Industry    Industry
	Kind        Kind
	Year        int // the year it was created
	BaseOrgID   int64
	BaseOrg     string
	Members     []Org // member colleges, the base one not among them
	Employers   []Org // anchor employers
	Specialties []Specialty
	Funding     []Funding // by year
	Equipment   []Equipment
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Colleges is the base college and the member colleges.
func (c Cluster) Colleges() []int64 {
	out := []int64{c.BaseOrgID}
	for _, m := range c.Members {
		out = append(out, m.ID)
	}
	return out
}

// Includes reports whether the organisation is the base college, a member or an anchor employer.
func (c Cluster) Includes(orgID int64) bool {
	if orgID == 0 {
		return false
	}
	if c.BaseOrgID == orgID {
		return true
	}
	for _, list := range [][]Org{c.Members, c.Employers} {
		for _, o := range list {
			if o.ID == orgID {
				return true
			}
		}
	}
	return false
}

// FundingOf is the money of a year; ok is false when none was recorded.
func (c Cluster) FundingOf(year int) (Funding, bool) {
	for _, f := range c.Funding {
		if f.Year == year {
			return f, true
		}
	}
	return Funding{Year: year}, false
}

// Money bounds sums of money: a larger one is a typing error.
const Money = 1_000_000_000_000

// Validate normalises and checks a cluster, reporting all faults at once;
// now is the day the year of creation is judged against.
func (c *Cluster) Validate(now time.Time) error {
	var errs apperr.List
	c.Name = strings.Join(strings.Fields(c.Name), " ")
	if err := classifier.CheckRegionCode("region_code", c.RegionCode); err != nil {
		errs = append(errs, err.(*apperr.Error))
	}
	switch n := utf8.RuneCountInString(c.Name); {
	case n == 0:
		errs.Add("name", "укажите название кластера")
	case n > 300:
		errs.Add("name", "название кластера длиннее 300 знаков")
	}
	if !c.Industry.Valid() {
		errs.Add("industry", "отрасль «%s» не входит в перечень отраслей программы «Профессионалитет»", c.Industry)
	}
	if !c.Kind.Valid() {
		errs.Add("kind", "вид кластера должен быть edu_industrial (образовательно-производственный) или educational (образовательный), указано «%s»", c.Kind)
	}
	if y := now.Year(); c.Year < 2021 || c.Year > y {
		errs.Add("year", "год создания кластера %d вне диапазона 2021–%d", c.Year, y)
	}
	if c.BaseOrgID <= 0 {
		errs.Add("base_org_id", "укажите базовую образовательную организацию кластера")
	}
	c.Members = uniqueOrgs(c.Members, c.BaseOrgID)
	c.Employers = uniqueOrgs(c.Employers, 0)
	if len(c.Employers) == 0 {
		errs.Add("employers", "укажите хотя бы одного якорного работодателя")
	}
	c.checkSpecialties(&errs)
	c.checkMoney(&errs, now)
	return errs.Err()
}

func uniqueOrgs(list []Org, except int64) []Org {
	var out []Org
	seen := map[int64]bool{except: true}
	for _, o := range list {
		if o.ID > 0 && !seen[o.ID] {
			seen[o.ID] = true
			out = append(out, o)
		}
	}
	return out
}

func (c *Cluster) checkSpecialties(errs *apperr.List) {
	seen := map[string]bool{}
	var out []Specialty
	for _, s := range c.Specialties {
		s.Code = strings.TrimSpace(s.Code)
		if s.Code == "" || seen[s.Code] {
			continue
		}
		seen[s.Code] = true
		if err := classifier.CheckSpecialtyCode("specialties", s.Code); err != nil {
			*errs = append(*errs, err.(*apperr.Error))
			continue
		}
		if !(classifier.Specialty{Level: classifier.LevelOfCode(s.Code)}).IsSPO() {
			errs.Add("specialties", "программы кластера — программы СПО, а %s — специальность высшего образования", s.Code)
		}
		out = append(out, s)
	}
	c.Specialties = out
	if len(out) == 0 {
		errs.Add("specialties", "укажите хотя бы одну образовательную программу кластера (код специальности СПО)")
	}
}

func (c *Cluster) checkMoney(errs *apperr.List, now time.Time) {
	years := map[int]bool{}
	for _, f := range c.Funding {
		switch {
		case f.Year < c.Year || f.Year > now.Year()+1:
			errs.Add("funding", "финансирование %d года вне срока работы кластера (%d–%d)", f.Year, c.Year, now.Year()+1)
		case years[f.Year]:
			errs.Add("funding", "финансирование %d года указано дважды", f.Year)
		}
		years[f.Year] = true
		for _, v := range []int64{f.Federal, f.Regional, f.Employers} {
			if v < 0 || v > Money {
				errs.Add("funding", "сумма финансирования %d года должна быть от 0 до %d рублей", f.Year, int64(Money))
				break
			}
		}
	}
	slices.SortFunc(c.Funding, func(a, b Funding) int { return a.Year - b.Year })
	for i := range c.Equipment {
		e := &c.Equipment[i]
		e.Name = strings.TrimSpace(e.Name)
		switch {
		case e.Name == "" || utf8.RuneCountInString(e.Name) > 300:
			errs.Add("equipment", "оборудование %d: укажите наименование до 300 знаков", i+1)
		case e.Quantity < 1 || e.Quantity > 100000:
			errs.Add("equipment", "оборудование «%s»: количество должно быть от 1 до 100 000", e.Name)
		case e.Cost < 0 || e.Cost > Money:
			errs.Add("equipment", "оборудование «%s»: стоимость должна быть от 0 до %d рублей", e.Name, int64(Money))
		case e.Year < c.Year || e.Year > now.Year():
			errs.Add("equipment", "оборудование «%s»: год %d вне срока работы кластера", e.Name, e.Year)
		}
	}
}

// Filter selects clusters in a list.
type Filter struct {
	Industry Industry
	Year     int // created in
}
