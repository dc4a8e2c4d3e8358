package store

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/demo"
	"marshrut/internal/learner"
	"marshrut/internal/rollup"
)

// TestRollupCarriesNoPerson builds the bundle of a demo region, proves that
// no person's name, СНИЛС or birth date is in it and that no count is of 1–4
// persons, then imports it into a federal installation, where a
// replay, an older bundle and a bundle without its method of protection are
// refused.
func TestRollupCarriesNoPerson(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		if err := s.Load(ctx, func(l *Loader) error {
			_, err := demo.Generate(ctx, l, demo.Options{Seed: 5, Learners: 6000, Region: "41", Now: now})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		_, priv, _ := ed25519.GenerateKey(nil)
		b, err := rollup.Build(ctx, s.Source, "41", "Камчатский край", now, nil, rollup.Secret(priv))
		if err != nil {
			t.Fatal(err)
		}
		signed, err := rollup.Sign(b, priv)
		if err != nil {
			t.Fatal(err)
		}
		var env rollup.Signed
		if err := json.Unmarshal(signed, &env); err != nil {
			t.Fatal(err)
		}
		payload, _ := base64.StdEncoding.DecodeString(env.Payload)
		text := string(signed) + string(payload)
		people, _, err := s.Learners.Learners(ctx, auth.SystemScope("41"), learner.Filter{Limit: 500})
		if err != nil || len(people) == 0 {
			t.Fatal(err)
		}
		for _, p := range people {
			for _, field := range []string{p.LastName + " " + p.FirstName, p.FirstName + " " + p.MiddleName, p.SNILS, p.BirthDate.Format("2006-01-02"),
				p.BirthDate.Format("02.01.2006")} {
				if strings.TrimSpace(field) != "" && strings.Contains(text, field) {
					t.Fatalf("the bundle holds %q of a learner", field)
				}
			}
		}
		var generic map[string]any
		json.Unmarshal(payload, &generic)
		for key := range generic {
			switch key {
			case "format", "version", "id", "region", "region_name", "period", "created_at", "threshold", "protection", "tables":
			default:
				t.Errorf("unexpected field %q in the bundle", key)
			}
		}
		zeros, published := 0, 0
		for _, tab := range b.Tables {
			for _, r := range tab.Rows {
				for j, v := range r.Values {
					switch {
					case v == nil && !(tab.Name == "measures" && j == 2):
						t.Fatalf("table %s holds a blank", tab.Name)
					case v == nil:
					case *v > 0 && *v < rollup.Threshold:
						t.Fatalf("table %s holds %d", tab.Name, *v)
					case *v == 0:
						zeros++
					default:
						published++
					}
				}
			}
		}
		// The two cases the old suppression gave away: graduates by
		// specialty minus those by municipality, and a row's graduates minus
		// its employed and unknown, are never 1–4.
		sums := map[string][2]int{}
		for _, tab := range b.Tables {
			if tab.Name != "employment" && tab.Name != "specialties" {
				continue
			}
			for _, r := range tab.Rows {
				s := sums[r.Dims[0]]
				if tab.Name == "employment" {
					s[0] += *r.Values[0]
				} else {
					s[1] += *r.Values[0]
				}
				sums[r.Dims[0]] = s
				if d := *r.Values[0] - *r.Values[1] - *r.Values[4]; d > 0 && d < rollup.Threshold {
					t.Errorf("%s %v: graduates minus employed minus unknown is %d", tab.Name, r.Dims, d)
				}
			}
		}
		for y, s := range sums {
			if d := s[1] - s[0]; d > 0 && d < rollup.Threshold {
				t.Errorf("year %s: %d by specialty, %d by municipality", y, s[1], s[0])
			}
		}
		if zeros == 0 || published == 0 || b.Protection == nil || b.Protection.Method != rollup.MethodCellKey {
			t.Errorf("zeros %d, published %d, protection %+v: a demo region has both, and the method", zeros, published, b.Protection)
		}

		// The federal installation: the key registered, the bundle imported once.
		fed := openTest(t, t.TempDir()+"/federal.db")
		svc := rollup.NewService(fed.Rollup, func() time.Time { return now.Add(time.Hour) })
		admin := auth.Scope{Role: auth.Admin, RegionCode: "77", UserID: 1}
		federal := auth.Scope{Role: auth.Federal, RegionCode: "77", UserID: 2}
		if _, err := svc.Import(ctx, admin, signed); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "не зарегистрирован") {
			t.Fatalf("import before the key: %v", err)
		}
		if err := svc.Trust(ctx, federal, "41", base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey))); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a federal user registers keys: %v", err)
		}
		if err := svc.Trust(ctx, admin, "41", base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey))); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Import(ctx, admin, signed); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Import(ctx, admin, signed); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("replay: %v", err)
		}
		older := b
		older.ID, older.CreatedAt = rollup.NewID(), b.CreatedAt.Add(-24*time.Hour)
		oldSigned, _ := rollup.Sign(older, priv)
		if _, err := svc.Import(ctx, admin, oldSigned); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("an older bundle: %v", err)
		}
		rows, err := svc.Compare(ctx, federal)
		if err != nil || len(rows) != 1 || rows[0].Code != "41" || rows[0].Guidance == nil || rows[0].Employment == nil || rows[0].Learners == 0 {
			t.Fatalf("comparison %+v, %v", rows, err)
		}
		if _, err := svc.Compare(ctx, auth.Scope{Role: auth.Region, RegionCode: "41"}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a region compares regions: %v", err)
		}
		// Every row of a protected bundle opens.
		region, _, err := svc.Region(ctx, federal, "41")
		if err != nil {
			t.Fatal(err)
		}
		for _, tab := range region.Tables {
			for i := range tab.Rows {
				if _, err := svc.Drill(ctx, federal, "41", tab.Name, i); err != nil {
					t.Errorf("drill into a row of %s: %v", tab.Name, err)
				}
			}
		}
		// A bundle without its method of protection is refused, with a word
		// on what to do.
		bare := b
		bare.ID, bare.CreatedAt, bare.Protection = rollup.NewID(), b.CreatedAt.Add(time.Hour), nil
		payload, _ = json.Marshal(bare)
		env.Payload = base64.StdEncoding.EncodeToString(payload)
		env.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(priv, payload))
		unprotected, _ := json.Marshal(env)
		if _, err := svc.Import(ctx, admin, unprotected); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "не указан способ защиты") {
			t.Errorf("a bundle without protection: %v", err)
		}
	})
}
