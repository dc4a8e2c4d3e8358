package store

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/cluster"
	"marshrut/internal/history"
	"marshrut/internal/targeted"
)

// An edit and its record land together: the changed fields with their old
// and new values, read as the page reads them, and the editor from the
// request; a save that changed nothing and a refused edit leave no record.
func TestEditHistory(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		f := seed(t, s)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		svc := targeted.NewService(s.Targeted, func() time.Time { return now })
		empl := auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: f.empl.ID, UserID: 7}
		ctx := auth.WithCaller(context.Background(), auth.User{ID: 7, Login: "hr.kamgeo"}, empl)
		offer := targeted.Offer{OrgID: f.college.ID, SpecialtyCode: "15.02.08", Places: 2, WorkYears: 3, MunicipalityID: f.muni1.ID,
			Deadline: time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC), Year: 2027, Status: targeted.Draft,
			Support: targeted.Support{Stipend: 5000}}
		if err := svc.SaveOffer(ctx, empl, &offer); err != nil {
			t.Fatal(err)
		}
		if h, err := svc.OfferHistory(ctx, empl, offer.ID); err != nil || len(h) != 0 {
			t.Fatalf("a new offer's history: %v, %v; want none", h, err)
		}
		edit := offer
		edit.Places, edit.Support.Housing = 4, true
		if err := svc.SaveOffer(ctx, empl, &edit); err != nil {
			t.Fatal(err)
		}
		same := edit
		if err := svc.SaveOffer(ctx, empl, &same); err != nil {
			t.Fatal(err)
		}
		bad := edit
		bad.Places = -1
		if err := svc.SaveOffer(ctx, empl, &bad); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("negative places: %v", err)
		}
		now = now.Add(time.Hour)
		if _, err := svc.SetStatus(ctx, empl, offer.ID, targeted.Published); err != nil {
			t.Fatal(err)
		}
		h, err := svc.OfferHistory(ctx, empl, offer.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 2 {
			t.Fatalf("history has %d entries, want 2 (the edit and the publication): %+v", len(h), h)
		}
		if want := []history.Change{{Field: "Состояние", Old: "черновик", New: "опубликовано"}}; !reflect.DeepEqual(h[0].Changes, want) {
			t.Errorf("latest entry %+v, want %+v", h[0].Changes, want)
		}
		want := []history.Change{
			{Field: "Мест", Old: "2", New: "4"},
			{Field: "Поддержка", Old: "стипендия 5 000 ₽ в месяц", New: "стипендия 5 000 ₽ в месяц, жильё"},
		}
		if !reflect.DeepEqual(h[1].Changes, want) || h[1].Login != "hr.kamgeo" || h[1].UserID != 7 {
			t.Errorf("first edit %+v by %q, want %+v by hr.kamgeo", h[1].Changes, h[1].Login, want)
		}
		if !h[0].At.After(h[1].At) {
			t.Errorf("entries not latest first: %v then %v", h[0].At, h[1].At)
		}
		// A college sees the published offer but not who edited it.
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college.ID}
		if _, err := svc.OfferHistory(ctx, college, offer.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a college reads the offer's history: %v", err)
		}
		// Another region's object has no history here.
		if h, err := s.Targeted.History(ctx, "77", history.Offer, offer.ID); err != nil || len(h) != 0 {
			t.Errorf("another region reads %v, %v", h, err)
		}
	})
}

// A cluster's edit records its parts by name: a new item of equipment, a
// specialty dropped.
func TestClusterEditHistory(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		f := seed(t, s)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		svc := cluster.NewService(s.Clusters, func() time.Time { return now })
		region := auth.Scope{Role: auth.Region, RegionCode: "41", UserID: 1}
		ctx := auth.WithCaller(context.Background(), auth.User{ID: 1, Login: "minobr"}, region)
		c := cluster.Cluster{Name: "Кластер машиностроения Камчатки", Industry: "mechanical", Kind: cluster.EduIndustrial, Year: 2024,
			BaseOrgID: f.college.ID, Employers: []cluster.Org{{ID: f.empl.ID}},
			Specialties: []cluster.Specialty{{Code: "15.02.08"}, {Code: "22.02.06"}},
			Equipment:   []cluster.Equipment{{Name: "Токарный станок с ЧПУ", Quantity: 4, Cost: 24_000_000, Year: 2025}}}
		if err := svc.SaveCluster(ctx, region, &c); err != nil {
			t.Fatal(err)
		}
		edit := c
		edit.Specialties = []cluster.Specialty{{Code: "15.02.08"}}
		edit.Equipment = append(slices.Clone(c.Equipment), cluster.Equipment{Name: "Сварочный тренажёр", Quantity: 2, Cost: 3_500_000, Year: 2026})
		if err := svc.SaveCluster(ctx, region, &edit); err != nil {
			t.Fatal(err)
		}
		h, err := svc.History(ctx, region, c.ID)
		if err != nil || len(h) != 1 || h[0].Login != "minobr" {
			t.Fatalf("history %+v, %v; want one edit by minobr", h, err)
		}
		got := map[string]history.Change{}
		for _, ch := range h[0].Changes {
			got[ch.Field] = ch
		}
		if len(got) != 2 || !strings.Contains(got["Специальности"].Old, "22.02.06") || strings.Contains(got["Специальности"].New, "22.02.06") ||
			!strings.Contains(got["Оборудование"].New, "Сварочный тренажёр, 2 шт., 3 500 000 ₽ (2026)") {
			t.Errorf("changes %+v", h[0].Changes)
		}
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college.ID}
		if _, err := svc.History(ctx, college, c.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the base college reads the registry's history: %v", err)
		}
	})
}
