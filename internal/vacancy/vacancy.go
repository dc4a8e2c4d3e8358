// Package vacancy holds the vacancies of a region — imported from «Работа России»
// or entered by hand — and their links to the ОКСО specialties that prepare for
// them: the crosswalk from «Работа России» spheres to УГС and the similarity of a
// job title to the names of specialties.
package vacancy

import (
	"errors"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"marshrut/internal/apperr"
	"marshrut/internal/classifier"
	"marshrut/internal/org"
)

// Source says where a vacancy came from.
type Source string

const (
	Trudvsem Source = "trudvsem" // «Работа России»
	Manual   Source = "manual"   // entered by an employer or a specialist in Marshrut
)

// Education is the least education a vacancy asks for.
type Education string

const (
	EduNone             Education = "none"              // не требуется или не указано
	EduGeneral          Education = "general"           // среднее общее (или основное общее)
	EduSPO              Education = "spo"               // среднее профессиональное
	EduIncompleteHigher Education = "incomplete_higher" // незаконченное высшее: студенты вузов
	EduHigher           Education = "higher"            // высшее
)

// Educations lists every education requirement from the least to the most.
var Educations = []Education{EduNone, EduGeneral, EduSPO, EduIncompleteHigher, EduHigher}

// Name is the Russian name of the requirement.
func (e Education) Name() string {
	switch e {
	case EduNone:
		return "не требуется"
	case EduGeneral:
		return "среднее общее"
	case EduSPO:
		return "среднее профессиональное"
	case EduIncompleteHigher:
		return "незаконченное высшее"
	case EduHigher:
		return "высшее"
	}
	return string(e)
}

// Valid reports whether e is one of Educations.
func (e Education) Valid() bool {
	for _, x := range Educations {
		if e == x {
			return true
		}
	}
	return false
}

// ParseEducation reads the education requirement as «Работа России» writes it
// («Среднее профессиональное», «Высшее», «Незаконченное высшее», «Не указано» …).
// ok is false for a text it does not know; e is then EduNone.
func ParseEducation(s string) (e Education, ok bool) {
	s = strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, "ё", "е")), " "))
	switch {
	case s == "" || s == "-" || strings.HasPrefix(s, "не указ") || strings.HasPrefix(s, "не треб") ||
		s == "неважно" || s == "не важно" || s == "любое" || s == "без образования":
		return EduNone, true
	case Education(s).Valid():
		return Education(s), true
	case strings.Contains(s, "высш") && (strings.Contains(s, "незакон") || strings.Contains(s, "неполн") || strings.Contains(s, "неокон")):
		return EduIncompleteHigher, true
	case strings.Contains(s, "высш") || strings.Contains(s, "бакалавр") || strings.Contains(s, "магистр") ||
		strings.Contains(s, "специалитет") || strings.Contains(s, "послевуз"):
		return EduHigher, true
	case strings.Contains(s, "профессион") || s == "спо" || s == "нпо":
		return EduSPO, true
	case strings.Contains(s, "средн") || strings.Contains(s, "общее"):
		return EduGeneral, true
	}
	return EduNone, false
}

// Vacancy is an open position of an employer.
type Vacancy struct {
	// ID is the vacancy's id at its source (a UUID at «Работа России»); it is
	// unique across sources, so vacancies entered by hand get ids of their own.
	ID             string
	Source         Source
	RegionCode     string // two digits
	KladrCode      string // КЛАДР code of the workplace: 13, 17 or 19 digits, may be empty
	EmployerName   string
	EmployerINN    string
	EmployerOGRN   string
	Title          string // job name
	Specialisation string // sphere of activity of «Работа России», e.g. «Образование, наука»
	SalaryMin      int    // roubles a month; 0 when not stated
	SalaryMax      int    // 0 means no upper bound
	Currency       string // ISO 4217, «RUB» by default
	Schedule       string // «Полный рабочий день», «Сменный график» …
	Employment     string // «Полная занятость», «Частичная занятость» …
	Education      Education
	// Experience is the experience requirement as the source gives it; at
	// «Работа России» it is usually a number of years but not always, so it is kept
	// as text (see ExperienceYears).
	Experience   string
	Duty         string // обязанности, plain text
	Requirements string // требования, plain text
	Address      string
	Lat, Lon     float64 // 0, 0 when unknown
	WorkPlaces   int     // number of positions, at least 1
	Closed       bool    // taken down at the source
	CreatedAt    time.Time
	ModifiedAt   time.Time // date_modify at «Работа России»; zero when unknown
	URL          string
}

