package report

import (
	"context"
	"fmt"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/guidance"
	"marshrut/internal/kpi"
	"marshrut/internal/learner"
)

// The official forms: the tables colleges, schools and the ministry send on,
// generated from the data as the paper form lays them out (a title, the
// organisation and period, numbered columns, a totals row, signatures). Their
// figures are the catalogue's: a form's totals are the numerator and
// denominator of the measure of the same name in kpi.

// Form is one of the official forms.
type Form struct {
	Name  string // employment, rating, profminimum, targeted
	Title string
	// Org tells whether the form is made for one organisation (Org == true
	// needs it), Region for the whole region.
	Org, Region bool
	// Kinds of organisation the form is made for, when Org.
	Kinds []string
	build func(ctx context.Context, f *Forms, sc auth.Scope, opt FormOptions, doc kpi.Document) (Sheet, error)
}

// FormOptions pick what a form counts.
type FormOptions struct {
	OrgID int64     // the organisation; zero for the region
	AsOf  time.Time // the day counted on; zero for today
	// Year is the graduation year whose employment six months on is counted;
	// zero for the last one past its six months on AsOf. It picks AsOf: the
	// catalogue counts year Y six months on from 30.12.Y to 29.12.Y+1.
	Year int
}

// Sheet is a form as plain values, before it becomes a file or a page.
type Sheet struct {
	Name, Title string
	Subtitle    string // what the form counts, in a sentence
	Org         string // the organisation, or the region
	Period      string
	AsOf        time.Time
	Columns     []Column // numbered from 1 under their titles, as paper forms are
	Rows        [][]any
	Totals      []any // nil when the form has no totals row
	Notes       []string
	Signatures  []string
}

// FormStore is what the forms read beyond the catalogue.
type FormStore interface {
	// EmploymentBySpecialty counts the graduates of year by specialty and
	// status six months after graduation (outcome_6m), in the region or
	// at one organisation.
	EmploymentBySpecialty(ctx context.Context, region string, year int, orgID int64) ([]SpecialtyOutcomes, error)
	// ProfminimumByGrade counts a school's pupils of grades 6–11 in a school
	// year and their hours of guidance; level is the school's chosen level.
	ProfminimumByGrade(ctx context.Context, region string, schoolYear int, orgID int64) (level string, rows []GradeHours, err error)
	// TargetedByEmployer counts targeted-education offers and applications
	// by employer and specialty (orgID: of one organisation, the employer's
	// or the educating one's).
	TargetedByEmployer(ctx context.Context, region string, year int, orgID int64) ([]TargetedRow, error)
	// Region is the region of a code, for the title of its forms.
	Region(ctx context.Context, code string) (classifier.Region, error)
}

// SpecialtyOutcomes are the graduates of a specialty by status six months on.
type SpecialtyOutcomes struct {
	Code, Name string
	By         map[learner.OutcomeStatus]int // "" for none recorded
}

// GradeHours are a grade's pupils and their hours of guidance.
type GradeHours struct {
	Grade, Pupils, Reached, HoursMet, Hours int
}

// TargetedRow is an employer's targeted education in one specialty.
type TargetedRow struct {
	Employer, SpecialtyCode, SpecialtyName string
	Places, Applications, Contracts        int
	Studying, Graduated, Working, Broken   int
}

// Forms makes the official forms.
type Forms struct {
	store    FormStore
	measures *kpi.Service
	orgKind  func(ctx context.Context, id int64) (kind, name string, err error)
}

// NewForms returns the maker of forms; orgKind tells the kind (school,
// college…) and the name of an organisation.
func NewForms(st FormStore, m *kpi.Service, orgKind func(ctx context.Context, id int64) (kind, name string, err error)) *Forms {
	return &Forms{store: st, measures: m, orgKind: orgKind}
}

// FormList is every form, in the order pages list them.
var FormList = []Form{
	{Name: "employment", Title: "Мониторинг трудоустройства выпускников по специальностям", Org: true, Region: true,
		Kinds: []string{"college", "university"}, build: employmentForm},
	{Name: "rating", Title: "Показатели национального рейтинга трудоустройства выпускников", Org: true, Region: true,
		Kinds: []string{"college", "university"}, build: ratingForm},
	{Name: "profminimum", Title: "Отчёт школы о реализации профминимума", Org: true, Kinds: []string{"school"}, build: profminimumForm},
	{Name: "targeted", Title: "Целевое обучение по работодателям и специальностям", Org: true, Region: true,
		Kinds: []string{"college", "university", "employer"}, build: targetedForm},
}

