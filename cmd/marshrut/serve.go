package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"marshrut/internal/config"
	"marshrut/internal/server"
	"marshrut/internal/store"
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

// serve listens on cfg.Addr until ctx is cancelled, then shuts down gracefully,
// letting requests in flight finish. ready, when set, gets the address once the
// server listens.
func serve(ctx context.Context, e *env, cfg *config.Config, st *store.Store, ready func(addr string)) error {
	log := cfg.Logger()
	srv := server.New(server.Deps{Config: cfg, Log: log, Ping: st.Ping, Analytics: st, Version: versionString()})
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("не удалось открыть адрес %s: %w", cfg.Addr, err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
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
