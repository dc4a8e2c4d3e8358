// Command marshrut is the whole of Marshrut in one binary: the web server, the
// database migrations, the demo region and the long jobs run from a shell.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // the region's time zone on machines without a zoneinfo database

	"marshrut/internal/apperr"
)

// command is one subcommand of the binary.
type command struct {
	name, summary string
	run           func(ctx context.Context, e *env, args []string) error
}

// env is what a command gets from the outside world; tests pass their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	clock          func() time.Time // the present: time.Now when nil
}

func commands() []command {
	return []command{
		{"serve", "запустить веб-сервер", runServe},
		{"migrate", "применить миграции базы данных", runMigrate},
		{"demo", "создать демонстрационный регион и запустить сервер", runDemo},
		{"user", "пользователи: marshrut user add|passwd|disable|enable|list …", runUser},
		{"import", "загрузить обучающихся, вакансии, ответ СФР, ФИС ФРДО: marshrut import learners|outcomes|sfr|frdo|vacancies ФАЙЛ", runImport},
		{"export", "выгрузить обучающихся или организации в XLSX или CSV, сводку региона: marshrut export rollup", runExport},
		{"forecast", "баланс кадров и прогноз: marshrut forecast balance | import … | bench --m3 ФАЙЛ", runForecast},
		{"risk", "раннее предупреждение: marshrut risk train | score | bench --uci ФАЙЛ", runRisk},
		{"match", "распределить выпускников по вакансиям: marshrut match [--mode stable|optimal] или --instance КАТАЛОГ", runMatch},
		{"measures", "ключевые показатели: marshrut measures [--scope region|municipality:N|org:N] [--as-of ГГГГ-ММ-ДД] [--format table|json]", runMeasures},
		{"report", "официальные формы отчётности в XLSX: marshrut report list | ФОРМА [--year ГОД] [--org НОМЕР] --out ФАЙЛ.xlsx", runReport},
		{"rollup", "федеральная сводка: marshrut rollup keygen | trust | import", runRollup},
		{"backup", "резервная копия базы данных: marshrut backup ФАЙЛ", runBackup},
		{"restore", "восстановить базу данных из копии: marshrut restore ФАЙЛ", runRestore},
		{"version", "показать версию", runVersion},
		{"help", "список команд", nil},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}))
}

func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] && c.run != nil {
			err := c.run(ctx, e, args[1:])
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, context.Canceled):
				return 130
			case errors.Is(err, errRejected):
				return 3
			}
			if apperr.CodeOf(err) == apperr.Unavailable {
				// A full disk or a lost database: the Russian words first, the cause for the administrator after.
				fmt.Fprintf(e.stderr, "marshrut %s: %s\n(%v)\n", c.name, apperr.Message(err), err)
				return 1
			}
			fmt.Fprintf(e.stderr, "marshrut %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(e.stderr, "marshrut: неизвестная команда «%s»\n\n", args[0])
	usage(e.stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Маршрут — региональная система сопровождения молодёжи от школы до работы.")
	fmt.Fprintln(w, "\nИспользование: marshrut <команда> [флаги]\n\nКоманды:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nФлаги команды: marshrut <команда> -h. Настройки также читаются из переменных MARSHRUT_*.")
}
