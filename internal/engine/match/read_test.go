package match

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"marshrut/internal/engine/fault"
)

func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const (
	okGraduates = "id\r\nG0\r\nG1\r\nG2\r\n"
	okVacancies = "id,capacity\r\nV0,1\r\nV1,2\r\n"
	okEdges     = "graduate_id,vacancy_id,graduate_utility,employer_score\r\nG0,V1,546,706\r\nG0,V0,845,1000\r\nG1,V0,0,0\r\n"
)

func TestReadInstance(t *testing.T) {
	dir := writeDir(t, map[string]string{
		GraduatesFile: okGraduates, VacanciesFile: okVacancies, EdgesFile: okEdges,
		TargetsFile: "graduate_id,vacancy_id\nG2,V1\nG1,V9\n",
	})
	in, err := ReadInstance(dir)
	if err != nil {
		t.Fatal(err)
	}
	if in.NumGraduates() != 3 || in.NumVacancies() != 2 || in.NumEdges() != 3 || in.Seats() != 3 || in.Capacity(1) != 2 {
		t.Fatalf("read %d graduates, %d vacancies, %d edges", in.NumGraduates(), in.NumVacancies(), in.NumEdges())
	}
	want := []Edge{{Vacancy: 0, Utility: 845, Score: 1000}, {Vacancy: 1, Utility: 546, Score: 706}}
	if got := in.Edges(0); !reflect.DeepEqual(got, want) {
		t.Errorf("edges of G0: %v", got)
	}
	if got := in.Targets(); !reflect.DeepEqual(got, []Target{{2, 1, "V1"}, {1, -1, "V9"}}) {
		t.Errorf("targets %v", got)
	}
	// Written and read again, the instance is the same.
	out := t.TempDir()
	if err := WriteInstance(out, in); err != nil {
		t.Fatal(err)
	}
	again, err := ReadInstance(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, again) {
		t.Errorf("round trip: %+v\n%+v", in, again)
	}
}

func TestReadInstanceEmpty(t *testing.T) {
	dir := writeDir(t, map[string]string{
		GraduatesFile: "id\n", VacanciesFile: "id,capacity\n", EdgesFile: "graduate_id,vacancy_id,graduate_utility,employer_score\n",
	})
	in, err := ReadInstance(dir)
	if err != nil {
		t.Fatal(err)
	}
	if in.NumGraduates()+in.NumVacancies()+in.NumEdges() != 0 {
		t.Errorf("%+v", in)
	}
}

