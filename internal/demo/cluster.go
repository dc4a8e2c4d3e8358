package demo

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/cluster"
)

// ClusterLoader is where clusters are written.
type ClusterLoader interface {
	Clusters(cs []cluster.Cluster, values []cluster.EnteredValue) error
}

// clusterSpec is a cluster the region could have: its industry, the
// specialties its programmes come from, the branches (ОКВЭД2) of its anchor
// employers, its name, and the equipment it buys.
type clusterSpec struct {
	industry  cluster.Industry
	specs     []string
	okved     []string
	name      string
	kind      cluster.Kind
	equipment []string
}

var clusterSpecs = []clusterSpec{
	{"fishery", []string{"35.02.10", "35.02.11", "26.02.03", "15.02.06"}, []string{"03.11", "10.20"}, "Рыбохозяйственный кластер Камчатки", cluster.EduIndustrial,
		[]string{"Линия переработки рыбы учебная", "Тренажёр промыслового судна", "Учебная холодильная установка", "Комплект лабораторного оборудования для анализа рыбной продукции"}},
	{"shipbuilding", []string{"26.02.05", "26.02.06", "26.02.03"}, []string{"52.22", "03.11"}, "Кластер судоремонта и морского транспорта", cluster.EduIndustrial,
		[]string{"Учебный тренажёр судового машинного отделения", "Навигационный тренажёр", "Стенд судового электрооборудования", "Сварочный тренажёр виртуальный"}},
	{"mechanical", []string{"22.02.06", "15.02.01", "23.02.04", "13.02.11"}, []string{"52.22", "07.29", "41.20"}, "Кластер машиностроения и металлообработки", cluster.EduIndustrial,
		[]string{"Токарный станок с ЧПУ", "Сварочный тренажёр виртуальный", "Стенд электромонтажа", "3D-принтер промышленный"}},
	{"tourism", []string{"43.02.10", "43.02.14", "43.02.15", "43.01.09"}, []string{"55.10", "79.90", "56.10"}, "Кластер туризма и гостеприимства «Камчатка»", cluster.EduIndustrial,
		[]string{"Кухонное оборудование учебного ресторана", "Учебный гостиничный номер", "Программный комплекс бронирования", "Мобильный класс ноутбуков"}},
	{"health", []string{"31.02.01", "34.02.01", "33.02.01", "31.02.02", "31.02.03"}, []string{"86.10", "47.73", "88.10"}, "Кластер здравоохранения", cluster.Educational,
		[]string{"Симулятор пациента", "Манекен-тренажёр для сердечно-лёгочной реанимации", "Учебная аптека", "Лабораторный анализатор учебный"}},
	{"it", []string{"09.02.07", "09.01.03"}, []string{"62.01", "61.10"}, "Кластер информационных технологий", cluster.Educational,
		[]string{"Мобильный класс ноутбуков", "Серверная стойка учебная", "Комплект сетевого оборудования", "3D-принтер промышленный"}},
}

// clusters generates the region's clusters of «Профессионалитет»: one for
// each industry the region's colleges teach, with their members, anchor
// employers, programmes, money by year, equipment, and the entered figures
// of the past year.
func (g *gen) clusters() error {
	cl, ok := g.load.(ClusterLoader)
	if !ok {
		return nil
	}
	var out []cluster.Cluster
	var values []cluster.EnteredValue
	for _, spec := range clusterSpecs {
		c, ok := g.cluster(spec, int64(len(out)+1))
		if !ok {
			continue
		}
		out = append(out, c)
		for past := max(c.Year, g.schoolYear-1); past <= g.schoolYear; past++ {
			values = append(values,
				cluster.EnteredValue{ClusterID: c.ID, Year: past, Indicator: cluster.DemoExam, Value: float64(55+g.pick(40)) / 100, At: g.opt.Now},
				cluster.EnteredValue{ClusterID: c.ID, Year: past, Indicator: cluster.IndustryTeachers, Value: float64(4 + g.pick(18)), At: g.opt.Now})
		}
	}
	if err := cl.Clusters(out, values); err != nil {
		return err
	}
	g.progress("кластеры", len(out), len(out))
	return nil
}

