package vacancy

import "testing"

func TestLimitsOf(t *testing.T) {
	for _, c := range []struct {
		title string
		want  Limit
	}{
		{"Горнорабочий очистного забоя (подземные работы)", ForbiddenMinors | RestrictedWomen},
		{"Проходчик", ForbiddenMinors | RestrictedWomen},
		{"Водолаз 3 разряда", ForbiddenMinors | RestrictedWomen},
		{"Электрогазосварщик", ForbiddenMinors},
		{"Охранник 4 разряда", ForbiddenMinors},
		{"Бармен", ForbiddenMinors},
		{"Грузчик-комплектовщик", ForbiddenMinors},
		{"Повар", 0},
		{"Медицинская сестра", 0},
		{"Маркшейдер", 0},
	} {
		if got, what := LimitsOf(c.title); got != c.want || (got != 0) != (what != "") {
			t.Errorf("%s: %b %q, want %b", c.title, got, what, c.want)
		}
	}
}
