package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/learner"
)

// An import killed halfway by SIGKILL leaves the database as it was: the rows
// go in one transaction, which a killed process never commits.
func TestImportKilledHalfway(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and writes a large file")
	}
	dir := t.TempDir()
	bin := buildBinary(t)
	db := filepath.Join(dir, "kill.db")
	if out, err := exec.Command(bin, "demo", "--db", db, "--learners", "2000", "--today", testDayArg, "--generate-only").CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	count := func() int {
		cfg := testConfig()
		cfg.DatabaseURL, cfg.LogLevel = db, 8
		st, err := openStore(context.Background(), &cfg, cfg.Logger())
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		_, n, err := st.Learners.Learners(context.Background(), auth.SystemScope("41"), learner.Filter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()

	// A roster long enough to be killed in the middle of.
	csv := filepath.Join(dir, "roster.csv")
	f, err := os.Create(csv)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "Фамилия;Имя;Отчество;Дата рождения;СНИЛС;Образовательная организация;Код специальности;Курс")
	for i := 0; i < 400000; i++ {
		body := fmt.Sprintf("%09d", 500_000_000+i)
		fmt.Fprintf(w, "Петров;Иван;Сергеевич;01.02.2008;%s%02d;Камчатский политехнический техникум;15.02.08;2\n", body, learner.SNILSCheck(body))
	}
	w.Flush()
	f.Close()

	cmd := exec.Command(bin, "import", "learners", csv, "--db", db)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once its transaction has written rows: the write-ahead log grows.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if st, err := os.Stat(db + "-wal"); err == nil && st.Size() > 4<<20 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the import wrote nothing in 30 s")
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the import ended before it was killed (%v): make the file longer", err)
	}
	if after := count(); after != before {
		t.Errorf("%d learners after the killed import, %d before", after, before)
	}
	out, err := exec.Command("sqlite3", db, "PRAGMA integrity_check").CombinedOutput()
	if err == nil && string(out) != "ok\n" {
		t.Errorf("integrity check: %s", out)
	}
}
