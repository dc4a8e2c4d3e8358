package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/history"
	"marshrut/internal/org"
	"marshrut/internal/targeted"
)

// signedStatuses are the application statuses that mean a contract was signed.
const signedStatuses = `('contract_signed', 'studying', 'graduated', 'working_off', 'fulfilled', 'terminated', 'broken')`

const offerCols = `t.id, t.region_code, t.employer_id, e.name, t.org_id, COALESCE(NULLIF(c.short_name, ''), c.name), t.specialty_code, sp.name,
	t.level, t.places, t.stipend, t.housing, t.paid_practice, t.support_other, t.work_years, t.municipality_id, m.name, t.requirements,
	t.deadline, t.year, t.status, t.created_at, t.updated_at,
	(SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id),
	(SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.status IN ` + signedStatuses + `)`

const offerFrom = ` FROM targeted_offer t JOIN organisation e ON e.id = t.employer_id JOIN organisation c ON c.id = t.org_id
	JOIN specialty sp ON sp.code = t.specialty_code JOIN municipality m ON m.id = t.municipality_id`

func scanOffer(r interface{ Scan(...any) error }, o *targeted.Offer) error {
	return r.Scan(&o.ID, &o.RegionCode, &o.EmployerID, &o.EmployerName, &o.OrgID, &o.OrgName, &o.SpecialtyCode, &o.SpecialtyName,
		&o.Level, &o.Places, &o.Support.Stipend, &o.Support.Housing, &o.Support.PaidPractice, &o.Support.Other, &o.WorkYears,
		&o.MunicipalityID, &o.Municipality, &o.Requirements, timeScan{&o.Deadline}, &o.Year, &o.Status, timeScan{&o.CreatedAt},
		timeScan{&o.UpdatedAt}, &o.Applications, &o.Contracts)
}

