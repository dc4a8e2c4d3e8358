package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/youth"
)

// countingGuard counts failed codes and refuses after max.
type countingGuard struct{ fails, max int }

func (g *countingGuard) CodeAllowed(string) error {
	if g.fails >= g.max {
		return apperr.New(apperr.TooMany, "слишком много попыток")
	}
	return nil
}
func (g *countingGuard) CodeFailed(string) { g.fails++ }

func TestInvitations(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		guard := &countingGuard{max: 100}
		svc := youth.NewInvitations(s.Youth, guard, 30*24*time.Hour, clock)
		school := auth.Scope{UserID: 0, Role: auth.School, RegionCode: "41", OrgID: f.school.ID}
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college.ID}
		ninth := youth.Class{Grade: 9}

		// The school sees its class; the college has none of the school's pupils.
		rows, err := svc.Classes(ctx, school, 0)
		if err != nil || len(rows) != 1 || rows[0].Grade != 9 || rows[0].Learners != 1 || rows[0].Pending != 0 {
			t.Fatalf("classes = %+v, %v", rows, err)
		}
		if _, err := svc.Print(ctx, college, youth.Class{OrgID: f.school.ID, Grade: 9}); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("a college printed a school's class: %v", err)
		}
		if _, err := svc.Print(ctx, auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: f.empl.ID}, ninth); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("an employer printed invitations: %v", err)
		}

		// The minor pupil gets two slips: their own and a parent's.
		slips, err := svc.Print(ctx, school, ninth)
		if err != nil || len(slips) != 2 || slips[0].Role != auth.Learner || slips[1].Role != auth.Guardian || slips[0].Name != "Иванова Мария Петровна" {
			t.Fatalf("slips = %+v, %v", slips, err)
		}
		if !slips[0].ExpiresAt.Equal(now.Add(30 * 24 * time.Hour)) {
			t.Errorf("expires %v", slips[0].ExpiresAt)
		}
		var stored int
		s.read.QueryRow(`SELECT count(*) FROM invitation WHERE code_hash LIKE $1`, "%"+strings.ReplaceAll(slips[0].Code, "-", "")+"%").Scan(&stored)
		if stored != 0 {
			t.Fatal("the code is kept in clear")
		}
		birth := f.pupil.BirthDate
		red := func(code string, birth time.Time, login string) (auth.User, error) {
			return svc.Redeem(ctx, youth.Redemption{Code: code, BirthDate: birth, Login: login, Password: "Камчатка-весна-2026", IP: "10.0.0.1"})
		}
		// A wrong birth date counts as a failure and tells nothing of the code.
		if _, err := red(slips[0].Code, birth.AddDate(0, 0, 1), "maria"); !apperr.Is(err, apperr.Invalid) || guard.fails != 1 ||
			!strings.Contains(apperr.Text(err), "дата рождения не совпадает") {
			t.Fatalf("wrong birth date: %v (fails %d)", err, guard.fails)
		}
		if _, err := red("AAAA-BBBB-CCCC", birth, "maria"); !apperr.Is(err, apperr.Invalid) || guard.fails != 2 {
			t.Fatalf("unknown code: %v", err)
		}
		// A weak password is refused before the code is spent.
		if _, err := svc.Redeem(ctx, youth.Redemption{Code: slips[0].Code, BirthDate: birth, Login: "maria", Password: "12345678", IP: "10.0.0.1"}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("weak password: %v", err)
		}
		// The code as typed, in lower case without dashes, opens the learner's account.
		u, err := red(strings.ToLower(strings.ReplaceAll(slips[0].Code, "-", " ")), birth, "maria")
		if err != nil || u.Role != auth.Learner || u.LearnerID != f.pupil.ID || u.ID == 0 {
			t.Fatalf("redeem = %+v, %v", u, err)
		}
		if _, h, err := s.Auth.UserByLogin(ctx, "maria"); err != nil || !auth.VerifyPassword(h, "Камчатка-весна-2026") {
			t.Fatalf("the account does not log in: %v", err)
		}
		if _, err := red(slips[0].Code, birth, "maria2"); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "уже открыт") {
			t.Fatalf("a used code again: %v", err)
		}
		// The parent's slip opens a guardian's account tied to the child.
		p, err := red(slips[1].Code, birth, "maria.mama")
		if err != nil || p.Role != auth.Guardian || p.LearnerID != f.pupil.ID {
			t.Fatalf("parent = %+v, %v", p, err)
		}
		// Printed again, the class has only a parent's slip: the pupil has an account.
		again, err := svc.Print(ctx, school, ninth)
		if err != nil || len(again) != 1 || again[0].Role != auth.Guardian {
			t.Fatalf("again = %+v, %v", again, err)
		}
		// Revoked, the slip is refused with its own message.
		if n, err := svc.Revoke(ctx, college, youth.Class{Grade: 9}); err != nil || n != 0 {
			t.Fatalf("a college revoked a school's invitations: %d, %v", n, err)
		}
		if n, err := svc.Revoke(ctx, school, ninth); err != nil || n != 1 {
			t.Fatalf("revoked %d, %v", n, err)
		}
		if _, err := red(again[0].Code, birth, "papa"); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "отозвано") {
			t.Fatalf("a revoked code: %v", err)
		}
		// An expired one too.
		third, err := svc.Print(ctx, school, ninth)
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(31 * 24 * time.Hour)
		if _, err := red(third[0].Code, birth, "papa"); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "срок приглашения истёк") {
			t.Fatalf("an expired code: %v", err)
		}
		// Past the guard's limit every attempt is refused, the right one too.
		guard.max = guard.fails
		if _, err := red(third[0].Code, birth, "papa"); !apperr.Is(err, apperr.TooMany) {
			t.Fatalf("past the limit: %v", err)
		}
		rows, err = svc.Classes(ctx, school, 0)
		if err != nil || len(rows) != 1 || rows[0].Accounts != 1 || rows[0].Used != 2 || rows[0].Pending != 0 {
			t.Fatalf("classes after = %+v, %v", rows, err)
		}
	})
}

