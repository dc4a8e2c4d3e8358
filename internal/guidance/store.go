package guidance

import (
	"context"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/history"
)

// Store is what guidance needs from storage. Methods that touch persons take
// the caller's scope and apply it in their queries.
type Store interface {
	CreateEvent(ctx context.Context, e *Event) error
	// UpdateEvent changes an event of e's region: it reads the event as it
	// is in the edit's transaction, refuses the edit when check does, and
	// writes the edit and its record in history together.
	UpdateEvent(ctx context.Context, e *Event, check func(before Event) error) error
	// History returns the edits of an object of the region, the latest first.
	History(ctx context.Context, region string, kind history.Kind, id int64) ([]history.Entry, error)
	Event(ctx context.Context, region string, id int64) (Event, error)
	Events(ctx context.Context, region string, f EventFilter) ([]Event, int, error)
	Book(ctx context.Context, region string, eventID, schoolID int64, seats int) error
	Bookings(ctx context.Context, eventID int64) ([]Booking, error)
	AddParticipants(ctx context.Context, sc auth.Scope, eventID int64, ids []int64) (int, error)
	RemoveParticipant(ctx context.Context, sc auth.Scope, eventID, learnerID int64) error
	Participants(ctx context.Context, sc auth.Scope, eventID int64) ([]Pupil, error)
	Inform(ctx context.Context, sc auth.Scope, recs []Informing) error
	Informings(ctx context.Context, sc auth.Scope, learnerID int64) ([]Informing, error)
	LearnerEvents(ctx context.Context, sc auth.Scope, learnerID int64) ([]Event, error)
	SetLevel(ctx context.Context, region string, orgID int64, year SchoolYear, level Level) error
	Level(ctx context.Context, orgID int64, year SchoolYear) (Level, bool, error)
	Coverage(ctx context.Context, sc auth.Scope, year SchoolYear, by string) ([]Coverage, Coverage, error)
	Trend(ctx context.Context, sc auth.Scope, year SchoolYear, now time.Time) ([]MonthPoint, error)
	Pupils(ctx context.Context, sc auth.Scope, year SchoolYear, f PupilFilter) ([]Pupil, int, error)
	Classes(ctx context.Context, sc auth.Scope, orgID int64) ([]Class, error)
	SaveDiagnostic(ctx context.Context, sc auth.Scope, d *Diagnostic) error
	Diagnostics(ctx context.Context, sc auth.Scope, learnerID int64) ([]Diagnostic, error)
}