// Teaches reports whether an education organisation teaches a specialty:
// whether any of its learners, current or past, studies or studied it.
func (s *Targeted) Teaches(ctx context.Context, orgID int64, specialty string) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM learner WHERE org_id = $1 AND specialty_code = $2 LIMIT 1) x`,
		orgID, specialty).Scan(&n)
	return n > 0, wrap("teaches", err)
}

// Taught lists each college's and university's specialties with students
// now, by organisation name and specialty code.
func (s *Targeted) Taught(ctx context.Context, region string) ([]targeted.Taught, error) {
	var out []targeted.Taught
	err := eachRow(ctx, s.read, `SELECT o.id, o.name, t.specialty_code, COALESCE(sp.name, '') FROM
		(SELECT DISTINCT org_id, specialty_code FROM learner WHERE region_code = $1 AND status = 'student' AND specialty_code <> '') t
		JOIN organisation o ON o.id = t.org_id LEFT JOIN specialty sp ON sp.code = t.specialty_code
		WHERE o.kind IN ('college', 'university') ORDER BY o.name, t.specialty_code`, args{region}, func(r *sql.Rows) error {
		var t targeted.Taught
		if err := r.Scan(&t.OrgID, &t.OrgName, &t.SpecialtyCode, &t.SpecialtyName); err != nil {
			return err
		}
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: taught: %w", err)
	}
	return out, nil
}

// SaveOffer creates an offer (ID 0) or rewrites one of the region. The
// employer must be an employer and the organisation a college or university
// of the region.
func (s *Targeted) SaveOffer(ctx context.Context, o *targeted.Offer) error {
	return wrap("save offer", s.tx(ctx, func(tx *sql.Tx) error {
		kinds := map[int64]org.Kind{}
		if err := eachRowOp(ctx, tx, "save offer", `SELECT id, kind FROM organisation WHERE id IN ($1, $2) AND region_code = $3`, args{o.EmployerID, o.OrgID, o.RegionCode}, func(rows *sql.Rows) error {
			var id int64
			var k org.Kind
			if err := rows.Scan(&id, &k); err != nil {
				return err
			}
			kinds[id] = k
			return nil
		}); err != nil {
			return err
		}
		var err error
		var errs apperr.List
		if kinds[o.EmployerID] != org.Employer {
			errs.Add("employer_id", "заказчик целевого обучения должен быть работодателем региона")
		}
		if k := kinds[o.OrgID]; k != org.College && k != org.University {
			errs.Add("org_id", "обучение ведёт колледж или вуз региона")
		}
		if err := errs.Err(); err != nil {
			return err
		}
		now := s.now()
		o.UpdatedAt = now
		if o.ID == 0 {
			o.CreatedAt = now
			err = tx.QueryRowContext(ctx, `INSERT INTO targeted_offer (region_code, employer_id, org_id, specialty_code, level, places, stipend,
				housing, paid_practice, support_other, work_years, municipality_id, requirements, deadline, year, status, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
				o.RegionCode, o.EmployerID, o.OrgID, o.SpecialtyCode, o.Level, o.Places, o.Support.Stipend, o.Support.Housing, o.Support.PaidPractice,
				o.Support.Other, o.WorkYears, o.MunicipalityID, o.Requirements, dateArg(o.Deadline), o.Year, o.Status, tsArg(now), tsArg(now)).Scan(&o.ID)
			if err == nil {
				err = keepOffers(ctx, tx, []int64{o.ID}, 1)
			}
		} else {
			// The offer's part in targeted_tally: out before, in after.
			if err := keepOffers(ctx, tx, []int64{o.ID}, -1); err != nil {
				return err
			}
			var before targeted.Offer
			if err := scanOffer(tx.QueryRowContext(ctx, `SELECT `+offerCols+offerFrom+` WHERE t.id = $1 AND t.region_code = $2`, o.ID, o.RegionCode), &before); err != nil {
				return notFound(err, "предложение не найдено")
			}
			var res sql.Result
			res, err = tx.ExecContext(ctx, `UPDATE targeted_offer SET employer_id = $1, org_id = $2, specialty_code = $3, level = $4, places = $5,
				stipend = $6, housing = $7, paid_practice = $8, support_other = $9, work_years = $10, municipality_id = $11, requirements = $12,
				deadline = $13, year = $14, status = $15, updated_at = $16 WHERE id = $17 AND region_code = $18`,
				o.EmployerID, o.OrgID, o.SpecialtyCode, o.Level, o.Places, o.Support.Stipend, o.Support.Housing, o.Support.PaidPractice,
				o.Support.Other, o.WorkYears, o.MunicipalityID, o.Requirements, dateArg(o.Deadline), o.Year, o.Status, tsArg(now), o.ID, o.RegionCode)
			if err == nil {
				if n, _ := res.RowsAffected(); n == 0 {
					return apperr.New(apperr.NotFound, "предложение не найдено")
				}
				var after targeted.Offer
				if err = scanOffer(tx.QueryRowContext(ctx, `SELECT `+offerCols+offerFrom+` WHERE t.id = $1`, o.ID), &after); err == nil {
					err = s.recordEdit(ctx, tx, o.RegionCode, history.Offer, o.ID, targeted.Changes(before, after))
				}
				if err == nil {
					err = keepOffers(ctx, tx, []int64{o.ID}, 1)
				}
			}
		}
		if isForeignKeyViolation(err) {
			return apperr.Field("municipality_id", "муниципальное образование или специальность не найдены в справочниках")
		}
		return err
	}))
}

// Offer returns an offer of the region.
func (s *Targeted) Offer(ctx context.Context, region string, id int64) (targeted.Offer, error) {
	var o targeted.Offer
	err := scanOffer(s.read.QueryRowContext(ctx, `SELECT `+offerCols+offerFrom+` WHERE t.id = $1 AND t.region_code = $2`, id, region), &o)
	return o, wrap("offer", notFound(err, "предложение целевого обучения не найдено"))
}

