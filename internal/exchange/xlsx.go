package exchange

import (
	"archive/zip"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"

	"marshrut/internal/apperr"
)

// The limits of a book unless Options say otherwise: a zip of a megabyte can
// unpack to gigabytes, and a sheet of a few kilobytes can name a million
// rows or a cell in the 16 384th column.
const (
	defaultMaxUnpacked = 512 << 20
	defaultMaxPart     = 256 << 20
	defaultMaxRows     = 1_000_000
	defaultMaxColumns  = 1024
)

type xlsxSource struct {
	book    *excelize.File
	rows    *excelize.Rows
	row     int // the row number Rows.Next stands on: one Next per sheet row, gaps included
	maxRows int
	maxCols int
}

// checkZip reads the directory of the book and refuses it when a part or the
// whole would unpack past the limits, before a byte is unpacked. The sizes
// in the directory bind: archive/zip fails a part that unpacks to more than
// its entry says, so a lying directory cannot slip past.
func checkZip(path, name string, maxTotal, maxPart int64) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, "Файл не похож на XLSX: %sне открывается как книга Excel. Сохраните его в Excel как «Книга Excel (*.xlsx)» и загрузите снова", quoteNameSp(name))
	}
	defer zr.Close()
	var total uint64
	for _, f := range zr.File {
		if f.UncompressedSize64 > uint64(maxPart) {
			return apperr.New(apperr.Invalid, "Книга %sне принята: её часть «%s» в распакованном виде больше %d МиБ. Такие книги не бывают у обычных списков; "+
				"сохраните лист как CSV или разделите книгу на части", quoteNameSp(name), f.Name, maxPart>>20)
		}
		total += f.UncompressedSize64
		if total > uint64(maxTotal) {
			return apperr.New(apperr.Invalid, "Книга %sв распакованном виде больше %d МиБ: разделите её на части или сохраните как CSV", quoteNameSp(name), maxTotal>>20)
		}
	}
	return nil
}

// openXLSX spools r to a temporary file, opens it with excelize and starts the
// row iterator of the chosen sheet. excelize.OpenReader would read the whole
// upload into memory; OpenFile unpacks sheets over 16 MiB to temporary files
// and Rows decodes them as a stream.
func openXLSX(r io.Reader, name string, opt Options) (*xlsxSource, string, error) {
	spool, err := os.CreateTemp(opt.TempDir, "marshrut-upload-*.xlsx")
	if err != nil {
		return nil, "", fmt.Errorf("exchange: spool upload: %w", err)
	}
	path := spool.Name()
	defer os.Remove(path) // excelize has what it needs once OpenFile returns
	_, err = io.Copy(spool, r)
	if cerr := spool.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, "", apperr.Wrap(err, apperr.Invalid, "Не удалось принять файл %s", quoteName(name))
	}
	limit := cmp.Or(max(opt.MaxUnpacked, 0), defaultMaxUnpacked)
	part := cmp.Or(max(opt.MaxPart, 0), defaultMaxPart)
	if err := checkZip(path, name, limit, part); err != nil {
		return nil, "", err
	}
	book, err := excelize.OpenFile(path, excelize.Options{
		UnzipSizeLimit:    limit,
		UnzipXMLSizeLimit: min(limit, excelize.StreamChunkSize),
		TmpDir:            opt.TempDir,
		// Built-in date format 14 follows the reader's locale in Excel;
		// show it as a Russian reader sees it.
		ShortDatePattern: "dd.mm.yyyy",
	})
	if err != nil {
		if book != nil {
			_ = book.Close()
		}
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return nil, "", apperr.Wrap(err, apperr.Invalid, "Книга %sв распакованном виде больше %d МиБ: разделите её на части или сохраните как CSV", quoteNameSp(name), limit>>20)
		}
		return nil, "", apperr.Wrap(err, apperr.Invalid, "Файл не похож на XLSX: %sне открывается как книга Excel. Сохраните его в Excel как «Книга Excel (*.xlsx)» и загрузите снова", quoteNameSp(name))
	}
	sheet, err := pickSheet(book, opt.Sheet)
	if err != nil {
		_ = book.Close()
		return nil, "", err
	}
	rows, err := book.Rows(sheet)
	if err != nil {
		_ = book.Close()
		return nil, "", apperr.Wrap(err, apperr.Invalid, "Не удалось прочитать лист «%s» книги %s", sheet, quoteName(name))
	}
	return &xlsxSource{book: book, rows: rows, maxRows: cmp.Or(max(opt.MaxRows, 0), defaultMaxRows),
		maxCols: cmp.Or(max(opt.MaxColumns, 0), defaultMaxColumns)}, sheet, nil
}

// pickSheet finds the asked sheet by name, forgiving case and spaces, or the
// first visible sheet.
func pickSheet(book *excelize.File, want string) (string, error) {
	list := book.GetSheetList()
	if len(list) == 0 {
		return "", apperr.New(apperr.Invalid, "В книге нет ни одного листа")
	}
	if want = strings.TrimSpace(want); want != "" {
		for _, s := range list {
			if s == want {
				return s, nil
			}
		}
		for _, s := range list {
			if strings.EqualFold(strings.TrimSpace(s), want) {
				return s, nil
			}
		}
		return "", apperr.New(apperr.Invalid, "Листа «%s» в книге нет; есть листы: «%s»", want, strings.Join(list, "», «"))
	}
	for _, s := range list {
		if visible, err := book.GetSheetVisible(s); err == nil && visible {
			return s, nil
		}
	}
	return list[0], nil
}

func (s *xlsxSource) next() (int, []string, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return 0, nil, s.fail(err)
		}
		return 0, nil, io.EOF
	}
	s.row++
	if s.row > s.maxRows {
		return 0, nil, apperr.New(apperr.Invalid, "В листе больше %d строк (считая пустые между ними): разделите список на части или сохраните как CSV", s.maxRows)
	}
	cells, err := s.rows.Columns()
	if err != nil {
		return 0, nil, s.fail(err)
	}
	if len(cells) > s.maxCols {
		return 0, nil, apperr.New(apperr.Invalid, "В строке %d листа больше %d столбцов: удалите лишние столбцы справа от таблицы или сохраните лист как CSV", s.row, s.maxCols)
	}
	return s.row, cells, nil
}

func (s *xlsxSource) fail(err error) error {
	if errors.Is(err, excelize.ErrMaxRows) {
		return apperr.Wrap(err, apperr.Invalid, "В листе больше %d строк — это больше, чем допускает Excel", excelize.TotalRows)
	}
	return apperr.Wrap(err, apperr.Invalid, "Не удалось прочитать строку %d книги Excel: файл повреждён", s.row)
}

func (s *xlsxSource) close() error {
	err := s.rows.Close()
	if cerr := s.book.Close(); err == nil {
		err = cerr
	}
	return err
}
