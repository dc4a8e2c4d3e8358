package api

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/exchange"
	"marshrut/internal/exchange/trudvsem"
	"marshrut/internal/imports"
)

// maxImport is the largest file the import takes; the server must let this
// route's body through past the 1 MiB of the others.
const maxImport = 50 << 20

// multipartSlack is what a multipart body may carry beyond its file: the
// boundaries and the headers of the parts.
const multipartSlack = 1 << 20

// An upload of 50 MiB on a slow line outlasts the server's read timeout, and
// the import of so many rows its write timeout: this route gets its own.
const (
	importReadTimeout  = 10 * time.Minute
	importWriteTimeout = 15 * time.Minute
)

func errImportTooLarge() error {
	return apperr.New(apperr.Invalid, "Файл больше %d МиБ: разбейте его на части или загрузите через marshrut import", maxImport>>20)
}

// uploadTypes are the Content-Types of a raw body and the format each
// declares ("" leaves it to the content).
var uploadTypes = map[string]exchange.Format{
	"text/csv":                 exchange.CSV,
	xlsxType:                   exchange.XLSX,
	"application/octet-stream": "",
}

// importReportDTO is what an import did, or would do in a dry run.
type importReportDTO struct {
	DryRun    bool             `json:"dry_run"`
	Rows      int              `json:"rows"`
	Created   int              `json:"created"`
	Updated   int              `json:"updated"`
	Unchanged int              `json:"unchanged"`
	Rejected  int              `json:"rejected"`
	Issues    []importIssueDTO `json:"issues"`
	Truncated bool             `json:"truncated"`
	// Skipped rows belong to another region; SkippedBy counts them by region code.
	Skipped   int              `json:"skipped"`
	SkippedBy map[string]int   `json:"skipped_by_region"`
	Flagged   int              `json:"flagged"`
	Notes     []importIssueDTO `json:"notes"`
	// Mapping gives the title of the file's column each field was read from.
	Mapping map[string]string `json:"mapping"`
	// UnknownColumns are the titles of the columns nothing was read from.
	UnknownColumns []string `json:"unknown_columns"`
}

// importIssueDTO is one reason a row was rejected.
type importIssueDTO struct {
	Line   int    `json:"line"`
	Column string `json:"column"` // "" for the row as a whole
	Reason string `json:"reason"`
}

// fromReport is the report of an import that read the file with m and left
// out the columns skipped.
func fromReport(rep imports.Report, m exchange.Mapping, skipped []int) importReportDTO {
	header := m.Header()
	out := importReportDTO{DryRun: rep.DryRun, Rows: rep.Rows, Created: rep.Created, Updated: rep.Updated, Unchanged: rep.Unchanged,
		Rejected: rep.Rejected, Truncated: rep.Truncated, Mapping: map[string]string{}, UnknownColumns: []string{},
		Skipped: rep.Skipped, SkippedBy: map[string]int{}, Flagged: rep.Flagged,
		Issues: mapSlice(rep.Issues, func(is imports.Issue) importIssueDTO {
			return importIssueDTO{Line: is.Line, Column: is.Column, Reason: is.Reason}
		}),
		Notes: mapSlice(rep.Notes, func(is imports.Issue) importIssueDTO {
			return importIssueDTO{Line: is.Line, Column: is.Column, Reason: is.Reason}
		})}
	for c, n := range rep.SkippedBy {
		out.SkippedBy[c] = n
	}
	for _, f := range m.Fields() {
		if c := m.Col(f.Key); c >= 0 && c < len(header) {
			out.Mapping[f.Key] = header[c]
		}
	}
	for _, c := range skipped {
		if c >= 0 && c < len(header) {
			out.UnknownColumns = append(out.UnknownColumns, header[c])
		}
	}
	return out
}

// usedColumns is the set of columns some field of m reads.
func usedColumns(m exchange.Mapping) map[int]bool {
	out := map[int]bool{}
	for _, f := range m.Fields() {
		if c := m.Col(f.Key); c >= 0 {
			out[c] = true
		}
	}
	return out
}

