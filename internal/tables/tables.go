// Package tables defines the tables Marshrut hands out — lists of learners and
// organisations — once, for the pages, the API and the command line alike: their
// columns and how a record becomes a row.
package tables

import (
	"marshrut/internal/exchange"
	"marshrut/internal/learner"
	"marshrut/internal/org"
)

// LearnerColumns are the columns of a list of learners. The titles are ones
// the importer recognises, so an exported list loads back as it is.
var LearnerColumns = []exchange.Column{
	{Title: "Фамилия", Width: 18}, {Title: "Имя", Width: 14}, {Title: "Отчество", Width: 18},
	{Title: "Дата рождения", Kind: exchange.Date, Width: 13}, {Title: "СНИЛС", Width: 15}, {Title: "Статус", Width: 11},
	{Title: "Образовательная организация", Width: 45}, {Title: "Муниципальное образование", Width: 32}, {Title: "Класс", Kind: exchange.Int, Width: 7},
	{Title: "Код специальности", Width: 11}, {Title: "Специальность", Width: 40}, {Title: "Курс", Kind: exchange.Int, Width: 6},
	{Title: "Группа", Width: 10}, {Title: "Форма обучения", Width: 14}, {Title: "Год выпуска", Kind: exchange.Int, Width: 8}, {Title: "ОВЗ", Width: 6},
	{Title: "Занятость сейчас", Width: 22}, {Title: "Через 6 месяцев", Width: 22}, {Title: "Через 12 месяцев", Width: 22},
}

// LearnerRow is a learner as a row of LearnerColumns.
func LearnerRow(l learner.Learner) []any {
	var grade, course, year any
	if l.Grade > 0 {
		grade = l.Grade
	}
	if l.Course > 0 {
		course = l.Course
	}
	if l.GraduationYear > 0 {
		year = l.GraduationYear
	}
	dis, snils, form := "", "", ""
	if l.Disability {
		dis = "да"
	}
	if l.SNILS != "" {
		snils = learner.FormatSNILS(l.SNILS)
	}
	if l.Form != "" {
		form = l.Form.Name()
	}
	return []any{l.LastName, l.FirstName, l.MiddleName, l.BirthDate, snils, l.Status.Name(), l.OrgName, l.Municipality,
		grade, l.SpecialtyCode, l.SpecialtyName, course, l.Group, form, year, dis, outcome(l.Current), outcome(l.After6), outcome(l.After12)}
}

func outcome(s learner.OutcomeStatus) string {
	if s == "" {
		return ""
	}
	return s.Name()
}

// OrgColumns are the columns of a registry of organisations.
var OrgColumns = []exchange.Column{
	{Title: "Наименование", Width: 60}, {Title: "Вид", Width: 22}, {Title: "Муниципальное образование", Width: 32},
	{Title: "Адрес", Width: 40}, {Title: "ИНН", Width: 13}, {Title: "ОГРН", Width: 16}, {Title: "ОКВЭД", Width: 9},
	{Title: "Обучающиеся", Kind: exchange.Int, Width: 12},
}

// OrgRow is an organisation as a row of OrgColumns.
func OrgRow(o org.Organisation) []any {
	var n any
	if o.Kind.Educates() {
		n = o.Learners
	}
	return []any{o.Name, o.Kind.Name(), o.Municipality, o.Address, o.INN, o.OGRN, o.OKVED, n}
}
