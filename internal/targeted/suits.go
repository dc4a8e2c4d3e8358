package targeted

import (
	"fmt"
	"time"

	"marshrut/internal/learner"
)

// LearnerView is what Suits needs to know of a learner.
type LearnerView struct {
	Status         learner.Status // learner.Pupil or learner.Student; others are not offered places
	Grade          int            // pupils
	SpecialtyCode  string         // students
	OrgID          int64          // where the learner studies
	MunicipalityID int64          // where the learner lives
	GraduationYear int            // students: the expected year; 0 when unknown
}

// ViewOf takes the view of a learner's record.
func ViewOf(l learner.Learner) LearnerView {
	return LearnerView{Status: l.Status, Grade: l.Grade, SpecialtyCode: l.SpecialtyCode, OrgID: l.OrgID,
		MunicipalityID: l.MunicipalityID, GraduationYear: l.GraduationYear}
}

// Suits answers whether an offer suits a learner on the date of now, and why
// in Russian. The offer must be open (published, deadline not passed). A
// pupil fits an offer of СПО in grades 9–11 and of ВО in grades 10–11. A
// student fits an offer of the same specialty, or of the same enlarged group
// (УГС) at the same level, at any organisation, unless the studies end before
// the offer's admission year.
func Suits(o Offer, l LearnerView, now time.Time) (bool, string) {
	switch {
	case o.Status == Draft:
		return false, "предложение ещё не опубликовано"
	case o.Status != Published:
		return false, "приём заявок по предложению закрыт"
	case o.Deadline.IsZero():
		return false, "не указан срок подачи заявок"
	case dayBefore(o.Deadline, now):
		return false, "приём заявок закончился " + o.Deadline.Format("02.01.2006")
	}
	level := o.Level
	if level == "" {
		level = LevelOf(o.SpecialtyCode)
	}
	var why string
	switch l.Status {
	case learner.Pupil:
		lo := 9
		if level == VO {
			lo = 10
		}
		if l.Grade < lo || l.Grade > 11 {
			return false, fmt.Sprintf("предложения %s — для учеников %d–11 классов, указан %d класс", level.Title(), lo, l.Grade)
		}
		why = fmt.Sprintf("предложение %s для учеников %d–11 классов", level.Title(), lo)
	case learner.Student:
		switch {
		case Group(l.SpecialtyCode) == "":
			return false, "не указана специальность, по которой идёт обучение"
		case l.SpecialtyCode == o.SpecialtyCode:
			why = "та же специальность " + o.SpecialtyCode
		case Group(o.SpecialtyCode) != Group(l.SpecialtyCode):
			return false, fmt.Sprintf("специальность %s не из укрупнённой группы %s", o.SpecialtyCode, Group(l.SpecialtyCode))
		case LevelOf(l.SpecialtyCode) != level:
			return false, fmt.Sprintf("предложение уровня %s, а обучение идёт на уровне %s", level.Title(), LevelOf(l.SpecialtyCode).Title())
		default:
			why = fmt.Sprintf("специальность %s из той же укрупнённой группы %s", o.SpecialtyCode, Group(o.SpecialtyCode))
		}
		if l.GraduationYear > 0 && l.GraduationYear < o.Year {
			return false, fmt.Sprintf("обучение заканчивается в %d году, раньше года приёма %d", l.GraduationYear, o.Year)
		}
		if l.OrgID > 0 && l.OrgID == o.OrgID {
			why += "; обучение в той же образовательной организации"
		}
	default:
		return false, "предложения целевого обучения адресованы школьникам и студентам"
	}
	if l.MunicipalityID > 0 && l.MunicipalityID == o.MunicipalityID {
		why += "; место работы — в муниципальном образовании проживания"
	}
	return true, why
}
