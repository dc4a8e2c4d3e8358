package risk

import (
	"context"
	"time"

	"marshrut/internal/auth"
)

// Store is what the early warning needs from storage.
type Store interface {
	PastGraduates(ctx context.Context, region string, lastYear int) ([]Record, error)
	ToScore(ctx context.Context, region string, finalYear, recentYear int) ([]Record, error)
	Record(ctx context.Context, sc auth.Scope, learnerID int64) (Record, error)
	Demand(ctx context.Context, region string) (Demand, error)
	SaveModel(ctx context.Context, m *ModelInfo) error
	Model(ctx context.Context, region string, id int64) (ModelInfo, error)
	ActiveModel(ctx context.Context, region string) (ModelInfo, error)
	Models(ctx context.Context, region string, limit int) ([]ModelInfo, error)
	SaveScores(ctx context.Context, region string, modelID int64, scores []Score, at time.Time) error
	Scores(ctx context.Context, sc auth.Scope, f Filter) ([]Row, int, error)
	RiskOf(ctx context.Context, sc auth.Scope, learnerID int64) (Row, error)
	Threshold(ctx context.Context, region string) (float64, bool, error)
	SetThreshold(ctx context.Context, region string, t float64, at time.Time) error
	OpenCase(ctx context.Context, sc auth.Scope, c *Case) error
	Case(ctx context.Context, sc auth.Scope, id int64) (Case, error)
	Cases(ctx context.Context, sc auth.Scope, f CaseFilter) ([]Case, int, error)
	CasesOf(ctx context.Context, sc auth.Scope, learnerID int64) ([]Case, error)
	AddAction(ctx context.Context, sc auth.Scope, a *Action) error
	CloseCase(ctx context.Context, sc auth.Scope, id int64, c Closing, at time.Time) error
	SaveRecord(ctx context.Context, sc auth.Scope, r StudyRecord) error
	Figures(ctx context.Context, sc auth.Scope, threshold float64) (Figures, error)
}
