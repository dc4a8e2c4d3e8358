package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"marshrut/internal/config"
	"marshrut/internal/exchange"
	"marshrut/internal/exchange/trudvsem"
	"marshrut/internal/imports"
	"marshrut/internal/store"
)

// errRejected makes the exit code non-zero when rows were rejected.
var errRejected = errors.New("часть строк отклонена")

func newImporter(st *store.Store) *imports.Importer {
	return imports.New(st.Reference, func(ctx context.Context, fn func(imports.Loader) error) error {
		return st.Load(ctx, func(l *store.Loader) error { return fn(l) })
	})
}

func runImport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(e.stderr, "Использование:\n  marshrut import learners|orgs|outcomes|sfr|frdo|guidance ФАЙЛ [--dry-run] [--format csv|xlsx] [--sheet ЛИСТ] [--org НОМЕР] [--map поле=столбец,…] [--report ОТЧЁТ.xlsx]\n  marshrut import vacancies ФАЙЛ [--dry-run] [--format trudvsem-json|trudvsem-dataset|trudvsem-csv] [--report ОТЧЁТ.xlsx]")
		return flag.ErrHelp
	}
	kind := args[0]
	if kind == "vacancies" {
		return runImportVacancies(ctx, e, args[1:])
	}
	table, ok := imports.Kinds[kind]
	if !ok {
		return fmt.Errorf("загрузка «%s» не поддерживается; доступно: learners, orgs, outcomes, sfr, frdo, guidance, vacancies", kind)
	}
	cfg := config.Default()
	fs := flags("import "+kind, e, &cfg)
	dry := fs.Bool("dry-run", false, "только проверить: показать, что будет создано, изменено и отклонено, ничего не записывая")
	format := fs.String("format", "", "формат файла: csv или xlsx (по умолчанию — по содержимому)")
	sheet := fs.String("sheet", "", "лист книги XLSX (по умолчанию первый)")
	orgID := fs.Int64("org", 0, "номер организации, к которой относятся строки без неё, и единственной, чьи строки принимаются")
	mapping := fs.String("map", "", "сопоставление столбцов целиком вместо распознанного: поле=номер столбца с нуля, например «last_name=0,first_name=1,birth_date=3»")
	report := fs.String("report", "", "сохранить отклонённые строки с причинами в файл XLSX")
	rest := args[1:]
	var file string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		file, rest = rest[0], rest[1:]
	}
	if err := cfg.Parse(fs, rest, e.getenv); err != nil {
		return err
	}
	if file == "" && fs.NArg() > 0 {
		file = fs.Arg(0)
	}
	if file == "" {
		return errors.New("укажите файл: marshrut import " + kind + " ФАЙЛ")
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("файл не открывается: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	fmtOpt, err := exchange.ParseFormat(*format)
	if err != nil {
		return err
	}
	counter := &countingReader{r: f}
	tab, err := exchange.Open(counter, file, exchange.Options{Format: fmtOpt, Sheet: *sheet})
	if err != nil {
		return err
	}
	defer tab.Close()
	m, unknown := exchange.Recognise(tab.Header(), table.Fields)
	if *mapping != "" {
		if err := m.Parse(*mapping); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "Файл %s: %s, %s, заголовок в строке %d.\nСтолбцы:\n", file, tab.Format(),
		firstNonEmpty(tab.Sheet(), tab.Encoding()), tab.HeaderLine())
	for _, fld := range m.Fields() {
		if c := m.Col(fld.Key); c >= 0 {
			fmt.Fprintf(e.stdout, "  %-28s ← %s «%s»\n", fld.Title, exchange.ColumnName(c), tab.Header()[c])
		}
	}
	for _, u := range unknown {
		fmt.Fprintf(e.stdout, "  столбец не распознан и пропущен: %s\n", u)
	}
	if err := m.Check(); err != nil {
		return err
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	keepMemoryFlat(e)

	bar := newProgress(e.stderr, info.Size(), counter)
	rep, err := table.Run(ctx, newImporter(st), tab, m, imports.Options{Region: cfg.Region, OrgID: *orgID, DryRun: *dry, Now: cfg.Now(),
		Progress: bar.update})
	bar.done()
	if err != nil {
		return err
	}
	printReport(e.stdout, rep)
	if *report != "" && rep.Rejected > 0 {
		if err := saveIssues(*report, rep); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Отклонённые строки с причинами сохранены в %s.\n", *report)
	}
	if rep.Rejected > 0 {
		return errRejected
	}
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// runImportVacancies loads vacancies of «Работа России» in any of its three formats.
func runImportVacancies(ctx context.Context, e *env, args []string) error {
	cfg := config.Default()
	fs := flags("import vacancies", e, &cfg)
	dry := fs.Bool("dry-run", false, "только проверить, ничего не записывая")
	format := fs.String("format", "", "формат: trudvsem-json (ответ API), trudvsem-dataset (открытые данные), trudvsem-csv; по умолчанию — по содержимому")
	report := fs.String("report", "", "сохранить отклонённые записи с причинами в файл XLSX")
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := cfg.Parse(fs, args, e.getenv); err != nil {
		return err
	}
	if file == "" {
		return errors.New("укажите файл: marshrut import vacancies ФАЙЛ")
	}
	formats := map[string]trudvsem.Format{"": "", "trudvsem-json": trudvsem.API, "trudvsem-dataset": trudvsem.Dataset, "trudvsem-csv": trudvsem.CSV}
	tf, ok := formats[*format]
	if !ok {
		return fmt.Errorf("--format: «%s» — допустимы trudvsem-json, trudvsem-dataset, trudvsem-csv", *format)
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("файл не открывается: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	st, err := openStore(ctx, &cfg, cfg.Logger())
	if err != nil {
		return err
	}
	defer st.Close()
	keepMemoryFlat(e)
	counter := &countingReader{r: f}
	bar := newProgress(e.stderr, info.Size(), counter)
	rep, err := newImporter(st).Vacancies(ctx, counter, file, tf, imports.Options{Region: cfg.Region, DryRun: *dry, Now: cfg.Now(), Progress: bar.update})
	bar.done()
	if err != nil {
		return err
	}
	printReport(e.stdout, rep)
	if *report != "" && rep.Rejected+rep.Flagged > 0 {
		if err := saveIssues(*report, rep); err != nil {
			return err
		}
	}
	if rep.Rejected > 0 {
		return errRejected
	}
	return nil
}

func printReport(w io.Writer, rep imports.Report) {
	verb := "Загружено"
	if rep.DryRun {
		verb = "Проверка (ничего не записано): было бы"
	}
	rows := "строк"
	if rep.Kind == "vacancies" {
		rows = "записей"
	}
	fmt.Fprintf(w, "%s за %s: %s %d; создано %d, изменено %d, без изменений %d, отклонено %d",
		verb, rep.Duration.Round(time.Millisecond), rows, rep.Rows, rep.Created, rep.Updated, rep.Unchanged, rep.Rejected)
	if rep.Skipped > 0 {
		fmt.Fprintf(w, ", пропущено %d (другие регионы)", rep.Skipped)
	}
	if rep.Flagged > 0 {
		fmt.Fprintf(w, ", принято с замечаниями %d", rep.Flagged)
	}
	fmt.Fprintln(w, ".")
	for _, s := range imports.SkippedLines(rep) {
		fmt.Fprintf(w, "  пропущено: %s\n", s)
	}
	for i, is := range rep.Notes {
		if i == 10 {
			fmt.Fprintf(w, "  … и ещё %d замечаний; полный список — с флагом --report\n", len(rep.Notes)-i)
			break
		}
		fmt.Fprintf(w, "  замечание, запись %d: %s\n", is.Line, is.Reason)
	}
	for i, is := range rep.Issues {
		if i == 30 {
			fmt.Fprintf(w, "  … и ещё %d причин; полный список — с флагом --report\n", len(rep.Issues)-i)
			break
		}
		col := ""
		if is.Column != "" {
			col = ", столбец «" + is.Column + "»"
		}
		unit := "строка"
		if rep.Kind == "vacancies" {
			unit = "запись"
		}
		fmt.Fprintf(w, "  %s %d%s: %s\n", unit, is.Line, col, is.Reason)
	}
}

// saveIssues writes the rejected rows' reasons to an XLSX file.
func saveIssues(path string, rep imports.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	xw, err := exchange.NewXLSX(f, "Отклонённые строки", []exchange.Column{
		{Title: "Строка", Kind: exchange.Int, Width: 9}, {Title: "Столбец", Kind: exchange.Text, Width: 30}, {Title: "Причина", Kind: exchange.Text, Width: 90}})
	if err != nil {
		f.Close()
		return err
	}
	for _, is := range rep.Issues {
		if err := xw.Write([]any{is.Line, is.Column, is.Reason}); err != nil {
			f.Close()
			return err
		}
	}
	for _, is := range rep.Notes {
		if err := xw.Write([]any{is.Line, is.Column, "принято с замечанием: " + is.Reason}); err != nil {
			f.Close()
			return err
		}
	}
	if err := xw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// keepMemoryFlat gives a long import a soft memory limit, so that the garbage
// collector works a little harder instead of letting the heap double between
// collections; GOMEMLIMIT, when set, wins.
func keepMemoryFlat(e *env) {
	if e.getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(96 << 20)
	}
}

// countingReader counts the bytes read, for the progress bar.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// progress draws a progress bar on a terminal and stays silent otherwise.
type progress struct {
	w     io.Writer
	tty   bool
	size  int64
	read  *countingReader
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer, size int64, read *countingReader) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil {
			tty = st.Mode()&os.ModeCharDevice != 0
		}
	}
	return &progress{w: w, tty: tty, size: size, read: read, start: time.Now()}
}

func (p *progress) update(rows int) {
	if !p.tty || time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	share := float64(p.read.n.Load()) / float64(max(p.size, 1))
	width := 30
	done := int(share * float64(width))
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%%  %d строк, %.0f строк/с ", strings.Repeat("█", min(done, width)), strings.Repeat("░", width-min(done, width)),
		100*min(share, 1), rows, float64(rows)/time.Since(p.start).Seconds())
}

func (p *progress) done() {
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
