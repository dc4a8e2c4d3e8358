package mentor

import (
	"strings"
	"testing"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

func TestMentorEditRules(t *testing.T) {
	old := Mentor{OrgID: 1, OrgName: "КПТ", EmployerID: 7, EmployerName: "Камчатрыбпром", Kind: Staff, Capacity: 3, Load: 2}
	for _, c := range []struct {
		name string
		edit func(m *Mentor)
		want string
	}{
		{"college", func(m *Mentor) { m.OrgID = 2 }, "2 действующие пары"},
		{"kind", func(m *Mentor) { m.Kind, m.EmployerID = Teacher, 0 }, "«сотрудник предприятия» → «педагог»"},
		{"employer", func(m *Mentor) { m.EmployerID = 8 }, "«Камчатрыбпром»"},
		{"capacity", func(m *Mentor) { m.Capacity = 1 }, "указано 1"},
	} {
		m := old
		c.edit(&m)
		if err := CheckEdit(old, m); !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.Text(err), c.want) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	free := old
	free.Load = 0
	moved := free
	moved.OrgID, moved.Capacity = 2, 1
	if err := CheckEdit(free, moved); err != nil {
		t.Errorf("a mentor without pairs: %v", err)
	}
	if got := Changes(old, old); got != nil {
		t.Errorf("an unchanged mentor gave %+v", got)
	}
	for _, c := range []struct {
		sc   auth.Scope
		edit bool
	}{
		{auth.Scope{Role: auth.Region}, true},
		{auth.Scope{Role: auth.College, OrgID: 1}, true},
		{auth.Scope{Role: auth.College, OrgID: 2}, false},
		{auth.Scope{Role: auth.Employer, OrgID: 7}, true},
		{auth.Scope{Role: auth.Employer, OrgID: 8}, false},
		{auth.Scope{Role: auth.Learner, LearnerID: 4}, false},
	} {
		if got := old.EditableBy(c.sc); got != c.edit {
			t.Errorf("%s %d edits: %v, want %v", c.sc.Role, c.sc.OrgID, got, c.edit)
		}
	}
}
