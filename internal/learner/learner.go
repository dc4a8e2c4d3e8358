// Package learner holds the people Marshrut follows — pupils, students and
// graduates — with their route through education as dated stages and their
// employment after it as a history of outcomes.
package learner

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"marshrut/internal/apperr"
	"marshrut/internal/classifier"
)

// Status is where a learner stands now.
type Status string

const (
	Pupil    Status = "pupil"
	Student  Status = "student"
	Graduate Status = "graduate"
)

// Statuses lists every status in route order.
var Statuses = []Status{Pupil, Student, Graduate}

// Name is the Russian name of the status.
func (s Status) Name() string {
	switch s {
	case Pupil:
		return "Школьник"
	case Student:
		return "Студент"
	case Graduate:
		return "Выпускник"
	}
	return string(s)
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool { return s == Pupil || s == Student || s == Graduate }

// Form is the form of study.
type Form string

const (
	FullTime Form = "full_time" // очная
	Mixed    Form = "mixed"     // очно-заочная
	Distance Form = "distance"  // заочная
)

// Name is the Russian name of the form of study.
func (f Form) Name() string {
	switch f {
	case FullTime:
		return "очная"
	case Mixed:
		return "очно-заочная"
	case Distance:
		return "заочная"
	}
	return string(f)
}

// Learner is a person on the route.
type Learner struct {
	ID             int64
	RegionCode     string
	LastName       string
	FirstName      string
	MiddleName     string
	Sex            string // "м", "ж", or "" when unknown
	BirthDate      time.Time
	SNILS          string // digits only; kept in this record and nowhere else
	Status         Status
	OrgID          int64 // school, college or university where the learner is (or was last)
	OrgName        string
	MunicipalityID int64 // where the learner lives
	Municipality   string
	Grade          int    // pupils: 1–11
	SpecialtyCode  string // students and graduates
	SpecialtyName  string
	Course         int    // students: 1–6
	Group          string // students: the study group, «ТМ-24»
	Form           Form
	GraduationYear int     // students: expected; graduates: actual
	Disability     bool    // ОВЗ
	ExternalID     string  // the learner's number in the organisation's own records
	AvgGrade       float64 // students and graduates: average grade 2.0–5.0; 0 unknown
	DemoExam       int     // students and graduates: demonstration exam score 1–100; 0 not taken
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Current is the latest outcome of a graduate; After6 and After12 the
	// statuses six and twelve months after graduation. The store keeps them in
	// step with the outcome history.
	Current, After6, After12 OutcomeStatus
	// StatusNext is the day Current may next change; SameEmployer tells that
	// a graduate at work six months on works for the same employer at twelve.
	StatusNext   time.Time
	SameEmployer bool
}

// SetMilestones keeps the learner's statuses as m reads them.
func (l *Learner) SetMilestones(m Milestones) {
	l.Current, l.After6, l.After12, l.StatusNext, l.SameEmployer = m.Current, m.After6, m.After12, m.Next, m.SameEmployer()
}

// FullName is «Фамилия Имя Отчество».
func (l Learner) FullName() string {
	return strings.TrimSpace(strings.Join([]string{l.LastName, l.FirstName, l.MiddleName}, " "))
}

// Validate normalises and checks every field, reporting all faults at once.
// now is the date against which ages and years are judged.
func (l *Learner) Validate(now time.Time) error {
	var errs apperr.List
	l.LastName, l.FirstName, l.MiddleName = cleanName(l.LastName), cleanName(l.FirstName), cleanName(l.MiddleName)
	checkName := func(field, label, v string, required bool) {
		switch {
		case v == "" && required:
			errs.Add(field, "укажите %s", label)
		case utf8.RuneCountInString(v) > 100:
			errs.Add(field, "%s длиннее 100 знаков", label)
		case v != "" && !isName(v):
			errs.Add(field, "%s «%s» может содержать только буквы, пробел, дефис, точку и апостроф", label, v)
		}
	}
	checkName("last_name", "фамилию", l.LastName, true)
	checkName("first_name", "имя", l.FirstName, true)
	checkName("middle_name", "отчество", l.MiddleName, false)
	if err := classifier.CheckRegionCode("region_code", l.RegionCode); err != nil {
		errs = append(errs, err.(*apperr.Error))
	}
	// Sex is unknown ("") when neither the source nor a patronymic tells it.
	if l.Sex != "м" && l.Sex != "ж" && l.Sex != "" {
		errs.Add("sex", "пол должен быть «м», «ж» или не указан")
	}
	if l.BirthDate.IsZero() {
		errs.Add("birth_date", "укажите дату рождения")
	} else if age := YearsBetween(l.BirthDate, now); age < 5 || age > 80 {
		errs.Add("birth_date", "дата рождения %s даёт возраст %d лет; ожидается от 5 до 80", l.BirthDate.Format("02.01.2006"), age)
	}
	if l.SNILS != "" {
		s, err := NormaliseSNILS(l.SNILS)
		if err != nil {
			errs = append(errs, err.(*apperr.Error))
		}
		l.SNILS = s
	}
	if l.MunicipalityID <= 0 {
		errs.Add("municipality_id", "укажите муниципальное образование проживания")
	}
	switch l.Status {
	case Pupil:
		if l.Grade < 1 || l.Grade > 11 {
			errs.Add("grade", "класс школьника должен быть от 1 до 11, указано %d", l.Grade)
		}
		if l.OrgID <= 0 {
			errs.Add("org_id", "укажите школу")
		}
		l.SpecialtyCode, l.Course, l.Form = "", 0, ""
	case Student, Graduate:
		if l.OrgID <= 0 {
			errs.Add("org_id", "укажите образовательную организацию")
		}
		if err := classifier.CheckSpecialtyCode("specialty_code", l.SpecialtyCode); err != nil {
			errs = append(errs, err.(*apperr.Error))
		}
		if l.Form != FullTime && l.Form != Mixed && l.Form != Distance {
			errs.Add("form", "форма обучения должна быть очной, очно-заочной или заочной")
		}
		y := now.Year()
		if l.Status == Student {
			if l.Course < 1 || l.Course > 6 {
				errs.Add("course", "курс должен быть от 1 до 6, указан %d", l.Course)
			}
			if l.GraduationYear < y || l.GraduationYear > y+6 {
				errs.Add("graduation_year", "ожидаемый год выпуска %d вне диапазона %d–%d", l.GraduationYear, y, y+6)
			}
		} else {
			l.Course = 0
			if l.GraduationYear < 1970 || l.GraduationYear > y {
				errs.Add("graduation_year", "год выпуска %d вне диапазона 1970–%d", l.GraduationYear, y)
			}
		}
		l.Grade = 0
	default:
		errs.Add("status", "статус должен быть pupil, student или graduate, указано «%s»", l.Status)
	}
	if l.AvgGrade != 0 && (l.AvgGrade < 2 || l.AvgGrade > 5) {
		errs.Add("avg_grade", "средний балл должен быть от 2 до 5, указано %.2f", l.AvgGrade)
	}
	if l.DemoExam < 0 || l.DemoExam > 100 {
		errs.Add("demo_exam", "балл демонстрационного экзамена должен быть от 1 до 100, указано %d", l.DemoExam)
	}
	return errs.Err()
}

func cleanName(s string) string { return strings.Join(strings.Fields(s), " ") }

func isName(s string) bool {
	for _, r := range s {
		// Names of every language: letters with their combining marks, and
		// the dot of «Сен-Мартен Ж.».
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && r != ' ' && r != '-' && r != '\'' && r != '’' && r != '.' {
			return false
		}
	}
	return true
}

// YearsBetween is the age in full years at the date now.
func YearsBetween(birth, now time.Time) int {
	y := now.Year() - birth.Year()
	if now.Month() < birth.Month() || (now.Month() == birth.Month() && now.Day() < birth.Day()) {
		y--
	}
	return y
}

// NormaliseSNILS strips separators from a СНИЛС («123-456-789 64») and checks its
// control number; it returns the 11 digits.
func NormaliseSNILS(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-' || r == ' ' || r == '\u00a0':
		default:
			return "", apperr.Field("snils", "СНИЛС «%s» может содержать только цифры, дефисы и пробелы", s)
		}
	}
	d := b.String()
	if len(d) != 11 {
		return "", apperr.Field("snils", "СНИЛС «%s» должен состоять из 11 цифр", s)
	}
	if SNILSCheck(d[:9]) != int(d[9]-'0')*10+int(d[10]-'0') {
		return "", apperr.Field("snils", "СНИЛС «%s» не проходит проверку контрольного числа", s)
	}
	return d, nil
}

