package referral

import (
	"context"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/history"
)

// Store is what the referrals need from storage. Every method keeps to what
// the scope sees: a record outside it is not found.
type Store interface {
	CreateOffering(ctx context.Context, sc auth.Scope, s *Offering) error
	// UpdateOffering rewrites a service of the scope's centre (or any,
	// for the region) with o in a transaction, after check has compared o
	// with the stored one (the places already taken among others).
	UpdateOffering(ctx context.Context, sc auth.Scope, id int64, o *Offering, check func(old Offering) error) error
	Offerings(ctx context.Context, sc auth.Scope, f Filter) ([]Offering, int, error)
	Offering(ctx context.Context, sc auth.Scope, id int64) (Offering, error)
	// History returns the edits of an object of the region, the latest first.
	History(ctx context.Context, region string, kind history.Kind, id int64) ([]history.Entry, error)
	// Refer writes a referral in one transaction: it reads the person in
	// the scope, the service with its places taken (locked) or the
	// vacancy, lets check refuse, then inserts the referral; a referral to
	// training enrols the person in the service's group (refused by
	// measures.CheckEnrol as any enrolment is), and a referral made in a
	// case is recorded as an action of the case.
	Refer(ctx context.Context, sc auth.Scope, r *Referral, check func(p Person, s *Offering) error) error
	Referrals(ctx context.Context, sc auth.Scope, f RefFilter) ([]Referral, int, error)
	Referral(ctx context.Context, sc auth.Scope, id int64) (Referral, error)
	// ChangeReferral reads a referral of the scope's centre in a
	// transaction, lets change refuse or set its status, and writes it; a
	// hire becomes a period of work in the person's employment history,
	// from the day given, with the vacancy's employer.
	ChangeReferral(ctx context.Context, sc auth.Scope, id int64, change func(r *Referral) error, at time.Time) error
}
