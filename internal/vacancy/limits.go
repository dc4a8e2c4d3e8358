package vacancy

import "strings"

// Limit is a limit the law sets on who may take a job.
type Limit uint8

const (
	// ForbiddenMinors: work on which the labour of those under 18 is
	// forbidden (Трудовой кодекс РФ, ст. 265; перечень тяжёлых работ и
	// работ с вредными или опасными условиями труда, утверждённый
	// постановлением Правительства РФ от 25.02.2000 № 163, и перечень,
	// пришедший ему на смену).
	ForbiddenMinors Limit = 1 << iota
	// RestrictedWomen: work on the list of jobs where the labour of women
	// is restricted (приказ Минтруда России от 18.07.2019 № 512н).
	RestrictedWomen
)

// limitRule marks the jobs whose title holds one of the stems.
type limitRule struct {
	stems []string
	limit Limit
	what  string // the kind of work, as the reason says it
}

// limitRules are a short list of the kinds of work the two lists name,
// recognised by the stems of a vacancy's title. It is not the lists
// themselves: it catches the jobs a region's vacancies usually name
// (underground and mining work, diving, blasting, felling, heavy loads,
// alcohol and gambling, private security), and a vacancy it misses is
// matched as any other. Sources: ТК РФ ст. 253 and 265; постановление
// Правительства РФ от 25.02.2000 № 163 (разделы «Подземные работы»,
// «Горные работы», «Водолазные работы», «Взрывные работы», «Лесозаготовки»,
// «Сварочные работы»); приказ Минтруда России от 18.07.2019 № 512н
// (разделы I «Работы, выполняемые под землёй», «Водолазные работы»,
// «Лесозаготовительные работы»); закон РФ от 11.03.1992 № 2487-1, ст. 11.1
// (частный охранник — не моложе 18 лет).
var limitRules = []limitRule{
	{[]string{"подземн", "шахт", "горнорабоч", "проходчик", "забойщик", "рудник", "горномонтаж", "крепильщик"},
		ForbiddenMinors | RestrictedWomen, "подземные и горные работы"},
	{[]string{"водолаз"}, ForbiddenMinors | RestrictedWomen, "водолазные работы"},
	{[]string{"вальщик", "лесоруб", "раскряжевщик", "чокеровщик"}, ForbiddenMinors | RestrictedWomen, "валка и трелёвка леса"},
	{[]string{"взрывник", "взрывн", "пиротехник"}, ForbiddenMinors, "взрывные работы"},
	{[]string{"сварщик", "газорезчик", "газосварщик"}, ForbiddenMinors, "сварочные работы"},
	{[]string{"грузчик", "докер", "такелажник", "стропальщик"}, ForbiddenMinors, "переноска тяжестей и погрузка"},
	{[]string{"бармен", "сомелье", "алкогол", "крупье", "казино", "букмекер", "кальян", "табак"}, ForbiddenMinors,
		"торговля спиртным и табаком, игорный бизнес"},
	{[]string{"охранник", "охранни", "телохранит"}, ForbiddenMinors, "частная охрана"},
}

// LimitsOf are the limits of a job by its title, with the kind of work that
// sets them; 0 and "" for a job the list does not name.
func LimitsOf(title string) (Limit, string) {
	t := strings.ToLower(title)
	var out Limit
	var what []string
	for _, r := range limitRules {
		for _, s := range r.stems {
			if strings.Contains(t, s) {
				out |= r.limit
				what = append(what, r.what)
				break
			}
		}
	}
	return out, strings.Join(what, ", ")
}
