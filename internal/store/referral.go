package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/history"
	"marshrut/internal/learner"
	"marshrut/internal/measures"
	"marshrut/internal/referral"
	"marshrut/internal/risk"
)

// The catalogue of youth services is the region's: every centre, school and
// college of the region sees all of it; a centre changes only its own.

const offeringCols = `ys.id, ys.region_code, ys.czn_id, z.name, ys.kind, ys.name, ys.audience, ys.age_min, ys.age_max,
	COALESCE(ys.municipality_id, 0), COALESCE(m.name, ''), ys.provider, ys.places, ys.starts_on, ys.ends_on,
	COALESCE(ys.group_id, 0), COALESCE(g.name, ''), COALESCE(ys.created_by, 0), ys.created_at, ys.updated_at,
	(SELECT count(*) FROM referral r WHERE r.service_id = ys.id AND r.status <> 'refused')`

const offeringFrom = ` FROM youth_service ys JOIN organisation z ON z.id = ys.czn_id LEFT JOIN municipality m ON m.id = ys.municipality_id
	LEFT JOIN measure_group g ON g.id = ys.group_id`

func scanOfferings(ctx context.Context, db querier, q string, a args) ([]referral.Offering, error) {
	var out []referral.Offering
	err := eachRow(ctx, db, q, a, func(r *sql.Rows) error {
		var o referral.Offering
		var kind string
		if err := r.Scan(&o.ID, &o.RegionCode, &o.CZNID, &o.CZNName, &kind, &o.Name, &o.Audience, &o.AgeMin, &o.AgeMax,
			&o.MunicipalityID, &o.MunicipalityName, &o.Provider, &o.Places, timeScan{&o.Start}, timeScan{&o.End},
			&o.GroupID, &o.GroupName, &o.CreatedBy, timeScan{&o.CreatedAt}, timeScan{&o.UpdatedAt}, &o.Referred); err != nil {
			return err
		}
		o.Kind = referral.Kind(kind)
		out = append(out, o)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: youth services: %w", err)
	}
	return out, nil
}

func offering(ctx context.Context, db querier, sc auth.Scope, id int64) (referral.Offering, error) {
	var a args
	list, err := scanOfferings(ctx, db, `SELECT `+offeringCols+offeringFrom+` WHERE ys.id = `+a.add(id)+` AND ys.region_code = `+a.add(sc.RegionCode), a)
	if err != nil {
		return referral.Offering{}, err
	}
	if len(list) == 0 {
		return referral.Offering{}, apperr.New(apperr.NotFound, "услуга не найдена")
	}
	return list[0], nil
}

// Offering returns a service of the region's catalogue.
func (s *Referrals) Offering(ctx context.Context, sc auth.Scope, id int64) (referral.Offering, error) {
	o, err := offering(ctx, s.read, sc, id)
	return o, wrap("offering", err)
}

// Offerings lists the region's catalogue, those that end soonest first.
func (s *Referrals) Offerings(ctx context.Context, sc auth.Scope, f referral.Filter) ([]referral.Offering, int, error) {
	rq, end := s.snapshot(ctx, s.read)
	defer end()
	var a args
	where := []string{"ys.region_code = " + a.add(sc.RegionCode)}
	if f.Kind != "" {
		where = append(where, "ys.kind = "+a.add(string(f.Kind)))
	}
	if f.CZNID != 0 {
		where = append(where, "ys.czn_id = "+a.add(f.CZNID))
	}
	if f.MunicipalityID != 0 {
		where = append(where, "(ys.municipality_id IS NULL OR ys.municipality_id = "+a.add(f.MunicipalityID)+")")
	}
	if f.Age != 0 {
		age := a.add(f.Age)
		where = append(where, "ys.age_min <= "+age+" AND ys.age_max >= "+age)
	}
	if f.Current {
		where = append(where, "ys.ends_on >= "+a.add(referral.Day(s.now()).Format(isoDate)))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, "ys.search_text LIKE "+a.add("%"+searchKey(q)+"%"))
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := rq.QueryRowContext(ctx, `SELECT count(*) FROM youth_service ys`+cond, a...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: youth services: %w", err)
	}
	q := `SELECT ` + offeringCols + offeringFrom + cond + ` ORDER BY ys.ends_on, ys.name, ys.id LIMIT ` + a.add(f.Limit) + ` OFFSET ` + a.add(f.Offset)
	list, err := scanOfferings(ctx, rq, q, a)
	return list, total, wrap("offerings", err)
}

// checkOfferingRefs checks, inside tx, that a service's centre, municipality
// and group are the region's, and that a centre keeps to its own.
func checkOfferingRefs(ctx context.Context, tx *sql.Tx, sc auth.Scope, o *referral.Offering) error {
	if sc.Role == auth.CZN && o.CZNID != sc.OrgID {
		return apperr.New(apperr.Forbidden, "услугу другого центра занятости правит он сам или регион")
	}
	var kind string
	err := tx.QueryRowContext(ctx, `SELECT kind FROM organisation WHERE id = $1 AND region_code = $2`, o.CZNID, sc.RegionCode).Scan(&kind)
	if err != nil || kind != "czn" {
		return apperr.Field("czn_id", "центр занятости № %d не найден в регионе", o.CZNID)
	}
	if o.MunicipalityID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM municipality WHERE id = $1 AND region_code = $2`, o.MunicipalityID, sc.RegionCode).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.Field("municipality_id", "муниципалитет № %d не найден в регионе", o.MunicipalityID)
		}
	}
	if o.GroupID != 0 {
		g, err := measureGroup(ctx, tx, auth.SystemScope(sc.RegionCode), o.GroupID)
		if err != nil {
			return apperr.Field("group_id", "группа программы № %d не найдена в регионе", o.GroupID)
		}
		o.GroupName = g.Name
	}
	return nil
}

// CreateOffering adds a service to the catalogue.
func (s *Referrals) CreateOffering(ctx context.Context, sc auth.Scope, o *referral.Offering) error {
	return wrap("create offering", s.tx(ctx, func(tx *sql.Tx) error {
		if err := checkOfferingRefs(ctx, tx, sc, o); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO youth_service (region_code, czn_id, kind, name, audience, age_min, age_max, municipality_id,
			provider, places, starts_on, ends_on, group_id, created_by, created_at, updated_at, search_text)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
			o.RegionCode, o.CZNID, string(o.Kind), o.Name, o.Audience, o.AgeMin, o.AgeMax, nullID(o.MunicipalityID), o.Provider, o.Places,
			dateArg(o.Start), dateArg(o.End), nullID(o.GroupID), nullID(o.CreatedBy), tsArg(o.CreatedAt), tsArg(o.UpdatedAt),
			searchKey(o.Name, o.Provider, o.Audience)).Scan(&o.ID)
	}))
}

// UpdateOffering rewrites a service with o after check has compared it
// with the stored one.
func (s *Referrals) UpdateOffering(ctx context.Context, sc auth.Scope, id int64, o *referral.Offering, check func(old referral.Offering) error) error {
	return wrap("update offering", s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE youth_service SET places = places WHERE id = $1`, id); err != nil {
			return fmt.Errorf("store: youth service: %w", err)
		}
		old, err := offering(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if sc.Role == auth.CZN && old.CZNID != sc.OrgID {
			return apperr.New(apperr.Forbidden, "услугу другого центра занятости правит он сам или регион")
		}
		if err := check(old); err != nil {
			return err
		}
		if err := checkOfferingRefs(ctx, tx, sc, o); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE youth_service SET kind = $1, name = $2, audience = $3, age_min = $4, age_max = $5,
			municipality_id = $6, provider = $7, places = $8, starts_on = $9, ends_on = $10, group_id = $11, updated_at = $12,
			search_text = $13 WHERE id = $14`,
			string(o.Kind), o.Name, o.Audience, o.AgeMin, o.AgeMax, nullID(o.MunicipalityID), o.Provider, o.Places,
			dateArg(o.Start), dateArg(o.End), nullID(o.GroupID), tsArg(o.UpdatedAt), searchKey(o.Name, o.Provider, o.Audience), id)
		if err != nil {
			return fmt.Errorf("store: youth service: %w", err)
		}
		o.Referred = old.Referred
		after, err := offering(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		return s.recordEdit(ctx, tx, sc.RegionCode, history.Service, id, referral.Changes(old, after))
	}))
}

// Referrals: a centre sees those it made; the region all of its own.

const referralCols = `r.id, r.region_code, r.learner_id, l.last_name || ' ' || l.first_name || ' ' || l.middle_name, r.czn_id, z.name,
	COALESCE(r.case_id, 0), COALESCE(r.service_id, 0), COALESCE(ys.name, ''), COALESCE(ys.kind, ''), r.vacancy_id, r.vacancy_title,
	COALESCE(r.employer_id, 0), r.employer_name, COALESCE(r.enrolment_id, 0), COALESCE(me.status, ''), COALESCE(me.completed_on, me.dropped_on),
	r.status, r.reason, r.referred_on, r.result_on, r.note, COALESCE(r.created_by, 0), r.created_at`

const referralFrom = ` FROM referral r JOIN learner l ON l.id = r.learner_id JOIN organisation z ON z.id = r.czn_id
	LEFT JOIN youth_service ys ON ys.id = r.service_id LEFT JOIN measure_enrolment me ON me.id = r.enrolment_id`

// referralScope keeps a list of referrals to the scope's: the region's all,
// a centre's own, and only people the scope sees.
func referralScope(sc auth.Scope, a *args) string {
	cond := "r.region_code = " + a.add(sc.RegionCode)
	if sc.Role == auth.CZN {
		cond += " AND r.czn_id = " + a.add(sc.OrgID)
	} else if !sc.WholeRegion() {
		return cond + " AND 1 = 0" // the region's argument is used: PostgreSQL refuses one left over
	}
	return cond + " AND " + learnerScope(sc, "l", a)
}

func scanReferrals(ctx context.Context, db querier, q string, a args) ([]referral.Referral, error) {
	var out []referral.Referral
	err := eachRow(ctx, db, q, a, func(rows *sql.Rows) error {
		var r referral.Referral
		var kind, status, enrolStatus string
		var enrolEnd time.Time
		if err := rows.Scan(&r.ID, &r.RegionCode, &r.LearnerID, &r.LearnerName, &r.CZNID, &r.CZNName, &r.CaseID, &r.OfferingID,
			&r.OfferingName, &kind, &r.VacancyID, &r.VacancyTitle, &r.EmployerID, &r.EmployerName, &r.EnrolmentID, &enrolStatus,
			timeScan{&enrolEnd}, &status, &r.Reason, timeScan{&r.On}, timeScan{&r.Result}, &r.Note, &r.CreatedBy,
			timeScan{&r.CreatedAt}); err != nil {
			return err
		}
		r.LearnerName = strings.TrimSpace(r.LearnerName)
		r.Kind, r.Status = referral.Kind(kind), referral.Status(status)
		// A referral to training follows its enrolment.
		switch measures.Status(enrolStatus) {
		case measures.Completed:
			r.Status, r.Result = referral.Done, enrolEnd
		case measures.Dropped:
			r.Status, r.Result, r.Reason = referral.Refused, enrolEnd, "отчислен(а) из группы"
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: referrals: %w", err)
	}
	return out, nil
}

// Referrals lists the referrals the scope sees, newest first.
func (s *Referrals) Referrals(ctx context.Context, sc auth.Scope, f referral.RefFilter) ([]referral.Referral, int, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
	var a args
	where := []string{referralScope(sc, &a)}
	if f.OfferingID != 0 {
		where = append(where, "r.service_id = "+a.add(f.OfferingID))
	}
	if f.LearnerID != 0 {
		where = append(where, "r.learner_id = "+a.add(f.LearnerID))
	}
	if f.CaseID != 0 {
		where = append(where, "r.case_id = "+a.add(f.CaseID))
	}
	if f.Status != "" {
		where = append(where, "r.status = "+a.add(string(f.Status)))
	}
	if f.Kind != "" {
		where = append(where, "ys.kind = "+a.add(string(f.Kind)))
	}
	if f.Vacancies {
		where = append(where, "r.vacancy_id <> ''")
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := q.QueryRowContext(ctx, `SELECT count(*)`+referralFrom+cond, a...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: referrals: %w", err)
	}
	list, err := scanReferrals(ctx, q, `SELECT `+referralCols+referralFrom+cond+` ORDER BY r.referred_on DESC, r.id DESC LIMIT `+
		a.add(f.Limit)+` OFFSET `+a.add(f.Offset), a)
	return list, total, wrap("referrals", err)
}

func oneReferral(ctx context.Context, db querier, sc auth.Scope, id int64) (referral.Referral, error) {
	var a args
	list, err := scanReferrals(ctx, db, `SELECT `+referralCols+referralFrom+` WHERE r.id = `+a.add(id)+` AND `+referralScope(sc, &a), a)
	if err != nil {
		return referral.Referral{}, err
	}
	if len(list) == 0 {
		return referral.Referral{}, apperr.New(apperr.NotFound, "направление не найдено")
	}
	return list[0], nil
}

// Referral returns a referral the scope sees.
func (s *Referrals) Referral(ctx context.Context, sc auth.Scope, id int64) (referral.Referral, error) {
	r, err := oneReferral(ctx, s.read, sc, id)
	return r, wrap("referral", err)
}

// Refer writes a referral with what it brings: the enrolment of a referral
// to training, the action of the case it was made in.
func (s *Referrals) Refer(ctx context.Context, sc auth.Scope, r *referral.Referral, check func(p referral.Person, o *referral.Offering) error) error {
	return wrap("refer", s.tx(ctx, func(tx *sql.Tx) error {
		var a args
		var p referral.Person
		var status learner.Status
		err := tx.QueryRowContext(ctx, `SELECT l.id, l.birth_date, l.municipality_id, l.status, l.last_name || ' ' || l.first_name FROM learner l WHERE l.id = `+
			a.add(r.LearnerID)+` AND `+learnerScope(sc, "l", &a), a...).Scan(&p.ID, timeScan{&p.BirthDate}, &p.MunicipalityID, &status, &r.LearnerName)
		if err != nil {
			return notFound(err, "обучающийся не найден среди жителей муниципалитетов центра")
		}
		if r.CaseID != 0 {
			if learnerID, _, err := caseForWork(ctx, tx, sc, r.CaseID); err != nil {
				return err
			} else if learnerID != r.LearnerID {
				return apperr.Field("case_id", "случай № %d ведётся по другому человеку", r.CaseID)
			}
		}
		var o *referral.Offering
		if r.OfferingID != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE youth_service SET places = places WHERE id = $1`, r.OfferingID); err != nil {
				return fmt.Errorf("store: refer: %w", err)
			}
			x, err := offering(ctx, tx, sc, r.OfferingID)
			if err != nil {
				return apperr.Field("offering_id", "услуга № %d не найдена в каталоге региона", r.OfferingID)
			}
			o = &x
			r.OfferingName = x.Name
		} else if err := referredVacancy(ctx, tx, sc, r); err != nil {
			return err
		}
		if err := check(p, o); err != nil {
			return err
		}
		if o != nil && o.Kind == referral.Training {
			e := referral.EnrolmentOf(*r, o.GroupID)
			if err := s.enrolTx(ctx, tx, sc, &e, func(g measures.Group) error { return measures.CheckEnrol(&e, g, r.CreatedAt) }); err != nil {
				return err
			}
			r.EnrolmentID = e.ID
		}
		var dup int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM referral WHERE learner_id = $1 AND status IN ('sent', 'started')
			AND ((service_id IS NOT NULL AND service_id = $2) OR (vacancy_id <> '' AND vacancy_id = $3))`,
			r.LearnerID, r.OfferingID, r.VacancyID).Scan(&dup); err != nil {
			return err
		}
		if dup > 0 {
			return apperr.New(apperr.Conflict, "этот человек уже направлен сюда, и итога ещё нет: %s", r.Target())
		}
		ts := tsArg(r.CreatedAt)
		if err := tx.QueryRowContext(ctx, `INSERT INTO referral (region_code, learner_id, czn_id, case_id, service_id, vacancy_id, vacancy_title,
			employer_id, employer_name, enrolment_id, status, reason, referred_on, result_on, note, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '', $12, $13, $14, $15, $16, $17) RETURNING id`,
			r.RegionCode, r.LearnerID, r.CZNID, nullID(r.CaseID), nullID(r.OfferingID), r.VacancyID, r.VacancyTitle, nullID(r.EmployerID),
			r.EmployerName, nullID(r.EnrolmentID), string(r.Status), dateArg(r.On), dateArg(r.Result), r.Note, nullID(r.CreatedBy), ts, ts).Scan(&r.ID); err != nil {
			return fmt.Errorf("store: refer: %w", err)
		}
		if r.CaseID == 0 {
			return nil
		}
		kind := risk.ActVacancy
		if o != nil {
			kind = actionOf(o.Kind)
		}
		note := "направление № " + fmt.Sprint(r.ID) + ": " + r.Target()
		_, err = tx.ExecContext(ctx, `INSERT INTO risk_action (case_id, kind, done_on, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			r.CaseID, string(kind), dateArg(r.On), note, nullID(r.CreatedBy), ts)
		return err
	}))
}