// Offers returns a page of the region's offers and their total. Drafts are
// seen by their employer and the region only (f.Drafts).
func (s *Targeted) Offers(ctx context.Context, region string, f targeted.OfferFilter) ([]targeted.Offer, int, error) {
	rq, end := s.snapshot(ctx, s.read)
	defer end()
	var a args
	where := `t.region_code = ` + a.add(region)
	if f.EmployerID != 0 {
		where += ` AND t.employer_id = ` + a.add(f.EmployerID)
	}
	if f.OrgID != 0 {
		where += ` AND t.org_id = ` + a.add(f.OrgID)
	}
	if f.SpecialtyCode != "" {
		where += ` AND t.specialty_code = ` + a.add(f.SpecialtyCode)
	}
	if f.Year != 0 {
		where += ` AND t.year = ` + a.add(f.Year)
	}
	if f.Status != "" {
		where += ` AND t.status = ` + a.add(f.Status)
	} else if !f.Drafts {
		where += ` AND t.status <> 'draft'`
	}
	var total int
	if err := rq.QueryRowContext(ctx, `SELECT count(*) FROM targeted_offer t WHERE `+where, a...).Scan(&total); err != nil {
		return nil, 0, wrap("offers", err)
	}
	// The page's ids first, from the offers alone; then the page's rows with
	// their names and counts, which are not worth making for offers not shown.
	page := `SELECT t.id FROM targeted_offer t WHERE ` + where + ` ORDER BY t.year DESC, t.deadline DESC, t.id DESC`
	if f.Limit > 0 {
		page += ` LIMIT ` + a.add(f.Limit) + ` OFFSET ` + a.add(f.Offset)
	}
	q := `SELECT ` + offerCols + offerFrom + ` JOIN (` + page + `) pg ON pg.id = t.id ORDER BY t.year DESC, t.deadline DESC, t.id DESC`
	out, err := list(ctx, rq, "offers", q, a, scanner(scanOffer))
	return out, total, wrap("offers", err)
}

const appCols = `a.id, a.offer_id, a.learner_id, a.status, a.status_reason, a.submitted_at, a.contract_no, a.contract_signed_on, a.study_start,
	a.graduated_on, a.obligation_start, a.obligation_end, a.updated_at, l.last_name || ' ' || l.first_name || ' ' || l.middle_name,
	t.employer_id, e.name, t.specialty_code, t.org_id`

const appFrom = ` FROM targeted_application a JOIN learner l ON l.id = a.learner_id JOIN targeted_offer t ON t.id = a.offer_id
	JOIN organisation e ON e.id = t.employer_id`

func scanApplication(r interface{ Scan(...any) error }, x *targeted.ApplicationView) error {
	a := &x.Application
	err := r.Scan(&a.ID, &a.OfferID, &a.LearnerID, &a.Status, &a.StatusReason, timeScan{&a.SubmittedAt}, &a.ContractNo,
		timeScan{&a.ContractSignedOn}, timeScan{&a.StudyStart}, timeScan{&a.GraduatedOn}, timeScan{&a.ObligationStart},
		timeScan{&a.ObligationEnd}, timeScan{&a.UpdatedAt}, &x.Learner, &x.EmployerID, &x.Employer, &x.SpecialtyCode, &x.OrgID)
	x.Learner = strings.TrimSpace(x.Learner)
	return err
}

// applicationScope keeps a query on applications (a) of offers (t) of
// learners (l) within the caller's reach: the learners the caller sees, and
// for an employer the applications to its own offers.
func applicationScope(sc auth.Scope, a *args) string {
	cond := learnerScope(sc, "l", a)
	if sc.Role == auth.Employer && sc.OrgID != 0 {
		cond = `(` + cond + ` OR (t.region_code = ` + a.add(sc.RegionCode) + ` AND t.employer_id = ` + a.add(sc.OrgID) + `))`
	}
	return cond
}

