package config

import (
	"flag"
	"io"
	"strings"
	"testing"
)

// A database password is taken from the environment only: on the command
// line every user of the machine could read it in the list of processes.
func TestPasswordOnlyFromEnvironment(t *testing.T) {
	withPassword := "postgres://marshrut:s3cret@db:5432/marshrut"
	for _, tt := range []struct {
		args []string
		env  string
		ok   bool
	}{
		{[]string{"--db", withPassword}, "", false},
		{[]string{"--db", "postgres://marshrut@db:5432/marshrut?password=s3cret"}, "", false},
		{[]string{"--db", "postgres://marshrut@db:5432/marshrut"}, "", true},
		{[]string{"--db", "/var/lib/marshrut/marshrut.db"}, "", true},
		{nil, withPassword, true},
	} {
		c := Default()
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		c.Register(fs)
		err := c.Parse(fs, tt.args, func(k string) string {
			if k == "MARSHRUT_DATABASE_URL" {
				return tt.env
			}
			return ""
		})
		if (err == nil) != tt.ok || (err != nil && !strings.Contains(err.Error(), "PGPASSWORD")) {
			t.Errorf("%v, env %q: %v", tt.args, tt.env, err)
		}
	}
}
