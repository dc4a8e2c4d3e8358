package store

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
)

// A SQLite database that cannot grow (the disk is full; here max_page_count
// stands for the disk) refuses a large import and a single write with a
// clear Russian message, keeps every row it had, passes integrity_check, and
// takes writes again once there is room, without a restart.
func TestSQLiteDiskFull(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, filepath.Join(t.TempDir(), "full.db"))
	f := seed(t, s)
	before, err := s.Checksums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var pages int64
	if err := s.write.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	// max_page_count belongs to a connection: the write pool has just one.
	if _, err := s.write.ExecContext(ctx, fmt.Sprintf(`PRAGMA max_page_count = %d`, pages+8)); err != nil {
		t.Fatal(err)
	}

	err = s.Load(ctx, func(l *Loader) error {
		id, err := l.NextID("learner")
		if err != nil {
			return err
		}
		ls := make([]learner.Learner, 20000)
		for i := range ls {
			ls[i] = f.student
			ls[i].ID, ls[i].LastName = id+int64(i), fmt.Sprintf("Загруженный-%d", i)
		}
		return l.Learners(ls)
	})
	checkFull := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s into a full database succeeded", what)
		}
		if apperr.CodeOf(err) != apperr.Unavailable || !strings.Contains(apperr.Message(err), "закончилось место") {
			t.Errorf("%s: code %s, message %q (%v)", what, apperr.CodeOf(err), apperr.Message(err), err)
		}
	}
	checkFull("an import", err)
	extra := f.other
	// One learner whose record takes more pages than are left.
	extra.ID, extra.MiddleName = 0, strings.Repeat("Длинная", 4000)
	checkFull("a learner", s.Learners.CreateLearner(ctx, auth.SystemScope("41"), &extra))

	after, err := s.Checksums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(before, after) {
		t.Error("the refused writes changed the database")
	}
	var ok string
	if err := s.read.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity check: %q, %v", ok, err)
	}
	// Room again: writes go through on the same store.
	if _, err := s.write.ExecContext(ctx, `PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	extra.ID, extra.MiddleName = 0, "Новая"
	if err := s.Learners.CreateLearner(ctx, auth.SystemScope("41"), &extra); err != nil {
		t.Errorf("a write after room was made: %v", err)
	}
}
