package config

import (
	"flag"
	"io"
	"log/slog"
	"strings"
	"testing"
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
