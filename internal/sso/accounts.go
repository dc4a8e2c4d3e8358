package sso

import (
	"context"
	"time"

	"marshrut/internal/apperr"
)

// Accounts is what signing in needs from storage: the links of a provider's
// subjects to accounts, and the accounts a claim names.
type Accounts interface {
	// LinkedUser is the account linked to a provider's subject; apperr.NotFound when none.
	LinkedUser(ctx context.Context, issuer, subject string) (int64, error)
	// FindUsers are the active accounts of the region a claim names: by the
	// address a user gave, by a learner's СНИЛС (the learner's own account),
	// or by login.
	FindUsers(ctx context.Context, region string, by Match, value string) ([]int64, error)
	// LinkUser links a provider's subject to an account.
	LinkUser(ctx context.Context, issuer, subject string, userID int64, at time.Time) error
}

// ErrUnknown is the answer to a person the provider knows and Marshrut does not.
var ErrUnknown = apperr.New(apperr.Forbidden, "Вход подтверждён, но в «Маршруте» нет учётной записи, связанной с вами. "+
	"Ученику, студенту или родителю: попросите в своей школе или колледже приглашение и откройте кабинет по его коду. "+
	"Сотруднику организации: обратитесь к администратору «Маршрута» в регионе.")

// Service finds the account of a person a provider signed in.
type Service struct {
	accounts Accounts
	region   string
	now      func() time.Time
}

// NewService builds the service for the installation's region.
func NewService(a Accounts, region string, now func() time.Time) *Service {
	return &Service{accounts: a, region: region, now: now}
}

// Account is the account of the person: the one linked to the subject, or
// else the one the claim names, which is then linked. Only one account may
// answer a claim; none, or several, and the person is refused.
func (s *Service) Account(ctx context.Context, id Identity, by Match) (int64, error) {
	uid, err := s.accounts.LinkedUser(ctx, id.Issuer, id.Subject)
	if err == nil {
		return uid, nil
	}
	if !apperr.Is(err, apperr.NotFound) {
		return 0, err
	}
	var value string
	switch by {
	case ByEmail:
		// An address the provider has not checked names nobody.
		if id.EmailVerified {
			value = id.Email
		}
	case BySNILS:
		if len(id.SNILS) == 11 {
			value = id.SNILS
		}
	case ByLogin:
		value = id.Login
	}
	if value == "" {
		return 0, ErrUnknown
	}
	ids, err := s.accounts.FindUsers(ctx, s.region, by, value)
	if err != nil {
		return 0, err
	}
	if len(ids) != 1 {
		return 0, ErrUnknown
	}
	if err := s.accounts.LinkUser(ctx, id.Issuer, id.Subject, ids[0], s.now()); err != nil {
		return 0, err
	}
	return ids[0], nil
}
