package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"marshrut/internal/analytics"
	"marshrut/internal/api"
	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/cluster"
	"marshrut/internal/config"
	"marshrut/internal/guidance"
	"marshrut/internal/jobs"
	"marshrut/internal/kpi"
	"marshrut/internal/learner"
	"marshrut/internal/mail"
	"marshrut/internal/measures"
	"marshrut/internal/mentor"
	"marshrut/internal/org"
	"marshrut/internal/referral"
	"marshrut/internal/report"
	"marshrut/internal/risk"
	"marshrut/internal/rollup"
	"marshrut/internal/routing"
	"marshrut/internal/server"
	"marshrut/internal/sso"
	"marshrut/internal/store"
	"marshrut/internal/tables"
	"marshrut/internal/targeted"
	"marshrut/internal/web"
	"marshrut/internal/youth"
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

// app is the program wired on its store: the HTTP handler and what runs beside it.
type app struct {
	handler http.Handler
	metrics http.Handler // /metrics alone, for --metrics-addr
	web     *web.Web
	jobs    *jobs.Runner
	monitor *analytics.Monitor
	reports *report.Service
}

// newApp wires the services, pages and API of the program on the store.
func newApp(cfg *config.Config, st *store.Store) (*app, error) {
	log := cfg.Logger()
	now := cfg.NowFunc()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	authSvc := auth.NewService(st.Auth, cfg.SessionTTL, now)
	learners := learner.NewService(st.Learners, st.Auth, now)
	orgs := org.NewService(st.Orgs)
	runner := jobs.NewRunner(st.Jobs, log, reg)
	importer := newImporter(st)
	guide := guidance.NewService(st.Guidance, now)
	offers := targeted.NewService(st.Targeted, now)
	routes := routing.NewService(st.Routing, runner, now)
	warn := risk.NewService(st.Risks, runner, now)
	// Proposals of mentors give students at higher risk of staying without work a mentor first.
	pairs := mentor.NewService(st.Mentorship, st.Risks, now)
	clusters := cluster.NewService(st.Clusters, now)
	programmes := measures.NewService(st.Measures, now)
	services := referral.NewService(st.Referrals, now)
	workforce := balance.NewService(st.Balance, now)
	monitor, figures := newFigures(cfg, st, workforce, programmes, now)
	stats := analytics.NewService(st.Analytics, now)
	reports := report.NewService(st.Reports, figures, runner, tables.ReportXLSX, now)
	young := youth.NewService(st.Youth, st.Youth, now)
	offers.RequireConsent(young.TargetedConsent)
	invitations := youth.NewInvitations(st.Youth, authSvc, days(cfg.InviteDays), now)
	var signOn *sso.Provider
	if cfg.OIDCIssuer != "" {
		p, err := sso.New(sso.Config{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret,
			RedirectURL: strings.TrimRight(cfg.BaseURL, "/") + "/login/sso/callback", Match: sso.Match(cfg.OIDCMatch), Client: cfg.OIDCClient, Now: now})
		if err != nil {
			return nil, err
		}
		signOn = p
	}
	gosuslugi, err := esia(cfg)
	if err != nil {
		return nil, err
	}
	w, err := web.New(web.Deps{
		Learners: learners, Orgs: orgs, Analytics: stats, Auth: authSvc, Users: st.Auth,
		Municipalities: st.Classifier, Vacancies: st.Vacancies, Importer: importer, Jobs: runner,
		Guidance: guide, Targeted: offers, Routing: routes, Risk: warn, Rollup: rollup.NewService(st.Rollup, now), Monitor: monitor, KPI: figures, Reports: reports, Forms: newForms(st, figures), Mentor: pairs, Cluster: clusters, Balance: workforce, Measures: programmes, Referrals: services, Youth: young,
		Invitations: invitations, BaseURL: cfg.BaseURL, SSO: signOn, SignIn: sso.NewService(st.SSO, cfg.Region, now), ESIA: gosuslugi,
		Region: cfg.Region, Location: cfg.Location(), SecureCookies: cfg.SecureCookies(), SessionTTL: cfg.SessionTTL, Log: log, Now: now,
	})
	if err != nil {
		return nil, err
	}
	h := server.New(server.Deps{
		Web: w, API: api.New(api.Deps{Learners: learners, Orgs: orgs, Importer: importer, Guidance: guide, Targeted: offers, Routing: routes, Risk: warn, Balance: workforce, Mentor: pairs, Cluster: clusters, Analytics: stats, KPI: figures, Log: log, Measures: programmes, Referrals: services, Youth: young, Audit: st.Auth, Auth: authSvc, Users: st.Auth, Forms: newForms(st, figures), Now: now}), Auth: authSvc,
		OnWrite: func(_ context.Context, sc auth.Scope) { touch(monitor, sc) }, OwnWritesFor: ownWritesFor(cfg), Ping: st.Ping, Log: log, Registry: reg, HSTS: cfg.SecureCookies(),
		TrustedProxies: cfg.Proxies, MetricsToken: cfg.MetricsToken,
	})
	return &app{handler: h, metrics: h.Metrics(), web: w, jobs: runner, monitor: monitor, reports: reports}, nil
}

