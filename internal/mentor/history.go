package mentor

import (
	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/history"
)

// Changes lists what an edit changed in a mentor, field by field, as the
// mentor's form names them; organisations are read by name, the specialty
// with its code.
func Changes(old, new Mentor) []history.Change {
	return history.Diff(
		history.Field("Образовательная организация", old.OrgName, new.OrgName),
		history.Field("Кто наставник", old.Kind.Title(), new.Kind.Title()),
		history.Field("Предприятие", history.Text(old.EmployerName), history.Text(new.EmployerName)),
		history.Field("Фамилия, имя, отчество", old.FullName, new.FullName),
		history.Field("Должность", history.Text(old.Position), history.Text(new.Position)),
		history.Field("Специальность по ОКСО", old.specialty(), new.specialty()),
		history.Field("Наставляемых одновременно", history.Int(old.Capacity), history.Int(new.Capacity)),
		history.Field("Ведёт наставничество", history.Bool(old.Active), history.Bool(new.Active)),
	)
}

// specialty reads the mentor's specialty as the list of mentors does.
func (m Mentor) specialty() string {
	if m.SpecialtyCode == "" {
		return "любая"
	}
	if m.SpecialtyName == "" {
		return m.SpecialtyCode
	}
	return m.SpecialtyCode + " " + m.SpecialtyName
}

// EditableBy reports whether the scope may change the mentor: whoever may
// register them — the region, the education organisation whose programmes
// they serve, and the enterprise where a staff mentor works.
func (m Mentor) EditableBy(sc auth.Scope) bool {
	switch {
	case sc.WholeRegion():
		return true
	case sc.Role == auth.Employer:
		return sc.OrgID != 0 && sc.OrgID == m.EmployerID
	}
	return CanCoordinate(sc) && sc.OrgID == m.OrgID
}

// CheckEdit applies the rules of an edit to a mentor with active pairs: the
// pairs were made with their organisation, their kind and their enterprise,
// so these stay until the pairs end, and the mentees at once cannot fall
// below the active pairs.
func CheckEdit(old, new Mentor) error {
	if old.Load == 0 {
		return nil
	}
	pairs := pairsWord(old.Load)
	switch {
	case new.OrgID != old.OrgID:
		return apperr.New(apperr.Conflict, "образовательную организацию наставника сменить нельзя: у него %s в программах «%s»; сначала завершите их", pairs, old.OrgName)
	case new.Kind != old.Kind:
		return apperr.New(apperr.Conflict, "изменить, кто наставник («%s» → «%s»), нельзя: у него %s; сначала завершите их", old.Kind.Title(), new.Kind.Title(), pairs)
	case new.EmployerID != old.EmployerID:
		return apperr.New(apperr.Conflict, "предприятие наставника сменить нельзя: у него %s с предприятием «%s»; сначала завершите их", pairs, old.EmployerName)
	case new.Capacity < old.Load:
		return apperr.New(apperr.Conflict, "наставляемых одновременно не может быть меньше действующих пар: у наставника %s, указано %d", pairs, new.Capacity)
	}
	return nil
}

// pairsWord is «1 действующая пара», «3 действующие пары», «5 действующих пар».
func pairsWord(n int) string {
	w := "действующих пар"
	switch m := n % 100; {
	case m >= 11 && m <= 14:
	case m%10 == 1:
		w = "действующая пара"
	case m%10 >= 2 && m%10 <= 4:
		w = "действующие пары"
	}
	return history.Int(n) + " " + w
}
