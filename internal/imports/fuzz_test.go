package imports

import (
	"bytes"
	"io"
	"testing"
	"time"
	"unicode/utf8"

	"marshrut/internal/exchange"
	"marshrut/internal/learner"
	"marshrut/internal/org"
)

// fuzzRows reads data as a table of the fields and hands each row to fn; a
// file the reader refuses is no concern of the row parsers.
func fuzzRows(t *testing.T, data []byte, fields []exchange.Field, fn func(m exchange.Mapping, r exchange.Row)) {
	tab, err := exchange.Open(bytes.NewReader(data), "f.csv", exchange.Options{Format: exchange.CSV})
	if err != nil {
		return
	}
	defer tab.Close()
	m, _ := exchange.Recognise(tab.Header(), fields)
	for i := 0; i < 200; i++ {
		r, err := tab.Next()
		if err == io.EOF || err != nil {
			return
		}
		fn(m, r)
	}
}

func checkIssues(t *testing.T, issues []Issue) {
	for _, is := range issues {
		if is.Reason == "" || !utf8.ValidString(is.Reason) {
			t.Fatalf("issue without a readable reason: %+v", is)
		}
	}
}

// Any row of a СФР answer gives either reasons or a valid period of the fund
// with a СНИЛС and, when it keeps one, an ИНН that passes its check.
func FuzzParseSFR(f *testing.F) {
	f.Add([]byte("СНИЛС;ИНН страхователя;Наименование страхователя;Дата начала периода работы;Дата окончания периода работы\n" +
		"141-000-101 52;7707083893;ПАО Сбербанк;01.09.2025;\n141-000-102 53;4101011783;ООО «Рыба»;15.08.2025;31.10.2025\n"))
	f.Add([]byte("СНИЛС,Работодатель,С,По,Вид деятельности\n14100010152,ИП Ким,2025-09-01,2025-08-01,ИП\n"))
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	employers := map[string]org.Organisation{"7707083893": {ID: 7, Kind: org.Employer, Name: "ПАО Сбербанк"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRows(t, data, exchange.SFRAnswerFields, func(m exchange.Mapping, r exchange.Row) {
			row, note, issues := parseSFR(m, r, now, employers)
			checkIssues(t, issues)
			if len(issues) > 0 {
				return
			}
			o := row.o
			if err := o.Validate(); err != nil {
				t.Fatalf("accepted but invalid: %+v: %v", o, err)
			}
			if o.Source != learner.SourceSFR || len(row.snils) != 11 || o.Start.After(now) || o.EmployerName == "" {
				t.Fatalf("accepted %+v, СНИЛС %q", o, row.snils)
			}
			if o.EmployerINN != "" && org.CheckINN(o.EmployerINN) != nil {
				t.Fatalf("kept an ИНН that fails its check: %q", o.EmployerINN)
			}
			if note != nil && (note.Reason == "" || o.EmployerINN != "") {
				t.Fatalf("note %+v on %+v", note, o)
			}
		})
	})
}

// Any row of a ФИС ФРДО file gives either reasons or a document with a
// number, a year of graduation in range and a specialty of the classifier.
func FuzzParseFRDO(f *testing.F) {
	f.Add([]byte("Серия документа;Номер документа;Дата выдачи;Код специальности, направления подготовки;Год окончания;" +
		"Фамилия получателя;Имя получателя;Отчество получателя;Дата рождения получателя;СНИЛС\n" +
		"114124;0012345;30.06.2026;15.02.08;2026;Лавров;Денис;Олегович;03.03.2007;141-000-103 54\n" +
		";;31.02.2026;99.99.99;1900;;;;;123\n"))
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	dir := &directory{specialties: map[string]bool{"15.02.08": true}, specialtyByName: map[string]string{"технология машиностроения": "15.02.08"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRows(t, data, exchange.FRDOFields, func(m exchange.Mapping, r exchange.Row) {
			row, issues := parseFRDO(m, r, now, dir)
			checkIssues(t, issues)
			if len(issues) > 0 {
				return
			}
			d := row.doc
			if d.Number == "" || d.GraduationYear < 1970 || d.GraduationYear > now.Year() || d.Issued.After(now) || d.Issued.IsZero() ||
				row.last == "" || row.first == "" || row.birth.IsZero() || (d.SpecialtyCode != "" && !dir.specialties[d.SpecialtyCode]) ||
				(row.snils != "" && len(row.snils) != 11) {
				t.Fatalf("accepted %+v", row)
			}
		})
	})
}

// Any row of a list of participants gives either reasons or a pupil to find
// and an event that, placed at a school, is valid.
func FuzzParseGuidance(f *testing.F) {
	f.Add([]byte("ФИО участника;Дата рождения;СНИЛС;Класс;Мероприятие;Дата проведения;Количество часов;Проект\n" +
		"Ким Алина;01.11.2011;141-000-101 52;9 класс;Россия индустриальная;18.09.2025;1;Россия — мои горизонты\n" +
		";;;12;;31.13.2025;100;\n"))
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRows(t, data, exchange.GuidanceFields, func(m exchange.Mapping, r exchange.Row) {
			g, issues := parseGuidance(m, r, now)
			checkIssues(t, issues)
			if len(issues) > 0 {
				return
			}
			if g.snils == "" && (g.last == "" || g.first == "" || g.birth.IsZero()) {
				t.Fatalf("accepted a pupil that cannot be found: %+v", g)
			}
			e := g.event
			e.RegionCode, e.OrganiserID, e.GradeFrom, e.GradeTo = "41", 1, 6, 11
			if len([]rune(e.Title)) <= 200 && e.HeldOn.Year() >= 2000 {
				if err := e.Validate(); err != nil {
					t.Fatalf("accepted event %+v: %v", e, err)
				}
			}
		})
	})
}
