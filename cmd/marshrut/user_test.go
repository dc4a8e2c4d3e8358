package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"marshrut/internal/auth"
)

// marshrut user passwd|disable|enable|list: a new password and a disabled
// account end the user's sessions and tokens.
func TestUserCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "users.db")
	if code, _, errs := runCmd(t, "long-enough-pw\n", "user", "add", "--db", db, "--login", "ivanova", "--role", "region", "--password-stdin"); code != 0 {
		t.Fatalf("add: %s", errs)
	}
	ctx := context.Background()
	cfg := testConfig()
	cfg.DatabaseURL = db
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		t.Fatal(err)
	}
	svc := auth.NewService(st.Auth, time.Hour, testClock)
	u, _, _ := st.Auth.UserByLogin(ctx, "ivanova")
	secret, _, err := svc.CreateToken(ctx, u, "выгрузка")
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	tokenWorks := func() bool {
		st, err := openStore(ctx, &cfg, cfg.Logger())
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		_, err = auth.NewService(st.Auth, time.Hour, testClock).AuthenticateToken(ctx, secret, "127.0.0.1")
		return err == nil
	}
	login := func(pw string) error {
		st, err := openStore(ctx, &cfg, cfg.Logger())
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		_, _, _, err = auth.NewService(st.Auth, time.Hour, testClock).Login(ctx, "ivanova", pw, "127.0.0.1")
		return err
	}
	for _, tt := range []struct {
		stdin     string
		args      []string
		code      int
		out, errs string
	}{
		{"", []string{"user", "passwd", "--db", db, "--login", "ivanova"}, 1, "", "--password-stdin"},
		{"Qwerty123!\n", []string{"user", "passwd", "--db", db, "--login", "ivanova", "--password-stdin"}, 1, "", "распространённого слова"},
		{"new-long-phrase\n", []string{"user", "passwd", "--db", db, "--login", "nobody", "--password-stdin"}, 1, "", "пользователя «nobody» нет"},
		{"", []string{"user", "disable", "--db", db}, 1, "", "--login"},
		{"", []string{"user", "fly", "--db", db}, 0, "", "marshrut user passwd"},
	} {
		code, out, errs := runCmd(t, tt.stdin, tt.args...)
		if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.errs) {
			t.Errorf("%v: %d\n%s\n%s", tt.args, code, out, errs)
		}
	}
	if !tokenWorks() {
		t.Fatal("refused commands revoked the token")
	}
	if code, out, errs := runCmd(t, "new-long-phrase\n", "user", "passwd", "--db", db, "--login", "ivanova", "--password-stdin"); code != 0 || !strings.Contains(out, "изменён") {
		t.Fatalf("passwd: %d %s %s", code, out, errs)
	}
	if tokenWorks() {
		t.Error("the token survived a new password")
	}
	if err := login("new-long-phrase"); err != nil {
		t.Errorf("the new password: %v", err)
	}
	if code, _, errs := runCmd(t, "", "user", "disable", "--db", db, "--login", "ivanova"); code != 0 {
		t.Fatalf("disable: %s", errs)
	}
	if err := login("new-long-phrase"); err == nil {
		t.Error("a disabled user logs in")
	}
	if code, out, _ := runCmd(t, "", "user", "list", "--db", db); code != 0 || !strings.Contains(out, "ivanova") || !strings.Contains(out, "отключён") {
		t.Errorf("list: %d\n%s", code, out)
	}
	if code, _, errs := runCmd(t, "", "user", "enable", "--db", db, "--login", "ivanova"); code != 0 {
		t.Fatalf("enable: %s", errs)
	}
	if err := login("new-long-phrase"); err != nil {
		t.Errorf("an enabled user: %v", err)
	}
	if _, out, _ := runCmd(t, "", "user", "list", "--db", db); !strings.Contains(out, "активен") {
		t.Errorf("list after enable:\n%s", out)
	}
}
