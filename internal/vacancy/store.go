package vacancy

import "context"

// Item is a vacancy with the links computed for it: the unit of an import.
type Item struct {
	Vacancy Vacancy
	Links   []Link
}

// Upserted counts what a batch did.
type Upserted struct {
	Inserted  int // new ids
	Updated   int // known ids replaced by a newer version (see Merge)
	Unchanged int // known ids whose stored version stays
}

// Filter selects vacancies in a list.
type Filter struct {
	RegionCode    string
	GroupCode     string // linked to the УГС or to one of its specialties
	SpecialtyCode string // linked to the specialty or to its whole group
	Source        Source
	Query         string // part of the title or of the employer's name
	WithClosed    bool   // include vacancies taken down at the source
	Limit, Offset int
}

// Store is what vacancies need from storage. Vacancies are public records, not
// personal data, so reads take no scope.
type Store interface {
	// UpsertVacancies applies a batch in one transaction: an unknown id is
	// inserted, a known one is replaced by the rule of Merge, and the links of
	// every inserted or replaced vacancy are replaced by the item's links.
	UpsertVacancies(ctx context.Context, items []Item) (Upserted, error)
	Reader
}

// Reader is what the pages of vacancies read: a vacancy, a page of them and
// a vacancy's links to specialties.
type Reader interface {
	// Vacancy returns one vacancy, or an apperr.NotFound error.
	Vacancy(ctx context.Context, id string) (Vacancy, error)
	// Vacancies returns a page of the filter's vacancies, newest first, and
	// the total number that match.
	Vacancies(ctx context.Context, f Filter) ([]Vacancy, int, error)
	// Links returns the links of a vacancy, surest first.
	Links(ctx context.Context, vacancyID string) ([]Link, error)
}
