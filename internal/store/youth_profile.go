package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
	"marshrut/internal/youth"
)

// The young person's side after the ДДО (programmes, профпробы and sign-ups,
// reminders) and the profile they keep.

// StudyProgrammes are the region's programmes (an organisation's specialty with
// its places) in the enlarged groups of ОКСО given by their first two digits,
// those with open targeted offers and more places first.
func (s *Youth) StudyProgrammes(ctx context.Context, region string, prefixes []string, limit int) ([]youth.Programme, error) {
	a := args{region}
	ph := make([]string, len(prefixes))
	for i, p := range prefixes {
		ph[i] = a.add(p)
	}
	q := `SELECT c.org_id, o.name, o.kind, COALESCE(m.name, ''), c.specialty_code, COALESCE(sp.name, ''),
		CASE WHEN c.plan > 0 THEN c.plan ELSE c.capacity END,
		(SELECT count(*) FROM targeted_offer t WHERE t.org_id = c.org_id AND t.specialty_code = c.specialty_code AND t.status = 'published') AS offers
		FROM org_capacity c JOIN organisation o ON o.id = c.org_id LEFT JOIN municipality m ON m.id = o.municipality_id
		LEFT JOIN specialty sp ON sp.code = c.specialty_code
		WHERE c.region_code = $1 AND substr(c.specialty_code, 1, 2) IN (` + strings.Join(ph, ", ") + `)
		ORDER BY offers DESC, 7 DESC, o.name, c.specialty_code LIMIT ` + a.add(limit)
	var out []youth.Programme
	err := eachRow(ctx, s.read, q, a, func(r *sql.Rows) error {
		var p youth.Programme
		if err := r.Scan(&p.OrgID, &p.OrgName, &p.OrgKind, &p.Municipality, &p.SpecialtyCode, &p.SpecialtyName, &p.Places, &p.Offers); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, wrap("study programmes", err)
}

// Trials are the bookable events from today that suit the caller's grade.
func (s *Youth) Trials(ctx context.Context, sc auth.Scope, now time.Time, limit int) ([]youth.Trial, error) {
	rq, end := s.snapshot(ctx, s.read)
	defer end()
	var grade int
	var a args
	if err := rq.QueryRowContext(ctx, `SELECT l.grade FROM learner l WHERE l.id = `+a.add(sc.LearnerID)+` AND `+learnerScope(sc, "l", &a), a...).Scan(&grade); err != nil {
		return nil, wrap("trials", notFound(err, "обучающийся не найден"))
	}
	q := `SELECT e.id, e.title, e.held_on, e.place, COALESCE(NULLIF(o.short_name, ''), o.name), COALESCE(sp.name, ''),
		CASE WHEN e.capacity = 0 THEN -1 ELSE e.capacity - (SELECT COALESCE(sum(b.seats), 0) FROM guidance_booking b WHERE b.event_id = e.id)
			- (SELECT count(*) FROM guidance_signup g WHERE g.event_id = e.id) END,
		EXISTS (SELECT 1 FROM guidance_signup g WHERE g.event_id = e.id AND g.learner_id = $1)
		FROM guidance_event e JOIN organisation o ON o.id = e.organiser_id LEFT JOIN specialty sp ON sp.code = e.specialty_code
		WHERE e.region_code = $2 AND e.bookable AND e.held_on >= $3 AND e.grade_from <= $4 AND e.grade_to >= $4
		ORDER BY e.held_on, e.id LIMIT $5`
	var out []youth.Trial
	err := eachRow(ctx, rq, q, args{sc.LearnerID, sc.RegionCode, dateArg(now), grade, limit}, func(r *sql.Rows) error {
		var t youth.Trial
		if err := r.Scan(&t.ID, &t.Title, timeScan{&t.HeldOn}, &t.Place, &t.Organiser, &t.Specialty, &t.Free, &t.Signed); err != nil {
			return err
		}
		out = append(out, t)
		return nil
	})
	return out, wrap("trials", err)
}

// SignUp books the learner one place on a bookable event of their grade.
func (s *Youth) SignUp(ctx context.Context, sc auth.Scope, eventID int64, now time.Time) error {
	return wrap("sign up", s.tx(ctx, func(tx *sql.Tx) error {
		var grade int
		var schoolID int64
		var a args
		if err := tx.QueryRowContext(ctx, `SELECT l.grade, l.org_id FROM learner l WHERE l.id = `+a.add(sc.LearnerID)+` AND `+learnerScope(sc, "l", &a), a...).
			Scan(&grade, &schoolID); err != nil {
			return notFound(err, "обучающийся не найден")
		}
		if err := lockEvent(ctx, tx, eventID); err != nil {
			return err
		}
		var title string
		var held time.Time
		var from, to, capacity, taken int
		var bookable bool
		err := tx.QueryRowContext(ctx, `SELECT e.title, e.held_on, e.grade_from, e.grade_to, e.capacity, e.bookable,
			(SELECT COALESCE(sum(b.seats), 0) FROM guidance_booking b WHERE b.event_id = e.id) + (SELECT count(*) FROM guidance_signup g WHERE g.event_id = e.id)
			FROM guidance_event e WHERE e.id = $1 AND e.region_code = $2`, eventID, sc.RegionCode).
			Scan(&title, timeScan{&held}, &from, &to, &capacity, &bookable, &taken)
		if err != nil {
			return notFound(err, "мероприятие не найдено")
		}
		switch {
		case !bookable:
			return apperr.New(apperr.Conflict, "на «%s» записывает школа, а не сам ученик", title)
		case learner.Day(held).Before(learner.Day(now)):
			return apperr.New(apperr.Conflict, "«%s» уже прошла", title)
		case grade < from || grade > to:
			return apperr.New(apperr.Conflict, "«%s» — для %d–%d классов", title, from, to)
		case capacity > 0 && taken >= capacity:
			return apperr.New(apperr.Conflict, "на «%s» мест больше нет", title)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO guidance_signup (event_id, learner_id, created_at) VALUES ($1, $2, $3)`, eventID, sc.LearnerID, tsArg(now))
		if isUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "вы уже записаны на «%s»", title)
		}
		if err != nil {
			return err
		}
		link := fmt.Sprintf("/guidance/events/%d", eventID)
		if err := notifyTx(ctx, tx, now, youth.Notice{LearnerID: sc.LearnerID, Kind: "trial", Text: "Запись на профпробу «" + title + "» " + held.Format("02.01.2006"), Link: link}); err != nil {
			return err
		}
		return notifyTx(ctx, tx, now, youth.Notice{OrgID: schoolID, Kind: "trial", Text: "Ученик школы записался на профпробу «" + title + "»", Link: link})
	}))
}

// Profile is the profile and the achievements of a learner the caller sees;
// a learner who has kept none has an empty profile.
func (s *Youth) Profile(ctx context.Context, sc auth.Scope, learnerID int64) (youth.Profile, []youth.Achievement, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
	p := youth.Profile{LearnerID: learnerID}
	if err := inScope(ctx, q, sc, learnerID); err != nil {
		return p, nil, wrap("profile", err)
	}
	var munis string
	err := q.QueryRowContext(ctx, `SELECT phone, email, wish, municipalities, relocation, min_pay, schedule, about, show_contacts, updated_at
		FROM learner_profile WHERE learner_id = $1`, learnerID).Scan(&p.Phone, &p.Email, &p.Wish, &munis, &p.Relocation, &p.MinPay, &p.Schedule,
		&p.About, &p.ShowContacts, timeScan{&p.UpdatedAt})
	if err != nil && !noRows(err) {
		return p, nil, wrap("profile", err)
	}
	for _, m := range strings.Split(munis, ",") {
		if id := atoiID(m); id > 0 {
			p.Municipalities = append(p.Municipalities, id)
		}
	}
	var out []youth.Achievement
	err = eachRow(ctx, q, `SELECT id, learner_id, kind, title, year, result, created_at FROM learner_achievement WHERE learner_id = $1
		ORDER BY year DESC, id DESC`, args{learnerID}, func(r *sql.Rows) error {
		var a youth.Achievement
		if err := r.Scan(&a.ID, &a.LearnerID, &a.Kind, &a.Title, &a.Year, &a.Result, timeScan{&a.CreatedAt}); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	return p, out, wrap("profile", err)
}

func atoiID(s string) int64 {
	var n int64
	for _, c := range strings.TrimSpace(s) {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// SaveProfile writes the learner's profile whole.
func (s *Youth) SaveProfile(ctx context.Context, sc auth.Scope, p youth.Profile) error {
	return wrap("save profile", s.tx(ctx, func(tx *sql.Tx) error {
		if err := inScope(ctx, tx, sc, p.LearnerID); err != nil {
			return err
		}
		ids := make([]string, 0, len(p.Municipalities))
		for _, m := range p.Municipalities {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM municipality WHERE id = $1 AND region_code = $2`, m, sc.RegionCode).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return apperr.Field("municipalities", "муниципальное образование %d не найдено в регионе", m)
			}
			ids = append(ids, fmt.Sprint(m))
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO learner_profile (learner_id, phone, email, wish, municipalities, relocation, min_pay, schedule, about, show_contacts, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (learner_id) DO UPDATE SET phone = excluded.phone, email = excluded.email, wish = excluded.wish, municipalities = excluded.municipalities,
			relocation = excluded.relocation, min_pay = excluded.min_pay, schedule = excluded.schedule, about = excluded.about,
			show_contacts = excluded.show_contacts, updated_at = excluded.updated_at`,
			p.LearnerID, p.Phone, p.Email, p.Wish, strings.Join(ids, ","), p.Relocation, p.MinPay, p.Schedule, p.About, p.ShowContacts, tsArg(p.UpdatedAt))
		return err
	}))
}

// AddAchievement adds an achievement of a learner the caller sees.
func (s *Youth) AddAchievement(ctx context.Context, sc auth.Scope, a *youth.Achievement) error {
	return wrap("add achievement", s.tx(ctx, func(tx *sql.Tx) error {
		if err := inScope(ctx, tx, sc, a.LearnerID); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO learner_achievement (learner_id, kind, title, year, result, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			a.LearnerID, a.Kind, a.Title, a.Year, a.Result, tsArg(a.CreatedAt)).Scan(&a.ID)
	}))
}

// DeleteAchievement removes an achievement of the caller's own learner.
func (s *Youth) DeleteAchievement(ctx context.Context, sc auth.Scope, id int64) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM learner_achievement WHERE id = $1 AND learner_id = $2`, id, sc.LearnerID)
	if err != nil {
		return wrap("delete achievement", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "достижение не найдено")
	}
	return nil
}

// RemindTrials tells the pupils signed up for an event of the next day, and
// their parents, that it is tomorrow: a notice in the inbox and, for those
// who gave an address, a letter. Each is told once, however often it runs.
func (s *Store) RemindTrials(ctx context.Context, region string, tomorrow time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		at := tsArg(s.now())
		day := dateArg(tomorrow)
		const who = ` FROM guidance_signup g JOIN guidance_event e ON e.id = g.event_id JOIN app_user u ON u.learner_id = g.learner_id AND NOT u.disabled
			WHERE e.region_code = $1 AND e.held_on = $2
			AND NOT EXISTS (SELECT 1 FROM inbox_message m WHERE m.user_id = u.id AND m.kind = 'deadline' AND m.link = '/guidance/events/' || e.id)`
		if _, err := tx.ExecContext(ctx, `INSERT INTO mail_outbox (user_id, to_addr, kind, link, created_at, next_at)
			SELECT u.id, u.email, 'deadline', '/guidance/events/' || e.id, $3, $3`+who+` AND u.email <> ''`, region, day, at); err != nil {
			return fmt.Errorf("store: remind trials: %w", err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO inbox_message (user_id, kind, text, link, created_at)
			SELECT u.id, 'deadline', 'Завтра: ' || e.title, '/guidance/events/' || e.id, $3`+who, region, day, at)
		if err != nil {
			return fmt.Errorf("store: remind trials: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), wrap("remind trials", err)
}
