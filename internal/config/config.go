// Package config reads Marshrut's settings from MARSHRUT_* environment variables
// and command-line flags into one validated Config that is passed down; there
// are no globals. A flag given on the command line wins over the environment.
package config

import (
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/sso"
)

// Config is every setting of the program.
type Config struct {
	DatabaseURL string        // postgres://… selects PostgreSQL; anything else is a SQLite file
	Addr        string        // address serve listens on
	Region      string        // two-digit code of the installation's region
	LogLevel    slog.Level    // debug, info, warn, error
	LogTo       io.Writer     // where the log goes: os.Stderr when nil; tests read it
	LogFormat   string        // text or json
	BaseURL     string        // public address, for links and Secure cookies behind TLS
	SessionTTL  time.Duration // how long a login lasts without activity
	TimeZone    string        // the region's time zone (IANA name): every time shown is in it

	// DatabaseReadURL names streaming replicas of the PostgreSQL primary,
	// separated by commas, for the reads that may be a little stale (list
	// pages, exports, reports, the monitor); ReadURLs splits it.
	DatabaseReadURL string

	// TrustedProxies is the comma-separated CIDR list of reverse proxies whose
	// X-Forwarded-For is believed; Proxies is it parsed by Validate.
	TrustedProxies string
	Proxies        []netip.Prefix
	TLSCert        string // certificate file (PEM): serve speaks HTTPS itself
	TLSKey         string // its private key file (PEM)
	MetricsAddr    string // a separate address for /metrics alone
	MetricsToken   string // opens /metrics on the main address; from MARSHRUT_METRICS_TOKEN only
	SMTPURL        string // smtp://user:password@host:port?from=…, for notices by e-mail; from MARSHRUT_SMTP_URL only
	AuditYears     int    // how many years the audit log is kept
	InviteDays     int    // how many days a printed invitation works

	// The region's single sign-on (OpenID Connect): off while OIDCIssuer is empty.
	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string // from MARSHRUT_OIDC_CLIENT_SECRET only
	OIDCMatch        string // the claim an account is found by at the first sign-in: email, snils or login
	// OIDCClient makes the requests to the provider; a client with a time
	// limit when nil. Tests and the demo's provider in-process set it.
	OIDCClient *http.Client

	// Госуслуги (ЕСИА): on only when the address, the mnemonic and a
	// certified ГОСТ provider (ESIASigner and ESIAVerifier) are all there.
	// The program ships no such provider: an installation compiles its own
	// in (cmd/marshrut/esia.go), tests set a stand-in.
	ESIAURL      string
	ESIAClientID string
	ESIAScope    string
	ESIASigner   sso.Signer
	ESIAVerifier sso.Verifier
	// ESIAClient makes the requests to ЕСИА; a client with a time limit when nil.
	ESIAClient *http.Client

	// Clock answers the installation's present; time.Now when nil. A demo
	// region generated as of another day (demo --today) runs on a clock that
	// starts on that day, and tests pin it, so that no answer depends on the
	// day they run.
	Clock func() time.Time
}

// Now is the installation's present, in the region's time zone: its date
// is the region's today, whatever zone the machine keeps.
func (c *Config) Now() time.Time { return c.NowFunc()() }

// NowFunc is the installation's clock, for the services: the present in
// the region's time zone.
func (c *Config) NowFunc() func() time.Time {
	clock, loc := c.Clock, c.Location()
	if clock == nil {
		clock = time.Now
	}
	return func() time.Time { return clock().In(loc) }
}

// StartingAt is a clock that shows start now and runs on from it at the
// pace of the machine's own (monotonic) clock.
func StartingAt(start time.Time) func() time.Time {
	began := time.Now()
	return func() time.Time { return start.Add(time.Since(began)) }
}

// ParseDay reads a day given as ГГГГ-ММ-ДД in loc.
func ParseDay(s string, loc *time.Location) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("дата «%s» не в виде ГГГГ-ММ-ДД", s)
	}
	return d, nil
}

