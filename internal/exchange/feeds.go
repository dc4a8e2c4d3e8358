package exchange

// The field lists of the files other systems give: the social fund's answer
// on employment, the registry of education documents (ФИС ФРДО), and the
// reports of career-guidance projects. Titles are those the sources' own
// templates use; aliases are what regions actually receive.

// SFRAnswerFields are the columns of an answer of the social fund (СФР) on
// the employment of graduates by СНИЛС: one period of work a row.
var SFRAnswerFields = []Field{
	{Key: "snils", Title: "СНИЛС", Required: true, Aliases: snilsAliases},
	{Key: "full_name", Title: "ФИО", Aliases: fullNameAliases},
	{Key: "employer_inn", Title: "ИНН страхователя", Aliases: []string{
		"ИНН работодателя", "ИНН", "ИНН организации", "ИНН страхователя (работодателя)", "ИНН плательщика страховых взносов",
	}},
	{Key: "employer_name", Title: "Наименование страхователя", Required: true, Aliases: []string{
		"Работодатель", "Наименование работодателя", "Страхователь", "Наименование организации", "Место работы",
		"Наименование страхователя (работодателя)",
	}},
	{Key: "start_date", Title: "Дата начала периода работы", Required: true, Aliases: []string{
		"Дата начала", "Начало периода", "Дата начала работы", "Дата приема", "Дата приема на работу", "Период работы с", "С",
	}},
	{Key: "end_date", Title: "Дата окончания периода работы", Aliases: []string{
		"Дата окончания", "Окончание периода", "Дата окончания работы", "Дата увольнения", "Период работы по", "По",
	}},
	{Key: "kind", Title: "Вид деятельности", Aliases: []string{
		"Вид занятости", "Категория застрахованного лица", "Код категории", "Вид периода", "Статус",
	}},
}

// FRDOFields are the columns of the template a college or university fills
// for the federal registry of education documents (ФИС ФРДО): one document a
// row. The titles are the template's («Фамилия получателя», «Серия
// документа»…).
var FRDOFields = []Field{
	{Key: "doc_name", Title: "Название документа", Aliases: []string{"Наименование документа"}},
	{Key: "doc_kind", Title: "Вид документа", Aliases: []string{"Тип документа"}},
	{Key: "doc_status", Title: "Статус документа"},
	{Key: "doc_series", Title: "Серия документа", Aliases: []string{"Серия", "Серия бланка"}},
	{Key: "doc_number", Title: "Номер документа", Required: true, Aliases: []string{"Номер", "Номер бланка"}},
	{Key: "issue_date", Title: "Дата выдачи", Required: true, Aliases: []string{"Дата выдачи документа"}},
	{Key: "reg_number", Title: "Регистрационный номер", Aliases: []string{"Рег. номер", "Регистрационный №"}},
	{Key: "specialty_code", Title: "Код специальности, направления подготовки", Aliases: []string{
		"Код специальности", "Код профессии, специальности", "Код специальности/профессии", "Код направления подготовки",
		"Код профессии", "Код ОКСО",
	}},
	{Key: "specialty_name", Title: "Наименование специальности, направления подготовки", Aliases: []string{
		"Наименование специальности", "Наименование профессии, специальности", "Специальность", "Профессия",
		"Направление подготовки",
	}},
	{Key: "qualification", Title: "Наименование квалификации", Aliases: []string{"Квалификация", "Присвоенная квалификация"}},
	{Key: "admission_year", Title: "Год поступления"},
	{Key: "graduation_year", Title: "Год окончания", Required: true, Aliases: []string{"Год выпуска", "Год окончания обучения"}},
	{Key: "last_name", Title: "Фамилия получателя", Required: true, Aliases: []string{"Фамилия"}},
	{Key: "first_name", Title: "Имя получателя", Required: true, Aliases: []string{"Имя"}},
	{Key: "middle_name", Title: "Отчество получателя", Aliases: []string{"Отчество", "Отчество получателя (при наличии)"}},
	{Key: "birth_date", Title: "Дата рождения получателя", Required: true, Aliases: []string{"Дата рождения"}},
	{Key: "sex", Title: "Пол получателя", Aliases: []string{"Пол"}},
	{Key: "snils", Title: "СНИЛС", Aliases: append([]string{"СНИЛС получателя"}, snilsAliases...)},
}

// GuidanceFields are the columns of a school's list of pupils who took part
// in career-guidance events, as the reports of «Билет в будущее» and «Россия —
// мои горизонты» give it: one pupil at one event a row.
var GuidanceFields = []Field{
	{Key: "last_name", Title: "Фамилия", Required: true, Or: "full_name"},
	{Key: "first_name", Title: "Имя", Required: true, Or: "full_name"},
	{Key: "middle_name", Title: "Отчество"},
	{Key: "full_name", Title: "ФИО", Aliases: append([]string{"ФИО участника", "Участник"}, fullNameAliases...)},
	{Key: "birth_date", Title: "Дата рождения", Aliases: []string{"Д.р.", "Дата рожд."}},
	{Key: "snils", Title: "СНИЛС", Aliases: snilsAliases},
	{Key: "grade", Title: "Класс", Aliases: []string{"Параллель", "Класс обучения"}},
	{Key: "event", Title: "Мероприятие", Required: true, Aliases: []string{
		"Название мероприятия", "Наименование мероприятия", "Занятие", "Тема занятия", "Тема", "Профпроба",
		"Наименование профпробы", "Вид мероприятия", "Формат",
	}},
	{Key: "date", Title: "Дата проведения", Required: true, Aliases: []string{"Дата", "Дата мероприятия", "Дата участия", "Дата занятия"}},
	{Key: "hours", Title: "Количество часов", Aliases: []string{"Часы", "Часов", "Продолжительность, ч", "Объем, ч", "Академических часов"}},
	{Key: "project", Title: "Проект", Aliases: []string{"Программа", "Название проекта"}},
}