// handler is the HTTP side of the program alone, for tests and benchmarks.
func handler(cfg *config.Config, st *store.Store) (http.Handler, error) {
	a, err := newApp(cfg, st)
	if err != nil {
		return nil, err
	}
	return a.handler, nil
}

// serve listens on cfg.Addr until ctx is cancelled, then shuts down gracefully,
// letting requests in flight finish. ready, when set, gets the address once the
// server listens.
func serve(ctx context.Context, e *env, cfg *config.Config, st *store.Store, ready func(addr string)) error {
	log := cfg.Logger()
	a, err := newApp(cfg, st)
	if err != nil {
		return err
	}
	if err := st.FailInterrupted(ctx, cfg.Now()); err != nil {
		return err
	}
	if err := st.FailInterruptedRuns(ctx); err != nil {
		return err
	}
	// Statuses whose period began or ended since the last run are read
	// again, now and every night; then the monitoring figures are counted
	// before the first page asks for them, and the month's report is made
	// once the month begins.
	if n, err := st.RefreshStatuses(ctx, cfg.Region); err != nil {
		return err
	} else if n > 0 {
		log.Info("statuses read again", "learners", n)
	}
	// The work in the background ends with ctx; the scheduler may start a
	// job, so it must have returned before the jobs in flight are waited for.
	var background sync.WaitGroup
	background.Go(func() { refreshStatuses(ctx, st, a.monitor, cfg.Region, cfg.Location(), cfg.NowFunc(), log) })
	background.Go(func() { recountNightly(ctx, st, cfg.Location(), cfg.NowFunc(), log) })
	background.Go(func() { a.monitor.Snapshot(ctx, cfg.Region) })
	background.Go(func() { a.reports.Schedule(ctx, cfg.Region, time.Hour, log) })
	// Notices by e-mail go out when the installation names its SMTP server.
	if cfg.SMTPURL != "" {
		srv, err := mail.ParseURL(cfg.SMTPURL)
		if err != nil {
			return fmt.Errorf("MARSHRUT_SMTP_URL: %w", err)
		}
		base := cfg.BaseURL
		if base == "" {
			base = "http://" + cfg.Addr
		}
		sender := &mail.Sender{Outbox: st.Mail, Server: srv, BaseURL: base, Log: log, Now: cfg.NowFunc()}
		background.Go(func() { sender.Run(ctx, 30*time.Second) })
	}
	h := a.handler
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
	// Expired sessions are swept once an hour, and audit entries past the
	// retention period removed: now, and then hourly with the sessions.
	pruneAudit(ctx, st, cfg, cfg.Now(), log)
	go func() {
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				now := cfg.Now()
				a.web.SweepUploads(time.Now()) // against the files' own times
				if n, err := st.Auth.DeleteExpiredSessions(ctx, now); err != nil {
					log.Warn("sweep sessions", "err", err)
				} else if n > 0 {
					log.Info("expired sessions removed", "count", n)
				}
				pruneAudit(ctx, st, cfg, now, log)
			}
		}
	}()
	errc := make(chan error, 2)
	scheme := "http://"
	if cfg.TLS() {
		scheme = "https://"
		hs.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		go func() { errc <- hs.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey) }()
	} else {
		go func() { errc <- hs.Serve(ln) }()
	}
	var ms *http.Server
	if cfg.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.metrics)
		ms = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: time.Minute}
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("не удалось открыть адрес метрик %s: %w", cfg.MetricsAddr, err)
		}
		go func() { errc <- ms.Serve(mln) }()
		log.Info("serving metrics", "addr", mln.Addr().String())
	}
	addr := scheme + ln.Addr().String()
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
	if ms != nil {
		ms.Shutdown(shutdown)
	}
	if err := hs.Shutdown(shutdown); err != nil {
		return err
	}
	// Jobs in flight finish before the store closes, once nothing can start
	// another.
	background.Wait()
	a.jobs.Wait()
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newFigures is the region's figures as every page, the command line and
// the rollup read them: one monitoring snapshot, with the region-wide counts
// of the workforce balance and of the employment programmes, under the
// catalogue of measures.
func newFigures(cfg *config.Config, st *store.Store, workforce *balance.Service, programmes *measures.Service, now func() time.Time) (*analytics.Monitor, *kpi.Service) {
	monitor := analytics.NewMonitor(st.Analytics, now, kpi.DemandClosure(workforce), kpi.ProgrammeEmployment(programmes))
	return monitor, kpi.NewService(monitor, st.Targets, now, cfg.Location())
}

