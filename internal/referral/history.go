package referral

import (
	"marshrut/internal/history"
)

// Changes lists what an edit changed in a service of the catalogue, as its
// form names the fields; old and new are read back with their names.
func Changes(old, new Offering) []history.Change {
	muni := func(o Offering) string {
		if o.MunicipalityID == 0 {
			return "все, что обслуживает центр"
		}
		return o.MunicipalityName
	}
	age := func(o Offering) string { return history.Int(o.AgeMin) + "–" + history.Int(o.AgeMax) + " лет" }
	return history.Diff(
		history.Field("Центр занятости", old.CZNName, new.CZNName),
		history.Field("Вид услуги", old.Kind.Name(), new.Kind.Name()),
		history.Field("Название", old.Name, new.Name),
		history.Field("Для кого", history.Text(old.Audience), history.Text(new.Audience)),
		history.Field("Возраст", age(old), age(new)),
		history.Field("Муниципалитет", muni(old), muni(new)),
		history.Field("Кто проводит", history.Text(old.Provider), history.Text(new.Provider)),
		history.Field("Мест", history.Int(old.Places), history.Int(new.Places)),
		history.Field("Начало", history.Date(old.Start), history.Date(new.Start)),
		history.Field("Окончание", history.Date(old.End), history.Date(new.End)),
		history.Field("Группа программы", history.Text(old.GroupName), history.Text(new.GroupName)),
	)
}