// FormByName returns the form of a name.
func FormByName(name string) (Form, bool) {
	for _, f := range FormList {
		if f.Name == name {
			return f, true
		}
	}
	return Form{}, false
}

// MakesForms reports whether the caller makes any form: the region's users,
// and the staff of schools, colleges, universities and employers for their
// own organisation.
func MakesForms(sc auth.Scope) bool {
	switch sc.Role {
	case auth.Admin, auth.Region, auth.System:
		return true
	case auth.School, auth.College, auth.University, auth.Employer:
		return sc.OrgID != 0
	}
	return false
}

// For is the forms a caller makes, for the organisation of kind orgKind (""
// for the region).
func For(sc auth.Scope, orgKind string) []Form {
	var out []Form
	for _, f := range FormList {
		if orgKind == "" && f.Region || orgKind != "" && f.Org && contains(f.Kinds, orgKind) {
			out = append(out, f)
		}
	}
	return out
}

// Build makes a form for the caller: a user of an organisation gets its own
// organisation's, the region's users any organisation's or the region's.
func (f *Forms) Build(ctx context.Context, sc auth.Scope, name string, opt FormOptions) (Sheet, error) {
	form, ok := FormByName(name)
	if !ok {
		return Sheet{}, apperr.New(apperr.NotFound, "формы «%s» нет; доступны: employment, rating, profminimum, targeted", name)
	}
	if !sc.WholeRegion() {
		if !MakesForms(sc) {
			return Sheet{}, apperr.New(apperr.Forbidden, "формы отчётности доступны организациям и региону")
		}
		if opt.OrgID != 0 && opt.OrgID != sc.OrgID {
			return Sheet{}, apperr.New(apperr.Forbidden, "можно сформировать форму только своей организации")
		}
		opt.OrgID = sc.OrgID
	}
	scope, orgName := kpi.Scope{Kind: "region"}, ""
	if opt.OrgID != 0 {
		if !form.Org {
			return Sheet{}, apperr.Field("org", "форма «%s» составляется только по региону", form.Title)
		}
		kind, name, err := f.orgKind(ctx, opt.OrgID)
		if err != nil {
			return Sheet{}, err
		}
		if !contains(form.Kinds, kind) {
			return Sheet{}, apperr.Field("org", "форма «%s» не составляется для организации этого вида", form.Title)
		}
		orgName = name
		// Employers have no figures of their own in the catalogue: their
		// form reads the region's day.
		if kind != "employer" {
			scope = kpi.Scope{Kind: "organisation", ID: opt.OrgID}
		}
	} else if !form.Region {
		return Sheet{}, apperr.Field("org", "форма «%s» составляется по организации: укажите её", form.Title)
	}
	if opt.Year != 0 && opt.AsOf.IsZero() {
		today := f.measures.Today()
		// Year Y is counted six months on from six months after its
		// graduation day to the day before the next cohort's.
		first, last := learner.GraduationDay(opt.Year).AddDate(0, 6, 0), learner.GraduationDay(opt.Year+1).AddDate(0, 6, -1)
		switch {
		case today.Before(first):
			return Sheet{}, apperr.Field("year", "выпуск %d года ещё не прошёл полгода: занятость через 6 месяцев считается с %s", opt.Year, first.Format("02.01.2006"))
		case today.After(last):
			opt.AsOf = last
		}
	}
	doc, err := f.measures.Document(ctx, sc, scope, opt.AsOf)
	if err != nil {
		return Sheet{}, err
	}
	if opt.Year != 0 && form.Name == "employment" && doc.Year != opt.Year {
		return Sheet{}, apperr.Field("year", "на %s занятость через 6 месяцев считается для выпуска %d года, а не %d", doc.AsOf.Format("02.01.2006"), doc.Year, opt.Year)
	}
	sh, err := form.build(ctx, f, sc, opt, doc)
	if err != nil {
		return Sheet{}, err
	}
	sh.Name, sh.Title, sh.Org, sh.AsOf = form.Name, form.Title, doc.ScopeName, doc.AsOf
	if orgName != "" {
		sh.Org = orgName
	} else if r, err := f.store.Region(ctx, sc.RegionCode); err == nil && r.Name != "" {
		sh.Org = r.Name + " (регион в целом)"
	}
	if sh.Signatures == nil {
		sh.Signatures = []string{"Руководитель организации", "Ответственный за заполнение"}
	}
	return sh, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Employment columns, in the order of the monitoring of graduate employment.
var employmentStatuses = []struct {
	title string
	of    []learner.OutcomeStatus
}{
	{"Трудоустроены (всего)", []learner.OutcomeStatus{learner.Employed, learner.SelfEmployed}},
	{"из них ИП и самозанятые", []learner.OutcomeStatus{learner.SelfEmployed}},
	{"Продолжают обучение", []learner.OutcomeStatus{learner.Studying}},
	{"Призваны на военную службу", []learner.OutcomeStatus{learner.Military}},
	{"В отпуске по уходу за ребёнком", []learner.OutcomeStatus{learner.Parental}},
	{"На учёте в центре занятости", []learner.OutcomeStatus{learner.Unemployed}},
	{"Не трудоустроены", []learner.OutcomeStatus{learner.NotEmployed}},
	{"Иное, нет сведений", []learner.OutcomeStatus{learner.Unknown, ""}},
}

// EmploymentTotals are the totals of the employment form: graduates and, by
// learner.OccupiedStatuses, those occupied; they are the catalogue's
// numerator and denominator of «employment6».
func EmploymentTotals(rows []SpecialtyOutcomes) (graduates, occupied int) {
	for _, r := range rows {
		for st, n := range r.By {
			graduates += n
			if st.Occupied() {
				occupied += n
			}
		}
	}
	return graduates, occupied
}

func employmentForm(ctx context.Context, f *Forms, sc auth.Scope, opt FormOptions, doc kpi.Document) (Sheet, error) {
	rows, err := f.store.EmploymentBySpecialty(ctx, sc.RegionCode, doc.Year, opt.OrgID)
	if err != nil {
		return Sheet{}, err
	}
	cols := []Column{{Title: "№ п/п", Kind: Count, Width: 6}, {Title: "Код", Kind: Text, Width: 10},
		{Title: "Профессия, специальность", Kind: Text, Width: 40}, {Title: "Выпускники", Kind: Count, Width: 11}}
	for _, s := range employmentStatuses {
		cols = append(cols, Column{Title: s.title, Kind: Count, Width: 13})
	}
	cols = append(cols, Column{Title: "Заняты (работа, учёба, служба, отпуск по уходу)", Kind: Count, Width: 16},
		Column{Title: "Доля занятых", Kind: Share, Width: 10})
	sh := Sheet{Columns: cols, Period: fmt.Sprintf("выпуск %d года, статус через 6 месяцев после выпуска (на 31.12.%d)", doc.Year, doc.Year),
		Subtitle: "Численность выпускников и их занятость через 6 месяцев после выпуска, человек"}
	totals := make([]int, len(employmentStatuses)+2)
	for i, r := range rows {
		g, occ := EmploymentTotals([]SpecialtyOutcomes{r})
		row := []any{i + 1, r.Code, r.Name, g}
		totals[0] += g
		for j, s := range employmentStatuses {
			n := 0
			for _, st := range s.of {
				n += r.By[st]
			}
			row = append(row, n)
			totals[j+1] += n
		}
		totals[len(totals)-1] += occ
		row = append(row, occ, share(occ, g))
		sh.Rows = append(sh.Rows, row)
	}
	sh.Totals = []any{nil, nil, "Итого"}
	for _, n := range totals {
		sh.Totals = append(sh.Totals, n)
	}
	sh.Totals = append(sh.Totals, share(totals[len(totals)-1], totals[0]))
	if it, ok := doc.Item("employment6"); ok {
		sh.Notes = append(sh.Notes, fmt.Sprintf("Итог графы %d — числитель, графы 4 — знаменатель показателя «%s» каталога показателей: %d из %d.",
			len(cols)-1, it.Name, it.Numerator, it.Denominator))
	}
	return sh, nil
}

func share(n, d int) any {
	if d == 0 {
		return nil
	}
	return float64(n) / float64(d)
}

func ratingForm(ctx context.Context, f *Forms, sc auth.Scope, opt FormOptions, doc kpi.Document) (Sheet, error) {
	sh := Sheet{Subtitle: "Показатели трудоустройства выпускников, как их считают национальный рейтинг и методика Минпросвещения России",
		Period: fmt.Sprintf("на %s", doc.AsOf.Format("02.01.2006")),
		Columns: []Column{{Title: "№ п/п", Kind: Count, Width: 6}, {Title: "Показатель", Kind: Text, Width: 60},
			{Title: "Год выпуска", Kind: Count, Width: 10}, {Title: "Числитель, чел.", Kind: Count, Width: 12},
			{Title: "Знаменатель, чел.", Kind: Count, Width: 12}, {Title: "Значение", Kind: Share, Width: 10}}}
	for i, c := range []struct {
		code string
		year int
	}{{"rating", doc.RatingYear}, {"employment12", doc.Year12}} {
		it, ok := doc.Item(c.code)
		if !ok {
			continue
		}
		sh.Rows = append(sh.Rows, []any{i + 1, it.Name + " (" + it.Variant + ")", c.year, it.Numerator, it.Denominator, share(it.Numerator, it.Denominator)})
		sh.Notes = append(sh.Notes, it.Name+": "+it.Definition)
	}
	return sh, nil
}

// levelNames are the school's levels of профминимум and their hours.
var levelNames = map[string]struct {
	name  string
	hours int
}{"basic": {"базовый", 40}, "main": {"основной", 60}, "advanced": {"продвинутый", 80}}

func profminimumForm(ctx context.Context, f *Forms, sc auth.Scope, opt FormOptions, doc kpi.Document) (Sheet, error) {
	year := int(guidance.YearOf(doc.AsOf))
	level, rows, err := f.store.ProfminimumByGrade(ctx, sc.RegionCode, year, opt.OrgID)
	if err != nil {
		return Sheet{}, err
	}
	lv, ok := levelNames[level]
	if !ok {
		lv = levelNames["basic"]
	}
	sh := Sheet{Subtitle: fmt.Sprintf("Уровень профминимума — %s (%d академических часов в год)", lv.name, lv.hours),
		Period: fmt.Sprintf("%d/%d учебный год по %s", year, year+1, doc.AsOf.Format("02.01.2006")),
		Columns: []Column{{Title: "Класс", Kind: Count, Width: 8}, {Title: "Обучающихся", Kind: Count, Width: 12},
			{Title: "Охвачены профориентацией", Kind: Count, Width: 14}, {Title: "Выполнили часы уровня", Kind: Count, Width: 14},
			{Title: "Часов на обучающегося (в среднем)", Kind: Count, Width: 14}, {Title: "Доля выполнивших", Kind: Share, Width: 11}}}
	var p, r, m, h int
	for _, g := range rows {
		avg := 0
		if g.Pupils > 0 {
			avg = (g.Hours + g.Pupils/2) / g.Pupils
		}
		sh.Rows = append(sh.Rows, []any{g.Grade, g.Pupils, g.Reached, g.HoursMet, avg, share(g.HoursMet, g.Pupils)})
		p, r, m, h = p+g.Pupils, r+g.Reached, m+g.HoursMet, h+g.Hours
	}
	avg := 0
	if p > 0 {
		avg = (h + p/2) / p
	}
	sh.Totals = []any{"Итого", p, r, m, avg, share(m, p)}
	if it, ok := doc.Item("profminimum"); ok {
		sh.Notes = append(sh.Notes, fmt.Sprintf("Итог графы 4 — числитель, графы 2 — знаменатель показателя «%s»: %d из %d.", it.Name, it.Numerator, it.Denominator))
	}
	return sh, nil
}

func targetedForm(ctx context.Context, f *Forms, sc auth.Scope, opt FormOptions, doc kpi.Document) (Sheet, error) {
	year := doc.AsOf.Year()
	rows, err := f.store.TargetedByEmployer(ctx, sc.RegionCode, year, opt.OrgID)
	if err != nil {
		return Sheet{}, err
	}
	sh := Sheet{Subtitle: "Предложения целевого обучения, заявки и договоры по заказчикам и специальностям, единиц",
		Period: fmt.Sprintf("предложения %d года, состояние на %s", year, doc.AsOf.Format("02.01.2006")),
		Columns: []Column{{Title: "№ п/п", Kind: Count, Width: 6}, {Title: "Заказчик (работодатель)", Kind: Text, Width: 40},
			{Title: "Код", Kind: Text, Width: 10}, {Title: "Специальность", Kind: Text, Width: 36}, {Title: "Мест", Kind: Count, Width: 8},
			{Title: "Заявок", Kind: Count, Width: 8}, {Title: "Договоров заключено", Kind: Count, Width: 11}, {Title: "Обучаются", Kind: Count, Width: 10},
			{Title: "Окончили", Kind: Count, Width: 10}, {Title: "Работают у заказчика", Kind: Count, Width: 11},
			{Title: "Договор расторгнут, нарушен", Kind: Count, Width: 12}}}
	t := make([]int, 7)
	for i, r := range rows {
		sh.Rows = append(sh.Rows, []any{i + 1, r.Employer, r.SpecialtyCode, r.SpecialtyName, r.Places, r.Applications, r.Contracts,
			r.Studying, r.Graduated, r.Working, r.Broken})
		for j, n := range []int{r.Places, r.Applications, r.Contracts, r.Studying, r.Graduated, r.Working, r.Broken} {
			t[j] += n
		}
	}
	sh.Totals = []any{nil, "Итого", nil, nil, t[0], t[1], t[2], t[3], t[4], t[5], t[6]}
	return sh, nil
}
