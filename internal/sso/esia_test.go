package sso

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
)

type recordingSigner struct{ got []byte }

func (s *recordingSigner) Sign(_ context.Context, m []byte) ([]byte, error) {
	s.got = m
	return []byte("подпись"), nil
}

func TestESIASecret(t *testing.T) {
	ctx := context.Background()
	e := ESIA{URL: "https://esia-portal1.test.gosuslugi.ru", ClientID: "MARSHRUT", RedirectURL: "https://marshrut.example.ru/login/esia/callback", Scope: "openid snils"}
	if _, err := e.ClientSecret(ctx, "t", "s"); !errors.Is(err, ErrNoSigner) {
		t.Fatalf("without a signer: %v", err)
	}
	s := &recordingSigner{}
	e.Signer, e.Verifier = s, NewTestKey()
	ts := ESIATimestamp(time.Date(2026, 11, 24, 10, 5, 0, 0, time.FixedZone("", 12*3600)))
	if ts != "2026.11.24 10:05:00 +1200" {
		t.Fatalf("timestamp %q", ts)
	}
	secret, err := e.ClientSecret(ctx, ts, "c6a8b7e4-state")
	if err != nil || string(s.got) != "openid snils2026.11.24 10:05:00 +1200MARSHRUTc6a8b7e4-state" || secret != base64.RawURLEncoding.EncodeToString([]byte("подпись")) {
		t.Fatalf("secret %q of %q, %v", secret, s.got, err)
	}
	p := ESIAPerson{OID: "1000299353", FirstName: "Мария", LastName: "Иванова", BirthDate: "04.03.2011", SNILS: "112-233-445 95", Trusted: true}
	id := p.Identity(e.URL)
	if id.Subject != "1000299353" || id.SNILS != "11223344595" || id.Name != "Иванова Мария" || id.BirthDate.Year() != 2011 {
		t.Fatalf("identity %+v", id)
	}
	p.Trusted = false
	if p.Identity(e.URL).SNILS != "" {
		t.Fatal("an unconfirmed account gave a СНИЛС")
	}
}

// testESIA is a fake ЕСИА and the connection of the system to it, each
// with its own test key standing in for ГОСТ.
func testESIA(t *testing.T) (*TestESIA, ESIA) {
	t.Helper()
	system, esia := NewTestKey(), NewTestKey()
	fake := &TestESIA{ClientID: "MARSHRUT", Client: system, Key: esia, Now: func() time.Time { return day },
		People: []ESIAPerson{
			{OID: "1000299353", FirstName: "Мария", LastName: "Иванова", BirthDate: "04.03.2011", SNILS: "112-233-445 95", Trusted: true},
			{OID: "1000299354", FirstName: "Анна", LastName: "Иванова", MiddleName: "Петровна", BirthDate: "01.02.1985", SNILS: "100-200-300 01", Trusted: true,
				Kids: []ESIAKid{{FirstName: "Мария", LastName: "Иванова", BirthDate: "04.03.2011", SNILS: "112-233-445 95"}}},
			{OID: "1000299355", FirstName: "Пётр", LastName: "Петров", SNILS: "112-233-445 95"},
			{OID: "1000299356", FirstName: "Олег", LastName: "Сидоров", SNILS: "999-888-777 66", Trusted: true},
		}}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	fake.URL = srv.URL
	return fake, ESIA{URL: srv.URL, ClientID: "MARSHRUT", RedirectURL: "http://marshrut.test/login/esia/callback", Scope: DefaultESIAScope,
		Signer: system, Verifier: esia, Now: func() time.Time { return day }}
}

