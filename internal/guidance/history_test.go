package guidance

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/history"
)

func TestEventChangesReadAsTheForm(t *testing.T) {
	old := Event{Kind: Proba, Title: "Профпроба", HeldOn: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), GradeFrom: 8, GradeTo: 11,
		Hours: 2, Organiser: "ООО «Камчатрыбпром»"}
	new := old
	new.Kind, new.GradeFrom, new.Capacity, new.SpecialtyCode, new.Specialty = Excursion, 6, 1500, "15.02.08", "Технология машиностроения"
	want := []history.Change{
		{Field: "Вид", Old: "Профессиональная проба", New: "Экскурсия на предприятие"},
		{Field: "Классы", Old: "8–11", New: "6–11"},
		{Field: "Мест", Old: "без ограничения", New: "1 500"},
		{Field: "Профессия или специальность", Old: "—", New: "15.02.08 Технология машиностроения"},
	}
	if got := Changes(old, new); !reflect.DeepEqual(got, want) {
		t.Errorf("Changes = %+v, want %+v", got, want)
	}
	if got := Changes(old, old); got != nil {
		t.Errorf("an unchanged event gave %+v", got)
	}
}

// The day of a past event is the region's: late in the evening of the
// event's day it has not yet taken place.
func TestCheckEditOfAPastEvent(t *testing.T) {
	zone := time.FixedZone("Камчатка", 12*3600)
	before := Event{Title: "Ярмарка", HeldOn: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), Place: "Дом культуры", OrganiserID: 5,
		Capacity: 50, Participants: 30, Booked: 40, Bookable: true}
	moved := before
	moved.HeldOn = before.HeldOn.AddDate(0, 0, 1)
	if err := moved.CheckEdit(before, time.Date(2026, 11, 24, 23, 30, 0, 0, zone)); err != nil {
		t.Errorf("an event of today moved: %v", err)
	}
	err := moved.CheckEdit(before, time.Date(2026, 11, 25, 0, 30, 0, 0, zone))
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.Text(err), "уже прошло 24.11.2026") {
		t.Errorf("a past event moved: %v", err)
	}
	fewer := before
	fewer.Capacity = 35
	if err := fewer.CheckEdit(before, time.Date(2026, 11, 1, 0, 0, 0, 0, zone)); !strings.Contains(apperr.Text(err), "указано мест 35, забронировано 40") {
		t.Errorf("fewer places than booked: %v", err)
	}
	closed := before
	closed.Bookable = false
	if err := closed.CheckEdit(before, time.Date(2026, 11, 1, 0, 0, 0, 0, zone)); !strings.Contains(apperr.Text(err), "забронировали 40 мест") {
		t.Errorf("booking closed with places booked: %v", err)
	}
}
