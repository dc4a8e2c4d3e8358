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
	"marshrut/internal/routing"
	"marshrut/internal/youth"
)

// StartRun records a new run of the region, refusing when one is running.
func (s *Routing) StartRun(ctx context.Context, r *routing.Run) error {
	return wrap("start run", s.tx(ctx, func(tx *sql.Tx) error {
		var busy int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM match_run WHERE region_code = $1 AND status = 'running'`, r.RegionCode).Scan(&busy); err != nil {
			return err
		}
		if busy > 0 {
			return apperr.New(apperr.Conflict, "уже идёт другой расчёт распределения: дождитесь его окончания")
		}
		r.Status, r.CreatedAt = routing.Running, s.now()
		return tx.QueryRowContext(ctx, `INSERT INTO match_run (region_code, round, mode, seed, graduation_year, status, job_id, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, r.RegionCode, r.Round, r.Mode, int64(r.Seed), r.GraduationYear, r.Status,
			nullID(r.JobID), nullID(r.CreatedBy), tsArg(r.CreatedAt)).Scan(&r.ID)
	}))
}

// SetRunJob ties a run to the job that computes it.
func (s *Routing) SetRunJob(ctx context.Context, runID, jobID int64) error {
	_, err := s.write.ExecContext(ctx, `UPDATE match_run SET job_id = $1 WHERE id = $2`, jobID, runID)
	return wrap("set run job", err)
}

// proposalBatch is how many proposals one statement writes: 11 parameters
// each, well within the engines' limits.
const proposalBatch = 1000

