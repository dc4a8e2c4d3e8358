// Package sso signs people in through the region's single sign-on: an
// OpenID Connect provider (authorization code flow with PKCE) and, where an
// installation is registered with it, Госуслуги (ЕСИА). A provider tells who
// a person is; the person must already have an account in Marshrut, found
// by a stable claim and linked to the provider's subject. A provider never
// creates an account nor gives a role.
package sso

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"marshrut/internal/apperr"
)

// Match is the claim an account is found by the first time; after that the
// provider's subject, linked to the account, finds it.
type Match string

const (
	ByEmail Match = "email" // the verified address the person gave in Marshrut
	BySNILS Match = "snils" // a learner's СНИЛС in their record
	ByLogin Match = "login" // the provider's preferred_username is the Marshrut login
)

// Config is one provider as the installation names it.
type Config struct {
	Issuer       string // https://sso.region.ru/realms/edu
	ClientID     string
	ClientSecret string // from the environment only
	RedirectURL  string // the installation's /login/sso/callback
	Match        Match
	// Client makes the requests to the provider; http.DefaultClient when nil.
	Client *http.Client
	// Now is the installation's clock, against which tokens expire.
	Now func() time.Time
}

// Check names the first setting that is wrong.
func (c Config) Check() error {
	if u, err := url.Parse(c.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("адрес провайдера входа «%s» должен иметь вид https://сервер/…", c.Issuer)
	}
	if c.ClientID == "" {
		return fmt.Errorf("для входа через провайдер %s укажите идентификатор клиента (--oidc-client-id)", c.Issuer)
	}
	if c.ClientSecret == "" {
		return fmt.Errorf("для входа через провайдер %s задайте секрет клиента в MARSHRUT_OIDC_CLIENT_SECRET", c.Issuer)
	}
	if !strings.HasPrefix(c.RedirectURL, "http") {
		return fmt.Errorf("для входа через провайдер нужен внешний адрес установки (--base-url): на него провайдер вернёт человека")
	}
	switch c.Match {
	case ByEmail, BySNILS, ByLogin:
	default:
		return fmt.Errorf("признак сопоставления «%s»: допустимы email, snils, login", c.Match)
	}
	return nil
}

// Identity is who the provider says the person is.
type Identity struct {
	Issuer        string
	Subject       string
	Email         string
	EmailVerified bool
	Login         string // preferred_username
	SNILS         string // digits only
	Name          string
	BirthDate     time.Time
}

// Pending is a sign-in begun: the state that comes back with the person,
// the nonce the ID token must carry and the PKCE verifier. The browser keeps
// it in a short-lived cookie of this site only.
type Pending struct {
	State, Nonce, Verifier string
}

// Encode is the cookie's value.
func (p Pending) Encode() string { return p.State + "." + p.Nonce + "." + p.Verifier }

// DecodePending reads the cookie's value.
func DecodePending(s string) (Pending, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return Pending{}, false
	}
	return Pending{State: parts[0], Nonce: parts[1], Verifier: parts[2]}, true
}

func random() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Refusal is the answer to a sign-in that the provider or its token did not
// pass: the reason is for the log, the person sees one message.
var Refusal = apperr.New(apperr.Unauthorized, "Вход через единую систему региона не удался: попробуйте ещё раз. Если ошибка повторяется, обратитесь к администратору «Маршрута».")

// Provider is an OpenID Connect provider, discovered on first use.
type Provider struct {
	cfg      Config
	mu       sync.Mutex
	oidc     *oidc.Provider
	verifier *oidc.IDTokenVerifier
	oauth    *oauth2.Config
}

// New checks the configuration; the provider is asked for its discovery
// document only at the first sign-in, so that the program starts while the
// provider is away.
func New(cfg Config) (*Provider, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 15 * time.Second}
	}
	return &Provider{cfg: cfg}, nil
}

// Issuer is the provider's address.
func (p *Provider) Issuer() string { return p.cfg.Issuer }

