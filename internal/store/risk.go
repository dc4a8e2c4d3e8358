package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/ddo"
	"marshrut/internal/learner"
	"marshrut/internal/risk"
)

const recordCols = `l.id, l.last_name || ' ' || l.first_name || ' ' || l.middle_name, l.org_id, COALESCE(NULLIF(o.short_name, ''), o.name),
	l.municipality_id, m.name, l.sex, l.disability, o.kind = 'university', l.study_form = 'full_time', COALESCE(l.specialty_code, ''),
	COALESCE(sp.name, ''), l.graduation_year, l.avg_grade, l.demo_exam, r.attendance, r.debts, COALESCE(r.social_status, ''),
	COALESCE(l.snils, '') <> '', p.learner_id IS NOT NULL, l.outcome_6m`

const recordFrom = ` FROM learner l JOIN organisation o ON o.id = l.org_id JOIN municipality m ON m.id = l.municipality_id
	LEFT JOIN specialty sp ON sp.code = l.specialty_code LEFT JOIN learner_record r ON r.learner_id = l.id
	LEFT JOIN learner_preference p ON p.learner_id = l.id`

// PastGraduates returns the region's graduates up to lastYear, the cohorts a
// model learns from.
func (s *Risks) PastGraduates(ctx context.Context, region string, lastYear int) ([]risk.Record, error) {
	out, err := s.records(ctx, `l.region_code = $1 AND l.status = 'graduate' AND l.graduation_year > 0 AND l.graduation_year <= $2`, args{region, lastYear})
	return out, wrap("past graduates", err)
}

// ToScore returns the students of the final course (graduating in
// finalYear) and the graduates of recentYear without work, study or service.
func (s *Risks) ToScore(ctx context.Context, region string, finalYear, recentYear int) ([]risk.Record, error) {
	out, err := s.records(ctx, `l.region_code = $1 AND (l.status = 'student' AND l.graduation_year = $2
		OR l.status = 'graduate' AND l.graduation_year = $3 AND l.current_outcome NOT IN `+positive+`)`,
		args{region, finalYear, recentYear})
	return out, wrap("to score", err)
}

// Record returns the record of a learner the scope sees.
func (s *Risks) Record(ctx context.Context, sc auth.Scope, id int64) (risk.Record, error) {
	var a args
	list, err := s.records(ctx, `l.id = `+a.add(id)+` AND l.status <> 'pupil' AND `+learnerScope(sc, "l", &a), a)
	if err != nil {
		return risk.Record{}, wrap("record", err)
	}
	if len(list) == 0 {
		return risk.Record{}, apperr.New(apperr.NotFound, "обучающийся не найден")
	}
	return list[0], nil
}

