package imports

import (
	"context"
	"fmt"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/exchange"
	"marshrut/internal/org"
)

// OrgLoader is what an import of organisations needs of the Loader it runs
// in, besides NextID; store.Loader is one. It stands apart from Loader so that
// the loaders of other imports need not write organisations.
type OrgLoader interface {
	// RegionOrganisations returns every organisation of the region.
	RegionOrganisations(region string) ([]org.Organisation, error)
	// Organisations inserts organisations with their ids set.
	Organisations([]org.Organisation) error
	// UpdateOrganisations rewrites organisations by id.
	UpdateOrganisations([]org.Organisation) error
}

// Organisations imports a register of organisations (schools, colleges,
// universities, employers, employment centres) from t with the columns m.
// Only the region's own users may: opt.OrgID must be zero. A row is matched
// to a stored organisation of the region by ИНН, or, when it has none or no
// stored organisation has it, by name in the same municipality. A stored
// organisation is updated only in the cells the file fills: an empty cell
// never erases what is stored. A row without a kind is an employer when it
// has an ИНН.
func (im *Importer) Organisations(ctx context.Context, t *exchange.Table, m exchange.Mapping, opt Options) (Report, error) {
	rep := Report{Kind: "organisations", DryRun: opt.DryRun}
	if opt.OrgID != 0 {
		return rep, apperr.New(apperr.Forbidden, "загружать организации может только регион")
	}
	if opt.Region == "" {
		return rep, apperr.Field("region", "не указан регион, организации которого загружаются")
	}
	if err := m.Check(); err != nil {
		return rep, err
	}
	munis, err := im.municipalities(ctx, opt.Region)
	if err != nil {
		return rep, err
	}
	p := &orgParser{m: m, munis: munis, opt: opt}
	seen := map[string]int{} // key in the file → line where it first appeared
	err = im.run(ctx, &rep, opt, func(ld Loader) error {
		ol, ok := ld.(OrgLoader)
		if !ok {
			return apperr.New(apperr.Internal, "загрузка организаций невозможна: хранилище (%T) не умеет записывать организации", ld)
		}
		stored, err := ol.RegionOrganisations(opt.Region)
		if err != nil {
			return err
		}
		reg := newOrgRegistry(stored)
		next, err := ld.NextID("organisation")
		if err != nil {
			return err
		}
		matched := map[int64]int{} // stored id → line that matched it
		var creates, updates []org.Organisation
		flush := func() error {
			if err := ol.Organisations(creates); err != nil {
				return err
			}
			if err := ol.UpdateOrganisations(updates); err != nil {
				return err
			}
			creates, updates = creates[:0], updates[:0]
			return nil
		}
		err = eachRow(ctx, t, &rep, opt, func(cells exchange.Row) error {
			in, issues := p.parse(cells)
			if len(issues) > 0 {
				rep.reject(cells.Line, issues)
				return nil
			}
			key, keyCol := "n"+exchange.Normalise(in.Name)+"|"+fmt.Sprint(in.MunicipalityID), "name"
			if in.INN != "" {
				key, keyCol = "i"+in.INN, "inn"
			}
			if first, dup := seen[key]; dup {
				rep.reject(cells.Line, []Issue{{Column: p.title(keyCol), Reason: fmt.Sprintf("повторяет строку %d: та же организация указана дважды", first)}})
				return nil
			}
			seen[key] = cells.Line
			old, found, amb := reg.match(in)
			if amb != "" {
				rep.reject(cells.Line, []Issue{{Column: p.title("name"), Reason: amb}})
				return nil
			}
			if !found {
				o := in
				if o.Kind == "" {
					if o.INN == "" {
						rep.reject(cells.Line, []Issue{{Column: p.title("kind"), Reason: "не указан вид организации: школа, колледж, вуз, работодатель, центр занятости или кадровый центр"}})
						return nil
					}
					o.Kind = org.Employer
				}
				if o.MunicipalityID == 0 && !p.m.Has("municipality") {
					rep.reject(cells.Line, []Issue{{Column: p.title("municipality"), Reason: "не указано муниципальное образование новой организации: добавьте столбец «Муниципальное образование»"}})
					return nil
				}
				if err := o.Validate(); err != nil {
					rep.reject(cells.Line, p.issues(err))
					return nil
				}
				o.ID = next
				next++
				reg.add(o)
				creates = append(creates, o)
				rep.Created++
			} else {
				if first, dup := matched[old.ID]; dup {
					rep.reject(cells.Line, []Issue{{Reason: fmt.Sprintf("повторяет строку %d: обе строки относятся к организации «%s»", first, old.Name)}})
					return nil
				}
				matched[old.ID] = cells.Line
				merged := mergeOrg(old, in)
				if merged.Kind != old.Kind && old.Kind.Educates() {
					rep.reject(cells.Line, []Issue{{Column: p.title("kind"), Reason: fmt.Sprintf("вид организации «%s» (%s) не меняется загрузкой: у образовательной организации есть обучающиеся; измените его в карточке организации",
						old.Name, strings.ToLower(old.Kind.Name()))}})
					return nil
				}
				if err := merged.Validate(); err != nil {
					rep.reject(cells.Line, p.issues(err))
					return nil
				}
				if sameOrg(old, merged) {
					rep.Unchanged++
					return nil
				}
				reg.replace(old, merged)
				updates = append(updates, merged)
				rep.Updated++
			}
			if len(creates)+len(updates) >= batchSize {
				if err := flush(); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return flush()
	})
	return rep, err
}

// municipalities maps the normalised names of the region's municipalities to
// their ids, with the first word alone («Елизовский») when it names one only.
func (im *Importer) municipalities(ctx context.Context, region string) (map[string]int64, error) {
	ms, err := im.ref.Municipalities(ctx, region)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	short := map[string]int64{}
	for _, m := range ms {
		out[exchange.Normalise(m.Name)] = m.ID
		if w := strings.Fields(m.Name); len(w) > 1 {
			k := exchange.Normalise(w[0])
			if _, twice := short[k]; twice {
				short[k] = 0
			} else {
				short[k] = m.ID
			}
		}
	}
	for k, id := range short {
		if _, full := out[k]; !full && id != 0 {
			out[k] = id
		}
	}
	return out, nil
}

// orgRegistry finds stored organisations by ИНН and by name in a municipality.
type orgRegistry struct {
	byINN  map[string]org.Organisation
	byName map[string][]org.Organisation // normalised name or short name → organisations
}

func newOrgRegistry(list []org.Organisation) *orgRegistry {
	r := &orgRegistry{byINN: map[string]org.Organisation{}, byName: map[string][]org.Organisation{}}
	for _, o := range list {
		r.add(o)
	}
	return r
}

func (r *orgRegistry) names(o org.Organisation) []string {
	out := []string{exchange.Normalise(o.Name)}
	if s := exchange.Normalise(o.ShortName); s != "" && s != out[0] {
		out = append(out, s)
	}
	return out
}

func (r *orgRegistry) add(o org.Organisation) {
	if o.INN != "" {
		if _, ok := r.byINN[o.INN]; !ok {
			r.byINN[o.INN] = o
		}
	}
	for _, n := range r.names(o) {
		r.byName[n] = append(r.byName[n], o)
	}
}

func (r *orgRegistry) replace(old, o org.Organisation) {
	if r.byINN[old.INN].ID == old.ID {
		delete(r.byINN, old.INN)
	}
	for _, n := range r.names(old) {
		list := r.byName[n][:0]
		for _, x := range r.byName[n] {
			if x.ID != old.ID {
				list = append(list, x)
			}
		}
		r.byName[n] = list
	}
	r.add(o)
}

// match finds the stored organisation a row stands for: by ИНН, else by name
// among those of the row's municipality (of any, when the row names none)
// that have no ИНН or the row's. amb explains why a name fits several.
func (r *orgRegistry) match(in org.Organisation) (o org.Organisation, found bool, amb string) {
	if in.INN != "" {
		if o, ok := r.byINN[in.INN]; ok {
			return o, true, ""
		}
	}
	var fits []org.Organisation
	for _, x := range r.byName[exchange.Normalise(in.Name)] {
		if in.MunicipalityID != 0 && x.MunicipalityID != in.MunicipalityID {
			continue
		}
		if in.INN != "" && x.INN != "" && x.INN != in.INN {
			continue
		}
		fits = append(fits, x)
	}
	switch len(fits) {
	case 0:
		return org.Organisation{}, false, ""
	case 1:
		return fits[0], true, ""
	}
	return org.Organisation{}, false, fmt.Sprintf("в регионе несколько организаций «%s»: укажите ИНН или муниципальное образование", in.Name)
}

// mergeOrg overlays the filled cells of a row on the stored organisation.
func mergeOrg(old, in org.Organisation) org.Organisation {
	out := old
	str := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	str(&out.Name, in.Name)
	str(&out.ShortName, in.ShortName)
	str(&out.INN, in.INN)
	str(&out.OGRN, in.OGRN)
	str(&out.Address, in.Address)
	str(&out.OKVED, in.OKVED)
	if in.Kind != "" {
		out.Kind = in.Kind
	}
	if in.MunicipalityID != 0 {
		out.MunicipalityID = in.MunicipalityID
	}
	if in.Lat != 0 || in.Lon != 0 {
		out.Lat, out.Lon = in.Lat, in.Lon
	}
	return out
}

func sameOrg(a, b org.Organisation) bool {
	return a.Kind == b.Kind && a.Name == b.Name && a.ShortName == b.ShortName && a.INN == b.INN && a.OGRN == b.OGRN &&
		a.MunicipalityID == b.MunicipalityID && a.Address == b.Address && a.Lat == b.Lat && a.Lon == b.Lon && a.OKVED == b.OKVED
}

// orgParser turns rows into organisations.
type orgParser struct {
	m     exchange.Mapping
	munis map[string]int64
	opt   Options
}

func (p *orgParser) title(key string) string { return columnTitle(p.m, key) }

// orgColumnOf maps the fields of org.Organisation.Validate to the file's columns.
var orgColumnOf = map[string]string{"municipality_id": "municipality", "coordinates": "lat", "region_code": ""}

func (p *orgParser) issues(err error) []Issue {
	var out []Issue
	for _, e := range apperr.Fields(err) {
		key, ok := orgColumnOf[e.Field]
		if !ok {
			key = e.Field
		}
		col := ""
		if key != "" {
			col = p.title(key)
		}
		out = append(out, Issue{Column: col, Reason: e.Message})
	}
	return out
}

// parse reads one row; Kind is empty when the row does not say it.
func (p *orgParser) parse(r exchange.Row) (org.Organisation, []Issue) {
	var issues []Issue
	bad := func(key, format string, args ...any) {
		issues = append(issues, Issue{Column: p.title(key), Reason: fmt.Sprintf(format, args...)})
	}
	get := func(key string) string { return exchange.Clean(p.m.Get(r, key)) }
	o := org.Organisation{RegionCode: p.opt.Region, Name: collapse(get("name")), ShortName: collapse(get("short_name")),
		Address: collapse(get("address"))}
	if o.Name == "" {
		bad("name", "не указано наименование организации")
	}
	if v := get("kind"); v != "" {
		o.Kind = parseKind(v)
		if o.Kind == "" {
			bad("kind", "вид организации «%s» не распознан: школа, колледж, вуз, работодатель, центр занятости или кадровый центр", v)
		}
	}
	o.INN = codeDigits(get("inn"))
	if n := len(o.INN); allDigits(o.INN) && (n == 9 || n == 11) {
		o.INN = "0" + o.INN // a spreadsheet drops the leading zero of a number
	}
	o.OGRN = codeDigits(get("ogrn"))
	if v := get("municipality"); v != "" {
		id, ok := p.munis[exchange.Normalise(v)]
		if !ok {
			bad("municipality", "муниципальное образование «%s» не найдено в регионе", v)
		}
		o.MunicipalityID = id
	}
	lat, lon := get("lat"), get("lon")
	if lat != "" || lon != "" {
		if lat == "" || lon == "" {
			missing := "lon"
			if lat == "" {
				missing = "lat"
			}
			bad(missing, "укажите обе координаты: широту и долготу")
		}
		for _, c := range []struct {
			key, v string
			into   *float64
		}{{"lat", lat, &o.Lat}, {"lon", lon, &o.Lon}} {
			if c.v == "" {
				continue
			}
			f, err := exchange.ParseNumber(c.v)
			if err != nil {
				bad(c.key, "%s", apperr.Message(err))
			}
			*c.into = f
		}
	}
	if v := get("okved"); v != "" {
		// «62.01 Разработка компьютерного программного обеспечения» is common.
		o.OKVED = strings.TrimSuffix(strings.Fields(v)[0], ".")
	}
	return o, issues
}

// parseKind reads the kind of an organisation as registers write it: the
// kind's code or Russian name, a word for it («техникум», «СОШ», «ЦЗН»).
func parseKind(v string) org.Kind {
	n := exchange.Normalise(v)
	if k, ok := named(n, org.Kinds); ok {
		return k
	}
	words := strings.Fields(n)
	// stem is true when a word of the cell starts with one of stems; an
	// abbreviation must be a whole word.
	stem := func(stems ...string) bool {
		for _, w := range words {
			for _, s := range stems {
				if strings.HasPrefix(w, s) {
					return true
				}
			}
		}
		return false
	}
	word := func(abbrs ...string) bool {
		for _, w := range words {
			for _, a := range abbrs {
				if w == a {
					return true
				}
			}
		}
		return false
	}
	switch {
	case strings.Contains(n, "занятост") || word("цзн", "кцзн", "czn"):
		return org.CZN
	case stem("кадров") || word("ркц", "hr"):
		return org.HRCentre
	case stem("университет", "институт", "академи", "высш") || word("вуз", "university"):
		return org.University
	case stem("колледж", "техникум", "училищ", "профессиональн") || word("спо", "поо", "college"):
		return org.College
	case stem("школ", "гимнази", "лицей", "общеобразоват") || word("сош", "оош", "нош", "school"):
		return org.School
	case stem("работодател", "предприят", "компани", "коммерческ", "юридическ", "предприниматель") || word("юл", "ип", "ооо", "ао", "пао", "employer"):
		return org.Employer
	}
	return ""
}

// columnTitle is the title of the file's column for the field key, or the
// field's own title when the file has no such column.
func columnTitle(m exchange.Mapping, key string) string {
	if c := m.Col(key); c >= 0 && c < len(m.Header()) {
		return m.Header()[c]
	}
	for _, f := range m.Fields() {
		if f.Key == key {
			return f.Title
		}
	}
	return key
}

// collapse trims a text cell and joins its runs of spaces into one.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// codeDigits drops the spaces and dashes a code is often written with.
func codeDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\u00a0' || r == '\u202f' || r == '\u2009' {
			return -1
		}
		return r
	}, s)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
