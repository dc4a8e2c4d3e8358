package mentor

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"marshrut/internal/apperr"
	"marshrut/internal/engine/match"
)

// Candidate is a learner who could get a mentor: a learner of the
// programme's organisation without an active pair.
type Candidate struct {
	LearnerID     int64
	Name          string
	OrgID         int64
	SpecialtyCode string
	Course        int
	// PracticeEmployerID is the enterprise of the learner's latest practice, 0 when none.
	PracticeEmployerID int64
	// Risk is the probability of not finding work, 0–1, from the early
	// warning model; negative when it is not known.
	Risk float64
}

// Proposal is a pair the engine proposes and a coordinator may accept.
type Proposal struct {
	Mentor    Mentor
	Candidate Candidate
	Fit       int      // 0–1000: how well the two suit each other
	Why       []string // the reasons, in Russian
}

// Points of fit between a mentor and a candidate.
const (
	fitSpecialty  = 600 // the same ОКСО specialty
	fitGroup      = 350 // the same enlarged group (УГС)
	fitAny        = 250 // a mentor of no particular specialty
	fitEnterprise = 300 // the candidate's practice was at the mentor's enterprise
	fitOrg        = 100 // a senior learner of the same organisation
	fitMin        = 250 // below this the two are not proposed at all
	riskWeight    = 500 // a certain risk weighs this much in the mentor's priority
)

// fit scores a mentor and a candidate and says why.
func fit(m Mentor, c Candidate) (int, []string) {
	score := 0
	var why []string
	switch {
	case m.SpecialtyCode == "":
		score += fitAny
	case m.SpecialtyCode == c.SpecialtyCode:
		score += fitSpecialty
		why = append(why, "та же специальность "+c.SpecialtyCode)
	case len(m.SpecialtyCode) >= 2 && len(c.SpecialtyCode) >= 2 && m.SpecialtyCode[:2] == c.SpecialtyCode[:2]:
		score += fitGroup
		why = append(why, "та же укрупнённая группа "+c.SpecialtyCode[:2]+".00.00")
	}
	if m.EmployerID != 0 && m.EmployerID == c.PracticeEmployerID {
		score += fitEnterprise
		why = append(why, "практика на предприятии наставника")
	}
	if m.Kind == Senior && m.OrgID == c.OrgID {
		score += fitOrg
		why = append(why, "старший обучающийся своей организации")
	}
	return min(score, match.MaxScore), why
}

// priority is how strongly a mentor's place should go to the candidate: the
// fit, and the risk of not finding work, so that those at risk come first.
func priority(f int, risk float64) int {
	p := f / 2
	if risk > 0 {
		p += int(math.Round(math.Min(risk, 1) * riskWeight))
	}
	return min(p, match.MaxScore)
}

// Propose pairs candidates with mentors of the programme's kind that have
// free places, by deferred acceptance: candidates propose by fit, and a
// mentor keeps those of highest priority — fit and, where known, the risk of
// not finding work. The run is seeded by the programme, so the same data
// give the same proposals. Proposals come in the order of the candidates'
// risk (highest first), then of fit.
func Propose(ctx context.Context, prog Programme, mentors []Mentor, cands []Candidate) ([]Proposal, error) {
	b := match.NewBuilder()
	var ms []Mentor
	for _, m := range mentors {
		if m.Active && m.Kind == prog.Form.MentorKind() && m.OrgID == prog.OrgID && m.Free() > 0 {
			if _, err := b.AddVacancy(strconv.FormatInt(m.ID, 10), m.Free()); err != nil {
				return nil, err
			}
			ms = append(ms, m)
		}
	}
	if len(ms) == 0 || len(cands) == 0 {
		return nil, nil
	}
	type edge struct {
		fit int
		why []string
	}
	edges := map[[2]int]edge{}
	for ci, c := range cands {
		gid := strconv.FormatInt(c.LearnerID, 10)
		if _, err := b.AddGraduate(gid); err != nil {
			return nil, err
		}
		for mi, m := range ms {
			f, why := fit(m, c)
			if f < fitMin {
				continue
			}
			if err := b.AddEdge(gid, strconv.FormatInt(m.ID, 10), f, priority(f, c.Risk)); err != nil {
				return nil, err
			}
			edges[[2]int{ci, mi}] = edge{f, why}
		}
	}
	in, err := b.Build()
	if err != nil {
		return nil, err
	}
	res, err := match.Run(ctx, in, match.Options{Mode: match.Stable, Seed: uint64(prog.ID)})
	if err != nil {
		return nil, apperr.Input(err)
	}
	var out []Proposal
	for ci, v := range res.Assignment {
		if v < 0 {
			continue
		}
		e := edges[[2]int{ci, int(v)}]
		why := e.why
		if c := cands[ci]; c.Risk >= 0.5 {
			why = append(why, fmt.Sprintf("высокий риск не трудоустроиться (%.0f\u00a0%%)", c.Risk*100))
		}
		out = append(out, Proposal{Mentor: ms[v], Candidate: cands[ci], Fit: e.fit, Why: why})
	}
	slices.SortStableFunc(out, func(a, b Proposal) int {
		return cmp.Or(cmp.Compare(b.Candidate.Risk, a.Candidate.Risk), cmp.Compare(b.Fit, a.Fit), cmp.Compare(a.Candidate.Name, b.Candidate.Name))
	})
	return out, nil
}
