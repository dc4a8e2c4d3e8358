package exchange

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestNormalise(t *testing.T) {
	tests := map[string]string{
		"Дата рождения":              "дата рождения",
		"ДАТА  РОЖДЕНИЯ":             "дата рождения",
		"дата_рождения":              "дата рождения",
		"Дата рождения (дд.мм.гггг)": "дата рождения",
		"Ёлки-палки!":                "елки палки",
		"№ п/п":                      "п п",
		"(ФИО)":                      "фио",
		"Фамилия*":                   "фамилия",
		" Ф.И.О. ":                   "ф и о",
		"ОКВЭД2":                     "оквэд2",
	}
	for in, want := range tests {
		if got := Normalise(in); got != want {
			t.Errorf("Normalise(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestRecogniseLearners(t *testing.T) {
	tests := []struct {
		header  []string
		want    map[string]int
		unknown []string
	}{
		{
			header: []string{"№ п/п", "Фамилия", "Имя", "Отчество (при наличии)", "Дата рождения (дд.мм.гггг)", "СНИЛС обучающегося", "Пол"},
			want:   map[string]int{"last_name": 1, "first_name": 2, "middle_name": 3, "birth_date": 4, "snils": 5, "sex": 6},
		},
		{
			header: []string{"N п/п", "Ф.И.О.", "Дата рожд.", "Номер СНИЛС", "Код профессии/специальности", "Форма обуч.", "Курс обучения", "Год окончания", "Группа"},
			want: map[string]int{"full_name": 1, "birth_date": 2, "snils": 3, "specialty_code": 4, "form": 5,
				"course": 6, "graduation_year": 7, "group": 8},
		},
		{
			header: []string{"Фамилия, имя, отчество", "ДАТА РОЖДЕНИЯ", "дата_рождения", "Телефон", "", "Год выпуска", "Форма обучения"},
			want:   map[string]int{"full_name": 0, "birth_date": 1, "graduation_year": 5, "form": 6},
			unknown: []string{
				"Столбец C «дата_рождения» повторяет поле «Дата рождения» и будет пропущен",
				"Столбец D «Телефон» не распознан и будет пропущен",
			},
		},
		{
			header: []string{"ФИО студента", "Статус (школьник/студент/выпускник)", "Образовательная организация", "ИНН ОО",
				"Класс", "Код специальности (профессии)", "Наименование профессии (специальности)", "Муниципальный район (городской округ)", "Наличие ОВЗ", "Номер зачётной книжки"},
			want: map[string]int{"full_name": 0, "status": 1, "org_name": 2, "org_inn": 3, "grade": 4, "specialty_code": 5,
				"specialty_name": 6, "municipality": 7, "disability": 8, "external_id": 9},
		},
		{
			// «Дата» alone could be any date: not guessed.
			header:  []string{"Фамилия", "Имя", "Дата"},
			want:    map[string]int{"last_name": 0, "first_name": 1},
			unknown: []string{"Столбец C «Дата» не распознан и будет пропущен"},
		},
	}
	for _, tt := range tests {
		m, unknown := Recognise(tt.header, LearnerFields)
		got := map[string]int{}
		for _, f := range LearnerFields {
			if c := m.Col(f.Key); c >= 0 {
				got[f.Key] = c
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q:\n got %v\nwant %v", tt.header, got, tt.want)
		}
		var us []string
		for _, u := range unknown {
			us = append(us, u.String())
		}
		if !reflect.DeepEqual(us, tt.unknown) {
			t.Errorf("%q: unknown %q; want %q", tt.header, us, tt.unknown)
		}
	}
}

func TestRecogniseOthers(t *testing.T) {
	m, unknown := Recognise([]string{"Полное наименование", "Сокращённое наименование", "Тип организации", "ИНН", "ОГРН", "МО", "Юридический адрес", "Широта", "Долгота", "Код ОКВЭД"}, OrganisationFields)
	if len(unknown) != 0 || m.String() != "name=0,short_name=1,kind=2,inn=3,ogrn=4,municipality=5,address=6,lat=7,lon=8,okved=9" {
		t.Errorf("organisations: %s %v", m, unknown)
	}
	m, unknown = Recognise([]string{"ФИО выпускника", "СНИЛС", "Статус", "Дата трудоустройства", "Дата увольнения", "ИНН работодателя", "Место работы", "Источник сведений", "Комментарий"}, OutcomeFields)
	if len(unknown) != 0 || m.String() != "snils=1,full_name=0,status=2,start_date=3,end_date=4,employer_inn=5,employer_name=6,source=7,note=8" {
		t.Errorf("outcomes: %s %v", m, unknown)
	}
}

// Every title, alias and key of a list must lead to one field only.
func TestFieldListsUnambiguous(t *testing.T) {
	for name, fields := range map[string][]Field{"learners": LearnerFields, "organisations": OrganisationFields, "outcomes": OutcomeFields} {
		seen := map[string]string{}
		for _, f := range fields {
			titles := append([]string{f.Title, f.Key}, f.Aliases...)
			for _, title := range titles {
				n := Normalise(title)
				if n == "" || ignored[n] {
					t.Errorf("%s: %s: title %q normalises to nothing", name, f.Key, title)
				}
				if prev, ok := seen[n]; ok && prev != f.Key {
					t.Errorf("%s: %q is both %s and %s", name, title, prev, f.Key)
				}
				seen[n] = f.Key
			}
			// A field recognises its own titles: the first is taken, the rest repeat it.
			m, unknown := Recognise(titles, fields)
			if m.Col(f.Key) != 0 || len(unknown) != len(titles)-1 {
				t.Errorf("%s: titles of %s: %s, unknown %v", name, f.Key, m, unknown)
			}
			for _, u := range unknown {
				if u.Dup.Key != f.Key {
					t.Errorf("%s: %q not recognised as %s", name, u.Title, f.Key)
				}
			}
			if f.Or != "" {
				if _, ok := (Mapping{fields: fields}).field(f.Or); !ok {
					t.Errorf("%s: %s: Or names unknown %q", name, f.Key, f.Or)
				}
			}
		}
	}
}

func TestMappingCheck(t *testing.T) {
	m, _ := Recognise([]string{"Отчество", "Пол"}, LearnerFields)
	miss := m.Missing()
	if len(miss) != 3 || miss[0].Key != "last_name" || miss[2].Key != "birth_date" {
		t.Errorf("missing %v", miss)
	}
	err := m.Check()
	if err == nil || err.Error() != "В файле не найдены обязательные столбцы «Фамилия» (или «ФИО»), «Имя» (или «ФИО»), «Дата рождения»: добавьте их в файл или укажите, в каких столбцах они находятся" {
		t.Errorf("Check: %v", err)
	}

	m, _ = Recognise([]string{"ФИО", "Дата рождения", "Пол"}, LearnerFields)
	if err := m.Check(); err != nil {
		t.Errorf("full name stands for surname and name: %v", err)
	}
	if err := m.Set("sex", 0); err != nil {
		t.Fatal(err)
	}
	if err := m.Check(); err == nil || !strings.Contains(err.Error(), "Столбец A выбран сразу для полей «ФИО» и «Пол»") {
		t.Errorf("Check: %v", err)
	}
	if err := m.Set("birth_date", -1); err != nil {
		t.Fatal(err)
	}
	if err := m.Check(); err == nil || !strings.Contains(err.Error(), "не найден обязательный столбец «Дата рождения»: добавьте его") {
		t.Errorf("Check: %v", err)
	}
	if err := m.Set("nope", 0); err == nil {
		t.Error("unknown key accepted")
	}
	if err := m.Set("sex", 3); err == nil || !strings.Contains(err.Error(), "выбран столбец 4, а в файле столбцов 3") {
		t.Errorf("column out of range: %v", err)
	}
}

func TestMappingText(t *testing.T) {
	header := []string{"Фамилия", "Имя", "Д.Р.", "Прочее"}
	m, _ := Recognise(header, LearnerFields)
	s := m.String()
	if s != "last_name=0,first_name=1,birth_date=2" {
		t.Fatalf("String = %q", s)
	}
	var back Mapping
	back, _ = Recognise(header, LearnerFields)
	if err := back.Parse("first_name=0, last_name=1,birth_date=,external_id=3"); err != nil {
		t.Fatal(err)
	}
	if back.String() != "last_name=1,first_name=0,external_id=3" {
		t.Errorf("Parse: %s", back)
	}
	if err := back.Parse("last_name=x"); err == nil || back.String() != "last_name=1,first_name=0,external_id=3" {
		t.Errorf("bad Parse changed the mapping: %v %s", err, back)
	}
	form := url.Values{"col_birth_date": {"-1"}, "col_sex": {"3"}, "col_nope": {"1"}}
	if err := m.ParseForm(form, "col_"); err != nil {
		t.Fatal(err)
	}
	if m.String() != "last_name=0,first_name=1,sex=3" {
		t.Errorf("ParseForm: %s", m)
	}
	row := Row{Line: 2, Cells: []string{"Иванов", "Иван"}}
	if m.Get(row, "last_name") != "Иванов" || m.Get(row, "sex") != "" || m.Get(row, "middle_name") != "" {
		t.Error("Get")
	}
}

func TestSplitFullName(t *testing.T) {
	tests := []struct{ in, last, first, middle string }{
		{"Иванов Иван Иванович", "Иванов", "Иван", "Иванович"},
		{"  Иванов   Иван\u00a0Иванович ", "Иванов", "Иван", "Иванович"},
		{"Иванов, Иван Иванович", "Иванов", "Иван", "Иванович"},
		{"Петрова Анна", "Петрова", "Анна", ""},
		{"Сидоров", "Сидоров", "", ""},
		{"", "", "", ""},
		{"Мамедов Руслан Али оглы", "Мамедов", "Руслан", "Али оглы"},
		{"Римский-Корсаков Николай Андреевич", "Римский-Корсаков", "Николай", "Андреевич"},
		{"Иванов И.И.", "Иванов", "И.", "И."},
		{"Иванов И. И.", "Иванов", "И.", "И."},
		{"Иванов Ив.", "Иванов", "Ив.", ""},
	}
	for _, tt := range tests {
		l, f, m := SplitFullName(tt.in)
		if l != tt.last || f != tt.first || m != tt.middle {
			t.Errorf("SplitFullName(%q) = %q %q %q", tt.in, l, f, m)
		}
	}
}
