package web

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/skip2/go-qrcode"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/org"
	"marshrut/internal/youth"
)

// invitationsPage is the classes of a school or college with their
// invitations; to the region without an organisation, PickOrg asks for one.
type invitationsPage struct {
	PickOrg bool
	Org     org.Organisation
	Rows    []youth.ClassRow
	Days    int
	Done    string
	Error   string
}

// Invitations shows the classes and study groups of the caller's school or
// college with how far their invitations went, and the buttons to print a
// sheet or revoke the unused codes.
func (w *Web) Invitations(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	orgID, _ := strconv.ParseInt(r.URL.Query().Get("org"), 10, 64)
	if sc.WholeRegion() && orgID == 0 {
		w.render(rw, r, http.StatusOK, "invitations", "learners", invitationsPage{PickOrg: true, Error: r.URL.Query().Get("error")})
		return
	}
	rows, err := w.d.Invitations.Classes(r.Context(), sc, orgID)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	if sc.OrgID != 0 {
		orgID = sc.OrgID
	}
	o, err := w.d.Orgs.Get(r.Context(), orgID)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "invitations", "learners", invitationsPage{Org: o, Rows: rows,
		Days: int(w.d.Invitations.TTL() / (24 * time.Hour)), Done: r.URL.Query().Get("done"), Error: r.URL.Query().Get("error")})
}

// classOf reads a class from a form.
func classOf(r *http.Request) youth.Class {
	c := youth.Class{Group: strings.TrimSpace(r.PostFormValue("group"))}
	c.OrgID, _ = strconv.ParseInt(r.PostFormValue("org"), 10, 64)
	c.Grade, _ = strconv.Atoi(r.PostFormValue("grade"))
	return c
}