func (s *Risks) records(ctx context.Context, cond string, a args) ([]risk.Record, error) {
	var out []risk.Record
	err := eachRow(ctx, s.read, `SELECT `+recordCols+recordFrom+` WHERE `+cond+` ORDER BY l.id`, a, func(rows *sql.Rows) error {
		var r risk.Record
		var att, debts sql.NullFloat64
		var after6 string
		if err := rows.Scan(&r.LearnerID, &r.Name, &r.OrgID, &r.OrgName, &r.MunicipalityID, &r.Municipality, &r.Sex, &r.Disability,
			&r.University, &r.FullTime, &r.SpecialtyCode, &r.SpecialtyName, &r.GraduationYear, &r.AvgGrade, &r.DemoExam, &att, &debts,
			&r.Social, &r.HasSNILS, &r.HasPreference, &after6); err != nil {
			return err
		}
		r.Name = strings.TrimSpace(r.Name)
		r.Attendance, r.Debts = nullNaN(att), nullNaN(debts)
		r.After6 = learner.OutcomeStatus(after6)
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: risk records: %w", err)
	}
	return out, s.enrichRecords(ctx, out)
}

func nullNaN(v sql.NullFloat64) float64 {
	if !v.Valid {
		return math.NaN()
	}
	return v.Float64
}

// enrichRecords adds practice, contracts, the latest ДДО, mentors and the
// answers to proposals, a chunk of learners at a time.
func (s *Risks) enrichRecords(ctx context.Context, out []risk.Record) error {
	index := make(map[int64]int, len(out))
	ids := make([]int64, len(out))
	for i, r := range out {
		index[r.LearnerID], ids[i] = i, r.LearnerID
	}
	for start := 0; start < len(ids); start += 500 {
		var b args
		in := b.in(ids[start:min(len(ids), start+500)])
		queries := []struct {
			q  string
			fn func(r *sql.Rows) error
		}{
			{`SELECT DISTINCT st.learner_id FROM learner_stage st WHERE st.kind = 'practice' AND st.learner_id IN (` + in + `)`,
				func(r *sql.Rows) error {
					var id int64
					err := r.Scan(&id)
					out[index[id]].Practice = true
					return err
				}},
			{`SELECT DISTINCT a.learner_id FROM targeted_application a WHERE a.status IN ` + signedStatuses + ` AND a.learner_id IN (` + in + `)`,
				func(r *sql.Rows) error {
					var id int64
					err := r.Scan(&id)
					out[index[id]].Contract = true
					return err
				}},
			{`SELECT d.learner_id, d.answers FROM ddo_result d WHERE d.learner_id IN (` + in + `) ORDER BY d.learner_id, d.taken_on, d.id`,
				func(r *sql.Rows) error {
					var id int64
					var answers string
					if err := r.Scan(&id, &answers); err != nil {
						return err
					}
					if a, err := ddo.ParseAnswers(answers); err == nil {
						res := ddo.Score(a)
						out[index[id]].DDO = &res
					}
					return nil
				}},
			{`SELECT DISTINCT learner_id FROM mentor_pair WHERE learner_id IN (` + in + `)`,
				func(r *sql.Rows) error {
					var id int64
					err := r.Scan(&id)
					out[index[id]].Mentor = 1
					return err
				}},
			{`SELECT learner_id, count(*) FROM match_proposal WHERE status = 'declined' AND learner_id IN (` + in + `) GROUP BY learner_id`,
				func(r *sql.Rows) error {
					var id int64
					var n int
					err := r.Scan(&id, &n)
					out[index[id]].Declined = n
					return err
				}},
		}
		for _, q := range queries {
			if err := eachRow(ctx, s.read, q.q, b, q.fn); err != nil {
				return fmt.Errorf("store: risk records: %w", err)
			}
		}
	}
	return nil
}

// Demand is the demand for graduates from the open vacancies: places per
// graduate of the latest full cohort, by specialty group and by municipality
// (the employer's, for vacancies of the region's organisations).
func (s *Risks) Demand(ctx context.Context, region string) (risk.Demand, error) {
	q, end := s.snapshot(ctx, s.read)
	defer end()
	d := risk.Demand{BySpecialtyGroup: map[string]float64{}, ByMunicipality: map[int64]float64{}}
	var year int
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(max(graduation_year), 0) FROM learner WHERE region_code = $1 AND status = 'graduate'`,
		region).Scan(&year); err != nil {
		return d, fmt.Errorf("store: risk demand: %w", err)
	}
	gradsByGroup, gradsByMuni := map[string]int{}, map[int64]int{}
	if err := eachRow(ctx, q, `SELECT substr(specialty_code, 1, 2), municipality_id, count(*) FROM learner
		WHERE region_code = $1 AND graduation_year = $2 AND specialty_code IS NOT NULL GROUP BY substr(specialty_code, 1, 2), municipality_id`,
		args{region, year}, func(r *sql.Rows) error {
			var g string
			var m int64
			var n int
			if err := r.Scan(&g, &m, &n); err != nil {
				return err
			}
			gradsByGroup[g] += n
			gradsByMuni[m] += n
			return nil
		}); err != nil {
		return d, fmt.Errorf("store: risk demand: %w", err)
	}
	if err := eachRow(ctx, q, `SELECT g, sum(wp) FROM (SELECT DISTINCT k.vacancy_id, substr(k.group_code, 1, 2) AS g, v.work_places AS wp
		FROM vacancy_link k JOIN vacancy v ON v.id = k.vacancy_id WHERE k.region_code = $1 AND NOT v.closed) x GROUP BY g`,
		args{region}, func(r *sql.Rows) error {
			var g string
			var n int
			if err := r.Scan(&g, &n); err != nil {
				return err
			}
			if grads := gradsByGroup[g]; grads > 0 {
				d.BySpecialtyGroup[g] = float64(n) / float64(grads)
			}
			return nil
		}); err != nil {
		return d, fmt.Errorf("store: risk demand: %w", err)
	}
	if err := eachRow(ctx, q, `SELECT o.municipality_id, sum(v.work_places) FROM vacancy v
		JOIN organisation o ON o.inn = v.employer_inn AND o.region_code = v.region_code
		WHERE v.region_code = $1 AND NOT v.closed AND v.employer_inn <> '' GROUP BY o.municipality_id`,
		args{region}, func(r *sql.Rows) error {
			var m int64
			var n int
			if err := r.Scan(&m, &n); err != nil {
				return err
			}
			if grads := gradsByMuni[m]; grads > 0 {
				d.ByMunicipality[m] = float64(n) / float64(grads)
			}
			return nil
		}); err != nil {
		return d, fmt.Errorf("store: risk demand: %w", err)
	}
	return d, nil
}

// SaveModel stores a model; an active one replaces the region's active model.
func (s *Risks) SaveModel(ctx context.Context, m *risk.ModelInfo) error {
	report, err := json.Marshal(m.Report)
	if err != nil {
		return wrap("save model", err)
	}
	years := make([]string, len(m.Report.TrainYears))
	for i, y := range m.Report.TrainYears {
		years[i] = strconv.Itoa(y)
	}
	return wrap("save model", s.tx(ctx, func(tx *sql.Tx) error {
		if m.Active {
			if _, err := tx.ExecContext(ctx, `UPDATE risk_model SET active = FALSE WHERE region_code = $1 AND active`, m.RegionCode); err != nil {
				return err
			}
		}
		return tx.QueryRowContext(ctx, `INSERT INTO risk_model (region_code, kind, train_years, valid_year, train_rows, valid_rows, positives,
			report, model, active, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			m.RegionCode, string(m.Kind), strings.Join(years, ","), m.Report.ValidYear, m.Report.TrainRows, m.Report.ValidRows,
			m.Report.TrainPositives, string(report), string(m.Data), m.Active, nullID(m.CreatedBy), tsArg(m.CreatedAt)).Scan(&m.ID)
	}))
}

const riskModelCols = `rm.id, rm.region_code, rm.kind, rm.report, rm.active, COALESCE(rm.created_by, 0), COALESCE(u.name, ''), rm.created_at`

func (s *Risks) riskModels(ctx context.Context, withData bool, cond string, a args) ([]risk.ModelInfo, error) {
	cols := riskModelCols
	if withData {
		cols += `, rm.model`
	}
	var out []risk.ModelInfo
	err := eachRow(ctx, s.read, `SELECT `+cols+` FROM risk_model rm LEFT JOIN app_user u ON u.id = rm.created_by WHERE `+cond, a,
		func(r *sql.Rows) error {
			var m risk.ModelInfo
			var report, data string
			dest := []any{&m.ID, &m.RegionCode, &m.Kind, &report, &m.Active, &m.CreatedBy, &m.CreatedByName, timeScan{&m.CreatedAt}}
			if withData {
				dest = append(dest, &data)
			}
			if err := r.Scan(dest...); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(report), &m.Report); err != nil {
				return fmt.Errorf("report of model %d: %w", m.ID, err)
			}
			m.Data = []byte(data)
			out = append(out, m)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("store: risk models: %w", err)
	}
	return out, nil
}

func (s *Risks) oneRiskModel(ctx context.Context, cond string, a args) (risk.ModelInfo, error) {
	list, err := s.riskModels(ctx, true, cond, a)
	if err != nil {
		return risk.ModelInfo{}, err
	}
	if len(list) == 0 {
		return risk.ModelInfo{}, apperr.New(apperr.NotFound, "модель прогноза риска не найдена")
	}
	return list[0], nil
}