// TestReadErrors checks that each fault is named in Russian with its file and
// line.
func TestReadErrors(t *testing.T) {
	edges := func(lines ...string) map[string]string {
		return map[string]string{GraduatesFile: okGraduates, VacanciesFile: okVacancies,
			EdgesFile: "graduate_id,vacancy_id,graduate_utility,employer_score\n" + strings.Join(lines, "\n") + "\n"}
	}
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"missing file", map[string]string{GraduatesFile: okGraduates, VacanciesFile: okVacancies}, "не найден файл edges.csv в каталоге"},
		{"unknown graduate", edges("G0,V0,1,1", "G9,V0,1,1"), "edges.csv, строка 3: неизвестный выпускник «G9»: его нет в graduates.csv"},
		{"unknown vacancy", edges("G0,V7,1,1"), "edges.csv, строка 2: неизвестная вакансия «V7»: её нет в vacancies.csv"},
		{"negative utility", edges("G0,V0,-5,1"), "edges.csv, строка 2: graduate_utility должна быть целым числом от 0 до 1000, а не «-5»"},
		{"score over 1000", edges("G0,V0,5,1001"), "edges.csv, строка 2: employer_score должна быть целым числом от 0 до 1000, а не «1001»"},
		{"not a number", edges("G0,V0,5,x1"), "edges.csv, строка 2: employer_score должна быть целым числом от 0 до 1000, а не «x1»"},
		{"duplicate edge", edges("G0,V0,1,1", "G1,V0,1,1", "", "G0,V0,2,2"), "edges.csv, строка 5: повторное ребро «G0» — «V0» (впервые в строке 2)"},
		{"too few fields", edges("G0,V0,1"), "edges.csv, строка 2: ожидается 4 поля через запятую (graduate_id,vacancy_id,graduate_utility,employer_score), а в строке 3"},
		{"open quote", edges(`G0,"V0,1,1`), "edges.csv, строка 2: строка не разбирается как CSV"},
		{"bad header", map[string]string{GraduatesFile: okGraduates, VacanciesFile: okVacancies, EdgesFile: "g,v,u,e\n"}, "edges.csv, строка 1: ожидается заголовок graduate_id,vacancy_id,graduate_utility,employer_score"},
		{"empty file", map[string]string{GraduatesFile: "", VacanciesFile: okVacancies, EdgesFile: okEdges}, "graduates.csv, строка 1: файл пуст"},
		{"negative capacity", map[string]string{GraduatesFile: okGraduates, VacanciesFile: "id,capacity\nV0,1\nV1,-2\n", EdgesFile: okEdges}, "vacancies.csv, строка 3: capacity (число мест) должно быть целым неотрицательным числом, а не «-2»"},
		{"duplicate graduate", map[string]string{GraduatesFile: "id\nG0\nG1\nG0\n", VacanciesFile: okVacancies, EdgesFile: okEdges}, "graduates.csv, строка 4: повторный выпускник «G0» (впервые в строке 2)"},
		{"duplicate vacancy", map[string]string{GraduatesFile: okGraduates, VacanciesFile: "id,capacity\nV0,1\nV0,1\n", EdgesFile: okEdges}, "vacancies.csv, строка 3: повторная вакансия «V0» (впервые в строке 2)"},
		{"target of unknown graduate", map[string]string{GraduatesFile: okGraduates, VacanciesFile: okVacancies, EdgesFile: okEdges, TargetsFile: "graduate_id,vacancy_id\nG5,V0\n"}, "targets.csv, строка 2: неизвестный выпускник «G5»"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadInstance(writeDir(t, tt.files))
			if err == nil {
				t.Fatal("no error")
			}
			if msg := fault.Message(err); !strings.Contains(msg, tt.want) {
				t.Errorf("got  %q\nwant %q", msg, tt.want)
			}
		})
	}
}

func TestBuilderErrors(t *testing.T) {
	b := NewBuilder()
	if _, err := b.AddGraduate(""); err == nil {
		t.Error("empty graduate id accepted")
	}
	if _, err := b.AddGraduate("a\nb"); err == nil {
		t.Error("id with a line break accepted")
	}
	b.AddGraduate("a")
	if _, err := b.AddGraduate("a"); err == nil {
		t.Error("repeated graduate accepted")
	}
	if _, err := b.AddVacancy("x", -1); err == nil {
		t.Error("negative capacity accepted")
	}
	b.AddVacancy("x", 1)
	for _, tt := range []struct {
		g, v string
		u, e int
		want string
	}{
		{"z", "x", 1, 1, "неизвестный выпускник «z»"},
		{"a", "z", 1, 1, "неизвестная вакансия «z»"},
		{"a", "x", -1, 1, "от 0 до 1000, а не -1"},
		{"a", "x", 1, 1001, "от 0 до 1000, а не 1001"},
	} {
		if err := b.AddEdge(tt.g, tt.v, tt.u, tt.e); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("AddEdge(%s, %s, %d, %d): %v", tt.g, tt.v, tt.u, tt.e, err)
		}
	}
	b.AddEdge("a", "x", 1, 1)
	b.AddEdge("a", "x", 2, 2)
	if _, err := b.Build(); err == nil || !strings.Contains(err.Error(), "повторное ребро: выпускник «a» — вакансия «x»") {
		t.Errorf("repeated edge: %v", err)
	}
}

func TestCommand(t *testing.T) {
	dir := writeDir(t, map[string]string{GraduatesFile: okGraduates, VacanciesFile: okVacancies, EdgesFile: okEdges})
	var out strings.Builder
	if err := Command(t.Context(), &out, dir, "optimal", 1); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "matched=1 welfare=1845 blocking=0 seconds=") || !strings.HasSuffix(got, "\n") || strings.Count(got, "\n") != 1 {
		t.Errorf("command printed %q", got)
	}
	if err := Command(t.Context(), &out, dir, "fastest", 1); err == nil {
		t.Error("unknown mode accepted")
	}
}
