package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/ddo"
	"marshrut/internal/guidance"
	"marshrut/internal/history"
	"marshrut/internal/org"
)

const eventCols = `e.id, e.region_code, e.organiser_id, COALESCE(NULLIF(o.short_name, ''), o.name), e.kind, e.title, e.held_on, e.place,
	e.grade_from, e.grade_to, e.capacity, e.specialty_code, sp.name, e.hours, e.ticket, e.bookable, e.created_at,
	(SELECT count(*) FROM guidance_participation p WHERE p.event_id = e.id),
	(SELECT COALESCE(sum(b.seats), 0) FROM guidance_booking b WHERE b.event_id = e.id)`

const eventFrom = ` FROM guidance_event e JOIN organisation o ON o.id = e.organiser_id LEFT JOIN specialty sp ON sp.code = e.specialty_code`

func scanEvent(r interface{ Scan(...any) error }, e *guidance.Event) error {
	var spec, specName sql.NullString
	err := r.Scan(&e.ID, &e.RegionCode, &e.OrganiserID, &e.Organiser, &e.Kind, &e.Title, timeScan{&e.HeldOn}, &e.Place,
		&e.GradeFrom, &e.GradeTo, &e.Capacity, &spec, &specName, &e.Hours, &e.Ticket, &e.Bookable, timeScan{&e.CreatedAt},
		&e.Participants, &e.Booked)
	e.SpecialtyCode, e.Specialty = spec.String, specName.String
	return err
}

