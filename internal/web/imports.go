package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/exchange"
	"marshrut/internal/imports"
	"marshrut/internal/jobs"
)

// MaxUpload is the largest file a page accepts.
const MaxUpload = 50 << 20

var reToken = regexp.MustCompile(`^[A-Za-z0-9_-]{20,64}$`)

// importResult is what an import job leaves for its page.
type importResult struct {
	Kind     string
	Token    string
	File     string
	DryRun   bool
	Report   imports.Report
	Header   []string
	Mapping  map[string]int // field key → column, −1 when absent
	Unknown  []string
	Encoding string
	Sheet    string
}

// ImportForm shows the upload form for learners.
func (w *Web) ImportForm(rw http.ResponseWriter, r *http.Request) {
	data := w.importFormData(r, nil)
	u, _, _ := auth.Caller(r.Context())
	recent, err := w.d.Jobs.Recent(r.Context(), u.ID, 10)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data.Recent = recent
	w.render(rw, r, http.StatusOK, "import", "import", data)
}

// uploadKinds are what the upload page takes, in the order it offers them.
var uploadKinds = []struct{ Name, Title string }{
	{"learners", "Обучающиеся (школьники, студенты, выпускники)"},
	{"outcomes", "Сведения о занятости выпускников"},
	{"guidance", "Участие школьников в профориентации («Билет в будущее», «Россия — мои горизонты»)"},
	{"frdo", "Документы об образовании для ФИС ФРДО (выпуск)"},
	{"sfr", "Ответ СФР о трудоустройстве выпускников (только регион)"},
	{"orgs", "Организации (только регион)"},
	{"vacancies", "Вакансии «Работы России» (только регион)"},
}

// importPage is the upload form with the caller's recent jobs.
type importPage struct {
	Max    int
	Kinds  []struct{ Name, Title string }
	Kind   string
	Recent []jobs.Job
	Error  string
}

func (w *Web) importFormData(r *http.Request, err error) importPage {
	_, sc, _ := auth.Caller(r.Context())
	var kinds []struct{ Name, Title string }
	for _, k := range uploadKinds {
		if sc.WholeRegion() || (k.Name != "orgs" && k.Name != "vacancies") {
			kinds = append(kinds, k)
		}
	}
	data := importPage{Max: MaxUpload >> 20, Kinds: kinds, Kind: r.FormValue("kind")}
	if err != nil {
		data.Error = apperr.Text(err)
	}
	return data
}

func (w *Web) importFormError(rw http.ResponseWriter, r *http.Request, err error) {
	w.render(rw, r, apperr.HTTPStatus(apperr.CodeOf(err)), "import", "import", w.importFormData(r, err))
}

// ImportUpload keeps the uploaded file and starts its check (or its import).
func (w *Web) ImportUpload(rw http.ResponseWriter, r *http.Request) {
	u, sc, _ := auth.Caller(r.Context())
	if !sc.CanEditLearners() {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "загружать списки обучающихся могут школы, колледжи, вузы и регион"))
		return
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			w.importFormError(rw, r, apperr.New(apperr.Invalid, "Файл больше %d МиБ: разбейте его на части или загрузите через marshrut import.", MaxUpload>>20))
			return
		}
		w.importFormError(rw, r, apperr.Field("file", "выберите файл CSV или XLSX"))
		return
	}
	defer file.Close()
	if hdr.Size == 0 {
		w.importFormError(rw, r, apperr.Field("file", "файл «%s» пуст (0 байт)", hdr.Filename))
		return
	}
	token := auth.NewSecret()
	if err := os.MkdirAll(w.uploads(), 0o700); err != nil {
		w.Error(rw, r, err)
		return
	}
	dst, err := os.OpenFile(w.upload(token), os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	if _, err := io.Copy(dst, file); err != nil {
		dst.Close() // the copy failed already: its error is the one to tell
		w.removeUpload(r, dst.Name())
		w.Error(rw, r, err)
		return
	}
	if err := dst.Close(); err != nil {
		w.Error(rw, r, err)
		return
	}
	// The name travels beside the file, for the report, and so does whose it is.
	// Without its name the file cannot be read by its kind: a failed write fails the upload.
	if err := os.WriteFile(w.upload(token)+".name", []byte(filepath.Base(hdr.Filename)), 0o600); err != nil {
		w.removeUpload(r, w.upload(token))
		w.Error(rw, r, err)
		return
	}
	if err := os.WriteFile(w.upload(token)+".owner", []byte(uploadOwner(sc)), 0o600); err != nil {
		w.removeUpload(r, w.upload(token))
		w.Error(rw, r, err)
		return
	}
	w.startImport(rw, r, u, sc, r.PostFormValue("kind"), token, r.PostFormValue("apply") != "1", r.PostFormValue("sheet"), nil)
}

