package routing

import "marshrut/internal/auth"

// MayAskApplicants reports whether the scope may ever see the candidates for
// a vacancy: the region, employment centres and employers. The rest (pupils
// and students, schools, colleges, experts, the federal operator) may not:
// a candidate's specialty, grades, exam score, practice and mentor are
// enough to recognise a classmate.
func MayAskApplicants(sc auth.Scope) bool {
	return sc.WholeRegion() || sc.Role == auth.CZN && sc.OrgID != 0 || sc.Role == auth.Employer && sc.OrgID != 0
}

// MaySeeApplicants reports whether the scope may see the candidates for the
// vacancy p; callerINN is the INN of the caller's organisation. An employer
// sees those for its own vacancies only.
func MaySeeApplicants(sc auth.Scope, callerINN string, p Place) bool {
	switch {
	case !MayAskApplicants(sc):
		return false
	case sc.Role == auth.Employer:
		return callerINN != "" && callerINN == p.EmployerINN
	}
	return true
}
