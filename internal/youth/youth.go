// Package youth is the young person's own side of the route: the consents a
// parent gives for a minor, the responses of a graduate to vacancies and the
// employer's answers to them, the proposals of the region's matching as the
// graduate and the employer see them, and the inbox of notices every user
// gets about what concerns them.
package youth

import (
	"strings"
	"time"
	"unicode/utf8"

	"marshrut/internal/apperr"
)

// ConsentKind is what a consent allows.
type ConsentKind string

const (
	// PersonalData is the consent to the processing of personal data.
	PersonalData ConsentKind = "personal_data"
	// TargetedContract is the consent to apply for a contract of targeted education.
	TargetedContract ConsentKind = "targeted"
)

// ConsentKinds lists the consents a parent gives for a minor.
var ConsentKinds = []ConsentKind{PersonalData, TargetedContract}

// Name is the Russian name of the consent.
func (k ConsentKind) Name() string {
	switch k {
	case PersonalData:
		return "Согласие на обработку персональных данных"
	case TargetedContract:
		return "Согласие на заключение договора о целевом обучении"
	}
	return string(k)
}

// Valid reports whether k is one of ConsentKinds.
func (k ConsentKind) Valid() bool { return k == PersonalData || k == TargetedContract }

// Consent is one decision of a parent: given or withdrawn, when and by whom.
// The history is kept; the latest decision of a kind is the one in force.
type Consent struct {
	ID        int64
	LearnerID int64
	Kind      ConsentKind
	Given     bool
	ByUserID  int64
	ByName    string // read back
	At        time.Time
}

// Consents is the state of a learner's consents: the latest of each kind.
type Consents map[ConsentKind]Consent

// Has reports whether the consent of kind k is given and not withdrawn.
func (c Consents) Has(k ConsentKind) bool { return c[k].Given }

// Adult is the age from which a person gives consents themself.
const Adult = 18

// Minor reports whether a person born on birth is under 18 at now.
func Minor(birth, now time.Time) bool {
	if birth.IsZero() {
		return false
	}
	return birth.AddDate(Adult, 0, 0).After(now)
}

// ResponseStatus is where a response stands.
type ResponseStatus string

const (
	Sent     ResponseStatus = "sent"
	Viewed   ResponseStatus = "viewed"
	Invited  ResponseStatus = "invited"
	Accepted ResponseStatus = "accepted"
	Declined ResponseStatus = "declined"
	// Withdrawn is a response the young person took back.
	Withdrawn ResponseStatus = "withdrawn"
)

// ResponseStatuses lists the statuses in the order of the way.
var ResponseStatuses = []ResponseStatus{Sent, Viewed, Invited, Accepted, Declined, Withdrawn}

// Name is the Russian name of the status.
func (s ResponseStatus) Name() string {
	switch s {
	case Sent:
		return "отправлен"
	case Viewed:
		return "просмотрен"
	case Invited:
		return "приглашение на собеседование"
	case Accepted:
		return "принят на работу"
	case Declined:
		return "отказ"
	case Withdrawn:
		return "отозван"
	}
	return string(s)
}

// Final reports whether nothing follows the status.
func (s ResponseStatus) Final() bool { return s == Accepted || s == Declined || s == Withdrawn }

// Next lists the statuses the employer may move a response to.
func (s ResponseStatus) Next() []ResponseStatus {
	switch s {
	case Sent:
		return []ResponseStatus{Viewed, Invited, Declined}
	case Viewed:
		return []ResponseStatus{Invited, Declined}
	case Invited:
		return []ResponseStatus{Accepted, Declined}
	}
	return nil
}

// Response is a graduate's answer to a vacancy, with what they chose to show.
type Response struct {
	ID         int64
	RegionCode string
	LearnerID  int64
	VacancyID  string
	EmployerID int64 // the organisation of the region whose INN the vacancy names
	Message    string
	Contact    string // what the young person chose to show for the employer to reach them
	Status     ResponseStatus
	Reason     string // why declined
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Read back for pages.
	Vacancy       string
	Employer      string
	Learner       string // the name, for the employer
	SpecialtyCode string
	SpecialtyName string
	OrgName       string
	Year          int
	AvgGrade      float64
	DemoExam      int
}

// ResponseFilter selects responses.
type ResponseFilter struct {
	Status        ResponseStatus
	VacancyID     string
	Limit, Offset int
}

// MaxMessage is the longest message of a response, in characters.
const MaxMessage = 1000

// Validate cleans the fields a young person types and checks them.
func (r *Response) Validate() error {
	var errs apperr.List
	r.Message = strings.TrimSpace(r.Message)
	r.Contact = strings.TrimSpace(r.Contact)
	if r.VacancyID == "" {
		errs.Add("vacancy", "укажите вакансию")
	}
	if utf8.RuneCountInString(r.Message) > MaxMessage {
		errs.Add("message", "сообщение длиннее %d знаков", MaxMessage)
	}
	if utf8.RuneCountInString(r.Contact) > 200 {
		errs.Add("contact", "контакт длиннее 200 знаков")
	}
	return errs.Err()
}

// Message is one notice in a user's inbox: short, with a link to where the
// matter is. It holds no personal field beyond what its reader may see.
type Message struct {
	ID        int64
	UserID    int64
	Kind      string // response, status, proposal, consent, case, deadline
	Text      string
	Link      string
	CreatedAt time.Time
	ReadAt    time.Time
}

// Notice is a message to be delivered to everyone it concerns: the users of
// a learner (themself and their parents) or of an organisation.
type Notice struct {
	LearnerID int64 // to the learner's own account and their parents'
	OrgID     int64 // to the staff of an organisation
	Kind      string
	Text      string
	Link      string
}

// Invite is a one-time code a school or college gives a parent to open an
// account linked to the child.
type Invite struct {
	LearnerID int64
	CodeHash  string
	CreatedBy int64
	ExpiresAt time.Time
}