// A graduate without an account gets an invitation by e-mail; the letter's
// link, which holds the code, goes once the letter is sent.
func TestInvitationByEmail(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		staff := auth.User{Login: "career", Role: auth.College, OrgID: f.college.ID, RegionCode: "41"}
		if err := s.Auth.CreateUser(ctx, &staff, "hash"); err != nil {
			t.Fatal(err)
		}
		svc := youth.NewInvitations(s.Youth, &countingGuard{max: 10}, 0, func() time.Time { return now })
		if err := svc.SendByEmail(ctx, staff.Scope(""), f.graduate.ID, "не адрес"); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("a bad address: %v", err)
		}
		if err := svc.SendByEmail(ctx, staff.Scope(""), f.other.ID, "a@example.ru"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another college's graduate: %v", err)
		}
		if err := svc.SendByEmail(ctx, staff.Scope(""), f.graduate.ID, "grad@example.ru"); err != nil {
			t.Fatal(err)
		}
		letters, err := s.Mail.DueLetters(ctx, now, 10)
		if err != nil || len(letters) != 1 || letters[0].Kind != "invitation" || !strings.HasPrefix(letters[0].Link, "/join?code=") {
			t.Fatalf("letters = %+v, %v", letters, err)
		}
		code := strings.TrimPrefix(letters[0].Link, "/join?code=")
		if err := s.Mail.LetterSent(ctx, letters[0].ID, now); err != nil {
			t.Fatal(err)
		}
		var link string
		if err := s.read.QueryRow(`SELECT link FROM mail_outbox WHERE id = $1`, letters[0].ID).Scan(&link); err != nil || link != "" {
			t.Fatalf("the link stays after sending: %q, %v", link, err)
		}
		u, err := svc.Redeem(ctx, youth.Redemption{Code: code, BirthDate: f.graduate.BirthDate, Login: "grad.2004", Password: "Камчатка-весна-2026"})
		if err != nil || u.LearnerID != f.graduate.ID || u.Role != auth.Learner {
			t.Fatalf("redeem = %+v, %v", u, err)
		}
		if err := svc.SendByEmail(ctx, staff.Scope(""), f.graduate.ID, "grad@example.ru"); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a graduate with an account invited again: %v", err)
		}
	})
}

// The limiter of auth counts the failures of codes by address.
func TestInvitationGuard(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seed(t, s)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		a := auth.NewService(s.Auth, time.Hour, func() time.Time { return now })
		svc := youth.NewInvitations(s.Youth, a, 0, func() time.Time { return now })
		var last error
		for range 11 {
			_, last = svc.Redeem(ctx, youth.Redemption{Code: "AAAA-BBBB-CCCC", BirthDate: now, Login: "x", Password: "y", IP: "10.0.0.9"})
		}
		if !apperr.Is(last, apperr.TooMany) || !strings.Contains(apperr.Text(last), "Повторите через") {
			t.Fatalf("the eleventh attempt: %v", last)
		}
		if _, err := svc.Redeem(ctx, youth.Redemption{Code: "AAAA-BBBB-CCCC", BirthDate: now, IP: "10.0.0.10"}); apperr.Is(err, apperr.TooMany) {
			t.Fatal("another address is refused too")
		}
	})
}
