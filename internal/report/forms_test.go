package report_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"marshrut/internal/analytics"
	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/demo"
	"marshrut/internal/kpi"
	"marshrut/internal/org"
	"marshrut/internal/report"
	"marshrut/internal/store"
	"marshrut/internal/tables"
)

// formsRegion is a generated region with the makers of forms and measures.
func formsRegion(t *testing.T) (*store.Store, *report.Forms, *kpi.Service) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "f.db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b, _ := classifier.LoadBuiltin()
	if err := s.SeedClassifiers(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := s.Load(ctx, func(l *store.Loader) error {
		_, err := demo.Generate(ctx, l, demo.Options{Seed: 3, Learners: 6000, Region: "41", Now: now})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	measures := kpi.NewService(analytics.NewMonitor(s.Analytics, clock), s.Targets, clock, time.UTC)
	forms := report.NewForms(s.Reports, measures, func(ctx context.Context, id int64) (string, string, error) {
		o, err := s.Orgs.Organisation(ctx, id)
		return string(o.Kind), o.Name, err
	})
	return s, forms, measures
}

// The forms show the catalogue's numbers: the employment form's totals are
// the numerator and denominator of «employment6», the профминимум form's of
// «profminimum», the rating form's rows the items themselves — for the
// region and for each organisation.
func TestFormsAgreeWithCatalogue(t *testing.T) {
	ctx := context.Background()
	s, forms, measures := formsRegion(t)
	region := auth.Scope{Role: auth.Region, RegionCode: "41", UserID: 1}
	item := func(scope kpi.Scope, code string) kpi.Item {
		t.Helper()
		d, err := measures.Document(ctx, region, scope, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		it, ok := d.Item(code)
		if !ok {
			t.Fatalf("no %s in the document of %v", code, scope)
		}
		return it
	}
	colleges, _, err := s.Orgs.Organisations(ctx, org.Filter{Kind: org.College, Limit: 3})
	if err != nil || len(colleges) == 0 {
		t.Fatalf("colleges %v, %v", colleges, err)
	}
	schools, _, err := s.Orgs.Organisations(ctx, org.Filter{Kind: org.School, Limit: 3})
	if err != nil || len(schools) == 0 {
		t.Fatalf("schools %v, %v", schools, err)
	}
	checked := 0
	for _, c := range append([]org.Organisation{{}}, colleges...) {
		scope := kpi.Scope{Kind: "region"}
		if c.ID != 0 {
			scope = kpi.Scope{Kind: "organisation", ID: c.ID}
		}
		sh, err := forms.Build(ctx, region, "employment", report.FormOptions{OrgID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		it := item(scope, "employment6")
		n := len(sh.Totals)
		if sh.Totals[3] != it.Denominator || sh.Totals[n-2] != it.Numerator {
			t.Errorf("%v: form's graduates %v and occupied %v, catalogue's %d of %d", scope, sh.Totals[3], sh.Totals[n-2], it.Numerator, it.Denominator)
		}
		if it.Denominator > 0 {
			checked++
		}
		// The status columns add up to the graduates.
		sum := 0
		for i := 4; i < n-2; i++ {
			if i != 5 { // «of them sole traders» is inside «employed»
				sum += sh.Totals[i].(int)
			}
		}
		if sum != sh.Totals[3] {
			t.Errorf("%v: statuses add up to %d of %v graduates", scope, sum, sh.Totals[3])
		}
		r, err := forms.Build(ctx, region, "rating", report.FormOptions{OrgID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		if rt := item(scope, "rating"); len(r.Rows) != 2 || r.Rows[0][3] != rt.Numerator || r.Rows[0][4] != rt.Denominator {
			t.Errorf("%v: rating rows %v, catalogue %d of %d", scope, r.Rows, rt.Numerator, rt.Denominator)
		}
	}
	if checked == 0 {
		t.Fatal("no graduates counted anywhere: the test proves nothing")
	}
	for _, sc := range schools {
		sh, err := forms.Build(ctx, region, "profminimum", report.FormOptions{OrgID: sc.ID})
		if err != nil {
			t.Fatal(err)
		}
		it := item(kpi.Scope{Kind: "organisation", ID: sc.ID}, "profminimum")
		if sh.Totals[1] != it.Denominator || sh.Totals[3] != it.Numerator {
			t.Errorf("school %d: form %v, catalogue %d of %d", sc.ID, sh.Totals, it.Numerator, it.Denominator)
		}
	}
	if _, err := forms.Build(ctx, region, "targeted", report.FormOptions{}); err != nil {
		t.Fatal(err)
	}

	// An earlier cohort is counted on a day of its own year, as the catalogue
	// counted it then; a cohort not yet six months on is refused.
	sh, err := forms.Build(ctx, region, "employment", report.FormOptions{Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	d, err := measures.Document(ctx, region, kpi.Scope{Kind: "region"}, time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	it, _ := d.Item("employment6")
	if n := len(sh.Totals); d.Year != 2024 || sh.Totals[3] != it.Denominator || sh.Totals[n-2] != it.Numerator || !strings.Contains(sh.Period, "2024") {
		t.Errorf("cohort 2024: form %v (%s), catalogue %d of %d for %d", sh.Totals, sh.Period, it.Numerator, it.Denominator, d.Year)
	}
	if _, err := forms.Build(ctx, region, "employment", report.FormOptions{Year: 2026}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("cohort 2026 in November 2026: %v", err)
	}
}

// A form as XLSX: the title, the organisation, the numbered columns and the
// totals where the paper form has them.
func TestFormXLSX(t *testing.T) {
	ctx := context.Background()
	s, forms, _ := formsRegion(t)
	colleges, _, _ := s.Orgs.Organisations(ctx, org.Filter{Kind: org.College, Limit: 1})
	college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: colleges[0].ID}
	sh, err := forms.Build(ctx, college, "employment", report.FormOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sh.Org, colleges[0].ShortName) && sh.Org != colleges[0].Name {
		t.Errorf("form of %q for %q", sh.Org, colleges[0].Name)
	}
	data, err := tables.FormXLSX(sh)
	if err != nil {
		t.Fatal(err)
	}
	book, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := book.GetRows(book.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != sh.Title || !strings.HasPrefix(rows[2][0], "Организация: ") {
		t.Fatalf("head %q", rows[:3])
	}
	head := 6 // titles, then their numbers
	if rows[head][0] != "№ п/п" || rows[head+1][0] != "1" || rows[head+1][len(sh.Columns)-1] != fmt.Sprint(len(sh.Columns)) {
		t.Errorf("column titles %q, numbers %q", rows[head], rows[head+1])
	}
	total := rows[head+2+len(sh.Rows)]
	if total[2] != "Итого" || total[3] != fmt.Sprint(sh.Totals[3]) {
		t.Errorf("totals row %q, want %v", total, sh.Totals)
	}

	// A college makes its own forms only, and not a school's.
	if _, err := forms.Build(ctx, college, "employment", report.FormOptions{OrgID: colleges[0].ID + 1000}); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("a college's form of another organisation: %v", err)
	}
	if _, err := forms.Build(ctx, college, "profminimum", report.FormOptions{}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("a college's профминимум: %v", err)
	}
	if _, err := forms.Build(ctx, college, "nothing", report.FormOptions{}); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("an unknown form: %v", err)
	}
}
