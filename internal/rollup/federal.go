package rollup

import (
	"cmp"
	"context"
	"crypto/ed25519"
	"slices"
	"strconv"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

// Imported is a bundle in an installation's history.
type Imported struct {
	ID         string
	Period     string
	CreatedAt  time.Time
	ImportedAt time.Time
}

// Service imports bundles and compares regions.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a Service on the store.
func NewService(s Store, now func() time.Time) *Service { return &Service{store: s, now: now} }

// CanCompare reports whether the scope sees the comparison of regions: the
// federal operator and the administrator.
func CanCompare(sc auth.Scope) bool {
	return sc.Role == auth.Federal || sc.Role == auth.Admin || sc.Role == auth.System
}

// CanImport reports whether the scope imports bundles: the federal
// operator, whose work it is, and the administrator.
func CanImport(sc auth.Scope) bool {
	return sc.Role == auth.Admin || sc.Role == auth.System || sc.Role == auth.Federal
}

// CanTrust reports whether the scope registers the keys regions sign with:
// the administrator, who answers for the installation.
func CanTrust(sc auth.Scope) bool { return sc.Role == auth.Admin || sc.Role == auth.System }

// Trust registers a region's public key.
func (s *Service) Trust(ctx context.Context, sc auth.Scope, region, key string) error {
	if !CanTrust(sc) {
		return apperr.New(apperr.Forbidden, "ключи регионов регистрирует администратор")
	}
	if len(region) != 2 || region[0] < '0' || region[0] > '9' || region[1] < '0' || region[1] > '9' {
		return apperr.Field("region", "код региона — две цифры, а не «%s»", region)
	}
	k, err := ParseKey(key)
	if err != nil {
		return err
	}
	return s.store.SetTrustedKey(ctx, region, k, s.now())
}

// Import verifies a signed bundle and keeps it; a tampered, foreign-signed,
// replayed or too new bundle is refused and nothing is written.
func (s *Service) Import(ctx context.Context, sc auth.Scope, data []byte) (Bundle, error) {
	if !CanImport(sc) {
		return Bundle{}, apperr.New(apperr.Forbidden, "пакеты регионов загружают федеральный оператор и администратор")
	}
	b, _, err := Open(data, func(region string) (ed25519.PublicKey, bool, error) { return s.store.TrustedKey(ctx, region) })
	if err != nil {
		return b, err
	}
	if b.CreatedAt.After(s.now().Add(10 * time.Minute)) {
		return b, apperr.New(apperr.Invalid, "пакет датирован будущим (%s): проверьте часы в регионе", b.CreatedAt.Format("02.01.2006 15:04"))
	}
	return b, s.store.SaveBundle(ctx, b, s.now(), sc.UserID)
}

// RegionRow is a region's headline figures in the comparison; a nil share
// is not computable (no data, or all of it suppressed).
type RegionRow struct {
	Code, Name string
	Period     string
	CreatedAt  time.Time
	Learners   int
	Guidance   *float64 // pupils reached of pupils 6–11
	Informed   *float64 // seniors informed of seniors 9–11
	Employment *float64 // employed six months on, of graduates of the latest year
	Retention  *float64 // still employed at twelve months, of those employed at six
	AtRisk     *int
	CaseShare  *float64 // at-risk with a case, of at-risk
	Suppressed int      // cells suppressed in a bundle of format 1
	LatestYear int
	// Protected tells that the bundle's figures are protected by the
	// cell-key method; HeadlineChange is then the largest change it made to
	// a headline share of the region, in percentage points.
	Protected      bool
	HeadlineChange float64
}

// Compare returns every region's latest figures.
func (s *Service) Compare(ctx context.Context, sc auth.Scope) ([]RegionRow, error) {
	if !CanCompare(sc) {
		return nil, apperr.New(apperr.Forbidden, "сравнение регионов видят федеральный оператор и администратор")
	}
	bs, err := s.store.LatestBundles(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]RegionRow, 0, len(bs))
	for _, b := range bs {
		out = append(out, summarise(b))
	}
	slices.SortFunc(out, func(a, b RegionRow) int { return cmp.Compare(a.Code, b.Code) })
	return out, nil
}

