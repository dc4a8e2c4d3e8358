package balance

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

// The kinds of files the balance loads.
const (
	ImportNeeds    = "needs"
	ImportCapacity = "capacity"
	ImportAges     = "ages"
)

// ImportKinds names the kinds of files, in the order of the form.
var ImportKinds = []struct{ Kind, Title string }{
	{ImportNeeds, "Заявленная потребность работодателей"},
	{ImportCapacity, "Вместимость и план приёма организаций"},
	{ImportAges, "Возрастная структура занятых"},
}

// FileRow is a row of a loaded file as the balance reads it: its line, its cells
// by the key of their column, and the whole numbers the reader found in
// them; a cell that holds no whole number has the reason in NotInt.
type FileRow struct {
	Line   int
	Cells  map[string]string
	Ints   map[string]int
	NotInt map[string]error
}

// Get is the text of a cell, "" when the file has no such column.
func (r FileRow) Get(key string) string { return r.Cells[key] }

// Rejected is a row of a file that was not loaded, and why.
type Rejected struct {
	Line   int
	Reason string
}

// Report is what a load did.
type Report struct {
	Kind     string
	Rows     int
	Loaded   int
	Rejected []Rejected
}

// maxRejected is how many rejected rows a report names.
const maxRejected = 200

// CheckImport refuses a kind of file the caller may not load or that does
// not exist, before the file is read.
func CheckImport(sc auth.Scope, kind string) error {
	switch {
	case kind == ImportNeeds && !CanDeclare(sc),
		kind == ImportCapacity && !CanSetCapacity(sc),
		kind == ImportAges && !CanPlan(sc):
		return apperr.New(apperr.Forbidden, "загружать этот вид данных вам не разрешено")
	case !slices.ContainsFunc(ImportKinds, func(k struct{ Kind, Title string }) bool { return k.Kind == kind }):
		return apperr.Field("kind", "неизвестный вид данных «%s»: ожидается needs, capacity или ages", kind)
	}
	return nil
}

// Import loads the rows of a file of needs, capacities or the age
// structure: the rows it accepts in one transaction, with a report of those
// it rejects and why; when none is accepted nothing changes.
func (s *Service) Import(ctx context.Context, sc auth.Scope, kind string, rows []FileRow) (Report, error) {
	if err := CheckImport(sc, kind); err != nil {
		return Report{}, err
	}
	in, err := s.input(ctx, sc.RegionCode)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Kind: kind, Rows: len(rows)}
	reject := func(line int, err error) {
		if len(rep.Rejected) < maxRejected {
			rep.Rejected = append(rep.Rejected, Rejected{Line: line, Reason: apperr.Text(err)})
		}
	}
	switch kind {
	case ImportNeeds:
		err = s.importNeeds(ctx, sc, in, rows, &rep, reject)
	case ImportCapacity:
		err = s.importCapacity(ctx, sc, in, rows, &rep, reject)
	case ImportAges:
		err = s.importAges(ctx, sc, in, rows, &rep, reject)
	}
	if err != nil {
		return rep, err
	}
	if rep.Loaded > 0 {
		s.forget()
	}
	return rep, nil
}

// orgsByINN finds the organisations the rows name by ИНН.
func (s *Service) orgsByINN(ctx context.Context, sc auth.Scope, rows []FileRow) (map[string]Org, error) {
	var inns []string
	for _, r := range rows {
		if v := strings.TrimSpace(r.Get("inn")); v != "" {
			inns = append(inns, v)
		}
	}
	return s.store.EmployersByINN(ctx, sc.RegionCode, inns)
}

// orgOf is the organisation of a row: the caller's own for an organisation,
// the one named by ИНН for the region.
func orgOf(sc auth.Scope, r FileRow, orgs map[string]Org, kind string) (int64, error) {
	inn := strings.TrimSpace(r.Get("inn"))
	if !sc.WholeRegion() {
		if inn != "" {
			if o, ok := orgs[inn]; !ok || o.ID != sc.OrgID {
				return 0, apperr.Field("inn", "ИНН %s — не ваша организация: загружать можно только свои данные", inn)
			}
		}
		return sc.OrgID, nil
	}
	if inn == "" {
		return 0, apperr.Field("inn", "не указан ИНН")
	}
	o, ok := orgs[inn]
	if !ok {
		return 0, apperr.Field("inn", "организация с ИНН %s не найдена в регионе", inn)
	}
	if kind != "" && !strings.Contains(kind, o.Kind) {
		return 0, apperr.Field("inn", "организация с ИНН %s («%s») не того вида", inn, o.Name)
	}
	return o.ID, nil
}

func intCell(r FileRow, key, title string, required bool) (int, error) {
	v := strings.TrimSpace(r.Get(key))
	if v == "" {
		if required {
			return 0, apperr.Field(key, "не указано: %s", title)
		}
		return 0, nil
	}
	if err := r.NotInt[key]; err != nil {
		return 0, apperr.Field(key, "%s: %s", title, apperr.Text(err))
	}
	n := r.Ints[key]
	if n < 0 {
		return 0, apperr.Field(key, "%s не может быть отрицательным: %d", title, n)
	}
	return n, nil
}

func (s *Service) importNeeds(ctx context.Context, sc auth.Scope, in Input, rows []FileRow, rep *Report, reject func(int, error)) error {
	orgs, err := s.orgsByINN(ctx, sc, rows)
	if err != nil {
		return err
	}
	now := s.now()
	var ok []Need
	for _, r := range rows {
		n, err := needRow(sc, in, r, orgs, now)
		if err != nil {
			reject(r.Line, err)
			continue
		}
		n.RegionCode, n.CreatedBy, n.UpdatedAt, n.Source = sc.RegionCode, sc.UserID, now, "import"
		ok = append(ok, n)
	}
	if len(ok) == 0 {
		return nil
	}
	rep.Loaded = len(ok)
	return s.store.SaveNeeds(ctx, sc, ok)
}

func needRow(sc auth.Scope, in Input, r FileRow, orgs map[string]Org, now time.Time) (Need, error) {
	var n Need
	var err error
	if n.EmployerID, err = orgOf(sc, r, orgs, "employer"); err != nil {
		return n, err
	}
	n.Specialty = strings.TrimSpace(r.Get("specialty"))
	if _, ok := in.Specialties[n.Specialty]; !ok {
		return n, apperr.Field("specialty", "специальность «%s» не найдена в классификаторе", n.Specialty)
	}
	if n.Horizon, err = intCell(r, "horizon", "горизонт", true); err != nil {
		return n, err
	}
	if n.Count, err = intCell(r, "count", "потребность", true); err != nil {
		return n, err
	}
	if n.BaseYear, err = intCell(r, "year", "год заявки", false); err != nil {
		return n, err
	}
	if n.BaseYear == 0 {
		n.BaseYear = now.Year()
	}
	n.Note = r.Get("note")
	if err := checkCountHorizon(n.Count, n.Horizon); err != nil {
		return n, err
	}
	if n.BaseYear < now.Year()-10 || n.BaseYear > now.Year()+1 {
		return n, apperr.Field("year", "год заявки %d: допустимы %d–%d", n.BaseYear, now.Year()-10, now.Year()+1)
	}
	return n, nil
}

func (s *Service) importCapacity(ctx context.Context, sc auth.Scope, in Input, rows []FileRow, rep *Report, reject func(int, error)) error {
	orgs, err := s.orgsByINN(ctx, sc, rows)
	if err != nil {
		return err
	}
	var ok []Capacity
	for _, r := range rows {
		c, err := capacityRow(sc, in, r, orgs)
		if err != nil {
			reject(r.Line, err)
			continue
		}
		c.UpdatedAt = s.now()
		ok = append(ok, c)
	}
	if len(ok) == 0 {
		return nil
	}
	rep.Loaded = len(ok)
	return s.store.SaveCapacities(ctx, sc, ok)
}

func capacityRow(sc auth.Scope, in Input, r FileRow, orgs map[string]Org) (Capacity, error) {
	var c Capacity
	var err error
	if c.OrgID, err = orgOf(sc, r, orgs, "college university"); err != nil {
		return c, err
	}
	c.Specialty = strings.TrimSpace(r.Get("specialty"))
	if _, ok := in.Specialties[c.Specialty]; !ok {
		return c, apperr.Field("specialty", "специальность «%s» не найдена в классификаторе", c.Specialty)
	}
	if c.Capacity, err = intCell(r, "capacity", "вместимость", true); err != nil {
		return c, err
	}
	if c.Plan, err = intCell(r, "plan", "план приёма", false); err != nil {
		return c, err
	}
	return c, c.Check()
}

func (s *Service) importAges(ctx context.Context, sc auth.Scope, in Input, rows []FileRow, rep *Report, reject func(int, error)) error {
	groups := map[string]string{}
	for _, sp := range in.Specialties {
		groups[sp.Group] = sp.GroupName
	}
	year := s.now().Year()
	var ok []Age
	for _, r := range rows {
		a, err := ageRow(r, groups, year)
		if err != nil {
			reject(r.Line, err)
			continue
		}
		a.UpdatedAt = s.now()
		ok = append(ok, a)
	}
	if len(ok) == 0 {
		return nil
	}
	rep.Loaded = len(ok)
	return s.store.SaveAges(ctx, sc.RegionCode, ok)
}

// ageRow reads a row of the age structure. The group may be written as
// «15.00.00» or «15»; the level as «СПО» or «ВО»; the band as the pages
// write it or as «60+», «до 30».
func ageRow(r FileRow, groups map[string]string, year int) (Age, error) {
	var a Age
	g := strings.TrimSpace(r.Get("group"))
	if len(g) == 2 {
		g += ".00.00"
	}
	name, ok := groups[g]
	if !ok {
		return a, apperr.Field("group", "укрупнённая группа «%s» не найдена в классификаторе", g)
	}
	a.Key.Group, a.GroupName = g, name
	switch strings.ToLower(strings.TrimSpace(r.Get("level"))) {
	case "спо", "среднее профессиональное", "spo":
		a.Key.Level = SPO
	case "во", "высшее", "higher":
		a.Key.Level = Higher
	default:
		return a, apperr.Field("level", "уровень «%s»: ожидается СПО или ВО", r.Get("level"))
	}
	b, err := ParseBand(r.Get("band"))
	if err != nil {
		return a, err
	}
	a.Band = b
	if a.Employed, err = intCell(r, "employed", "число занятых", true); err != nil {
		return a, err
	}
	if a.Year, err = intCell(r, "year", "год данных", false); err != nil {
		return a, err
	}
	if a.Year == 0 {
		a.Year = year
	}
	if a.Year < year-10 || a.Year > year {
		return a, apperr.Field("year", "год данных %d: допустимы %d–%d", a.Year, year-10, year)
	}
	return a, nil
}

// ParseBand reads an age band.
func ParseBand(s string) (Band, error) {
	v := strings.ToLower(strings.Join(strings.Fields(strings.NewReplacer("–", "-", "—", "-", " - ", "-").Replace(s)), " "))
	for _, b := range Bands {
		if v == string(b) || v == strings.ToLower(strings.ReplaceAll(b.Name(), "–", "-")) {
			return b, nil
		}
	}
	switch v {
	case "до 30", "<30", "моложе 30", "15-29", "18-29":
		return Under30, nil
	case "30-44", "30-44 лет":
		return From30, nil
	case "45-54", "45-54 лет":
		return From45, nil
	case "55-59", "55-59 лет":
		return From55, nil
	case "60 и старше", "60 лет и старше", ">=60", "60-":
		return Over60, nil
	}
	return "", apperr.Field("band", "возрастная группа «%s»: ожидается одна из: до 30, 30–44, 45–54, 55–59, 60+", strings.TrimSpace(s))
}

// String writes a report for the command line and the flash of a page.
func (r Report) String() string {
	s := fmt.Sprintf("строк в файле: %d, загружено: %d", r.Rows, r.Loaded)
	if n := r.Rows - r.Loaded; n > 0 {
		s += ", отклонено: " + strconv.Itoa(n)
	}
	return s
}
