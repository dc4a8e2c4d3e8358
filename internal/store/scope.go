package store

import (
	"strconv"
	"strings"

	"marshrut/internal/auth"
)

// args collects query parameters and hands out their $n placeholders.
type args []any

// add appends v and returns its placeholder.
func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// in returns a placeholder list "$3, $4, $5" for ids.
func (a *args) in(ids []int64) string {
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = a.add(id)
	}
	return strings.Join(ph, ", ")
}

// learnerScope is the condition that keeps a query on table alias l (learner)
// inside what the caller may see. It is the single place where roles become
// SQL; every query that can return a person goes through it.
func learnerScope(sc auth.Scope, l string, a *args) string {
	if !sc.SeesPersons() {
		// Federal operators and experts never see a person; an empty role sees nothing.
		return "1 = 0"
	}
	region := l + ".region_code = " + a.add(sc.RegionCode)
	switch sc.Role {
	case auth.Admin, auth.Region, auth.System:
		return region
	case auth.School, auth.College, auth.University:
		return region + " AND " + l + ".org_id = " + a.add(sc.OrgID)
	case auth.CZN:
		if len(sc.Municipalities) == 0 {
			return region + " AND 1 = 0" // the region's argument is used: PostgreSQL refuses one left over
		}
		return region + " AND " + l + ".municipality_id IN (" + a.in(sc.Municipalities) + ")"
	case auth.Employer:
		// An employer sees the people who work or had practice with it:
		// found from the employer's side (by the indexes on employer_id and
		// org_id), not by asking of every learner of the region.
		org := a.add(sc.OrgID)
		return region + " AND " + l + ".id IN (SELECT eo.learner_id FROM outcome eo WHERE eo.employer_id = " + org +
			" UNION SELECT es.learner_id FROM learner_stage es WHERE es.org_id = " + org + ")"
	case auth.Learner, auth.Guardian:
		return region + " AND " + l + ".id = " + a.add(sc.LearnerID)
	}
	return region + " AND 1 = 0"
}

// inInts returns a placeholder list for integers.
func (a *args) inInts(ns []int) string {
	ph := make([]string, len(ns))
	for i, n := range ns {
		ph[i] = a.add(n)
	}
	return strings.Join(ph, ", ")
}