// FinishRun writes a run's figures and proposals in one transaction; a
// failed run keeps its error and no proposals.
func (s *Routing) FinishRun(ctx context.Context, r *routing.Run, props []routing.Proposal) error {
	r.FinishedAt = s.now()
	return wrap("finish run", s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE match_run SET status = $1, candidates = $2, vacancies = $3, places = $4, edges = $5, matched = $6,
			first_choice = $7, welfare = $8, optimal_welfare = $9, optimal_matched = $10, blocking = $11, contracts_placed = $12, seconds = $13,
			error = $14, finished_at = $15, max_matched = $16, holders = $17, unplaced_none = $18, unplaced_wishes = $19, unplaced_taken = $20,
			unplaced_outranked = $21, scored = $22, optimal_proven = $23 WHERE id = $24`, r.Status, r.Candidates, r.Vacancies, r.Places, r.Edges,
			r.Matched, r.FirstChoice, r.Welfare, r.OptimalWelfare, r.OptimalMatched, r.Blocking, r.Contracts, r.Seconds, r.Error, tsArg(r.FinishedAt),
			r.MaxMatched, r.Holders, r.UnplacedNone, r.UnplacedWishes, r.UnplacedTaken, r.UnplacedOutranked, r.Scored, r.OptimalProven, r.ID); err != nil {
			return err
		}
		if len(props) == 0 {
			return nil
		}
		if s.engine == SQLite {
			// In-process: a prepared statement a row is the fastest.
			stmt, err := tx.PrepareContext(ctx, `INSERT INTO match_proposal (run_id, region_code, learner_id, vacancy_id, choice, graduate_score,
				employer_score, contract, reasons, status, contract_note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`)
			if err != nil {
				return err
			}
			defer stmt.Close()
			for _, p := range props {
				if _, err := stmt.ExecContext(ctx, r.ID, r.RegionCode, p.LearnerID, nullText(p.VacancyID), p.Choice, p.GraduateScore, p.EmployerScore,
					p.Contract, p.Reasons, p.Status, p.ContractNote); err != nil {
					return fmt.Errorf("store: proposal: %w", err)
				}
			}
			return nil
		}
		// On a server, many rows a statement: a region's run writes tens of
		// thousands, and a statement a row costs a round trip each.
		for start := 0; start < len(props); start += proposalBatch {
			batch := props[start:min(len(props), start+proposalBatch)]
			var q strings.Builder
			q.WriteString(`INSERT INTO match_proposal (run_id, region_code, learner_id, vacancy_id, choice, graduate_score,
			employer_score, contract, reasons, status, contract_note) VALUES `)
			var a args
			for i, p := range batch {
				if i > 0 {
					q.WriteString(", ")
				}
				q.WriteString("(" + a.add(r.ID) + ", " + a.add(r.RegionCode) + ", " + a.add(p.LearnerID) + ", " + a.add(nullText(p.VacancyID)) + ", " +
					a.add(p.Choice) + ", " + a.add(p.GraduateScore) + ", " + a.add(p.EmployerScore) + ", " + a.add(p.Contract) + ", " +
					a.add(p.Reasons) + ", " + a.add(p.Status) + ", " + a.add(p.ContractNote) + ")")
			}
			if _, err := tx.ExecContext(ctx, q.String(), a...); err != nil {
				return fmt.Errorf("store: proposals: %w", err)
			}
		}
		return nil
	}))
}

// FailInterruptedRuns marks the runs left running by a stopped server as failed.
func (s *Store) FailInterruptedRuns(ctx context.Context) error {
	_, err := s.write.ExecContext(ctx, `UPDATE match_run SET status = 'failed', error = 'расчёт прерван остановкой сервера', finished_at = $1
		WHERE status = 'running'`, tsArg(s.now()))
	return wrap("fail interrupted runs", err)
}

const runCols = `r.id, r.region_code, r.round, r.mode, r.seed, r.graduation_year, r.status, COALESCE(r.job_id, 0), r.candidates, r.vacancies, r.places,
	r.edges, r.matched, r.first_choice, r.welfare, r.optimal_welfare, r.optimal_matched, r.blocking, r.contracts_placed, r.seconds, r.error,
	COALESCE(r.created_by, 0), r.created_at, r.finished_at, r.max_matched, r.holders, r.unplaced_none, r.unplaced_wishes, r.unplaced_taken,
	r.unplaced_outranked, r.scored, r.optimal_proven,
	(SELECT count(*) FROM match_proposal p WHERE p.run_id = r.id AND p.sent_at IS NOT NULL),
	(SELECT count(*) FROM match_proposal p WHERE p.run_id = r.id AND p.status = 'accepted'),
	(SELECT count(*) FROM match_proposal p WHERE p.run_id = r.id AND p.status = 'declined')`

func scanRun(row interface{ Scan(...any) error }, r *routing.Run) error {
	var seed int64
	err := row.Scan(&r.ID, &r.RegionCode, &r.Round, &r.Mode, &seed, &r.GraduationYear, &r.Status, &r.JobID, &r.Candidates, &r.Vacancies,
		&r.Places, &r.Edges, &r.Matched, &r.FirstChoice, &r.Welfare, &r.OptimalWelfare, &r.OptimalMatched, &r.Blocking, &r.Contracts,
		&r.Seconds, &r.Error, &r.CreatedBy, timeScan{&r.CreatedAt}, timeScan{&r.FinishedAt}, &r.MaxMatched, &r.Holders, &r.UnplacedNone,
		&r.UnplacedWishes, &r.UnplacedTaken, &r.UnplacedOutranked, &r.Scored, &r.OptimalProven, &r.Sent, &r.Accepted, &r.Declined)
	r.Seed = uint64(seed)
	return err
}

// MatchRun returns a run of the region.
func (s *Routing) MatchRun(ctx context.Context, region string, id int64) (routing.Run, error) {
	var r routing.Run
	err := scanRun(s.read.QueryRowContext(ctx, `SELECT `+runCols+` FROM match_run r WHERE r.id = $1 AND r.region_code = $2`, id, region), &r)
	return r, wrap("match run", notFound(err, "расчёт распределения не найден"))
}

// MatchRuns returns the region's latest runs, newest first.
func (s *Routing) MatchRuns(ctx context.Context, region string, limit int) ([]routing.Run, error) {
	var out []routing.Run
	err := eachRow(ctx, s.read, `SELECT `+runCols+` FROM match_run r WHERE r.region_code = $1 ORDER BY r.id DESC LIMIT $2`, args{region, limit},
		func(rows *sql.Rows) error {
			var r routing.Run
			if err := scanRun(rows, &r); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	return out, wrap("match runs", err)
}

// Placed returns the learners and the vacancy places already taken by the
// region's proposals that were sent or accepted: a later round leaves them out.
func (s *Routing) Placed(ctx context.Context, region string) (map[int64]bool, map[string]int, error) {
	learners, seats := map[int64]bool{}, map[string]int{}
	err := eachRow(ctx, s.read, `SELECT learner_id, COALESCE(vacancy_id, '') FROM match_proposal WHERE region_code = $1 AND status IN ('sent', 'accepted')`,
		args{region}, func(r *sql.Rows) error {
			var id int64
			var v string
			if err := r.Scan(&id, &v); err != nil {
				return err
			}
			learners[id] = true
			if v != "" {
				seats[v]++
			}
			return nil
		})
	return learners, seats, wrap("placed", err)
}

const proposalCols = `p.id, p.run_id, p.learner_id, l.last_name || ' ' || l.first_name || ' ' || l.middle_name, COALESCE(NULLIF(o.short_name, ''), o.name),
	COALESCE(l.specialty_code, ''), COALESCE(p.vacancy_id, ''), COALESCE(v.title, ''), COALESCE(v.employer_name, ''), p.choice, p.graduate_score,
	p.employer_score, p.contract, p.reasons, p.status, p.decided_at, p.contract_note`

const proposalFrom = ` FROM match_proposal p JOIN learner l ON l.id = p.learner_id JOIN organisation o ON o.id = l.org_id
	LEFT JOIN vacancy v ON v.id = p.vacancy_id`

func scanProposal(row interface{ Scan(...any) error }, p *routing.Proposal) error {
	err := row.Scan(&p.ID, &p.RunID, &p.LearnerID, &p.Learner, &p.OrgName, &p.SpecialtyCode, &p.VacancyID, &p.Vacancy, &p.Employer, &p.Choice,
		&p.GraduateScore, &p.EmployerScore, &p.Contract, &p.Reasons, &p.Status, timeScan{&p.DecidedAt}, &p.ContractNote)
	p.Learner = strings.TrimSpace(p.Learner)
	return err
}

// Proposals returns a page of a run's proposals of the learners the caller
// sees, and their total.
func (s *Routing) Proposals(ctx context.Context, sc auth.Scope, f routing.ProposalFilter) ([]routing.Proposal, int, error) {
	var a args
	where := `p.run_id = ` + a.add(f.RunID) + ` AND ` + learnerScope(sc, "l", &a)
	if f.Status != "" {
		where += ` AND p.status = ` + a.add(f.Status)
	}
	if f.LearnerID != 0 {
		where += ` AND p.learner_id = ` + a.add(f.LearnerID)
	}
	if f.Holders {
		where += ` AND p.contract_note <> ''`
	}
	return page(ctx, s.db, s.read, listPage{op: "proposals", cols: proposalCols, from: proposalFrom, where: where,
		order: `p.status = 'unmatched', o.search_name, l.search_name, p.id`, limit: f.Limit, offset: f.Offset}, a, scanner(scanProposal))
}

// DecideProposal moves a proposal the caller sees: proposed → sent → accepted
// or declined. An accepted proposal becomes the graduate's employment outcome
// with the vacancy's employer from that day.
func (s *Routing) DecideProposal(ctx context.Context, sc auth.Scope, id int64, to routing.ProposalStatus) error {
	return wrap("decide proposal", s.tx(ctx, func(tx *sql.Tx) error {
		var p routing.Proposal
		var a args
		err := scanProposal(tx.QueryRowContext(ctx, `SELECT `+proposalCols+proposalFrom+` WHERE p.id = `+a.add(id)+` AND `+learnerScope(sc, "l", &a), a...), &p)
		if err != nil {
			return notFound(err, "предложение не найдено")
		}
		return s.moveProposal(ctx, tx, sc, p, to)
	}))
}

// noticeProposal tells the graduate and the employer of the vacancy that a
// proposal was sent to them (or, with a prefix, reminds them of it).
func noticeProposal(ctx context.Context, tx *sql.Tx, now time.Time, p routing.Proposal, prefix string) error {
	if p.VacancyID == "" {
		return nil
	}
	text := prefix + "Предложение работы: «" + p.Vacancy + "», " + p.Employer
	if err := notifyTx(ctx, tx, now, youth.Notice{LearnerID: p.LearnerID, Kind: "proposal", Text: text, Link: "/me/proposals"}); err != nil {
		return err
	}
	var employerID int64
	err := tx.QueryRowContext(ctx, `SELECT o.id FROM vacancy v JOIN organisation o ON o.inn = v.employer_inn AND o.region_code = v.region_code
		AND o.kind = 'employer' WHERE v.id = $1 AND v.employer_inn <> '' ORDER BY o.id LIMIT 1`, p.VacancyID).Scan(&employerID)
	if err != nil && !noRows(err) {
		return err
	}
	if employerID == 0 {
		return nil
	}
	return notifyTx(ctx, tx, now, youth.Notice{OrgID: employerID, Kind: "proposal",
		Text: prefix + "Региональный центр предлагает выпускника на вакансию «" + p.Vacancy + "»", Link: "/me/proposals"})
}

// moveProposal writes a legal move of proposal p; an accepted one becomes
// the graduate's employment outcome.
func (s *db) moveProposal(ctx context.Context, tx *sql.Tx, sc auth.Scope, p routing.Proposal, to routing.ProposalStatus) error {
	{
		legal := map[routing.ProposalStatus][]routing.ProposalStatus{
			routing.Proposed: {routing.Sent, routing.Declined},
			routing.Sent:     {routing.Accepted, routing.Declined},
		}
		ok := false
		for _, n := range legal[p.Status] {
			ok = ok || n == to
		}
		if !ok {
			return apperr.New(apperr.Conflict, "предложение в состоянии «%s» нельзя перевести в «%s»", p.Status.Name(), to.Name())
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE match_proposal SET status = $1, decided_at = $2, decided_by = $3,
			sent_at = CASE WHEN $1 = 'sent' THEN $2 ELSE sent_at END WHERE id = $4`,
			to, tsArg(now), nullID(sc.UserID), p.ID); err != nil {
			return err
		}
		if to == routing.Sent {
			if err := noticeProposal(ctx, tx, now, p, ""); err != nil {
				return err
			}
		}
		if to != routing.Accepted {
			return nil
		}
		// The graduate is hired: the outcome names the employer, an
		// organisation of the region when its INN is known.
		var employerID int64
		err := tx.QueryRowContext(ctx, `SELECT o.id FROM vacancy v JOIN organisation o ON o.inn = v.employer_inn AND o.region_code = v.region_code
			AND o.kind = 'employer' WHERE v.id = $1 AND v.employer_inn <> '' LIMIT 1`, p.VacancyID).Scan(&employerID)
		if err != nil && !noRows(err) {
			return err
		}
		o := learner.Outcome{LearnerID: p.LearnerID, Status: learner.Employed, EmployerID: employerID, EmployerName: p.Employer,
			Start: learner.Day(now), Source: learner.SourceMatching, Note: "по предложению распределения: " + p.Vacancy}
		if employerID != 0 {
			o.EmployerName = ""
		}
		return s.addOutcomeTx(ctx, tx, sc, &o)
	}
}

