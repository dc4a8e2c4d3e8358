package web

import (
	"context"
	"net/http"
	"unicode"
	"unicode/utf8"

	"marshrut/internal/apperr"
	"marshrut/internal/sso"
)

// esiaCookie keeps the state of a sign-in through Госуслуги while the
// person is away at ЕСИА.
const esiaCookie = "marshrut_esia"

// esiaOff is the reason Госуслуги are off: nil when they are on.
func (w *Web) esiaOff() error {
	if w.d.ESIA == nil {
		return sso.ErrNoSigner
	}
	return w.d.ESIA.Ready()
}

// notESIA is the answer of the routes of Госуслуги when they are off.
func (w *Web) notESIA(rw http.ResponseWriter, r *http.Request, why error) {
	w.Error(rw, r, apperr.New(apperr.NotFound, "%s", sentence(why.Error())))
}

// sentence is a reason written as a sentence of its own.
func sentence(s string) string {
	c, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(c)) + s[n:] + "."
}

// ESIABegin sends the person to Госуслуги.
func (w *Web) ESIABegin(rw http.ResponseWriter, r *http.Request) {
	if err := w.esiaOff(); err != nil {
		w.notESIA(rw, r, err)
		return
	}
	to, state, err := w.d.ESIA.Begin(r.Context())
	if err != nil {
		w.d.Log.Warn("esia begin", "err", err)
		w.loginPage(rw, r, apperr.HTTPStatus(apperr.CodeOf(err)), "", apperr.Text(err))
		return
	}
	w.toProvider(rw, r, esiaCookie, "/login/esia", state, to)
}

// ESIACallback ends the sign-in: ЕСИА's token verified, the person read,
// their account found, a session opened. The log names no person.
func (w *Web) ESIACallback(rw http.ResponseWriter, r *http.Request) {
	if err := w.esiaOff(); err != nil {
		w.notESIA(rw, r, err)
		return
	}
	w.signInCallback(rw, r, signInFlow{what: "esia", cookie: esiaCookie, path: "/login/esia",
		refused: "Вход через Госуслуги отменён или не разрешён. Войдите снова или по логину и паролю.",
		expired: "Вход через Госуслуги устарел: начните его снова с этой страницы.",
		account: func(ctx context.Context, pending, state, code string) (int64, error) {
			person, err := w.d.ESIA.Finish(ctx, pending, state, code)
			if err != nil {
				return 0, err
			}
			return w.d.SignIn.ESIAAccount(ctx, person)
		}})
}