// importLearners reads a file of learners from the body and imports it in one
// transaction (rolled back in a dry run). The answer is 200 with the report
// whenever the file could be read, rejected rows or not; a file that cannot be
// read at all is a 400 with the reason.
func (a *api) importLearners(w http.ResponseWriter, r *http.Request, c caller) error {
	return a.importTable(w, r, c, imports.Kinds["learners"])
}

// importOrganisations loads a register of organisations; only the region may.
func (a *api) importOrganisations(w http.ResponseWriter, r *http.Request, c caller) error {
	return a.importTable(w, r, c, imports.Kinds["orgs"])
}

// importOutcomes loads graduates' employment outcomes.
func (a *api) importOutcomes(w http.ResponseWriter, r *http.Request, c caller) error {
	return a.importTable(w, r, c, imports.Kinds["outcomes"])
}

// importTable reads a table of the given kind from the body and imports it.
func (a *api) importTable(w http.ResponseWriter, r *http.Request, c caller, kind imports.Kind) error {
	sc := c.scope
	if !sc.CanEditLearners() {
		return apperr.New(apperr.Forbidden, "недостаточно прав для загрузки обучающихся: загружать списки могут школы, колледжи, вузы и регион")
	}
	if kind.Regional && !sc.WholeRegion() {
		return apperr.New(apperr.Forbidden, "загружать %s может только регион", kind.Title)
	}
	// A school, college or university loads its own learners; the region anyone's.
	var orgID int64
	if !sc.WholeRegion() {
		if sc.OrgID == 0 {
			return apperr.New(apperr.Forbidden, "недостаточно прав для загрузки обучающихся: пользователь не привязан к организации")
		}
		orgID = sc.OrgID
	}
	if a.d.Importer == nil {
		return errors.New("api: Deps.Importer is not set")
	}
	q := newQuery(r)
	dry := q.bool("dry_run")
	format := exchange.Format(q.oneOf("format", exportFormats...))
	sheet := q.text("sheet", 100)
	mapping := q.text("map", 2000)
	if err := q.err(); err != nil {
		return err
	}
	if r.ContentLength > maxImport+multipartSlack {
		w.Header().Set("Connection", "close")
		a.failStatus(w, r, http.StatusRequestEntityTooLarge, errImportTooLarge())
		return nil
	}
	multipart, declared, err := uploadType(r)
	if err != nil {
		return err
	}
	if format == "" {
		format = declared
	} else if declared != "" && declared != format {
		return apperr.Field("format", "параметр format=%s противоречит заголовку Content-Type: %s", format, r.Header.Get("Content-Type"))
	}
	a.importDeadlines(w, r)

	file, name, err := spoolUpload(w, r, multipart)
	if file != nil {
		defer a.removeSpool(file.Name())
		defer file.Close()
	}
	if err != nil {
		var mb *http.MaxBytesError
		if errors.Is(err, errUploadTooLarge) || errors.As(err, &mb) {
			w.Header().Set("Connection", "close")
			a.failStatus(w, r, http.StatusRequestEntityTooLarge, errImportTooLarge())
			return nil
		}
		return err
	}

	tab, err := exchange.Open(file, name, exchange.Options{Format: format, Sheet: sheet})
	if err != nil {
		return err
	}
	defer tab.Close()
	m, unknown := exchange.Recognise(tab.Header(), kind.Fields)
	skipped := make([]int, 0, len(unknown))
	for _, u := range unknown {
		skipped = append(skipped, u.Col)
	}
	if mapping != "" {
		// The columns left out now are those no field reads any more: the
		// unrecognised ones map did not take, and the recognised ones it dropped.
		was := usedColumns(m)
		if err := m.Parse(mapping); err != nil {
			return apperr.Field("map", "%s", apperr.Message(err))
		}
		now := usedColumns(m)
		skipped = slices.DeleteFunc(append(skipped, slices.Collect(maps.Keys(was))...), func(c int) bool { return now[c] })
		slices.Sort(skipped)
	}
	var clashes []int64
	rep, err := kind.Run(r.Context(), a.d.Importer, tab, m, imports.Options{Region: sc.RegionCode, OrgID: orgID, DryRun: dry, Now: a.now(),
		Conflict: func(id int64) { clashes = append(clashes, id) }})
	// Rows that named another organisation's learner are audited, after the
	// import's transaction.
	for _, id := range clashes {
		a.audit(r, c, auth.AuditEntry{Action: "learner.snils_conflict", LearnerID: id})
	}
	if err != nil {
		return err
	}
	a.d.Log.Info("api import", "kind", rep.Kind, "user", c.user.ID, "login", c.user.Login, "dry_run", rep.DryRun, "rows", rep.Rows,
		"created", rep.Created, "updated", rep.Updated, "unchanged", rep.Unchanged, "rejected", rep.Rejected, "duration", rep.Duration)
	writeJSON(w, http.StatusOK, fromReport(rep, m, skipped))
	return nil
}

