package measures

import (
	"reflect"
	"strings"
	"testing"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/history"
)

func TestProgrammeChanges(t *testing.T) {
	old := Programme{Name: "Повар", ProviderName: "АНО ДПО «Профи»", Customer: B2G, Profession: "Повар", Hours: 144, Format: Mixed, Price: 25000}
	new := old
	new.Customer, new.CustomerName, new.Price = B2B, "ООО «Камчатрыбпром»", 30000
	want := []history.Change{
		{Field: "Заказчик", Old: "B2G — государство", New: "B2B — работодатель"},
		{Field: "Работодатель или орган — заказчик", Old: "—", New: "ООО «Камчатрыбпром»"},
		{Field: "Стоимость обучения одного человека", Old: "25 000 ₽", New: "30 000 ₽"},
	}
	if got := Changes(old, new); !reflect.DeepEqual(got, want) {
		t.Errorf("Changes = %+v, want %+v", got, want)
	}
	if got := Changes(old, old); got != nil {
		t.Errorf("an unchanged programme gave %+v", got)
	}
}

func TestProgrammeEditRules(t *testing.T) {
	old := Programme{ProviderID: 5, ProviderName: "КПТ", Price: 25000, Enrolled: 3, ManagerID: 9}
	groups := []Group{{ID: 1}, {ID: 2}}
	moved := old
	moved.ProviderID = 6
	if err := CheckEdit(old, moved, groups); !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.Text(err), "2 группы") {
		t.Errorf("a new provider with groups: %v", err)
	}
	if err := CheckEdit(old, moved, nil); err != nil {
		t.Errorf("a new provider without groups: %v", err)
	}
	dearer := old
	dearer.Price = 30000
	if err := CheckEdit(old, dearer, groups); !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.Text(err), "зачислено 3 человека") {
		t.Errorf("a new price with people enrolled: %v", err)
	}
	for _, c := range []struct {
		sc   auth.Scope
		edit bool
	}{
		{auth.Scope{Role: auth.Region}, true},
		{auth.Scope{Role: auth.CZN, OrgID: 9}, true},
		{auth.Scope{Role: auth.CZN, OrgID: 8}, false},
		{auth.Scope{Role: auth.College, OrgID: 5}, false},
	} {
		if got := old.EditableBy(c.sc); got != c.edit {
			t.Errorf("%s %d edits: %v, want %v", c.sc.Role, c.sc.OrgID, got, c.edit)
		}
	}
}
