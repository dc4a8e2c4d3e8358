package vacancy

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"marshrut/internal/apperr"
	"marshrut/internal/classifier"
)

// LinkKind says what evidence a link rests on.
type LinkKind string

const (
	BySphere     LinkKind = "sphere"     // the sphere of activity, through the crosswalk to УГС
	ByOccupation LinkKind = "occupation" // a known occupation named in the title, through the curated table
	ByTitle      LinkKind = "title"      // words of the title shared with the name of a specialty
)

// Link ties a vacancy to an ОКСО specialty or to a whole enlarged group (УГС)
// whose graduates can fill it.
type Link struct {
	VacancyID string
	// SpecialtyCode is the specialty (XX.YY.ZZ); empty when the link is to the
	// whole group. GroupCode (XX.00.00) is always set.
	SpecialtyCode string
	GroupCode     string
	Kind          LinkKind
	Score         float64 // 0..1, higher is surer
	Reason        string  // a short Russian explanation shown to people
}

// Code is the specialty code of the link, or its group code when it is to a group.
func (l Link) Code() string {
	if l.SpecialtyCode != "" {
		return l.SpecialtyCode
	}
	return l.GroupCode
}

var reGroup = regexp.MustCompile(`^\d{2}\.00\.00$`)

// Validate checks a link, reporting all faults at once.
func (l *Link) Validate() error {
	var errs apperr.List
	l.Reason = strings.TrimSpace(l.Reason)
	if strings.TrimSpace(l.VacancyID) == "" {
		errs.Add("vacancy_id", "не указана вакансия")
	}
	if !reGroup.MatchString(l.GroupCode) {
		errs.Add("group_code", "код УГС «%s» должен иметь вид 00.00.00, например 23.00.00", l.GroupCode)
	}
	if l.SpecialtyCode != "" {
		if err := classifier.CheckSpecialtyCode("specialty_code", l.SpecialtyCode); err != nil {
			errs = append(errs, err.(*apperr.Error))
		} else if len(l.GroupCode) >= 2 && l.SpecialtyCode[:2] != l.GroupCode[:2] {
			errs.Add("specialty_code", "специальность %s не входит в УГС %s", l.SpecialtyCode, l.GroupCode)
		}
	}
	if l.Kind != BySphere && l.Kind != ByOccupation && l.Kind != ByTitle {
		errs.Add("kind", "основание связи должно быть sphere, occupation или title, указано «%s»", l.Kind)
	}
	if !(l.Score >= 0 && l.Score <= 1) {
		errs.Add("score", "оценка связи %g должна быть от 0 до 1", l.Score)
	}
	switch {
	case l.Reason == "":
		errs.Add("reason", "не указано обоснование связи")
	case utf8.RuneCountInString(l.Reason) > 1000:
		errs.Add("reason", "обоснование связи длиннее 1000 знаков")
	}
	return errs.Err()
}