// ActiveModel returns the model the region scores with.
func (s *Risks) ActiveModel(ctx context.Context, region string) (risk.ModelInfo, error) {
	m, err := s.oneRiskModel(ctx, `rm.region_code = $1 AND rm.active`, args{region})
	return m, wrap("active model", err)
}

// Model returns a model of the region.
func (s *Risks) Model(ctx context.Context, region string, id int64) (risk.ModelInfo, error) {
	m, err := s.oneRiskModel(ctx, `rm.region_code = $1 AND rm.id = $2`, args{region, id})
	return m, wrap("model", err)
}

// Models lists the region's models, newest first, without their parameters.
func (s *Risks) Models(ctx context.Context, region string, limit int) ([]risk.ModelInfo, error) {
	out, err := s.riskModels(ctx, false, `rm.region_code = $1 ORDER BY rm.id DESC LIMIT `+strconv.Itoa(limit), args{region})
	return out, wrap("models", err)
}

// SaveScores replaces the region's scores with a run's, in one transaction.
func (s *Risks) SaveScores(ctx context.Context, region string, modelID int64, scores []risk.Score, at time.Time) error {
	return wrap("save scores", s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM risk_score WHERE region_code = $1`, region); err != nil {
			return err
		}
		texts := make([]string, len(scores))
		for i, sc := range scores {
			b, err := json.Marshal(sc.Reasons)
			if err != nil {
				return err
			}
			texts[i] = string(b)
		}
		ts := tsArg(at)
		l := &Loader{s: s.db, ctx: ctx, tx: tx}
		return l.insert("risk_score", []string{"learner_id", "region_code", "model_id", "probability", "reasons", "scored_at"}, len(scores),
			func(i int) []any {
				return []any{scores[i].LearnerID, region, modelID, scores[i].Probability, texts[i], ts}
			})
	}))
}

const riskRowCols = `l.id, l.last_name || ' ' || l.first_name || ' ' || l.middle_name, l.org_id, COALESCE(NULLIF(o.short_name, ''), o.name),
	m.name, COALESCE(l.specialty_code, ''), COALESCE(sp.name, ''), l.status, l.graduation_year, rs.probability, rs.reasons, rs.scored_at,
	COALESCE(rc.id, 0), COALESCE(rc.status, '')`

// riskRowFrom joins the learner's latest case.
const riskRowFrom = ` FROM risk_score rs JOIN learner l ON l.id = rs.learner_id JOIN organisation o ON o.id = l.org_id
	JOIN municipality m ON m.id = l.municipality_id LEFT JOIN specialty sp ON sp.code = l.specialty_code
	LEFT JOIN risk_case rc ON rc.id = (SELECT max(c.id) FROM risk_case c WHERE c.learner_id = l.id)`

func scanRiskRow(r interface{ Scan(...any) error }, x *risk.Row) error {
	var reasons string
	if err := r.Scan(&x.LearnerID, &x.Name, &x.OrgID, &x.OrgName, &x.Municipality, &x.SpecialtyCode, &x.SpecialtyName, &x.Status,
		&x.GraduationYear, &x.Probability, &reasons, timeScan{&x.ScoredAt}, &x.CaseID, &x.CaseStatus); err != nil {
		return err
	}
	x.Name = strings.TrimSpace(x.Name)
	return json.Unmarshal([]byte(reasons), &x.Reasons)
}

// Scores returns a page of the scored learners the scope sees and their total.
func (s *Risks) Scores(ctx context.Context, sc auth.Scope, f risk.Filter) ([]risk.Row, int, error) {
	rq, end := s.snapshot(ctx, s.read)
	defer end()
	var a args
	where := `rs.region_code = ` + a.add(sc.RegionCode) + ` AND rs.probability >= ` + a.add(f.Threshold) + ` AND ` + learnerScope(sc, "l", &a)
	if f.OrgID != 0 {
		where += ` AND l.org_id = ` + a.add(f.OrgID)
	}
	if f.MunicipalityID != 0 {
		where += ` AND l.municipality_id = ` + a.add(f.MunicipalityID)
	}
	switch f.Case {
	case "with":
		where += ` AND EXISTS (SELECT 1 FROM risk_case c WHERE c.learner_id = l.id)`
	case "without":
		where += ` AND NOT EXISTS (SELECT 1 FROM risk_case c WHERE c.learner_id = l.id)`
	}
	var total int
	if err := rq.QueryRowContext(ctx, `SELECT count(*) FROM risk_score rs JOIN learner l ON l.id = rs.learner_id WHERE `+where, a...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: risk scores: %w", err)
	}
	order := ` ORDER BY rs.probability DESC, l.id`
	switch f.Sort {
	case risk.SortName:
		order = ` ORDER BY l.search_name, l.id`
	case risk.SortOrg:
		order = ` ORDER BY o.name, rs.probability DESC, l.id`
	}
	q := `SELECT ` + riskRowCols + riskRowFrom + ` WHERE ` + where + order + ` LIMIT ` + strconv.Itoa(f.Limit) + ` OFFSET ` + strconv.Itoa(max(0, f.Offset))
	var out []risk.Row
	err := eachRow(ctx, rq, q, a, func(r *sql.Rows) error {
		var x risk.Row
		if err := scanRiskRow(r, &x); err != nil {
			return err
		}
		out = append(out, x)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("store: risk scores: %w", err)
	}
	return out, total, nil
}

// RiskOf returns a learner's score, when the scope sees the learner and the learner is scored.
func (s *Risks) RiskOf(ctx context.Context, sc auth.Scope, id int64) (risk.Row, error) {
	var a args
	var x risk.Row
	err := scanRiskRow(s.read.QueryRowContext(ctx, `SELECT `+riskRowCols+riskRowFrom+` WHERE rs.learner_id = `+a.add(id)+` AND `+learnerScope(sc, "l", &a), a...), &x)
	return x, wrap("risk of", notFound(err, "оценка риска не найдена"))
}

// Threshold returns the region's threshold, ok false when it has not chosen one.
func (s *Risks) Threshold(ctx context.Context, region string) (float64, bool, error) {
	var t float64
	err := s.read.QueryRowContext(ctx, `SELECT threshold FROM risk_setting WHERE region_code = $1`, region).Scan(&t)
	if noRows(err) {
		return 0, false, nil
	}
	return t, err == nil, wrap("threshold", err)
}

// SetThreshold stores the region's threshold.
func (s *Risks) SetThreshold(ctx context.Context, region string, t float64, at time.Time) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO risk_setting (region_code, threshold, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (region_code) DO UPDATE SET threshold = excluded.threshold, updated_at = excluded.updated_at`, region, t, tsArg(at))
	return wrap("set threshold", err)
}

