package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"

	"marshrut/internal/exchange"
	"marshrut/internal/learner"
	"marshrut/internal/org"
	"marshrut/internal/tables"
)

// A list answered with ?format=csv or ?format=xlsx is the whole filtered list
// as a file: every page, read from the service a page at a time and written
// row by row, so that a list of a million rows never sits in memory. The
// columns and rows are exported so that the pages can give the same file.

// exportFormats are the values of ?format= on a list.
var exportFormats = []string{string(exchange.CSV), string(exchange.XLSX)}

// exportFormat reads ?format=: "" asks for the JSON page.
func (q *query) exportFormat() exchange.Format {
	return exchange.Format(q.oneOf("format", exportFormats...))
}

// LearnerColumns are the columns of an exported list of learners.
func LearnerColumns() []exchange.Column { return slices.Clone(tables.LearnerColumns) }

// LearnerRow is a learner as a row of LearnerColumns.
func LearnerRow(l learner.Learner) []any { return tables.LearnerRow(l) }

// OrganisationColumns are the columns of an exported registry of organisations.
func OrganisationColumns() []exchange.Column { return slices.Clone(tables.OrgColumns) }

// OrganisationRow is an organisation as a row of OrganisationColumns.
func OrganisationRow(o org.Organisation) []any { return tables.OrgRow(o) }

var (
	exportLearnerPage      = 1000
	exportOrganisationPage = 500
)

func (a *api) exportLearners(w http.ResponseWriter, r *http.Request, c caller, format exchange.Format, f learner.Filter) error {
	page := func(ctx context.Context, offset, limit int) ([]learner.Learner, error) {
		f.Offset, f.Limit = offset, limit
		ls, _, err := a.d.Learners.List(ctx, c.scope, f)
		return ls, err
	}
	return export(a, w, r, c, format, "obuchayushchiesya", tables.LearnerColumns, exportLearnerPage, page, LearnerRow)
}

func (a *api) exportOrganisations(w http.ResponseWriter, r *http.Request, c caller, format exchange.Format, f org.Filter) error {
	page := func(ctx context.Context, offset, limit int) ([]org.Organisation, error) {
		f.Offset, f.Limit = offset, limit
		list, _, err := a.d.Orgs.List(ctx, f)
		return list, err
	}
	return export(a, w, r, c, format, "organizacii", tables.OrgColumns, exportOrganisationPage, page, OrganisationRow)
}

// export streams the list page reads as a file download named after name and
// today's date. The first page is read before anything is sent, so that a
// failing query still answers the JSON error; so is any failure while nothing
// has reached the client (an XLSX book is sent only when it is complete). A
// failure after the first bytes are sent can no longer change the status:
// it is logged and the connection is cut, so that the client sees a broken
// download rather than a file that looks whole but ends short.
func export[T any](a *api, w http.ResponseWriter, r *http.Request, c caller, format exchange.Format, name string,
	cols []exchange.Column, size int, page func(ctx context.Context, offset, limit int) ([]T, error), row func(T) []any) error {
	ctx := r.Context()
	items, err := page(ctx, 0, size)
	if err != nil {
		return err
	}
	file := fmt.Sprintf("%s-%s.%s", name, a.now().Format("2006-01-02"), format)
	h := w.Header()
	h.Set("Content-Type", exportTypes[format])
	h.Set("Content-Disposition", `attachment; filename="`+file+`"; filename*=UTF-8''`+url.PathEscape(file))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	out := &sentCounter{w: w}
	// fail answers err as JSON while nothing is sent, and cuts the download otherwise.
	fail := func(err error) error {
		out.stop = true // the deferred Close must not send the book now
		if out.n == 0 {
			h.Del("Content-Disposition")
			return err
		}
		if !errors.Is(err, context.Canceled) {
			a.d.Log.Error("api export failed", "table", name, "format", format, "user", c.user.ID, "sent", out.n, "err", err)
		}
		panic(http.ErrAbortHandler)
	}
	xw, err := exchange.NewWriter(format, out, "Лист1", cols)
	if err != nil {
		return fail(err)
	}
	defer xw.Close() // after a failure: releases the temporary files of an XLSX book
	rows := 0
	for offset := 0; ; {
		for _, it := range items {
			if err := xw.Write(row(it)); err != nil {
				return fail(err)
			}
		}
		rows += len(items)
		if len(items) < size {
			break
		}
		offset += size
		if items, err = page(ctx, offset, size); err != nil {
			return fail(err)
		}
	}
	if err := xw.Close(); err != nil {
		return fail(err)
	}
	// A list of people taken away as a file is worth a line in the log: who, what, how much.
	a.d.Log.Info("api export", "table", name, "format", format, "user", c.user.ID, "login", c.user.Login, "rows", rows)
	return nil
}

// exportTypes are the media types of the downloads.
var exportTypes = map[exchange.Format]string{
	exchange.CSV:  "text/csv; charset=utf-8",
	exchange.XLSX: xlsxType,
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// sentCounter counts the bytes passed to the response; once stopped, it
// passes nothing more.
type sentCounter struct {
	w    io.Writer
	n    int64
	stop bool
}

var errExportStopped = errors.New("api: export stopped")

func (s *sentCounter) Write(p []byte) (int, error) {
	if s.stop {
		return 0, errExportStopped
	}
	n, err := s.w.Write(p)
	s.n += int64(n)
	return n, err
}
