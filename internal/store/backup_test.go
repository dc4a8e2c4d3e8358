package store

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
)

// A backup restored over a database that changed since gives back exactly
// the contents of the moment of the backup, on both engines.
func TestBackupRestoreRoundTrip(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		before, err := s.Checksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if before["learner"].Rows != 4 {
			t.Fatalf("checksums see %d learners, want 4", before["learner"].Rows)
		}
		file := filepath.Join(t.TempDir(), "marshrut.backup")
		if err := s.Backup(ctx, file); err != nil {
			t.Fatalf("backup: %v", err)
		}
		// A second backup to the same name is refused: nothing is overwritten.
		if err := s.Backup(ctx, file); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("backup over an existing file: %v, want a conflict", err)
		}

		// Change the database after the backup: one learner more, one changed.
		extra := f.other
		extra.ID, extra.SNILS, extra.LastName = 0, "", "Добавленная"
		if err := s.Learners.CreateLearner(ctx, auth.SystemScope("41"), &extra); err != nil {
			t.Fatal(err)
		}
		if _, err := s.write.ExecContext(ctx, `UPDATE learner SET last_name = 'Изменённая' WHERE id = $1`, f.pupil.ID); err != nil {
			t.Fatal(err)
		}
		changed, err := s.Checksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if maps.Equal(before, changed) {
			t.Fatal("checksums did not notice the changes")
		}

		if err := s.Restore(ctx, file); err != nil {
			t.Fatalf("restore: %v", err)
		}
		after, err := s.Checksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for table, c := range before {
			if after[table] != c {
				t.Errorf("table %s after the restore: %+v, before the backup: %+v", table, after[table], c)
			}
		}
		if len(after) != len(before) {
			t.Errorf("%d tables after the restore, %d before", len(after), len(before))
		}
		l, err := s.Learners.Learner(ctx, auth.SystemScope("41"), f.pupil.ID)
		if err != nil || l.LastName != "Иванова" {
			t.Errorf("the pupil after the restore: %q, %v", l.LastName, err)
		}
		// The store keeps working on the restored data.
		if _, n, err := s.Learners.Learners(ctx, auth.SystemScope("41"), learner.Filter{Limit: 10}); err != nil || n != 4 {
			t.Errorf("learners after the restore: %d, %v", n, err)
		}
	})
}

// A file that is not a backup is refused with a clear message, and the
// database is left as it was.
func TestRestoreRefusesGarbage(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seed(t, s)
		before, err := s.Checksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		bad := filepath.Join(t.TempDir(), "bad.backup")
		if err := os.WriteFile(bad, []byte("Фамилия;Имя\nИванов;Иван\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		err = s.Restore(ctx, bad)
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Message(err), "не является резервной копией") {
			t.Errorf("restore of a text file: %v", err)
		}
		if err := s.Restore(ctx, bad+".missing"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("restore of a missing file: %v", err)
		}
		after, err := s.Checksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(before, after) {
			t.Error("a refused restore changed the database")
		}
	})
}
