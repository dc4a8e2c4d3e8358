package youth

import (
	"context"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

// Wish is what the young person looks for.
type Wish string

const (
	WishWork  Wish = "work"
	WishStudy Wish = "study"
	WishBoth  Wish = "both"
)

// Name is the Russian name of the wish.
func (w Wish) Name() string {
	switch w {
	case WishWork:
		return "работа"
	case WishStudy:
		return "учёба"
	case WishBoth:
		return "работа и учёба"
	}
	return "не указано"
}

// Profile is what the young person keeps about themself.
type Profile struct {
	LearnerID      int64
	Phone          string
	Email          string
	Wish           Wish
	Municipalities []int64 // where they would work or study
	Relocation     bool    // ready to move
	MinPay         int     // ₽ a month; 0 — not said
	Schedule       string  // full day, shifts, part time…
	About          string
	ShowContacts   bool // employers of their responses see the phone and e-mail
	UpdatedAt      time.Time
}

var rePhone = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "")

// Validate cleans what the person typed and checks it.
func (p *Profile) Validate() error {
	var errs apperr.List
	p.Phone, p.Email = strings.TrimSpace(p.Phone), strings.TrimSpace(p.Email)
	p.Schedule, p.About = strings.TrimSpace(p.Schedule), strings.TrimSpace(p.About)
	if p.Phone != "" {
		digits := strings.TrimPrefix(rePhone.Replace(p.Phone), "+")
		if _, err := strconv.ParseUint(digits, 10, 64); err != nil || len(digits) < 10 || len(digits) > 12 {
			errs.Add("phone", "телефон «%s» должен состоять из 10–12 цифр, например +7 900 123-45-67", p.Phone)
		}
	}
	if p.Email != "" {
		if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email {
			errs.Add("email", "«%s» не похоже на адрес электронной почты", p.Email)
		}
	}
	switch p.Wish {
	case "", WishWork, WishStudy, WishBoth:
	default:
		errs.Add("wish", "неизвестное пожелание «%s»", p.Wish)
	}
	if p.MinPay < 0 || p.MinPay > 1_000_000 {
		errs.Add("min_pay", "зарплата %d ₽ вне разумных пределов", p.MinPay)
	}
	if utf8.RuneCountInString(p.About) > 2000 {
		errs.Add("about", "рассказ о себе длиннее 2000 знаков")
	}
	if utf8.RuneCountInString(p.Schedule) > 100 {
		errs.Add("schedule", "график длиннее 100 знаков")
	}
	if len(p.Municipalities) > 20 {
		errs.Add("municipalities", "выберите не больше 20 муниципальных образований")
	}
	return errs.Err()
}

// AchievementKind is the sort of an achievement.
type AchievementKind string

const (
	Olympiad      AchievementKind = "olympiad"
	Professionals AchievementKind = "professionals" // «Профессионалы», WorldSkills
	DemoExam      AchievementKind = "demo_exam"
	Volunteering  AchievementKind = "volunteering"
	Sports        AchievementKind = "sports"
	Course        AchievementKind = "course"
	OtherKind     AchievementKind = "other"
)

// AchievementKinds lists the kinds in the order forms show them.
var AchievementKinds = []AchievementKind{Olympiad, Professionals, DemoExam, Volunteering, Sports, Course, OtherKind}

// Name is the Russian name of the kind.
func (k AchievementKind) Name() string {
	switch k {
	case Olympiad:
		return "олимпиада"
	case Professionals:
		return "чемпионат «Профессионалы»"
	case DemoExam:
		return "демонстрационный экзамен"
	case Volunteering:
		return "волонтёрство"
	case Sports:
		return "спорт"
	case Course:
		return "дополнительный курс"
	case OtherKind:
		return "другое"
	}
	return string(k)
}

// Achievement is one achievement or certificate the young person adds.
type Achievement struct {
	ID        int64
	LearnerID int64
	Kind      AchievementKind
	Title     string
	Year      int
	Result    string // place, score, grade, hours
	CreatedAt time.Time
}

// Validate checks an achievement against the year now.
func (a *Achievement) Validate(now time.Time) error {
	var errs apperr.List
	a.Title, a.Result = strings.TrimSpace(a.Title), strings.TrimSpace(a.Result)
	known := false
	for _, k := range AchievementKinds {
		known = known || k == a.Kind
	}
	if !known {
		errs.Add("kind", "неизвестный вид достижения «%s»", a.Kind)
	}
	if a.Title == "" || utf8.RuneCountInString(a.Title) > 200 {
		errs.Add("title", "назовите достижение (до 200 знаков)")
	}
	if a.Year < now.Year()-15 || a.Year > now.Year() {
		errs.Add("year", "год %d: укажите год с %d по %d", a.Year, now.Year()-15, now.Year())
	}
	if utf8.RuneCountInString(a.Result) > 200 {
		errs.Add("result", "результат длиннее 200 знаков")
	}
	return errs.Err()
}

// ProfileOf is the profile and achievements of the learner the caller sees.
func (s *Service) ProfileOf(ctx context.Context, sc auth.Scope, learnerID int64) (Profile, []Achievement, error) {
	return s.store.Profile(ctx, sc, learnerID)
}

// SaveProfile keeps the young person's own profile; only they edit it.
func (s *Service) SaveProfile(ctx context.Context, sc auth.Scope, p Profile) error {
	if sc.Role != auth.Learner {
		return apperr.New(apperr.Forbidden, "профиль ведёт сам молодой человек")
	}
	p.LearnerID, p.UpdatedAt = sc.LearnerID, s.now()
	if err := p.Validate(); err != nil {
		return err
	}
	return s.store.SaveProfile(ctx, sc, p)
}

// AddAchievement adds an achievement to the young person's own profile.
func (s *Service) AddAchievement(ctx context.Context, sc auth.Scope, a Achievement) (Achievement, error) {
	if sc.Role != auth.Learner {
		return a, apperr.New(apperr.Forbidden, "достижения добавляет сам молодой человек")
	}
	a.LearnerID, a.CreatedAt = sc.LearnerID, s.now()
	if err := a.Validate(s.now()); err != nil {
		return a, err
	}
	return a, s.store.AddAchievement(ctx, sc, &a)
}

// DeleteAchievement removes one of the young person's own achievements.
func (s *Service) DeleteAchievement(ctx context.Context, sc auth.Scope, id int64) error {
	if sc.Role != auth.Learner {
		return apperr.New(apperr.Forbidden, "достижения удаляет сам молодой человек")
	}
	return s.store.DeleteAchievement(ctx, sc, id)
}
