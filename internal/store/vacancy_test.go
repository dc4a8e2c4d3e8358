package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/classifier"
	"marshrut/internal/vacancy"
)

func matcher(t *testing.T) *vacancy.Matcher {
	t.Helper()
	b, err := classifier.LoadBuiltin()
	if err != nil {
		t.Fatal(err)
	}
	m, err := vacancy.NewMatcher(b.Specialties)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// vacancies makes a small batch of the fixture's employer: a welder, a nurse
// taken down at the source, an undated cook, and a vacancy of another region.
func vacancies(t *testing.T, f *fixture, m *vacancy.Matcher) []vacancy.Item {
	t.Helper()
	msk := time.FixedZone("MSK", 3*3600)
	vs := []vacancy.Vacancy{
		{ID: "a1b2c3d4-0000-11ee-8000-000000000001", Source: vacancy.Trudvsem, RegionCode: "41", KladrCode: "4100000100000",
			EmployerName: f.empl.Name, EmployerINN: f.empl.INN, Title: "Электрогазосварщик 5 разряда",
			Specialisation: "Рабочие специальности", SalaryMin: 90000, SalaryMax: 140000, Currency: "«руб.»",
			Schedule: "Сменный график", Employment: "Полная занятость", Education: vacancy.EduSPO, Experience: "3",
			Duty: "Сварка трубопроводов\n\nи металлоконструкций", Requirements: "Удостоверение НАКС", Address: "Петропавловск-Камчатский, ул. Свердлова, д. 1",
			Lat: 53.0245, Lon: 158.6433, WorkPlaces: 2, CreatedAt: time.Date(2026, 10, 2, 9, 0, 0, 0, msk), ModifiedAt: time.Date(2026, 10, 5, 10, 16, 2, 0, msk),
			URL: "https://trudvsem.ru/vacancy/card/1024101023099/a1b2c3d4-0000-11ee-8000-000000000001"},
		{ID: "a1b2c3d4-0000-11ee-8000-000000000002", Source: vacancy.Trudvsem, RegionCode: "41", EmployerName: "ГБУЗ «Камчатская краевая больница»",
			Title: "Медицинская сестра палатная", Specialisation: "Здравоохранение и социальное обеспечение", SalaryMin: 75000,
			Education: vacancy.EduSPO, Closed: true, CreatedAt: time.Date(2026, 10, 20, 0, 0, 0, 0, msk), ModifiedAt: time.Date(2026, 10, 21, 0, 0, 0, 0, msk)},
		{ID: "manual-0001", Source: vacancy.Manual, RegionCode: "41", EmployerName: "ООО «Ресторан Ёлка»", Title: "Повар"},
		{ID: "a1b2c3d4-0000-11ee-8000-000000000004", Source: vacancy.Trudvsem, RegionCode: "25", EmployerName: "ООО «Приморье»",
			Title: "Водитель автобуса", Specialisation: "Транспорт, автобизнес, логистика, склад, ВЭД", CreatedAt: time.Date(2026, 9, 1, 0, 0, 0, 0, msk)},
	}
	items := make([]vacancy.Item, len(vs))
	for i := range vs {
		if err := vs[i].Validate(); err != nil {
			t.Fatalf("fixture %s: %v", vs[i].ID, err)
		}
		items[i] = vacancy.Item{Vacancy: vs[i], Links: m.Links(vs[i])}
	}
	return items
}

// sameVacancy compares two vacancies field by field, times by their instant.
func sameVacancy(a, b vacancy.Vacancy) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) || !a.ModifiedAt.Equal(b.ModifiedAt) {
		return false
	}
	a.CreatedAt, a.ModifiedAt = b.CreatedAt, b.ModifiedAt
	return a == b
}

