// Package mail sends the short e-mail notices of Marshrut's inbox through the
// installation's SMTP server: a background loop takes the letters that are
// due from an outbox kept in the database and sends them, trying again later
// when the server refuses or is away. A letter carries a short notice and a
// link, never a person's data.
package mail

import (
	"context"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// Letter is one notice waiting in the outbox.
type Letter struct {
	ID       int64
	To       string
	Kind     string // what the notice is about: response, status, proposal, consent
	Link     string // the path of the page where the matter is
	Attempts int    // failed attempts so far
}

// Outbox is the store of letters.
type Outbox interface {
	// DueLetters are the letters not sent whose next attempt is at or before now.
	DueLetters(ctx context.Context, now time.Time, limit int) ([]Letter, error)
	// LetterSent marks a letter sent.
	LetterSent(ctx context.Context, id int64, at time.Time) error
	// LetterFailed records a failed attempt; a zero next gives the letter up.
	LetterFailed(ctx context.Context, id int64, attempts int, next time.Time, reason string) error
}

// Server is an SMTP server as MARSHRUT_SMTP_URL names it:
// smtp://user:password@host:port?from=noreply@example.ru
type Server struct {
	Addr     string // host:port
	Host     string
	User     string
	Password string
	From     string
}

// ParseURL reads the SMTP address; a missing port is 25, a missing sender noreply@host.
func ParseURL(s string) (Server, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return Server{}, fmt.Errorf("адрес почтового сервера «%s» должен иметь вид smtp://пользователь:пароль@сервер:порт?from=адрес", redact(s))
	}
	srv := Server{Host: u.Hostname(), From: u.Query().Get("from")}
	port := u.Port()
	if port == "" {
		port = "25"
	}
	srv.Addr = net.JoinHostPort(srv.Host, port)
	if u.User != nil {
		srv.User = u.User.Username()
		srv.Password, _ = u.User.Password()
	}
	if srv.From == "" {
		srv.From = "noreply@" + srv.Host
	}
	if !strings.Contains(srv.From, "@") {
		return Server{}, fmt.Errorf("адрес отправителя «%s» не похож на адрес почты", srv.From)
	}
	return srv, nil
}

// redact hides the password of an SMTP address for a message.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "***")
	}
	return u.String()
}

// subjects are the notices by kind: the letter says what happened in general
// words and gives the link, nothing more.
var subjects = map[string]string{
	"response":   "новый отклик или ответ на отклик",
	"status":     "ответ работодателя на ваш отклик",
	"proposal":   "предложение работы",
	"consent":    "решение о согласии",
	"case":       "открыт случай в центре занятости",
	"deadline":   "приближается срок",
	"invitation": "приглашение открыть кабинет",
}

// Compose is the letter's text: headers and body, in UTF-8.
func Compose(from, to, baseURL string, l Letter) []byte {
	what := subjects[l.Kind]
	if what == "" {
		what = "новое сообщение"
	}
	link := strings.TrimRight(baseURL, "/") + l.Link
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\n", from, to, mime.QEncoding.Encode("utf-8", "Маршрут: "+what))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	if l.Kind == "invitation" {
		// The link holds a one-time code: whoever has the letter opens the
		// account, once, with the graduate's birth date.
		fmt.Fprintf(&b, "Здравствуйте!\r\n\r\nВаш колледж или вуз приглашает вас открыть кабинет в Маршруте: вакансии, предложения работы, отклики. "+
			"Откройте ссылку, введите свою дату рождения, придумайте логин и пароль:\r\n%s\r\n\r\n"+
			"Если вы не ждали этого письма, просто удалите его.\r\n", link)
	} else {
		fmt.Fprintf(&b, "Здравствуйте!\r\n\r\nВ Маршруте для вас %s. Подробности — после входа:\r\n%s\r\n\r\nЭто письмо отправлено автоматически, отвечать на него не нужно.\r\n", what, link)
	}
	return []byte(b.String())
}

// Sender sends the outbox's letters.
type Sender struct {
	Outbox  Outbox
	Server  Server
	BaseURL string
	Log     *slog.Logger
	Now     func() time.Time
	// Send is the SMTP call; smtp.SendMail unless a test replaces it.
	Send func(addr string, a smtp.Auth, from string, to []string, msg []byte) error
}

// Backoff is the wait before the attempt after the given number of failures;
// after the last one the letter is given up.
var Backoff = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 12 * time.Hour}

// Pass sends the letters that are due and says how many went.
func (s *Sender) Pass(ctx context.Context) (int, error) {
	now := s.Now()
	due, err := s.Outbox.DueLetters(ctx, now, 100)
	if err != nil {
		return 0, err
	}
	send := s.Send
	if send == nil {
		send = smtp.SendMail
	}
	var auth smtp.Auth
	if s.Server.User != "" {
		auth = smtp.PlainAuth("", s.Server.User, s.Server.Password, s.Server.Host)
	}
	sent := 0
	for _, l := range due {
		err := send(s.Server.Addr, auth, s.Server.From, []string{l.To}, Compose(s.Server.From, l.To, s.BaseURL, l))
		if err == nil {
			if err := s.Outbox.LetterSent(ctx, l.ID, s.Now()); err != nil {
				return sent, err
			}
			sent++
			continue
		}
		var next time.Time
		if l.Attempts < len(Backoff) {
			next = s.Now().Add(Backoff[l.Attempts])
		}
		s.Log.Warn("mail not sent", "letter", l.ID, "attempt", l.Attempts+1, "err", err)
		if err := s.Outbox.LetterFailed(ctx, l.ID, l.Attempts+1, next, err.Error()); err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// Run sends what is due every interval until ctx ends.
func (s *Sender) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.Pass(ctx); err != nil && ctx.Err() == nil {
			s.Log.Warn("mail outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
