package youth

import (
	"context"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

// DefaultInvitationTTL is how long a printed invitation works unless the
// installation sets another period (--invite-days).
const DefaultInvitationTTL = 30 * 24 * time.Hour

// Class is a school class (a grade of an organisation, with its letter) or
// a study group of a college: the unit invitations are printed for.
type Class struct {
	OrgID int64
	Grade int    // pupils: 1–11; zero for a study group
	Group string // pupils: «9А», empty for a class without a letter; students: «ТМ-24»
}

// Name is the class as pages show it: «9А», «9 класс», «группа ТМ-24».
func (c Class) Name() string {
	switch {
	case c.Grade == 0:
		return "группа " + c.Group
	case c.Group != "":
		return c.Group
	}
	return strconv.Itoa(c.Grade) + " класс"
}

// ClassRow is a class of an organisation with how far its invitations went.
type ClassRow struct {
	Class
	Learners int // learners in the class
	Accounts int // learners of the class with an account of their own
	Pending  int // invitations printed, not used, not expired, not revoked
	Used     int // invitations used
}

// Member is a learner of a class as the sheet of invitations needs them.
type Member struct {
	LearnerID  int64
	Name       string // «Фамилия Имя Отчество», printed on the slip to hand it to the right person
	BirthDate  time.Time
	HasAccount bool // the learner has an account of their own already
}

// Invitation is one printed code: it opens one account, as the learner or
// as a parent of the learner, until it is used, expires or is revoked.
type Invitation struct {
	ID         int64
	RegionCode string
	OrgID      int64
	LearnerID  int64
	Role       auth.Role // auth.Learner or auth.Guardian
	CodeHash   string
	CreatedBy  int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	UsedAt     time.Time
	RevokedAt  time.Time
	// BirthDate is the learner's, read with the invitation to check the
	// date the person redeeming it gives.
	BirthDate time.Time
}

// Slip is an invitation as printed: the code is shown on paper once and
// never kept.
type Slip struct {
	Invitation
	Name string // the learner's name
	Code string
}

// InvitationStore is what invitations need from storage.
type InvitationStore interface {
	// Classes are the classes and groups of an organisation the caller sees,
	// with their learners and invitations counted at now.
	InvitationClasses(ctx context.Context, sc auth.Scope, orgID int64, now time.Time) ([]ClassRow, error)
	// ClassMembers are the learners of a class the caller sees, by name.
	ClassMembers(ctx context.Context, sc auth.Scope, c Class) ([]Member, error)
	// CreateInvitations keeps new invitations of learners the caller sees;
	// the unused ones printed before for the same learner and role are
	// revoked at once, so that a sheet printed anew replaces the old one.
	CreateInvitations(ctx context.Context, sc auth.Scope, in []Invitation) error
	// InvitationByCode is the invitation behind a code's hash, with the
	// learner's birth date; apperr.NotFound when there is none.
	InvitationByCode(ctx context.Context, codeHash string) (Invitation, error)
	// RedeemInvitation marks the invitation used and creates the account u
	// for its learner, in one transaction; a conflict when it was used or
	// revoked in the meantime.
	RedeemInvitation(ctx context.Context, id int64, now time.Time, u *auth.User, passwordHash string) error
	// RevokeInvitations revokes the unused invitations of a class the caller
	// sees and says how many.
	RevokeInvitations(ctx context.Context, sc auth.Scope, c Class, now time.Time) (int, error)
	// QueueInvitationLetter puts a letter with the link of an invitation into
	// the outbox, under the account of the staff member who sent it.
	QueueInvitationLetter(ctx context.Context, sc auth.Scope, to, link string, at time.Time) error
}

// Guard slows down the guessing of codes: it refuses an address after too
// many failures and counts each failure. auth.Service is one.
type Guard interface {
	CodeAllowed(ip string) error
	CodeFailed(ip string)
}

// Invitations prints invitations for classes and redeems them.
type Invitations struct {
	store InvitationStore
	guard Guard
	ttl   time.Duration
	now   func() time.Time
}

// NewInvitations builds the service; ttl is how long an invitation works
// (DefaultInvitationTTL when zero).
func NewInvitations(s InvitationStore, g Guard, ttl time.Duration, now func() time.Time) *Invitations {
	if ttl <= 0 {
		ttl = DefaultInvitationTTL
	}
	return &Invitations{store: s, guard: g, ttl: ttl, now: now}
}

// TTL is how long an invitation works.
func (s *Invitations) TTL() time.Duration { return s.ttl }

// Now is the service's clock.
func (s *Invitations) Now() time.Time { return s.now() }

// orgOf is the organisation whose classes the caller may invite: a school or
// college its own, the region any it names.
func orgOf(sc auth.Scope, orgID int64) (int64, error) {
	switch sc.Role {
	case auth.School, auth.College, auth.University:
		return sc.OrgID, nil
	case auth.Admin, auth.Region, auth.System:
		if orgID <= 0 {
			return 0, apperr.Field("org", "укажите организацию, для классов которой печатаются приглашения")
		}
		return orgID, nil
	}
	return 0, apperr.New(apperr.Forbidden, "приглашения печатает школа или колледж обучающихся")
}

// Classes are the classes and groups of the organisation with their invitations.
func (s *Invitations) Classes(ctx context.Context, sc auth.Scope, orgID int64) ([]ClassRow, error) {
	id, err := orgOf(sc, orgID)
	if err != nil {
		return nil, err
	}
	return s.store.InvitationClasses(ctx, sc, id, s.now())
}

// checkClass fixes the class's organisation by the caller and checks that it
// names a class or a group.
func checkClass(sc auth.Scope, c Class) (Class, error) {
	id, err := orgOf(sc, c.OrgID)
	if err != nil {
		return c, err
	}
	c.OrgID, c.Group = id, strings.TrimSpace(c.Group)
	if c.Grade < 0 || c.Grade > 11 || (c.Grade == 0 && c.Group == "") {
		return c, apperr.Field("grade", "укажите класс от 1 до 11 или учебную группу")
	}
	return c, nil
}

// Print makes the invitations of a class: one for each learner without an
// account, and one for a parent of each learner under eighteen. The codes
// are returned once, for the sheet; the store keeps their hashes.
func (s *Invitations) Print(ctx context.Context, sc auth.Scope, c Class) ([]Slip, error) {
	c, err := checkClass(sc, c)
	if err != nil {
		return nil, err
	}
	members, err := s.store.ClassMembers(ctx, sc, c)
	if err != nil {
		return nil, err
	}
	if len(members) == 0 {
		return nil, apperr.New(apperr.NotFound, "в классе «%s» нет обучающихся вашей организации", c.Name())
	}
	now := s.now()
	until := now.Add(s.ttl)
	var slips []Slip
	var rows []Invitation
	add := func(m Member, role auth.Role) {
		code := auth.NewCode()
		in := Invitation{RegionCode: sc.RegionCode, OrgID: c.OrgID, LearnerID: m.LearnerID, Role: role,
			CodeHash: auth.HashSecret(auth.NormCode(code)), CreatedBy: sc.UserID, CreatedAt: now, ExpiresAt: until}
		rows = append(rows, in)
		slips = append(slips, Slip{Invitation: in, Name: m.Name, Code: code})
	}
	for _, m := range members {
		if !m.HasAccount {
			add(m, auth.Learner)
		}
		if minor(m.BirthDate, now) {
			add(m, auth.Guardian)
		}
	}
	if len(rows) == 0 {
		return nil, apperr.New(apperr.Conflict, "у всех обучающихся класса «%s» уже есть кабинеты, а родительские приглашения нужны только несовершеннолетним", c.Name())
	}
	if err := s.store.CreateInvitations(ctx, sc, rows); err != nil {
		return nil, err
	}
	return slips, nil
}

// minor reports whether a person born on birth is under eighteen at now.
func minor(birth, now time.Time) bool {
	if birth.IsZero() {
		return false
	}
	return now.Before(birth.AddDate(18, 0, 0))
}

// Revoke revokes the unused invitations of a class and says how many.
func (s *Invitations) Revoke(ctx context.Context, sc auth.Scope, c Class) (int, error) {
	c, err := checkClass(sc, c)
	if err != nil {
		return 0, err
	}
	return s.store.RevokeInvitations(ctx, sc, c, s.now())
}

// Redemption is what a person gives to open an account by an invitation.
type Redemption struct {
	Code      string
	BirthDate time.Time // the learner's: a parent gives the child's
	Login     string
	Name      string
	Password  string
	IP        string
}

// The answers to a code that opens nothing. A code that is not found and a
// wrong birth date get the same answer: it must not tell a guesser which
// half of the pair was right.
var (
	errNoInvitation = apperr.Field("code", "код приглашения не найден или дата рождения не совпадает: проверьте код и дату рождения обучающегося")
	errUsed         = apperr.Field("code", "по этому приглашению кабинет уже открыт; если это были не вы, сообщите в школу или колледж")
	errExpired      = apperr.Field("code", "срок приглашения истёк; попросите школу или колледж напечатать новое")
	errRevoked      = apperr.Field("code", "приглашение отозвано школой или колледжем; попросите новое")
)

// Redeem opens the account of an invitation: the code and the learner's
// birth date must match, the login be free and the password pass the
// policy. Every refusal of the code or the date counts against the address.
func (s *Invitations) Redeem(ctx context.Context, r Redemption) (auth.User, error) {
	if s.guard == nil {
		return auth.User{}, apperr.New(apperr.Unavailable, "Приём приглашений не настроен.")
	}
	if err := s.guard.CodeAllowed(r.IP); err != nil {
		return auth.User{}, err
	}
	code := auth.NormCode(r.Code)
	if code == "" {
		return auth.User{}, apperr.Field("code", "введите код приглашения с листка, который выдала школа или колледж")
	}
	if r.BirthDate.IsZero() {
		return auth.User{}, apperr.Field("birth_date", "укажите дату рождения обучающегося в виде ДД.ММ.ГГГГ")
	}
	in, err := s.store.InvitationByCode(ctx, auth.HashSecret(code))
	if apperr.Is(err, apperr.NotFound) {
		s.guard.CodeFailed(r.IP)
		return auth.User{}, errNoInvitation
	}
	if err != nil {
		return auth.User{}, err
	}
	now := s.now()
	if !sameDay(in.BirthDate, r.BirthDate) {
		s.guard.CodeFailed(r.IP)
		return auth.User{}, errNoInvitation
	}
	switch {
	case !in.UsedAt.IsZero():
		s.guard.CodeFailed(r.IP)
		return auth.User{}, errUsed
	case !in.RevokedAt.IsZero():
		s.guard.CodeFailed(r.IP)
		return auth.User{}, errRevoked
	case !now.Before(in.ExpiresAt):
		s.guard.CodeFailed(r.IP)
		return auth.User{}, errExpired
	}
	u := auth.User{Login: r.Login, Name: r.Name, Role: in.Role, RegionCode: in.RegionCode, LearnerID: in.LearnerID, CreatedAt: now}
	if err := u.Validate(); err != nil {
		return u, err
	}
	if err := auth.CheckPassword(u.Login, r.Password); err != nil {
		return u, err
	}
	hash, err := auth.HashPassword(r.Password)
	if err != nil {
		return u, err
	}
	if err := s.store.RedeemInvitation(ctx, in.ID, now, &u, hash); err != nil {
		return u, err
	}
	return u, nil
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// SendByEmail sends a graduate without an account an invitation by e-mail:
// the code travels only in the letter's link; the store keeps its hash.
// The letter's link is a path: the mail sender puts the installation's
// address before it.
func (s *Invitations) SendByEmail(ctx context.Context, sc auth.Scope, learnerID int64, email string) error {
	if !sc.CanEditLearners() {
		return apperr.New(apperr.Forbidden, "приглашение по почте отправляет школа или колледж обучающегося")
	}
	email = strings.TrimSpace(email)
	if err := checkEmail(email); err != nil {
		return err
	}
	now := s.now()
	code := auth.NewCode()
	in := Invitation{RegionCode: sc.RegionCode, OrgID: sc.OrgID, LearnerID: learnerID, Role: auth.Learner,
		CodeHash: auth.HashSecret(auth.NormCode(code)), CreatedBy: sc.UserID, CreatedAt: now, ExpiresAt: now.Add(s.ttl)}
	if err := s.store.CreateInvitations(ctx, sc, []Invitation{in}); err != nil {
		return err
	}
	return s.store.QueueInvitationLetter(ctx, sc, email, JoinPath(code), now)
}

// JoinPath is the path of the page where an invitation's code is redeemed,
// with the code filled in.
func JoinPath(code string) string { return "/join?code=" + code }

// JoinURL is the full link of an invitation, for its QR code.
func JoinURL(base, code string) string { return strings.TrimRight(base, "/") + JoinPath(code) }
