package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{clock: testClock, stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(context.Background(), args, e)
	return code, out.String(), errb.String()
}

func TestCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cmd.db")
	tests := []struct {
		name      string
		stdin     string
		args      []string
		code      int
		out, errs string
	}{
		{"help", "", []string{"help"}, 0, "serve", ""},
		{"no command", "", nil, 0, "Использование: marshrut <команда>", ""},
		{"unknown", "", []string{"fly"}, 2, "", "неизвестная команда «fly»"},
		{"version", "", []string{"version"}, 0, "marshrut ", ""},
		{"migrate", "", []string{"migrate", "--db", db}, 0, "схема базы данных (sqlite) в версии", ""},
		{"bad region", "", []string{"migrate", "--db", db, "--region", "4x"}, 1, "", "код региона «4x»"},
		{"user without stdin flag", "", []string{"user", "add", "--db", db, "--login", "ivanova", "--role", "region"}, 1, "", "--password-stdin"},
		{"user short password", "short\n", []string{"user", "add", "--db", db, "--login", "ivanova", "--role", "region", "--password-stdin"}, 1, "", "не короче 10"},
		{"user needs org", "long-enough-pw\n", []string{"user", "add", "--db", db, "--login", "kolledzh", "--role", "college", "--password-stdin"}, 1, "", "укажите организацию"},
		{"user bad role", "long-enough-pw\n", []string{"user", "add", "--db", db, "--login", "x-user", "--role", "boss", "--password-stdin"}, 1, "", "неизвестная роль «boss»"},
		{"user ok", "long-enough-pw\n", []string{"user", "add", "--db", db, "--login", "ivanova", "--role", "region", "--password-stdin"}, 0, "Пользователь ivanova", ""},
		{"user twice", "long-enough-pw\n", []string{"user", "add", "--db", db, "--login", "ivanova", "--role", "region", "--password-stdin"}, 1, "", "логин «ivanova» уже занят"},
		{"demo negative", "", []string{"demo", "--db", db, "--learners", "-5", "--generate-only"}, 1, "", "не может быть отрицательным"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCmd(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.errs) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
		})
	}
}

// serve answers health checks and stops cleanly when its context ends.
func TestServeShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cfg := testConfig()
	cfg.DatabaseURL = filepath.Join(t.TempDir(), "serve.db")
	cfg.Addr = "127.0.0.1:0"
	cfg.LogLevel = 8
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, &env{clock: testClock, stdout: io.Discard, stderr: io.Discard}, &cfg, st, func(addr string) { ready <- addr })
	}()
	addr := <-ready
	for _, p := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get("http://" + addr + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "imp.db")
	if code, _, errs := runCmd(t, "", "demo", "--db", db, "--learners", "2000", "--today", testDayArg, "--generate-only"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	good := "Фамилия;Имя;Отчество;Дата рождения;СНИЛС;Образовательная организация;Код специальности;Курс\n" +
		"Орлова;Мария;Ивановна;02.01.2008;112-233-445 95;Камчатский медицинский колледж;34.02.01;2\n"
	bad := good + "Орлов;Пётр;Иванович;2008-01-02;920-000-003 01;Камчатский политехнический техникум;15.02.08;2\n"
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"dry run", []string{"import", "learners", write("good.csv", good), "--db", db, "--dry-run"}, 0, "создано 1"},
		{"apply", []string{"import", "learners", write("good.csv", good), "--db", db}, 0, "Загружено"},
		{"again", []string{"import", "learners", write("good.csv", good), "--db", db}, 0, "без изменений 1"},
		{"rejected rows exit 3", []string{"import", "learners", write("bad.csv", bad), "--db", db, "--report", filepath.Join(dir, "r.xlsx")}, 3, "строка 3, столбец «СНИЛС»"},
		{"empty file", []string{"import", "learners", write("empty.csv", ""), "--db", db}, 1, ""},
		{"national file: other regions skipped, exit 0", []string{"import", "vacancies", "../../internal/imports/testdata/trudvsem_vacancies_sample.csv", "--db", db}, 0, "пропущено 88 (другие регионы)"},
		{"forms listed", []string{"report", "list"}, 0, "employment"},
		{"form written", []string{"report", "employment", "--db", db, "--out", filepath.Join(dir, "form.xlsx")}, 0, "Мониторинг трудоустройства выпускников"},
		{"form of a school for the region refused", []string{"report", "profminimum", "--db", db, "--out", filepath.Join(dir, "p.xlsx")}, 1, ""},
		{"request to the social fund", []string{"export", "sfr-request", filepath.Join(dir, "sfr.csv"), "--year", fmt.Sprint(testClock().Year() - 1), "--db", db}, 0, "Запрос в СФР"},
		{"federal ИНН failing its check kept, flagged", []string{"import", "vacancies", "../../internal/imports/testdata/trudvsem_api_bad_inn.json", "--db", db}, 0, "принято с замечаниями 3"},
		{"unknown kind", []string{"import", "planets", "x.csv", "--db", db}, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCmd(t, "", tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "r.xlsx")); err != nil {
		t.Errorf("the rejected rows' report was not saved: %v", err)
	}
}
