package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"

	"marshrut/internal/auth"
)

// Pages say what a form did through ?done= and ?error= on the page the form
// redirects to. notices signs those parameters on the way out with a key
// only the session knows, and drops them on the way in unless signed, so
// that a link cannot make a page show a text of someone else's choosing.
func (s *Server) notices(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, ok := auth.SessionFrom(r.Context())
		q := r.URL.Query()
		if (q.Has("done") || q.Has("error") || q.Has("sig")) && !callback[r.URL.Path] {
			if !ok || !hmac.Equal([]byte(q.Get("sig")), []byte(noticeSig(sess.CSRF, r.URL.Path, q))) {
				q.Del("done")
				q.Del("error")
			}
			q.Del("sig")
			u := *r.URL
			u.RawQuery = q.Encode()
			r2 := r.WithContext(r.Context())
			r2.URL = &u
			r2.RequestURI = u.RequestURI()
			r = r2
		}
		if ok {
			w = &noticeWriter{ResponseWriter: w, key: sess.CSRF}
		}
		next.ServeHTTP(w, r)
	})
}

// callback are the pages a sign-in provider sends the person back to: its
// ?error= is the provider's answer (OAuth 2.0), which the page reads but
// never shows as it is.
var callback = map[string]bool{"/login/sso/callback": true, "/login/esia/callback": true}

// noticeSig is the signature of a page's notice parameters.
func noticeSig(key, path string, q url.Values) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(path + "\x00" + q.Get("done") + "\x00" + q.Get("error")))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// noticeWriter signs the notice parameters of a redirect's Location.
type noticeWriter struct {
	http.ResponseWriter
	key string
}

func (n *noticeWriter) WriteHeader(code int) {
	if code >= 300 && code < 400 {
		if loc := n.Header().Get("Location"); loc != "" {
			if u, err := url.Parse(loc); err == nil && u.Host == "" {
				q := u.Query()
				if q.Has("done") || q.Has("error") {
					q.Set("sig", noticeSig(n.key, u.Path, q))
					u.RawQuery = q.Encode()
					n.Header().Set("Location", u.String())
				}
			}
		}
	}
	n.ResponseWriter.WriteHeader(code)
}

func (n *noticeWriter) Unwrap() http.ResponseWriter { return n.ResponseWriter }