// CreateEvent stores a new guidance event. Its organiser must be a school,
// college, university, employer or employment centre of the event's region.
func (s *Guidance) CreateEvent(ctx context.Context, e *guidance.Event) error {
	return wrap("create event", s.tx(ctx, func(tx *sql.Tx) error {
		if err := checkEventRefs(ctx, tx, e); err != nil {
			return err
		}
		e.CreatedAt = s.now()
		return tx.QueryRowContext(ctx, `INSERT INTO guidance_event (region_code, organiser_id, kind, title, held_on, school_year, place,
			grade_from, grade_to, capacity, specialty_code, hours, ticket, bookable, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			e.RegionCode, e.OrganiserID, e.Kind, e.Title, dateArg(e.HeldOn), int(guidance.YearOf(e.HeldOn)), e.Place,
			e.GradeFrom, e.GradeTo, e.Capacity, nullText(e.SpecialtyCode), e.Hours, e.Ticket, e.Bookable, tsArg(e.CreatedAt)).Scan(&e.ID)
	}))
}

// checkEventRefs checks that the event's organiser is an organisation of its
// region that may hold events and that its specialty is in the classifier.
func checkEventRefs(ctx context.Context, tx *sql.Tx, e *guidance.Event) error {
	var kind org.Kind
	err := tx.QueryRowContext(ctx, `SELECT kind FROM organisation WHERE id = $1 AND region_code = $2`, e.OrganiserID, e.RegionCode).Scan(&kind)
	if noRows(err) {
		return apperr.Field("organiser_id", "организатор %d не найден в регионе", e.OrganiserID)
	}
	if err != nil {
		return err
	}
	if !kind.Valid() {
		return apperr.Field("organiser_id", "организатор не может проводить мероприятия")
	}
	if e.SpecialtyCode != "" {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM specialty WHERE code = $1`, e.SpecialtyCode).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.Field("specialty_code", "специальность или профессия «%s» не найдена в справочнике ОКСО", e.SpecialtyCode)
		}
	}
	return nil
}

// lockEvent holds an event's row until the transaction ends, so that its
// places are checked against participants, bookings and an edit one at a
// time (PostgreSQL; SQLite has one writer anyway).
func lockEvent(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE guidance_event SET capacity = capacity WHERE id = $1`, id); err != nil {
		return fmt.Errorf("store: lock event: %w", err)
	}
	return nil
}

// UpdateEvent changes an event of e's region in one transaction: the event
// as it is there is given to check, which may refuse the edit; the changed
// fields are kept in the edit history, and the coverage of the event's
// participants follows a new day, hours or ticket.
func (s *Guidance) UpdateEvent(ctx context.Context, e *guidance.Event, check func(before guidance.Event) error) error {
	return wrap("update event", s.tx(ctx, func(tx *sql.Tx) error {
		if err := lockEvent(ctx, tx, e.ID); err != nil {
			return err
		}
		var before guidance.Event
		if err := scanEvent(tx.QueryRowContext(ctx, `SELECT `+eventCols+eventFrom+` WHERE e.id = $1 AND e.region_code = $2`, e.ID, e.RegionCode), &before); err != nil {
			return notFound(err, "мероприятие не найдено")
		}
		if check != nil {
			if err := check(before); err != nil {
				return err
			}
		}
		if err := checkEventRefs(ctx, tx, e); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE guidance_event SET organiser_id = $1, kind = $2, title = $3, held_on = $4, school_year = $5,
			place = $6, grade_from = $7, grade_to = $8, capacity = $9, specialty_code = $10, hours = $11, ticket = $12, bookable = $13
			WHERE id = $14 AND region_code = $15`,
			e.OrganiserID, e.Kind, e.Title, dateArg(e.HeldOn), int(guidance.YearOf(e.HeldOn)), e.Place, e.GradeFrom, e.GradeTo,
			e.Capacity, nullText(e.SpecialtyCode), e.Hours, e.Ticket, e.Bookable, e.ID, e.RegionCode)
		if err != nil {
			return fmt.Errorf("store: update event: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "мероприятие не найдено")
		}
		var after guidance.Event
		if err := scanEvent(tx.QueryRowContext(ctx, `SELECT `+eventCols+eventFrom+` WHERE e.id = $1`, e.ID), &after); err != nil {
			return fmt.Errorf("store: update event: %w", err)
		}
		if before.Participants > 0 && (!after.HeldOn.Equal(before.HeldOn) || after.Hours != before.Hours || after.Ticket != before.Ticket) {
			var a args
			if err := s.rebuildReach(ctx, tx, `learner_id IN (SELECT learner_id FROM guidance_participation WHERE event_id = `+a.add(e.ID)+`)`, a); err != nil {
				return err
			}
		}
		e.CreatedAt = after.CreatedAt
		return s.recordEdit(ctx, tx, e.RegionCode, history.Event, e.ID, guidance.Changes(before, after))
	}))
}

// Event returns one event of the region.
func (s *Guidance) Event(ctx context.Context, region string, id int64) (guidance.Event, error) {
	var e guidance.Event
	err := scanEvent(s.read.QueryRowContext(ctx, `SELECT `+eventCols+eventFrom+` WHERE e.id = $1 AND e.region_code = $2`, id, region), &e)
	return e, wrap("event", notFound(err, "мероприятие не найдено"))
}

// Events returns a page of the region's events, newest first, and their total.
func (s *Guidance) Events(ctx context.Context, region string, f guidance.EventFilter) ([]guidance.Event, int, error) {
	var a args
	where := `e.region_code = ` + a.add(region)
	if f.Year != 0 {
		where += ` AND e.school_year = ` + a.add(int(f.Year))
	}
	if f.OrganiserID != 0 {
		where += ` AND e.organiser_id = ` + a.add(f.OrganiserID)
	}
	if f.Kind != "" {
		where += ` AND e.kind = ` + a.add(f.Kind)
	}
	if f.Bookable {
		where += ` AND e.bookable`
	}
	if f.BookedBy != 0 {
		where += ` AND EXISTS (SELECT 1 FROM guidance_booking b WHERE b.event_id = e.id AND b.school_id = ` + a.add(f.BookedBy) + `)`
	}
	return page(ctx, s.db, s.read, listPage{op: "events", cols: eventCols, from: eventFrom, countFrom: ` FROM guidance_event e`, where: where,
		order: `e.held_on DESC, e.id DESC`, limit: f.Limit, offset: f.Offset}, a, scanner(scanEvent))
}

