package targeted

import (
	"cmp"
	"slices"
	"strconv"
)

// Figures summarise offers and the applications made for them. Drafts are not
// offers yet: they and the applications for them are left out, and so are
// applications whose offer is not among those given.
type Figures struct {
	Offers       int // published and closed offers
	Places       int // the places of those offers
	Applications int // every application for them, whatever its status, the declined and withdrawn included
	// PerPlace is Applications ÷ Places, 0 when there are no places.
	PerPlace float64
	// Contracts counts the applications whose contract was signed: those in
	// ContractSigned or any later status, Terminated and Broken included;
	// the applications that ended before signing (Declined, Withdrawn) and
	// those still before it (Submitted, Selected) are not contracts.
	Contracts int
	Fulfilled int // contracts whose obligation was fulfilled
	Broken    int // contracts whose obligation was broken
	// FulfilmentShare is Fulfilled ÷ (Fulfilled + Broken): of the obligations
	// that came to an end at work, the part fulfilled; 0 when none did.
	// Terminated contracts and obligations still running do not count.
	FulfilmentShare float64
}

// Row is the figures of one group: Key is an employer's ID, an ОКСО code or
// an admission year, written as text.
type Row struct {
	Key string
	Figures
}

// Report is the figures in all and grouped three ways; the rows are in the
// order of their keys: employers by ID, specialties by code, years ascending.
type Report struct {
	Total       Figures
	ByEmployer  []Row
	BySpecialty []Row
	ByYear      []Row
}

// Count computes the figures of offers and applications. An offer given twice
// under one ID is counted once.
func Count(offers []Offer, apps []Application) Report {
	var counted []Offer
	seen := make(map[int64]bool, len(offers))
	for _, o := range offers {
		if (o.Status == Published || o.Status == Closed) && !seen[o.ID] {
			seen[o.ID] = true
			counted = append(counted, o)
		}
	}
	byOffer := make(map[int64][]Application)
	for _, a := range apps {
		if seen[a.OfferID] {
			byOffer[a.OfferID] = append(byOffer[a.OfferID], a)
		}
	}
	var r Report
	for _, o := range counted {
		r.Total.add(o, byOffer[o.ID])
	}
	r.Total.finish()
	r.ByEmployer = group(counted, byOffer, func(o Offer) int64 { return o.EmployerID }, func(id int64) string { return strconv.FormatInt(id, 10) })
	r.BySpecialty = group(counted, byOffer, func(o Offer) string { return o.SpecialtyCode }, func(c string) string { return c })
	r.ByYear = group(counted, byOffer, func(o Offer) int { return o.Year }, strconv.Itoa)
	return r
}

// group sums the figures of offers by key, in the order of the keys.
func group[K cmp.Ordered](offers []Offer, byOffer map[int64][]Application, key func(Offer) K, text func(K) string) []Row {
	sums := make(map[K]*Figures)
	for _, o := range offers {
		k := key(o)
		if sums[k] == nil {
			sums[k] = &Figures{}
		}
		sums[k].add(o, byOffer[o.ID])
	}
	return rowsOf(sums, text)
}

// Cell is the figures of the published and closed offers of one employer in
// one specialty and year of admission, as the store keeps them: Offers,
// Places, Applications, Contracts, Fulfilled and Broken; the shares are
// left to CountCells.
type Cell struct {
	EmployerID    int64
	EmployerName  string
	SpecialtyCode string
	Year          int
	Figures
}

// CountCells sums the figures of cells in all and grouped as Count groups
// them: the report Count makes of the offers and applications the cells
// were counted from. The cells of each grouping may be given already summed
// by its key (byEmployer by employer, …) or as they are kept; the total is
// the sum of byEmployer.
func CountCells(byEmployer, bySpecialty, byYear []Cell) Report {
	var r Report
	for _, c := range byEmployer {
		r.Total.sum(c.Figures)
	}
	r.Total.finish()
	r.ByEmployer = groupCells(byEmployer, func(c Cell) int64 { return c.EmployerID }, func(id int64) string { return strconv.FormatInt(id, 10) })
	r.BySpecialty = groupCells(bySpecialty, func(c Cell) string { return c.SpecialtyCode }, func(s string) string { return s })
	r.ByYear = groupCells(byYear, func(c Cell) int { return c.Year }, strconv.Itoa)
	return r
}

// rowsOf finishes the sums and gives them as rows in the order of their keys.
func rowsOf[K cmp.Ordered](sums map[K]*Figures, text func(K) string) []Row {
	keys := make([]K, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	rows := make([]Row, len(keys))
	for i, k := range keys {
		sums[k].finish()
		rows[i] = Row{Key: text(k), Figures: *sums[k]}
	}
	return rows
}

// groupCells sums the figures of cells by key, in the order of the keys.
func groupCells[K cmp.Ordered](cells []Cell, key func(Cell) K, text func(K) string) []Row {
	sums := make(map[K]*Figures)
	for _, c := range cells {
		k := key(c)
		if sums[k] == nil {
			sums[k] = &Figures{}
		}
		sums[k].sum(c.Figures)
	}
	return rowsOf(sums, text)
}

// sum adds the counts of g (not its shares).
func (f *Figures) sum(g Figures) {
	f.Offers += g.Offers
	f.Places += g.Places
	f.Applications += g.Applications
	f.Contracts += g.Contracts
	f.Fulfilled += g.Fulfilled
	f.Broken += g.Broken
}

func (f *Figures) add(o Offer, apps []Application) {
	f.Offers++
	f.Places += o.Places
	f.Applications += len(apps)
	for _, a := range apps {
		if a.Status.Signed() {
			f.Contracts++
		}
		switch a.Status {
		case Fulfilled:
			f.Fulfilled++
		case Broken:
			f.Broken++
		}
	}
}

func (f *Figures) finish() {
	f.PerPlace = ratio(f.Applications, f.Places)
	f.FulfilmentShare = ratio(f.Fulfilled, f.Fulfilled+f.Broken)
}

// ContractShare is the part of graduates who studied under a targeted
// contract: underContract ÷ graduates, 0 when there are no graduates. Both
// counts are the caller's, of the same graduates (a cohort, an organisation).
func ContractShare(graduates, underContract int) float64 { return ratio(underContract, graduates) }

func ratio(num, den int) float64 {
	if den <= 0 {
		return 0
	}
	return float64(num) / float64(den)
}
