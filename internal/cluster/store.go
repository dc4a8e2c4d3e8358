package cluster

import (
	"context"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/history"
)

// Store is what clusters need from storage. Reads take the caller's scope
// and apply it in their queries: a cluster outside it is NotFound, exactly
// as a missing one.
type Store interface {
	SaveCluster(ctx context.Context, c *Cluster) error
	// History returns the edits of an object of the region, the latest first.
	History(ctx context.Context, region string, kind history.Kind, id int64) ([]history.Entry, error)
	Cluster(ctx context.Context, sc auth.Scope, id int64) (Cluster, error)
	Clusters(ctx context.Context, sc auth.Scope, f Filter) ([]Cluster, error)
	Counts(ctx context.Context, c Cluster, year int) (Counts, error)
	EnteredValues(ctx context.Context, clusterID int64, year int) (map[Indicator]float64, error)
	SaveValue(ctx context.Context, v EnteredValue) error

	SaveCriteria(ctx context.Context, s *Criteria) error
	// LatestCriteria is the newest version of the region's set for a year.
	LatestCriteria(ctx context.Context, region string, year int) (Criteria, error)
	CriteriaVersions(ctx context.Context, region string, year int) ([]Criteria, error)

	OpenDefence(ctx context.Context, d *Defence) error
	Defence(ctx context.Context, region string, id int64) (Defence, error)
	Defences(ctx context.Context, region string) ([]Defence, error)
	SetCommission(ctx context.Context, region string, id int64, experts []int64, as []Assignment) error
	Experts(ctx context.Context, region string) ([]Expert, error)
	// SaveSheet writes an expert's sheet in one transaction after check has
	// passed it with the defence as the transaction reads it.
	SaveSheet(ctx context.Context, region string, defenceID int64, s Sheet, check func(Defence) error) error
	Marks(ctx context.Context, defenceID int64) ([]Mark, error)
	// SignDefence signs a defence in one transaction after check has passed it.
	SignDefence(ctx context.Context, region string, id int64, chair string, by int64, at time.Time, check func(Defence, []Mark) error) error
}
