package measures

import (
	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/history"
)

// Changes lists what an edit changed in a programme, field by field, as the
// programme's form names them; the provider and the customer are read by
// name, money with its roubles.
func Changes(old, new Programme) []history.Change {
	return history.Diff(
		history.Field("Название", old.Name, new.Name),
		history.Field("Профессия (специальность)", old.Profession, new.Profession),
		history.Field("Обучает", history.Text(old.ProviderName), history.Text(new.ProviderName)),
		history.Field("Заказчик", old.Customer.Name(), new.Customer.Name()),
		history.Field("Работодатель или орган — заказчик", history.Text(old.CustomerName), history.Text(new.CustomerName)),
		history.Field("Форма обучения", old.Format.Name(), new.Format.Name()),
		history.Field("Объём, часов", history.Int(old.Hours), history.Int(new.Hours)),
		history.Field("Стоимость обучения одного человека", history.Int(old.Price)+" ₽", history.Int(new.Price)+" ₽"),
	)
}

// EditableBy reports whether the scope may change the programme: the region
// any, an employment centre the programmes it manages.
func (p Programme) EditableBy(sc auth.Scope) bool {
	return sc.WholeRegion() || sc.Role == auth.CZN && sc.OrgID != 0 && sc.OrgID == p.ManagerID
}

// CheckEdit applies the rules of an edit to what the programme already
// holds: once groups are formed, the organisation that teaches them stays;
// once people are enrolled, the price their training was counted at stays.
func CheckEdit(old, new Programme, groups []Group) error {
	if new.ProviderID != old.ProviderID && len(groups) > 0 {
		return apperr.New(apperr.Conflict, "организацию, которая обучает, сменить нельзя: у программы уже %s, их обучает «%s»; для другой организации добавьте новую программу",
			groupsWord(len(groups)), old.ProviderName)
	}
	if new.Price != old.Price && old.Enrolled > 0 {
		return apperr.New(apperr.Conflict, "стоимость обучения изменить нельзя: по программе уже %s, расходы на них посчитаны по %s ₽ за человека; указано %s ₽",
			peopleWord(old.Enrolled), history.Int(old.Price), history.Int(new.Price))
	}
	return nil
}

func groupsWord(n int) string {
	return history.Int(n) + " " + plural(n, "группа", "группы", "групп")
}

func peopleWord(n int) string {
	return "зачислено " + history.Int(n) + " " + plural(n, "человек", "человека", "человек")
}

// plural picks the Russian form of a word for n: 1 группа, 2 группы, 5 групп.
func plural(n int, one, few, many string) string {
	n %= 100
	switch {
	case n >= 11 && n <= 14:
		return many
	case n%10 == 1:
		return one
	case n%10 >= 2 && n%10 <= 4:
		return few
	}
	return many
}
