package exchange

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"marshrut/internal/apperr"
)

// deflated compresses p as a part of a longer stream: byte-aligned, not final.
func deflated(t *testing.T, p []byte, final bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(p)
	if final {
		w.Close()
	} else {
		w.Flush()
	}
	return buf.Bytes()
}

// bomb is a real XLSX bomb: a valid book whose sheet is a few hundred
// kilobytes packed and mib MiB unpacked (whitespace inside sheetData), made
// without compressing the whole: deflate blocks of one MiB are repeated.
func bomb(t *testing.T, mib int) []byte {
	t.Helper()
	legit := book(t, []string{"Л"}, map[string]map[string]any{"Л": {"A1": "Фамилия", "B1": "Имя", "A2": "Иванов"}})
	zr, err := zip.NewReader(bytes.NewReader(legit), int64(len(legit)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		head := []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		tail := []byte(`</sheetData></worksheet>`)
		chunk := bytes.Repeat([]byte{' '}, 1<<20)
		packedChunk := deflated(t, chunk, false)
		var data bytes.Buffer
		data.Write(deflated(t, head, false))
		crc := crc32.ChecksumIEEE(head)
		for range mib {
			data.Write(packedChunk)
			crc = crc32.Update(crc, crc32.IEEETable, chunk)
		}
		data.Write(deflated(t, tail, true))
		crc = crc32.Update(crc, crc32.IEEETable, tail)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: crc, CompressedSize64: uint64(data.Len()),
			UncompressedSize64: uint64(len(head)+len(tail)) + uint64(mib)<<20})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// A book that unpacks past the limits is refused from its directory, before
// anything is unpacked, in Russian, and leaves no temporary file.
func TestXLSXBomb(t *testing.T) {
	data := bomb(t, 300)
	if len(data) > 2<<20 {
		t.Fatalf("the bomb is %d bytes packed", len(data))
	}
	// It is a real book: its sheet unpacks to what the directory says.
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			rc, _ := f.Open()
			n, err := io.Copy(io.Discard, io.LimitReader(rc, 2<<20))
			rc.Close()
			if err != nil || n != 2<<20 {
				t.Fatalf("the bomb's sheet does not unpack: %d, %v", n, err)
			}
		}
	}
	dir := t.TempDir()
	tbl, err := Open(bytes.NewReader(data), "bomba.xlsx", Options{TempDir: dir})
	if err == nil {
		tbl.Close()
		t.Fatal("a zip bomb was opened")
	}
	msg := apperr.Message(err)
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(msg, "в распакованном виде больше 256 МиБ") || !strings.Contains(msg, "«bomba.xlsx»") {
		t.Errorf("refusal: %q", msg)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	// The whole book is limited too.
	if _, err := Open(bytes.NewReader(bomb(t, 3)), "", Options{TempDir: dir, MaxUnpacked: 2 << 20}); err == nil ||
		!strings.Contains(apperr.Message(err), "больше 2 МиБ") {
		t.Errorf("book limit: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

// A sheet of a few bytes that names a far row or a far column is refused at
// the limit, not walked to the end.
func TestXLSXRowAndColumnLimits(t *testing.T) {
	dir := t.TempDir()
	far := book(t, []string{"Л"}, map[string]map[string]any{"Л": {"A1": "Фамилия", "B1": "Имя", "A2": "Иванов", "A5000": "Петров"}})
	// Open looks ahead for the header, so the far row stops it already.
	tbl, last := Open(bytes.NewReader(far), "", Options{TempDir: dir, MaxRows: 1000})
	for last == nil {
		if _, err := tbl.Next(); err != nil {
			last = err
		}
	}
	if tbl != nil {
		tbl.Close()
	}
	if last == io.EOF || !strings.Contains(apperr.Message(last), "В листе больше 1000 строк") {
		t.Errorf("rows: %v", last)
	}
	wide := book(t, []string{"Л"}, map[string]map[string]any{"Л": {"A1": "Фамилия", "B1": "Имя", "A2": "Иванов", "BZZ2": "x"}})
	if _, err := Open(bytes.NewReader(wide), "", Options{TempDir: dir}); err == nil || !strings.Contains(apperr.Message(err), "В строке 2 листа больше 1024 столбцов") {
		t.Errorf("columns: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}