// Location is the region's time zone; UTC when TimeZone is empty.
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Default is the configuration before environment and flags.
func Default() Config {
	return Config{
		DatabaseURL: "marshrut.db",
		Addr:        "127.0.0.1:8080",
		Region:      "41",
		LogLevel:    slog.LevelInfo,
		LogFormat:   "text",
		SessionTTL:  12 * time.Hour,
		TimeZone:    "Asia/Kamchatka",
		AuditYears:  3,
		InviteDays:  30,
		OIDCMatch:   "email",
		ESIAScope:   sso.DefaultESIAScope,
	}
}

// EnvName is the environment variable behind a flag: MARSHRUT_ and the flag's
// name in capitals («log-level» → MARSHRUT_LOG_LEVEL); --db is MARSHRUT_DATABASE_URL,
// --db-read MARSHRUT_DATABASE_READ_URL.
func EnvName(flagName string) string {
	switch flagName {
	case "db":
		return "MARSHRUT_DATABASE_URL"
	case "db-read":
		return "MARSHRUT_DATABASE_READ_URL"
	}
	return "MARSHRUT_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// Register adds the flags every subcommand shares.
func (c *Config) Register(fs *flag.FlagSet) {
	fs.StringVar(&c.DatabaseURL, "db", c.DatabaseURL, "база данных: путь к файлу SQLite или postgres://… (MARSHRUT_DATABASE_URL)")
	fs.StringVar(&c.DatabaseReadURL, "db-read", c.DatabaseReadURL, "реплики PostgreSQL для чтения списков, выгрузок и отчётов: postgres://… через запятую (MARSHRUT_DATABASE_READ_URL)")
	fs.StringVar(&c.Region, "region", c.Region, "двузначный код региона установки (MARSHRUT_REGION)")
	fs.IntVar(&c.InviteDays, "invite-days", c.InviteDays, "сколько дней действует напечатанное приглашение (MARSHRUT_INVITE_DAYS)")
	fs.TextVar(&c.LogLevel, "log-level", c.LogLevel, "уровень журнала: debug, info, warn, error (MARSHRUT_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "формат журнала: text или json (MARSHRUT_LOG_FORMAT)")
	fs.StringVar(&c.TimeZone, "timezone", c.TimeZone, "часовой пояс региона, например Asia/Kamchatka или Europe/Moscow (MARSHRUT_TIMEZONE)")
}

// RegisterServe adds the flags of the commands that serve HTTP.
func (c *Config) RegisterServe(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", c.Addr, "адрес HTTP-сервера (MARSHRUT_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "внешний адрес, например https://marshrut.example.ru (MARSHRUT_BASE_URL)")
	fs.DurationVar(&c.SessionTTL, "session-ttl", c.SessionTTL, "срок жизни сеанса без активности (MARSHRUT_SESSION_TTL)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", c.TrustedProxies, "обратные прокси, которым верится X-Forwarded-For: CIDR через запятую, например 10.0.0.5/32 (MARSHRUT_TRUSTED_PROXIES)")
	fs.StringVar(&c.TLSCert, "tls-cert", c.TLSCert, "файл сертификата (PEM): сервер сам работает по HTTPS (MARSHRUT_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", c.TLSKey, "файл закрытого ключа сертификата (PEM) (MARSHRUT_TLS_KEY)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "отдельный адрес для /metrics, например 127.0.0.1:9100 (MARSHRUT_METRICS_ADDR)")
	fs.IntVar(&c.AuditYears, "audit-years", c.AuditYears, "сколько лет хранится журнал доступа (MARSHRUT_AUDIT_YEARS)")
	fs.StringVar(&c.OIDCIssuer, "oidc-issuer", c.OIDCIssuer, "адрес провайдера единого входа региона (OpenID Connect), например https://sso.region.ru/realms/edu (MARSHRUT_OIDC_ISSUER)")
	fs.StringVar(&c.OIDCClientID, "oidc-client-id", c.OIDCClientID, "идентификатор клиента «Маршрута» у провайдера единого входа (MARSHRUT_OIDC_CLIENT_ID); секрет — в MARSHRUT_OIDC_CLIENT_SECRET")
	fs.StringVar(&c.OIDCMatch, "oidc-match", c.OIDCMatch, "по какому признаку найти учётную запись при первом входе: email, snils или login (MARSHRUT_OIDC_MATCH)")
	fs.StringVar(&c.ESIAURL, "esia-url", c.ESIAURL, "адрес ЕСИА (Госуслуги): https://esia.gosuslugi.ru или тестовый контур https://esia-portal1.test.gosuslugi.ru (MARSHRUT_ESIA_URL)")
	fs.StringVar(&c.ESIAClientID, "esia-client-id", c.ESIAClientID, "мнемоника информационной системы в ЕСИА (MARSHRUT_ESIA_CLIENT_ID)")
	fs.StringVar(&c.ESIAScope, "esia-scope", c.ESIAScope, "области доступа, запрашиваемые у ЕСИА (MARSHRUT_ESIA_SCOPE)")
}

// Parse parses args, then fills every flag not given on the command line from
// its environment variable, and validates the result.
func (c *Config) Parse(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if given["db"] && hasPassword(c.DatabaseURL) {
		return fmt.Errorf("пароль базы данных нельзя передавать флагом --db: командную строку видят все пользователи машины; " +
			"задайте адрес в MARSHRUT_DATABASE_URL или пароль в PGPASSWORD")
	}
	if given["db-read"] && slices.ContainsFunc(c.ReadURLs(), hasPassword) {
		return fmt.Errorf("пароль реплики нельзя передавать флагом --db-read: командную строку видят все пользователи машины; " +
			"задайте адреса в MARSHRUT_DATABASE_READ_URL или пароль в PGPASSWORD")
	}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := EnvName(f.Name)
		if v := getenv(name); v != "" && !given[f.Name] && err == nil {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s: недопустимое значение «%s»: %v", name, v, e)
			}
		}
	})
	if err != nil {
		return err
	}
	// A secret comes only from the environment: the command line is seen by
	// every user of the machine.
	c.MetricsToken = getenv("MARSHRUT_METRICS_TOKEN")
	c.SMTPURL = getenv("MARSHRUT_SMTP_URL")
	c.OIDCClientSecret = getenv("MARSHRUT_OIDC_CLIENT_SECRET")
	return c.Validate()
}

