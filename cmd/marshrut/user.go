package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/config"
)

func runUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(e.stderr, "Использование: marshrut user add --login L --role R [--org ID] [--learner ID] [--municipalities ID,ID] [--name ИМЯ] --password-stdin")
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
	fs.Int64Var(&u.LearnerID, "learner", 0, "номер записи обучающегося (для роли learner)")
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
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return errors.New("пароль не получен со стандартного ввода")
	}
	password := strings.TrimRight(line, "\r\n")
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	svc := auth.NewService(st, cfg.SessionTTL, time.Now)
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
