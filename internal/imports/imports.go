// Package imports brings tables of people and organisations into the region:
// it maps each row of an exchange.Table to a domain record, validates it as a
// form would, checks its references (organisation, municipality, specialty),
// finds duplicates inside the file and in the database, and writes every
// accepted row in one transaction. A dry run is the same run rolled back, so
// its report is exactly what applying would do.
package imports

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/classifier"
	"marshrut/internal/exchange"
	"marshrut/internal/learner"
	"marshrut/internal/org"
)

// Issue is one reason a row was rejected.
type Issue struct {
	Line   int
	Column string // the column's title in the file, empty for the row as a whole
	Reason string
}

// MaxIssues caps the reasons a report keeps; the counts stay exact beyond it.
const MaxIssues = 10000

// Report is what an import did, or would do in a dry run.
type Report struct {
	Kind                        string
	DryRun                      bool
	Rows                        int
	Created, Updated, Unchanged int
	Rejected                    int
	Issues                      []Issue
	Truncated                   bool // more issues than MaxIssues
	// Skipped rows belong to another region: not the region's business and
	// not errors (a national file is mostly such rows); counted by region.
	Skipped   int
	SkippedBy map[string]int // region code → rows
	// Flagged rows were kept with a remark (Notes), as where a source that
	// rules on a field gives a value the region's own checks would refuse.
	Flagged  int
	Notes    []Issue
	Duration time.Duration
}

// skip counts a row of another region.
func (r *Report) skip(region string) {
	r.Skipped++
	if r.SkippedBy == nil {
		r.SkippedBy = map[string]int{}
	}
	r.SkippedBy[region]++
}

// SkippedLines tells the skipped rows of a report one line a region, the
// regions with most rows first: «Москва (77): 12 записей».
func SkippedLines(r Report) []string {
	codes := make([]string, 0, len(r.SkippedBy))
	for c := range r.SkippedBy {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool {
		a, b := r.SkippedBy[codes[i]], r.SkippedBy[codes[j]]
		return a > b || a == b && codes[i] < codes[j]
	})
	out := make([]string, len(codes))
	for i, c := range codes {
		name := "регион не указан"
		if c != "" {
			name = "регион " + c
			if n := regionNames()[c]; n != "" {
				name = fmt.Sprintf("%s (%s)", n, c)
			}
		}
		out[i] = fmt.Sprintf("%s: %d %s", name, r.SkippedBy[c], plural(r.SkippedBy[c], "запись", "записи", "записей"))
	}
	return out
}

// regionNames are the names of regions by code, from the built-in classifier.
var regionNames = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	if b, err := classifier.LoadBuiltin(); err == nil {
		for _, r := range b.Regions {
			m[r.Code] = r.Name
		}
	}
	return m
})

// plural picks the Russian form for n: one (1, 21), few (2–4), many (5–20).
func plural(n int, one, few, many string) string {
	switch {
	case n%100 >= 11 && n%100 <= 14:
		return many
	case n%10 == 1:
		return one
	case n%10 >= 2 && n%10 <= 4:
		return few
	}
	return many
}

// flag keeps a remark on an accepted row.
func (r *Report) flag(line int, is Issue) {
	r.Flagged++
	if len(r.Notes) < MaxIssues {
		is.Line = line
		r.Notes = append(r.Notes, is)
	}
}

func (r *Report) reject(line int, issues []Issue) {
	r.Rejected++
	for _, is := range issues {
		if len(r.Issues) >= MaxIssues {
			r.Truncated = true
			return
		}
		is.Line = line
		r.Issues = append(r.Issues, is)
	}
}

// Reference is where the importer looks up what rows refer to.
type Reference interface {
	Municipalities(ctx context.Context, regionCode string) ([]classifier.Municipality, error)
	Specialties(ctx context.Context, level string) ([]classifier.Specialty, error)
	Organisations(ctx context.Context, f org.Filter) ([]org.Organisation, int, error)
}

// Loader writes inside the import's transaction; store.Loader is one.
type Loader interface {
	NextID(table string) (int64, error)
	FindLearners(region string, keys []learner.Key) (map[learner.Key]learner.Learner, error)
	Learners([]learner.Learner) error
	UpdateLearners([]learner.Learner) error
}

