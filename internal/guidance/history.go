package guidance

import (
	"fmt"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/history"
	"marshrut/internal/learner"
)

// Changes lists what an edit changed in an event, field by field, as the
// event's form names them; old and new are read back with their names.
func Changes(old, new Event) []history.Change {
	return history.Diff(
		history.Field("Вид", old.Kind.Name(), new.Kind.Name()),
		history.Field("Название", history.Text(old.Title), history.Text(new.Title)),
		history.Field("Дата проведения", history.Date(old.HeldOn), history.Date(new.HeldOn)),
		history.Field("Место", history.Text(old.Place), history.Text(new.Place)),
		history.Field("Классы", grades(old), grades(new)),
		history.Field("Академических часов", history.Int(old.Hours), history.Int(new.Hours)),
		history.Field("Мест", places(old.Capacity), places(new.Capacity)),
		history.Field("Профессия или специальность", specialty(old), specialty(new)),
		history.Field("Организатор", history.Text(old.Organiser), history.Text(new.Organiser)),
		history.Field("«Билет в будущее»", history.Bool(old.Ticket), history.Bool(new.Ticket)),
		history.Field("Школы бронируют места", history.Bool(old.Bookable), history.Bool(new.Bookable)),
	)
}

func grades(e Event) string { return fmt.Sprintf("%d–%d", e.GradeFrom, e.GradeTo) }

func places(n int) string {
	if n == 0 {
		return "без ограничения"
	}
	return history.Int(n)
}

func specialty(e Event) string {
	return history.Text(strings.TrimSpace(e.SpecialtyCode + " " + e.Specialty))
}

// EditableBy reports whether the scope may change the event: the region, and
// the organisation that organises it.
func (e Event) EditableBy(sc auth.Scope) bool {
	return sc.WholeRegion() || CanOrganise(sc) && sc.OrgID == e.OrganiserID
}

// Held reports whether the event has taken place: its day is before today,
// the region's day of now.
func (e Event) Held(now time.Time) bool {
	return learner.Day(e.HeldOn).Before(learner.Day(now))
}

// CheckEdit checks that e may replace before, the event as it is stored,
// at now. An event that has taken place keeps its day, its place and its
// organiser, and takes no bookings any more; at any time the places cannot
// fall below the pupils recorded or the places schools booked, and booking
// cannot be closed while schools hold places.
func (e *Event) CheckEdit(before Event, now time.Time) error {
	var errs apperr.List
	if before.Held(now) {
		on := before.HeldOn.Format("02.01.2006")
		if !learner.Day(e.HeldOn).Equal(learner.Day(before.HeldOn)) {
			errs.Add("held_on", "мероприятие «%s» уже прошло %s: дату проведения прошедшего мероприятия изменить нельзя", before.Title, on)
		}
		if e.Place != before.Place {
			errs.Add("place", "мероприятие «%s» уже прошло %s: место проведения прошедшего мероприятия изменить нельзя", before.Title, on)
		}
		if e.OrganiserID != before.OrganiserID {
			errs.Add("organiser_id", "мероприятие «%s» уже прошло %s: организатора прошедшего мероприятия изменить нельзя", before.Title, on)
		}
		if e.Bookable && !before.Bookable {
			errs.Add("bookable", "мероприятие «%s» уже прошло %s: бронирование мест на прошедшее мероприятие не открыть", before.Title, on)
		}
	}
	if e.Capacity > 0 && e.Capacity < before.Participants {
		errs.Add("capacity", "мест не может быть меньше, чем уже отмечено участников: указано мест %d, отмечено участников %d", e.Capacity, before.Participants)
	} else if e.Capacity > 0 && e.Capacity < before.Booked {
		errs.Add("capacity", "мест не может быть меньше, чем школы уже забронировали: указано мест %d, забронировано %d", e.Capacity, before.Booked)
	}
	if !e.Bookable && before.Bookable && before.Booked > 0 {
		errs.Add("bookable", "школы уже забронировали %d мест: бронирование нельзя закрыть, пока у школ есть брони", before.Booked)
	}
	return errs.Err()
}
