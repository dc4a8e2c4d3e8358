package vacancy

import (
	"encoding/csv"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"marshrut/internal/classifier"
)

const sampleCSV = "/work/shared/data/trudvsem/trudvsem_vacancies_sample.csv"

var builtin = sync.OnceValues(classifier.LoadBuiltin)

func matcher(t testing.TB) *Matcher {
	t.Helper()
	b, err := builtin()
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMatcher(b.Specialties)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func codes(ls []Link) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Code()
	}
	return out
}

func TestLinks(t *testing.T) {
	m := matcher(t)
	tests := []struct {
		title, sphere string
		top           string   // the first link, "" for none expected
		want          []string // also among the links
	}{
		{"Сварщик", "", "22.02.06", nil},
		{"Электрогазосварщик 5 разряда", "Рабочие специальности", "22.02.06", []string{"15.00.00", "08.00.00"}},
		{"Медицинская сестра палатная", "Здравоохранение и социальное обеспечение", "34.02.01", []string{"34.00.00", "31.00.00"}},
		{"Медсестра", "", "34.02.01", nil},
		{"Водитель", "Транспорт, автобизнес", "23.00.00", nil},
		{"Водитель автомобиля категории C", "", "23.00.00", nil},
		{"Повар", "Гостиницы, рестораны, общепит, кейтеринг", "43.01.09", []string{"43.00.00", "43.02.15"}},
		{"Учитель математики", "Образование, наука", "44.00.00", nil},
		{"Воспитатель", "Образование, наука", "44.02.01", []string{"44.00.00"}},
		{"Программист", "Информационные технологии, телекоммуникации, связь", "09.02.07", []string{"09.00.00", "09.03.04"}},
		{"Инженер-программист", "", "", []string{"09.02.07", "09.03.04"}},
		{"Системный администратор", "", "09.02.06", nil},
		{"Бухгалтер", "Бухгалтерия, налоги, управленческий учет", "38.02.01", []string{"38.00.00"}},
		{"Технолог бродильного производства", "Пищевая промышленность", "19.02.05", []string{"19.00.00"}},
		{"Агроном", "Сельское хозяйство, экология, ветеринария", "35.02.05", []string{"35.00.00"}},
		{"Фармацевт", "", "33.02.01", nil},
		{"Электромонтер по ремонту и обслуживанию электрооборудования", "", "13.02.11", nil},
		{"Слесарь по ремонту автомобилей", "", "23.02.07", nil},
		{"Аппаратчик 5 разряда", "Производство", "15.00.00", nil}, // the open-data sample: sphere only
		// Generic or unqualified titles get no title links.
		{"Техник", "", "", nil},
		{"Инженер", "", "", nil},
		{"Менеджер по работе с клиентами", "", "", nil},
		{"Уборщик служебных помещений", "Работы, не требующие квалификации", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			ls := m.Links(Vacancy{ID: "v1", Title: tt.title, Specialisation: tt.sphere})
			got := codes(ls)
			if tt.top == "" && len(tt.want) == 0 {
				if len(ls) > 0 {
					t.Errorf("links %v, want none", got)
				}
				return
			}
			if tt.top != "" && (len(got) == 0 || got[0] != tt.top) {
				t.Errorf("links %v, want %s first", got, tt.top)
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("links %v lack %s", got, w)
				}
			}
			for _, l := range ls {
				if err := l.Validate(); err != nil {
					t.Errorf("%+v: %v", l, err)
				}
			}
		})
	}
}

func TestLinkReasons(t *testing.T) {
	m := matcher(t)
	ls := m.Links(Vacancy{ID: "v1", Title: "Водитель", Specialisation: "Транспорт, автобизнес"})
	if len(ls) == 0 || ls[0].Score != 0.92 || ls[0].Kind != ByOccupation ||
		!strings.Contains(ls[0].Reason, "сфера «Транспорт, автобизнес» соответствует УГС 23.00.00 Техника и технологии наземного транспорта") ||
		!strings.Contains(ls[0].Reason, "названа профессия «водитель», к которой готовит УГС 23.00.00") {
		t.Errorf("Водитель: %+v", ls)
	}
	// A title match alone, without the occupation table.
	m.cw = &Crosswalk{Spheres: m.cw.Spheres, byKey: m.cw.byKey}
	ls = m.Links(Vacancy{ID: "v2", Title: "Сварщик"})
	want := "в названии вакансии «Сварщик» совпадает основа слова «сварщик»/«сварочное» со специальностью 22.02.06 Сварочное производство"
	if len(ls) == 0 || ls[0].Reason != want || ls[0].Kind != ByTitle || ls[0].VacancyID != "v2" {
		t.Errorf("Сварщик: %+v\nwant reason %q", ls, want)
	}
	ls = m.Links(Vacancy{ID: "v3", Title: "Системный администратор"})
	if len(ls) == 0 || ls[0].Code() != "09.02.06" ||
		ls[0].Reason != "в названии вакансии «Системный администратор» совпадают слово «системный»/«системное», основа слова «администратор»/«администрирование» со специальностью 09.02.06 Сетевое и системное администрирование" {
		t.Errorf("Системный администратор: %+v", ls)
	}
}

