package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"marshrut/internal/analytics"
	"marshrut/internal/api"
	"marshrut/internal/auth"
	"marshrut/internal/config"
	"marshrut/internal/learner"
	"marshrut/internal/org"
	"marshrut/internal/server"
	"marshrut/internal/store"
	"marshrut/internal/web"
)

func runServe(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("serve", e, &cfg)
	cfg.RegisterServe(fs)
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	return serve(ctx, e, &cfg, st, nil)
}

// handler wires the services, pages and API of the program on the store.
func handler(cfg *config.Config, st *store.Store) (http.Handler, error) {
	log := cfg.Logger()
	now := time.Now
	authSvc := auth.NewService(st, cfg.SessionTTL, now)
	learners := learner.NewService(st, st, now)
	orgs := org.NewService(st)
	w, err := web.New(web.Deps{
		Learners: learners, Orgs: orgs, Analytics: analytics.NewService(st, now), Auth: authSvc, Users: st,
		Municipalities: st, Region: cfg.Region, SecureCookies: cfg.SecureCookies(), SessionTTL: cfg.SessionTTL, Log: log,
	})
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return server.New(server.Deps{
		Web: w, API: api.New(api.Deps{Learners: learners, Orgs: orgs, Log: log}), Auth: authSvc, Ping: st.Ping, Log: log, Registry: reg,
	}), nil
}

// serve listens on cfg.Addr until ctx is cancelled, then shuts down gracefully,
// letting requests in flight finish. ready, when set, gets the address once the
// server listens.
func serve(ctx context.Context, e *env, cfg *config.Config, st *store.Store, ready func(addr string)) error {
	log := cfg.Logger()
	h, err := handler(cfg, st)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("не удалось открыть адрес %s: %w", cfg.Addr, err)
	}
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	// Expired sessions are swept once an hour.
	go func() {
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				if n, err := st.DeleteExpiredSessions(ctx, now); err != nil {
					log.Warn("sweep sessions", "err", err)
				} else if n > 0 {
					log.Info("expired sessions removed", "count", n)
				}
			}
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	addr := "http://" + ln.Addr().String()
	log.Info("serving", "addr", addr, "db", st.Engine())
	fmt.Fprintf(e.stdout, "Маршрут работает: %s\n", addr)
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
