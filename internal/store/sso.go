package store

import (
	"context"
	"database/sql"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/sso"
)

// LinkedUser is the account linked to a provider's subject.
func (s *SSO) LinkedUser(ctx context.Context, issuer, subject string) (int64, error) {
	var id int64
	err := s.read.QueryRowContext(ctx, `SELECT user_id FROM sso_link WHERE issuer = $1 AND subject = $2`, issuer, subject).Scan(&id)
	if noRows(err) {
		return 0, apperr.New(apperr.NotFound, "связь со входом через провайдер не найдена")
	}
	return id, wrap("sso link", err)
}

// FindUsers are the active accounts of the region a claim names.
func (s *SSO) FindUsers(ctx context.Context, region string, by sso.Match, value string) ([]int64, error) {
	var q string
	switch by {
	case sso.ByEmail:
		q = `SELECT id FROM app_user WHERE region_code = $1 AND lower(email) = $2 AND NOT disabled`
	case sso.BySNILS:
		// A СНИЛС names a learner; the account is the learner's own.
		q = `SELECT u.id FROM app_user u JOIN learner l ON l.id = u.learner_id
			WHERE u.role = 'learner' AND l.region_code = $1 AND l.snils = $2 AND NOT u.disabled`
	case sso.ByLogin:
		q = `SELECT id FROM app_user WHERE region_code = $1 AND login = $2 AND NOT disabled`
	default:
		return nil, nil
	}
	var out []int64
	err := eachRow(ctx, s.read, q, args{region, value}, func(r *sql.Rows) error {
		var id int64
		if err := r.Scan(&id); err != nil {
			return err
		}
		out = append(out, id)
		return nil
	})
	return out, wrap("find users", err)
}

// GuardiansBySNILS are the active parents' accounts of the region's
// learner with this СНИЛС, with the learner's birth date.
func (s *SSO) GuardiansBySNILS(ctx context.Context, region, snils string) ([]sso.Guardian, error) {
	var out []sso.Guardian
	err := eachRow(ctx, s.read, `SELECT u.id, u.name, l.birth_date FROM app_user u JOIN learner l ON l.id = u.learner_id
		WHERE u.role = 'guardian' AND l.region_code = $1 AND l.snils = $2 AND NOT u.disabled ORDER BY u.id`, args{region, snils}, func(r *sql.Rows) error {
		var g sso.Guardian
		if err := r.Scan(&g.UserID, &g.Name, timeScan{&g.ChildBirthDate}); err != nil {
			return err
		}
		out = append(out, g)
		return nil
	})
	return out, wrap("guardians by snils", err)
}

// LinkUser links a provider's subject to an account.
func (s *SSO) LinkUser(ctx context.Context, issuer, subject string, userID int64, at time.Time) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO sso_link (issuer, subject, user_id, created_at) VALUES ($1, $2, $3, $4)`, issuer, subject, userID, tsArg(at))
	if isUniqueViolation(err) {
		return apperr.New(apperr.Conflict, "этот вход уже связан с другой учётной записью")
	}
	return wrap("link sso", err)
}
