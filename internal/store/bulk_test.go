package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/learner"
)

// learnerIndexes lists the names of the learner table's indexes.
func learnerIndexes(t *testing.T, s *Store) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'learner' AND sql IS NOT NULL`
	if s.engine == Postgres {
		q = `SELECT indexname FROM pg_indexes WHERE tablename = 'learner' AND schemaname = current_schema() AND indexname <> 'learner_pkey'`
	}
	rows, err := s.read.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// TestLoaderDefersIndexes loads enough learners for the loader to drop the
// secondary indexes: they are back after the load, and after a failed load
// the table and its indexes are as they were.
func TestLoaderDefersIndexes(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		want := learnerIndexes(t, s)
		if len(want) < 7 {
			t.Fatalf("learner indexes %v", want)
		}
		n := deferAfter + 5000
		batch := func(first int64, from, to int) []learner.Learner {
			ls := make([]learner.Learner, 0, to-from)
			for i := from; i < to; i++ {
				ls = append(ls, learner.Learner{ID: first + int64(i), RegionCode: "41", LastName: "Тестов", FirstName: fmt.Sprintf("Имя%d", i),
					Sex: "м", BirthDate: time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC), Status: learner.Student, OrgID: f.college.ID,
					MunicipalityID: f.muni1.ID, SpecialtyCode: "15.02.08", Course: 1, Form: learner.FullTime, GraduationYear: 2029,
					ExternalID: fmt.Sprintf("Т-%06d", i)})
			}
			return ls
		}
		dropped := false
		load := func(fail bool) error {
			return s.Load(ctx, func(l *Loader) error {
				first, err := l.NextID("learner")
				if err != nil {
					return err
				}
				for from := 0; from < n; from += 5000 {
					if err := l.Learners(batch(first, from, min(n, from+5000))); err != nil {
						return err
					}
				}
				dropped = len(l.deferred) > 0
				if fail {
					return errors.New("прервано")
				}
				return nil
			})
		}
		if err := load(true); err == nil || err.Error() != "прервано" {
			t.Fatalf("failed load: %v", err)
		}
		if !dropped {
			t.Fatal("a load of more learners than the table held kept its secondary indexes")
		}
		if got := learnerIndexes(t, s); !slices.Equal(got, want) {
			t.Errorf("indexes after a failed load %v, want %v", got, want)
		}
		sys := auth.SystemScope("41")
		if _, total, err := s.Learners.Learners(ctx, sys, learner.Filter{Limit: 1}); err != nil || total != 4 {
			t.Errorf("learners after a failed load: %d, %v", total, err)
		}
		if err := load(false); err != nil {
			t.Fatal(err)
		}
		if got := learnerIndexes(t, s); !slices.Equal(got, want) {
			t.Errorf("indexes after the load %v, want %v", got, want)
		}
		list, total, err := s.Learners.Learners(ctx, sys, learner.Filter{OrgID: f.college.ID, Query: "тестов имя2500", Limit: 5})
		if err != nil || total != 1 || len(list) != 1 || list[0].ExternalID != "Т-002500" {
			t.Errorf("search after the load: %d %+v, %v", total, list, err)
		}
		// A small load into the now large table keeps the indexes in place.
		err = s.Load(ctx, func(l *Loader) error {
			first, err := l.NextID("learner")
			if err != nil {
				return err
			}
			ls := batch(first, 0, 10)
			for i := range ls {
				ls[i].ExternalID = fmt.Sprintf("М-%d", i)
			}
			if err := l.Learners(ls); err != nil {
				return err
			}
			if l.deferred != nil {
				t.Error("a small load dropped indexes")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
