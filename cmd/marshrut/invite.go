package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode"

	"marshrut/internal/auth"
	"marshrut/internal/config"
	"marshrut/internal/org"
	"marshrut/internal/store"
	"marshrut/internal/web"
	"marshrut/internal/youth"
)

// runUserInvite prints the invitations of an organisation's class or study
// group, or of all its classes, into an HTML file of A4 slips.
func runUserInvite(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("user invite", e, &cfg)
	orgID := fs.Int64("org", 0, "номер школы или колледжа")
	group := fs.String("group", "", "класс («9А») или учебная группа («ТМ-24»); без него — все классы и группы")
	grade := fs.Int("grade", 0, "класс без буквы (1–11), если у класса нет буквы")
	out := fs.String("out", "", "файл листа приглашений (HTML), например invites.html")
	fs.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, "внешний адрес установки для ссылок и QR-кодов (MARSHRUT_BASE_URL)")
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	if *orgID <= 0 || *out == "" {
		return errors.New("укажите организацию и файл: --org НОМЕР --out invites.html")
	}
	if cfg.BaseURL == "" {
		return errors.New("укажите внешний адрес установки для ссылок приглашений: --base-url https://… или MARSHRUT_BASE_URL")
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := printInvitations(ctx, &cfg, st, *orgID, *grade, *group, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Приглашений напечатано: %d; лист — %s. Коды показаны только в этом файле: напечатайте его и удалите.\n", n, *out)
	return nil
}

// printInvitations makes the invitations of a class (or of every class of
// the organisation when neither grade nor group is given) and writes the
// sheet to a file.
func printInvitations(ctx context.Context, cfg *config.Config, st *store.Store, orgID int64, grade int, group, path string) (int, error) {
	o, err := st.Orgs.Organisation(ctx, orgID)
	if err != nil {
		return 0, err
	}
	sc := auth.SystemScope(cfg.Region)
	svc := youth.NewInvitations(st.Youth, nil, days(cfg.InviteDays), cfg.NowFunc())
	var classes []youth.Class
	switch {
	case group != "" || grade != 0:
		if grade == 0 && o.Kind == org.School {
			grade = leadingNumber(group)
		}
		classes = []youth.Class{{OrgID: orgID, Grade: grade, Group: group}}
	default:
		rows, err := svc.Classes(ctx, sc, orgID)
		if err != nil {
			return 0, err
		}
		for _, r := range rows {
			classes = append(classes, r.Class)
		}
	}
	sheet := web.Sheet{Org: o.Name, Base: cfg.BaseURL, Loc: cfg.Location(), Inline: true}
	var names []string
	for _, c := range classes {
		slips, err := svc.Print(ctx, sc, c)
		if err != nil && len(classes) > 1 {
			continue // a class where everyone has an account already
		}
		if err != nil {
			return 0, err
		}
		sheet.Slips = append(sheet.Slips, slips...)
		names = append(names, c.Name())
	}
	if len(sheet.Slips) == 0 {
		return 0, fmt.Errorf("в организации «%s» некого приглашать: у всех обучающихся уже есть кабинеты", o.Name)
	}
	sheet.Class = strings.Join(names, ", ")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	if err := web.WriteSheet(f, sheet); err != nil {
		f.Close()
		return 0, err
	}
	return len(sheet.Slips), f.Close()
}

func leadingNumber(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsDigit(r) {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// days is a number of days as a duration.
func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }
