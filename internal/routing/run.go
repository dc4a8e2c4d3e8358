package routing

import "time"

// Mode is how a run matches.
type Mode string

const (
	Stable  Mode = "stable"  // graduate-proposing deferred acceptance
	Optimal Mode = "optimal" // the most welfare, stability aside
)

// RunStatus is where a run stands.
type RunStatus string

const (
	Running  RunStatus = "running"
	Finished RunStatus = "finished"
	Failed   RunStatus = "failed"
)

// Name is the Russian name of the status.
func (s RunStatus) Name() string {
	switch s {
	case Running:
		return "идёт расчёт"
	case Finished:
		return "готово"
	case Failed:
		return "ошибка"
	}
	return string(s)
}

// Run is one matching of the region's candidates to its vacancies.
type Run struct {
	ID             int64
	RegionCode     string
	Round          int // 1 for the first; a later round places who is left
	Mode           Mode
	Seed           uint64
	GraduationYear int
	Status         RunStatus
	JobID          int64
	Candidates     int
	Vacancies      int
	Places         int // work places of those vacancies
	Edges          int
	Matched        int
	FirstChoice    int // matched to their first choice
	Welfare        int64
	OptimalWelfare int64 // of the welfare-optimal matching of the same instance
	OptimalMatched int
	Blocking       int
	Contracts      int // holders of target contracts placed with their employer
	Holders        int // candidates holding a target contract
	MaxMatched     int // the most that could be placed at all: a maximum matching of the compatibility graph
	// Why the candidates not placed are not, by Unplaced.
	UnplacedNone, UnplacedWishes, UnplacedTaken, UnplacedOutranked int
	Scored                                                         int64 // candidate–vacancy pairs the run scored
	OptimalProven                                                  bool  // the optimal mode's prices prove it optimal over every compatible pair
	Seconds                                                        float64
	Error                                                          string
	CreatedBy                                                      int64
	CreatedAt                                                      time.Time
	FinishedAt                                                     time.Time
	// Counted over the proposals, read back.
	Sent, Accepted, Declined int
}

// FirstChoiceShare is the share of matched candidates placed at their first choice.
func (r Run) FirstChoiceShare() float64 {
	if r.Matched == 0 {
		return 0
	}
	return float64(r.FirstChoice) / float64(r.Matched)
}

// MaxShare is the placed over the most that could be placed; 0 when unknown.
func (r Run) MaxShare() float64 {
	if r.MaxMatched == 0 {
		return 0
	}
	return float64(r.Matched) / float64(r.MaxMatched)
}

// PriceOfStability is the optimal welfare over the stable one, ≥ 1; 0 when unknown.
func (r Run) PriceOfStability() float64 {
	if r.Welfare == 0 {
		return 0
	}
	return float64(r.OptimalWelfare) / float64(r.Welfare)
}

// ProposalStatus is where a proposal stands.
type ProposalStatus string

const (
	Proposed  ProposalStatus = "proposed"  // made by the run, not yet sent
	Sent      ProposalStatus = "sent"      // sent to the graduate and the employer
	Accepted  ProposalStatus = "accepted"  // the graduate was hired
	Declined  ProposalStatus = "declined"  // one side said no
	Unmatched ProposalStatus = "unmatched" // the run found no place; Reasons says why
)

// Name is the Russian name of the status.
func (s ProposalStatus) Name() string {
	switch s {
	case Proposed:
		return "предложено"
	case Sent:
		return "направлено"
	case Accepted:
		return "принято, трудоустроен"
	case Declined:
		return "отказ"
	case Unmatched:
		return "без места"
	}
	return string(s)
}

// Proposal is a run's proposal of a vacancy to a candidate, or the
// candidate's being left without one.
type Proposal struct {
	ID            int64
	RunID         int64
	LearnerID     int64
	Learner       string // read back
	OrgName       string // read back
	SpecialtyCode string // read back
	VacancyID     string // empty when unmatched
	Vacancy       string // title, read back
	Employer      string // read back
	Choice        int    // the rank of the vacancy in the candidate's list, 1 first; 0 when unmatched
	GraduateScore int
	EmployerScore int
	Contract      bool   // a target-contract placement
	ContractNote  string // why a holder of a target contract is not placed with the employer
	Reasons       string
	Status        ProposalStatus
	DecidedAt     time.Time
}

// ProposalFilter selects a run's proposals.
type ProposalFilter struct {
	RunID         int64
	Status        ProposalStatus
	LearnerID     int64
	Holders       bool // only holders of target contracts not placed with the employer
	Limit, Offset int
}

// Preference is what a graduate wants of a job.
type Preference struct {
	LearnerID int64
	Relocate  bool
	MinSalary int
	Schedule  string
}