// esiaSignIn runs the flow up to the callback: begins, chooses oid at the
// fake ЕСИА and returns the state kept and the state and code sent back.
func esiaSignIn(t *testing.T, e ESIA, oid string) (string, string, string) {
	t.Helper()
	to, pending, err := e.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(to)
	q := u.Query()
	if u.Path != "/aas/oauth2/ac" || q.Get("state") != pending || q.Get("access_type") != "online" || q.Get("timestamp") != "2026.11.24 10:00:00 +0000" {
		t.Fatalf("authorization request %s", to)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(to, url.Values{"oid": {oid}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("ЕСИА answered %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	return pending, back.Query().Get("state"), back.Query().Get("code")
}

func TestESIAFinish(t *testing.T) {
	ctx := context.Background()
	fake, e := testESIA(t)
	pending, state, code := esiaSignIn(t, e, "1000299354")
	p, err := e.Finish(ctx, pending, state, code)
	if err != nil || p.OID != "1000299354" || !p.Trusted || Digits(p.SNILS) != "10020030001" || len(p.Kids) != 1 || Digits(p.Kids[0].SNILS) != "11223344595" {
		t.Fatalf("person %+v, %v", p, err)
	}
	// A code works once.
	if _, err := e.Finish(ctx, pending, state, code); !apperr.Is(err, apperr.Unauthorized) {
		t.Fatalf("a code used twice: %v", err)
	}
	pending, _, code = esiaSignIn(t, e, "1000299353")
	if _, err := e.Finish(ctx, pending, newState(), code); !apperr.Is(err, apperr.Unauthorized) || !strings.Contains(err.Error(), "state") {
		t.Fatalf("another state: %v", err)
	}
	// A token not signed by ЕСИА's key is refused.
	fake.Key = NewTestKey()
	pending, state, code = esiaSignIn(t, e, "1000299353")
	if _, err := e.Finish(ctx, pending, state, code); !apperr.Is(err, apperr.Unauthorized) || apperr.Text(err) != apperr.Text(ESIARefusal) || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("a forged token: %v", err)
	}
	fake.Key = e.Verifier.(*TestKey)
	// A secret the system did not sign is refused by ЕСИА.
	e.Signer = NewTestKey()
	if to, _, err := e.Begin(ctx); err != nil {
		t.Fatal(err)
	} else if resp, err := http.Get(to); err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a secret of another key: %v", err)
	}
	// Without a certified provider the connection stays off and says why.
	e.Signer, e.Verifier = nil, nil
	if _, _, err := e.Begin(ctx); !apperr.Is(err, apperr.Unavailable) || !errors.Is(err, ErrNoSigner) {
		t.Fatalf("without a provider: %v", err)
	}
}

func TestESIAAccount(t *testing.T) {
	ctx := context.Background()
	m := &memAccounts{links: map[string]int64{}, users: map[string][]int64{"snils:11223344595": {10}},
		guardians: map[string][]Guardian{
			"11223344595": {{UserID: 20, Name: "Иванова Анна", ChildBirthDate: time.Date(2011, 3, 4, 0, 0, 0, 0, time.UTC)}, {UserID: 21, Name: "Иванов Пётр"}},
			"12312312312": {{UserID: 22, Name: "Иванова Анна"}},
			"32132132132": {{UserID: 23, Name: "Анна Петровна ИВАНОВА"}},
		}}
	s := NewService(m, "41", func() time.Time { return day })
	pupil := ESIAPerson{OID: "1", FirstName: "Мария", LastName: "Иванова", SNILS: "112-233-445 95", Trusted: true}
	if uid, err := s.ESIAAccount(ctx, pupil); err != nil || uid != 10 || m.links["esia 1"] != 10 {
		t.Fatalf("a learner by СНИЛС: %d, %v", uid, err)
	}
	mother := ESIAPerson{OID: "2", FirstName: "Анна", LastName: "Иванова", MiddleName: "Петровна", SNILS: "100-200-300 01", Trusted: true,
		Kids: []ESIAKid{{SNILS: "112-233-445 95", BirthDate: "04.03.2011"}}}
	if uid, err := s.ESIAAccount(ctx, mother); err != nil || uid != 20 || m.links["esia 2"] != 20 {
		t.Fatalf("a parent by the child's СНИЛС: %d, %v", uid, err)
	}
	// Linked, the oid finds the account.
	mother.Kids = nil
	if uid, err := s.ESIAAccount(ctx, mother); err != nil || uid != 20 {
		t.Fatalf("linked: %d, %v", uid, err)
	}
	for _, tt := range []struct {
		name string
		p    ESIAPerson
		want error
	}{
		{"unconfirmed", ESIAPerson{OID: "3", FirstName: "Мария", LastName: "Иванова", SNILS: "112-233-445 95"}, ErrUnconfirmed},
		{"unknown", ESIAPerson{OID: "4", FirstName: "Олег", LastName: "Сидоров", SNILS: "999-888-777 66", Trusted: true}, ErrUnknown},
		{"another parent's name", ESIAPerson{OID: "5", FirstName: "Ольга", LastName: "Иванова", Trusted: true,
			Kids: []ESIAKid{{SNILS: "11223344595"}}}, ErrUnknown},
		{"another child's birth date", ESIAPerson{OID: "6", FirstName: "Анна", LastName: "Иванова", Trusted: true,
			Kids: []ESIAKid{{SNILS: "11223344595", BirthDate: "05.03.2011"}}}, ErrUnknown},
		{"two children, two accounts", ESIAPerson{OID: "7", FirstName: "Анна", LastName: "Иванова", MiddleName: "Петровна", Trusted: true,
			Kids: []ESIAKid{{SNILS: "12312312312"}, {SNILS: "32132132132"}}}, ErrSeveralGuardians},
	} {
		if _, err := s.ESIAAccount(ctx, tt.p); err != tt.want {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	if !strings.Contains(apperr.Text(ErrUnknown), "приглашение") || !strings.Contains(apperr.Text(ErrUnconfirmed), "не подтверждена") {
		t.Fatal("the refusals do not say whom to ask")
	}
	if len(m.links) != 2 {
		t.Fatalf("refused people were linked: %v", m.links)
	}
}
