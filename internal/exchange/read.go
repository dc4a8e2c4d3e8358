package exchange

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"unicode"

	"marshrut/internal/apperr"
)

// Format is a table format.
type Format string

const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// ParseFormat reads a format name as a form or a flag gives it: "csv",
// "xlsx", or "" for «detect by content».
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, ".")))); f {
	case "", CSV, XLSX:
		return f, nil
	case "txt", "tsv":
		return CSV, nil
	}
	return "", apperr.New(apperr.Invalid, "Неизвестный формат «%s»: поддерживаются CSV и XLSX", s)
}

// Options tune Open; the zero value detects everything.
type Options struct {
	// Format is what the caller was told the file is; Open refuses a file
	// whose content says otherwise. Empty means: detect by content.
	Format Format
	// Sheet names the worksheet of an XLSX book; empty means the first visible one.
	Sheet string
	// HeaderRow is the 1-based row (CSV: line) of the header. Zero finds it
	// among the first ten non-empty rows: the first with at least two filled
	// cells and at least half as many as the fullest, so that title lines
	// above the table are skipped.
	HeaderRow int
	// Comma forces the CSV delimiter; zero detects «;», «,» or tab.
	Comma rune
	// TempDir is where an XLSX upload is spooled and unpacked; empty means os.TempDir().
	TempDir string
	// MaxUnpacked caps the unpacked size of an XLSX book, and MaxPart that of
	// each of its parts (a sheet, the shared strings), guards against zip
	// bombs checked before anything is unpacked; zero means 512 and 256 MiB.
	// Unpacked sheets go to TempDir, not memory.
	MaxUnpacked int64
	MaxPart     int64
	// MaxRows and MaxColumns cap the rows of a sheet (empty ones between
	// included) and the cells of a row; zero means 1 000 000 and 1 024.
	MaxRows    int
	MaxColumns int
}

// Row is one line of data.
type Row struct {
	// Line is the number a person sees: the row number in Excel, or for CSV
	// the physical line on which the record starts (a quoted value may span lines).
	Line int
	// Cells are the values, trimmed of spaces and non-breaking spaces; empty
	// cells at the end are dropped, so a row can be shorter than the header.
	Cells []string
}

// Cell returns the i-th value, or "" past the end of the row.
func (r Row) Cell(i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return r.Cells[i]
}

// CheckWidth reports a row that has values beyond the n columns of the header:
// they belong to no column and would be lost silently.
func (r Row) CheckWidth(n int) error {
	if len(r.Cells) <= n {
		return nil
	}
	return apperr.New(apperr.Invalid, "строка %d: %d значений, а в заголовке %d столбцов; значение «%s» в столбце %s не относится ни к одному столбцу",
		r.Line, len(r.Cells), n, clip(r.Cells[n], 40), ColumnName(n))
}

// source is one format's reader of raw rows; blank rows and the header are
// the Table's business.
type source interface {
	next() (line int, cells []string, err error)
	close() error
}

// Table is an open table: its header, then its rows one at a time.
type Table struct {
	src        source
	format     Format
	comma      rune
	sheet      string
	header     []string
	headerLine int
	ahead      []Row // rows read while looking for the header, not yet handed out
	err        error
}

// lookAhead is how many non-empty rows Open reads to find the header.
const lookAhead = 10

// Open reads a table from r. name is the file name as the person uploaded it,
// used in messages only: the content decides the format (an XLSX book begins
// with the zip signature «PK\x03\x04»; anything else is read as CSV) unless
// opt.Format says what it must be. Open reads the header and looks at the
// first data row, so an empty file or one with only a header fails here with
// a message for the person. The caller must Close the table.
//
// Open buffers at most 64 KiB of a CSV; an XLSX upload is spooled to a
// temporary file and its sheet read with excelize's row iterator.
func Open(r io.Reader, name string, opt Options) (*Table, error) {
	if opt.Format != "" && opt.Format != CSV && opt.Format != XLSX {
		return nil, fmt.Errorf("exchange: unknown format %q", opt.Format)
	}
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, apperr.Wrap(err, apperr.Invalid, "Не удалось прочитать файл %s", quoteName(name))
	}
	if len(head) == 0 {
		return nil, apperr.New(apperr.Invalid, "Файл %sпуст", quoteNameSp(name))
	}
	isZip := bytes.HasPrefix(head, []byte("PK\x03\x04"))
	isOLE := bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
	switch {
	case isOLE:
		return nil, apperr.New(apperr.Invalid, "Файл %sсохранён в старом формате Excel 97–2003 (XLS) или защищён паролем: сохраните его в Excel как «Книга Excel (*.xlsx)» или «CSV (разделители — запятые)» и загрузите снова", quoteNameSp(name))
	case isZip && bytes.Contains(head[:min(len(head), 120)], []byte("application/vnd.oasis.opendocument")):
		return nil, apperr.New(apperr.Invalid, "Файл %sсохранён в формате OpenDocument (LibreOffice, МойОфис): сохраните его как «Книга Excel (*.xlsx)» или CSV и загрузите снова", quoteNameSp(name))
	case opt.Format == XLSX && !isZip:
		return nil, apperr.New(apperr.Invalid, "Файл не похож на XLSX: %sне является книгой Excel (в начале нет подписи zip-архива); если это CSV, выберите формат CSV", quoteNameSp(name))
	case opt.Format == CSV && isZip:
		return nil, apperr.New(apperr.Invalid, "Файл не похож на CSV: %sявляется zip-архивом, вероятно книгой Excel; выберите формат XLSX", quoteNameSp(name))
	}
	t := &Table{}
	if isZip {
		t.format = XLSX
		t.src, t.sheet, err = openXLSX(br, name, opt)
	} else {
		t.format = CSV
		var cs *csvSource
		cs, err = openCSV(br, name, opt)
		if cs != nil {
			t.src, t.comma = cs, cs.comma
		}
	}
	if err != nil {
		return nil, err
	}
	if err := t.findHeader(name, opt.HeaderRow); err != nil {
		_ = t.src.close()
		return nil, err
	}
	return t, nil
}