// CreateApplication stores a new application of a learner the caller sees.
func (s *Targeted) CreateApplication(ctx context.Context, sc auth.Scope, x *targeted.Application) error {
	return wrap("create application", s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := scopedLearner(ctx, tx, sc, x.LearnerID); err != nil {
			return err
		}
		// The parts of the offer in targeted_tally and of the learner in
		// contract_tally: out before, in after.
		if err := keepOffers(ctx, tx, []int64{x.OfferID}, -1); err != nil {
			return err
		}
		if err := keepContracted(ctx, tx, []int64{x.LearnerID}, -1); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO targeted_application (region_code, offer_id, learner_id, status, status_reason, submitted_at, updated_at)
			VALUES ($1, $2, $3, $4, '', $5, $6) RETURNING id`, sc.RegionCode, x.OfferID, x.LearnerID, x.Status, tsArg(x.SubmittedAt), tsArg(x.UpdatedAt)).Scan(&x.ID)
		if isUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "заявка на это предложение уже подана")
		}
		if err != nil {
			return err
		}
		if err := keepOffers(ctx, tx, []int64{x.OfferID}, 1); err != nil {
			return err
		}
		if err := keepContracted(ctx, tx, []int64{x.LearnerID}, 1); err != nil {
			return err
		}
		return insertSteps(ctx, tx, x.ID, x.History)
	}))
}

func insertSteps(ctx context.Context, tx *sql.Tx, appID int64, steps []targeted.Step) error {
	for _, st := range steps {
		if _, err := tx.ExecContext(ctx, `INSERT INTO targeted_step (application_id, status, at, reason, user_id) VALUES ($1, $2, $3, $4, $5)`,
			appID, st.Status, tsArg(st.At), st.Reason, nullID(st.UserID)); err != nil {
			return err
		}
	}
	return nil
}

// Application returns an application the caller may see, with its history.
func (s *Targeted) Application(ctx context.Context, sc auth.Scope, id int64) (targeted.ApplicationView, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
	var x targeted.ApplicationView
	var a args
	err := scanApplication(q.QueryRowContext(ctx, `SELECT `+appCols+appFrom+` WHERE a.id = `+a.add(id)+` AND `+applicationScope(sc, &a), a...), &x)
	if err != nil {
		return x, wrap("application", notFound(err, "заявка не найдена"))
	}
	x.History, err = applicationSteps(ctx, q, id)
	return x, wrap("application", err)
}

func applicationSteps(ctx context.Context, db querier, id int64) ([]targeted.Step, error) {
	return list(ctx, db, "application steps", `SELECT status, at, reason, COALESCE(user_id, 0) FROM targeted_step WHERE application_id = $1 ORDER BY id`, args{id}, func(rows *sql.Rows) (targeted.Step, error) {
		var st targeted.Step
		if err := rows.Scan(&st.Status, timeScan{&st.At}, &st.Reason, &st.UserID); err != nil {
			return st, err
		}
		return st, nil
	})
}

// Applications returns a page of the applications the caller may see and their total.
func (s *Targeted) Applications(ctx context.Context, sc auth.Scope, f targeted.ApplicationFilter) ([]targeted.ApplicationView, int, error) {
	var a args
	where := `a.region_code = ` + a.add(sc.RegionCode)
	// The whole region's scope asks only that the learner be of the region,
	// which an application of the region's is (it is made in its learner's
	// region, and a learner does not change region): its applications are
	// counted alone, without joining a million learners.
	countFrom := ` FROM targeted_application a`
	if !sc.WholeRegion() {
		where += ` AND ` + applicationScope(sc, &a)
		countFrom = ""
	}
	if f.OfferID != 0 {
		where += ` AND a.offer_id = ` + a.add(f.OfferID)
	}
	if f.LearnerID != 0 {
		where += ` AND a.learner_id = ` + a.add(f.LearnerID)
	}
	if f.Status != "" {
		where += ` AND a.status = ` + a.add(f.Status)
	}
	return page(ctx, s.db, s.read, listPage{op: "applications", cols: appCols, from: appFrom, countFrom: countFrom, where: where,
		order: `a.updated_at DESC, a.id DESC`, limit: f.Limit, offset: f.Offset}, a, scanner(scanApplication))
}

// MoveApplication changes an application the caller may see in one
// transaction: move gets it with its history and its offer, changes it, and
// the changed fields and the new steps are written; an error leaves it as it was.
func (s *Targeted) MoveApplication(ctx context.Context, sc auth.Scope, id int64, move func(*targeted.ApplicationView, targeted.Offer) error) error {
	return wrap("move application", s.tx(ctx, func(tx *sql.Tx) error {
		var x targeted.ApplicationView
		var a args
		err := scanApplication(tx.QueryRowContext(ctx, `SELECT `+appCols+appFrom+` WHERE a.id = `+a.add(id)+` AND `+applicationScope(sc, &a), a...), &x)
		if err != nil {
			return notFound(err, "заявка не найдена")
		}
		if x.History, err = applicationSteps(ctx, tx, id); err != nil {
			return err
		}
		var o targeted.Offer
		if err := scanOffer(tx.QueryRowContext(ctx, `SELECT `+offerCols+offerFrom+` WHERE t.id = $1`, x.OfferID), &o); err != nil {
			return err
		}
		had := len(x.History)
		if err := move(&x, o); err != nil {
			return err
		}
		ap := &x.Application
		if err := keepOffers(ctx, tx, []int64{x.OfferID}, -1); err != nil {
			return err
		}
		if err := keepContracted(ctx, tx, []int64{x.LearnerID}, -1); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE targeted_application SET status = $1, status_reason = $2, contract_no = $3, contract_signed_on = $4,
			study_start = $5, graduated_on = $6, obligation_start = $7, obligation_end = $8, updated_at = $9 WHERE id = $10`,
			ap.Status, ap.StatusReason, ap.ContractNo, dateArg(ap.ContractSignedOn), dateArg(ap.StudyStart), dateArg(ap.GraduatedOn),
			dateArg(ap.ObligationStart), dateArg(ap.ObligationEnd), tsArg(ap.UpdatedAt), id); err != nil {
			return err
		}
		if err := keepOffers(ctx, tx, []int64{x.OfferID}, 1); err != nil {
			return err
		}
		if err := keepContracted(ctx, tx, []int64{x.LearnerID}, 1); err != nil {
			return err
		}
		return insertSteps(ctx, tx, id, ap.History[had:])
	}))
}

