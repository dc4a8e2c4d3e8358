package imports

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/exchange/trudvsem"
	"marshrut/internal/vacancy"
)

// VacancyLoader is what an import of vacancies needs of the Loader it runs in;
// store.Loader is one. It stands apart from Loader so that the loaders of
// other imports need not write vacancies.
type VacancyLoader interface {
	// Vacancies returns the stored vacancies among ids, by id.
	Vacancies(ids []string) (map[string]vacancy.Vacancy, error)
	// UpsertVacancies inserts new vacancies and replaces known ones by the
	// rule of vacancy.Merge, with their links.
	UpsertVacancies(items []vacancy.Item) (vacancy.Upserted, error)
}

// outcome is what an import did to one vacancy.
type outcome int8

const (
	created outcome = iota + 1
	updated
	unchanged
)

// seenVacancy is an id the import has met: the record whose version stands
// and, once it has been compared with the database, what it did.
type seenVacancy struct {
	rec     int
	outcome outcome // zero while the record waits in the batch
	batch   int     // index in the batch while it waits
}

// Vacancies imports a file of «Работа России» vacancies in the given format
// (detected from the content and name when empty). Only vacancies of
// opt.Region are kept; the others are counted as skipped, by region, and are
// no fault of the file: a national file imports without rejections. A vacancy
// whose employer ИНН fails its check digits is kept unlinked and flagged. A vacancy is matched
// to the stored one by its id and replaced only by a newer version (see
// vacancy.Merge), so that importing the same file twice changes nothing; an id
// met twice in the file keeps its newer version and rejects the other record.
// The links to specialties are computed for every vacancy written. Issue.Line
// is the number of the record in the file, from 1.
func (im *Importer) Vacancies(ctx context.Context, r io.Reader, name string, format trudvsem.Format, opt Options) (Report, error) {
	start := time.Now()
	rep := Report{Kind: "vacancies", DryRun: opt.DryRun}
	if opt.Region == "" {
		return rep, apperr.Field("region", "не указан регион, вакансии которого загружаются")
	}
	if format == "" {
		br := bufio.NewReaderSize(r, trudvsem.DetectSize)
		prefix, err := br.Peek(trudvsem.DetectSize)
		if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
			return rep, fmt.Errorf("imports: reading vacancies: %w", err)
		}
		if format, err = trudvsem.Detect(prefix, name); err != nil {
			return rep, err
		}
		r = br
	}
	specs, err := im.ref.Specialties(ctx, "")
	if err != nil {
		return rep, err
	}
	m, err := vacancy.NewMatcher(specs)
	if err != nil {
		return rep, fmt.Errorf("imports: vacancy matcher: %w", err)
	}

	err = im.load(ctx, func(ld Loader) error {
		vl, ok := ld.(VacancyLoader)
		if !ok {
			return apperr.New(apperr.Internal, "загрузка вакансий невозможна: хранилище (%T) не умеет записывать вакансии", ld)
		}
		b := &vacancyBatch{rep: &rep, vl: vl, m: m, seen: map[string]*seenVacancy{}}
		err := trudvsem.Read(r, format, func(n int, v vacancy.Vacancy, rerr error) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			rep.Rows++
			if opt.Progress != nil && rep.Rows%1000 == 0 {
				opt.Progress(rep.Rows)
			}
			// A record of another region is not the region's business, even
			// when it is faulty: it is skipped, not rejected.
			if v.RegionCode != opt.Region && (rerr == nil || v.RegionCode != "") {
				rep.skip(v.RegionCode)
				return nil
			}
			var note *trudvsem.Note
			if errors.As(rerr, &note) {
				rep.flag(n, Issue{Column: note.Field, Reason: note.Reason})
				rerr = nil
			}
			if rerr != nil {
				rep.reject(n, []Issue{recordIssue(v.ID, rerr)})
				return nil
			}
			return b.add(n, v)
		})
		if err != nil {
			return err
		}
		if err := b.flush(); err != nil {
			return err
		}
		if opt.Progress != nil {
			opt.Progress(rep.Rows)
		}
		if opt.DryRun {
			return errDryRun
		}
		return nil
	})
	rep.Duration = time.Since(start)
	if err != nil && !errors.Is(err, errDryRun) {
		return rep, err
	}
	if rep.Rows == 0 {
		return rep, apperr.New(apperr.Invalid, "в файле нет вакансий")
	}
	return rep, nil
}

