package targeted

import (
	"reflect"
	"testing"
)

func TestCount(t *testing.T) {
	offers := []Offer{
		{ID: 1, EmployerID: 10, SpecialtyCode: "15.02.08", Year: 2025, Places: 4, Status: Closed},
		{ID: 2, EmployerID: 10, SpecialtyCode: "43.03.01", Year: 2026, Places: 2, Status: Published},
		{ID: 3, EmployerID: 20, SpecialtyCode: "15.02.08", Year: 2026, Places: 3, Status: Published},
		{ID: 4, EmployerID: 20, SpecialtyCode: "15.02.08", Year: 2026, Places: 50, Status: Draft},    // not counted
		{ID: 2, EmployerID: 10, SpecialtyCode: "43.03.01", Year: 2026, Places: 2, Status: Published}, // repeated: counted once
	}
	app := func(offer int64, s Status) Application { return Application{OfferID: offer, Status: s} }
	apps := []Application{
		// offer 1: 6 applications, 4 contracts (fulfilled, broken, working off, terminated), 1 declined, 1 withdrawn
		app(1, Fulfilled), app(1, Broken), app(1, WorkingOff), app(1, Terminated), app(1, Declined), app(1, Withdrawn),
		// offer 2: 3 applications, 1 contract (studying)
		app(2, Submitted), app(2, Selected), app(2, Studying),
		// offer 3: 4 applications, 3 contracts (signed, fulfilled, fulfilled)
		app(3, ContractSigned), app(3, Fulfilled), app(3, Fulfilled), app(3, Declined),
		app(4, Submitted),  // the draft's: not counted
		app(99, Submitted), // an unknown offer's: not counted
	}
	r := Count(offers, apps)

	// In all: 3 offers, 4+2+3 = 9 places, 6+3+4 = 13 applications, 13/9 per place;
	// 4+1+3 = 8 contracts; 1+2 = 3 fulfilled, 1 broken, 3/4 share.
	want := Figures{Offers: 3, Places: 9, Applications: 13, PerPlace: 13.0 / 9, Contracts: 8, Fulfilled: 3, Broken: 1, FulfilmentShare: 0.75}
	if r.Total != want {
		t.Errorf("total\n got %+v\nwant %+v", r.Total, want)
	}
	byEmployer := []Row{
		// offers 1 and 2
		{"10", Figures{Offers: 2, Places: 6, Applications: 9, PerPlace: 1.5, Contracts: 5, Fulfilled: 1, Broken: 1, FulfilmentShare: 0.5}},
		// offer 3
		{"20", Figures{Offers: 1, Places: 3, Applications: 4, PerPlace: 4.0 / 3, Contracts: 3, Fulfilled: 2, FulfilmentShare: 1}},
	}
	bySpecialty := []Row{
		// offers 1 and 3
		{"15.02.08", Figures{Offers: 2, Places: 7, Applications: 10, PerPlace: 10.0 / 7, Contracts: 7, Fulfilled: 3, Broken: 1, FulfilmentShare: 0.75}},
		// offer 2: nothing ended, so no share
		{"43.03.01", Figures{Offers: 1, Places: 2, Applications: 3, PerPlace: 1.5, Contracts: 1}},
	}
	byYear := []Row{
		{"2025", Figures{Offers: 1, Places: 4, Applications: 6, PerPlace: 1.5, Contracts: 4, Fulfilled: 1, Broken: 1, FulfilmentShare: 0.5}},
		{"2026", Figures{Offers: 2, Places: 5, Applications: 7, PerPlace: 1.4, Contracts: 4, Fulfilled: 2, FulfilmentShare: 1}},
	}
	for _, g := range []struct {
		name      string
		got, want []Row
	}{{"employer", r.ByEmployer, byEmployer}, {"specialty", r.BySpecialty, bySpecialty}, {"year", r.ByYear, byYear}} {
		if !reflect.DeepEqual(g.got, g.want) {
			t.Errorf("by %s\n got %+v\nwant %+v", g.name, g.got, g.want)
		}
	}
}

// Employers are ordered by their number, not by its text.
func TestCountOrder(t *testing.T) {
	r := Count([]Offer{{ID: 1, EmployerID: 10, Places: 1, Status: Published}, {ID: 2, EmployerID: 9, Places: 1, Status: Published}}, nil)
	if len(r.ByEmployer) != 2 || r.ByEmployer[0].Key != "9" || r.ByEmployer[1].Key != "10" {
		t.Errorf("%+v", r.ByEmployer)
	}
}