// Validate checks the settings and names the first one that is wrong.
func (c *Config) Validate() error {
	if strings.TrimSpace(c.DatabaseURL) == "" {
		return fmt.Errorf("не задана база данных: укажите --db или MARSHRUT_DATABASE_URL")
	}
	for _, u := range c.ReadURLs() {
		if !isPostgres(u) {
			return fmt.Errorf("реплика для чтения «%s» (MARSHRUT_DATABASE_READ_URL): нужен адрес postgres://…", u)
		}
		if !isPostgres(c.DatabaseURL) {
			return fmt.Errorf("реплики для чтения (MARSHRUT_DATABASE_READ_URL) работают только с PostgreSQL: MARSHRUT_DATABASE_URL должен быть postgres://…")
		}
	}
	if len(c.Region) != 2 || strings.Trim(c.Region, "0123456789") != "" {
		return fmt.Errorf("код региона «%s» должен состоять из двух цифр, например 41", c.Region)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("адрес сервера «%s» должен иметь вид хост:порт, например 127.0.0.1:8080", c.Addr)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("формат журнала «%s»: допустимы text и json", c.LogFormat)
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "" {
		return fmt.Errorf("часовой пояс «%s» неизвестен: укажите имя из базы IANA, например Asia/Kamchatka", c.TimeZone)
	}
	if c.SessionTTL < time.Minute {
		return fmt.Errorf("срок жизни сеанса %s слишком мал: не меньше минуты", c.SessionTTL)
	}
	if c.BaseURL != "" && !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
		return fmt.Errorf("внешний адрес «%s» должен начинаться с http:// или https://", c.BaseURL)
	}
	c.Proxies = nil
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			if a, err := netip.ParseAddr(p); err == nil {
				p += "/" + strconv.Itoa(a.BitLen())
			}
		}
		pref, err := netip.ParsePrefix(p)
		if err != nil {
			return fmt.Errorf("доверенный прокси «%s»: нужен адрес или сеть CIDR, например 10.0.0.5 или 10.0.0.0/24", p)
		}
		c.Proxies = append(c.Proxies, pref.Masked())
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("для HTTPS нужны оба файла: --tls-cert и --tls-key")
	}
	if c.TLSCert != "" {
		if _, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey); err != nil {
			return fmt.Errorf("сертификат %s и ключ %s не читаются как пара PEM: %v", c.TLSCert, c.TLSKey, err)
		}
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			return fmt.Errorf("адрес метрик «%s» должен иметь вид хост:порт, например 127.0.0.1:9100", c.MetricsAddr)
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		return fmt.Errorf("MARSHRUT_METRICS_TOKEN короче 16 знаков: такой токен легко подобрать")
	}
	if c.OIDCIssuer != "" {
		switch {
		case c.OIDCClientID == "":
			return fmt.Errorf("для единого входа (--oidc-issuer) укажите идентификатор клиента: --oidc-client-id")
		case c.OIDCClientSecret == "":
			return fmt.Errorf("для единого входа (--oidc-issuer) задайте секрет клиента в MARSHRUT_OIDC_CLIENT_SECRET")
		case c.BaseURL == "":
			return fmt.Errorf("для единого входа (--oidc-issuer) укажите внешний адрес --base-url: на него провайдер вернёт человека")
		case c.OIDCMatch != "email" && c.OIDCMatch != "snils" && c.OIDCMatch != "login":
			return fmt.Errorf("признак сопоставления «%s» (--oidc-match): допустимы email, snils, login", c.OIDCMatch)
		}
	}
	if c.ESIAURL != "" {
		switch u, err := url.Parse(c.ESIAURL); {
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			return fmt.Errorf("адрес ЕСИА «%s» (--esia-url) должен иметь вид https://esia.gosuslugi.ru", c.ESIAURL)
		case c.ESIAClientID == "":
			return fmt.Errorf("для входа через Госуслуги (--esia-url) укажите мнемонику системы: --esia-client-id")
		case c.BaseURL == "":
			return fmt.Errorf("для входа через Госуслуги (--esia-url) укажите внешний адрес --base-url: на него ЕСИА вернёт человека")
		case !strings.Contains(" "+c.ESIAScope+" ", " snils "):
			return fmt.Errorf("области доступа ЕСИА (--esia-scope) должны включать snils: по СНИЛС находится кабинет")
		}
	}
	if c.InviteDays < 1 || c.InviteDays > 366 {
		return fmt.Errorf("срок действия приглашения %d дн.: допустимо от 1 до 366", c.InviteDays)
	}
	if c.AuditYears < 1 || c.AuditYears > 75 {
		return fmt.Errorf("срок хранения журнала доступа %d лет: допустимо от 1 до 75", c.AuditYears)
	}
	return nil
}

