package sso

import (
	"context"
	"strings"
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
	// GuardiansBySNILS are the active parents' accounts of the region's
	// learner with this СНИЛС.
	GuardiansBySNILS(ctx context.Context, region, snils string) ([]Guardian, error)
}

// Guardian is a parent's account as the sign-in through Госуслуги matches
// it: the name the parent gave and the birth date of the child.
type Guardian struct {
	UserID         int64
	Name           string
	ChildBirthDate time.Time
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

// ErrUnconfirmed is the answer to a person whose account of Госуслуги is
// not confirmed: ЕСИА has not checked the СНИЛС it gives.
var ErrUnconfirmed = apperr.New(apperr.Forbidden, "Ваша учётная запись на Госуслугах не подтверждена, поэтому по ней нельзя войти в «Маршрут». "+
	"Подтвердите её в центре обслуживания или онлайн через банк либо войдите по логину и паролю.")

// ErrSeveralGuardians is the answer to a parent whose children each have a
// parent's account of their own: Госуслуги name one person, the accounts
// are several, and which to open is the person's choice.
var ErrSeveralGuardians = apperr.New(apperr.Forbidden, "С вашими данными на Госуслугах совпадает несколько кабинетов родителя в «Маршруте» (у каждого ребёнка свой). "+
	"Войдите в нужный по логину и паролю.")

// ESIAAccount is the account of a person Госуслуги signed in: the one
// linked to the oid; or else the learner's own account the СНИЛС of a
// confirmed person finds; or else the parent's account of a learner whose
// СНИЛС is one of the person's children's, under the person's name. The
// account found is linked to the oid. Nothing is created: a person nobody
// matches is refused with whom to ask.
func (s *Service) ESIAAccount(ctx context.Context, p ESIAPerson) (int64, error) {
	if !p.Trusted {
		return 0, ErrUnconfirmed
	}
	if p.OID == "" {
		return 0, ErrUnknown
	}
	uid, err := s.Account(ctx, p.Identity(ESIAIssuer), BySNILS)
	if err == nil || err != ErrUnknown {
		return uid, err
	}
	found := map[int64]bool{}
	for _, k := range p.Kids {
		snils := Digits(k.SNILS)
		if len(snils) != 11 {
			continue
		}
		gs, err := s.accounts.GuardiansBySNILS(ctx, s.region, snils)
		if err != nil {
			return 0, err
		}
		born, bornErr := time.Parse("02.01.2006", k.BirthDate)
		for _, g := range gs {
			// A child's birth date ЕСИА gives must be the learner's.
			if bornErr == nil && !g.ChildBirthDate.IsZero() && g.ChildBirthDate.Format(time.DateOnly) != born.Format(time.DateOnly) {
				continue
			}
			if sameName(g.Name, p) {
				found[g.UserID] = true
			}
		}
	}
	switch len(found) {
	case 0:
		return 0, ErrUnknown
	case 1:
	default:
		return 0, ErrSeveralGuardians
	}
	for id := range found {
		uid = id
	}
	if err := s.accounts.LinkUser(ctx, ESIAIssuer, p.OID, uid, s.now()); err != nil {
		return 0, err
	}
	return uid, nil
}

// sameName tells whether the name a parent gave in Marshrut is the
// person's of Госуслуги: surname and first name both there, every word one
// of the person's names, in any order, with «ё» read as «е».
func sameName(account string, p ESIAPerson) bool {
	last, first, middle := normName(p.LastName), normName(p.FirstName), normName(p.MiddleName)
	if last == "" || first == "" {
		return false
	}
	var hasLast, hasFirst bool
	words := strings.Fields(normName(account))
	for _, w := range words {
		switch w {
		case last:
			hasLast = true
		case first:
			hasFirst = true
		case middle:
		default:
			return false
		}
	}
	return hasLast && hasFirst
}

func normName(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(strings.ToLower(s), "ё", "е")), " ")
}