// Region returns a region's latest bundle and its history.
func (s *Service) Region(ctx context.Context, sc auth.Scope, code string) (Bundle, []Imported, error) {
	if !CanCompare(sc) {
		return Bundle{}, nil, apperr.New(apperr.Forbidden, "сравнение регионов видят федеральный оператор и администратор")
	}
	bs, err := s.store.LatestBundles(ctx)
	if err != nil {
		return Bundle{}, nil, err
	}
	for _, b := range bs {
		if b.Region == code {
			h, err := s.store.BundleHistory(ctx, code)
			return b, h, err
		}
	}
	return Bundle{}, nil, apperr.New(apperr.NotFound, "от региона %s пакетов не поступало", code)
}

// Cell is one row of a region's table opened on its own.
type Cell struct {
	Region   string
	Table    Table
	Row      Row
	Measures []string
}

// Drill opens one row of a region's table; a row whose counts were
// suppressed (a bundle of format 1) is refused: below the threshold a
// figure could point at a person.
func (s *Service) Drill(ctx context.Context, sc auth.Scope, code, table string, row int) (Cell, error) {
	b, _, err := s.Region(ctx, sc, code)
	if err != nil {
		return Cell{}, err
	}
	for _, t := range b.Tables {
		if t.Name != table {
			continue
		}
		if row < 0 || row >= len(t.Rows) {
			return Cell{}, apperr.New(apperr.NotFound, "строки %d в таблице нет", row+1)
		}
		r := t.Rows[row]
		if r.Values[0] == nil {
			return Cell{}, apperr.New(apperr.Forbidden, "в этой строке меньше %d человек: сведения скрыты, чтобы по ним нельзя было узнать человека", b.Threshold)
		}
		return Cell{Region: code, Table: t, Row: r, Measures: t.Measures}, nil
	}
	return Cell{}, apperr.New(apperr.NotFound, "таблицы «%s» в пакете нет", table)
}

func summarise(b Bundle) RegionRow {
	r := RegionRow{Code: b.Region, Name: b.RegionName, Period: b.Period, CreatedAt: b.CreatedAt}
	if p := b.Protection; p != nil && p.Method != "" {
		r.Protected = true
		for _, a := range p.Accuracy {
			if a.Table == "measures" {
				r.HeadlineChange = a.ShareMax
			}
		}
	}
	for _, t := range b.Tables {
		for _, row := range t.Rows {
			for _, v := range row.Values {
				if v == nil {
					r.Suppressed++
				}
			}
		}
		switch t.Name {
		case "learners":
			r.Learners = sumCol(t, 0)
		case "guidance":
			r.Guidance = share(sumCol(t, 1), sumCol(t, 0))
			r.Informed = share(sumCol(t, 3), sumCol(t, 2))
		case "employment":
			for _, row := range t.Rows {
				if y, _ := strconv.Atoi(row.Dims[0]); y > r.LatestYear {
					r.LatestYear = y
				}
			}
			latest := Table{Rows: nil}
			for _, row := range t.Rows {
				if row.Dims[0] == strconv.Itoa(r.LatestYear) {
					latest.Rows = append(latest.Rows, row)
				}
			}
			r.Employment = share(sumCol(latest, 1), sumCol(latest, 0))
			r.Retention = share(sumCol(latest, 3), sumCol(latest, 1))
		case "early_warning":
			if len(t.Rows) == 1 && t.Rows[0].Values[1] != nil {
				at := *t.Rows[0].Values[1]
				r.AtRisk = &at
				r.CaseShare = share(sumCol(t, 2), at)
			}
		}
	}
	// The headline measures, where the bundle has them, are the region's
	// shares as its own pages count them, each perturbed once: closer than
	// sums over rows whose small parts are published as 0.
	for _, t := range b.Tables {
		if t.Name != "measures" {
			continue
		}
		for _, row := range t.Rows {
			if row.Values[0] == nil || row.Values[1] == nil {
				continue
			}
			v := share(*row.Values[1], *row.Values[0])
			switch row.Dims[0] {
			case "guidance":
				r.Guidance = v
			case "informed":
				r.Informed = v
			case "employment6":
				r.Employment = v
			case "retention":
				r.Retention = v
			}
		}
	}
	return r
}

// sumCol adds a column over the rows whose base is published; in a bundle
// of format 1 a suppressed value inside a published row counts as zero, so
// shares are lower bounds. In a protected bundle every value is published,
// each moved by its own small noise: the sums are unbiased.
func sumCol(t Table, j int) int {
	s := 0
	for _, row := range t.Rows {
		if row.Values[0] == nil || j >= len(row.Values) || row.Values[j] == nil {
			continue
		}
		s += *row.Values[j]
	}
	return s
}

func share(a, b int) *float64 {
	if b <= 0 {
		return nil
	}
	v := float64(a) / float64(b)
	return &v
}
