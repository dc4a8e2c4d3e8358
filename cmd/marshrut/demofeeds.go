package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/config"
	"marshrut/internal/exchange"
	"marshrut/internal/imports"
	"marshrut/internal/kpi"
	"marshrut/internal/learner"
	"marshrut/internal/measures"
	"marshrut/internal/org"
	"marshrut/internal/store"
)

// demoFeeds loads into the demo region the two files other systems give: a
// college's file for ФИС ФРДО (its graduates' documents, and a few final-year
// students it had not yet marked as graduates) and the social fund's answer on
// the employment of the last cohort counted six months on (periods of work of
// graduates the colleges reported as not working or did not know about). Both
// go through the same import as a user's upload; the files are kept in the
// temporary folder to try the import pages with, and the employment measure
// is told before and after.
func demoFeeds(ctx context.Context, e *env, cfg *config.Config, st *store.Store) error {
	region := cfg.Region
	sc := auth.SystemScope(region)
	fresh := func() *kpi.Service {
		// A new snapshot each time: the catalogue's view of the day is kept
		// until a write through the server marks it stale.
		_, figures := newFigures(cfg, st, balance.NewService(st.Balance, cfg.NowFunc()), measures.NewService(st.Measures, cfg.NowFunc()), cfg.NowFunc())
		return figures
	}
	measure := func() (kpi.Item, error) {
		if _, err := st.RefreshStatuses(ctx, region); err != nil {
			return kpi.Item{}, err
		}
		d, err := fresh().Document(ctx, sc, kpi.Scope{Kind: "region"}, time.Time{})
		if err != nil {
			return kpi.Item{}, err
		}
		it, _ := d.Item("employment6")
		return it, nil
	}
	before, err := measure()
	if err != nil {
		return err
	}
	d, err := fresh().Document(ctx, sc, kpi.Scope{Kind: "region"}, time.Time{})
	if err != nil {
		return err
	}
	year := d.Year
	colleges, _, err := st.Orgs.Organisations(ctx, org.Filter{Kind: org.College, Limit: 100})
	if err != nil || len(colleges) == 0 {
		return err
	}

	// ФИС ФРДО: the graduates of the year of the first college that has
	// some (a small region may have none in a small college), and up to five
	// students nearest to graduation it still listed as studying.
	var college org.Organisation
	var grads []learner.Learner
	for _, c := range colleges {
		college = c
		if grads, _, err = st.Learners.Learners(ctx, sc, learner.Filter{Status: learner.Graduate, GraduationYear: year, OrgID: c.ID, Limit: 400}); err != nil {
			return err
		}
		if len(grads) > 0 {
			break
		}
	}
	studs, _, err := st.Learners.Learners(ctx, sc, learner.Filter{Status: learner.Student, OrgID: college.ID, Sort: "graduation_year", Limit: 400})
	if err != nil {
		return err
	}
	late := 0
	for _, l := range studs {
		if late < 5 && l.SNILS != "" {
			grads = append(grads, l)
			late++
		}
	}
	frdo := csvFile([]string{"Название документа", "Вид документа", "Статус документа", "Серия документа", "Номер документа", "Дата выдачи",
		"Регистрационный номер", "Код специальности, направления подготовки", "Наименование специальности, направления подготовки",
		"Наименование квалификации", "Год поступления", "Год окончания", "Фамилия получателя", "Имя получателя", "Отчество получателя",
		"Дата рождения получателя", "Пол получателя", "СНИЛС"})
	n := 0
	for _, l := range grads {
		if l.SNILS == "" {
			continue
		}
		n++
		sex := map[string]string{"м": "Муж", "ж": "Жен"}[l.Sex]
		frdo.row("Диплом о среднем профессиональном образовании", "Оригинал", "Выдан", "114124", fmt.Sprintf("%07d", 1000000+n),
			fmt.Sprintf("30.06.%d", year), fmt.Sprintf("%d-%04d", year, n), l.SpecialtyCode, l.SpecialtyName, "",
			fmt.Sprint(year-3), fmt.Sprint(year), l.LastName, l.FirstName, l.MiddleName, l.BirthDate.Format("02.01.2006"), sex,
			learner.FormatSNILS(l.SNILS))
	}

	// СФР: periods of work of a third of the cohort's graduates the colleges
	// report as not working or do not know about.
	cohort, _, err := st.Learners.Learners(ctx, sc, learner.Filter{Status: learner.Graduate, GraduationYear: year, Limit: 5000})
	if err != nil {
		return err
	}
	employers, _, err := st.Orgs.Organisations(ctx, org.Filter{Kind: org.Employer, Limit: 50})
	if err != nil {
		return err
	}
	sfr := csvFile([]string{"СНИЛС", "ФИО", "ИНН страхователя", "Наименование страхователя", "Дата начала периода работы", "Дата окончания периода работы"})
	periods := 0
	for i, l := range cohort {
		if l.SNILS == "" || l.After6.Occupied() || i%3 != 0 || len(employers) == 0 {
			continue
		}
		emp := employers[i%len(employers)]
		sfr.row(learner.FormatSNILS(l.SNILS), l.LastName+" "+l.FirstName+" "+l.MiddleName, emp.INN, emp.Name,
			fmt.Sprintf("%02d.09.%d", 1+i%20, year), "")
		periods++
	}

	dir := filepath.Join(os.TempDir(), "marshrut-demo-"+region)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	im := newImporter(st)
	var reps []imports.Report
	for _, f := range []struct {
		kind, name string
		data       *csvBuilder
		orgID      int64
	}{{"frdo", "fis-frdo.csv", frdo, college.ID}, {"sfr", "sfr-answer.csv", sfr, 0}} {
		b := f.data.bytes()
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return err
		}
		tab, err := exchange.Open(bytes.NewReader(b), f.name, exchange.Options{})
		if err != nil {
			return err
		}
		k := imports.Kinds[f.kind]
		m, _ := exchange.Recognise(tab.Header(), k.Fields)
		rep, err := k.Run(ctx, im, tab, m, imports.Options{Region: region, OrgID: f.orgID, Now: cfg.Now()})
		tab.Close()
		if err != nil {
			return fmt.Errorf("демонстрационный файл %s: %w", path, err)
		}
		reps = append(reps, rep)
	}
	after, err := measure()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "ФИС ФРДО колледжа «%s»: документов %d (из них %d студентов переведены в выпускники %d года), отклонено %d.\n",
		firstNonEmpty(college.ShortName, college.Name), reps[0].Created+reps[0].Updated+reps[0].Unchanged, late, year, reps[0].Rejected)
	fmt.Fprintf(e.stdout, "Ответ СФР: периодов работы %d, загружено %d, отклонено %d. Файлы — в %s.\n", periods, reps[1].Created, reps[1].Rejected, dir)
	fmt.Fprintf(e.stdout, "Занятость выпускников %d года через 6 месяцев: было %d из %d, стало %d из %d.\n",
		year, before.Numerator, before.Denominator, after.Numerator, after.Denominator)
	return nil
}

// csvBuilder writes a CSV file in memory, «;»-separated as regions exchange them.
type csvBuilder struct {
	buf bytes.Buffer
	w   *csv.Writer
}

func csvFile(header []string) *csvBuilder {
	c := &csvBuilder{}
	c.w = csv.NewWriter(&c.buf)
	c.w.Comma = ';'
	c.row(header...)
	return c
}

func (c *csvBuilder) row(cells ...string) { _ = c.w.Write(cells) }

func (c *csvBuilder) bytes() []byte {
	c.w.Flush()
	return c.buf.Bytes()
}