// cluster makes the cluster of a spec from the colleges that teach its
// group; ok is false when none does.
func (g *gen) cluster(spec clusterSpec, id int64) (cluster.Cluster, bool) {
	type teacher struct {
		e     eduOrg
		specs []string
	}
	var teaching []teacher
	for _, e := range g.edu {
		if e.university {
			continue
		}
		var specs []string
		for _, sp := range e.specialties {
			if slices.Contains(spec.specs, sp) && (classifier.Specialty{Level: classifier.LevelOfCode(sp)}).IsSPO() {
				specs = append(specs, sp)
			}
		}
		if len(specs) > 0 {
			teaching = append(teaching, teacher{e, specs})
		}
	}
	var emps []int
	for i, e := range g.employers {
		if slices.Contains(spec.okved, e.OKVED) {
			emps = append(emps, i)
		}
	}
	if len(teaching) == 0 || len(emps) == 0 {
		return cluster.Cluster{}, false
	}
	slices.SortStableFunc(teaching, func(a, b teacher) int { return len(b.specs) - len(a.specs) })
	// Clusters of «Профессионалитет» began in 2022; the last of the list
	// is new this year, so last year's defence does not rank it.
	created := max(2022, g.schoolYear-1-g.pick(3))
	if int(id) == len(clusterSpecs) {
		created = g.schoolYear
	}
	c := cluster.Cluster{ID: id, RegionCode: g.opt.Region, Name: spec.name, Industry: spec.industry, Kind: spec.kind, Year: created,
		BaseOrgID: teaching[0].e.ID}
	seen := map[string]bool{}
	for i, t := range teaching {
		if i > 0 && i <= 2 {
			c.Members = append(c.Members, cluster.Org{ID: t.e.ID})
		}
		for _, sp := range t.specs {
			if !seen[sp] && i <= 2 {
				seen[sp] = true
				c.Specialties = append(c.Specialties, cluster.Specialty{Code: sp})
			}
		}
	}
	picked := map[int64]bool{}
	for n := 3 + g.pick(4); n > 0; n-- {
		e := g.employers[emps[g.pick(len(emps))]]
		if !picked[e.ID] {
			picked[e.ID] = true
			c.Employers = append(c.Employers, cluster.Org{ID: e.ID})
		}
	}
	// Anchor employers co-fund every cluster, an industrial one more.
	for y := created; y <= g.schoolYear; y++ {
		f := cluster.Funding{Year: y, Federal: 100_000_000 * int64(1+g.pick(2)), Regional: 5_000_000 * int64(2+g.pick(8)),
			Employers: 1_000_000 * int64(2+g.pick(8))}
		if spec.kind == cluster.EduIndustrial {
			f.Employers = 1_000_000 * int64(10+g.pick(40))
		}
		c.Funding = append(c.Funding, f)
	}
	for n := 3 + g.pick(4); n > 0; n-- {
		c.Equipment = append(c.Equipment, cluster.Equipment{Name: spec.equipment[g.pick(len(spec.equipment))], Quantity: 1 + g.pick(12),
			Cost: 500_000 * int64(1+g.pick(40)), Year: created + g.pick(g.schoolYear-created+1)})
	}
	return c, true
}