// Figures counts the scored learners the scope sees, those at risk, and
// what became of the at-risk ones with a case and without.
func (s *Risks) Figures(ctx context.Context, sc auth.Scope, threshold float64) (risk.Figures, error) {
	rq, end := s.snapshot(ctx, s.read)
	defer end()
	f := risk.Figures{Threshold: threshold, ByOutcome: map[risk.CaseOutcome]int{}, ByAction: map[risk.ActionKind]int{}}
	var a args
	scope := learnerScope(sc, "l", &a)
	th := a.add(threshold)
	q := `SELECT at_risk, with_case, status, cur, count(*) FROM (SELECT rs.probability >= ` + th + ` AS at_risk,
		EXISTS (SELECT 1 FROM risk_case c WHERE c.learner_id = l.id) AS with_case, l.status AS status, l.current_outcome AS cur
		FROM risk_score rs JOIN learner l ON l.id = rs.learner_id WHERE ` + scope + `) x GROUP BY at_risk, with_case, status, cur`
	err := eachRow(ctx, rq, q, a, func(r *sql.Rows) error {
		var atRisk, withCase bool
		var status, current string
		var n int
		if err := r.Scan(&atRisk, &withCase, &status, &current, &n); err != nil {
			return err
		}
		f.Scored += n
		if !atRisk {
			return nil
		}
		f.AtRisk += n
		o := &f.WithoutCase
		if withCase {
			o = &f.WithCase
		}
		o.Total += n
		switch {
		case status == string(learner.Student):
			o.Studying += n
		case current == "employed" || current == "self_employed" || current == "studying" || current == "military" || current == "parental_leave":
			o.Working += n
		case current == "" || current == "unknown":
			o.Unknown += n
		default:
			o.NoWork += n
		}
		return nil
	})
	if err != nil {
		return f, fmt.Errorf("store: risk figures: %w", err)
	}
	var b args
	scope = learnerScope(sc, "l", &b)
	err = eachRow(ctx, rq, `SELECT rc.status, rc.outcome, count(*) FROM risk_case rc JOIN learner l ON l.id = rc.learner_id WHERE `+scope+
		` GROUP BY rc.status, rc.outcome`, b, func(r *sql.Rows) error {
		var status, outcome string
		var n int
		if err := r.Scan(&status, &outcome, &n); err != nil {
			return err
		}
		if status == risk.CaseOpen {
			f.Open += n
		} else {
			f.Closed += n
			f.ByOutcome[risk.CaseOutcome(outcome)] += n
		}
		return nil
	})
	if err != nil {
		return f, fmt.Errorf("store: risk figures: %w", err)
	}
	var c args
	scope = learnerScope(sc, "l", &c)
	err = eachRow(ctx, rq, `SELECT ra.kind, count(*) FROM risk_action ra JOIN risk_case rc ON rc.id = ra.case_id JOIN learner l ON l.id = rc.learner_id
		WHERE `+scope+` GROUP BY ra.kind`, c, func(r *sql.Rows) error {
		var kind string
		var n int
		if err := r.Scan(&kind, &n); err != nil {
			return err
		}
		f.ByAction[risk.ActionKind(kind)] = n
		return nil
	})
	if err != nil {
		return f, fmt.Errorf("store: risk figures: %w", err)
	}
	return f, nil
}

