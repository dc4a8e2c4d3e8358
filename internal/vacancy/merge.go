package vacancy

// Newer reports whether the incoming version of a vacancy should replace the
// stored one: it must have been modified later. When neither carries a
// modification date (the flattened CSV has none) the later import wins; a dated
// record is never replaced by an undated one, and on an equal date the stored
// record stays, so that importing the same file twice changes nothing.
func Newer(old, in Vacancy) bool {
	switch {
	case in.ModifiedAt.IsZero() && old.ModifiedAt.IsZero():
		return true
	case in.ModifiedAt.IsZero():
		return false
	case old.ModifiedAt.IsZero():
		return true
	}
	return in.ModifiedAt.After(old.ModifiedAt)
}

// Merge applies an incoming version of a vacancy to the stored one by the rule
// of Newer. Both must have the same ID; when they do not, old is returned
// unchanged. A creation date the incoming version lacks is kept from old.
// changed reports whether the result differs from old.
func Merge(old, in Vacancy) (merged Vacancy, changed bool) {
	if old.ID != in.ID || !Newer(old, in) {
		return old, false
	}
	if in.CreatedAt.IsZero() {
		in.CreatedAt = old.CreatedAt
	}
	return in, !same(old, in)
}

// same compares two vacancies field by field, times by their instant.
func same(a, b Vacancy) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) || !a.ModifiedAt.Equal(b.ModifiedAt) {
		return false
	}
	a.CreatedAt, a.ModifiedAt = b.CreatedAt, b.ModifiedAt
	return a == b
}
