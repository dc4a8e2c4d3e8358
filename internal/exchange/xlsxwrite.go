package exchange

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"marshrut/internal/apperr"
)

// XLSXWriter writes one worksheet with excelize's StreamWriter, which keeps
// at most 16 MiB of rows in memory and the rest in a temporary file.
type XLSXWriter struct {
	w      io.Writer
	book   *excelize.File
	sw     *excelize.StreamWriter
	cols   []Column
	styles []int
	cells  []any
	row    int
	err    error
}

// NewXLSX starts a book with one sheet whose first row holds the column
// titles in bold and stays in view when the rows scroll. Numbers are written
// as numbers, dates as Excel dates shown ДД.ММ.ГГГГ, fractions of Percent
// columns with a % format, and text always as text, never as a formula.
func NewXLSX(w io.Writer, sheet string, cols []Column) (*XLSXWriter, error) {
	book := excelize.NewFile()
	x := &XLSXWriter{w: w, book: book, cols: cols, styles: make([]int, len(cols)), cells: make([]any, len(cols))}
	fail := func(err error) (*XLSXWriter, error) {
		_ = book.Close()
		return nil, fmt.Errorf("exchange: start xlsx: %w", err)
	}
	sheet = sheetName(sheet)
	if sheet != "Sheet1" {
		if err := book.SetSheetName("Sheet1", sheet); err != nil {
			return fail(err)
		}
	}
	var err error
	if x.sw, err = book.NewStreamWriter(sheet); err != nil {
		return fail(err)
	}
	dateFmt, percentFmt := "dd.mm.yyyy", "0.0%"
	byKind := map[Kind]*excelize.Style{
		Int:     {NumFmt: 1}, // 0
		Float:   {NumFmt: 0}, // General: as many digits as the value has
		Percent: {CustomNumFmt: &percentFmt},
		Date:    {CustomNumFmt: &dateFmt},
	}
	header, err := book.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEDED"}},
	})
	if err != nil {
		return fail(err)
	}
	for i, col := range cols {
		if st, ok := byKind[col.Kind]; ok {
			if x.styles[i], err = book.NewStyle(st); err != nil {
				return fail(err)
			}
		}
		if err := x.sw.SetColWidth(i+1, i+1, width(col)); err != nil {
			return fail(err)
		}
	}
	if err := x.sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return fail(err)
	}
	titles := make([]any, len(cols))
	for i, col := range cols {
		titles[i] = excelize.Cell{StyleID: header, Value: col.Title}
	}
	if err := x.sw.SetRow("A1", titles); err != nil {
		return fail(err)
	}
	x.row = 1
	return x, nil
}

// Write adds a row.
func (x *XLSXWriter) Write(values []any) error {
	if x.err != nil {
		return x.err
	}
	if len(values) != len(x.cols) {
		return fmt.Errorf("exchange: %d values for %d columns", len(values), len(x.cols))
	}
	if x.row >= excelize.TotalRows {
		return apperr.New(apperr.Invalid, "На листе Excel помещается не больше %d строк; выгрузите данные в CSV или по частям", excelize.TotalRows-1)
	}
	for i, v := range values {
		v, err := convert(x.cols[i], v)
		if err != nil {
			return err
		}
		if v == nil {
			x.cells[i] = nil
			continue
		}
		x.cells[i] = excelize.Cell{StyleID: x.styles[i], Value: v}
	}
	x.row++
	cell, _ := excelize.CoordinatesToCellName(1, x.row)
	if err := x.sw.SetRow(cell, x.cells); err != nil {
		x.err = fmt.Errorf("exchange: write row %d: %w", x.row, err)
	}
	return x.err
}

// Close writes the book to w and removes its temporary files.
func (x *XLSXWriter) Close() error {
	if x.err == errClosed {
		return nil
	}
	err := x.err
	if err == nil {
		err = x.sw.Flush()
	}
	if err == nil {
		err = x.book.Write(x.w)
	}
	if cerr := x.book.Close(); err == nil {
		err = cerr
	}
	x.err = errClosed
	return err
}

// width is the column width in characters: the asked one, or enough for the
// title and a typical value of the kind.
func width(col Column) float64 {
	if col.Width > 0 {
		return min(col.Width, 255)
	}
	w := float64(utf8.RuneCountInString(col.Title)) + 2
	switch col.Kind {
	case Date:
		w = max(w, 12)
	case Int, Percent:
		w = max(w, 9)
	case Float:
		w = max(w, 12)
	default:
		w = max(w, 14)
	}
	return min(w, 50)
}

// sheetName makes a valid worksheet name: at most 31 characters, none of
// []:*?/\ and no apostrophe at either end; «Лист1» when nothing is left.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, Clean(s))
	if utf8.RuneCountInString(s) > 31 {
		s = string([]rune(s)[:31])
	}
	if s = strings.Trim(s, "'"); s == "" {
		return "Лист1"
	}
	return s
}
