package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"

	"marshrut/internal/auth"
	"marshrut/internal/ddo"
	"marshrut/internal/routing"
	"marshrut/internal/vacancy"
)

// candidateCols reads a learner as a routing candidate, with the centre of the
// municipality, wishes and the employer-side facts.
const candidateCols = `l.id, l.last_name || ' ' || l.first_name || ' ' || l.middle_name, COALESCE(l.specialty_code, ''),
	o.kind = 'university', l.org_id, l.municipality_id, m.lat, m.lon, COALESCE(p.relocate, FALSE), COALESCE(p.min_salary, 0),
	COALESCE(p.schedule, ''), l.avg_grade, l.demo_exam, l.sex, l.birth_date`

const candidateFrom = ` FROM learner l JOIN organisation o ON o.id = l.org_id JOIN municipality m ON m.id = l.municipality_id
	LEFT JOIN learner_preference p ON p.learner_id = l.id`

// Candidates returns the region's candidates around a graduation year: the
// students who graduate in it or the next one and the graduates of those
// years not yet at work, in study or in service.
func (s *Routing) Candidates(ctx context.Context, region string, year int) ([]routing.Candidate, error) {
	out, err := s.candidates(ctx, `l.region_code = $1 AND l.graduation_year IN ($2, $3) AND l.specialty_code IS NOT NULL
		AND (l.status = 'student' OR l.status = 'graduate' AND l.current_outcome NOT IN `+positive+`)`,
		args{region, year, year + 1})
	return out, wrap("candidates", err)
}

// Candidate returns one learner the caller sees as a routing candidate.
func (s *Routing) Candidate(ctx context.Context, sc auth.Scope, id int64) (routing.Candidate, error) {
	var a args
	cond := `l.id = ` + a.add(id) + ` AND ` + learnerScope(sc, "l", &a)
	list, err := s.candidates(ctx, cond, a)
	if err != nil {
		return routing.Candidate{}, wrap("candidate", err)
	}
	if len(list) == 0 {
		return routing.Candidate{}, wrap("candidate", notFound(sql.ErrNoRows, "обучающийся не найден"))
	}
	return list[0], nil
}

