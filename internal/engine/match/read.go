package match

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"marshrut/internal/engine/fault"
)

// The files of an instance directory, as /work/shared/peers/match_instance.py
// writes them: CSV with a header, UTF-8, string identifiers. targets.csv is
// optional and ours: one target contract a line.
const (
	GraduatesFile = "graduates.csv" // id
	VacanciesFile = "vacancies.csv" // id,capacity
	EdgesFile     = "edges.csv"     // graduate_id,vacancy_id,graduate_utility,employer_score
	TargetsFile   = "targets.csv"   // graduate_id,vacancy_id
)

var (
	graduatesHeader = []string{"id"}
	vacanciesHeader = []string{"id", "capacity"}
	edgesHeader     = []string{"graduate_id", "vacancy_id", "graduate_utility", "employer_score"}
	targetsHeader   = []string{"graduate_id", "vacancy_id"}
)

// ReadInstance reads an instance directory. edges.csv is streamed: its text is
// never held whole, and an edge costs 12 bytes while loading and 8 after.
// Errors are Russian and name the file and the line: a missing file, a
// malformed line, an unknown graduate or vacancy, a score outside 0..1000, a
// negative capacity, a repeated identifier or edge.
func ReadInstance(dir string) (*Instance, error) {
	b := NewBuilder()
	files := make(map[string]io.Reader, 4)
	for _, name := range []string{GraduatesFile, VacanciesFile, EdgesFile, TargetsFile} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			if name == TargetsFile && errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fault.NotFound(err, "не найден файл %s в каталоге %s", name, dir)
			}
			return nil, fault.Wrap(err, "не удалось открыть файл %s", name)
		}
		defer f.Close()
		files[name] = f
	}
	if err := b.readFiles(files, func() (io.Reader, error) {
		return os.Open(filepath.Join(dir, EdgesFile))
	}); err != nil {
		return nil, err
	}
	return &b.in, nil
}

