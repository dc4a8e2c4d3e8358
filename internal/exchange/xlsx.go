package exchange

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"

	"marshrut/internal/apperr"
)

// defaultMaxUnpacked caps the unpacked size of a book unless Options say otherwise.
const defaultMaxUnpacked = 4 << 30

type xlsxSource struct {
	book *excelize.File
	rows *excelize.Rows
	row  int // the row number Rows.Next stands on: one Next per sheet row, gaps included
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
	limit := opt.MaxUnpacked
	if limit <= 0 {
		limit = defaultMaxUnpacked
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
	return &xlsxSource{book: book, rows: rows}, sheet, nil
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
	cells, err := s.rows.Columns()
	if err != nil {
		return 0, nil, s.fail(err)
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
