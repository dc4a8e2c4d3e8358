package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"runtime/debug"

	"marshrut/internal/classifier"
	"marshrut/internal/config"
	"marshrut/internal/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			if dirty {
				rev += "+"
			}
			return "dev-" + rev
		}
	}
	return "dev"
}

// flags makes the flag set of a subcommand with the shared settings on it.
func flags(name string, e *env, cfg *config.Config) *flag.FlagSet {
	fs := flag.NewFlagSet("marshrut "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.Register(fs)
	cfg.Clock = e.clock
	return fs
}

// openStore opens the database, brings its schema up to date and makes sure
// the classifiers and the installation's region are in it.
func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (*store.Store, error) {
	st, err := store.Open(ctx, cfg.DatabaseURL, log)
	if err != nil {
		return nil, err
	}
	st.SetClock(cfg.NowFunc())
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	b, err := classifier.LoadBuiltin()
	if err != nil {
		st.Close()
		return nil, err
	}
	if err := st.SeedClassifiers(ctx, b); err != nil {
		st.Close()
		return nil, err
	}
	if _, err := st.Classifier.Region(ctx, cfg.Region); err != nil {
		st.Close()
		return nil, fmt.Errorf("регион установки: %w", err)
	}
	if err := st.UseReplicas(ctx, cfg.ReadURLs()); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fmt.Fprintln(e.stdout, "marshrut", versionString())
	return nil
}

func runMigrate(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("migrate", e, &cfg)
	recount := fs.Bool("recount", false, "после миграций пересчитать хранимые счётчики (охват профориентацией, наставничество, целевое обучение) с нуля, сверить и исправить расхождения")
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	log := cfg.Logger()
	st, err := openStore(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := st.Version(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "схема базы данных (%s) в версии %d\n", st.Engine(), v)
	if *recount {
		drift, err := recountTallies(ctx, st, log)
		if err != nil {
			return err
		}
		if len(drift) == 0 {
			fmt.Fprintln(e.stdout, "хранимые счётчики совпадают с данными")
		}
		for _, d := range drift {
			fmt.Fprintf(e.stdout, "%s: расходились %d ячеек на %d, исправлено\n", d.Table, d.Cells, d.Off)
		}
	}
	return nil
}