// actionOf is the kind of case action a referral to a service is.
func actionOf(k referral.Kind) risk.ActionKind {
	switch k {
	case referral.Training:
		return risk.ActTraining
	case referral.Psychology:
		return risk.ActPsychology
	case referral.Consultation:
		return risk.ActConsult
	}
	return risk.ActVacancy
}

// referredVacancy fills a referral's vacancy: an open vacancy of the region,
// its title and employer (linked when the registry knows the INN).
func referredVacancy(ctx context.Context, tx *sql.Tx, sc auth.Scope, r *referral.Referral) error {
	var inn string
	err := tx.QueryRowContext(ctx, `SELECT title, employer_name, employer_inn FROM vacancy WHERE id = $1 AND region_code = $2 AND NOT closed`,
		r.VacancyID, sc.RegionCode).Scan(&r.VacancyTitle, &r.EmployerName, &inn)
	if err != nil {
		return apperr.Field("vacancy_id", "вакансия «%s» не найдена среди открытых вакансий региона", r.VacancyID)
	}
	if inn != "" {
		err := tx.QueryRowContext(ctx, `SELECT id FROM organisation WHERE region_code = $1 AND inn = $2 AND kind = 'employer' ORDER BY id LIMIT 1`,
			sc.RegionCode, inn).Scan(&r.EmployerID)
		if err != nil && !noRows(err) {
			return err
		}
	}
	return nil
}

