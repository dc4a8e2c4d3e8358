package targeted

import (
	"strings"

	"marshrut/internal/history"
)

// Changes lists what an edit changed in an offer, field by field, as the
// offer's form names them; old and new are read back with their names.
func Changes(old, new Offer) []history.Change {
	return history.Diff(
		history.Field("Заказчик", old.EmployerName, new.EmployerName),
		history.Field("Колледж или вуз", old.OrgName, new.OrgName),
		history.Field("Специальность", old.SpecialtyCode+" "+old.SpecialtyName, new.SpecialtyCode+" "+new.SpecialtyName),
		history.Field("Мест", history.Int(old.Places), history.Int(new.Places)),
		history.Field("Поддержка", old.Support.words(), new.Support.words()),
		history.Field("Лет отработки", history.Int(old.WorkYears), history.Int(new.WorkYears)),
		history.Field("Место работы", old.Municipality, new.Municipality),
		history.Field("Требования к кандидатам", history.Text(old.Requirements), history.Text(new.Requirements)),
		history.Field("Приём заявок до", history.Date(old.Deadline), history.Date(new.Deadline)),
		history.Field("Год приёма", history.Int(old.Year), history.Int(new.Year)),
		history.Field("Состояние", old.Status.Title(), new.Status.Title()),
	)
}

// words reads the support as the offer's card does: each kind, the stipend
// with its amount.
func (s Support) words() string {
	var parts []string
	for _, k := range s.Kinds() {
		switch k {
		case Stipend:
			parts = append(parts, "стипендия "+history.Int(s.Stipend)+" ₽ в месяц")
		case OtherSupport:
			parts = append(parts, s.Other)
		default:
			parts = append(parts, k.Title())
		}
	}
	if len(parts) == 0 {
		return "нет"
	}
	return strings.Join(parts, ", ")
}