// FigureCells returns the region's figures of targeted education by
// employer (with its name), specialty or year of admission, as
// targeted_tally keeps them.
func (s *Targeted) FigureCells(ctx context.Context, region, by string) ([]targeted.Cell, error) {
	var q string
	switch by {
	case "employer":
		q = `SELECT e.id, e.name, '' AS specialty_code, 0 AS year, t.offers, t.places, t.applications, t.contracts, t.fulfilled, t.broken
			FROM targeted_tally t JOIN organisation e ON e.id = CAST(t.key AS BIGINT)`
	case "specialty":
		q = `SELECT 0, '', t.key, 0, t.offers, t.places, t.applications, t.contracts, t.fulfilled, t.broken FROM targeted_tally t`
	case "year":
		q = `SELECT 0, '', '', CAST(t.key AS INTEGER), t.offers, t.places, t.applications, t.contracts, t.fulfilled, t.broken FROM targeted_tally t`
	default:
		return nil, fmt.Errorf("store: targeted figures by %q", by)
	}
	q += ` WHERE t.region_code = $1 AND t.dimension = $2 AND t.offers <> 0`
	return list(ctx, s.read, "targeted figures", q, args{region, by}, func(rows *sql.Rows) (c targeted.Cell, err error) {
		err = rows.Scan(&c.EmployerID, &c.EmployerName, &c.SpecialtyCode, &c.Year, &c.Offers, &c.Places, &c.Applications,
			&c.Contracts, &c.Fulfilled, &c.Broken)
		return c, err
	})
}

// ContractsOfGraduates counts the region's graduates of a year and those of
// them who had a targeted-education contract.
func (s *Targeted) ContractsOfGraduates(ctx context.Context, region string, year int) (graduates, under int, err error) {
	// The graduates from learner_tally, those under contract from contract_tally.
	err = s.read.QueryRowContext(ctx, `SELECT COALESCE((SELECT sum(t.n) FROM learner_tally t WHERE t.region_code = $1 AND t.status = 'graduate'
		AND t.graduation_year = $2), 0), COALESCE((SELECT sum(c.n) FROM contract_tally c WHERE c.region_code = $1 AND c.status = 'graduate'
		AND c.graduation_year = $2), 0)`, region, year).Scan(&graduates, &under)
	return graduates, under, wrap("contracts of graduates", err)
}
