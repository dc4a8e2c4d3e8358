package rollup

import (
	"context"
	"crypto/ed25519"
	"time"
)

// Store keeps the trusted keys and the imported bundles.
type Store interface {
	TrustedKey(ctx context.Context, region string) (ed25519.PublicKey, bool, error)
	SetTrustedKey(ctx context.Context, region string, key ed25519.PublicKey, at time.Time) error
	SaveBundle(ctx context.Context, b Bundle, at time.Time, by int64) error
	LatestBundles(ctx context.Context) ([]Bundle, error)
	BundleHistory(ctx context.Context, region string) ([]Imported, error)
}
