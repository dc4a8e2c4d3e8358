package main

import (
	"context"
	"fmt"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/config"
	"marshrut/internal/store"
)

// runBackup is `marshrut backup FILE`: a consistent copy of the database,
// taken while the server keeps serving. SQLite is copied with VACUUM INTO;
// PostgreSQL is dumped with pg_dump in its custom format (the client programs
// of the server's version must be installed: Debian's postgresql-client).
func runBackup(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("backup", e, &cfg)
	file, rest := splitFile(args)
	if err := cfg.Parse(fs, rest, e.getenv); err != nil {
		return err
	}
	file, err := oneFile(file, fs.Args(), "backup")
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, file); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "резервная копия базы данных (%s) записана в %s\n", st.Engine(), file)
	return nil
}

// runRestore is `marshrut restore FILE`: the database's contents replaced by
// a backup made with `marshrut backup`, in one transaction, then brought up
// to the schema of this version. A file that is not a backup is refused and
// the database stays as it was.
func runRestore(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("restore", e, &cfg)
	file, rest := splitFile(args)
	if err := cfg.Parse(fs, rest, e.getenv); err != nil {
		return err
	}
	file, err := oneFile(file, fs.Args(), "restore")
	if err != nil {
		return err
	}
	log := cfg.Logger()
	st, err := store.Open(ctx, cfg.DatabaseURL, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Restore(ctx, file); err != nil {
		return err
	}
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	v, err := st.Version(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "база данных (%s) восстановлена из %s, схема в версии %d\n", st.Engine(), file, v)
	return nil
}

// splitFile takes the file named before the flags, as in
// `marshrut backup FILE --db …`; the flag package stops at the first name.
func splitFile(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

// oneFile is the single file argument of backup and restore, named before
// the flags or after them.
func oneFile(file string, rest []string, cmd string) (string, error) {
	if file != "" {
		rest = append([]string{file}, rest...)
	}
	if len(rest) != 1 || rest[0] == "" {
		return "", apperr.New(apperr.Invalid, "укажите один файл: marshrut %s ФАЙЛ", cmd)
	}
	return rest[0], nil
}
