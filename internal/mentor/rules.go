package mentor

import (
	"marshrut/internal/apperr"
	"marshrut/internal/learner"
)

// Mentee is what the rules of a pair need to know of a learner mentee.
type Mentee struct {
	ID        int64
	Name      string
	OrgID     int64
	Status    learner.Status
	Form      learner.Form
	Specialty string
}

// Reach is what a new pair is checked against, read inside the transaction
// that writes it, so that two coordinators cannot both take a mentor's last
// place.
type Reach struct {
	Programme Programme
	// Mentor carries in Load the mentor's active pairs, those written earlier
	// in the same batch included.
	Mentor Mentor
	// Mentee is nil for a colleague (teacher–teacher).
	Mentee *Mentee
	// Busy reports that the mentee already has an active pair in the programme.
	Busy bool
}

// CheckPair applies the rules of a pair: the mentor serves the programme's
// organisation, is of the form's kind and has a free place; a learner mentee
// studies there (a pupil mentored by a student may come from any school), has
// no active pair in the programme yet, and is a student where the form says
// so. On success it fills the pair's programme fields and the mentee's name.
func CheckPair(p *Pair, r Reach) error {
	prog, m := r.Programme, r.Mentor
	var errs apperr.List
	if m.OrgID != prog.OrgID {
		errs.Add("mentor_id", "наставник «%s» закреплён за другой образовательной организацией; пары программы «%s» составляются с её наставниками", m.FullName, prog.Title)
	}
	if !m.Active {
		errs.Add("mentor_id", "наставник «%s» больше не работает в программах наставничества", m.FullName)
	}
	if want := prog.Form.MentorKind(); m.Kind != want {
		errs.Add("mentor_id", "в форме «%s» наставник — %s, а «%s» — %s", prog.Form.Title(), want.Title(), m.FullName, m.Kind.Title())
	}
	switch {
	case !prog.Form.LearnerMentee():
		if p.LearnerID != 0 {
			errs.Add("learner_id", "в форме «учитель — учитель» наставляемый — педагог, а не обучающийся")
		}
		if p.MenteeName == "" {
			errs.Add("mentee_name", "укажите фамилию, имя и отчество наставляемого педагога")
		}
	case r.Mentee == nil:
		errs.Add("learner_id", "укажите обучающегося — наставляемого")
	default:
		checkMentee(&errs, prog, *r.Mentee)
		if r.Busy {
			errs.Add("learner_id", "у обучающегося %s уже есть действующий наставник в программе «%s»", r.Mentee.Name, prog.Title)
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if m.Load >= m.Capacity {
		return apperr.New(apperr.Conflict, "у наставника «%s» уже %d из %d наставляемых: новая пара превысит его нагрузку", m.FullName, m.Load, m.Capacity)
	}
	p.RegionCode, p.Form, p.OrgID, p.EmployerID = prog.RegionCode, prog.Form, prog.OrgID, m.EmployerID
	if r.Mentee != nil {
		p.MenteeName = r.Mentee.Name
	}
	return nil
}

func checkMentee(errs *apperr.List, prog Programme, e Mentee) {
	switch prog.Form {
	case StudentPupil:
		if e.Status != learner.Pupil {
			errs.Add("learner_id", "в форме «студент — ученик» наставляемый — школьник, а %s — %s", e.Name, lower(e.Status.Name()))
		}
		return
	case EmployerStudent:
		if e.Status != learner.Student {
			errs.Add("learner_id", "в форме «работодатель — студент» наставляемый — студент, а %s — %s", e.Name, lower(e.Status.Name()))
		}
	default:
		if e.Status == learner.Graduate {
			errs.Add("learner_id", "%s уже окончил обучение: наставляемым может быть только обучающийся", e.Name)
		}
	}
	if e.OrgID != prog.OrgID {
		errs.Add("learner_id", "%s учится в другой образовательной организации: пару с ним составляет её координатор", e.Name)
	}
}

func lower(s string) string {
	r := []rune(s)
	if len(r) > 0 && r[0] >= 'А' && r[0] <= 'Я' {
		r[0] += 'а' - 'А'
	}
	return string(r)
}