var errUploadTooLarge = errors.New("api: upload over the limit")

// uploadType reads the Content-Type of an upload: a multipart form, or a raw
// body and the format its type declares ("" leaves it to the content).
func uploadType(r *http.Request) (multipart bool, declared exchange.Format, err error) {
	ct := r.Header.Get("Content-Type")
	mt, _, perr := mime.ParseMediaType(ct)
	if perr == nil && mt == "multipart/form-data" {
		return true, "", nil
	}
	declared, raw := uploadTypes[mt]
	if perr != nil || !raw {
		if ct == "" {
			ct = "не указан"
		}
		return false, "", apperr.New(apperr.Invalid, "Файл передаётся телом запроса с заголовком Content-Type: text/csv, %s или application/octet-stream, "+
			"либо полем «file» формы multipart/form-data (получен Content-Type «%s»)", xlsxType, ct)
	}
	return false, declared, nil
}

// spoolUpload copies the file of the request into a temporary file, so that
// the import's transaction never waits on a slow client: the raw body, or the
// part «file» of a multipart form. It returns the file at its start and the
// name the client gave it (for messages; "" for a raw body). The caller
// removes the file, which comes back with some errors too.
func spoolUpload(w http.ResponseWriter, r *http.Request, multipart bool) (*os.File, string, error) {
	if !multipart {
		r.Body = http.MaxBytesReader(w, r.Body, maxImport+1)
		f, err := spool(r.Body)
		return f, "", err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxImport+multipartSlack)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", apperr.Wrap(err, apperr.Invalid, "Тело multipart/form-data не удалось прочитать")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, "", apperr.Field("file", "в теле multipart/form-data нет поля «file» с файлом")
		}
		if err != nil {
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				return nil, "", err
			}
			return nil, "", apperr.Wrap(err, apperr.Invalid, "Тело multipart/form-data не удалось прочитать")
		}
		if part.FormName() != "file" {
			continue // NextPart skips the rest of it
		}
		// The part's own Content-Type is what the browser guessed from the
		// extension (a CSV is often «application/vnd.ms-excel»): the content decides.
		name := filepath.Base(part.FileName())
		if name == "." || name == string(filepath.Separator) {
			name = ""
		}
		f, err := spool(part)
		return f, name, err
	}
}

