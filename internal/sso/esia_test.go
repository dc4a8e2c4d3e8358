package sso

import (
	"context"
	"encoding/base64"
	"errors"
	"testing"
	"time"
)

type recordingSigner struct{ got []byte }

func (s *recordingSigner) Sign(_ context.Context, m []byte) ([]byte, error) {
	s.got = m
	return []byte("подпись"), nil
}

func TestESIA(t *testing.T) {
	ctx := context.Background()
	e := ESIA{URL: "https://esia-portal1.test.gosuslugi.ru", ClientID: "MARSHRUT", RedirectURL: "https://marshrut.example.ru/login/esia/callback", Scope: "openid snils"}
	if _, err := e.ClientSecret(ctx, "t", "s"); !errors.Is(err, ErrNoSigner) {
		t.Fatalf("without a signer: %v", err)
	}
	s := &recordingSigner{}
	e.Signer = s
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
