package store

import (
	"context"
	"testing"
	"time"

	"marshrut/internal/auth"
)

// A bulk read is written with its region, filter and count and found by its
// kind; no entry can be changed; the retention job removes old entries only.
func TestAuditBulkAppendOnlyAndRetention(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		u := auth.User{Login: "region", Role: auth.Region, RegionCode: "41", CreatedAt: s.now()}
		if err := s.Auth.CreateUser(ctx, &u, "hash"); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
		for _, e := range []auth.AuditEntry{
			{At: now, UserID: u.ID, Role: auth.Region, Action: "learners.export", RegionCode: "41", Filter: "status=graduate", Persons: 34897, From: "10.0.0.1"},
			{At: now.Add(-time.Hour), UserID: u.ID, Role: auth.Region, Action: "risk.list", RegionCode: "41", Filter: "", Persons: 12, From: "10.0.0.1"},
			{At: now.AddDate(-4, 0, 0), UserID: u.ID, Role: auth.Region, Action: "learners.list", RegionCode: "41", Persons: 50, From: "10.0.0.2"},
		} {
			if err := s.Auth.Audit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		got, total, err := s.Auth.AuditLog(ctx, auth.AuditFilter{Action: "learners.export"})
		if err != nil || total != 1 || got[0].Persons != 34897 || got[0].Filter != "status=graduate" || got[0].RegionCode != "41" || got[0].UserLogin != "region" {
			t.Fatalf("export entry: %+v, %d, %v", got, total, err)
		}
		if _, total, _ := s.Auth.AuditLog(ctx, auth.AuditFilter{Action: "learners."}); total != 2 {
			t.Errorf("the learners family: %d entries, want 2", total)
		}
		if _, total, _ := s.Auth.AuditLog(ctx, auth.AuditFilter{UserID: u.ID + 1}); total != 0 {
			t.Errorf("another user's entries: %d", total)
		}
		// The log is append-only for the application.
		if _, err := s.write.ExecContext(ctx, `UPDATE audit_log SET persons = 0`); err == nil {
			t.Error("an audit entry was changed")
		}
		n, err := s.Auth.PruneAudit(ctx, now.AddDate(-3, 0, 0))
		if err != nil || n != 1 {
			t.Errorf("pruned %d, %v; want the one entry older than three years", n, err)
		}
		if _, total, _ := s.Auth.AuditLog(ctx, auth.AuditFilter{}); total != 2 {
			t.Errorf("after the retention job: %d entries, want 2", total)
		}
	})
}

// Disabling a user and a password reset end its sessions and tokens; an
// administrator revokes any user's token.
func TestCredentialsEndAccess(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
		u := auth.User{Login: "region", Role: auth.Region, RegionCode: "41", CreatedAt: now}
		if err := s.Auth.CreateUser(ctx, &u, "hash"); err != nil {
			t.Fatal(err)
		}
		grant := func(n string) auth.Token {
			if err := s.Auth.CreateSession(ctx, auth.Session{TokenHash: auth.HashSecret(n), UserID: u.ID, CSRF: "c", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
			tok := auth.Token{UserID: u.ID, Name: n, Hash: auth.HashSecret("tok" + n), Prefix: "mrt_", CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour)}
			if err := s.Auth.CreateToken(ctx, &tok); err != nil {
				t.Fatal(err)
			}
			return tok
		}
		check := func(what string, tok auth.Token) {
			t.Helper()
			if c, _ := s.Auth.SessionCounts(ctx, now); c[u.ID] != 0 {
				t.Errorf("%s: %d sessions left", what, c[u.ID])
			}
			if got, _ := s.Auth.TokenByHash(ctx, tok.Hash); !got.Revoked {
				t.Errorf("%s: the token is not revoked", what)
			}
		}
		tok := grant("a")
		if got, _ := s.Auth.TokenByHash(ctx, tok.Hash); !got.ExpiresAt.Equal(tok.ExpiresAt) {
			t.Errorf("expiry %v, want %v", got.ExpiresAt, tok.ExpiresAt)
		}
		if err := s.Auth.SetDisabled(ctx, u.ID, true); err != nil {
			t.Fatal(err)
		}
		check("disabled", tok)
		if err := s.Auth.SetDisabled(ctx, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Auth.User(ctx, u.ID); got.Disabled {
			t.Error("still disabled")
		}
		tok = grant("b")
		if err := s.Auth.StartReset(ctx, u.ID, "codehash", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		check("reset", tok)
		if h, until, err := s.Auth.Reset(ctx, u.ID); err != nil || h != "codehash" || !until.Equal(now.Add(time.Hour)) {
			t.Errorf("reset: %q %v %v", h, until, err)
		}
		if _, hash, _ := s.Auth.UserByLogin(ctx, "region"); auth.VerifyPassword(hash, "") || hash == "hash" {
			t.Errorf("the password survived the reset: %q", hash)
		}
		tok = grant("c")
		if err := s.Auth.SetPassword(ctx, u.ID, "newhash"); err != nil {
			t.Fatal(err)
		}
		check("new password", tok)
		if h, _, _ := s.Auth.Reset(ctx, u.ID); h != "" {
			t.Error("the reset code outlived the new password")
		}
		tok = grant("d")
		if err := s.Auth.RevokeToken(ctx, 0, tok.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Auth.TokenByHash(ctx, tok.Hash); !got.Revoked {
			t.Error("an administrator's revocation did not hold")
		}
		if err := s.Auth.SetDisabled(ctx, 999999, true); err == nil {
			t.Error("disabled a missing user")
		}
	})
}