// readFiles fills the builder from the four readers (targets may be absent)
// and builds the instance. reopen gives edges.csv once more, to find the lines
// of a repeated edge.
func (b *Builder) readFiles(files map[string]io.Reader, reopen func() (io.Reader, error)) error {
	gLine := map[string]int{}
	err := scan(files[GraduatesFile], GraduatesFile, graduatesHeader, func(line int, f [][]byte) error {
		id := string(f[0])
		if first, dup := gLine[id]; dup {
			return lineErr(GraduatesFile, line, "повторный выпускник «%s» (впервые в строке %d)", id, first)
		}
		if id == "" {
			return lineErr(GraduatesFile, line, "пустой идентификатор выпускника")
		}
		gLine[id] = line
		if _, err := b.AddGraduate(id); err != nil {
			return lineErr(GraduatesFile, line, "%s", fault.Message(err))
		}
		return nil
	})
	if err != nil {
		return err
	}
	vLine := map[string]int{}
	err = scan(files[VacanciesFile], VacanciesFile, vacanciesHeader, func(line int, f [][]byte) error {
		id := string(f[0])
		if first, dup := vLine[id]; dup {
			return lineErr(VacanciesFile, line, "повторная вакансия «%s» (впервые в строке %d)", id, first)
		}
		if id == "" {
			return lineErr(VacanciesFile, line, "пустой идентификатор вакансии")
		}
		c, ok := atoi(f[1])
		if !ok || c < 0 || c > math.MaxInt32 {
			return lineErr(VacanciesFile, line, "capacity (число мест) должно быть целым неотрицательным числом, а не «%s»", f[1])
		}
		vLine[id] = line
		if _, err := b.AddVacancy(id, c); err != nil {
			return lineErr(VacanciesFile, line, "%s", fault.Message(err))
		}
		return nil
	})
	if err != nil {
		return err
	}
	gLine, vLine = nil, nil

	var lastID []byte
	lastG := int32(-1)
	err = scan(files[EdgesFile], EdgesFile, edgesHeader, func(line int, f [][]byte) error {
		g := lastG
		if g < 0 || !bytes.Equal(f[0], lastID) {
			var ok bool
			if g, ok = b.gIndex[string(f[0])]; !ok {
				return lineErr(EdgesFile, line, "неизвестный выпускник «%s»: его нет в %s", f[0], GraduatesFile)
			}
			lastID, lastG = append(lastID[:0], f[0]...), g
		}
		v, ok := b.vIndex[string(f[1])]
		if !ok {
			return lineErr(EdgesFile, line, "неизвестная вакансия «%s»: её нет в %s", f[1], VacanciesFile)
		}
		u, ok := atoi(f[2])
		if !ok || u < 0 || u > MaxScore {
			return lineErr(EdgesFile, line, "graduate_utility должна быть целым числом от 0 до %d, а не «%s»", MaxScore, f[2])
		}
		e, ok := atoi(f[3])
		if !ok || e < 0 || e > MaxScore {
			return lineErr(EdgesFile, line, "employer_score должна быть целым числом от 0 до %d, а не «%s»", MaxScore, f[3])
		}
		if len(b.edges) >= math.MaxInt32 {
			return lineErr(EdgesFile, line, "слишком много рёбер")
		}
		b.addEdge(g, v, u, e)
		return nil
	})
	if err != nil {
		return err
	}
	if r, ok := files[TargetsFile]; ok {
		err = scan(r, TargetsFile, targetsHeader, func(line int, f [][]byte) error {
			if err := b.AddTarget(string(f[0]), string(f[1])); err != nil {
				return lineErr(TargetsFile, line, "неизвестный выпускник «%s»: его нет в %s", f[0], GraduatesFile)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	b.index()
	if _, _, dup := b.in.duplicate(); dup {
		return b.duplicateLines(reopen)
	}
	b.resolveTargets()
	return nil
}

// duplicateLines reads edges.csv again to name the first line that repeats an
// edge, and the line it repeats.
func (b *Builder) duplicateLines(reopen func() (io.Reader, error)) error {
	in := &b.in
	dups := map[[2]int32]int{} // pair → first line, 0 until seen
	for g := range int32(len(in.graduates)) {
		es := in.edges[in.start[g]:in.start[g+1]]
		for i := 1; i < len(es) && len(dups) < 1<<16; i++ {
			if edgeVac(es[i]) == edgeVac(es[i-1]) {
				dups[[2]int32{g, edgeVac(es[i])}] = 0
			}
		}
	}
	r, err := reopen()
	if err != nil {
		return fault.Wrap(err, "не удалось повторно открыть %s", EdgesFile)
	}
	if c, ok := r.(io.Closer); ok {
		defer c.Close()
	}
	err = scan(r, EdgesFile, edgesHeader, func(line int, f [][]byte) error {
		key := [2]int32{b.gIndex[string(f[0])], b.vIndex[string(f[1])]}
		first, ok := dups[key]
		if !ok {
			return nil
		}
		if first > 0 {
			return lineErr(EdgesFile, line, "повторное ребро «%s» — «%s» (впервые в строке %d)", f[0], f[1], first)
		}
		dups[key] = line
		return nil
	})
	if err == nil { // the file changed under us
		err = fault.New("%s: повторные рёбра", EdgesFile)
	}
	return err
}

func lineErr(file string, line int, format string, args ...any) error {
	return fault.Field(fmt.Sprintf("%s, строка %d", file, line), format, args...)
}

// atoi parses a decimal integer with an optional minus sign and nothing else.
func atoi(b []byte) (int, bool) {
	neg := false
	if len(b) > 0 && b[0] == '-' {
		neg, b = true, b[1:]
	}
	if len(b) == 0 || len(b) > 12 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// scan streams a CSV file line by line: it checks the header, skips empty
// lines and calls row with the 1-based line number and the fields, which are
// valid only during the call. Lines without quotes (all of them in files the
// peers write) are split in place; a line with a quote goes through
// encoding/csv. A quoted field may not span lines.
func scan(r io.Reader, name string, header []string, row func(line int, fields [][]byte) error) error {
	br := bufio.NewReaderSize(r, 1<<20)
	fields := make([][]byte, 0, len(header))
	for line := 1; ; line++ {
		b, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return lineErr(name, line, "слишком длинная строка")
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fault.Wrap(err, "не удалось прочитать %s", name)
		}
		if len(b) == 0 && err != nil {
			if line == 1 {
				return lineErr(name, 1, "файл пуст, ожидается заголовок %s", join(header))
			}
			return nil
		}
		b = bytes.TrimSuffix(b, []byte{'\n'})
		b = bytes.TrimSuffix(b, []byte{'\r'})
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte("\uFEFF"))
		}
		if len(b) > 0 {
			fields, err = split(fields[:0], b)
			if err != nil {
				return lineErr(name, line, "строка не разбирается как CSV: %v", err)
			}
			if len(fields) != len(header) {
				if line == 1 {
					return lineErr(name, 1, "ожидается заголовок %s", join(header))
				}
				return lineErr(name, line, "ожидается %d %s через запятую (%s), а в строке %d", len(header), plural(len(header), "поле", "поля", "полей"), join(header), len(fields))
			}
			if line == 1 {
				for i, h := range header {
					if string(fields[i]) != h {
						return lineErr(name, 1, "ожидается заголовок %s", join(header))
					}
				}
			} else if err := row(line, fields); err != nil {
				return err
			}
		} else if line == 1 {
			return lineErr(name, 1, "ожидается заголовок %s", join(header))
		}
	}
}

func split(fields [][]byte, b []byte) ([][]byte, error) {
	if bytes.IndexByte(b, '"') < 0 {
		for {
			i := bytes.IndexByte(b, ',')
			if i < 0 {
				return append(fields, b), nil
			}
			fields = append(fields, b[:i])
			b = b[i+1:]
		}
	}
	// encoding/csv would drop a carriage return at the end of the line, a
	// stray one left after the line's own: refuse it, as the unquoted path
	// above does (its last field then holds the CR and does not parse).
	if bytes.HasSuffix(b, []byte{'\r'}) {
		return nil, errors.New("лишний символ возврата каретки в конце строки")
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	rec, err := cr.Read()
	if err != nil {
		return nil, err
	}
	if _, err := cr.Read(); err != io.EOF {
		return nil, errors.New("кавычки не закрыты")
	}
	for _, s := range rec {
		fields = append(fields, []byte(s))
	}
	return fields, nil
}

func join(h []string) string {
	s := ""
	for i, x := range h {
		if i > 0 {
			s += ","
		}
		s += x
	}
	return s
}

func plural(n int, one, few, many string) string {
	switch {
	case n%10 == 1 && n%100 != 11:
		return one
	case n%10 >= 2 && n%10 <= 4 && (n%100 < 10 || n%100 >= 20):
		return few
	}
	return many
}

// WriteInstance writes the instance to dir in the format ReadInstance reads,
// targets.csv included when there are contracts. It lets a run made from the
// application's records be replayed, and the peers be run on the same data.
func WriteInstance(dir string, in *Instance) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("не удалось создать каталог %s: %w", dir, err)
	}
	write := func(name string, header []string, rows func(w *csv.Writer) error) error {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("не удалось создать %s: %w", name, err)
		}
		bw := bufio.NewWriterSize(f, 1<<20)
		w := csv.NewWriter(bw)
		err = w.Write(header)
		if err == nil {
			err = rows(w)
		}
		w.Flush()
		if err == nil {
			err = w.Error()
		}
		if err == nil {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("не удалось записать %s: %w", name, err)
		}
		return nil
	}
	err := write(GraduatesFile, graduatesHeader, func(w *csv.Writer) error {
		for _, id := range in.graduates {
			if err := w.Write([]string{id}); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		err = write(VacanciesFile, vacanciesHeader, func(w *csv.Writer) error {
			for v, id := range in.vacancies {
				if err := w.Write([]string{id, strconv.Itoa(int(in.capacity[v]))}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err == nil {
		err = write(EdgesFile, edgesHeader, func(w *csv.Writer) error {
			rec := make([]string, 4)
			for g, id := range in.graduates {
				for _, x := range in.edges[in.start[g]:in.start[g+1]] {
					rec[0], rec[1] = id, in.vacancies[edgeVac(x)]
					rec[2], rec[3] = strconv.Itoa(int(edgeUtil(x))), strconv.Itoa(int(edgeScore(x)))
					if err := w.Write(rec); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	if err == nil && len(in.targets) > 0 {
		err = write(TargetsFile, targetsHeader, func(w *csv.Writer) error {
			for _, t := range in.targets {
				if err := w.Write([]string{in.graduates[t.Graduate], t.VacancyID}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return err
}
