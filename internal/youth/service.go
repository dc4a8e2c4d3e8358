package youth

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/routing"
)

// Learners is what the service needs to know of a learner: their birth date,
// to tell a minor.
type Learners interface {
	BirthDate(ctx context.Context, sc auth.Scope, learnerID int64) (time.Time, error)
}

// Service holds the rules of the young person's side.
type Service struct {
	store    Store
	learners Learners
	now      func() time.Time
}

// NewService builds the service.
func NewService(s Store, l Learners, now func() time.Time) *Service {
	return &Service{store: s, learners: l, now: now}
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// InviteTTL is how long a parent's invite code works.
const InviteTTL = 14 * 24 * time.Hour

// Consents is the state of a learner's consents, with their history newest first.
func (s *Service) Consents(ctx context.Context, sc auth.Scope, learnerID int64) (Consents, []Consent, error) {
	list, err := s.store.Consents(ctx, sc, learnerID)
	if err != nil {
		return nil, nil, err
	}
	state := Consents{}
	for _, c := range list {
		if _, ok := state[c.Kind]; !ok {
			state[c.Kind] = c
		}
	}
	return state, list, nil
}

// SetConsent gives or withdraws a consent: a parent for their child, an
// adult for themself.
func (s *Service) SetConsent(ctx context.Context, sc auth.Scope, learnerID int64, kind ConsentKind, given bool) error {
	if !kind.Valid() {
		return apperr.Field("kind", "неизвестное согласие «%s»", kind)
	}
	if sc.LearnerID != learnerID || !sc.Own() {
		return apperr.New(apperr.Forbidden, "согласие даёт родитель (законный представитель) или сам совершеннолетний")
	}
	if sc.Role == auth.Learner {
		birth, err := s.learners.BirthDate(ctx, sc, learnerID)
		if err != nil {
			return err
		}
		if Minor(birth, s.now()) {
			return apperr.New(apperr.Forbidden, "до 18 лет согласие даёт родитель или законный представитель")
		}
	}
	return s.store.SetConsent(ctx, sc, &Consent{LearnerID: learnerID, Kind: kind, Given: given, ByUserID: sc.UserID, At: s.now()})
}

// Needs reports whether what needs consent kind may go on for the learner:
// an adult needs none from a parent; a minor needs the parent's. It returns
// a Conflict naming the consent when it is missing.
func (s *Service) Needs(ctx context.Context, sc auth.Scope, learnerID int64, kind ConsentKind) error {
	birth, err := s.learners.BirthDate(ctx, sc, learnerID)
	if err != nil {
		return err
	}
	if !Minor(birth, s.now()) {
		return nil
	}
	state, _, err := s.Consents(ctx, sc, learnerID)
	if err != nil {
		return err
	}
	if !state.Has(kind) {
		// The parent is asked: the notice reaches the child's and the parents' inboxes.
		if err := s.store.Notify(ctx, Notice{LearnerID: learnerID, Kind: "consent", Text: "Нужно согласие родителя: «" + kind.Name() + "»", Link: "/#consents"}); err != nil {
			return err
		}
		return apperr.New(apperr.Conflict, "нужно согласие родителя: «%s». Мы попросили родителя дать его в личном кабинете.", kind.Name())
	}
	return nil
}

// TargetedConsent is the check of an application for targeted education:
// a minor's waits for the parent's consent to the contract.
func (s *Service) TargetedConsent(ctx context.Context, sc auth.Scope, learnerID int64) error {
	return s.Needs(ctx, sc, learnerID, TargetedContract)
}

// Respond sends a graduate's response to a vacancy in one step.
func (s *Service) Respond(ctx context.Context, sc auth.Scope, vacancyID, message, contact string) (Response, error) {
	if sc.Role != auth.Learner {
		return Response{}, apperr.New(apperr.Forbidden, "откликается на вакансию сам молодой человек")
	}
	if err := s.Needs(ctx, sc, sc.LearnerID, PersonalData); err != nil {
		return Response{}, err
	}
	r := Response{LearnerID: sc.LearnerID, RegionCode: sc.RegionCode, VacancyID: vacancyID, Message: message, Contact: contact,
		Status: Sent, CreatedAt: s.now(), UpdatedAt: s.now()}
	if err := r.Validate(); err != nil {
		return r, err
	}
	return r, s.store.Respond(ctx, sc, &r)
}

// Responses lists the responses the caller sees: a young person's own, or
// those to the employer's vacancies.
func (s *Service) Responses(ctx context.Context, sc auth.Scope, f ResponseFilter) ([]Response, int, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	return s.store.Responses(ctx, sc, f)
}

// Response is one response; the employer's first look marks it viewed.
func (s *Service) Response(ctx context.Context, sc auth.Scope, id int64) (Response, error) {
	r, err := s.store.Response(ctx, sc, id)
	if err != nil || sc.Role != auth.Employer || r.Status != Sent {
		return r, err
	}
	return s.store.MoveResponse(ctx, sc, id, func(x *Response) error {
		if x.Status == Sent {
			x.Status = Viewed
		}
		return nil
	})
}

// Answer is the employer's decision on a response; a refusal names its reason.
func (s *Service) Answer(ctx context.Context, sc auth.Scope, id int64, to ResponseStatus, reason string) (Response, error) {
	reason = strings.TrimSpace(reason)
	known := false
	for _, x := range ResponseStatuses {
		known = known || x == to
	}
	if !known || to == Sent {
		return Response{}, apperr.Field("to", "неизвестное решение по отклику «%s»", to)
	}
	return s.store.MoveResponse(ctx, sc, id, func(r *Response) error {
		switch {
		case sc.Role == auth.Learner && to == Withdrawn:
			if r.Status.Final() {
				return apperr.New(apperr.Conflict, "отклик уже %s", r.Status.Name())
			}
		case sc.Role == auth.Employer && sc.OrgID == r.EmployerID:
			ok := false
			for _, n := range r.Status.Next() {
				ok = ok || n == to
			}
			if !ok {
				return apperr.New(apperr.Conflict, "отклик в состоянии «%s» нельзя перевести в «%s»", r.Status.Name(), to.Name())
			}
			if to == Declined && reason == "" {
				return apperr.Field("reason", "назовите причину отказа: молодой человек увидит её")
			}
		default:
			return apperr.New(apperr.Forbidden, "отвечает на отклик работодатель вакансии")
		}
		r.Status, r.UpdatedAt = to, s.now()
		if to == Declined {
			r.Reason = reason
		}
		return nil
	})
}

// Proposals are the proposals of matching that concern the caller.
func (s *Service) Proposals(ctx context.Context, sc auth.Scope) ([]routing.Proposal, error) {
	if sc.Role != auth.Employer && !sc.Own() {
		return nil, apperr.New(apperr.Forbidden, "свои предложения видят выпускник и работодатель")
	}
	return s.store.MyProposals(ctx, sc, 100)
}

// AnswerProposal accepts or declines a sent proposal, by the graduate or the employer.
func (s *Service) AnswerProposal(ctx context.Context, sc auth.Scope, id int64, accept bool) error {
	if sc.Role != auth.Employer && sc.Role != auth.Learner {
		return apperr.New(apperr.Forbidden, "на предложение отвечают выпускник и работодатель")
	}
	to := routing.Declined
	if accept {
		to = routing.Accepted
	}
	return s.store.AnswerProposal(ctx, sc, id, to)
}

// Messages is the caller's inbox, newest first, with the count unread.
func (s *Service) Messages(ctx context.Context, sc auth.Scope, limit int) ([]Message, int, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	return s.store.Messages(ctx, sc, limit)
}

// ReadMessages marks the caller's inbox read.
func (s *Service) ReadMessages(ctx context.Context, sc auth.Scope) error {
	return s.store.ReadMessages(ctx, sc)
}

// Notify delivers a notice to everyone it concerns.
func (s *Service) Notify(ctx context.Context, n Notice) error { return s.store.Notify(ctx, n) }

// Invite makes a one-time code for a parent of the learner: the school or
// college of the learner, or the region, gives it. It returns the code.
func (s *Service) Invite(ctx context.Context, sc auth.Scope, learnerID int64) (string, time.Time, error) {
	if !sc.CanEditLearners() {
		return "", time.Time{}, apperr.New(apperr.Forbidden, "приглашение родителю выдаёт школа или колледж ребёнка")
	}
	code := auth.NewSecret()
	until := s.now().Add(InviteTTL)
	err := s.store.CreateInvite(ctx, sc, Invite{LearnerID: learnerID, CodeHash: auth.HashSecret(code), CreatedBy: sc.UserID, ExpiresAt: until})
	return code, until, err
}

// AcceptInvite opens a parent's account by the code of an invite.
func (s *Service) AcceptInvite(ctx context.Context, code, login, name, password string) (auth.User, error) {
	u := auth.User{Login: login, Name: name, Role: auth.Guardian, LearnerID: 1, CreatedAt: s.now()}
	if err := u.Validate(); err != nil {
		return u, err
	}
	if err := auth.CheckPassword(u.Login, password); err != nil {
		return u, err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return u, err
	}
	u.LearnerID = 0
	err = s.store.AcceptInvite(ctx, auth.HashSecret(strings.TrimSpace(code)), s.now(), &u, hash)
	return u, err
}

// SetEmail keeps the caller's address for notices by e-mail; an empty one
// stops the letters.
func (s *Service) SetEmail(ctx context.Context, sc auth.Scope, email string) error {
	email = strings.TrimSpace(email)
	if email != "" {
		if err := checkEmail(email); err != nil {
			return err
		}
	}
	return s.store.SetEmail(ctx, sc.UserID, email)
}

// checkEmail checks an address for notices and invitations.
func checkEmail(email string) error {
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 200 {
		return apperr.Field("email", "«%s» не похоже на адрес электронной почты", email)
	}
	return nil
}

// Email is the caller's address for notices.
func (s *Service) Email(ctx context.Context, sc auth.Scope) (string, error) {
	return s.store.Email(ctx, sc.UserID)
}

// Guardians are the parents' accounts linked to the learner.
func (s *Service) Guardians(ctx context.Context, sc auth.Scope, learnerID int64) ([]auth.User, error) {
	return s.store.Guardians(ctx, sc, learnerID)
}
