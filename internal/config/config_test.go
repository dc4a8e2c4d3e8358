package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"io"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    func(Config) bool
		wantErr string
	}{
		{name: "defaults", want: func(c Config) bool {
			return c.DatabaseURL == "marshrut.db" && c.Addr == "127.0.0.1:8080" && c.Region == "41"
		}},
		{name: "env", env: map[string]string{"MARSHRUT_DATABASE_URL": "postgres://x", "MARSHRUT_LOG_LEVEL": "debug"},
			want: func(c Config) bool { return c.DatabaseURL == "postgres://x" && c.LogLevel == slog.LevelDebug }},
		{name: "flag wins over env", args: []string{"--db", "a.db"}, env: map[string]string{"MARSHRUT_DATABASE_URL": "b.db"},
			want: func(c Config) bool { return c.DatabaseURL == "a.db" }},
		{name: "read replicas", env: map[string]string{"MARSHRUT_DATABASE_URL": "postgres://p/db", "MARSHRUT_DATABASE_READ_URL": "postgres://r1/db, postgresql://r2/db"},
			want: func(c Config) bool { return len(c.ReadURLs()) == 2 && c.ReadURLs()[1] == "postgresql://r2/db" }},
		{name: "no read replicas", want: func(c Config) bool { return c.ReadURLs() == nil }},
		{name: "read replica flag", args: []string{"--db", "postgres://p/db", "--db-read", "postgres://r1/db"},
			want: func(c Config) bool { return c.DatabaseReadURL == "postgres://r1/db" }},
		{name: "read replica of sqlite", env: map[string]string{"MARSHRUT_DATABASE_READ_URL": "postgres://r1/db"}, wantErr: "только с PostgreSQL"},
		{name: "read replica not postgres", env: map[string]string{"MARSHRUT_DATABASE_URL": "postgres://p/db", "MARSHRUT_DATABASE_READ_URL": "postgres://r1/db,replica.db"},
			wantErr: "реплика для чтения «replica.db»"},
		{name: "read replica password in flag", args: []string{"--db", "postgres://p/db", "--db-read", "postgres://u:secret@r1/db"}, wantErr: "--db-read"},
		{name: "bad region", args: []string{"--region", "4"}, wantErr: "код региона «4»"},
		{name: "bad env duration", env: map[string]string{"MARSHRUT_SESSION_TTL": "ever"}, wantErr: "MARSHRUT_SESSION_TTL"},
		{name: "bad addr", args: []string{"--addr", "8080"}, wantErr: "хост:порт"},
		{name: "bad level", env: map[string]string{"MARSHRUT_LOG_LEVEL": "loud"}, wantErr: "MARSHRUT_LOG_LEVEL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			fs := flag.NewFlagSet("x", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			c.Register(fs)
			c.RegisterServe(fs)
			err := c.Parse(fs, tt.args, func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.want(c) {
				t.Errorf("unexpected config %+v", c)
			}
		})
	}
}

// The settings of hardening: trusted proxies as CIDR or single addresses,
// TLS from both files or neither, the metrics token only from the
// environment, and the retention of the audit log.
func TestParseHardening(t *testing.T) {
	dir := t.TempDir()
	cert, key := selfSignedFiles(t, dir)
	parse := func(args []string, env map[string]string) (Config, error) {
		c := Default()
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		c.Register(fs)
		c.RegisterServe(fs)
		err := c.Parse(fs, args, func(k string) string { return env[k] })
		return c, err
	}
	c, err := parse([]string{"--trusted-proxies", "10.0.0.5, 192.168.1.0/24,::1"}, nil)
	if err != nil || len(c.Proxies) != 3 || c.Proxies[0].String() != "10.0.0.5/32" || c.Proxies[1].String() != "192.168.1.0/24" || c.Proxies[2].String() != "::1/128" {
		t.Errorf("proxies %v, %v", c.Proxies, err)
	}
	if c.AuditYears != 3 || c.SecureCookies() || c.TLS() {
		t.Errorf("defaults: %+v", c)
	}
	c, err = parse([]string{"--tls-cert", cert, "--tls-key", key}, map[string]string{"MARSHRUT_METRICS_TOKEN": "a-long-metrics-token", "MARSHRUT_AUDIT_YEARS": "5"})
	if err != nil || !c.TLS() || !c.SecureCookies() || c.MetricsToken != "a-long-metrics-token" || c.AuditYears != 5 {
		t.Errorf("TLS: %+v, %v", c, err)
	}
	for _, tt := range []struct {
		args    []string
		env     map[string]string
		wantErr string
	}{
		{[]string{"--trusted-proxies", "10.0.0.0/33"}, nil, "доверенный прокси «10.0.0.0/33»"},
		{[]string{"--trusted-proxies", "proxy.local"}, nil, "нужен адрес или сеть CIDR"},
		{[]string{"--tls-cert", cert}, nil, "нужны оба файла"},
		{[]string{"--tls-cert", key, "--tls-key", key}, nil, "не читаются как пара PEM"},
		{[]string{"--metrics-addr", "9100"}, nil, "адрес метрик «9100»"},
		{nil, map[string]string{"MARSHRUT_METRICS_TOKEN": "short"}, "короче 16 знаков"},
		{[]string{"--audit-years", "0"}, nil, "срок хранения журнала доступа 0 лет"},
	} {
		if _, err := parse(tt.args, tt.env); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%v %v: %v, want %q", tt.args, tt.env, err, tt.wantErr)
		}
	}
	// The metrics token is a secret: there is no flag for it.
	if _, err := parse([]string{"--metrics-token", "a-long-metrics-token"}, nil); err == nil {
		t.Error("a metrics token was taken from the command line")
	}
}

// selfSignedFiles writes a certificate and its key into dir.
func selfSignedFiles(t *testing.T, dir string) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "marshrut-test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(k)
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return cert, key
}