// Commission sets up the defences of the demo region once its users exist:
// the criteria of last year and this one (two versions, to show that they
// change), last year's defence scored by two experts and signed, and this
// year's defence open, with the demo expert assigned to score two clusters
// whose other experts have scored already, so that the ranking moves when
// the demo expert scores.
func Commission(ctx context.Context, svc *cluster.Service, region auth.User, expert auth.User, others []auth.User, seed uint64) error {
	if len(others) < 2 {
		return fmt.Errorf("для демонстрационной комиссии нужны ещё два эксперта, указано %d", len(others))
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x51ed2701))
	sc := region.Scope("")
	clusters, err := svc.Clusters(ctx, sc, cluster.Filter{})
	if err != nil || len(clusters) == 0 {
		return err
	}
	year := svc.Now().Year()
	for _, y := range []int{year - 1, year} {
		set := cluster.DefaultCriteria(y)
		if err := svc.SaveCriteria(ctx, sc, &set); err != nil {
			return fmt.Errorf("критерии %d года: %w", y, err)
		}
	}
	// This year the region weighs employment more and the defence itself less.
	set := cluster.DefaultCriteria(year)
	set.Criteria[0].Weight, set.Criteria[6].Weight = 30, 5
	if err := svc.SaveCriteria(ctx, sc, &set); err != nil {
		return fmt.Errorf("критерии %d года, версия 2: %w", year, err)
	}
	for _, y := range []int{year - 1, year} {
		d, err := svc.OpenDefence(ctx, sc, y)
		if err != nil {
			return fmt.Errorf("защиты %d года: %w", y, err)
		}
		members := []int64{others[0].ID, others[1].ID}
		// A defence ranks only the clusters that existed in its year.
		var existing []cluster.Cluster
		for _, c := range clusters {
			if c.Year <= y {
				existing = append(existing, c)
			}
		}
		var as []cluster.Assignment
		sheets := make([][]cluster.Sheet, 2)
		marks := map[int64]float64{} // the weighted marks the two experts give a cluster
		for _, c := range existing {
			as = append(as, cluster.Assignment{ClusterID: c.ID, UserID: others[0].ID}, cluster.Assignment{ClusterID: c.ID, UserID: others[1].ID})
			for k := range sheets {
				sh := demoSheet(rng, d.Criteria, c.ID)
				sheets[k] = append(sheets[k], sh)
				for i, m := range sh.Marks {
					cr := d.Criteria.Criteria[i]
					marks[c.ID] += float64(cr.Weight*m.Score) / float64(max(1, cr.Max))
				}
			}
		}
		if y == year {
			// The demo expert scores the two clusters the others marked
			// lowest: full marks from a third expert move them up.
			members = append(members, expert.ID)
			low := slices.Clone(existing)
			slices.SortStableFunc(low, func(a, b cluster.Cluster) int { return cmp.Compare(marks[a.ID], marks[b.ID]) })
			for _, c := range low[:min(2, len(low))] {
				as = append(as, cluster.Assignment{ClusterID: c.ID, UserID: expert.ID})
			}
		}
		if err := svc.SetCommission(ctx, sc, d.ID, members, as); err != nil {
			return fmt.Errorf("комиссия %d года: %w", y, err)
		}
		for k, u := range others[:2] {
			for _, sh := range sheets[k] {
				if err := svc.Score(ctx, u.Scope(""), d.ID, sh); err != nil {
					return fmt.Errorf("оценки %d года: %w", y, err)
				}
			}
		}
		if y < year {
			if err := svc.Sign(ctx, sc, d.ID, region.Name); err != nil {
				return fmt.Errorf("протокол %d года: %w", y, err)
			}
		}
	}
	return nil
}

// demoSheet scores every criterion of a cluster between half and full marks.
func demoSheet(rng *rand.Rand, set cluster.Criteria, clusterID int64) cluster.Sheet {
	sh := cluster.Sheet{ClusterID: clusterID}
	comments := []string{"Показатель подтверждён документами", "Есть резерв роста", "Представлен план развития", ""}
	for _, c := range set.Criteria {
		sh.Marks = append(sh.Marks, cluster.Mark{Criterion: c.Key, Score: c.Max/2 + rng.IntN(c.Max/2+1), Comment: comments[rng.IntN(len(comments))]})
	}
	return sh
}
