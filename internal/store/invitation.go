package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/youth"
)

// classCond is the condition that keeps alias l on the learners of a class:
// the pupils of a grade, or the students and graduates of a study group.
func classCond(c youth.Class, a *args) string {
	cond := "l.org_id = " + a.add(c.OrgID) + " AND l.study_group = " + a.add(c.Group)
	if c.Grade > 0 {
		return cond + " AND l.status = 'pupil' AND l.grade = " + a.add(c.Grade)
	}
	return cond + " AND l.status <> 'pupil'"
}

// InvitationClasses are the classes and study groups of an organisation the caller
// sees, with their learners, accounts and invitations counted at now.
func (s *Youth) InvitationClasses(ctx context.Context, sc auth.Scope, orgID int64, now time.Time) ([]youth.ClassRow, error) {
	var a args
	at := a.add(tsArg(now))
	q := `SELECT CASE WHEN l.status = 'pupil' THEN l.grade ELSE 0 END, l.study_group, count(*),
		sum(CASE WHEN EXISTS (SELECT 1 FROM app_user u WHERE u.learner_id = l.id AND u.role = 'learner') THEN 1 ELSE 0 END),
		sum((SELECT count(*) FROM invitation i WHERE i.learner_id = l.id AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ` + at + `)),
		sum((SELECT count(*) FROM invitation i WHERE i.learner_id = l.id AND i.used_at IS NOT NULL))
		FROM learner l WHERE l.org_id = ` + a.add(orgID) + ` AND ` + learnerScope(sc, "l", &a) + `
		AND ((l.status = 'pupil' AND l.grade > 0) OR (l.status <> 'pupil' AND l.study_group <> ''))
		GROUP BY CASE WHEN l.status = 'pupil' THEN l.grade ELSE 0 END, l.study_group ORDER BY 1, 2`
	var out []youth.ClassRow
	err := eachRow(ctx, s.read, q, a, func(r *sql.Rows) error {
		c := youth.ClassRow{Class: youth.Class{OrgID: orgID}}
		if err := r.Scan(&c.Grade, &c.Group, &c.Learners, &c.Accounts, &c.Pending, &c.Used); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, wrap("classes", err)
	}
	return out, nil
}

// ClassMembers are the learners of a class the caller sees, by name.
func (s *Youth) ClassMembers(ctx context.Context, sc auth.Scope, c youth.Class) ([]youth.Member, error) {
	var a args
	q := `SELECT l.id, l.last_name, l.first_name, l.middle_name, l.birth_date,
		EXISTS (SELECT 1 FROM app_user u WHERE u.learner_id = l.id AND u.role = 'learner')
		FROM learner l WHERE ` + classCond(c, &a) + ` AND ` + learnerScope(sc, "l", &a) + `
		ORDER BY l.search_name, l.id`
	var out []youth.Member
	err := eachRow(ctx, s.read, q, a, func(r *sql.Rows) error {
		var m youth.Member
		var last, first, middle string
		if err := r.Scan(&m.LearnerID, &last, &first, &middle, timeScan{&m.BirthDate}, &m.HasAccount); err != nil {
			return err
		}
		m.Name = strings.TrimSpace(strings.Join([]string{last, first, middle}, " "))
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, wrap("class members", err)
	}
	return out, nil
}

// CreateInvitations keeps new invitations of learners the caller sees, in
// one transaction; an earlier unused invitation of the same learner and
// role is revoked by the new one. The region and organisation are the
// learner's own.
func (s *Youth) CreateInvitations(ctx context.Context, sc auth.Scope, in []youth.Invitation) error {
	return wrap("create invitations", s.tx(ctx, func(tx *sql.Tx) error {
		for _, v := range in {
			if err := inScope(ctx, tx, sc, v.LearnerID); err != nil {
				return err
			}
			if v.Role == auth.Learner {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM app_user WHERE learner_id = $1 AND role = 'learner'`, v.LearnerID).Scan(&n); err != nil {
					return err
				}
				if n > 0 {
					return apperr.New(apperr.Conflict, "у обучающегося уже есть кабинет: приглашение не нужно")
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE invitation SET revoked_at = $1 WHERE learner_id = $2 AND role = $3 AND used_at IS NULL AND revoked_at IS NULL`,
				tsArg(v.CreatedAt), v.LearnerID, string(v.Role)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO invitation (region_code, org_id, learner_id, role, code_hash, created_by, created_at, expires_at)
				SELECT l.region_code, l.org_id, l.id, $1, $2, $3, $4, $5 FROM learner l WHERE l.id = $6`,
				string(v.Role), v.CodeHash, nullID(v.CreatedBy), tsArg(v.CreatedAt), tsArg(v.ExpiresAt), v.LearnerID); err != nil {
				return err
			}
		}
		return nil
	}))
}

// InvitationByCode is the invitation behind a code's hash, with the
// learner's birth date.
func (s *Youth) InvitationByCode(ctx context.Context, codeHash string) (youth.Invitation, error) {
	var v youth.Invitation
	var role string
	err := s.read.QueryRowContext(ctx, `SELECT i.id, i.region_code, i.org_id, i.learner_id, i.role, i.created_at, i.expires_at, i.used_at, i.revoked_at, l.birth_date
		FROM invitation i JOIN learner l ON l.id = i.learner_id WHERE i.code_hash = $1`, codeHash).Scan(&v.ID, &v.RegionCode, &v.OrgID, &v.LearnerID, &role,
		timeScan{&v.CreatedAt}, timeScan{&v.ExpiresAt}, timeScan{&v.UsedAt}, timeScan{&v.RevokedAt}, timeScan{&v.BirthDate})
	if noRows(err) {
		return v, apperr.New(apperr.NotFound, "приглашение не найдено")
	}
	if err != nil {
		return v, wrap("invitation", err)
	}
	v.Role, v.CodeHash = auth.Role(role), codeHash
	return v, nil
}

// RedeemInvitation marks the invitation used and opens the account for its
// learner, in one transaction.
func (s *Youth) RedeemInvitation(ctx context.Context, id int64, now time.Time, u *auth.User, hash string) error {
	return wrap("redeem invitation", s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE invitation SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND revoked_at IS NULL`, tsArg(now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.Field("code", "приглашение уже использовано или отозвано")
		}
		if u.Role == auth.Learner {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM app_user WHERE learner_id = $1 AND role = 'learner'`, u.LearnerID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return apperr.Field("code", "у обучающегося уже есть кабинет: войдите с его логином или попросите администратора сбросить пароль")
			}
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO app_user (login, name, role, region_code, learner_id, password_hash, disabled, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7) RETURNING id`, u.Login, u.Name, u.Role, u.RegionCode, u.LearnerID, hash, tsArg(now)).Scan(&u.ID)
		if isUniqueViolation(err) {
			return apperr.Field("login", "логин «%s» уже занят: выберите другой", u.Login)
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE invitation SET user_id = $1 WHERE id = $2`, u.ID, id)
		return err
	}))
}

// RevokeInvitations revokes the unused invitations of a class the caller sees.
func (s *Youth) RevokeInvitations(ctx context.Context, sc auth.Scope, c youth.Class, now time.Time) (int, error) {
	var a args
	q := `UPDATE invitation SET revoked_at = ` + a.add(tsArg(now)) + ` WHERE used_at IS NULL AND revoked_at IS NULL
		AND learner_id IN (SELECT l.id FROM learner l WHERE ` + classCond(c, &a) + ` AND ` + learnerScope(sc, "l", &a) + `)`
	res, err := s.write.ExecContext(ctx, q, a...)
	if err != nil {
		return 0, wrap("revoke invitations", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// QueueInvitationLetter puts a letter with an invitation's link into the
// outbox under the sender's account; once sent, its link is cleared (see
// LetterSent), so that the code does not stay in the database.
func (s *Youth) QueueInvitationLetter(ctx context.Context, sc auth.Scope, to, link string, at time.Time) error {
	if sc.UserID == 0 {
		return apperr.New(apperr.Invalid, "письмо с приглашением отправляет сотрудник со своей учётной записью")
	}
	_, err := s.write.ExecContext(ctx, `INSERT INTO mail_outbox (user_id, to_addr, kind, link, created_at, next_at) VALUES ($1, $2, 'invitation', $3, $4, $4)`,
		sc.UserID, to, link, tsArg(at))
	return wrap("queue invitation", err)
}
