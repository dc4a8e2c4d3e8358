// Package classifier holds the reference tables every other part of Marshrut speaks in:
// the federal subjects with their «Работа России» codes, municipalities of a region,
// ОКСО specialties of secondary vocational and higher education, and ОКВЭД2.
package classifier

import (
	"context"
	"regexp"
	"strings"

	"marshrut/internal/apperr"
)

// Region is a federal subject. Code is the two-digit code; KladrCode is the
// 13-digit code «Работа России» uses in its region fields and URLs.
type Region struct {
	Code      string
	KladrCode string
	Name      string
	Federal   bool // false only for Байконур, which is listed but not a subject
}

// Municipality is a municipal formation of the installation's region.
type Municipality struct {
	ID         int64
	RegionCode string
	Name       string
	Kind       string // городской округ, муниципальный район, муниципальный округ
	Lat, Lon   float64
}

// Education levels of a specialty.
const (
	LevelProfession = "profession" // СПО, квалифицированные рабочие и служащие (XX.01.YY)
	LevelSpecialty  = "specialty"  // СПО, специалисты среднего звена (XX.02.YY)
	LevelBachelor   = "bachelor"   // XX.03.YY
	LevelMaster     = "master"     // XX.04.YY
	LevelSpecialist = "specialist" // специалитет, XX.05.YY
)

// LevelName is the Russian name of an education level.
var LevelName = map[string]string{
	LevelProfession: "СПО: профессия",
	LevelSpecialty:  "СПО: специальность",
	LevelBachelor:   "бакалавриат",
	LevelMaster:     "магистратура",
	LevelSpecialist: "специалитет",
}

// Specialty is an ОКСО code of a profession, specialty or programme, with its
// enlarged group (УГС, XX.00.00).
type Specialty struct {
	Code      string
	Name      string
	Level     string
	GroupCode string
	GroupName string
}

// IsSPO reports whether the specialty belongs to secondary vocational education.
func (s Specialty) IsSPO() bool { return s.Level == LevelProfession || s.Level == LevelSpecialty }

// Activity is a line of ОКВЭД2. A section (раздел) has a letter and no code.
type Activity struct {
	Section string
	Code    string
	Level   string
	Name    string
}

var (
	reRegion    = regexp.MustCompile(`^\d{2}$`)
	reKladr     = regexp.MustCompile(`^\d{13}$`)
	reSpecialty = regexp.MustCompile(`^\d{2}\.\d{2}\.\d{2}$`)
	reOKVED     = regexp.MustCompile(`^\d{2}(\.\d{1,2}){0,3}$`)
)

// LevelOfCode derives the level from the middle part of an ОКСО code.
func LevelOfCode(code string) string {
	if !reSpecialty.MatchString(code) {
		return ""
	}
	switch code[3:5] {
	case "01":
		return LevelProfession
	case "02":
		return LevelSpecialty
	case "03":
		return LevelBachelor
	case "04":
		return LevelMaster
	case "05":
		return LevelSpecialist
	}
	return ""
}

// CheckSpecialtyCode validates the shape of an ОКСО code: XX.YY.ZZ.
func CheckSpecialtyCode(field, code string) error {
	if !reSpecialty.MatchString(code) {
		return apperr.Field(field, "код специальности «%s» должен иметь вид 00.00.00, например 15.02.08", code)
	}
	if LevelOfCode(code) == "" {
		return apperr.Field(field, "код «%s» не является кодом профессии или специальности СПО (XX.01.YY, XX.02.YY) или направления ВО (XX.03–05.YY)", code)
	}
	return nil
}

// CheckRegionCode validates a two-digit region code.
func CheckRegionCode(field, code string) error {
	if !reRegion.MatchString(code) {
		return apperr.Field(field, "код региона «%s» должен состоять из двух цифр, например 41", code)
	}
	return nil
}

// CheckOKVED validates the shape of an ОКВЭД2 code such as 62.01 or 01.11.1.
func CheckOKVED(field, code string) error {
	if !reOKVED.MatchString(code) {
		return apperr.Field(field, "код ОКВЭД2 «%s» должен иметь вид 00, 00.0, 00.00 или 00.00.0", code)
	}
	return nil
}

// RegionFromKladr turns a 13-digit «Работа России» region code into the two-digit code.
func RegionFromKladr(kladr string) (string, error) {
	kladr = strings.TrimSpace(kladr)
	if !reKladr.MatchString(kladr) {
		return "", apperr.Field("region_code", "код региона «Работы России» «%s» должен состоять из 13 цифр", kladr)
	}
	return kladr[:2], nil
}

// Municipalities lists the municipalities of a region, as the filters of
// pages offer them.
type Municipalities interface {
	Municipalities(ctx context.Context, regionCode string) ([]Municipality, error)
}
