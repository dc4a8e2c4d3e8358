package routing

import (
	"context"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

// BulkAction is what is done at once to the proposals of a run that a
// filter selects.
type BulkAction string

// The bulk actions on a run's proposals.
const (
	BulkSend     BulkAction = "send"     // proposed → sent: the graduates and employers get them
	BulkWithdraw BulkAction = "withdraw" // sent → proposed: taken back before anyone answered
	BulkResend   BulkAction = "resend"   // sent, again: a reminder, the day of sending renewed
)

// BulkActions are the actions in the order forms list them.
var BulkActions = []BulkAction{BulkSend, BulkWithdraw, BulkResend}

// Name is the Russian name of the action, as a verb.
func (a BulkAction) Name() string {
	switch a {
	case BulkSend:
		return "направить"
	case BulkWithdraw:
		return "отозвать"
	case BulkResend:
		return "направить повторно"
	}
	return string(a)
}

// Done is the Russian past participle of the action, for the count.
func (a BulkAction) Done() string {
	switch a {
	case BulkSend:
		return "направлено"
	case BulkWithdraw:
		return "отозвано"
	case BulkResend:
		return "направлено повторно"
	}
	return string(a)
}

// From is the status the action takes proposals from; To the one it leaves
// them in.
func (a BulkAction) From() ProposalStatus {
	if a == BulkSend {
		return Proposed
	}
	return Sent
}

// To is the status the action leaves proposals in.
func (a BulkAction) To() ProposalStatus {
	if a == BulkWithdraw {
		return Proposed
	}
	return Sent
}

// Valid reports whether a is a known action.
func (a BulkAction) Valid() bool { return a == BulkSend || a == BulkWithdraw || a == BulkResend }

// Bulk selects the proposals of a run an action applies to: all of them in
// the status it takes, or those of one municipality (where the graduate
// lives), one college or university, one specialty.
type Bulk struct {
	RunID          int64
	Action         BulkAction
	MunicipalityID int64
	OrgID          int64
	SpecialtyCode  string
}

// BulkStore is what the bulk actions need from storage.
type BulkStore interface {
	// CountBulk counts the proposals b selects that the scope sees.
	CountBulk(ctx context.Context, sc auth.Scope, b Bulk) (int, error)
	// ApplyBulk applies b in one transaction, provided the proposals it
	// selects are still expect in number, and answers how many it changed.
	ApplyBulk(ctx context.Context, sc auth.Scope, b Bulk, expect int) (int, error)
}

func (s *Service) checkBulk(sc auth.Scope, b Bulk) error {
	if !CanRun(sc) {
		return apperr.New(apperr.Forbidden, "предложения рассматривают специалисты центра занятости и региона")
	}
	if !b.Action.Valid() {
		return apperr.Field("action", "неизвестное действие «%s»: допустимы send, withdraw, resend", b.Action)
	}
	return nil
}

// CountBulk says how many proposals an action would change, for the
// confirmation.
func (s *Service) CountBulk(ctx context.Context, sc auth.Scope, b Bulk) (int, error) {
	if err := s.checkBulk(sc, b); err != nil {
		return 0, err
	}
	if _, err := s.Run(ctx, sc, b.RunID); err != nil {
		return 0, err
	}
	return s.store.CountBulk(ctx, sc, b)
}

// ApplyBulk applies an action to the proposals it selects once the person
// has confirmed their number: when it changed meanwhile (someone else sent
// some), nothing is done and the new number is said.
func (s *Service) ApplyBulk(ctx context.Context, sc auth.Scope, b Bulk, expect int) (int, error) {
	if err := s.checkBulk(sc, b); err != nil {
		return 0, err
	}
	if _, err := s.Run(ctx, sc, b.RunID); err != nil {
		return 0, err
	}
	if expect <= 0 {
		return 0, apperr.Field("expect", "подтвердите число предложений: сначала посчитайте их")
	}
	return s.store.ApplyBulk(ctx, sc, b, expect)
}
