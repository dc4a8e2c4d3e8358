package exchange

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"marshrut/internal/apperr"
)

// sniffSize is how much of a file is looked at to tell its format, encoding
// and delimiter.
const sniffSize = 64 << 10

// maxRecord caps one CSV record. encoding/csv keeps a record in memory, and a
// quote left open runs the record to the end of the file; the cap keeps such a
// file from being read whole.
const maxRecord = 1 << 20

var errRecordTooLong = errors.New("exchange: record too long")

type csvSource struct {
	r        *csv.Reader
	lim      *limitReader
	encoding string
	comma    rune
	checkUTF bool // UTF-8 judged on the first 64 KiB may still break later
	lastLine int
}

// openCSV detects the encoding and the delimiter from the first 64 KiB of br.
func openCSV(br *bufio.Reader, name string, opt Options) (*csvSource, error) {
	head, _ := br.Peek(sniffSize)
	s := &csvSource{}
	var text io.Reader = br
	utf16 := bytes.HasPrefix(head, []byte("\xFF\xFE")) || bytes.HasPrefix(head, []byte("\xFE\xFF"))
	if !utf16 && isBinary(head) {
		return nil, apperr.New(apperr.Invalid, "Файл %sне похож на таблицу CSV: в нём двоичные данные. Загрузите CSV (текст с разделителями «;» или «,») или книгу Excel XLSX", quoteNameSp(name))
	}
	switch {
	case utf16:
		// Excel's «Текст Юникод» is UTF-16 with a byte-order mark.
		text = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Reader(br)
		s.encoding = "UTF-16"
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		_, _ = br.Discard(3)
		s.encoding, s.checkUTF = "UTF-8", true
	case len(head) == sniffSize && isASCII(head):
		// Nothing to judge by yet: decide at the first letter past ASCII.
		text = &lateDecoder{br: br, s: s}
		s.encoding, s.checkUTF = "UTF-8", true
	case validUTF8Prefix(head, len(head) == sniffSize):
		s.encoding, s.checkUTF = "UTF-8", true
	default:
		// Not UTF-8: the other encoding Russian spreadsheets are saved in.
		text = charmap.Windows1251.NewDecoder().Reader(br)
		s.encoding = "Windows-1251"
	}
	tb, ok := text.(*bufio.Reader)
	if !ok {
		tb = bufio.NewReaderSize(text, sniffSize)
	}
	sample, err := tb.Peek(sniffSize)
	truncated := err == nil
	if err != nil && err != io.EOF {
		return nil, apperr.Wrap(err, apperr.Invalid, "Не удалось прочитать файл %s в кодировке %s", quoteName(name), s.encoding)
	}
	s.comma = opt.Comma
	if s.comma == 0 {
		s.comma = detectComma(sample, truncated)
	} else if !validComma(s.comma) {
		return nil, fmt.Errorf("exchange: invalid CSV delimiter %q", s.comma)
	}
	s.lim = &limitReader{r: tb, max: maxRecord}
	s.r = csv.NewReader(s.lim)
	s.r.Comma = s.comma
	s.r.FieldsPerRecord = -1
	// Files saved by 1C and home-made tools put bare quotes in values
	// (ООО "Ромашка"); a strict reader would refuse the whole file for it.
	s.r.LazyQuotes = true
	return s, nil
}

func (s *csvSource) next() (int, []string, error) {
	s.lim.n = 0
	rec, err := s.r.Read()
	if err == io.EOF {
		return 0, nil, io.EOF
	}
	if errors.Is(err, errRecordTooLong) {
		return 0, nil, apperr.New(apperr.Invalid, "Запись после строки %d длиннее %d МиБ: вероятно, в файле не закрыта кавычка", s.lastLine, maxRecord>>20)
	}
	if err != nil {
		return 0, nil, apperr.Wrap(err, apperr.Invalid, "Не удалось прочитать CSV после строки %d", s.lastLine)
	}
	line, _ := s.r.FieldPos(0)
	s.lastLine, _ = s.r.FieldPos(len(rec) - 1)
	if s.checkUTF {
		for i, c := range rec {
			if !utf8.ValidString(c) {
				rec[i] = strings.ToValidUTF8(c, "\uFFFD")
			}
		}
	}
	return line, rec, nil
}

func (s *csvSource) close() error { return nil }

// limitReader fails once more than max bytes are read since n was last reset.
type limitReader struct {
	r   io.Reader
	n   int
	max int
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n > l.max {
		return 0, errRecordTooLong
	}
	n, err := l.r.Read(p)
	l.n += n
	return n, err
}

// lateDecoder passes ASCII through and, at the first byte past it, judges
// the next 64 KiB: UTF-8 stays as it is, anything else is read as
// Windows-1251 from there on.
type lateDecoder struct {
	br  *bufio.Reader
	s   *csvSource
	dec io.Reader
}

func (l *lateDecoder) Read(p []byte) (int, error) {
	if l.dec != nil {
		return l.dec.Read(p)
	}
	buf, err := l.br.Peek(max(1, min(len(p), l.br.Buffered())))
	i := 0
	for i < len(buf) && buf[i] < utf8.RuneSelf {
		i++
	}
	if i > 0 || len(buf) == 0 {
		n := copy(p, buf[:i])
		_, _ = l.br.Discard(n)
		if n > 0 {
			err = nil
		}
		return n, err
	}
	window, _ := l.br.Peek(sniffSize)
	if validUTF8Prefix(window, len(window) == sniffSize) {
		l.dec = l.br
	} else {
		l.dec = charmap.Windows1251.NewDecoder().Reader(l.br)
		l.s.encoding, l.s.checkUTF = "Windows-1251", false
	}
	return l.dec.Read(p)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isBinary reports bytes no text table has: NUL, or control characters in
// more than one byte of a hundred.
func isBinary(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range b {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F {
			ctl++
		}
	}
	return ctl*100 > len(b)
}

// validUTF8Prefix reports whether b is UTF-8, forgiving a rune cut at the end
// when b is only the beginning of the file.
func validUTF8Prefix(b []byte, cut bool) bool {
	if cut {
		for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:]) {
					b = b[:i]
				}
				break
			}
		}
	}
	return utf8.Valid(b)
}

// detectComma picks the delimiter that splits most of the first records
// into the same number of fields, more than one. Title lines above the table
// and a record cut at the end of the sample count against no one.
func detectComma(sample []byte, truncated bool) rune {
	if truncated {
		if i := bytes.LastIndexByte(sample, '\n'); i > 0 {
			sample = sample[:i+1]
		}
	}
	best, bestFreq, bestWidth := ';', 0, 0
	// The order breaks ties: «;» is what Excel writes in a Russian locale,
	// and a tab is rarer inside values than a comma.
	for _, c := range []rune{';', '\t', ','} {
		r := csv.NewReader(bytes.NewReader(sample))
		r.Comma, r.LazyQuotes, r.FieldsPerRecord = c, true, -1
		widths := map[int]int{}
		n := 0
		for n < 100 {
			rec, err := r.Read()
			if err != nil {
				break
			}
			if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
				continue
			}
			widths[len(rec)]++
			n++
		}
		width, freq := 0, 0
		for w, f := range widths {
			if f > freq || (f == freq && w > width) {
				width, freq = w, f
			}
		}
		if width < 2 || freq*2 < n {
			continue
		}
		if freq > bestFreq || (freq == bestFreq && width > bestWidth) {
			best, bestFreq, bestWidth = c, freq, width
		}
	}
	return best
}

func validComma(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && r != utf8.RuneError && utf8.ValidRune(r)
}
