// Package kpi is the catalogue of the region's headline measures: each
// defined once — who is counted, what counts, on which date, from which
// data, in words a ministry reads — with the targets the region sets for
// them per year. Every page, export, report, the API, the command line and
// the federal rollup read a measure's value from here, on the counts of one
// monitoring snapshot (package analytics), so no two of them disagree.
package kpi

import "marshrut/internal/analytics"

// Measure is one headline measure.
type Measure struct {
	Code        string
	Name        string
	Definition  string // what is counted, in a sentence
	Numerator   string // who counts
	Denominator string // of whom
	CountedOn   string // the date or period it is counted on
	Source      string // where its data come from
	// Variant names whose definition it follows where two ministries count
	// differently; Twin is the code of the other one's variant.
	Variant, Twin string
	// Region is true for a measure counted for the region as a whole only.
	Region bool
	// Status is true for a measure of graduates' statuses: its «нет сведений»
	// are counted (Unknown) and shown beside it.
	Status bool
	// Default is the pilot's target, taken when the region has set none for
	// the year; 0 means no target.
	Default float64

	num, den, unknown func(f analytics.Figures) int
}

// Num is the measure's numerator on the counts.
func (m Measure) Num(f analytics.Figures) int { return m.num(f) }

// Den is the measure's denominator on the counts.
func (m Measure) Den(f analytics.Figures) int { return m.den(f) }

// Unknown is how many of the denominator have no known status; 0 for a
// measure that is not of statuses.
func (m Measure) Unknown(f analytics.Figures) int {
	if m.unknown == nil {
		return 0
	}
	return m.unknown(f)
}

const (
	srcReach    = "отметки участия в профориентационных мероприятиях и информирования, внесённые школами и организаторами; списки учеников"
	srcOutcomes = "периоды занятости выпускников: записи колледжей и вузов, центров занятости, принятые предложения распределения, итоги случаев и программ, сведения СФР; статус на дату определяет одно правило (см. ниже)"
)

