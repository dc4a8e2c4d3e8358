package store

import (
	"context"
	"testing"
	"time"

	"marshrut/internal/auth"
)

// Failed logins lock an account at the limit and start the count anew;
// Unlock clears both; a user's sessions are counted and ended together.
func TestLockoutAndSessions(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		u := auth.User{Login: "region", Role: auth.Region, RegionCode: "41", CreatedAt: s.now()}
		if err := s.Auth.CreateUser(ctx, &u, "hash"); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
		until := now.Add(30 * time.Minute)
		for i := 1; i <= 3; i++ {
			got, err := s.Auth.LoginFailed(ctx, u.ID, 3, until)
			if err != nil {
				t.Fatal(err)
			}
			if locked := got.Equal(until); locked != (i == 3) {
				t.Errorf("failure %d: locked until %v", i, got)
			}
		}
		got, err := s.Auth.User(ctx, u.ID)
		if err != nil || !got.Locked(now) || got.FailedLogins != 0 || got.Locked(until) {
			t.Fatalf("after the limit: %+v, %v", got, err)
		}
		if _, err := s.Auth.LoginFailed(ctx, u.ID, 3, until.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.Auth.Unlock(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Auth.User(ctx, u.ID)
		if got.Locked(now) || got.FailedLogins != 0 || !got.LockedUntil.IsZero() {
			t.Errorf("after the unlock: %+v", got)
		}
		if err := s.Auth.Unlock(ctx, 999999); err == nil {
			t.Error("unlocked a missing user")
		}

		for i, exp := range []time.Time{now.Add(time.Hour), now.Add(2 * time.Hour), now.Add(-time.Hour)} {
			se := auth.Session{TokenHash: auth.HashSecret(string(rune('a' + i))), UserID: u.ID, CSRF: "c", CreatedAt: now, ExpiresAt: exp}
			if err := s.Auth.CreateSession(ctx, se); err != nil {
				t.Fatal(err)
			}
		}
		counts, err := s.Auth.SessionCounts(ctx, now)
		if err != nil || counts[u.ID] != 2 {
			t.Errorf("session counts %v, %v; want 2 unexpired", counts, err)
		}
		if n, err := s.Auth.DeleteUserSessions(ctx, u.ID); err != nil || n != 3 {
			t.Errorf("ended %d sessions, %v; want 3", n, err)
		}
		if counts, _ := s.Auth.SessionCounts(ctx, now); len(counts) != 0 {
			t.Errorf("sessions left: %v", counts)
		}
	})
}