// Records writes the attendance, debts and social status of learners, as a
// load; a nil pointer is «not recorded».
func (l *Loader) Records(rs []risk.StudyRecord) error {
	return wrap("load records", l.insert("learner_record", []string{"learner_id", "attendance", "debts", "social_status", "updated_at"}, len(rs), func(i int) []any {
		return []any{rs[i].LearnerID, nullFloat(rs[i].Attendance), nullFloat(rs[i].Debts), string(rs[i].Social), l.now}
	}))
}

func nullFloat(v float64) any {
	if math.IsNaN(v) {
		return nil
	}
	return v
}

// SaveRecord writes a learner's study record, when the scope edits the learner.
func (s *Risks) SaveRecord(ctx context.Context, sc auth.Scope, r risk.StudyRecord) error {
	return wrap("save record", s.tx(ctx, func(tx *sql.Tx) error {
		var a args
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM learner l WHERE l.id = `+a.add(r.LearnerID)+` AND `+learnerScope(sc, "l", &a), a...).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.New(apperr.NotFound, "обучающийся не найден")
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO learner_record (learner_id, attendance, debts, social_status, updated_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (learner_id) DO UPDATE SET attendance = excluded.attendance, debts = excluded.debts,
			social_status = excluded.social_status, updated_at = excluded.updated_at`,
			r.LearnerID, nullFloat(r.Attendance), nullFloat(r.Debts), string(r.Social), tsArg(s.now()))
		return err
	}))
}

// Risk returns the latest risk scores of the given learners that have one;
// mentorship proposals give those at higher risk a mentor first.
func (s *Risks) Risk(ctx context.Context, ids []int64) (map[int64]float64, error) {
	out := make(map[int64]float64, len(ids))
	for start := 0; start < len(ids); start += 500 {
		var a args
		in := a.in(ids[start:min(len(ids), start+500)])
		if err := eachRow(ctx, s.read, `SELECT learner_id, probability FROM risk_score WHERE learner_id IN (`+in+`)`, a, func(r *sql.Rows) error {
			var id int64
			var p float64
			if err := r.Scan(&id, &p); err != nil {
				return err
			}
			out[id] = p
			return nil
		}); err != nil {
			return nil, fmt.Errorf("store: risk of learners: %w", err)
		}
	}
	return out, nil
}