func TestVacancyUpsert(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		m := matcher(t)
		items := vacancies(t, f, m)
		up, err := s.Vacancies.UpsertVacancies(ctx, items)
		if err != nil {
			t.Fatal(err)
		}
		if up != (vacancy.Upserted{Inserted: 4}) {
			t.Fatalf("first upsert: %+v, want 4 inserted", up)
		}
		for _, it := range items {
			got, err := s.Vacancies.Vacancy(ctx, it.Vacancy.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !sameVacancy(got, it.Vacancy) {
				t.Errorf("vacancy %s read back as\n%+v\nwant\n%+v", it.Vacancy.ID, got, it.Vacancy)
			}
			links, err := s.Vacancies.Links(ctx, it.Vacancy.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(links) != len(it.Links) {
				t.Fatalf("vacancy %s: %d links stored, %d given", it.Vacancy.ID, len(links), len(it.Links))
			}
			for i := range links {
				if links[i] != it.Links[i] {
					t.Errorf("vacancy %s link %d: %+v, want %+v", it.Vacancy.ID, i, links[i], it.Links[i])
				}
				if links[i].Reason == "" {
					t.Errorf("vacancy %s link %d has no reason", it.Vacancy.ID, i)
				}
			}
		}
		if len(items[0].Links) == 0 || items[0].Links[0].SpecialtyCode != "22.02.06" {
			t.Fatalf("the welder should link first to 22.02.06, got %+v", items[0].Links)
		}

		// The same batch again changes nothing.
		if up, err = s.Vacancies.UpsertVacancies(ctx, items); err != nil || up != (vacancy.Upserted{Unchanged: 4}) {
			t.Fatalf("second upsert: %+v, %v; want 4 unchanged", up, err)
		}

		// A later modification replaces the vacancy and its links; an earlier one does not.
		newer := items[0]
		newer.Vacancy.ModifiedAt = newer.Vacancy.ModifiedAt.Add(24 * time.Hour)
		newer.Vacancy.Title = "Сварщик ручной дуговой сварки"
		newer.Vacancy.SalaryMin = 100000
		newer.Vacancy.CreatedAt = time.Time{} // kept from the stored version
		newer.Links = m.Links(newer.Vacancy)
		older := items[1]
		older.Vacancy.ModifiedAt = older.Vacancy.ModifiedAt.Add(-time.Hour)
		older.Vacancy.SalaryMin = 1
		if up, err = s.Vacancies.UpsertVacancies(ctx, []vacancy.Item{newer, older}); err != nil || up != (vacancy.Upserted{Updated: 1, Unchanged: 1}) {
			t.Fatalf("third upsert: %+v, %v; want 1 updated, 1 unchanged", up, err)
		}
		got, _ := s.Vacancies.Vacancy(ctx, newer.Vacancy.ID)
		if got.Title != "Сварщик ручной дуговой сварки" || got.SalaryMin != 100000 || !got.CreatedAt.Equal(items[0].Vacancy.CreatedAt) {
			t.Errorf("updated vacancy: %q %d created %v", got.Title, got.SalaryMin, got.CreatedAt)
		}
		links, _ := s.Vacancies.Links(ctx, newer.Vacancy.ID)
		if len(links) != len(newer.Links) || !strings.Contains(links[0].Reason, "Сварщик ручной дуговой сварки") {
			t.Errorf("links were not replaced: %+v", links)
		}
		if got, _ := s.Vacancies.Vacancy(ctx, older.Vacancy.ID); got.SalaryMin != 75000 {
			t.Errorf("an older version replaced the stored one: salary %d", got.SalaryMin)
		}

		// Missing rows are NotFound.
		if _, err := s.Vacancies.Vacancy(ctx, "nope"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("missing vacancy: %v, want NotFound", err)
		}
		if _, err := s.Vacancies.Links(ctx, "nope"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("links of a missing vacancy: %v, want NotFound", err)
		}

		// A link to a specialty outside the classifier fails the whole batch.
		bad := vacancies(t, f, m)[2]
		bad.Vacancy.ID = "manual-0002"
		bad.Links = []vacancy.Link{{VacancyID: "manual-0002", SpecialtyCode: "43.01.99", GroupCode: "43.00.00", Kind: vacancy.ByTitle, Score: 0.7, Reason: "проверка"}}
		if _, err := s.Vacancies.UpsertVacancies(ctx, []vacancy.Item{items[3], bad}); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "43.01.99") {
			t.Errorf("unknown specialty: %v, want Invalid naming it", err)
		}
		if _, err := s.Vacancies.Vacancy(ctx, "manual-0002"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a refused batch left a vacancy behind: %v", err)
		}
		invalid := items[0]
		invalid.Vacancy.SalaryMax = 10
		if _, err := s.Vacancies.UpsertVacancies(ctx, []vacancy.Item{invalid}); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), items[0].Vacancy.ID) {
			t.Errorf("invalid vacancy: %v, want Invalid naming it", err)
		}
	})
}

