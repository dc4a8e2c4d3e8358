package ddo

import "slices"

// groups assigns ОКСО enlarged groups (УГС, as listed in internal/classifier/data) to the
// types whose work they mostly train for. The basis is Klimov's classification of professions
// by subject of labour (Е. А. Климов, «Психология профессионального самоопределения») and the
// usual lists of professions given for each type in Russian career guidance: П — агроном,
// ветеринар, эколог, геолог; Т — инженер, механик, водитель; Ч — врач, учитель, юрист,
// продавец; З — программист, бухгалтер, переводчик; Х — художник, дизайнер, актёр.
// Carrying it over to whole groups is our judgement, not an official table: a group is listed
// under every type that a large part of its specialties clearly belongs to, so some groups have
// two. Names are kept to let the tests check each code against the classifier.
var groups = []struct {
	code  string
	name  string
	types []Type
}{
	{"01.00.00", "Математика и механика", []Type{Sign}},
	{"02.00.00", "Компьютерные и информационные науки", []Type{Sign}},
	{"03.00.00", "Физика и астрономия", []Type{Sign}},
	{"04.00.00", "Химия", []Type{Nature, Sign}}, // laboratory analysis of substances (cf. item 16a) and formulae
	{"05.00.00", "Науки о земле", []Type{Nature}},
	{"06.00.00", "Биологические науки", []Type{Nature}},
	{"07.00.00", "Архитектура", []Type{Art, Technics}},
	{"08.00.00", "Техника и технологии строительства", []Type{Technics}},
	{"09.00.00", "Информатика и вычислительная техника", []Type{Technics, Sign}},
	{"10.00.00", "Информационная безопасность", []Type{Sign, Technics}},
	{"11.00.00", "Электроника, радиотехника и системы связи", []Type{Technics}},
	{"12.00.00", "Фотоника, приборостроение, оптические и биотехнические системы и технологии", []Type{Technics}},
	{"13.00.00", "Электро- и теплоэнергетика", []Type{Technics}},
	{"14.00.00", "Ядерная энергетика и технологии", []Type{Technics}},
	{"15.00.00", "Машиностроение", []Type{Technics}},
	{"16.00.00", "Физико-технические науки и технологии", []Type{Technics}},
	{"17.00.00", "Оружие и системы вооружения", []Type{Technics}},
	{"18.00.00", "Химические технологии", []Type{Technics}},
	{"19.00.00", "Промышленная экология и биотехнологии", []Type{Nature, Technics}}, // also food production technology
	{"20.00.00", "Техносферная безопасность и природообустройство", []Type{Nature, Technics}},
	{"21.00.00", "Прикладная геология, горное дело, нефтегазовое дело и геодезия", []Type{Technics, Nature}},
	{"22.00.00", "Технологии материалов", []Type{Technics}},
	{"23.00.00", "Техника и технологии наземного транспорта", []Type{Technics}},
	{"24.00.00", "Авиационная и ракетно-космическая техника", []Type{Technics}},
	{"25.00.00", "Аэронавигация и эксплуатация авиационной и ракетно-космической техники", []Type{Technics}},
	{"26.00.00", "Техника и технологии кораблестроения и водного транспорта", []Type{Technics}},
	{"27.00.00", "Управление в технических системах", []Type{Technics, Sign}},
	{"28.00.00", "Нанотехнологии и наноматериалы", []Type{Technics}},
	{"29.00.00", "Технологии легкой промышленности", []Type{Technics, Art}},
	{"30.00.00", "Фундаментальная медицина", []Type{Nature}},
	{"31.00.00", "Клиническая медицина", []Type{Human}},
	{"32.00.00", "Науки о здоровье и профилактическая медицина", []Type{Human, Nature}},
	{"33.00.00", "Фармация", []Type{Human, Nature}},
	{"34.00.00", "Сестринское дело", []Type{Human}},
	{"35.00.00", "Сельское, лесное и рыбное хозяйство", []Type{Nature}},
	{"36.00.00", "Ветеринария и зоотехния", []Type{Nature}},
	{"37.00.00", "Психологические науки", []Type{Human}},
	{"38.00.00", "Экономика и управление", []Type{Sign, Human}}, // accounting and finance; trade, management
	{"39.00.00", "Социология и социальная работа", []Type{Human}},
	{"40.00.00", "Юриспруденция", []Type{Human}},
	{"41.00.00", "Политические науки и регионоведение", []Type{Human}},
	{"42.00.00", "Средства массовой информации и информационно-библиотечное дело", []Type{Art, Human}},
	{"43.00.00", "Сервис и туризм", []Type{Human}},
	{"44.00.00", "Образование и педагогические науки", []Type{Human}},
	{"45.00.00", "Языкознание и литературоведение", []Type{Sign, Art}},
	{"46.00.00", "История и археология", []Type{Sign}},
	{"47.00.00", "Философия, этика и религиоведение", []Type{Sign}},
	{"48.00.00", "Теология", []Type{Human, Sign}},
	{"49.00.00", "Физическая культура и спорт", []Type{Human}},
	{"50.00.00", "Искусствознание", []Type{Art}},
	{"51.00.00", "Культуроведение и социокультурные проекты", []Type{Art, Human}},
	{"52.00.00", "Сценические искусства и литературное творчество", []Type{Art}},
	{"53.00.00", "Музыкальное искусство", []Type{Art}},
	{"54.00.00", "Изобразительное и прикладные виды искусств", []Type{Art}},
	{"55.00.00", "Экранные искусства", []Type{Art}},
	{"57.00.00", "Обеспечение государственной безопасности", []Type{Human}},
}

// Groups lists the ОКСО enlarged groups, as "15.00.00", that suit t, in code order.
func Groups(t Type) []string {
	var out []string
	for _, g := range groups {
		if slices.Contains(g.types, t) {
			out = append(out, g.code)
		}
	}
	return out
}

// TypesOf lists, in the canonical order, the types whose groups hold an ОКСО code: a specialty
// such as "15.02.08" or "43.03.01", a group "15.00.00", or a bare group prefix "15" — only the
// first two digits count. It is empty for a code of no known group.
func TypesOf(okso string) []Type {
	if len(okso) < 2 || len(okso) > 2 && okso[2] != '.' {
		return nil
	}
	prefix := okso[:2]
	for _, g := range groups {
		if g.code[:2] == prefix {
			var out []Type
			for _, t := range types {
				if slices.Contains(g.types, t) {
					out = append(out, t)
				}
			}
			return out
		}
	}
	return nil
}

// Fit is how well a specialty suits a person with result r, from 0 to 1: the most points r has
// among the specialty's types (TypesOf), divided by 8. It is 0 when the code has no type.
// It measures the strength of the inclination, not its rank: a sheet spread evenly (4 points
// each) fits every specialty at 0.5, so compare Fit across specialties for one person rather
// than across people.
func Fit(r Result, okso string) float64 {
	best := 0
	for _, t := range TypesOf(okso) {
		best = max(best, r.Points[t])
	}
	return float64(min(best, MaxPoints)) / MaxPoints
}
