package sso

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Signer makes the signatures Госуслуги (ЕСИА) asks of a connected system:
// a detached CMS (PKCS#7) signature under ГОСТ Р 34.10-2012 with the key of
// the certificate the installation registered with ЕСИА. Only a certified
// means of cryptographic protection (КриптоПро CSP and the like) may make
// it; Marshrut holds no ГОСТ code of its own. An installation plugs its
// provider in behind this interface; without one, signing in through
// Госуслуги stays off.
type Signer interface {
	// Sign returns the detached signature of message.
	Sign(ctx context.Context, message []byte) ([]byte, error)
}

// Verifier checks the signatures ЕСИА makes: its access token is a JWT
// signed under ГОСТ Р 34.10-2012 with the key of ЕСИА's own certificate,
// which the installation downloads from ЕСИА's technology portal. The same
// certified provider that implements Signer implements it.
type Verifier interface {
	// Verify returns nil when signature is ЕСИА's over message: the token's
	// header and payload as they were signed, «header.payload», so that the
	// provider may read the algorithm from the header.
	Verify(ctx context.Context, message, signature []byte) error
}

// ESIAIssuer is the name of Госуслуги in the links of subjects to accounts.
const ESIAIssuer = "esia"

// ESIA is the connection to Госуслуги as an installation registered with
// ЕСИА sets it up. The sign-in follows the same path as the region's
// provider: the person's СНИЛС from ЕСИА finds the learner's account, the
// СНИЛС of a child the parent's.
type ESIA struct {
	URL         string // https://esia.gosuslugi.ru, or the test contour https://esia-portal1.test.gosuslugi.ru
	ClientID    string // the system's mnemonic in ЕСИА
	RedirectURL string // the installation's /login/esia/callback
	Scope       string // DefaultESIAScope unless the installation's registration says otherwise
	Signer      Signer
	Verifier    Verifier
	// Client makes the requests to ЕСИА; a client with a time limit when nil.
	Client *http.Client
	// Now is the installation's clock: the timestamp of a request and the
	// expiry of a token.
	Now func() time.Time
}

// DefaultESIAScope asks for the person's name, birth date and СНИЛС, and
// the same of their children, by which a parent is found.
const DefaultESIAScope = "openid fullname birthdate snils kid_fullname kid_birthdate kid_snils"

// ErrNoSigner is why Госуслуги stay off: the reason pages and the README give.
var ErrNoSigner = errors.New("вход через Госуслуги выключен: для него нужна подпись ГОСТ Р 34.10-2012 сертифицированным средством криптозащиты, а оно в этой установке не подключено")

// Ready tells whether the connection can be used, and why not.
func (e ESIA) Ready() error {
	switch {
	case e.Signer == nil || e.Verifier == nil:
		return ErrNoSigner
	case e.URL == "" || e.ClientID == "" || e.RedirectURL == "":
		return fmt.Errorf("вход через Госуслуги выключен: укажите адрес ЕСИА, мнемонику системы и адрес возврата")
	}
	return nil
}

// ESIATimestamp is the time as ЕСИА wants it in a request: «2006.01.02 15:04:05 -0700».
func ESIATimestamp(t time.Time) string { return t.Format("2006.01.02 15:04:05 -0700") }

// ClientSecret is the client_secret of a request to ЕСИА: the signature of
// scope, timestamp, client id and state written one after another, in
// URL-safe Base64.
func (e ESIA) ClientSecret(ctx context.Context, timestamp, state string) (string, error) {
	if err := e.Ready(); err != nil {
		return "", err
	}
	sig, err := e.Signer.Sign(ctx, []byte(e.Scope+timestamp+e.ClientID+state))
	if err != nil {
		return "", fmt.Errorf("sso: esia signature: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sig), nil
}

// ESIAPerson is what ЕСИА gives of a person with the scopes fullname,
// birthdate and snils; with kid_fullname, kid_birthdate and kid_snils, the
// same of their children.
type ESIAPerson struct {
	OID        string    `json:"oid"`
	FirstName  string    `json:"firstName"`
	LastName   string    `json:"lastName"`
	MiddleName string    `json:"middleName"`
	BirthDate  string    `json:"birthDate"` // ДД.ММ.ГГГГ
	SNILS      string    `json:"snils"`     // 123-456-789 01
	Trusted    bool      `json:"trusted"`   // a confirmed account
	Kids       []ESIAKid `json:"-"`         // from /rs/prns/{oid}/kids
}

// ESIAKid is a child as ЕСИА gives them to a parent.
type ESIAKid struct {
	FirstName  string `json:"firstName"`
	LastName   string `json:"lastName"`
	MiddleName string `json:"middleName"`
	BirthDate  string `json:"birthDate"` // ДД.ММ.ГГГГ
	SNILS      string `json:"snils"`
}

// Identity is the person as the sign-in matches them: the ЕСИА's oid is the
// stable subject, the СНИЛС finds the learner's account the first time. An
// unconfirmed account of Госуслуги gives no СНИЛС to trust.
func (p ESIAPerson) Identity(issuer string) Identity {
	id := Identity{Issuer: issuer, Subject: p.OID, Name: strings.TrimSpace(p.LastName + " " + p.FirstName + " " + p.MiddleName)}
	if p.Trusted {
		id.SNILS = Digits(p.SNILS)
	}
	if d, err := time.Parse("02.01.2006", p.BirthDate); err == nil {
		id.BirthDate = d
	}
	return id
}