// findHeader takes the header from the first non-empty rows and keeps the
// rows after it for Next.
func (t *Table) findHeader(name string, headerRow int) error {
	where := "Файл " + quoteNameSp(name)
	if t.sheet != "" {
		where = fmt.Sprintf("Лист «%s» ", t.sheet)
	}
	var rows []Row
	for len(rows) < lookAhead {
		row, err := t.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if headerRow > 0 {
			if row.Line < headerRow {
				continue
			}
			if row.Line > headerRow {
				return apperr.New(apperr.Invalid, "%s: строка %d, указанная как заголовок, пуста", strings.TrimSpace(where), headerRow)
			}
			rows = append(rows, row)
			break
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		if headerRow > 0 {
			return apperr.New(apperr.Invalid, "%s: строки %d, указанной как заголовок, в файле нет", strings.TrimSpace(where), headerRow)
		}
		return apperr.New(apperr.Invalid, "%sпуст", where)
	}
	// The header is the first row filled at least half as wide as the widest
	// of those read: a title above it fills a cell or two, and a data row with
	// a note in an untitled column must not pass for it.
	widest := 0
	for _, row := range rows {
		widest = max(widest, filled(row.Cells))
	}
	h := 0
	for i, row := range rows {
		if n := filled(row.Cells); n >= 2 && n*2 >= widest {
			h = i
			break
		}
	}
	t.header, t.headerLine, t.ahead = rows[h].Cells, rows[h].Line, rows[h+1:]
	if len(t.ahead) == 0 {
		row, err := t.read()
		if err == io.EOF {
			return apperr.New(apperr.Invalid, "В файле только заголовок, строк с данными нет")
		}
		if err != nil {
			return err
		}
		t.ahead = append(t.ahead, row)
	}
	return nil
}

// read returns the next row with a value in it, cleaned.
func (t *Table) read() (Row, error) {
	for {
		line, cells, err := t.src.next()
		if err != nil {
			return Row{}, err
		}
		n := 0
		for i, c := range cells {
			c = Clean(c)
			cells[i] = c
			if c != "" {
				n = i + 1
			}
		}
		if n > 0 {
			return Row{Line: line, Cells: cells[:n:n]}, nil
		}
	}
}

// Header returns the titles of the header row, cleaned like the cells.
func (t *Table) Header() []string { return t.header }

// HeaderLine is the row (CSV: line) the header was taken from.
func (t *Table) HeaderLine() int { return t.headerLine }

// Format is the format the content was read as.
func (t *Table) Format() Format { return t.format }

// Encoding names the text encoding of a CSV: "UTF-8", "UTF-16" or
// "Windows-1251"; "" for XLSX. A file whose first 64 KiB are plain ASCII is
// judged at its first other letter, so the answer may change as rows are read.
func (t *Table) Encoding() string {
	if cs, ok := t.src.(*csvSource); ok {
		return cs.encoding
	}
	return ""
}

// Comma is the delimiter of a CSV; zero for XLSX.
func (t *Table) Comma() rune { return t.comma }

// Sheet is the worksheet read from an XLSX book; "" for CSV.
func (t *Table) Sheet() string { return t.sheet }

// Next returns the next row with at least one value; empty rows are skipped.
// At the end it returns io.EOF. An error is final: Next returns it again.
func (t *Table) Next() (Row, error) {
	if t.err != nil {
		return Row{}, t.err
	}
	if len(t.ahead) > 0 {
		row := t.ahead[0]
		t.ahead = t.ahead[1:]
		return row, nil
	}
	row, err := t.read()
	if err != nil {
		t.err = err
	}
	return row, err
}

// All ranges over the remaining rows; it stops after the first error, which it yields.
func (t *Table) All() iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		for {
			row, err := t.Next()
			if err == io.EOF {
				return
			}
			if !yield(row, err) || err != nil {
				return
			}
		}
	}
}

// Close releases the file and its temporary copies.
func (t *Table) Close() error {
	if t.err == errTableClosed {
		return nil
	}
	t.err = errTableClosed
	return t.src.close()
}

var errTableClosed = errors.New("exchange: table closed")

// Clean trims spaces, non-breaking spaces, zero-width spaces and byte-order
// marks around a value.
func Clean(s string) string {
	return strings.TrimFunc(s, isBlank)
}

func isBlank(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '\u2060'
}

func filled(cells []string) int {
	n := 0
	for _, c := range cells {
		if c != "" {
			n++
		}
	}
	return n
}

// ColumnName is the Excel name of the i-th column counted from zero: A, B, …, Z, AA.
func ColumnName(i int) string {
	if i < 0 {
		return "?"
	}
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append(b, byte('A'+(i-1)%26))
	}
	for l, r := 0, len(b)-1; l < r; l, r = l+1, r-1 {
		b[l], b[r] = b[r], b[l]
	}
	return string(b)
}

func quoteName(name string) string {
	if name == "" {
		return ""
	}
	return "«" + name + "»"
}

// quoteNameSp is «name» followed by a space, or nothing.
func quoteNameSp(name string) string {
	if name == "" {
		return ""
	}
	return "«" + name + "» "
}

// clip shortens s to n runes for a message.
func clip(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}