func (s *Routing) candidates(ctx context.Context, cond string, a args) ([]routing.Candidate, error) {
	var out []routing.Candidate
	if err := eachRowOp(ctx, s.read, "candidates", `SELECT `+candidateCols+candidateFrom+` WHERE `+cond+` ORDER BY l.id`, a, func(rows *sql.Rows) error {
		var c routing.Candidate
		if err := rows.Scan(&c.LearnerID, &c.Name, &c.SpecialtyCode, &c.University, &c.OrgID, &c.MunicipalityID, &c.Lat, &c.Lon,
			&c.Relocate, &c.MinSalary, &c.Schedule, &c.AvgGrade, &c.DemoExam, &c.Sex, timeScan{&c.BirthDate}); err != nil {
			return err
		}
		c.Name = strings.TrimSpace(c.Name)
		out = append(out, c)
		return nil
	}); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	index := make(map[int64]int, len(out))
	for i, c := range out {
		index[c.LearnerID] = i
	}
	// Practice, mentors at enterprises, target contracts and the latest
	// ДДО: one query each, over the same learners (a region's run reads
	// tens of thousands; a query per chunk of them costs a round trip each).
	of := `(SELECT l.id` + candidateFrom + ` WHERE ` + cond + `)`
	if err := eachRow(ctx, s.read, `SELECT st.learner_id, o.inn FROM learner_stage st JOIN organisation o ON o.id = st.org_id
		WHERE st.kind = 'practice' AND o.inn <> '' AND st.learner_id IN `+of+` ORDER BY st.learner_id, st.id`, a, func(r *sql.Rows) error {
		var id int64
		var inn string
		if err := r.Scan(&id, &inn); err != nil {
			return err
		}
		c := &out[index[id]]
		if !slices.Contains(c.PracticeINNs, inn) {
			c.PracticeINNs = append(c.PracticeINNs, inn)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := eachRow(ctx, s.read, `SELECT DISTINCT p.learner_id, o.inn FROM mentor_pair p JOIN mentor m ON m.id = p.mentor_id
		JOIN organisation o ON o.id = m.employer_id WHERE o.inn <> '' AND p.learner_id IN `+of+` ORDER BY p.learner_id, o.inn`, a, func(r *sql.Rows) error {
		var id int64
		var inn string
		if err := r.Scan(&id, &inn); err != nil {
			return err
		}
		c := &out[index[id]]
		c.MentorINNs = append(c.MentorINNs, inn)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := eachRow(ctx, s.read, `SELECT a.learner_id, e.inn FROM targeted_application a JOIN targeted_offer t ON t.id = a.offer_id
		JOIN organisation e ON e.id = t.employer_id WHERE a.status IN ('contract_signed', 'studying', 'graduated', 'working_off')
		AND a.learner_id IN `+of+` ORDER BY a.learner_id, a.id`, a, func(r *sql.Rows) error {
		var id int64
		var inn string
		if err := r.Scan(&id, &inn); err != nil {
			return err
		}
		out[index[id]].ContractINN = inn
		return nil
	}); err != nil {
		return nil, err
	}
	if err := eachRow(ctx, s.read, `SELECT d.learner_id, d.answers FROM ddo_result d WHERE d.learner_id IN `+of+`
		ORDER BY d.learner_id, d.taken_on, d.id`, a, func(r *sql.Rows) error {
		var id int64
		var answers string
		if err := r.Scan(&id, &answers); err != nil {
			return err
		}
		a, err := ddo.ParseAnswers(answers)
		if err != nil {
			return nil // a damaged sheet is left out, not fatal
		}
		res := ddo.Score(a)
		out[index[id]].DDO = &res
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// Places returns the region's open vacancies as routing places, with their
// links to specialties and their municipality (the employer's, when it is an
// organisation of the region, or the nearest centre to the address), and the
// median of the salaries they offer.
func (s *Routing) Places(ctx context.Context, region string) ([]routing.Place, int, error) {
	munis, err := (&Classifier{s.db}).Municipalities(ctx, region)
	if err != nil {
		return nil, 0, wrap("places", err)
	}
	var out []routing.Place
	index := map[string]int{}
	err = eachRow(ctx, s.read, `SELECT v.id, v.title, v.employer_name, v.employer_inn, COALESCE(o.municipality_id, 0), v.lat, v.lon,
		v.salary_min, v.salary_max, v.schedule, v.education, v.work_places
		FROM vacancy v LEFT JOIN organisation o ON o.region_code = v.region_code AND o.inn = v.employer_inn AND v.employer_inn <> '' AND o.kind = 'employer'
		WHERE v.region_code = $1 AND NOT v.closed ORDER BY v.id`, args{region}, func(r *sql.Rows) error {
		var p routing.Place
		if err := r.Scan(&p.VacancyID, &p.Title, &p.EmployerName, &p.EmployerINN, &p.MunicipalityID, &p.Lat, &p.Lon, &p.SalaryMin, &p.SalaryMax,
			&p.Schedule, &p.Education, &p.WorkPlaces); err != nil {
			return err
		}
		if p.MunicipalityID == 0 && (p.Lat != 0 || p.Lon != 0) {
			best := math.Inf(1)
			for _, m := range munis {
				if d := routing.Distance(p.Lat, p.Lon, m.Lat, m.Lon); d < best {
					best, p.MunicipalityID = d, m.ID
				}
			}
		}
		for _, m := range munis {
			if m.ID == p.MunicipalityID && p.Lat == 0 && p.Lon == 0 {
				p.Lat, p.Lon = m.Lat, m.Lon
			}
		}
		if _, dup := index[p.VacancyID]; !dup {
			index[p.VacancyID] = len(out)
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("store: places: %w", err)
	}
	err = eachRow(ctx, s.read, `SELECT k.vacancy_id, COALESCE(k.specialty_code, ''), k.group_code, k.kind, k.score, k.reason
		FROM vacancy_link k JOIN vacancy v ON v.id = k.vacancy_id WHERE k.region_code = $1 AND NOT v.closed`, args{region}, func(r *sql.Rows) error {
		var l vacancy.Link
		if err := r.Scan(&l.VacancyID, &l.SpecialtyCode, &l.GroupCode, &l.Kind, &l.Score, &l.Reason); err != nil {
			return err
		}
		if i, ok := index[l.VacancyID]; ok {
			out[i].Links = append(out[i].Links, l)
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("store: places: %w", err)
	}
	var pays []int
	for _, p := range out {
		switch {
		case p.SalaryMin > 0 && p.SalaryMax > 0:
			pays = append(pays, (p.SalaryMin+p.SalaryMax)/2)
		case p.SalaryMin > 0:
			pays = append(pays, p.SalaryMin)
		}
	}
	median := 0
	if len(pays) > 0 {
		slices.Sort(pays)
		median = pays[len(pays)/2]
	}
	return out, median, nil
}

// VisibleLearners returns which of the learners the caller sees.
func (s *Routing) VisibleLearners(ctx context.Context, sc auth.Scope, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	for start := 0; start < len(ids); start += 500 {
		var a args
		err := eachRow(ctx, s.read, `SELECT l.id FROM learner l WHERE l.id IN (`+a.in(ids[start:min(len(ids), start+500)])+`) AND `+
			learnerScope(sc, "l", &a), a, func(r *sql.Rows) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			out[id] = true
			return nil
		})
		if err != nil {
			return nil, wrap("visible learners", err)
		}
	}
	return out, nil
}
