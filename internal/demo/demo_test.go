package demo_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"math"
	"path/filepath"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/demo"
	"marshrut/internal/learner"
	"marshrut/internal/org"
	"marshrut/internal/store"
)

var genDay = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func generate(t *testing.T, seed uint64, n int) (*store.Store, demo.Summary) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := classifier.LoadBuiltin()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SeedClassifiers(ctx, b); err != nil {
		t.Fatal(err)
	}
	var sum demo.Summary
	err = s.Load(ctx, func(l *store.Loader) error {
		sum, err = demo.Generate(ctx, l, demo.Options{Seed: seed, Learners: n, Region: "41", Now: genDay})
		return err
	})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	return s, sum
}

// fingerprint hashes every learner's name, birth date, organisation and status.
func fingerprint(t *testing.T, s *store.Store) string {
	t.Helper()
	h := sha256.New()
	sc := auth.SystemScope("41")
	for off := 0; ; off += 500 {
		list, _, err := s.Learners.Learners(context.Background(), sc, learner.Filter{Sort: "name", Limit: 500, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range list {
			fmt.Fprintln(h, l.ID, l.FullName(), l.BirthDate.Format("2006-01-02"), l.OrgID, l.Status, l.SpecialtyCode, l.Current, l.SNILS)
		}
		if len(list) < 500 {
			return fmt.Sprintf("%x", h.Sum(nil))
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, sa := generate(t, 7, 3000)
	b, sb := generate(t, 7, 3000)
	c, _ := generate(t, 8, 3000)
	if sa.Learners() != 3000 || sb.Learners() != 3000 {
		t.Fatalf("asked for 3000 learners, got %d and %d", sa.Learners(), sb.Learners())
	}
	fa, fb, fc := fingerprint(t, a), fingerprint(t, b), fingerprint(t, c)
	if fa != fb {
		t.Error("the same seed gave two different regions")
	}
	if fa == fc {
		t.Error("different seeds gave the same region")
	}
}

func TestDefaultRegionLooksLikeKamchatka(t *testing.T) {
	s, sum, _ := defaultRegion(t)
	ctx := context.Background()
	if sum.Learners() != demo.DefaultLearners {
		t.Errorf("default size %d, want %d", sum.Learners(), demo.DefaultLearners)
	}
	if sum.Pupils < 34000 || sum.Pupils > 38000 || sum.Municipalities < 12 || sum.Colleges < 8 || sum.Colleges > 12 ||
		sum.Universities != 2 || sum.Employers < 200 {
		t.Errorf("not shaped like Kamchatka: %+v", sum)
	}
	// Every record the generator made passes the same validation as a user's input.
	sc := auth.SystemScope("41")
	list, total, err := s.Learners.Learners(ctx, sc, learner.Filter{Limit: 500, Sort: "birth_date"})
	if err != nil {
		t.Fatal(err)
	}
	if total != sum.Learners() {
		t.Errorf("%d learners in the store, %d generated", total, sum.Learners())
	}
	for _, l := range list {
		if err := l.Validate(genDay); err != nil {
			t.Errorf("learner %d (%s) invalid: %v", l.ID, l.Status, err)
		}
	}
	// The tally, filled at the end of the load, agrees with the learners.
	ov, err := s.Analytics.Overview(ctx, sc)
	if err != nil {
		t.Fatal(err)
	}
	if ov.Learners["pupil"] != sum.Pupils || ov.Learners["student"] != sum.Students || ov.Learners["graduate"] != sum.Graduates {
		t.Errorf("tally %v, generated %+v", ov.Learners, sum)
	}
	grads, _, err := s.Learners.Learners(ctx, sc, learner.Filter{Status: learner.Graduate, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	employed := 0
	for _, g := range grads {
		if err := g.Validate(genDay); err != nil {
			t.Errorf("graduate %d invalid: %v", g.ID, err)
		}
		if g.Current.Occupied() {
			employed++
		}
	}
	if share := float64(employed) / float64(len(grads)); share < 0.6 || share > 0.95 {
		t.Errorf("%.0f%% of graduates employed: implausible", share*100)
	}
	orgs, n, err := s.Orgs.Organisations(ctx, org.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if n < sum.Schools+sum.Colleges+sum.Universities+sum.Employers {
		t.Errorf("%d organisations stored", n)
	}
	for _, o := range orgs {
		if err := o.Validate(); err != nil {
			t.Errorf("organisation %q invalid: %v", o.Name, err)
		}
	}
}

// Every specialty and ОКВЭД code the generator uses is a real one from the classifiers.
func TestDemoCodesExist(t *testing.T) {
	b, err := classifier.LoadBuiltin()
	if err != nil {
		t.Fatal(err)
	}
	specs := map[string]bool{}
	for _, s := range b.Specialties {
		specs[s.Code] = true
	}
	acts := map[string]bool{}
	for _, a := range b.Activities {
		acts[a.Code] = true
	}
	for _, code := range demo.SpecialtyCodes() {
		if !specs[code] {
			t.Errorf("specialty %s is not in the ОКСО tables", code)
		}
	}
	for _, code := range demo.ActivityCodes() {
		if !acts[code] {
			t.Errorf("ОКВЭД2 %s is not in the classifier", code)
		}
	}
}

// A region larger than the calibrated one is as large as asked, in the same
// proportions: its colleges' branches share their students instead of each
// taking the whole organisation's (which grew the students with the square
// of the size and left no room for pupils).
func TestLargerRegionKeepsItsProportions(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a region larger than the calibrated one")
	}
	n := demo.DefaultLearners * 13 / 10
	_, sum := generate(t, 5, n)
	if got := sum.Learners(); math.Abs(float64(got-n)) > 0.03*float64(n) {
		t.Errorf("asked for %d learners, got %d", n, got)
	}
	share := float64(sum.Students+sum.Graduates) / float64(sum.Learners())
	if share < 0.25 || share > 0.40 {
		t.Errorf("students and graduates are %.1f%% of the region (%d pupils, %d students, %d graduates); the calibrated region has about a third",
			100*share, sum.Pupils, sum.Students, sum.Graduates)
	}
}
