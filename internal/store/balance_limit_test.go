package store

import (
	"context"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/balance"
)

// The region's limit on a proposal's change is kept, read into the
// balance's input, and set only by the region.
func TestBalanceMaxChange(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seed(t, s)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		svc := balance.NewService(s.Balance, func() time.Time { return now })
		region := auth.Scope{Role: auth.Region, RegionCode: "41", UserID: 1}
		if share, err := svc.MaxChange(ctx, region); err != nil || share != balance.DefaultMaxChange {
			t.Fatalf("default: %v %v", share, err)
		}
		if err := svc.SetMaxChange(ctx, region, 0.3); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetMaxChange(ctx, region, 0.35); err != nil {
			t.Fatal(err)
		}
		in, err := s.Balance.Input(ctx, "41", now)
		if err != nil || in.MaxChange != 0.35 {
			t.Fatalf("input's limit %v, %v", in.MaxChange, err)
		}
		if err := svc.SetMaxChange(ctx, region, 1.5); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("150 %%: %v", err)
		}
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: 2, UserID: 3}
		if err := svc.SetMaxChange(ctx, college, 0.5); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a college sets the limit: %v", err)
		}
	})
}