// ImportRun checks an uploaded file again with a corrected mapping, or imports it.
func (w *Web) ImportRun(rw http.ResponseWriter, r *http.Request) {
	u, sc, _ := auth.Caller(r.Context())
	token := r.PostFormValue("token")
	if !reToken.MatchString(token) {
		w.Error(rw, r, apperr.New(apperr.NotFound, "загруженный файл не найден: загрузите его снова"))
		return
	}
	w.startImport(rw, r, u, sc, r.PostFormValue("kind"), token, r.PostFormValue("apply") != "1", r.PostFormValue("sheet"), r.PostForm)
}

// removeUpload removes a file of a failed upload; a failure is logged, the
// sweep removes the file later.
func (w *Web) removeUpload(r *http.Request, path string) {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		w.logWithout(r, "removal of a failed upload", err)
	}
}

func (w *Web) uploads() string { return filepath.Join(os.TempDir(), "marshrut-uploads") }

// uploadOwner is whose an upload is: the organisation of an organisation's
// user, the user themself for the region's users.
func uploadOwner(sc auth.Scope) string {
	if sc.OrgID != 0 {
		return fmt.Sprintf("region=%s org=%d", sc.RegionCode, sc.OrgID)
	}
	return fmt.Sprintf("region=%s user=%d", sc.RegionCode, sc.UserID)
}

func (w *Web) upload(token string) string { return filepath.Join(w.uploads(), token) }

// startImport runs the import of an uploaded file as a job and sends the
// browser to the job's page.
func (w *Web) startImport(rw http.ResponseWriter, r *http.Request, u auth.User, sc auth.Scope, kind, token string, dry bool, sheet string, form map[string][]string) {
	if kind == "" {
		kind = "learners"
	}
	table, tabular := imports.Kinds[kind]
	if !tabular && kind != "vacancies" {
		w.importFormError(rw, r, apperr.Field("kind", "неизвестный вид списка «%s»", kind))
		return
	}
	if (table.Regional || kind == "vacancies") && !sc.WholeRegion() {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "загружать этот вид списков может только регион"))
		return
	}
	path := w.upload(token)
	info, err := os.Stat(path)
	if owner, oerr := os.ReadFile(path + ".owner"); err == nil && (oerr != nil || string(owner) != uploadOwner(sc)) {
		// Another organisation's upload is answered as a missing one, even
		// to a user who learnt its token.
		err = os.ErrNotExist
	}
	if err != nil {
		w.Error(rw, r, apperr.New(apperr.NotFound, "загруженный файл не найден: загрузите его снова"))
		return
	}
	name, err := os.ReadFile(path + ".name")
	if err != nil {
		// An upload kept before its name is read by its content alone.
		w.logWithout(r, "name of an upload", err)
	}
	var m exchange.Mapping
	var unknown []exchange.Unknown
	if tabular {
		// Open once here, so that a file that is not a table is refused at once.
		var tab *exchange.Table
		tab, m, unknown, err = openUpload(path, string(name), sheet, table.Fields, form)
		if err != nil {
			w.importFormError(rw, r, err)
			return
		}
		tab.Close()
	}
	title := "Проверка файла «" + string(name) + "»"
	if !dry {
		title = "Загрузка файла «" + string(name) + "»"
	}
	orgID := int64(0)
	if !sc.WholeRegion() {
		orgID = sc.OrgID
	}
	job := &jobs.Job{Kind: "import." + kind, Title: title, UserID: u.ID}
	err = w.d.Jobs.Start(r.Context(), job, func(ctx context.Context, p jobs.Progress) (any, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		counter := &countingReader{r: f}
		var clashes []int64
		opt := imports.Options{Region: sc.RegionCode, OrgID: orgID, DryRun: dry, Now: w.d.Now(),
			Progress: func(rows int) { p(int(counter.n*1000/max(info.Size(), 1)), 1000) },
			Conflict: func(id int64) { clashes = append(clashes, id) }}
		// Rows that named another organisation's learner are audited once the
		// import's transaction is over.
		defer w.auditClashes(context.WithoutCancel(ctx), sc, &clashes)
		res := importResult{Kind: kind, Token: token, File: string(name), DryRun: dry, Mapping: map[string]int{}}
		if !tabular {
			res.Report, err = w.d.Importer.Vacancies(ctx, counter, string(name), "", opt)
			return res, err
		}
		tab, err := exchange.Open(counter, string(name), exchange.Options{Sheet: sheet})
		if err != nil {
			return nil, err
		}
		defer tab.Close()
		if res.Report, err = table.Run(ctx, w.d.Importer, tab, m, opt); err != nil {
			return nil, err
		}
		res.Header, res.Encoding, res.Sheet = tab.Header(), tab.Encoding(), tab.Sheet()
		for _, f := range m.Fields() {
			res.Mapping[f.Key] = m.Col(f.Key)
		}
		for _, u := range unknown {
			res.Unknown = append(res.Unknown, u.String())
		}
		return res, nil
	})
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/jobs/"+strconv.FormatInt(job.ID, 10), http.StatusSeeOther)
}

