package demo

// The default demo region is calibrated on Kamchatka Krai (code 41): its
// municipalities with their share of the population and their centres'
// coordinates, its schools, colleges and universities (data/kamchatka.csv,
// with its sources in data/README.md), and the branches of its economy.
// Shares are rounded from Rosstat's population estimates; employers' names
// are typical of the region, and the people are invented.

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

type municipalitySpec struct {
	name, kind string
	share      float64 // share of the region's population
	lat, lon   float64
	villages   []string // settlements where schools stand; the first is the centre
	remote     bool     // no road to the regional centre
}

var kamchatka = []municipalitySpec{
	{"Петропавловск-Камчатский городской округ", "городской округ", 0.555, 53.024, 158.643, []string{"Петропавловск-Камчатский"}, false},
	{"Елизовский муниципальный район", "муниципальный район", 0.205, 53.183, 158.388, []string{"Елизово", "Паратунка", "Николаевка", "Раздольный", "Коряки", "Пионерский", "Вулканный"}, false},
	{"Вилючинский городской округ", "городской округ", 0.072, 52.931, 158.405, []string{"Вилючинск"}, false},
	{"Усть-Камчатский муниципальный округ", "муниципальный округ", 0.032, 56.220, 162.480, []string{"Усть-Камчатск", "Ключи", "Козыревск"}, false},
	{"Мильковский муниципальный округ", "муниципальный округ", 0.025, 54.690, 158.620, []string{"Мильково", "Атласово", "Лазо"}, false},
	{"Усть-Большерецкий муниципальный район", "муниципальный район", 0.019, 52.820, 156.280, []string{"Усть-Большерецк", "Апача", "Октябрьский", "Озерновский"}, false},
	{"Олюторский муниципальный район", "муниципальный район", 0.015, 60.440, 166.100, []string{"Тиличики", "Хаилино", "Апука", "Ачайваям"}, true},
	{"Карагинский муниципальный район", "муниципальный район", 0.012, 59.240, 163.070, []string{"Оссора", "Тымлат", "Ивашка", "Карага"}, true},
	{"Тигильский муниципальный район", "муниципальный район", 0.010, 57.760, 158.670, []string{"Тигиль", "Усть-Хайрюзово", "Седанка", "Ковран"}, true},
	{"Городской округ «посёлок Палана»", "городской округ", 0.010, 59.080, 159.950, []string{"Палана"}, true},
	{"Соболевский муниципальный район", "муниципальный район", 0.008, 54.300, 155.950, []string{"Соболево", "Устьевое", "Крутогоровский"}, false},
	{"Быстринский муниципальный район", "муниципальный район", 0.008, 55.930, 158.700, []string{"Эссо", "Анавгай"}, false},
	{"Пенжинский муниципальный район", "муниципальный район", 0.007, 62.090, 166.220, []string{"Каменское", "Манилы", "Слаутное"}, true},
	{"Алеутский муниципальный округ", "муниципальный округ", 0.002, 55.200, 165.980, []string{"Никольское"}, true},
}

// orgSpec is a school, college or university of the table kamchatka.csv.
type orgSpec struct {
	kind         string // school, basic, college, university
	municipality int    // index in kamchatka
	settlement   string
	name         string
	size         int // pupils or students, before scaling
	after11      float64
	female       float64 // share of women among students
	programmes   []programme
}

// programme is a specialty an organisation teaches: its length in months
// on the basis of the 9th grade (СПО) or in all (higher education), the
// share admitted after the 11th grade, and the first year of admission.
type programme struct {
	code    string
	months  int
	after11 float64
	opened  int
}

// courses is how many courses the programme has for those admitted after
// the 9th grade (after9) or the 11th: СПО is a year shorter after the 11th.
func (p programme) courses(university, after9 bool) int {
	m := p.months
	if !university && !after9 {
		m -= 12
	}
	return (m + 11) / 12
}

//go:embed data/kamchatka.csv
var kamchatkaCSV string

// schoolSpecs, colleges and universities are the rows of kamchatka.csv by kind.
var schoolSpecs, colleges, universities = parseOrgs(kamchatkaCSV)

