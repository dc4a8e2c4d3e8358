package main

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/config"
	"marshrut/internal/kpi"
	"marshrut/internal/measures"
	"marshrut/internal/rollup"
	"marshrut/internal/store"
)

const rollupUsage = `Использование:
  marshrut export rollup --key КЛЮЧ.pem --out ПАКЕТ.json   сводные показатели региона без персональных данных, с подписью
  marshrut rollup keygen --out КЛЮЧ.pem                     создать ключ региона и показать открытый ключ
  marshrut rollup trust --code КОД --key ОТКРЫТЫЙ_КЛЮЧ      принять пакеты региона с этим ключом (федеральная установка)
  marshrut rollup import ПАКЕТ.json …                       загрузить пакеты регионов (федеральная установка)
Ключ региона можно передать и переменной MARSHRUT_ROLLUP_KEY_FILE.`

// runRollup is `marshrut rollup …`: keys and imports of the federal rollup.
func runRollup(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, rollupUsage)
		return flag.ErrHelp
	}
	cfg := config.Default()
	fs := flags("rollup "+args[0], e, &cfg)
	out := fs.String("out", "", "файл, куда записать ключ")
	region := fs.String("code", "", "код региона, чьи пакеты принимать, две цифры")
	key := fs.String("key", "", "открытый ключ региона (base64), как его напечатала команда keygen в регионе")
	switch args[0] {
	case "keygen":
		if err := cfg.Parse(fs, args[1:], e.getenv); err != nil {
			return err
		}
		if *out == "" {
			return errors.New("укажите файл ключа: marshrut rollup keygen --out region.pem")
		}
		pemKey, pub, err := rollup.GenerateKey()
		if err != nil {
			return err
		}
		f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("ключ не записан: %w (существующий ключ не перезаписывается)", err)
		}
		if _, err := f.Write(pemKey); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Ключ региона записан в %s (доступ только владельцу). Открытый ключ для федеральной установки:\n%s\n",
			*out, rollupKeyText(pub))
		return nil
	case "trust", "import":
	default:
		fmt.Fprintln(e.stderr, rollupUsage)
		return fmt.Errorf("неизвестная команда «rollup %s»", args[0])
	}
	rest := args[1:]
	var files []string
	for len(rest) > 0 && rest[0] != "" && rest[0][0] != '-' {
		files, rest = append(files, rest[0]), rest[1:]
	}
	if err := cfg.Parse(fs, rest, e.getenv); err != nil {
		return err
	}
	files = append(files, fs.Args()...)
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	svc := rollup.NewService(st.Rollup, cfg.NowFunc())
	sys := auth.SystemScope(cfg.Region)
	if args[0] == "trust" {
		if err := svc.Trust(ctx, sys, *region, *key); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Пакеты региона %s принимаются с ключом %s.\n", *region, *key)
		return nil
	}
	if len(files) == 0 {
		return errors.New("укажите файлы пакетов: marshrut rollup import ПАКЕТ.json …")
	}
	failed := 0
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err == nil {
			var b rollup.Bundle
			if b, err = svc.Import(ctx, sys, data); err == nil {
				fmt.Fprintf(e.stdout, "%s: загружен пакет региона %s (%s) за %s.\n", name, b.Region, b.RegionName, b.Period)
				continue
			}
		}
		failed++
		fmt.Fprintf(e.stderr, "%s: %v\n", name, err)
	}
	if failed > 0 {
		return fmt.Errorf("не загружено пакетов: %d из %d", failed, len(files))
	}
	return nil
}

func rollupKeyText(pub ed25519.PublicKey) string { return base64.StdEncoding.EncodeToString(pub) }

// exportRollup is `marshrut export rollup`: the region's signed bundle.
func exportRollup(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("export rollup", e, &cfg)
	keyFile := fs.String("key", "", "файл ключа региона (marshrut rollup keygen); или переменная MARSHRUT_ROLLUP_KEY_FILE")
	out := fs.String("out", "", "файл пакета, например rollup-41-2026-11.json")
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	if *keyFile == "" {
		*keyFile = e.getenv("MARSHRUT_ROLLUP_KEY_FILE")
	}
	if *keyFile == "" || *out == "" {
		return errors.New("укажите ключ и файл: marshrut export rollup --key region.pem --out rollup.json")
	}
	data, err := os.ReadFile(*keyFile)
	if err != nil {
		return fmt.Errorf("ключ региона не прочитан: %w", err)
	}
	key, err := rollup.ParsePrivateKey(data)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	signed, b, err := buildRollup(ctx, &cfg, st, key)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, signed, 0o644); err != nil {
		return err
	}
	headline := 0.0
	for _, a := range b.Protection.Accuracy {
		if a.Table == "measures" {
			headline = a.ShareMax
		}
	}
	fmt.Fprintf(e.stdout, "Пакет региона %s за %s записан в %s: %d таблиц, %d байт; числа защищены методом ключа ячейки (шум до ±%d, числа 1–%d не публикуются), ключевые доли изменены не больше чем на %s п. п.; %.2f с.\n",
		b.Region, b.Period, *out, len(b.Tables), len(signed), b.Protection.MaxNoise, b.Threshold-1,
		strings.Replace(strconv.FormatFloat(headline, 'f', 2, 64), ".", ",", 1), time.Since(start).Seconds())
	return nil
}

// buildRollup gathers and signs the region's bundle, with the headline
// measures as the region's pages show them.
func buildRollup(ctx context.Context, cfg *config.Config, st *store.Store, key ed25519.PrivateKey) ([]byte, rollup.Bundle, error) {
	region := cfg.Region
	r, err := st.Classifier.Region(ctx, region)
	if err != nil {
		return nil, rollup.Bundle{}, err
	}
	if _, err := st.RefreshStatuses(ctx, region); err != nil {
		return nil, rollup.Bundle{}, err
	}
	_, figures := newFigures(cfg, st, balance.NewService(st.Balance, cfg.NowFunc()), measures.NewService(st.Measures, cfg.NowFunc()), cfg.NowFunc())
	doc, err := figures.Document(ctx, auth.SystemScope(region), kpi.Scope{Kind: "region"}, time.Time{})
	if err != nil {
		return nil, rollup.Bundle{}, err
	}
	b, err := rollup.Build(ctx, st.Source, region, r.Name, cfg.Now(), doc.Items, rollup.Secret(key))
	if err != nil {
		return nil, b, err
	}
	signed, err := rollup.Sign(b, key)
	return signed, b, err
}
