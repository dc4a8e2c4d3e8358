package exchange

import (
	"bytes"
	"io"
	"testing"
	"time"

	"marshrut/internal/apperr"
)

// xlsxSeed is a small workbook as Marshrut writes it: a title row, a header
// and a few rows of every kind of cell.
func xlsxSeed(f *testing.F) []byte {
	var buf bytes.Buffer
	w, err := NewXLSX(&buf, "Обучающиеся", []Column{{Title: "Фамилия"}, {Title: "Имя"}, {Title: "Дата рождения", Kind: Date},
		{Title: "Курс", Kind: Int}, {Title: "Балл", Kind: Float}, {Title: "Доля", Kind: Percent}})
	if err != nil {
		f.Fatal(err)
	}
	for _, row := range [][]any{
		{"Иванова", "Мария", time.Date(2008, 3, 4, 0, 0, 0, 0, time.UTC), 2, 4.5, 0.853},
		{"Ёлкин", " Пётр ", time.Time{}, nil, -1e300, 1.5},
		{"=1+1", "\"кавычки\";", nil, 0, 0, 0},
	} {
		if err := w.Write(row); err != nil {
			f.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzXLSX feeds damaged workbooks to the reader: it must refuse them with an
// Invalid error for the person or read a header and rows of clean UTF-8 cells
// in growing line numbers, never panic or hang.
func FuzzXLSX(f *testing.F) {
	good := xlsxSeed(f)
	f.Add(good)
	for _, cut := range []int{len(good) / 2, len(good) - 22, 30} {
		f.Add(good[:cut])
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)/3] ^= 0xff
	f.Add(flipped)
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		tbl, err := Open(bytes.NewReader(data), "fuzz.xlsx", Options{Format: XLSX})
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("Open: %v is not a message for the person", err)
			}
			return
		}
		defer tbl.Close()
		checkCells(t, tbl.HeaderLine(), tbl.Header())
		prev := tbl.HeaderLine()
		for {
			row, err := tbl.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				if apperr.CodeOf(err) != apperr.Invalid {
					t.Fatalf("Next: %v", err)
				}
				break
			}
			if row.Line <= prev {
				t.Fatalf("line %d after %d", row.Line, prev)
			}
			prev = row.Line
			checkCells(t, row.Line, row.Cells)
		}
	})
}
