package classifier

import "context"

// Store is what the classifier needs from storage.
type Store interface {
	Region(ctx context.Context, code string) (Region, error)
	Regions(ctx context.Context) ([]Region, error)
	Municipalities(ctx context.Context, regionCode string) ([]Municipality, error)
	Specialty(ctx context.Context, code string) (Specialty, error)
	Specialties(ctx context.Context, level string) ([]Specialty, error)
}