// MatchBy is the claim accounts are found by.
func (p *Provider) MatchBy() Match { return p.cfg.Match }

func (p *Provider) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, p.cfg.Client)
}

func (p *Provider) discover(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.oidc != nil {
		return nil
	}
	// The key set keeps the context it is made with: not the request's.
	op, err := oidc.NewProvider(p.ctx(context.WithoutCancel(ctx)), p.cfg.Issuer)
	if err != nil {
		return fmt.Errorf("sso: discovery of %s: %w", p.cfg.Issuer, err)
	}
	p.oidc = op
	p.verifier = op.Verifier(&oidc.Config{ClientID: p.cfg.ClientID, Now: p.cfg.Now})
	p.oauth = &oauth2.Config{ClientID: p.cfg.ClientID, ClientSecret: p.cfg.ClientSecret, RedirectURL: p.cfg.RedirectURL,
		Endpoint: op.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile", "email"}}
	return nil
}

// Begin starts a sign-in: the address to send the person to, and what the
// browser keeps until they come back.
func (p *Provider) Begin(ctx context.Context) (string, Pending, error) {
	if err := p.discover(ctx); err != nil {
		return "", Pending{}, apperr.Wrap(err, apperr.Unavailable, "Единая система входа региона сейчас недоступна: войдите по логину и паролю или попробуйте позже.")
	}
	pend := Pending{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier()}
	return p.oauth.AuthCodeURL(pend.State, oidc.Nonce(pend.Nonce), oauth2.S256ChallengeOption(pend.Verifier)), pend, nil
}

// Finish ends a sign-in: it checks the state, exchanges the code with the
// PKCE verifier and verifies the ID token (signature, issuer, audience,
// expiry, nonce). The error says why for the log; apperr.Text of it is
// Refusal's.
func (p *Provider) Finish(ctx context.Context, pend Pending, state, code string) (Identity, error) {
	if err := p.discover(ctx); err != nil {
		return Identity{}, apperr.Wrap(err, apperr.Unavailable, "Единая система входа региона сейчас недоступна: войдите по логину и паролю или попробуйте позже.")
	}
	if state == "" || state != pend.State || code == "" {
		return Identity{}, refused("state does not match")
	}
	tok, err := p.oauth.Exchange(p.ctx(ctx), code, oauth2.VerifierOption(pend.Verifier))
	if err != nil {
		return Identity{}, refused("token exchange: %v", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return Identity{}, refused("no id_token")
	}
	idt, err := p.verifier.Verify(p.ctx(ctx), raw)
	if err != nil {
		return Identity{}, refused("id_token: %v", err)
	}
	if idt.Nonce != pend.Nonce {
		return Identity{}, refused("nonce does not match")
	}
	var c struct {
		Email         string `json:"email"`
		EmailVerified any    `json:"email_verified"`
		Login         string `json:"preferred_username"`
		Name          string `json:"name"`
		SNILS         string `json:"snils"`
		BirthDate     string `json:"birthdate"`
	}
	if err := idt.Claims(&c); err != nil {
		return Identity{}, refused("claims: %v", err)
	}
	id := Identity{Issuer: idt.Issuer, Subject: idt.Subject, Email: strings.ToLower(strings.TrimSpace(c.Email)), Login: strings.ToLower(c.Login),
		Name: c.Name, SNILS: Digits(c.SNILS)}
	id.EmailVerified = c.EmailVerified == true || c.EmailVerified == "true"
	if d, err := time.Parse(time.DateOnly, c.BirthDate); err == nil {
		id.BirthDate = d
	}
	if id.Subject == "" {
		return Identity{}, refused("no subject")
	}
	return id, nil
}

func refused(format string, a ...any) error {
	return apperr.Wrap(fmt.Errorf("sso: "+format, a...), apperr.Unauthorized, "%s", apperr.Text(Refusal))
}

// Digits keeps the digits of a СНИЛС written with dashes and spaces.
func Digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
