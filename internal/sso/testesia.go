package sso

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// TestKey stands in for ГОСТ Р 34.10-2012 in tests: an ed25519 key that
// signs as a Signer and checks as a Verifier. ЕСИА accepts none of its
// signatures, and the program never uses it: only tests do.
type TestKey struct {
	priv ed25519.PrivateKey
	pub  ed25519.PublicKey
}

// NewTestKey makes a fresh test key.
func NewTestKey() *TestKey {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	return &TestKey{priv: priv, pub: pub}
}

// Sign signs message with the test key.
func (k *TestKey) Sign(_ context.Context, message []byte) ([]byte, error) {
	return ed25519.Sign(k.priv, message), nil
}

// Verify checks a signature of the test key.
func (k *TestKey) Verify(_ context.Context, message, signature []byte) error {
	if !ed25519.Verify(k.pub, message, signature) {
		return errors.New("test signature does not verify")
	}
	return nil
}

// TestESIA is a small stand-in for ЕСИА in tests: the authorization page
// (/aas/oauth2/ac) that checks the request and its signed client secret and
// signs one of its people in at a click, the token endpoint
// (/aas/oauth2/te) that checks the code and the secret again and gives an
// access token signed by its own key, and the person and their children
// on the REST API (/rs/prns/{oid}, /rs/prns/{oid}/kids). It asks no
// password and speaks no ГОСТ: only tests start it.
type TestESIA struct {
	URL      string // set before use: the address it is served at
	ClientID string
	Client   Verifier // checks the client secrets of the system
	Key      Signer   // signs the access tokens: tests swap it for another to forge one
	People   []ESIAPerson
	Now      func() time.Time

	mu     sync.Mutex
	grants map[string]esiaGrant
	tokens map[string]string // access token → oid
}

type esiaGrant struct{ oid, redirect, scope string }

var uuidForm = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// ServeHTTP serves the endpoints.
func (e *TestESIA) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	if e.grants == nil {
		e.grants, e.tokens = map[string]esiaGrant{}, map[string]string{}
	}
	e.mu.Unlock()
	switch {
	case r.URL.Path == "/aas/oauth2/ac":
		e.authorize(w, r)
	case r.URL.Path == "/aas/oauth2/te" && r.Method == http.MethodPost:
		e.token(w, r)
	case strings.HasPrefix(r.URL.Path, "/rs/prns/"):
		e.rest(w, r)
	default:
		http.NotFound(w, r)
	}
}

// checkSecret checks the request's fields ЕСИА checks and its client
// secret: the system's signature of scope, timestamp, client id and state.
func (e *TestESIA) checkSecret(r *http.Request, q url.Values) bool {
	ts, err := time.Parse("2006.01.02 15:04:05 -0700", q.Get("timestamp"))
	if err != nil || ts.Sub(e.Now()).Abs() > time.Hour || q.Get("client_id") != e.ClientID || !uuidForm.MatchString(q.Get("state")) || q.Get("scope") == "" {
		return false
	}
	sig, err := base64.RawURLEncoding.DecodeString(q.Get("client_secret"))
	return err == nil && e.Client.Verify(r.Context(), []byte(q.Get("scope")+q.Get("timestamp")+q.Get("client_id")+q.Get("state")), sig) == nil
}

var esiaChooser = template.Must(template.New("esia").Parse(`<!doctype html><html lang="ru"><meta charset="utf-8"><title>Тестовая ЕСИА</title>
<body><h1>Тестовая ЕСИА</h1><p>Выберите, кем войти.</p>
{{range .}}<form method="post"><input type="hidden" name="oid" value="{{.OID}}"><button type="submit">{{.OID}}</button></form>{{end}}
</body></html>`))

func (e *TestESIA) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("response_type") != "code" || q.Get("access_type") != "online" || !e.checkSecret(r, q) {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		esiaChooser.Execute(w, e.People)
		return
	}
	oid := r.PostFormValue("oid")
	if _, ok := e.person(oid); !ok {
		http.Error(w, "unknown oid", http.StatusBadRequest)
		return
	}
	code := random()
	e.mu.Lock()
	e.grants[code] = esiaGrant{oid: oid, redirect: q.Get("redirect_uri"), scope: q.Get("scope")}
	e.mu.Unlock()
	back, _ := url.Parse(q.Get("redirect_uri"))
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (e *TestESIA) token(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := r.PostForm
	code := f.Get("code")
	e.mu.Lock()
	g, found := e.grants[code]
	delete(e.grants, code)
	e.mu.Unlock()
	if !e.checkSecret(r, f) || f.Get("grant_type") != "authorization_code" || !found || g.redirect != f.Get("redirect_uri") {
		w.WriteHeader(http.StatusBadRequest)
		writeJSON(w, map[string]string{"error": "invalid_grant"})
		return
	}
	now := e.Now()
	header, _ := json.Marshal(map[string]any{"alg": "TEST-ED25519", "typ": "JWT", "sbt": "access", "ver": 1})
	payload, _ := json.Marshal(map[string]any{"iss": "http://esia.test/", "client_id": e.ClientID, "scope": g.scope,
		"urn:esia:sbj_id": json.Number(g.oid), "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix()})
	input := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(payload)
	sig, err := e.Key.Sign(r.Context(), []byte(input))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	token := input + "." + base64.RawURLEncoding.EncodeToString(sig)
	e.mu.Lock()
	e.tokens[token] = g.oid
	e.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, map[string]any{"access_token": token, "state": f.Get("state"), "token_type": "Bearer", "expires_in": 3600})
}

func (e *TestESIA) rest(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	oid, ok := e.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	e.mu.Unlock()
	rest := strings.TrimPrefix(r.URL.Path, "/rs/prns/")
	if !ok || !strings.HasPrefix(rest, oid) {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	p, _ := e.person(oid)
	switch rest {
	case oid:
		writeJSON(w, p)
	case oid + "/kids":
		writeJSON(w, map[string]any{"size": len(p.Kids), "elements": p.Kids})
	default:
		http.NotFound(w, r)
	}
}

func (e *TestESIA) person(oid string) (ESIAPerson, bool) {
	for _, p := range e.People {
		if p.OID == oid && oid != "" {
			return p, true
		}
	}
	return ESIAPerson{}, false
}