// Limits of free text; longer text is cut at a word boundary by Validate,
// since a vacancy is worth keeping even when its description is verbose.
const (
	maxText  = 10000
	maxShort = 500
)

var reDigits = regexp.MustCompile(`^\d+$`)

// ExperienceYears reads Experience as a whole number of years, when it is one.
func (v Vacancy) ExperienceYears() (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(v.Experience))
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// HasLocation reports whether the vacancy has coordinates.
func (v Vacancy) HasLocation() bool { return v.Lat != 0 || v.Lon != 0 }

// Validate normalises and checks every field, reporting all faults at once.
func (v *Vacancy) Validate() error {
	var errs apperr.List
	v.ID = strings.TrimSpace(v.ID)
	v.RegionCode = strings.TrimSpace(v.RegionCode)
	v.KladrCode = strings.TrimSpace(v.KladrCode)
	v.EmployerName = oneLine(v.EmployerName)
	v.EmployerINN = strings.TrimSpace(v.EmployerINN)
	v.EmployerOGRN = strings.TrimSpace(v.EmployerOGRN)
	v.Title = oneLine(v.Title)
	v.Specialisation = oneLine(v.Specialisation)
	v.Currency = NormaliseCurrency(v.Currency)
	v.Schedule = oneLine(v.Schedule)
	v.Employment = oneLine(v.Employment)
	v.Experience = oneLine(v.Experience)
	v.Duty = cut(CleanText(v.Duty), maxText)
	v.Requirements = cut(CleanText(v.Requirements), maxText)
	v.Address = cut(oneLine(v.Address), maxShort)
	v.URL = strings.TrimSpace(v.URL)
	if v.Education == "" {
		v.Education = EduNone
	}
	if !v.CreatedAt.IsZero() {
		v.CreatedAt = v.CreatedAt.UTC()
	}
	if !v.ModifiedAt.IsZero() {
		v.ModifiedAt = v.ModifiedAt.UTC()
	}

	switch {
	case v.ID == "":
		errs.Add("id", "не указан идентификатор вакансии")
	case len(v.ID) > 100:
		errs.Add("id", "идентификатор вакансии длиннее 100 знаков")
	case !utf8.ValidString(v.ID) || strings.IndexFunc(v.ID, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) >= 0:
		errs.Add("id", "идентификатор вакансии «%s» содержит пробелы или непечатаемые знаки", strings.ToValidUTF8(v.ID, "?"))
	}
	if v.Source != Trudvsem && v.Source != Manual {
		errs.Add("source", "источник вакансии должен быть trudvsem или manual, указано «%s»", v.Source)
	}
	if err := classifier.CheckRegionCode("region_code", v.RegionCode); err != nil {
		errs = append(errs, err.(*apperr.Error))
	}
	if v.KladrCode != "" {
		switch n := len(v.KladrCode); {
		case !reDigits.MatchString(v.KladrCode) || (n != 13 && n != 17 && n != 19):
			errs.Add("kladr_code", "код КЛАДР «%s» должен состоять из 13, 17 или 19 цифр", v.KladrCode)
		case v.KladrCode[:2] != v.RegionCode:
			errs.Add("kladr_code", "код КЛАДР «%s» относится к региону %s, а вакансия — к региону %s", v.KladrCode, v.KladrCode[:2], v.RegionCode)
		}
	}
	switch {
	case v.EmployerName == "":
		errs.Add("employer_name", "не указан работодатель")
	case utf8.RuneCountInString(v.EmployerName) > maxShort:
		errs.Add("employer_name", "наименование работодателя длиннее %d знаков", maxShort)
	}
	if v.EmployerINN != "" {
		if err := org.CheckINN(v.EmployerINN); err != nil {
			errs = append(errs, refield("employer_inn", err))
		}
	}
	if v.EmployerOGRN != "" {
		if err := org.CheckOGRN(v.EmployerOGRN); err != nil {
			errs = append(errs, refield("employer_ogrn", err))
		}
	}
	switch {
	case v.Title == "":
		errs.Add("title", "не указано название вакансии")
	case utf8.RuneCountInString(v.Title) > maxShort:
		errs.Add("title", "название вакансии длиннее %d знаков", maxShort)
	}
	if utf8.RuneCountInString(v.Specialisation) > maxShort {
		errs.Add("specialisation", "сфера деятельности длиннее %d знаков", maxShort)
	}
	const maxSalary = 100_000_000
	switch {
	case v.SalaryMin < 0 || v.SalaryMin > maxSalary:
		errs.Add("salary_min", "зарплата «от» %d вне допустимых пределов 0–%d", v.SalaryMin, maxSalary)
	case v.SalaryMax < 0 || v.SalaryMax > maxSalary:
		errs.Add("salary_max", "зарплата «до» %d вне допустимых пределов 0–%d", v.SalaryMax, maxSalary)
	case v.SalaryMax != 0 && v.SalaryMax < v.SalaryMin:
		errs.Add("salary_max", "зарплата «до» %d меньше зарплаты «от» %d", v.SalaryMax, v.SalaryMin)
	}
	if len(v.Currency) != 3 || strings.IndexFunc(v.Currency, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		errs.Add("currency", "валюта «%s» должна быть кодом ISO 4217 из трёх латинских букв, например RUB", v.Currency)
	}
	for _, f := range []struct{ field, label, v string }{
		{"schedule", "график работы", v.Schedule},
		{"employment", "тип занятости", v.Employment},
		{"experience", "требование к опыту", v.Experience},
	} {
		if utf8.RuneCountInString(f.v) > maxShort {
			errs.Add(f.field, "%s длиннее %d знаков", f.label, maxShort)
		}
	}
	if !v.Education.Valid() {
		errs.Add("education", "требование к образованию «%s» не из списка: none, general, spo, incomplete_higher, higher", v.Education)
	}
	if v.Lat < -90 || v.Lat > 90 || v.Lon < -180 || v.Lon > 180 || v.Lat != v.Lat || v.Lon != v.Lon {
		errs.Add("coordinates", "координаты вне допустимых пределов: широта от −90 до 90, долгота от −180 до 180")
	}
	if v.WorkPlaces == 0 {
		v.WorkPlaces = 1
	}
	if v.WorkPlaces < 1 || v.WorkPlaces > 100_000 {
		errs.Add("work_places", "число рабочих мест %d вне пределов 1–100000", v.WorkPlaces)
	}
	if v.URL != "" {
		if u, err := url.Parse(v.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !utf8.ValidString(v.URL) {
			errs.Add("url", "адрес вакансии «%s» должен быть ссылкой http или https", cut(strings.ToValidUTF8(v.URL, "?"), 100))
		} else if len(v.URL) > 2000 {
			errs.Add("url", "адрес вакансии длиннее 2000 знаков")
		}
	}
	return errs.Err()
}

// NormaliseCurrency turns the currency as «Работа России» writes it (««руб.»»,
// «руб», «RUR») into an ISO 4217 code; an empty currency is roubles.
func NormaliseCurrency(s string) string {
	s = strings.Trim(strings.TrimSpace(s), "«»\"'. ")
	switch strings.ToLower(s) {
	case "", "руб", "рубль", "рублей", "р", "₽", "rur", "rub":
		return "RUB"
	case "usd", "$", "долл", "доллар":
		return "USD"
	case "eur", "€", "евро":
		return "EUR"
	}
	return strings.ToUpper(s)
}

// CleanText trims text, drops control characters, collapses runs of spaces and
// keeps at most one empty line between paragraphs.
func CleanText(s string) string {
	if s == "" {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	blank := false
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line = oneLine(line)
		if line == "" {
			blank = true
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
			if blank {
				b.WriteByte('\n')
			}
		}
		blank = false
		b.WriteString(line)
	}
	return strings.TrimSpace(b.String())
}

// oneLine drops control characters and invalid UTF-8 and collapses white space
// into single spaces.
func oneLine(s string) string {
	if clean(s) {
		return s
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// clean reports whether s is already what oneLine makes of it, which most
// fields are; it spares the copies.
func clean(s string) bool {
	prevSpace := true // no leading space
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r):
			return false
		default:
			prevSpace = false
		}
	}
	return !prevSpace || s == ""
}

// refield renames the field of a field error from another package.
func refield(field string, err error) *apperr.Error {
	var e *apperr.Error
	if errors.As(err, &e) {
		return apperr.Field(field, "%s", e.Message)
	}
	return apperr.Field(field, "%s", err.Error())
}

// cut shortens s to at most n runes, at a space when there is one near the end.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	head := string([]rune(s)[:n-1])
	if i := strings.LastIndexFunc(head, unicode.IsSpace); i > len(head)*3/4 {
		head = strings.TrimSpace(head[:i])
	}
	return head + "…"
}