func TestVacancyList(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		items := vacancies(t, f, matcher(t))
		if _, err := s.Vacancies.UpsertVacancies(ctx, items); err != nil {
			t.Fatal(err)
		}
		ids := func(list []vacancy.Vacancy) string {
			var out []string
			for _, v := range list {
				out = append(out, v.ID[len(v.ID)-1:])
			}
			return strings.Join(out, ",")
		}
		tests := []struct {
			name  string
			f     vacancy.Filter
			want  string // last characters of the ids, in order
			total int
		}{
			{"region, open, newest first, undated last", vacancy.Filter{RegionCode: "41"}, "1,1", 2},
			{"with closed", vacancy.Filter{RegionCode: "41", WithClosed: true}, "2,1,1", 3},
			{"all regions", vacancy.Filter{WithClosed: true}, "2,1,4,1", 4},
			{"by group of a linked specialty", vacancy.Filter{GroupCode: "22.00.00"}, "1", 1},
			{"by specialty", vacancy.Filter{SpecialtyCode: "22.02.06"}, "1", 1},
			{"by specialty through its group", vacancy.Filter{SpecialtyCode: "26.02.03"}, "4", 1},
			{"by source", vacancy.Filter{Source: vacancy.Manual}, "1", 1},
			{"by part of the employer, ё as е", vacancy.Filter{Query: "ЕЛКА"}, "1", 1},
			{"by part of the title", vacancy.Filter{Query: "газосвар"}, "1", 1},
			{"wildcards are literal", vacancy.Filter{Query: "%"}, "", 0},
			{"a page", vacancy.Filter{WithClosed: true, Limit: 2, Offset: 1}, "1,4", 4},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				list, total, err := s.Vacancies.Vacancies(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if got := ids(list); got != tt.want || total != tt.total {
					t.Errorf("got %q (total %d), want %q (total %d)", got, total, tt.want, tt.total)
				}
			})
		}
	})
}

func TestLoaderVacancies(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		items := vacancies(t, f, matcher(t))
		err := s.Load(ctx, func(l *Loader) error {
			up, err := l.UpsertVacancies(items[:2])
			if err != nil {
				return err
			}
			if up.Inserted != 2 {
				t.Errorf("inserted %d, want 2", up.Inserted)
			}
			// The same id twice in a batch is merged in order: the newer version wins.
			twice := items[2]
			twice.Vacancy.SalaryMin = 70000
			up, err = l.UpsertVacancies([]vacancy.Item{items[2], twice})
			if err != nil {
				return err
			}
			if up != (vacancy.Upserted{Inserted: 1}) {
				t.Errorf("an id twice in a batch: %+v, want 1 inserted", up)
			}
			found, err := l.Vacancies([]string{items[0].Vacancy.ID, items[2].Vacancy.ID, "nope"})
			if err != nil {
				return err
			}
			if len(found) != 2 || !sameVacancy(found[items[0].Vacancy.ID], items[0].Vacancy) || found[items[2].Vacancy.ID].SalaryMin != 70000 {
				t.Errorf("found %+v", found)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, total, _ := s.Vacancies.Vacancies(ctx, vacancy.Filter{WithClosed: true}); total != 3 {
			t.Errorf("%d vacancies after the load, want 3", total)
		}
	})
}