// bulkWhere selects the proposals of a bulk action the scope sees.
func bulkWhere(sc auth.Scope, b routing.Bulk, a *args) string {
	w := `p.run_id = ` + a.add(b.RunID) + ` AND p.status = ` + a.add(string(b.Action.From())) + ` AND ` + learnerScope(sc, "l", a)
	if b.MunicipalityID != 0 {
		w += ` AND l.municipality_id = ` + a.add(b.MunicipalityID)
	}
	if b.OrgID != 0 {
		w += ` AND l.org_id = ` + a.add(b.OrgID)
	}
	if b.SpecialtyCode != "" {
		w += ` AND l.specialty_code = ` + a.add(b.SpecialtyCode)
	}
	return w
}

// CountBulk counts the proposals a bulk action selects.
func (s *Routing) CountBulk(ctx context.Context, sc auth.Scope, b routing.Bulk) (int, error) {
	var a args
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM match_proposal p JOIN learner l ON l.id = p.learner_id WHERE `+bulkWhere(sc, b, &a), a...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count proposals: %w", err)
	}
	return n, nil
}

// ApplyBulk moves the proposals a bulk action selects, all or none: when
// their number is not the one confirmed, nothing changes.
func (s *Routing) ApplyBulk(ctx context.Context, sc auth.Scope, b routing.Bulk, expect int) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var a args
		ids, err := scanIDs(ctx, tx, `SELECT p.id FROM match_proposal p JOIN learner l ON l.id = p.learner_id WHERE `+bulkWhere(sc, b, &a)+` ORDER BY p.id`, a)
		if err != nil {
			return err
		}
		if len(ids) != expect {
			return apperr.New(apperr.Conflict, "предложений по этому отбору стало %d, а подтверждено %d: их уже меняли; проверьте число ещё раз", len(ids), expect)
		}
		now := tsArg(s.now())
		var sent []routing.Proposal
		prefix := ""
		if b.Action == routing.BulkResend {
			prefix = "Напоминание. "
		}
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			var u args
			var q string
			if b.Action == routing.BulkWithdraw {
				// Back to a proposal nobody has been sent.
				q = `UPDATE match_proposal SET status = ` + u.add(string(b.Action.To())) + `, decided_at = NULL, decided_by = NULL, sent_at = NULL`
			} else {
				q = `UPDATE match_proposal SET status = ` + u.add(string(b.Action.To())) + `, decided_at = ` + u.add(now) + `, decided_by = ` +
					u.add(nullID(sc.UserID)) + `, sent_at = ` + u.add(now)
			}
			if _, err := tx.ExecContext(ctx, q+` WHERE id IN (`+u.in(chunk)+`)`, u...); err != nil {
				return fmt.Errorf("store: bulk proposals: %w", err)
			}
			if b.Action == routing.BulkWithdraw {
				continue
			}
			// Those sent a proposal hear of it, as when it is sent alone.
			var r args
			err := eachRow(ctx, tx, `SELECT `+proposalCols+proposalFrom+` WHERE p.id IN (`+r.in(chunk)+`)`, r, func(rows *sql.Rows) error {
				var p routing.Proposal
				if err := scanProposal(rows, &p); err != nil {
					return err
				}
				sent = append(sent, p)
				return nil
			})
			if err != nil {
				return err
			}
		}
		for _, p := range sent {
			if err := noticeProposal(ctx, tx, s.now(), p, prefix); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, wrap("apply bulk", err)
}

// scanIDs reads a column of ids.
func scanIDs(ctx context.Context, db querier, q string, a args) ([]int64, error) {
	var out []int64
	err := eachRow(ctx, db, q, a, func(r *sql.Rows) error {
		var id int64
		if err := r.Scan(&id); err != nil {
			return err
		}
		out = append(out, id)
		return nil
	})
	return out, err
}
