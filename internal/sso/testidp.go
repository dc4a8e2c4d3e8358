package sso

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// TestIdP is a small OpenID provider for tests and the demo region: a
// discovery document, a key set, a page that signs in one of its people at
// a click, and a token endpoint that checks the PKCE verifier and signs ID
// tokens with its own RSA key. It is not a real provider: it asks no
// password. Only `marshrut demo --oidc-test` and tests start it.
type TestIdP struct {
	Issuer       string // set before use: the address it is served at
	ClientID     string
	ClientSecret string
	People       []Identity
	Now          func() time.Time
	// Tamper changes the claims of the next ID tokens before they are signed:
	// tests make bad tokens with it.
	Tamper func(claims map[string]any)

	once   sync.Once
	key    *rsa.PrivateKey
	mu     sync.Mutex
	grants map[string]grant
}

type grant struct {
	redirect, nonce, challenge string
	who                        Identity
}

func (p *TestIdP) init() {
	p.once.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		p.key, p.grants = k, map[string]grant{}
		if p.Now == nil {
			p.Now = time.Now
		}
	})
}

// ServeHTTP serves the provider's endpoints.
func (p *TestIdP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.init()
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		writeJSON(w, map[string]any{"issuer": p.Issuer, "authorization_endpoint": p.Issuer + "/authorize", "token_endpoint": p.Issuer + "/token",
			"jwks_uri": p.Issuer + "/jwks", "response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"}})
	case "/jwks":
		writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &p.key.PublicKey, KeyID: "test", Algorithm: "RS256", Use: "sig"}}})
	case "/authorize":
		p.authorize(w, r)
	case "/token":
		p.token(w, r)
	default:
		http.NotFound(w, r)
	}
}

var chooser = template.Must(template.New("idp").Parse(`<!doctype html><html lang="ru"><meta charset="utf-8"><title>Тестовый провайдер входа</title>
<body><h1>Тестовый провайдер входа</h1><p>Это учебный провайдер демонстрационного региона: он не спрашивает пароль. Выберите, кем войти.</p>
{{range .People}}<form method="post"><input type="hidden" name="subject" value="{{.Subject}}"><button type="submit">{{.Name}} ({{.Subject}})</button></form>{{end}}
</body></html>`))

// authorize shows the people to choose from (GET) and, chosen (POST), sends
// the browser back with a code.
func (p *TestIdP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != p.ClientID || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		chooser.Execute(w, p)
		return
	}
	var who Identity
	for _, x := range p.People {
		if x.Subject == r.PostFormValue("subject") {
			who = x
		}
	}
	if who.Subject == "" {
		http.Error(w, "unknown subject", http.StatusBadRequest)
		return
	}
	code := random()
	p.mu.Lock()
	p.grants[code] = grant{redirect: q.Get("redirect_uri"), nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), who: who}
	p.mu.Unlock()
	back, _ := url.Parse(q.Get("redirect_uri"))
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token exchanges a code for an ID token.
func (p *TestIdP) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	if id != p.ClientID || secret != p.ClientSecret {
		w.WriteHeader(http.StatusUnauthorized)
		writeJSON(w, map[string]string{"error": "invalid_client"})
		return
	}
	code := r.PostFormValue("code")
	p.mu.Lock()
	g, found := p.grants[code]
	delete(p.grants, code)
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	if !found || g.redirect != r.PostFormValue("redirect_uri") || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		w.WriteHeader(http.StatusBadRequest)
		writeJSON(w, map[string]string{"error": "invalid_grant"})
		return
	}
	now := p.Now()
	claims := map[string]any{"iss": p.Issuer, "sub": g.who.Subject, "aud": p.ClientID, "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"nonce": g.nonce, "name": g.who.Name, "email": g.who.Email, "email_verified": g.who.EmailVerified, "preferred_username": g.who.Login}
	if g.who.SNILS != "" {
		claims["snils"] = g.who.SNILS
	}
	if p.Tamper != nil {
		p.Tamper(claims)
	}
	payload, _ := json.Marshal(claims)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: p.key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "test"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	raw, _ := jws.CompactSerialize()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, map[string]any{"access_token": random(), "token_type": "Bearer", "expires_in": 300, "id_token": raw})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