// ChangeReferral records what came of a referral of the scope's centre; a
// hire becomes a period of work in the person's history.
func (s *Referrals) ChangeReferral(ctx context.Context, sc auth.Scope, id int64, change func(r *referral.Referral) error, at time.Time) error {
	return wrap("change referral", s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE referral SET status = status WHERE id = $1`, id); err != nil {
			return fmt.Errorf("store: referral: %w", err)
		}
		r, err := oneReferral(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if r.CZNID != sc.OrgID {
			return apperr.New(apperr.Forbidden, "итог направления отмечает центр занятости, который направил")
		}
		if err := change(&r); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE referral SET status = $1, result_on = $2, reason = $3, updated_at = $4 WHERE id = $5`,
			string(r.Status), dateArg(r.Result), r.Reason, tsArg(at), id); err != nil {
			return fmt.Errorf("store: referral: %w", err)
		}
		if r.Status != referral.Hired {
			return nil
		}
		o := learner.Outcome{LearnerID: r.LearnerID, Status: learner.Employed, Start: learner.Day(r.Result), Source: learner.SourceCZN,
			EmployerID: r.EmployerID, EmployerName: r.EmployerName, Note: fmt.Sprintf("по направлению центра занятости № %d", r.ID)}
		return s.addOutcomeTx(ctx, tx, sc, &o)
	}))
}