// openUpload opens an uploaded table and maps its columns, applying the
// corrections of a form when there is one.
func openUpload(path, name, sheet string, fields []exchange.Field, form map[string][]string) (*exchange.Table, exchange.Mapping, []exchange.Unknown, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, exchange.Mapping{}, nil, err
	}
	defer f.Close()
	tab, err := exchange.Open(f, name, exchange.Options{Sheet: sheet})
	if err != nil {
		return nil, exchange.Mapping{}, nil, err
	}
	m, unknown := exchange.Recognise(tab.Header(), fields)
	if form != nil {
		if err := m.ParseForm(form, "map_"); err != nil {
			tab.Close()
			return nil, m, nil, err
		}
	}
	if err := m.Check(); err != nil {
		tab.Close()
		return nil, m, nil, err
	}
	return tab, m, unknown, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// job returns a job of the caller's; another user's job is NotFound.
func (w *Web) job(r *http.Request) (jobs.Job, error) {
	u, _, _ := auth.Caller(r.Context())
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return jobs.Job{}, apperr.New(apperr.NotFound, "задание не найдено")
	}
	j, err := w.d.Jobs.Job(r.Context(), id)
	if err != nil {
		return j, err
	}
	if j.UserID != u.ID {
		return jobs.Job{}, apperr.New(apperr.NotFound, "задание не найдено")
	}
	return j, nil
}

// jobPage is a job's progress and, for an import, its report.
type jobPage struct {
	Job       jobs.Job
	Back      string
	BackTitle string
	Result    *importResult // the report of a finished import, nil otherwise
	Fields    []exchange.Field
	FileKept  bool
}

// Job shows a job's progress while it runs (the page refreshes itself) and
// its report when it ends.
func (w *Web) Job(rw http.ResponseWriter, r *http.Request) {
	j, err := w.job(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	if j.Status == jobs.Done && strings.HasPrefix(j.Kind, "risk.") {
		http.Redirect(rw, r, "/risk?done="+url.QueryEscape(riskJobDone(j)), http.StatusSeeOther)
		return
	}
	data := jobPage{Job: j, Back: "/imports/learners", BackTitle: "Загрузка списков"}
	if strings.HasPrefix(j.Kind, "risk.") {
		data.Back, data.BackTitle = "/risk/model", "Модель риска"
	}
	if j.Status == jobs.Done && strings.HasPrefix(j.Kind, "import.") {
		var res importResult
		if err := json.Unmarshal(j.Result, &res); err != nil {
			w.Error(rw, r, fmt.Errorf("job %d result: %w", j.ID, err))
			return
		}
		data.Result = &res
		if k, ok := imports.Kinds[res.Kind]; ok {
			data.Fields = k.Fields
		}
		_, err := os.Stat(w.upload(res.Token))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			w.logWithout(r, "uploaded file of a job", err) // the report stands without the corrections
		}
		data.FileKept = err == nil
	}
	w.render(rw, r, http.StatusOK, "job", "import", data)
}

// JobIssues downloads the rejected rows of an import as XLSX.
func (w *Web) JobIssues(rw http.ResponseWriter, r *http.Request) {
	j, err := w.job(r)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	var res importResult
	if err := json.Unmarshal(j.Result, &res); err != nil || j.Status != jobs.Done {
		w.Error(rw, r, apperr.New(apperr.NotFound, "отчёт ещё не готов"))
		return
	}
	cols := []exchange.Column{{Title: "Строка", Kind: exchange.Int, Width: 9}, {Title: "Столбец", Width: 30}, {Title: "Причина", Width: 90}}
	w.export(rw, r, "otklonennye-stroki", cols, func(write func([]any) error) error {
		for _, is := range res.Report.Issues {
			if err := write([]any{is.Line, is.Column, is.Reason}); err != nil {
				return err
			}
		}
		return nil
	})
}

// SweepUploads removes uploaded files older than a day.
func (w *Web) SweepUploads(now time.Time) {
	entries, err := os.ReadDir(w.uploads())
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) { // nothing uploaded yet
			w.d.Log.Warn("sweep uploads", "err", err)
		}
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err == nil && now.Sub(info.ModTime()) > 24*time.Hour {
			err = os.Remove(filepath.Join(w.uploads(), e.Name()))
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) { // removed meanwhile
			w.d.Log.Warn("sweep uploads", "file", e.Name(), "err", err)
		}
	}
}

// auditClashes writes an audit entry for each learner of another
// organisation whose СНИЛС an import named.
func (w *Web) auditClashes(ctx context.Context, sc auth.Scope, ids *[]int64) {
	for _, id := range *ids {
		if err := w.d.Users.Audit(ctx, auth.AuditEntry{At: w.d.Now(), UserID: sc.UserID, Role: sc.Role, Action: "learner.snils_conflict",
			LearnerID: id, From: sc.From}); err != nil {
			w.d.Log.Error("audit", "err", err)
		}
	}
}