// SNILSCheck computes the control number of the nine-digit body of a СНИЛС,
// as the Пенсионный фонд defines it: digits weighted 9 down to 1, the sum
// taken as is below 100, as 00 at 100 and 101, and modulo 101 above.
func SNILSCheck(body string) int {
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(body[i]-'0') * (9 - i)
	}
	for sum > 101 {
		sum %= 101
	}
	if sum == 100 || sum == 101 {
		return 0
	}
	return sum
}

// FormatSNILS shows 11 digits as «123-456-789 64».
func FormatSNILS(d string) string {
	if len(d) != 11 {
		return d
	}
	return d[:3] + "-" + d[3:6] + "-" + d[6:9] + " " + d[9:]
}

// Key identifies a learner in an import: by СНИЛС when there is one, otherwise
// by the organisation and the learner's number in its records.
type Key struct {
	SNILS      string
	OrgID      int64
	ExternalID string
}

// KeyOf returns the import key of a learner, and false when it has none.
func KeyOf(l Learner) (Key, bool) {
	switch {
	case l.SNILS != "":
		return Key{SNILS: l.SNILS}, true
	case l.ExternalID != "":
		return Key{OrgID: l.OrgID, ExternalID: l.ExternalID}, true
	}
	return Key{}, false
}

// SameRecord reports whether an import would change nothing in stored.
func SameRecord(stored, in Learner) bool {
	return stored.LastName == in.LastName && stored.FirstName == in.FirstName && stored.MiddleName == in.MiddleName &&
		stored.Sex == in.Sex && stored.BirthDate.Equal(in.BirthDate) && stored.SNILS == in.SNILS && stored.Status == in.Status &&
		stored.OrgID == in.OrgID && stored.MunicipalityID == in.MunicipalityID && stored.Grade == in.Grade &&
		stored.SpecialtyCode == in.SpecialtyCode && stored.Course == in.Course && stored.Form == in.Form &&
		stored.GraduationYear == in.GraduationYear && stored.Disability == in.Disability && stored.ExternalID == in.ExternalID &&
		stored.Group == in.Group
}