// PrintInvitations makes the invitations of a class and shows them once, as
// an A4 sheet of slips to print and cut.
func (w *Web) PrintInvitations(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	c := classOf(r)
	slips, err := w.d.Invitations.Print(r.Context(), sc, c)
	if err != nil {
		w.invitationsAfter(rw, r, c, "", err)
		return
	}
	orgID := slips[0].OrgID
	if sc.OrgID != 0 {
		orgID = sc.OrgID
	}
	o, err := w.d.Orgs.Get(r.Context(), orgID)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	// The sheet shows the names of the class: a read of many people.
	q := url.Values{"org": {strconv.FormatInt(orgID, 10)}, "grade": {strconv.Itoa(c.Grade)}, "group": {c.Group}}
	w.audit(r, auth.AuditEntry{Action: "invitations.print", Filter: auth.FilterText(q), Persons: len(slips)})
	c.OrgID = orgID
	sheet := Sheet{Org: o.Name, Class: c.Name(), Slips: slips, Base: w.baseURL(r), Loc: w.d.Location}
	rw.Header().Set("Cache-Control", "no-store")
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := WriteSheet(rw, sheet); err != nil {
		w.d.Log.Error("sheet", "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

// RevokeInvitations revokes the unused invitations of a class.
func (w *Web) RevokeInvitations(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	c := classOf(r)
	n, err := w.d.Invitations.Revoke(r.Context(), sc, c)
	w.invitationsAfter(rw, r, c, url.QueryEscape(fmt.Sprintf("Отозвано приглашений: %d (%s).", n, c.Name())), err)
}

// invitationsAfter goes back to the classes after a print or a revocation
// with its message; a role that may not invite gets the error page.
func (w *Web) invitationsAfter(rw http.ResponseWriter, r *http.Request, c youth.Class, done string, err error) {
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) || apperr.Is(err, apperr.NotFound) || err == nil {
		back := "/invitations?org=" + strconv.FormatInt(c.OrgID, 10)
		if err != nil {
			http.Redirect(rw, r, back+"&error="+url.QueryEscape(apperr.Text(err)), http.StatusSeeOther)
			return
		}
		http.Redirect(rw, r, back+"&done="+done, http.StatusSeeOther)
		return
	}
	w.Error(rw, r, err)
}

// baseURL is the installation's public address: the configured one, or the
// one the request came to.
func (w *Web) baseURL(r *http.Request) string {
	if w.d.BaseURL != "" {
		return strings.TrimRight(w.d.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || w.d.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// joinPage is the public form where a learner or a parent redeems a printed
// invitation; Errors is never nil: the template indexes it by field.
type joinPage struct {
	Code, Login, Name, BirthDate string
	Errors                       map[string]string
}

// JoinForm is the public page where a learner or a parent opens an account
// by the code of a printed invitation.
func (w *Web) JoinForm(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Cache-Control", "no-store")
	w.render(rw, r, http.StatusOK, "join", "", joinPage{Code: r.URL.Query().Get("code"), Errors: map[string]string{}})
}

// Join redeems an invitation, opens a session for the new account and
// sends its owner home.
func (w *Web) Join(rw http.ResponseWriter, r *http.Request) {
	code, login, name, birth := r.PostFormValue("code"), r.PostFormValue("login"), r.PostFormValue("name"), r.PostFormValue("birth_date")
	again := func(err error) {
		if !apperr.Is(err, apperr.Invalid) && !apperr.Is(err, apperr.TooMany) && !apperr.Is(err, apperr.Conflict) {
			w.Error(rw, r, err)
			return
		}
		errs := map[string]string{}
		for _, f := range apperr.Fields(err) {
			errs[f.Field] = f.Message
		}
		if len(errs) == 0 {
			errs["code"] = apperr.Text(err)
		}
		w.render(rw, r, apperr.HTTPStatus(apperr.CodeOf(err)), "join", "", joinPage{Code: code, Login: login, Name: name, BirthDate: birth, Errors: errs})
	}
	if r.PostFormValue("password") != r.PostFormValue("password2") {
		again(apperr.Field("password", "пароли не совпадают: введите один и тот же пароль дважды"))
		return
	}
	var day time.Time
	if birth != "" {
		var err error
		if day, err = parseDay(birth, w.d.Location); err != nil {
			again(apperr.Field("birth_date", "дата рождения «%s» не в виде ДД.ММ.ГГГГ", birth))
			return
		}
	}
	ip := ClientIP(r)
	u, err := w.d.Invitations.Redeem(r.Context(), youth.Redemption{Code: code, BirthDate: day, Login: login, Name: name, Password: r.PostFormValue("password"), IP: ip})
	if err != nil {
		again(err)
		return
	}
	token, sess, _, err := w.d.Auth.OpenSession(r.Context(), u.ID, ip)
	if err != nil {
		// The account is open: its owner logs in with it.
		w.d.Log.Warn("join: session not opened", "user", u.ID, "method", r.Method, "path", r.URL.Path, "err", err)
		http.Redirect(rw, r, "/login?opened=1", http.StatusSeeOther)
		return
	}
	w.setSession(rw, token, sess)
	http.Redirect(rw, r, "/", http.StatusSeeOther)
}

// parseDay reads a date typed as ДД.ММ.ГГГГ, or as ГГГГ-ММ-ДД, the form
// a date field of a browser sends.
func parseDay(s string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	s = strings.TrimSpace(s)
	if d, err := time.ParseInLocation("02.01.2006", s, loc); err == nil {
		return d, nil
	}
	return time.ParseInLocation(time.DateOnly, s, loc)
}

// Sheet is an A4 sheet of invitations of one class.
type Sheet struct {
	Org, Class string
	Slips      []youth.Slip
	Base       string         // the installation's public address, for the links
	Loc        *time.Location // the region's time zone, for the dates
	// Inline puts the stylesheet into the file itself: a sheet written by the
	// command line is opened from a disk, without the site's stylesheet.
	Inline bool
}

//go:embed static/sheet.css
var sheetCSS string

var sheetTemplate = template.Must(template.New("sheet").Funcs(template.FuncMap{
	"date": Date,
	"qr":   qrSVG,
	"join": youth.JoinURL,
	"css":  func() template.CSS { return template.CSS(sheetCSS) },
	"roleText": func(r auth.Role) string {
		if r == auth.Guardian {
			return "для родителя (законного представителя)"
		}
		return "для обучающегося"
	},
}).ParseFS(templateFS, "templates/invitations_sheet.html"))

// WriteSheet writes the sheet as a whole HTML document.
func WriteSheet(out io.Writer, s Sheet) error {
	if s.Loc == nil {
		s.Loc = time.UTC
	}
	for i := range s.Slips {
		s.Slips[i].ExpiresAt = s.Slips[i].ExpiresAt.In(s.Loc)
	}
	var buf bytes.Buffer
	if err := sheetTemplate.ExecuteTemplate(&buf, "invitations_sheet.html", s); err != nil {
		return err
	}
	_, err := buf.WriteTo(out)
	return err
}

// qrSVG draws the QR code of a text as inline SVG: one path of dark
// modules, crisp on any printer and with no image to fetch.
func qrSVG(text string) (template.HTML, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", err
	}
	q.DisableBorder = false
	bm := q.Bitmap()
	n := len(bm)
	var p strings.Builder
	for y, row := range bm {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&p, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	return template.HTML(fmt.Sprintf(`<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="QR-код ссылки приглашения" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path d="%s" fill="#000"/></svg>`,
		n, n, n, n, p.String())), nil
}

// EmailInvitation sends a graduate without an account an invitation by
// e-mail, to an address the school or college knows.
func (w *Web) EmailInvitation(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	err := w.d.Invitations.SendByEmail(r.Context(), sc, id, r.PostFormValue("email"))
	w.afterPost(rw, r, fmt.Sprintf("/learners/%d", id), "Приглашение поставлено в очередь писем", err)
}