// pruneAudit removes the audit entries older than the retention period.
func pruneAudit(ctx context.Context, st *store.Store, cfg *config.Config, now time.Time, log *slog.Logger) {
	n, err := st.Auth.PruneAudit(ctx, now.AddDate(-cfg.AuditYears, 0, 0))
	switch {
	case err != nil:
		log.Warn("prune audit log", "err", err)
	case n > 0:
		log.Info("old audit entries removed", "count", n, "years", cfg.AuditYears)
	}
}

// touch tells the monitoring snapshot what a write by the scope may have
// changed: an organisation's own staff change their organisation; everyone
// else (the region, an employment centre, an employer) may change any.
func touch(m *analytics.Monitor, sc auth.Scope) {
	switch sc.Role {
	case auth.School, auth.College, auth.University:
		m.Touch(sc.RegionCode, sc.OrgID)
	default:
		m.Touch(sc.RegionCode)
	}
}

// refreshStatuses reads again, shortly after each midnight of the region,
// the statuses of learners whose period began or ended, and reminds the
// pupils signed up for the next day's events.
func refreshStatuses(ctx context.Context, st *store.Store, m *analytics.Monitor, region string, loc *time.Location, clock func() time.Time, log *slog.Logger) {
	for {
		now := clock().In(loc)
		next := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 5, 0, 0, loc)
		select {
		case <-ctx.Done():
			return
		case <-time.After(next.Sub(now)):
		}
		// Those signed up for tomorrow's events hear of it today.
		day := clock().In(loc)
		if r, err := st.RemindTrials(ctx, region, time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, time.UTC)); err != nil {
			log.Warn("remind of tomorrow's events", "err", err)
		} else if r > 0 {
			log.Info("reminded of tomorrow's events", "notices", r)
		}
		n, err := st.RefreshStatuses(ctx, region)
		if err != nil {
			log.Warn("refresh statuses", "err", err)
			continue
		}
		if n > 0 {
			m.Touch(region)
			log.Info("statuses read again", "learners", n)
		}
	}
}

// recountNightly counts the kept counts afresh every night at half past
// three and repairs any drift (recountTallies).
func recountNightly(ctx context.Context, st *store.Store, loc *time.Location, clock func() time.Time, log *slog.Logger) {
	for {
		now := clock().In(loc)
		next := time.Date(now.Year(), now.Month(), now.Day(), 3, 30, 0, 0, loc)
		if !next.After(now) {
			next = next.AddDate(0, 0, 1)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(next.Sub(now)):
		}
		if _, err := recountTallies(ctx, st, log); err != nil {
			log.Warn("recount kept counts", "err", err)
		}
	}
}

// recountTallies counts the kept counts (coverage, mentorship, targeted
// education) afresh from the data, repairs what drifted and logs it: the
// tables, the cells and the size of the drift, never a person.
func recountTallies(ctx context.Context, st *store.Store, log *slog.Logger) ([]store.Drift, error) {
	start := time.Now()
	drift, err := st.RecountTallies(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range drift {
		log.Warn("kept counts drifted from the data and were repaired", "table", d.Table, "cells", d.Cells, "off", d.Off)
	}
	if len(drift) == 0 {
		log.Info("kept counts agree with the data", "took", time.Since(start).Round(time.Millisecond))
	}
	return drift, nil
}

// ownWritesFor is how long a user's reads stay on the primary after the
// user wrote: only with read replicas, on which a write shows a moment later.
func ownWritesFor(cfg *config.Config) time.Duration {
	if len(cfg.ReadURLs()) == 0 {
		return 0
	}
	return store.OwnWritesFor
}