// vacancyBatch holds the vacancies read and not yet written, with the record
// of each, and what became of every vacancy the file has named so far: a
// vacancy given twice keeps its newer version, the other record is rejected.
type vacancyBatch struct {
	rep   *Report
	vl    VacancyLoader
	m     *vacancy.Matcher
	seen  map[string]*seenVacancy
	items []vacancy.Vacancy
	recs  []int // the record of each vacancy of the batch
}

// add takes the vacancy of record n, writing the batch when it is full.
func (b *vacancyBatch) add(n int, v vacancy.Vacancy) error {
	sv, dup := b.seen[v.ID]
	switch {
	case !dup:
		b.seen[v.ID] = &seenVacancy{rec: n, batch: len(b.items)}
	case sv.batch >= 0:
		// Both versions wait in the batch: the newer stays there.
		prev, prevRec := b.items[sv.batch], b.recs[sv.batch]
		if !vacancy.Newer(prev, v) {
			b.rep.reject(n, []Issue{duplicate(v.ID, prevRec, n, prevRec)})
			return nil
		}
		b.rep.reject(prevRec, []Issue{duplicate(v.ID, prevRec, n, n)})
		b.items[sv.batch], _ = vacancy.Merge(prev, v)
		b.recs[sv.batch] = n
		if sv.outcome == 0 {
			sv.rec = n
		}
		return nil
	default:
		sv.batch = len(b.items)
	}
	b.items = append(b.items, v)
	b.recs = append(b.recs, n)
	if len(b.items) >= batchSize {
		return b.flush()
	}
	return nil
}

// flush writes the batch: a new vacancy is created, a stored one replaced
// only by a newer version, one met in an earlier batch against the version
// that batch stored.
func (b *vacancyBatch) flush() error {
	if len(b.items) == 0 {
		return nil
	}
	ids := make([]string, len(b.items))
	for i, v := range b.items {
		ids[i] = v.ID
	}
	stored, err := b.vl.Vacancies(ids)
	if err != nil {
		return err
	}
	rep := b.rep
	var write []vacancy.Item
	for i, v := range b.items {
		sv := b.seen[v.ID]
		old, found := stored[v.ID]
		switch {
		case !found:
			write = append(write, vacancy.Item{Vacancy: v, Links: b.m.Links(v)})
			sv.outcome = created
			rep.Created++
		case sv.outcome == 0:
			merged, changed := vacancy.Merge(old, v)
			if !changed {
				sv.outcome = unchanged
				rep.Unchanged++
				break
			}
			write = append(write, vacancy.Item{Vacancy: merged, Links: b.m.Links(merged)})
			sv.outcome = updated
			rep.Updated++
		default:
			// Met in an earlier batch, whose version is now the stored one.
			if !vacancy.Newer(old, v) {
				rep.reject(b.recs[i], []Issue{duplicate(v.ID, sv.rec, b.recs[i], sv.rec)})
				break
			}
			merged, changed := vacancy.Merge(old, v)
			rep.reject(sv.rec, []Issue{duplicate(v.ID, sv.rec, b.recs[i], b.recs[i])})
			sv.rec = b.recs[i]
			if !changed {
				break
			}
			write = append(write, vacancy.Item{Vacancy: merged, Links: b.m.Links(merged)})
			if sv.outcome == unchanged {
				sv.outcome = updated
				rep.Unchanged--
				rep.Updated++
			}
		}
		sv.batch = -1
	}
	b.items, b.recs = b.items[:0], b.recs[:0]
	_, err = b.vl.UpsertVacancies(write)
	return err
}

// duplicate is the issue of a record whose vacancy the file gives again.
func duplicate(id string, first, second, kept int) Issue {
	return Issue{Reason: fmt.Sprintf("вакансия %s указана в файле дважды (записи %d и %d): принята запись %d, её версия новее или та же",
		id, first, second, kept)}
}

// recordIssue turns the reason a reader refused a record into an issue.
func recordIssue(id string, err error) Issue {
	var re *trudvsem.RecordError
	if errors.As(err, &re) {
		if re.ID != "" {
			id = re.ID
		}
		reason := apperr.Message(re.Err)
		if re.Line > 0 {
			reason = fmt.Sprintf("строка файла %d: %s", re.Line, reason)
		}
		if id != "" {
			reason = fmt.Sprintf("вакансия %s: %s", id, reason)
		}
		return Issue{Reason: reason}
	}
	return Issue{Reason: apperr.Message(err)}
}