// Load runs fn in one transaction, committed when fn returns nil.
type Load func(ctx context.Context, fn func(Loader) error) error

// Options shape one import.
type Options struct {
	Region string
	// OrgID is the organisation of the uploader (a school, college or
	// university user): rows without an organisation belong to it, and rows
	// of any other are refused. Zero for the region's own users.
	OrgID    int64
	DryRun   bool
	Now      time.Time
	Progress func(rows int)
	// Conflict hears of each row whose СНИЛС belongs to a learner of another
	// organisation, with that learner's id, so that the caller audits the
	// attempt: a list of guessed СНИЛС is a search for people.
	Conflict func(learnerID int64)
}

// Importer imports tables.
type Importer struct {
	ref  Reference
	load Load
}

// New returns an Importer.
func New(ref Reference, load Load) *Importer { return &Importer{ref: ref, load: load} }

var errDryRun = errors.New("dry run")

// batchSize is how many rows are looked up and written together.
const batchSize = 2000

// directory holds what rows are resolved against.
type directory struct {
	orgByINN, orgByName map[string]org.Organisation
	orgByID             map[int64]org.Organisation
	muniByName          map[string]int64
	specialties         map[string]bool
	specialtyByName     map[string]string
}

func (im *Importer) directory(ctx context.Context, region string) (*directory, error) {
	d := &directory{orgByINN: map[string]org.Organisation{}, orgByName: map[string]org.Organisation{}, orgByID: map[int64]org.Organisation{},
		muniByName: map[string]int64{}, specialties: map[string]bool{}, specialtyByName: map[string]string{}}
	for _, k := range []org.Kind{org.School, org.College, org.University} {
		for off := 0; ; off += 500 {
			list, _, err := im.ref.Organisations(ctx, org.Filter{Kind: k, Limit: 500, Offset: off})
			if err != nil {
				return nil, err
			}
			for _, o := range list {
				if o.RegionCode != region {
					continue
				}
				d.orgByID[o.ID] = o
				if o.INN != "" {
					d.orgByINN[o.INN] = o
				}
				d.orgByName[exchange.Normalise(o.Name)] = o
				if o.ShortName != "" {
					d.orgByName[exchange.Normalise(o.ShortName)] = o
				}
			}
			if len(list) < 500 {
				break
			}
		}
	}
	ms, err := im.ref.Municipalities(ctx, region)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		d.muniByName[exchange.Normalise(m.Name)] = m.ID
		// «Елизовский» alone names «Елизовский муниципальный район».
		if w := strings.Fields(m.Name); len(w) > 1 {
			d.muniByName[exchange.Normalise(w[0])] = m.ID
		}
	}
	sps, err := im.ref.Specialties(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, s := range sps {
		d.specialties[s.Code] = true
		d.specialtyByName[exchange.Normalise(s.Name)] = s.Code
	}
	return d, nil
}

// run does an import's work in one transaction: fn reads the rows and writes
// them through the loader. A dry run is the same work rolled back at the end,
// so its report is exactly what applying would do.
func (im *Importer) run(ctx context.Context, rep *Report, opt Options, fn func(Loader) error) error {
	start := time.Now()
	err := im.load(ctx, func(ld Loader) error {
		if err := fn(ld); err != nil {
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
		return err
	}
	if rep.Rows == 0 {
		return apperr.New(apperr.Invalid, "в файле нет строк с данными")
	}
	return nil
}

// eachRow reads the rows of t one by one into fn, counting them in rep and
// reporting progress, until the table ends or the context is cancelled.
func eachRow(ctx context.Context, t *exchange.Table, rep *Report, opt Options, fn func(exchange.Row) error) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		row, err := t.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		rep.Rows++
		if opt.Progress != nil && rep.Rows%1000 == 0 {
			opt.Progress(rep.Rows)
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

// begin starts an import's report: it checks the mapping and, when
// noRegion says how to refuse a missing region, that the region is named,
// and sets the import's day when the caller gave none.
func begin(kind string, m exchange.Mapping, opt *Options, noRegion string) (Report, error) {
	rep := Report{Kind: kind, DryRun: opt.DryRun}
	if noRegion != "" && opt.Region == "" {
		return rep, apperr.Field("region", "%s", noRegion)
	}
	if err := m.Check(); err != nil {
		return rep, err
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	return rep, nil
}
