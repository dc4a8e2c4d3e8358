package measures

import (
	"context"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/history"
)

// Store is what the measures need from storage. Every method keeps to what
// the scope sees: a record outside it is not found.
type Store interface {
	CreateProgramme(ctx context.Context, sc auth.Scope, p *Programme) error
	Programmes(ctx context.Context, sc auth.Scope, f Filter) ([]Programme, int, error)
	Programme(ctx context.Context, sc auth.Scope, id int64) (Programme, error)
	// UpdateProgramme rewrites a programme the scope sees in one
	// transaction: it reads the programme and its groups, lets check refuse,
	// writes the new values and records the changed fields.
	UpdateProgramme(ctx context.Context, sc auth.Scope, p *Programme, check func(old Programme, groups []Group) error) error
	// History returns the edits of an object of the region, the latest first.
	History(ctx context.Context, region string, kind history.Kind, id int64) ([]history.Entry, error)
	CreateGroup(ctx context.Context, sc auth.Scope, g *Group) error
	Groups(ctx context.Context, sc auth.Scope, programmeID int64) ([]Group, error)
	Group(ctx context.Context, sc auth.Scope, id int64) (Group, error)
	// Enrol writes an enrolment in one transaction: it reads the group with
	// its places taken and the person's birth year, lets check refuse, and
	// inserts the enrolment (and the person, when not a learner).
	Enrol(ctx context.Context, sc auth.Scope, e *Enrolment, check func(g Group) error) error
	Enrolments(ctx context.Context, sc auth.Scope, groupID int64) ([]Enrolment, error)
	Enrolment(ctx context.Context, sc auth.Scope, id int64) (Enrolment, error)
	// ChangeEnrolment reads an enrolment in a transaction, lets change
	// refuse or alter its status, dates and job, and writes them, provided
	// the status did not change meanwhile.
	ChangeEnrolment(ctx context.Context, sc auth.Scope, id int64, change func(e *Enrolment) error, at time.Time) error
	// ChangeEnrolments is ChangeEnrolment for several, in one transaction:
	// all or none.
	ChangeEnrolments(ctx context.Context, sc auth.Scope, ids []int64, change func(e *Enrolment) error, at time.Time) error
	Facts(ctx context.Context, sc auth.Scope, f FigureFilter) ([]Fact, error)
	// Graduates returns the graduates the caller sees who were
	// without work six months after graduation and whose status a year on
	// is known, with their first enrolment in a programme.
	Graduates(ctx context.Context, sc auth.Scope) ([]Graduate, error)
}
