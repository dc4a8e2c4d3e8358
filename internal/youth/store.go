package youth

import (
	"context"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/routing"
)

// Store is what the young person's side needs from storage. Every method
// takes the caller's scope and sees only what it may.
type Store interface {
	Consents(ctx context.Context, sc auth.Scope, learnerID int64) ([]Consent, error)
	// SetConsent records a decision and notifies the learner's accounts.
	SetConsent(ctx context.Context, sc auth.Scope, c *Consent) error

	// Respond stores a response to a vacancy of the region and notifies the
	// employer's staff; a second response to the same vacancy is a conflict.
	Respond(ctx context.Context, sc auth.Scope, r *Response) error
	Responses(ctx context.Context, sc auth.Scope, f ResponseFilter) ([]Response, int, error)
	Response(ctx context.Context, sc auth.Scope, id int64) (Response, error)
	// MoveResponse checks the move with fn and, when it passes, writes it and
	// notifies the other side.
	MoveResponse(ctx context.Context, sc auth.Scope, id int64, fn func(*Response) error) (Response, error)

	// MyProposals are the sent and answered proposals of matching that concern
	// the caller: a graduate's own, or those to the employer's vacancies.
	MyProposals(ctx context.Context, sc auth.Scope, limit int) ([]routing.Proposal, error)
	// AnswerProposal records the graduate's or the employer's answer to a
	// sent proposal; accepted, it becomes employment as matching's own path.
	AnswerProposal(ctx context.Context, sc auth.Scope, id int64, to routing.ProposalStatus) error

	Messages(ctx context.Context, sc auth.Scope, limit int) ([]Message, int, error)
	ReadMessages(ctx context.Context, sc auth.Scope) error
	Notify(ctx context.Context, n Notice) error

	CreateInvite(ctx context.Context, sc auth.Scope, in Invite) error
	// AcceptInvite finds an unused, unexpired invite by its code's hash,
	// marks it used and creates the parent's account u for its learner, in
	// one transaction.
	AcceptInvite(ctx context.Context, codeHash string, now time.Time, u *auth.User, passwordHash string) error
	Guardians(ctx context.Context, sc auth.Scope, learnerID int64) ([]auth.User, error)

	StudyProgrammes(ctx context.Context, region string, groupPrefixes []string, limit int) ([]Programme, error)
	Trials(ctx context.Context, sc auth.Scope, now time.Time, limit int) ([]Trial, error)
	// SignUp books the learner one place on a bookable event of their grade
	// that has not taken place and has a free place.
	SignUp(ctx context.Context, sc auth.Scope, eventID int64, now time.Time) error

	Profile(ctx context.Context, sc auth.Scope, learnerID int64) (Profile, []Achievement, error)
	SaveProfile(ctx context.Context, sc auth.Scope, p Profile) error
	AddAchievement(ctx context.Context, sc auth.Scope, a *Achievement) error
	DeleteAchievement(ctx context.Context, sc auth.Scope, id int64) error

	// SetEmail keeps the address a user gave for notices by e-mail.
	SetEmail(ctx context.Context, userID int64, email string) error
	Email(ctx context.Context, userID int64) (string, error)
}