// TLS reports whether serve speaks HTTPS itself.
func (c *Config) TLS() bool { return c.TLSCert != "" }

// ReadURLs are the addresses of the read replicas, DatabaseReadURL split at
// its commas; none when it is empty.
func (c *Config) ReadURLs() []string {
	var out []string
	for _, u := range strings.Split(c.DatabaseReadURL, ",") {
		if u = strings.TrimSpace(u); u != "" {
			out = append(out, u)
		}
	}
	return out
}

// isPostgres reports whether a database address is PostgreSQL's.
func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// hasPassword reports whether a postgres:// address carries a password.
// Secrets come only from the environment, never from the command line.
func hasPassword(dsn string) bool {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return false
	}
	_, ok := u.User.Password()
	return ok || u.Query().Get("password") != ""
}

// SecureCookies reports whether cookies must carry the Secure flag (and
// browsers be told by HSTS to keep to HTTPS): the program is reached over
// TLS, its own or its proxy's.
func (c *Config) SecureCookies() bool { return c.TLS() || strings.HasPrefix(c.BaseURL, "https://") }

// Logger builds the program's logger.
func (c *Config) Logger() *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	var to io.Writer = os.Stderr
	if c.LogTo != nil {
		to = c.LogTo
	}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(to, opts))
	}
	return slog.New(slog.NewTextHandler(to, opts))
}