// Book reserves seats of a bookable event for a school of the region; a
// second booking by the same school replaces the first.
func (s *Guidance) Book(ctx context.Context, region string, eventID, schoolID int64, seats int) error {
	return wrap("book", s.tx(ctx, func(tx *sql.Tx) error {
		if err := lockEvent(ctx, tx, eventID); err != nil {
			return err
		}
		var capacity, others int
		var bookable bool
		// Places pupils took themselves count as taken too.
		err := tx.QueryRowContext(ctx, `SELECT e.capacity, e.bookable, (SELECT COALESCE(sum(b.seats), 0) FROM guidance_booking b
			WHERE b.event_id = e.id AND b.school_id <> $3) + (SELECT count(*) FROM guidance_signup g WHERE g.event_id = e.id)
			FROM guidance_event e WHERE e.id = $1 AND e.region_code = $2`,
			eventID, region, schoolID).Scan(&capacity, &bookable, &others)
		if err != nil {
			return notFound(err, "мероприятие не найдено")
		}
		if !bookable {
			return apperr.Field("event_id", "на это мероприятие места не бронируются")
		}
		if capacity > 0 && others+seats > capacity {
			return apperr.Field("seats", "свободно %d мест из %d, запрошено %d", max(0, capacity-others), capacity, seats)
		}
		var kind org.Kind
		if err := tx.QueryRowContext(ctx, `SELECT kind FROM organisation WHERE id = $1 AND region_code = $2`, schoolID, region).Scan(&kind); err != nil || kind != org.School {
			return apperr.Field("school_id", "места бронирует школа региона")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO guidance_booking (event_id, school_id, seats, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (event_id, school_id) DO UPDATE SET seats = excluded.seats`, eventID, schoolID, seats, tsArg(s.now()))
		return err
	}))
}

// Bookings lists the schools that booked an event.
func (s *Guidance) Bookings(ctx context.Context, eventID int64) ([]guidance.Booking, error) {
	return list(ctx, s.read, "bookings", `SELECT b.school_id, COALESCE(NULLIF(o.short_name, ''), o.name), b.seats,
		(SELECT count(*) FROM guidance_participation p JOIN learner l ON l.id = p.learner_id WHERE p.event_id = b.event_id AND l.org_id = b.school_id)
		FROM guidance_booking b JOIN organisation o ON o.id = b.school_id WHERE b.event_id = $1 ORDER BY o.search_name`, args{eventID}, func(rows *sql.Rows) (guidance.Booking, error) {
		var b guidance.Booking
		if err := rows.Scan(&b.SchoolID, &b.School, &b.Seats, &b.Came); err != nil {
			return b, err
		}
		return b, nil
	})
}

// AddParticipants records that the pupils took part in the event, all of
// them or none: every pupil must be within the caller's scope, a pupil, in a
// grade the event admits; a school records its own pupils, and on another
// organiser's bookable event only after booking places, within them.
// Pupils already recorded are left as they are. It returns how many were added.
func (s *Guidance) AddParticipants(ctx context.Context, sc auth.Scope, eventID int64, ids []int64) (int, error) {
	if !sc.SeesPersons() {
		return 0, apperr.New(apperr.Forbidden, "недостаточно прав")
	}
	if len(ids) == 0 {
		return 0, apperr.Field("learner_ids", "отметьте хотя бы одного обучающегося")
	}
	added := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := lockEvent(ctx, tx, eventID); err != nil {
			return err
		}
		var e guidance.Event
		if err := scanEvent(tx.QueryRowContext(ctx, `SELECT `+eventCols+eventFrom+` WHERE e.id = $1 AND e.region_code = $2`, eventID, sc.RegionCode), &e); err != nil {
			return notFound(err, "мероприятие не найдено")
		}
		pupils, err := scopedPupils(ctx, tx, sc, ids)
		if err != nil {
			return err
		}
		var errs apperr.List
		known, err := participantSet(ctx, tx, eventID, ids)
		if err != nil {
			return err
		}
		var fresh []int64
		perSchool := map[int64]int{}
		for _, id := range ids {
			p, ok := pupils[id]
			switch {
			case !ok:
				errs.Add("learner_ids", "обучающийся %d не найден среди обучающихся, доступных вам", id)
			case p.status != "pupil":
				errs.Add("learner_ids", "%s — не школьник: в профориентационных мероприятиях отмечаются школьники", p.name)
			case p.grade < e.GradeFrom || p.grade > e.GradeTo:
				errs.Add("learner_ids", "%s учится в %d классе, а мероприятие для %d–%d классов", p.name, p.grade, e.GradeFrom, e.GradeTo)
			case known[id]: // already recorded, or repeated in the list
			default:
				known[id] = true
				fresh = append(fresh, id)
				perSchool[p.org]++
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		if e.Capacity > 0 && e.Participants+len(fresh) > e.Capacity {
			return apperr.Field("learner_ids", "на мероприятии %d мест, уже отмечено %d, добавить %d нельзя", e.Capacity, e.Participants, len(fresh))
		}
		if e.Bookable {
			for school, n := range perSchool {
				if school == e.OrganiserID {
					continue
				}
				var seats, came int
				err := tx.QueryRowContext(ctx, `SELECT b.seats, (SELECT count(*) FROM guidance_participation p JOIN learner l ON l.id = p.learner_id
					WHERE p.event_id = b.event_id AND l.org_id = b.school_id) FROM guidance_booking b WHERE b.event_id = $1 AND b.school_id = $2`,
					eventID, school).Scan(&seats, &came)
				if noRows(err) {
					return apperr.Field("learner_ids", "школа не бронировала места на это мероприятие: сначала забронируйте места")
				}
				if err != nil {
					return err
				}
				if came+n > seats {
					return apperr.Field("learner_ids", "школа забронировала %d мест, уже отмечено %d, добавить %d нельзя", seats, came, n)
				}
			}
		}
		now := tsArg(s.now())
		for _, id := range fresh {
			if _, err := tx.ExecContext(ctx, `INSERT INTO guidance_participation (event_id, learner_id, recorded_by, recorded_at)
				VALUES ($1, $2, $3, $4)`, eventID, id, nullID(sc.UserID), now); err != nil {
				return err
			}
		}
		added = len(fresh)
		return s.refreshReach(ctx, tx, fresh)
	})
	return added, wrap("add participants", err)
}

// RemoveParticipant takes a pupil off an event's list.
func (s *Guidance) RemoveParticipant(ctx context.Context, sc auth.Scope, eventID, learnerID int64) error {
	return wrap("remove participant", s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := scopedLearner(ctx, tx, sc, learnerID); err != nil {
			return err
		}
		var a args
		res, err := tx.ExecContext(ctx, `DELETE FROM guidance_participation WHERE event_id = `+a.add(eventID)+` AND learner_id = `+a.add(learnerID)+
			` AND EXISTS (SELECT 1 FROM learner l WHERE l.id = `+a.add(learnerID)+` AND `+learnerScope(sc, "l", &a)+`)`, a...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "обучающийся не отмечен на этом мероприятии")
		}
		return s.refreshReach(ctx, tx, []int64{learnerID})
	}))
}

// Participants lists the pupils of an event the caller sees.
func (s *Guidance) Participants(ctx context.Context, sc auth.Scope, eventID int64) ([]guidance.Pupil, error) {
	var a args
	q := `SELECT l.id, l.last_name || ' ' || l.first_name || ' ' || l.middle_name, l.grade, l.study_group, l.org_id
		FROM guidance_participation p JOIN learner l ON l.id = p.learner_id
		WHERE p.event_id = ` + a.add(eventID) + ` AND ` + learnerScope(sc, "l", &a) + ` ORDER BY l.grade, l.study_group, l.search_name`
	return list(ctx, s.read, "participants", q, a, func(rows *sql.Rows) (guidance.Pupil, error) {
		var p guidance.Pupil
		if err := rows.Scan(&p.LearnerID, &p.Name, &p.Grade, &p.Group, &p.OrgID); err != nil {
			return p, err
		}
		p.Name = strings.TrimSpace(p.Name)
		return p, nil
	})
}

// Inform records informing about targeted education, all records or none;
// every learner must be a pupil within the caller's scope.
func (s *Guidance) Inform(ctx context.Context, sc auth.Scope, recs []guidance.Informing) error {
	if !sc.SeesPersons() {
		return apperr.New(apperr.Forbidden, "недостаточно прав")
	}
	if len(recs) == 0 {
		return apperr.Field("learner_ids", "отметьте хотя бы одного обучающегося")
	}
	return wrap("inform", s.tx(ctx, func(tx *sql.Tx) error {
		ids := make([]int64, len(recs))
		for i, r := range recs {
			ids[i] = r.LearnerID
		}
		pupils, err := scopedPupils(ctx, tx, sc, ids)
		if err != nil {
			return err
		}
		var errs apperr.List
		for _, r := range recs {
			if p, ok := pupils[r.LearnerID]; !ok {
				errs.Add("learner_ids", "обучающийся %d не найден среди обучающихся, доступных вам", r.LearnerID)
			} else if p.status != "pupil" {
				errs.Add("learner_ids", "%s — не школьник", p.name)
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		now := tsArg(s.now())
		for _, r := range recs {
			if r.OrgID == 0 { // the region informs on behalf of the pupil's school
				r.OrgID = pupils[r.LearnerID].org
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO targeted_informing (region_code, learner_id, org_id, informed_on, school_year, method, note,
				recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, sc.RegionCode, r.LearnerID, r.OrgID, dateArg(r.On),
				int(guidance.YearOf(r.On)), r.Method, r.Note, nullID(sc.UserID), now); err != nil {
				return err
			}
		}
		return s.refreshReach(ctx, tx, ids)
	}))
}

// Informings lists a learner's informing records, newest first.
func (s *Guidance) Informings(ctx context.Context, sc auth.Scope, learnerID int64) ([]guidance.Informing, error) {
	var a args
	return list(ctx, s.read, "informings", `SELECT i.id, i.region_code, i.learner_id, i.org_id, i.informed_on, i.method, i.note
		FROM targeted_informing i JOIN learner l ON l.id = i.learner_id WHERE i.learner_id = `+a.add(learnerID)+` AND `+learnerScope(sc, "l", &a)+
		` ORDER BY i.informed_on DESC, i.id DESC`, a, func(rows *sql.Rows) (guidance.Informing, error) {
		var i guidance.Informing
		if err := rows.Scan(&i.ID, &i.RegionCode, &i.LearnerID, &i.OrgID, timeScan{&i.On}, &i.Method, &i.Note); err != nil {
			return i, err
		}
		return i, nil
	})
}

// LearnerEvents lists the events a learner took part in, newest first.
func (s *Guidance) LearnerEvents(ctx context.Context, sc auth.Scope, learnerID int64) ([]guidance.Event, error) {
	var a args
	return list(ctx, s.read, "learner events", `SELECT `+eventCols+eventFrom+` JOIN guidance_participation gp ON gp.event_id = e.id
		JOIN learner l ON l.id = gp.learner_id WHERE gp.learner_id = `+a.add(learnerID)+` AND `+learnerScope(sc, "l", &a)+
		` ORDER BY e.held_on DESC, e.id DESC`, a, scanner(scanEvent))
}

// SetLevel records the профминимум level a school chose for a school year.
func (s *Guidance) SetLevel(ctx context.Context, region string, orgID int64, year guidance.SchoolYear, level guidance.Level) error {
	return wrap("set level", s.tx(ctx, func(tx *sql.Tx) error {
		var kind org.Kind
		if err := tx.QueryRowContext(ctx, `SELECT kind FROM organisation WHERE id = $1 AND region_code = $2`, orgID, region).Scan(&kind); err != nil || kind != org.School {
			return apperr.Field("org_id", "уровень профминимума выбирает школа региона")
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO profminimum_level (org_id, school_year, level) VALUES ($1, $2, $3)
			ON CONFLICT (org_id, school_year) DO UPDATE SET level = excluded.level`, orgID, int(year), level)
		return err
	}))
}

// Level returns the level a school chose for a year; базовый when it chose none.
func (s *Guidance) Level(ctx context.Context, orgID int64, year guidance.SchoolYear) (guidance.Level, bool, error) {
	var l guidance.Level
	err := s.read.QueryRowContext(ctx, `SELECT level FROM profminimum_level WHERE org_id = $1 AND school_year = $2`, orgID, int(year)).Scan(&l)
	if noRows(err) {
		return guidance.Basic, false, nil
	}
	return l, err == nil, wrap("level", err)
}

// pupilRef is what checks of a participation need to know of a learner.
type pupilRef struct {
	status string
	grade  int
	org    int64
	name   string
}

// scopedPupils returns the learners among ids the caller sees.
func scopedPupils(ctx context.Context, tx *sql.Tx, sc auth.Scope, ids []int64) (map[int64]pupilRef, error) {
	out := make(map[int64]pupilRef, len(ids))
	for start := 0; start < len(ids); start += 500 {
		var a args
		if err := eachRowOp(ctx, tx, "scoped pupils", `SELECT l.id, l.status, l.grade, l.org_id, l.last_name || ' ' || l.first_name FROM learner l
			WHERE l.id IN (`+a.in(ids[start:min(len(ids), start+500)])+`) AND `+learnerScope(sc, "l", &a), a, func(rows *sql.Rows) error {
			var id int64
			var p pupilRef
			if err := rows.Scan(&id, &p.status, &p.grade, &p.org, &p.name); err != nil {
				return err
			}
			out[id] = p
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scopedLearner checks that the caller sees one learner.
func scopedLearner(ctx context.Context, tx *sql.Tx, sc auth.Scope, id int64) (pupilRef, error) {
	m, err := scopedPupils(ctx, tx, sc, []int64{id})
	if err != nil {
		return pupilRef{}, err
	}
	p, ok := m[id]
	if !ok {
		return p, apperr.New(apperr.NotFound, "обучающийся не найден")
	}
	return p, nil
}

func participantSet(ctx context.Context, tx *sql.Tx, eventID int64, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	for start := 0; start < len(ids); start += 500 {
		var a args
		if err := eachRowOp(ctx, tx, "participant set", `SELECT learner_id FROM guidance_participation WHERE event_id = `+a.add(eventID)+
			` AND learner_id IN (`+a.in(ids[start:min(len(ids), start+500)])+`)`, a, func(rows *sql.Rows) error {
			id, err := scanID(rows)
			out[id] = err == nil
			return err
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// refreshReach rebuilds the guidance_reach rows of the learners from their
// participations and informing.
func (s *db) refreshReach(ctx context.Context, tx *sql.Tx, ids []int64) error {
	return inChunks(ids, func(in string, a args) error {
		return s.rebuildReach(ctx, tx, `learner_id IN (`+in+`)`, a)
	})
}

// rebuildReach rebuilds the guidance_reach rows whose learner_id meets cond,
// and their parts in guidance_tally: out before, in after.
func (s *db) rebuildReach(ctx context.Context, tx *sql.Tx, cond string, a args) error {
	if err := s.keepReach(ctx, tx, cond, a, -1); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM guidance_reach WHERE `+cond, a...); err != nil {
		return fmt.Errorf("store: guidance reach: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO guidance_reach (learner_id, school_year, region_code, activities, hours, ticket, first_on)
		SELECT p.learner_id, e.school_year, e.region_code, count(*), sum(e.hours), sum(CASE WHEN e.ticket THEN 1 ELSE 0 END), min(e.held_on)
		FROM guidance_participation p JOIN guidance_event e ON e.id = p.event_id WHERE p.`+cond+`
		GROUP BY p.learner_id, e.school_year, e.region_code`, a...); err != nil {
		return fmt.Errorf("store: guidance reach: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO guidance_reach (learner_id, school_year, region_code, informed_on)
		SELECT i.learner_id, i.school_year, i.region_code, min(i.informed_on) FROM targeted_informing i WHERE i.`+cond+`
		GROUP BY i.learner_id, i.school_year, i.region_code
		ON CONFLICT (learner_id, school_year) DO UPDATE SET informed_on = excluded.informed_on`, a...); err != nil {
		return fmt.Errorf("store: guidance reach: %w", err)
	}
	return s.keepReach(ctx, tx, cond, a, 1)
}

// RebuildReach rebuilds the coverage rows of a whole region; loads call it
// once at their end instead of once per pupil.
func (s *Store) RebuildReach(ctx context.Context, region string) error {
	return wrap("rebuild reach", s.tx(ctx, func(tx *sql.Tx) error {
		var a args
		return s.rebuildReach(ctx, tx, `learner_id IN (SELECT id FROM learner WHERE region_code = `+a.add(region)+`)`, a)
	}))
}

// SaveDiagnostic stores a ДДО result of a learner the caller sees.
func (s *Guidance) SaveDiagnostic(ctx context.Context, sc auth.Scope, d *guidance.Diagnostic) error {
	return wrap("save diagnostic", s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := scopedLearner(ctx, tx, sc, d.LearnerID); err != nil {
			return err
		}
		p := d.Result.Points
		return tx.QueryRowContext(ctx, `INSERT INTO ddo_result (region_code, learner_id, taken_on, answers, nature, technics, human, sign, art,
			source, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			sc.RegionCode, d.LearnerID, dateArg(d.TakenOn), d.Answers.String(), p[ddo.Nature], p[ddo.Technics], p[ddo.Human], p[ddo.Sign], p[ddo.Art],
			d.Source, nullID(sc.UserID), tsArg(s.now())).Scan(&d.ID)
	}))
}

// Diagnostics lists a learner's ДДО results, newest first.
func (s *Guidance) Diagnostics(ctx context.Context, sc auth.Scope, learnerID int64) ([]guidance.Diagnostic, error) {
	var a args
	var out []guidance.Diagnostic
	if err := eachRowOp(ctx, s.read, "diagnostics", `SELECT d.id, d.learner_id, d.taken_on, d.answers, d.source FROM ddo_result d
		JOIN learner l ON l.id = d.learner_id WHERE d.learner_id = `+a.add(learnerID)+` AND `+learnerScope(sc, "l", &a)+
		` ORDER BY d.taken_on DESC, d.id DESC`, a, func(rows *sql.Rows) error {
		var d guidance.Diagnostic
		var answers string
		if err := rows.Scan(&d.ID, &d.LearnerID, timeScan{&d.TakenOn}, &answers, &d.Source); err != nil {
			return err
		}
		parsed, err := ddo.ParseAnswers(answers)
		if err != nil {
			return fmt.Errorf("store: ddo result %d: %w", d.ID, err)
		}
		d.Answers = parsed
		d.Result = ddo.Score(d.Answers)
		out = append(out, d)
		return nil
	}); err != nil {
		return nil, wrap("diagnostics", err)
	}
	return out, nil
}