// Catalogue is every headline measure, in the order pages show them.
var Catalogue = []Measure{
	{Code: "guidance", Name: "Охват профориентацией",
		Definition:  "Доля школьников 6–11 классов, принявших участие хотя бы в одном профориентационном мероприятии в текущем учебном году.",
		Numerator:   "школьники 6–11 классов хотя бы с одним отмеченным участием с 1 сентября по дату расчёта",
		Denominator: "все школьники 6–11 классов",
		CountedOn:   "текущий учебный год (с 1 сентября) по дату расчёта", Source: srcReach, Default: 1,
		num: func(f analytics.Figures) int { return f.Reached }, den: func(f analytics.Figures) int { return f.Pupils }},
	{Code: "informed", Name: "Информирование о целевом обучении",
		Definition:  "Доля школьников 9–11 классов, проинформированных о возможностях целевого обучения в текущем учебном году.",
		Numerator:   "школьники 9–11 классов с отметкой об информировании с 1 сентября по дату расчёта",
		Denominator: "все школьники 9–11 классов",
		CountedOn:   "текущий учебный год (с 1 сентября) по дату расчёта", Source: srcReach, Default: 1,
		num: func(f analytics.Figures) int { return f.Informed }, den: func(f analytics.Figures) int { return f.Seniors }},
	{Code: "profminimum", Name: "Профминимум: часы по уровню школы",
		Definition:  "Доля школьников 6–11 классов, набравших в текущем учебном году часы профминимума своего уровня: базовый — 40, основной — 60, продвинутый — 80 академических часов.",
		Numerator:   "школьники 6–11 классов, чьи часы профориентационных мероприятий не меньше часов уровня, выбранного их школой",
		Denominator: "все школьники 6–11 классов",
		CountedOn:   "текущий учебный год по дату расчёта", Source: srcReach + "; уровень профминимума, выбранный школой",
		num: func(f analytics.Figures) int { return f.HoursMet }, den: func(f analytics.Figures) int { return f.Pupils }},
	{Code: "employment6", Name: "Занятость выпускников через 6 месяцев",
		Definition: "Доля выпускников последнего выпуска, прошедшего полгода, которые через 6 месяцев после выпуска (30 июня) работают, в том числе как самозанятые и индивидуальные предприниматели, продолжают обучение, проходят военную службу или находятся в отпуске по уходу за ребёнком.",
		Numerator:  "выпускники, занятые на 31 декабря года выпуска", Denominator: "все выпускники этого года",
		CountedOn: "через 6 месяцев после 30 июня года выпуска", Source: srcOutcomes,
		Variant: "Минпросвещения России", Status: true, Default: 0.85,
		num: func(f analytics.Figures) int { return f.Working }, den: func(f analytics.Figures) int { return f.Graduates },
		unknown: func(f analytics.Figures) int { return f.Unknown6 }},
	{Code: "employment12", Name: "Занятость выпускников через 12 месяцев",
		Definition: "Доля выпускников последнего выпуска, прошедшего год, которые через 12 месяцев после выпуска заняты в том же смысле: работа (с самозанятыми и ИП), обучение, военная служба, отпуск по уходу за ребёнком.",
		Numerator:  "выпускники, занятые на 30 июня года, следующего за выпуском", Denominator: "все выпускники этого года",
		CountedOn: "через 12 месяцев после 30 июня года выпуска", Source: srcOutcomes,
		Variant: "Минпросвещения России", Twin: "rating", Status: true,
		num: func(f analytics.Figures) int { return f.Working12 }, den: func(f analytics.Figures) int { return f.Graduates12 },
		unknown: func(f analytics.Figures) int { return f.Unknown12 }},
	{Code: "rating", Name: "Работают на второй год после выпуска",
		Definition: "Доля выпускников прошлого года, которые работали (по найму, как самозанятые или ИП) хотя бы какое-то время в календарном году, следующем за выпуском. Учёба, служба и отпуск по уходу сюда не входят.",
		Numerator:  "выпускники с периодом работы, пересекающим год после выпуска (по дату расчёта)", Denominator: "все выпускники прошлого года",
		CountedOn: "календарный год после года выпуска, по дату расчёта", Source: srcOutcomes,
		Variant: "национальный рейтинг трудоустройства выпускников", Twin: "employment12",
		num: func(f analytics.Figures) int { return f.RatingWorking }, den: func(f analytics.Figures) int { return f.RatingGraduates }},
	{Code: "retention", Name: "Сохранили занятость от 6 к 12 месяцам",
		Definition: "Из выпускников, занятых через 6 месяцев после выпуска, — доля тех, кто занят (в любой деятельности) и через 12 месяцев.",
		Numerator:  "занятые и через 6, и через 12 месяцев", Denominator: "занятые через 6 месяцев",
		CountedOn: "через 6 и через 12 месяцев после 30 июня года выпуска", Source: srcOutcomes, Twin: "retention_employer",
		num: func(f analytics.Figures) int { return f.Retained }, den: func(f analytics.Figures) int { return f.Employed }},
	{Code: "retention_employer", Name: "Закрепились у того же работодателя",
		Definition: "Из выпускников, работавших по найму через 6 месяцев после выпуска, — доля тех, кто через 12 месяцев работает у того же работодателя (по ИНН, а где его нет — по записи реестра или названию).",
		Numerator:  "работают у того же работодателя через 12 месяцев", Denominator: "работали по найму через 6 месяцев",
		CountedOn: "через 6 и через 12 месяцев после 30 июня года выпуска", Source: srcOutcomes, Twin: "retention",
		num: func(f analytics.Figures) int { return f.SameEmployer }, den: func(f analytics.Figures) int { return f.Hired }},
	{Code: "contract", Name: "Студенты с целевым договором",
		Definition: "Доля студентов колледжей и вузов, обучающихся по договору о целевом обучении.",
		Numerator:  "студенты с заключённым договором о целевом обучении", Denominator: "все студенты",
		CountedOn: "на дату расчёта", Source: "заявки и договоры о целевом обучении, внесённые работодателями и образовательными организациями",
		num: func(f analytics.Figures) int { return f.Contract }, den: func(f analytics.Figures) int { return f.Students }},
	{Code: "contract_fulfilment", Name: "Исполнение целевых договоров",
		Definition: "Из договоров о целевом обучении, чьё обязательство отработать закончилось, — доля выполненных.",
		Numerator:  "договоры со статусом «обязательство выполнено»", Denominator: "договоры, обязательство по которым выполнено или нарушено",
		CountedOn: "на дату расчёта", Source: "статусы договоров о целевом обучении",
		num: func(f analytics.Figures) int { return f.ContractsFulfilled }, den: func(f analytics.Figures) int { return f.ContractsEnded }},
	{Code: "mentorship", Name: "Охват наставничеством",
		Definition: "Доля студентов очной формы, у которых есть действующий наставник.",
		Numerator:  "студенты очной формы в действующей наставнической паре", Denominator: "все студенты очной формы",
		CountedOn: "на дату расчёта", Source: "наставнические пары, утверждённые координаторами программ",
		num: func(f analytics.Figures) int { return f.Mentored }, den: func(f analytics.Figures) int { return f.FullTime }},
	{Code: "mentorship_enterprise", Name: "Наставник на предприятии",
		Definition: "Доля студентов очной формы, чей наставник — сотрудник предприятия.",
		Numerator:  "студенты очной формы с действующим наставником из числа сотрудников работодателя", Denominator: "все студенты очной формы",
		CountedOn: "на дату расчёта", Source: "наставнические пары и сведения о наставниках",
		num: func(f analytics.Figures) int { return f.MentoredEnterprise }, den: func(f analytics.Figures) int { return f.FullTime }},
	{Code: "risk_case", Name: "В зоне риска — со случаем в центре занятости",
		Definition: "Из студентов выпускного курса и недавних выпускников в зоне риска остаться без работы — доля тех, по кому центр занятости открыл случай.",
		Numerator:  "в зоне риска, по ком открыт случай", Denominator: "в зоне риска по порогу региона",
		CountedOn: "на дату последнего расчёта оценок риска", Source: "оценки модели раннего предупреждения и случаи центров занятости",
		num: func(f analytics.Figures) int { return f.WithCase }, den: func(f analytics.Figures) int { return f.AtRisk }},
	{Code: "programme_employment", Name: "Трудоустройство после программ занятости",
		Definition: "Из окончивших обучение по программам активных мер содействия занятости, чей результат известен, — доля тех, кто работал в течение трёх месяцев после окончания.",
		Numerator:  "окончившие и работавшие в течение трёх месяцев", Denominator: "окончившие, у кого три месяца прошли или работа уже есть",
		CountedOn: "три месяца после окончания обучения", Source: "зачисления в группы программ и периоды занятости",
		Region: true, Status: true,
		num: func(f analytics.Figures) int { return f.ProgrammeEmployed }, den: func(f analytics.Figures) int { return f.ProgrammeDone },
		unknown: func(f analytics.Figures) int { return f.ProgrammeUnknown }},
	{Code: "demand_closure", Name: "Закрытие потребности в кадрах",
		Definition: "Доля прогноза потребности экономики региона в работниках на ближайший год, которую закрывают выпускники этого года.",
		Numerator:  "выпускники года, но не больше потребности", Denominator: "прогноз потребности на год (вакансии, заявленная потребность работодателей, замещение уходящих; не меньше выпускников по целевым договорам)",
		CountedOn: "ближайший год прогноза баланса кадров", Source: "баланс трудовых ресурсов: история вакансий, потребность работодателей, прогноз выпуска",
		Region: true,
		num:    func(f analytics.Figures) int { return f.DemandClosed }, den: func(f analytics.Figures) int { return f.DemandNeed }},
}

// Lookup returns the measure of a code.
func Lookup(code string) (Measure, bool) {
	for _, m := range Catalogue {
		if m.Code == code {
			return m, true
		}
	}
	return Measure{}, false
}
