package sso

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"marshrut/internal/apperr"
)

// ESIARefusal is the answer to a sign-in through Госуслуги that ЕСИА or its
// token did not pass: the reason is for the log, the person sees this.
var ESIARefusal = apperr.New(apperr.Unauthorized, "Вход через Госуслуги не удался: попробуйте ещё раз. Если ошибка повторяется, войдите по логину и паролю и сообщите администратору «Маршрута».")

// errESIAAway is the answer when ЕСИА cannot be reached or the signature
// cannot be made.
var errESIAAway = "Госуслуги сейчас недоступны для входа: войдите по логину и паролю или попробуйте позже."

// tokenSkew is how far the clocks of ЕСИА and the installation may differ.
const tokenSkew = 2 * time.Minute

func (e ESIA) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

func (e ESIA) client() *http.Client {
	if e.Client == nil {
		return &http.Client{Timeout: 15 * time.Second}
	}
	return e.Client
}

func (e ESIA) endpoint(path string) string { return strings.TrimRight(e.URL, "/") + path }

// newState is a random UUID (version 4): ЕСИА wants the state in this form.
func newState() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Begin starts a sign-in: the address of ЕСИА's authorization request and
// the state the browser keeps until the person comes back.
func (e ESIA) Begin(ctx context.Context) (string, string, error) {
	state, ts := newState(), ESIATimestamp(e.now())
	secret, err := e.ClientSecret(ctx, ts, state)
	if err != nil {
		return "", "", apperr.Wrap(err, apperr.Unavailable, "%s", errESIAAway)
	}
	q := url.Values{"client_id": {e.ClientID}, "client_secret": {secret}, "redirect_uri": {e.RedirectURL}, "scope": {e.Scope},
		"response_type": {"code"}, "state": {state}, "timestamp": {ts}, "access_type": {"online"}}
	return e.endpoint("/aas/oauth2/ac") + "?" + q.Encode(), state, nil
}

// Finish ends a sign-in: it checks the state, exchanges the code for an
// access token signed by ЕСИА, verifies the token (signature, client,
// time) and reads the person, and their children when the scope asks for
// them, from ЕСИА's REST API. The error says why for the log and never
// holds the person's data; apperr.Text of it is ESIARefusal's.
func (e ESIA) Finish(ctx context.Context, pending, state, code string) (ESIAPerson, error) {
	if err := e.Ready(); err != nil {
		return ESIAPerson{}, apperr.Wrap(err, apperr.Unavailable, "%s", errESIAAway)
	}
	if state == "" || state != pending || code == "" {
		return ESIAPerson{}, esiaRefused("state does not match")
	}
	token, err := e.exchange(ctx, code)
	if err != nil {
		return ESIAPerson{}, err
	}
	oid, err := e.verify(ctx, token)
	if err != nil {
		return ESIAPerson{}, err
	}
	var p ESIAPerson
	if err := e.get(ctx, token, "person", "/rs/prns/"+url.PathEscape(oid), &p); err != nil {
		return ESIAPerson{}, err
	}
	p.OID = oid
	if strings.Contains(e.Scope, "kid_") {
		var kids struct {
			Elements []ESIAKid `json:"elements"`
		}
		// A person without children, or who did not let the system see
		// them, gets no list: they may still be a learner.
		if err := e.get(ctx, token, "kids", "/rs/prns/"+url.PathEscape(oid)+"/kids?embed=(elements)", &kids); err == nil {
			p.Kids = kids.Elements
		}
	}
	return p, nil
}

// exchange trades the code for an access token at ЕСИА's token endpoint,
// with a client secret signed for a state of its own.
func (e ESIA) exchange(ctx context.Context, code string) (string, error) {
	state, ts := newState(), ESIATimestamp(e.now())
	secret, err := e.ClientSecret(ctx, ts, state)
	if err != nil {
		return "", apperr.Wrap(err, apperr.Unavailable, "%s", errESIAAway)
	}
	form := url.Values{"client_id": {e.ClientID}, "code": {code}, "grant_type": {"authorization_code"}, "client_secret": {secret},
		"state": {state}, "redirect_uri": {e.RedirectURL}, "scope": {e.Scope}, "timestamp": {ts}, "token_type": {"Bearer"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.endpoint("/aas/oauth2/te"), strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := e.client().Do(req)
	if err != nil {
		return "", apperr.Wrap(fmt.Errorf("sso: esia token exchange: %w", err), apperr.Unavailable, "%s", errESIAAway)
	}
	defer resp.Body.Close()
	var t struct {
		AccessToken string `json:"access_token"`
		State       string `json:"state"`
		Error       string `json:"error"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&t); err != nil || resp.StatusCode != http.StatusOK {
		return "", esiaRefused("token exchange: %d %s", resp.StatusCode, t.Error)
	}
	if t.State != state {
		return "", esiaRefused("token exchange: state does not match")
	}
	if t.AccessToken == "" {
		return "", esiaRefused("token exchange: no access token")
	}
	return t.AccessToken, nil
}

// verify checks ЕСИА's signature of the access token, that it was given to
// this system and is in force, and returns the person's oid.
func (e ESIA) verify(ctx context.Context, token string) (string, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", esiaRefused("access token is not a JWT")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) == 0 {
		return "", esiaRefused("access token: no signature")
	}
	if err := e.Verifier.Verify(ctx, []byte(parts[0]+"."+parts[1]), sig); err != nil {
		return "", esiaRefused("access token signature: %v", err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", esiaRefused("access token payload: %v", err)
	}
	var c struct {
		ClientID string      `json:"client_id"`
		Exp      json.Number `json:"exp"`
		Nbf      json.Number `json:"nbf"`
		Subject  json.Number `json:"urn:esia:sbj_id"`
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&c); err != nil {
		return "", esiaRefused("access token payload: %v", err)
	}
	now := e.now()
	exp, err := c.Exp.Int64()
	switch {
	case c.ClientID != e.ClientID:
		return "", esiaRefused("access token of another client")
	case err != nil || !now.Before(time.Unix(exp, 0).Add(tokenSkew)):
		return "", esiaRefused("access token expired")
	case c.Nbf != "":
		if nbf, err := c.Nbf.Int64(); err != nil || now.Add(tokenSkew).Before(time.Unix(nbf, 0)) {
			return "", esiaRefused("access token not yet valid")
		}
	}
	if _, err := c.Subject.Int64(); err != nil {
		return "", esiaRefused("access token: no subject")
	}
	return c.Subject.String(), nil
}

// get reads one resource of ЕСИА's REST API with the access token; what
// names it in an error, which must not carry the oid.
func (e ESIA) get(ctx context.Context, token, what, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.endpoint(path), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := e.client().Do(req)
	if err != nil {
		return apperr.Wrap(fmt.Errorf("sso: esia rest: %w", err), apperr.Unavailable, "%s", errESIAAway)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return esiaRefused("rest %s: %d", what, resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v); err != nil {
		return esiaRefused("rest %s: %v", what, err)
	}
	return nil
}

func esiaRefused(format string, a ...any) error {
	return apperr.Wrap(fmt.Errorf("sso: esia: "+format, a...), apperr.Unauthorized, "%s", apperr.Text(ESIARefusal))
}