func TestCountEmpty(t *testing.T) {
	r := Count(nil, nil)
	if r.Total != (Figures{}) || len(r.ByEmployer)+len(r.BySpecialty)+len(r.ByYear) != 0 {
		t.Errorf("%+v", r)
	}
}

func TestContractShare(t *testing.T) {
	for _, tt := range []struct {
		graduates, under int
		want             float64
	}{{0, 0, 0}, {0, 5, 0}, {40, 10, 0.25}, {3, 3, 1}} {
		if got := ContractShare(tt.graduates, tt.under); got != tt.want {
			t.Errorf("ContractShare(%d, %d) = %v, want %v", tt.graduates, tt.under, got, tt.want)
		}
	}
}

// TestCountCells checks that the figures summed from the kept cells are the
// figures Count makes of the offers and applications they were counted from.
func TestCountCells(t *testing.T) {
	offers := []Offer{
		{ID: 1, EmployerID: 10, SpecialtyCode: "15.02.08", Year: 2025, Places: 4, Status: Closed},
		{ID: 2, EmployerID: 10, SpecialtyCode: "43.03.01", Year: 2026, Places: 2, Status: Published},
		{ID: 3, EmployerID: 20, SpecialtyCode: "15.02.08", Year: 2026, Places: 3, Status: Published},
		{ID: 5, EmployerID: 20, SpecialtyCode: "15.02.08", Year: 2026, Places: 1, Status: Closed},
	}
	app := func(offer int64, s Status) Application { return Application{OfferID: offer, Status: s} }
	apps := []Application{
		app(1, Fulfilled), app(1, Broken), app(1, WorkingOff), app(1, Terminated), app(1, Declined), app(1, Withdrawn),
		app(2, Submitted), app(2, Selected), app(2, Studying),
		app(3, ContractSigned), app(3, Fulfilled), app(3, Fulfilled), app(3, Declined),
		app(5, Broken),
	}
	cells := []Cell{
		{EmployerID: 20, SpecialtyCode: "15.02.08", Year: 2026, Figures: Figures{Offers: 2, Places: 4, Applications: 5, Contracts: 4, Fulfilled: 2, Broken: 1}},
		{EmployerID: 10, SpecialtyCode: "15.02.08", Year: 2025, Figures: Figures{Offers: 1, Places: 4, Applications: 6, Contracts: 4, Fulfilled: 1, Broken: 1}},
		{EmployerID: 10, SpecialtyCode: "43.03.01", Year: 2026, Figures: Figures{Offers: 1, Places: 2, Applications: 3, Contracts: 1}},
	}
	want := Count(offers, apps)
	if got := CountCells(cells, cells, cells); !reflect.DeepEqual(got, want) {
		t.Errorf("from the cells\n got %+v\nwant %+v", got, want)
	}
	// The same cells summed by each key first, as the store sums them.
	byEmployer := []Cell{
		{EmployerID: 10, Figures: Figures{Offers: 2, Places: 6, Applications: 9, Contracts: 5, Fulfilled: 1, Broken: 1}},
		{EmployerID: 20, Figures: Figures{Offers: 2, Places: 4, Applications: 5, Contracts: 4, Fulfilled: 2, Broken: 1}},
	}
	bySpecialty := []Cell{
		{SpecialtyCode: "43.03.01", Figures: Figures{Offers: 1, Places: 2, Applications: 3, Contracts: 1}},
		{SpecialtyCode: "15.02.08", Figures: Figures{Offers: 3, Places: 8, Applications: 11, Contracts: 8, Fulfilled: 3, Broken: 2}},
	}
	byYear := []Cell{
		{Year: 2025, Figures: Figures{Offers: 1, Places: 4, Applications: 6, Contracts: 4, Fulfilled: 1, Broken: 1}},
		{Year: 2026, Figures: Figures{Offers: 3, Places: 6, Applications: 8, Contracts: 5, Fulfilled: 2, Broken: 1}},
	}
	if got := CountCells(byEmployer, bySpecialty, byYear); !reflect.DeepEqual(got, want) {
		t.Errorf("from the sums\n got %+v\nwant %+v", got, want)
	}
}