// The order of links does not depend on the order of the specialties, nor on
// the order of map iteration.
func TestLinksDeterministic(t *testing.T) {
	b, err := builtin()
	if err != nil {
		t.Fatal(err)
	}
	m1 := matcher(t)
	shuffled := slices.Clone(b.Specialties)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	m2, err := NewMatcher(shuffled)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []Vacancy{
		{ID: "1", Title: "Программист", Specialisation: "Информационные технологии, телекоммуникации, связь"},
		{ID: "2", Title: "Электрик", Specialisation: "Производство"},
		{ID: "3", Title: "Аналитик информационной безопасности"},
	} {
		a, b := m1.Links(v), m2.Links(v)
		for range 5 {
			if c := m1.Links(v); !reflect.DeepEqual(a, c) {
				t.Fatalf("%s: links differ between calls", v.Title)
			}
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: links depend on the order of specialties:\n%v\n%v", v.Title, codes(a), codes(b))
		}
		if !slices.IsSortedFunc(a, func(x, y Link) int {
			if x.Score != y.Score {
				if x.Score > y.Score {
					return -1
				}
				return 1
			}
			return strings.Compare(x.Code(), y.Code())
		}) {
			t.Errorf("%s: links not in order: %v", v.Title, a)
		}
	}
}

// TestSampleCoverage runs the matcher on the 88 real vacancies of the shared
// sample (titles only: the flattened CSV has no sphere) and reports the share
// that get a link.
func TestSampleCoverage(t *testing.T) {
	f, err := os.Open(sampleCSV)
	if err != nil {
		t.Skipf("no shared sample of «Работа России» vacancies (%v)", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows = rows[1:]
	if len(rows) != 88 {
		t.Fatalf("%d rows in the sample, want 88", len(rows))
	}
	m := matcher(t)
	titleOnly := matcher(t)
	titleOnly.cw = &Crosswalk{Spheres: m.cw.Spheres, byKey: m.cw.byKey}
	linked, byTitle := 0, 0
	var missed []string
	for i, r := range rows {
		v := Vacancy{ID: r[7], Title: r[0]}
		ls := m.Links(v)
		if len(ls) > 0 {
			linked++
		} else {
			missed = append(missed, r[0])
		}
		if len(titleOnly.Links(v)) > 0 {
			byTitle++
		}
		title := strings.ToLower(r[0])
		switch {
		case strings.Contains(title, "программист") && !slices.Contains(codes(ls), "09.02.07"):
			t.Errorf("row %d «%s»: links %v lack 09.02.07", i+2, r[0], codes(ls))
		case strings.HasPrefix(title, "системный администратор") && (len(ls) == 0 || ls[0].Code() != "09.02.06"):
			t.Errorf("row %d «%s»: links %v, want 09.02.06 first", i+2, r[0], codes(ls))
		}
	}
	share := float64(linked) / float64(len(rows))
	t.Logf("sample: %d of %d vacancies linked (%.0f%%); by title similarity alone %d (%.0f%%)",
		linked, len(rows), 100*share, byTitle, 100*float64(byTitle)/float64(len(rows)))
	t.Logf("not linked: %s", strings.Join(missed, "; "))
	if share < 0.8 {
		t.Errorf("only %.0f%% of the sample linked, want at least 80%%", 100*share)
	}
}

func BenchmarkLinks(b *testing.B) {
	m := matcher(b)
	v := Vacancy{ID: "1", Title: "Ведущий инженер-программист 1С", Specialisation: "Информационные технологии, телекоммуникации, связь"}
	b.ReportAllocs()
	for b.Loop() {
		m.Links(v)
	}
}
