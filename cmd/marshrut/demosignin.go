package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/config"
	"marshrut/internal/sso"
	"marshrut/internal/store"
)

// demoInvitations prints the sheet of invitations of the demo pupil's class
// into a file beside the database, as a school would.
func demoInvitations(ctx context.Context, e *env, cfg *config.Config, st *store.Store) error {
	pupil, _, err := st.Auth.UserByLogin(ctx, "pupil")
	if err != nil {
		return err
	}
	l, err := st.Learners.Learner(ctx, auth.SystemScope(cfg.Region), pupil.LearnerID)
	if err != nil {
		return err
	}
	c := *cfg
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	// Beside a SQLite file; for PostgreSQL, with the demo's other files.
	dir := filepath.Dir(cfg.DatabaseURL)
	if store.EngineOf(cfg.DatabaseURL) == store.Postgres {
		dir = filepath.Join(os.TempDir(), "marshrut-demo-"+cfg.Region)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	path := filepath.Join(dir, "demo-invitations.html")
	n, err := printInvitations(ctx, &c, st, l.OrgID, l.Grade, l.Group, path)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Лист приглашений класса %s (%d шт.) — %s; такой же печатает школа в разделе «Обучающиеся → Приглашения».\n", l.Group, n, path)
	return nil
}

// startTestIdP starts the test provider of single sign-on on a loopback
// address for the demo, with one person for each demo user, and points the
// configuration at it. It stops with ctx.
func startTestIdP(ctx context.Context, e *env, cfg *config.Config, st *store.Store) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	idp := &sso.TestIdP{Issuer: "http://" + ln.Addr().String(), ClientID: "marshrut-demo", ClientSecret: auth.NewSecret(), Now: cfg.NowFunc()}
	users, err := st.Auth.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		idp.People = append(idp.People, sso.Identity{Subject: "demo-" + u.Login, Name: u.Name, Login: u.Login})
	}
	// A person the region's provider knows and Marshrut does not.
	idp.People = append(idp.People, sso.Identity{Subject: "demo-stranger", Name: "Посторонний человек", Login: "stranger"})
	srv := &http.Server{Handler: idp, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + cfg.Addr
	}
	cfg.OIDCIssuer, cfg.OIDCClientID, cfg.OIDCClientSecret, cfg.OIDCMatch = idp.Issuer, idp.ClientID, idp.ClientSecret, "login"
	fmt.Fprintf(e.stdout, "Учебный провайдер единого входа: %s — кнопка «Войти через единую систему входа региона» на странице входа.\n", idp.Issuer)
	return nil
}
