package cluster

import (
	"strconv"
	"strings"

	"marshrut/internal/history"
)

// Changes lists what an edit changed in a cluster of the registry, as its
// form names the fields: the organisations and specialties by name, the
// money of each year and the equipment item by item.
func Changes(old, new Cluster) []history.Change {
	return history.Diff(
		history.Field("Название", old.Name, new.Name),
		history.Field("Отрасль", old.Industry.Title(), new.Industry.Title()),
		history.Field("Вид", old.Kind.Title(), new.Kind.Title()),
		history.Field("Год создания", strconv.Itoa(old.Year), strconv.Itoa(new.Year)),
		history.Field("Базовая организация", old.BaseOrg, new.BaseOrg),
		history.Field("Колледжи-участники", orgNames(old.Members), orgNames(new.Members)),
		history.Field("Якорные работодатели", orgNames(old.Employers), orgNames(new.Employers)),
		history.Field("Специальности", specialties(old.Specialties), specialties(new.Specialties)),
		history.Field("Финансирование", funding(old.Funding), funding(new.Funding)),
		history.Field("Оборудование", equipment(old.Equipment), equipment(new.Equipment)),
	)
}

func orgNames(os []Org) string {
	names := make([]string, len(os))
	for i, o := range os {
		names[i] = o.Name
	}
	return list(names)
}

func specialties(ss []Specialty) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Code + " " + s.Name
	}
	return list(out)
}

func funding(fs []Funding) string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = strconv.Itoa(f.Year) + ": федеральные " + money(f.Federal) + ", региональные " + money(f.Regional) + ", работодателей " + money(f.Employers)
	}
	return list(out)
}

func equipment(es []Equipment) string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Name + ", " + history.Int(e.Quantity) + " шт., " + money(e.Cost) + " (" + strconv.Itoa(e.Year) + ")"
	}
	return list(out)
}

func money(rub int64) string { return history.Int(int(rub)) + " ₽" }

func list(items []string) string {
	if len(items) == 0 {
		return "—"
	}
	return strings.Join(items, "; ")
}
