package cluster

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/history"
)

// Service is the logic of clusters: who may do what.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a Service on the store; now is the clock.
func NewService(s Store, now func() time.Time) *Service { return &Service{store: s, now: now} }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// Manages reports whether the scope keeps the registry, the criteria and the defences.
func Manages(sc auth.Scope) bool { return sc.WholeRegion() }

// Sees reports whether the scope sees clusters at all: the region, the
// federal operator, the clusters' colleges and employers, the experts.
func Sees(sc auth.Scope) bool {
	switch sc.Role {
	case auth.Admin, auth.Region, auth.System, auth.Federal, auth.Expert:
		return true
	case auth.College, auth.University, auth.Employer:
		return sc.OrgID != 0
	}
	return false
}

func forbidden(msg string) error { return apperr.New(apperr.Forbidden, "%s", msg) }

// SaveCluster validates and stores a cluster of the region.
func (s *Service) SaveCluster(ctx context.Context, sc auth.Scope, c *Cluster) error {
	if !Manages(sc) {
		return forbidden("реестр кластеров ведёт регион")
	}
	c.RegionCode = sc.RegionCode
	if err := c.Validate(s.now()); err != nil {
		return err
	}
	return s.store.SaveCluster(ctx, c)
}

// Cluster returns a cluster the caller sees.
func (s *Service) Cluster(ctx context.Context, sc auth.Scope, id int64) (Cluster, error) {
	if !Sees(sc) {
		return Cluster{}, apperr.New(apperr.NotFound, "кластер не найден")
	}
	return s.store.Cluster(ctx, sc, id)
}

// History returns the edits of a cluster's registry entry, the latest first,
// to the region, which keeps the registry.
func (s *Service) History(ctx context.Context, sc auth.Scope, id int64) ([]history.Entry, error) {
	if _, err := s.Cluster(ctx, sc, id); err != nil {
		return nil, err
	}
	if !Manages(sc) {
		return nil, forbidden("историю изменений реестра кластеров видит регион")
	}
	return s.store.History(ctx, sc.RegionCode, history.Cluster, id)
}

// Clusters lists the clusters the caller sees.
func (s *Service) Clusters(ctx context.Context, sc auth.Scope, f Filter) ([]Cluster, error) {
	if !Sees(sc) {
		return nil, forbidden("кластеры «Профессионалитета» видят регион, их колледжи и работодатели, эксперты комиссии")
	}
	if f.Industry != "" && !f.Industry.Valid() {
		return nil, apperr.Field("industry", "неизвестная отрасль «%s»", f.Industry)
	}
	return s.store.Clusters(ctx, sc, f)
}

// KPIs computes the key figures of a cluster the caller sees in a year.
func (s *Service) KPIs(ctx context.Context, sc auth.Scope, id int64, year int) (Cluster, []Value, error) {
	c, err := s.Cluster(ctx, sc, id)
	if err != nil {
		return c, nil, err
	}
	if year < c.Year || year > s.now().Year() {
		return c, nil, apperr.Field("year", "показатели кластера есть за %d–%d годы, запрошен %d", c.Year, s.now().Year(), year)
	}
	counts, err := s.store.Counts(ctx, c, year)
	if err != nil {
		return c, nil, err
	}
	entered, err := s.store.EnteredValues(ctx, c.ID, year)
	if err != nil {
		return c, nil, err
	}
	return c, KPIs(counts, entered), nil
}

// MayEnter reports whether the scope enters the values of a cluster: the
// region and the cluster's base college.
func MayEnter(sc auth.Scope, c Cluster) bool {
	return sc.WholeRegion() || sc.Role == auth.College && sc.OrgID != 0 && sc.OrgID == c.BaseOrgID
}

// SetValue enters a value of an indicator for a year.
func (s *Service) SetValue(ctx context.Context, sc auth.Scope, id int64, year int, ind Indicator, value float64) error {
	c, err := s.Cluster(ctx, sc, id)
	if err != nil {
		return err
	}
	if !MayEnter(sc, c) {
		return forbidden("значения показателей кластера вносят регион и базовая образовательная организация")
	}
	if year < c.Year || year > s.now().Year() {
		return apperr.Field("year", "год %d вне срока работы кластера (%d–%d)", year, c.Year, s.now().Year())
	}
	if err := ind.Check(value); err != nil {
		return err
	}
	return s.store.SaveValue(ctx, EnteredValue{ClusterID: id, Year: year, Indicator: ind, Value: value, By: sc.UserID, At: s.now()})
}

// Criteria returns the newest set of criteria of a year; the region's own
// when it has one, the default proposal (ID 0) otherwise.
func (s *Service) Criteria(ctx context.Context, sc auth.Scope, year int) (Criteria, error) {
	set, err := s.store.LatestCriteria(ctx, sc.RegionCode, year)
	if apperr.Is(err, apperr.NotFound) {
		return DefaultCriteria(year), nil
	}
	return set, err
}

// CriteriaVersions lists the saved versions of a year, newest first.
func (s *Service) CriteriaVersions(ctx context.Context, sc auth.Scope, year int) ([]Criteria, error) {
	return s.store.CriteriaVersions(ctx, sc.RegionCode, year)
}

// SaveCriteria stores a new version of the region's set of a year.
func (s *Service) SaveCriteria(ctx context.Context, sc auth.Scope, set *Criteria) error {
	if !Manages(sc) {
		return forbidden("критерии оценки кластеров устанавливает регион")
	}
	set.RegionCode, set.CreatedBy, set.CreatedAt = sc.RegionCode, sc.UserID, s.now()
	if err := set.Validate(s.now()); err != nil {
		return err
	}
	return s.store.SaveCriteria(ctx, set)
}

// OpenDefence opens the defences of a year with the newest saved criteria.
func (s *Service) OpenDefence(ctx context.Context, sc auth.Scope, year int) (Defence, error) {
	if !Manages(sc) {
		return Defence{}, forbidden("защиты кластеров проводит регион")
	}
	set, err := s.store.LatestCriteria(ctx, sc.RegionCode, year)
	if apperr.Is(err, apperr.NotFound) {
		return Defence{}, apperr.Field("year", "для %d года не сохранены критерии оценки: сначала утвердите их", year)
	}
	if err != nil {
		return Defence{}, err
	}
	d := Defence{RegionCode: sc.RegionCode, Year: year, Criteria: set, Status: Open, CreatedAt: s.now()}
	return d, s.store.OpenDefence(ctx, &d)
}

// Defences lists the region's defences, newest first, to those who see clusters.
func (s *Service) Defences(ctx context.Context, sc auth.Scope) ([]Defence, error) {
	if !Sees(sc) {
		return nil, forbidden("защиты кластеров видят регион и эксперты комиссии")
	}
	return s.store.Defences(ctx, sc.RegionCode)
}

// Defence returns a defence of the region.
func (s *Service) Defence(ctx context.Context, sc auth.Scope, id int64) (Defence, error) {
	if !Sees(sc) {
		return Defence{}, apperr.New(apperr.NotFound, "защита не найдена")
	}
	return s.store.Defence(ctx, sc.RegionCode, id)
}

// Experts lists the region's users of role expert.
func (s *Service) Experts(ctx context.Context, sc auth.Scope) ([]Expert, error) {
	if !Manages(sc) {
		return nil, forbidden("состав комиссии определяет регион")
	}
	return s.store.Experts(ctx, sc.RegionCode)
}

// SetCommission sets the commission of an open defence and who scores what;
// every assigned expert is a member, every cluster one of the region's.
func (s *Service) SetCommission(ctx context.Context, sc auth.Scope, id int64, experts []int64, as []Assignment) error {
	if !Manages(sc) {
		return forbidden("состав комиссии определяет регион")
	}
	members := map[int64]bool{}
	for _, e := range experts {
		members[e] = true
	}
	experts = slices.Sorted(maps.Keys(members))
	seen := map[Assignment]bool{}
	var uniq []Assignment
	for _, a := range as {
		if !members[a.UserID] {
			return apperr.Field("assignments", "кластер назначен эксперту, который не входит в комиссию")
		}
		if !seen[a] {
			seen[a] = true
			uniq = append(uniq, a)
		}
	}
	return s.store.SetCommission(ctx, sc.RegionCode, id, experts, uniq)
}

// Score saves an expert's sheet of a cluster: only the expert's own, only
// for a cluster assigned to them, only while the protocol is not signed.
func (s *Service) Score(ctx context.Context, sc auth.Scope, defenceID int64, sheet Sheet) error {
	if sc.Role != auth.Expert {
		return forbidden("оценки выставляют эксперты комиссии")
	}
	sheet.UserID = sc.UserID
	name := "№ " + strconv.FormatInt(sheet.ClusterID, 10)
	if c, err := s.store.Cluster(ctx, auth.SystemScope(sc.RegionCode), sheet.ClusterID); err == nil {
		name = c.Name
	}
	now := s.now()
	for i := range sheet.Marks {
		sheet.Marks[i].UpdatedAt = now
	}
	return s.store.SaveSheet(ctx, sc.RegionCode, defenceID, sheet, func(d Defence) error {
		return CheckSheet(d, &sheet, name)
	})
}

// Protocol is a defence with its results.
type Protocol struct {
	Defence Defence
	Results []Result
	Marks   []Mark
}

// Protocol computes the final scores and the ranking of a defence. An
// expert sees the results only once the protocol is signed; until then,
// their own marks.
func (s *Service) Protocol(ctx context.Context, sc auth.Scope, id int64) (Protocol, error) {
	d, err := s.Defence(ctx, sc, id)
	if err != nil {
		return Protocol{}, err
	}
	if sc.Role == auth.Expert && !isMember(d, sc.UserID) {
		return Protocol{}, apperr.New(apperr.NotFound, "защита не найдена")
	}
	clusters, err := s.store.Clusters(ctx, auth.SystemScope(sc.RegionCode), Filter{})
	if err != nil {
		return Protocol{}, err
	}
	marks, err := s.store.Marks(ctx, id)
	if err != nil {
		return Protocol{}, err
	}
	p := Protocol{Defence: d, Marks: marks}
	if sc.Role == auth.Expert {
		p.Marks = nil
		for _, m := range marks {
			if m.UserID == sc.UserID {
				p.Marks = append(p.Marks, m)
			}
		}
		if d.Status != Signed {
			return p, nil
		}
	}
	p.Results = Results(d, clusters, marks)
	return p, nil
}

func isMember(d Defence, userID int64) bool {
	for _, e := range d.Experts {
		if e.UserID == userID {
			return true
		}
	}
	return false
}

// Sign signs the protocol: from then on no score changes.
func (s *Service) Sign(ctx context.Context, sc auth.Scope, id int64, chair string) error {
	if !Manages(sc) {
		return forbidden("протокол защит подписывает регион")
	}
	clusters, err := s.store.Clusters(ctx, auth.SystemScope(sc.RegionCode), Filter{})
	if err != nil {
		return err
	}
	return s.store.SignDefence(ctx, sc.RegionCode, id, chair, sc.UserID, s.now(), func(d Defence, marks []Mark) error {
		return CheckSign(d, Results(d, clusters, marks), chair)
	})
}
