// Package analytics computes the region's key figures from the data: counts,
// coverage and employment rates on the level of the region, a municipality or
// an organisation. It reads aggregates only and never returns a person.
package analytics

import "context"

// Overview is the size of the region's data.
type Overview struct {
	Organisations map[string]int // by org kind
	Learners      map[string]int // by learner status
	Stages        int
	Outcomes      int
}

// Store is what analytics needs from storage.
type Store interface {
	Overview(ctx context.Context, region string) (Overview, error)
}
