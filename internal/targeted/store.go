package targeted

import (
	"context"

	"marshrut/internal/auth"
	"marshrut/internal/history"
	"marshrut/internal/learner"
)

// Store is what targeted education needs from storage.
type Store interface {
	Teaches(ctx context.Context, orgID int64, specialty string) (bool, error)
	// Taught lists what the region's colleges and universities teach now:
	// each organisation with the specialties its students study.
	Taught(ctx context.Context, region string) ([]Taught, error)
	SaveOffer(ctx context.Context, o *Offer) error
	// History returns the edits of an object of the region, the latest first.
	History(ctx context.Context, region string, kind history.Kind, id int64) ([]history.Entry, error)
	Offer(ctx context.Context, region string, id int64) (Offer, error)
	Offers(ctx context.Context, region string, f OfferFilter) ([]Offer, int, error)
	CreateApplication(ctx context.Context, sc auth.Scope, a *Application) error
	Application(ctx context.Context, sc auth.Scope, id int64) (ApplicationView, error)
	Applications(ctx context.Context, sc auth.Scope, f ApplicationFilter) ([]ApplicationView, int, error)
	MoveApplication(ctx context.Context, sc auth.Scope, id int64, move func(*ApplicationView, Offer) error) error
	// FigureCells returns the kept figures of the region's published and
	// closed offers summed by employer (with the employer's name), specialty
	// or year of admission, as by says: "employer", "specialty" or "year".
	FigureCells(ctx context.Context, region, by string) ([]Cell, error)
	ContractsOfGraduates(ctx context.Context, region string, year int) (graduates, under int, err error)
	Learner(ctx context.Context, sc auth.Scope, id int64) (learner.Learner, error)
}
