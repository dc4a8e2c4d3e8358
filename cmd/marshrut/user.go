package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"marshrut/internal/auth"
	"marshrut/internal/config"
)

const userUsage = `Использование:
  marshrut user add --login L --role R [--org ID] [--learner ID] [--municipalities ID,ID] [--name ИМЯ] --password-stdin
  marshrut user passwd --login L --password-stdin   новый пароль; сеансы и API-токены пользователя завершаются
  marshrut user disable --login L                   отключить; сеансы и API-токены завершаются
  marshrut user enable --login L                    включить снова
  marshrut user list                                пользователи, их роли и состояние
  marshrut user invite --org ID [--group 9А|ТМ-24] --out invites.html [--base-url URL]
                                                    лист приглашений класса или группы: коды и QR-коды для первого входа`

func runUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, userUsage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "add":
	case "passwd", "disable", "enable":
		return runUserChange(ctx, e, args[0], args[1:])
	case "list":
		return runUserList(ctx, e, args[1:])
	case "invite":
		return runUserInvite(ctx, e, args[1:])
	default:
		fmt.Fprintln(e.stderr, userUsage)
		return flag.ErrHelp
	}
	cfg := config.Default()
	fs := flags("user add", e, &cfg)
	var u auth.User
	var role, munis string
	fs.StringVar(&u.Login, "login", "", "логин (латинские строчные буквы, цифры, . _ @ -)")
	fs.StringVar(&role, "role", "", "роль: "+roleList())
	fs.StringVar(&u.Name, "name", "", "имя для показа, например «Иванова М. П., колледж»")
	fs.Int64Var(&u.OrgID, "org", 0, "номер организации (для ролей school, college, university, employer, czn)")
	fs.Int64Var(&u.LearnerID, "learner", 0, "номер записи обучающегося (для роли learner; для guardian — запись ребёнка)")
	fs.StringVar(&munis, "municipalities", "", "номера муниципальных образований центра занятости через запятую (по умолчанию — его собственное)")
	stdin := fs.Bool("password-stdin", false, "прочитать пароль из первой строки стандартного ввода")
	if err := cfg.Parse(fs, args[1:], e.getenv); err != nil {
		return err
	}
	if !*stdin {
		return errors.New("пароль передаётся только через стандартный ввод: добавьте --password-stdin")
	}
	u.Role = auth.Role(role)
	u.RegionCode = cfg.Region
	for _, m := range strings.Split(munis, ",") {
		if m = strings.TrimSpace(m); m == "" {
			continue
		}
		id, err := strconv.ParseInt(m, 10, 64)
		if err != nil {
			return fmt.Errorf("--municipalities: «%s» не является номером", m)
		}
		u.Municipalities = append(u.Municipalities, id)
	}
	password, err := readPassword(e)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	svc := auth.NewService(st.Auth, cfg.SessionTTL, cfg.NowFunc())
	if err := svc.AddUser(ctx, &u, password); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Пользователь %s (%s) создан, номер %d.\n", u.Login, u.Role.Name(), u.ID)
	return nil
}

func roleList() string {
	var s []string
	for _, r := range auth.Roles {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

// readPassword reads the password from the first line of standard input.
func readPassword(e *env) (string, error) {
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("пароль не получен со стандартного ввода")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// runUserChange sets a new password of a user, or disables or enables one.
func runUserChange(ctx context.Context, e *env, cmd string, args []string) error {
	cfg := config.Default()
	fs := flags("user "+cmd, e, &cfg)
	login := fs.String("login", "", "логин пользователя")
	stdin := false
	if cmd == "passwd" {
		fs.BoolVar(&stdin, "password-stdin", false, "прочитать новый пароль из первой строки стандартного ввода")
	}
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	if strings.TrimSpace(*login) == "" {
		return errors.New("укажите пользователя: --login")
	}
	var password string
	if cmd == "passwd" {
		if !stdin {
			return errors.New("пароль передаётся только через стандартный ввод: добавьте --password-stdin")
		}
		var err error
		if password, err = readPassword(e); err != nil {
			return err
		}
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	u, _, err := st.Auth.UserByLogin(ctx, strings.ToLower(strings.TrimSpace(*login)))
	if err != nil {
		return fmt.Errorf("пользователя «%s» нет", *login)
	}
	svc := auth.NewService(st.Auth, cfg.SessionTTL, cfg.NowFunc())
	switch cmd {
	case "passwd":
		if err := svc.SetPassword(ctx, u.ID, password); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Пароль пользователя %s изменён; его сеансы и API-токены завершены.\n", u.Login)
	case "disable":
		if err := svc.SetDisabled(ctx, u.ID, true); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Пользователь %s отключён; его сеансы и API-токены завершены.\n", u.Login)
	case "enable":
		if err := svc.SetDisabled(ctx, u.ID, false); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Пользователь %s включён.\n", u.Login)
	}
	return nil
}

// runUserList prints the users: login, role, organisation and state.
func runUserList(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("user list", e, &cfg)
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	users, err := st.Auth.Users(ctx)
	if err != nil {
		return err
	}
	now := cfg.Now()
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "НОМЕР\tЛОГИН\tРОЛЬ\tОРГАНИЗАЦИЯ\tСОСТОЯНИЕ")
	for _, u := range users {
		state := "активен"
		switch {
		case u.Disabled:
			state = "отключён"
		case u.Locked(now):
			state = "заблокирован до " + u.LockedUntil.Local().Format("02.01.2006 15:04")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Login, u.Role, u.OrgName, state)
	}
	return tw.Flush()
}