func parseOrgs(text string) (schools, cols, unis []orgSpec) {
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		panic("demo: kamchatka.csv: " + err.Error())
	}
	for i, r := range rows[1:] {
		o := orgSpec{kind: r[0], settlement: r[2], name: r[3], municipality: -1}
		for mi, m := range kamchatka {
			if m.name == r[1] {
				o.municipality = mi
			}
		}
		size, err := strconv.Atoi(r[4])
		if err != nil || o.municipality < 0 {
			panic(fmt.Sprintf("demo: kamchatka.csv, line %d: municipality %q or size %q", i+2, r[1], r[4]))
		}
		o.size = size
		if r[6] != "" {
			pct, _ := strconv.Atoi(r[6])
			o.after11 = float64(pct) / 100
		}
		if r[7] != "" {
			pct, _ := strconv.Atoi(r[7])
			o.female = float64(pct) / 100
		}
		for _, f := range strings.Fields(r[8]) {
			p := programme{months: 46, after11: o.after11}
			f, opened, ok := strings.Cut(f, "@")
			if ok {
				p.opened, _ = strconv.Atoi(opened)
			}
			parts := strings.Split(f, ":")
			p.code = parts[0]
			if len(parts) > 1 {
				p.months, _ = strconv.Atoi(parts[1])
			}
			if len(parts) > 2 {
				pct, _ := strconv.Atoi(parts[2])
				p.after11 = float64(pct) / 100
			}
			o.programmes = append(o.programmes, p)
		}
		switch o.kind {
		case "school", "basic":
			schools = append(schools, o)
		case "college":
			cols = append(cols, o)
		case "university":
			unis = append(unis, o)
		default:
			panic(fmt.Sprintf("demo: kamchatka.csv, line %d: kind %q", i+2, o.kind))
		}
	}
	return schools, cols, unis
}

// codes lists the ОКСО codes an organisation teaches.
func (o orgSpec) codes() []string {
	out := make([]string, len(o.programmes))
	for i, p := range o.programmes {
		out[i] = p.code
	}
	return out
}

// sector is a branch of the economy: what employers in it are called, their
// ОКВЭД2 code, their share among employers, and the specialties (ОКСО) it
// hires graduates of. Only these: a pharmacy hires pharmacists, not
// bricklayers, and a fish plant offers no places in agronomy.
type sector struct {
	okved  string
	weight float64
	forms  []string // name patterns; %s is a made-up brand
	specs  []string
}

var sectors = []sector{
	{"03.11", 10, []string{"ООО «%s рыбпром»", "Рыболовецкий колхоз «%s»", "АО «%s флот»"}, []string{"26.02.03", "26.02.05", "26.02.06", "35.02.11", "15.02.06", "26.05.05", "26.05.06", "35.03.08"}},
	{"10.20", 8, []string{"ООО «Рыбокомбинат %s»", "ООО «%s морепродукт»"}, []string{"35.02.10", "15.02.06", "13.02.11", "19.03.03", "35.03.08"}},
	{"07.29", 3, []string{"АО «%s золото»", "ООО «Рудник %s»"}, []string{"21.02.17", "13.02.07", "23.02.04", "22.02.06", "15.02.01", "20.03.01"}},
	{"35.11", 3, []string{"ПАО «%s энерго»", "АО «%s ТЭЦ»"}, []string{"13.02.11", "13.02.07", "13.03.02"}},
	{"41.20", 8, []string{"ООО «%s строй»", "ООО «СК %s»"}, []string{"08.02.01", "22.02.06", "08.01.04", "13.02.07", "20.03.01"}},
	{"45.20", 5, []string{"ООО «Автоцентр %s»", "ООО «%s авто»"}, []string{"23.02.03"}},
	{"47.11", 9, []string{"ООО «Торговый дом %s»", "ООО «%s маркет»"}, []string{"38.02.04", "38.02.01", "38.03.02"}},
	{"49.41", 4, []string{"ООО «%s транс»", "АО «%s автотранс»"}, []string{"23.02.03", "23.02.04"}},
	{"52.22", 3, []string{"АО «Морской порт %s»", "ООО «%s судоремонт»"}, []string{"26.02.05", "26.02.06", "22.02.06", "23.02.04", "15.02.01", "26.05.06", "15.03.02"}},
	{"55.10", 4, []string{"ООО «Гостиница %s»", "ООО «Отель %s»"}, []string{"43.02.14", "43.02.15", "43.01.09"}},
	{"79.90", 3, []string{"ООО «Турфирма %s»", "ООО «%s тур»"}, []string{"43.02.10"}},
	{"56.10", 6, []string{"ООО «Ресторан %s»", "ООО «Кафе %s»"}, []string{"43.02.15", "43.01.09", "19.02.10"}},
	{"62.01", 3, []string{"ООО «%s софт»", "ООО «%s ИТ»"}, []string{"09.02.07", "09.01.03", "09.03.01", "09.03.03"}},
	{"61.10", 2, []string{"ПАО «%s телеком»"}, []string{"09.02.07", "09.03.01"}},
	{"64.19", 2, []string{"АО «%s банк»"}, []string{"38.02.01", "38.03.01", "38.03.02"}},
	{"84.11", 4, []string{"Администрация %s", "Управление %s"}, []string{"40.03.01", "38.03.01", "38.02.01", "21.02.05", "05.03.06"}},
	{"85.11", 5, []string{"МБДОУ «Детский сад „%s“»", "МАДОУ «Детский сад „%s“»"}, []string{"44.02.01", "44.02.05", "44.03.01"}},
	{"86.10", 6, []string{"ГБУЗ «%s районная больница»", "ГБУЗ «Поликлиника „%s“»"}, []string{"31.02.01", "34.02.01", "31.02.02", "31.02.03", "31.05.01"}},
	{"47.73", 2, []string{"ООО «Аптека %s»"}, []string{"33.02.01"}},
	{"88.10", 2, []string{"КГАУ «Комплексный центр социального обслуживания „%s“»"}, []string{"39.02.01", "34.02.01"}},
	{"01.41", 2, []string{"ООО «Агрофирма %s»", "СХПК «%s»"}, []string{"35.02.05", "36.02.01", "35.02.16", "35.02.12"}},
	{"90.01", 2, []string{"КГБУ «Театр „%s“»", "МБУК «Дом культуры „%s“»"}, []string{"53.02.03", "53.02.02", "51.02.01", "54.02.01", "53.02.06"}},
	{"93.11", 1, []string{"МАУ «Спортивная школа „%s“»"}, []string{"49.02.01", "44.03.05"}},
	{"96.02", 2, []string{"ИП — студия красоты «%s»", "ООО «Салон „%s“»"}, []string{"43.01.02"}},
}

// sectorOf is the sector of an ОКВЭД2 code.
func sectorOf(okved string) (sector, bool) {
	for _, s := range sectors {
		if s.okved == okved {
			return s, true
		}
	}
	return sector{}, false
}

var brands = []string{
	"Камчатка", "Авача", "Восток", "Тихоокеанский", "Ключевской", "Северо-Восток", "Берег", "Океан", "Вулкан",
	"Паратунка", "Гейзер", "Корякский", "Жупаново", "Халактырка", "Мутновка", "Начики", "Командор", "Кроноки",
	"Ительмен", "Северный", "Лососевый", "Курильский", "Вилюча", "Бухта", "Маяк", "Горизонт", "Радуга", "Нерпа",
	"Медвежий угол", "Сопка", "Толбачик", "Кижуч", "Нерка", "Чавыча", "Ключи", "Ветер", "Тундра", "Шивелуч",
}

// SpecialtyCodes lists every ОКСО code the generator gives learners.
func SpecialtyCodes() []string {
	var out []string
	for _, list := range [][]orgSpec{colleges, universities} {
		for _, c := range list {
			out = append(out, c.codes()...)
		}
	}
	return out
}

// ActivityCodes lists every ОКВЭД2 code the generator gives organisations.
func ActivityCodes() []string {
	out := []string{"85.14", "85.21", "85.22", "84.11", "84.12"}
	for _, s := range sectors {
		out = append(out, s.okved)
	}
	return out
}

// The settlements of the table's organisations are where employers stand too.
func init() {
	for _, list := range [][]orgSpec{schoolSpecs, colleges, universities} {
		for _, o := range list {
			m := &kamchatka[o.municipality]
			if !slices.Contains(m.villages, o.settlement) {
				m.villages = append(m.villages, o.settlement)
			}
		}
	}
}

// Hires lists the specialties (ОКСО) whose graduates the demo's employers of
// a branch (ОКВЭД2) hire, offer targeted places in and declare needs for.
func Hires(okved string) []string {
	s, _ := sectorOf(okved)
	return slices.Clone(s.specs)
}
