package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not a PHC argon2id string", h)
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, tt := range []struct {
		hash, pw string
		ok       bool
	}{
		{h, "correct horse battery", true},
		{h, "correct horse batterY", false},
		{h, "", false},
		{"$argon2id$broken", "correct horse battery", false},
		{"plain", "plain", false},
	} {
		if got := VerifyPassword(tt.hash, tt.pw); got != tt.ok {
			t.Errorf("VerifyPassword(%q, %q) = %v", tt.hash, tt.pw, got)
		}
	}
	if err := CheckPassword("ivanova", "short"); err == nil {
		t.Error("a short password passed")
	}
}

func TestLimiter(t *testing.T) {
	l := newLimiter(3, time.Minute)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if b, _ := l.blocked("ip", now); b {
			t.Fatalf("blocked after %d failures", i)
		}
		l.fail("ip", now.Add(time.Duration(i)*time.Second))
	}
	b, wait := l.blocked("ip", now.Add(3*time.Second))
	if !b || wait != 57*time.Second {
		t.Errorf("after 3 failures: blocked %v for %s", b, wait)
	}
	if b, _ := l.blocked("other", now); b {
		t.Error("another key is blocked")
	}
	if b, _ := l.blocked("ip", now.Add(61*time.Second)); b {
		t.Error("still blocked after the window")
	}
	l.fail("ip", now)
	l.reset("ip")
	if len(l.fails) != 0 {
		t.Error("reset left failures")
	}
}

func TestUserValidate(t *testing.T) {
	tests := []struct {
		u    User
		want string
	}{
		{User{Login: "Ivanova", Role: Region}, ""},
		{User{Login: "ив", Role: Region}, "login"},
		{User{Login: "ivanova", Role: "boss"}, "неизвестная роль «boss»"},
		{User{Login: "college1", Role: College}, "укажите организацию"},
		{User{Login: "pupil1", Role: Learner}, "learner_id"},
	}
	for _, tt := range tests {
		err := tt.u.Validate()
		if tt.want == "" && err != nil {
			t.Errorf("%+v: %v", tt.u, err)
		}
		if tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%+v: %v, want %q", tt.u, err, tt.want)
		}
	}
	u := User{Login: " Ivanova ", Role: Region}
	u.Validate()
	if u.Login != "ivanova" || u.Name != "ivanova" {
		t.Errorf("login not normalised: %+v", u)
	}
}

func TestScope(t *testing.T) {
	for _, r := range Roles {
		sc := Scope{Role: r}
		if (r == Federal || r == Expert) == sc.SeesPersons() {
			t.Errorf("%s: SeesPersons = %v", r, sc.SeesPersons())
		}
	}
	if (Scope{}).SeesPersons() {
		t.Error("an empty scope sees persons")
	}
}