// spool copies r into a temporary file of at most maxImport bytes.
func spool(r io.Reader) (*os.File, error) {
	f, err := os.CreateTemp("", "marshrut-api-upload-*")
	if err != nil {
		return nil, fmt.Errorf("api: spool upload: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(r, maxImport+1))
	switch {
	case err != nil:
		var mb *http.MaxBytesError
		if !errors.As(err, &mb) {
			err = apperr.Wrap(err, apperr.Invalid, "Файл не удалось принять: передача оборвалась")
		}
	case n > maxImport:
		err = errUploadTooLarge
	default:
		_, err = f.Seek(0, io.SeekStart)
	}
	return f, err
}

// vacancyFormats are the formats of «Работа России» the vacancy import takes.
var vacancyFormats = map[string]trudvsem.Format{"trudvsem-json": trudvsem.API, "trudvsem-dataset": trudvsem.Dataset, "trudvsem-csv": trudvsem.CSV}

// importVacancies loads vacancies of «Работа России» from the body: the
// /api/v1 answer, the open-data records or the flattened CSV; the region and
// employment centres may.
func (a *api) importVacancies(w http.ResponseWriter, r *http.Request, c caller) error {
	sc := c.scope
	if !sc.WholeRegion() && sc.Role != auth.CZN {
		return apperr.New(apperr.Forbidden, "загружать вакансии могут регион и центры занятости")
	}
	if a.d.Importer == nil {
		return errors.New("api: Deps.Importer is not set")
	}
	q := newQuery(r)
	dry := q.bool("dry_run")
	format := vacancyFormats[q.oneOf("format", "trudvsem-json", "trudvsem-dataset", "trudvsem-csv")]
	if err := q.err(); err != nil {
		return err
	}
	if r.ContentLength > maxImport+multipartSlack {
		w.Header().Set("Connection", "close")
		a.failStatus(w, r, http.StatusRequestEntityTooLarge, errImportTooLarge())
		return nil
	}
	mt, _, perr := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if perr != nil && !errors.Is(perr, mime.ErrInvalidMediaParameter) {
		mt = "" // not a media type: refused below (a bad parameter keeps its type)
	}
	multipart := mt == "multipart/form-data"
	if !multipart && mt != "application/json" && mt != "application/x-ndjson" && mt != "text/csv" && mt != "application/octet-stream" {
		return apperr.New(apperr.Invalid, "Вакансии передаются телом запроса с заголовком Content-Type: application/json, application/x-ndjson, text/csv "+
			"или application/octet-stream, либо полем «file» формы multipart/form-data")
	}
	a.importDeadlines(w, r)
	file, name, err := spoolUpload(w, r, multipart)
	if file != nil {
		defer a.removeSpool(file.Name())
		defer file.Close()
	}
	if err != nil {
		var mb *http.MaxBytesError
		if errors.Is(err, errUploadTooLarge) || errors.As(err, &mb) {
			w.Header().Set("Connection", "close")
			a.failStatus(w, r, http.StatusRequestEntityTooLarge, errImportTooLarge())
			return nil
		}
		return err
	}
	if format == "" && mt == "text/csv" {
		format = trudvsem.CSV
	}
	rep, err := a.d.Importer.Vacancies(r.Context(), file, name, format, imports.Options{Region: sc.RegionCode, DryRun: dry, Now: a.now()})
	if err != nil {
		return err
	}
	a.d.Log.Info("api import", "kind", rep.Kind, "user", c.user.ID, "dry_run", rep.DryRun, "rows", rep.Rows,
		"created", rep.Created, "updated", rep.Updated, "unchanged", rep.Unchanged, "rejected", rep.Rejected, "duration", rep.Duration)
	writeJSON(w, http.StatusOK, fromReport(rep, exchange.Mapping{}, nil))
	return nil
}

// importDeadlines lengthens the deadlines of the connection for an import.
// Under a writer that cannot reach the connection (a wrapper without Unwrap)
// the server's timeouts stay: that is said at debug level; any other failure
// is a warning.
func (a *api) importDeadlines(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	a.deadlineSet(r, "read", rc.SetReadDeadline(time.Now().Add(importReadTimeout)))
	a.deadlineSet(r, "write", rc.SetWriteDeadline(time.Now().Add(importWriteTimeout)))
}

func (a *api) deadlineSet(r *http.Request, what string, err error) {
	switch {
	case err == nil:
	case errors.Is(err, http.ErrNotSupported):
		a.d.Log.Debug("api import: the server's timeout stays", "deadline", what, "path", r.URL.Path)
	default:
		a.d.Log.Warn("api import: deadline not set", "deadline", what, "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

// removeSpool removes the spooled copy of an upload; a failure is logged.
func (a *api) removeSpool(path string) {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		a.d.Log.Warn("api import: spooled upload not removed", "file", path, "err", err)
	}
}
