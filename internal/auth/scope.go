// Package auth holds who is asking: users, roles, the scope of what each role may
// see, sessions, API tokens and the audit log of reads of personal records.
package auth

// Role is what a user is in the region.
type Role string

const (
	Admin      Role = "admin"
	Region     Role = "region"
	CZN        Role = "czn"
	School     Role = "school"
	College    Role = "college"
	University Role = "university"
	Employer   Role = "employer"
	Expert     Role = "expert"
	Learner    Role = "learner"
	// Guardian is a parent or legal guardian of a minor learner: it sees
	// what the child sees and gives the consents the law asks of a parent.
	Guardian Role = "guardian"
	Federal  Role = "federal"
	// System is the program itself acting from the command line (import, demo,
	// scheduled jobs); it is never a user's role.
	System Role = "system"
)

// Roles lists the roles a user can have, in the order pages show them.
var Roles = []Role{Admin, Region, CZN, School, College, University, Employer, Expert, Learner, Guardian, Federal}

// Name is the Russian name of the role.
func (r Role) Name() string {
	switch r {
	case Admin:
		return "Администратор"
	case Region:
		return "Министерство / региональный кадровый центр"
	case CZN:
		return "Центр занятости"
	case School:
		return "Школа"
	case College:
		return "Колледж"
	case University:
		return "Вуз"
	case Employer:
		return "Работодатель"
	case Expert:
		return "Эксперт"
	case Learner:
		return "Обучающийся"
	case Guardian:
		return "Родитель (законный представитель)"
	case Federal:
		return "Федеральный оператор"
	case System:
		return "Система"
	}
	return string(r)
}

// Valid reports whether r is a user role.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if v == r {
			return true
		}
	}
	return false
}

// NeedsOrg reports whether a user of this role belongs to one organisation.
func (r Role) NeedsOrg() bool {
	switch r {
	case School, College, University, Employer, CZN:
		return true
	}
	return false
}

// Scope is what a caller may see. Stores turn it into conditions of their queries,
// so that a record outside the scope is never read, not merely hidden later.
type Scope struct {
	UserID         int64
	Role           Role
	RegionCode     string
	OrgID          int64   // school, college, university, employer, czn
	Municipalities []int64 // czn: the municipalities the centre serves
	LearnerID      int64   // learner: the person themself; guardian: the child
	From           string  // the client's address, for the audit log
}

// SystemScope is the scope of the program's own work from the command line.
func SystemScope(region string) Scope { return Scope{Role: System, RegionCode: region} }

// SeesPersons reports whether the scope can ever return a person's record.
func (s Scope) SeesPersons() bool {
	switch s.Role {
	case Admin, Region, System, CZN, School, College, University, Employer, Learner, Guardian:
		return true
	}
	return false
}

// Own reports whether the scope is one young person's own: the learner
// themself or their parent, who sees what the child sees.
func (s Scope) Own() bool { return s.Role == Learner || s.Role == Guardian }

// WholeRegion reports whether the scope covers every person of the region.
func (s Scope) WholeRegion() bool {
	return s.Role == Admin || s.Role == Region || s.Role == System
}

// CanManageOrganisations reports whether the scope may add and edit any organisation.
func (s Scope) CanManageOrganisations() bool { return s.WholeRegion() }

// CanEditLearners reports whether the scope may create and change learners' records
// (only within what it sees).
func (s Scope) CanEditLearners() bool {
	switch s.Role {
	case Admin, Region, System, School, College, University:
		return true
	}
	return false
}

// CanRecordOutcomes reports whether the scope may record employment outcomes.
func (s Scope) CanRecordOutcomes() bool {
	switch s.Role {
	case Admin, Region, System, College, University, CZN:
		return true
	}
	return false
}

// Manages reports whether the scope may act on u's account (disable, reset,
// revoke tokens, end sessions): an administrator on anyone, the regional
// ministry on the users of its region except administrators.
func Manages(sc Scope, u User) bool {
	switch sc.Role {
	case Admin:
		return true
	case Region:
		return u.RegionCode == sc.RegionCode && u.Role != Admin
	}
	return false
}
