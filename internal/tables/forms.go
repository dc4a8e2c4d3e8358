package tables

import (
	"bytes"
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"

	"marshrut/internal/report"
)

// FormXLSX writes an official form as the paper form lays it out: the title,
// the organisation and period, the table with its columns numbered under the
// titles and a totals row, the notes, and the block of signatures.
func FormXLSX(sh report.Sheet) ([]byte, error) {
	book := excelize.NewFile()
	defer book.Close()
	const sheet = "Форма"
	if err := book.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	n := len(sh.Columns)
	last, _ := excelize.ColumnNumberToName(max(n, 1))
	style := func(s *excelize.Style) int {
		id, _ := book.NewStyle(s)
		return id
	}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	percent := "0.0%"
	var (
		title   = style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Horizontal: "center", WrapText: true}})
		center  = style(&excelize.Style{Alignment: &excelize.Alignment{Horizontal: "center", WrapText: true}})
		plain   = style(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
		head    = style(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
		number  = style(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Horizontal: "center"}, Font: &excelize.Font{Italic: true}})
		text    = style(&excelize.Style{Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
		count   = style(&excelize.Style{Border: border, NumFmt: 1})
		share   = style(&excelize.Style{Border: border, CustomNumFmt: &percent})
		bold    = style(&excelize.Style{Border: border, Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true}})
		boldNum = style(&excelize.Style{Border: border, Font: &excelize.Font{Bold: true}, NumFmt: 1})
		boldPct = style(&excelize.Style{Border: border, Font: &excelize.Font{Bold: true}, CustomNumFmt: &percent})
	)
	row := 1
	line := func(s string, st int, height float64) error {
		a, b := fmt.Sprintf("A%d", row), fmt.Sprintf("%s%d", last, row)
		if err := book.MergeCell(sheet, a, b); err != nil {
			return err
		}
		if err := book.SetCellStr(sheet, a, s); err != nil {
			return err
		}
		if err := book.SetCellStyle(sheet, a, b, st); err != nil {
			return err
		}
		if height > 0 {
			if err := book.SetRowHeight(sheet, row, height); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	head1 := []struct {
		s  string
		st int
		h  float64
	}{{sh.Title, title, 36}, {sh.Subtitle, center, 30}, {"Организация: " + sh.Org, center, 0}, {"Период: " + sh.Period, center, 0},
		{"Сформировано по данным на " + sh.AsOf.Format("02.01.2006"), center, 0}}
	for _, h := range head1 {
		if err := line(h.s, h.st, h.h); err != nil {
			return nil, err
		}
	}
	row++
	for i, c := range sh.Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		w := c.Width
		if w <= 0 {
			w = 12
		}
		if err := book.SetColWidth(sheet, col, col, w); err != nil {
			return nil, err
		}
		if err := setCell(book, sheet, i+1, row, c.Title, head); err != nil {
			return nil, err
		}
		if err := setCell(book, sheet, i+1, row+1, i+1, number); err != nil {
			return nil, err
		}
	}
	if err := book.SetRowHeight(sheet, row, 60); err != nil {
		return nil, err
	}
	row += 2
	write := func(values []any, txt, cnt, pct int) error {
		for i, v := range values {
			st := txt
			if i < n {
				switch sh.Columns[i].Kind {
				case report.Count:
					st = cnt
				case report.Share:
					st = pct
				}
			}
			if err := setCell(book, sheet, i+1, row, v, st); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	for _, r := range sh.Rows {
		if err := write(r, text, count, share); err != nil {
			return nil, err
		}
	}
	if sh.Totals != nil {
		if err := write(sh.Totals, bold, boldNum, boldPct); err != nil {
			return nil, err
		}
	}
	row++
	for _, note := range sh.Notes {
		if err := line(note, plain, 30); err != nil {
			return nil, err
		}
	}
	row++
	for _, who := range sh.Signatures {
		if err := line(who+"  ________________  /________________/   «___» ____________ 20___ г.", plain, 0); err != nil {
			return nil, err
		}
		row++
	}
	if err := line("М. П.", plain, 0); err != nil {
		return nil, err
	}
	if err := book.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: ptr("landscape"), FitToWidth: ptr(1)}); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := book.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func ptr[T any](v T) *T { return &v }

// setCell writes one value: numbers as numbers, nothing as an empty cell,
// text always as text.
func setCell(book *excelize.File, sheet string, col, row int, v any, st int) error {
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
	case string:
		err = book.SetCellStr(sheet, cell, x)
	case int:
		err = book.SetCellInt(sheet, cell, int64(x))
	case float64:
		err = book.SetCellFloat(sheet, cell, x, -1, 64)
	case time.Time:
		err = book.SetCellStr(sheet, cell, x.Format("02.01.2006"))
	default:
		err = book.SetCellStr(sheet, cell, fmt.Sprint(x))
	}
	if err != nil {
		return err
	}
	return book.SetCellStyle(sheet, cell, cell, st)
}
