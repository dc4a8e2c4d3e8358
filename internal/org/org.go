// Package org holds the organisations of a region: schools, colleges, universities,
// employers, employment centres and the regional HR centre.
package org

import (
	"context"
	"strings"
	"unicode/utf8"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
)

// Kind is the kind of an organisation.
type Kind string

const (
	School     Kind = "school"
	College    Kind = "college"
	University Kind = "university"
	Employer   Kind = "employer"
	CZN        Kind = "czn"       // центр занятости населения
	HRCentre   Kind = "hr_centre" // региональный кадровый центр
)

// Kinds lists every kind in the order pages show them.
var Kinds = []Kind{School, College, University, Employer, CZN, HRCentre}

// Name is the Russian name of the kind.
func (k Kind) Name() string {
	switch k {
	case School:
		return "Школа"
	case College:
		return "Колледж (СПО)"
	case University:
		return "Вуз"
	case Employer:
		return "Работодатель"
	case CZN:
		return "Центр занятости"
	case HRCentre:
		return "Региональный кадровый центр"
	}
	return string(k)
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if v == k {
			return true
		}
	}
	return false
}

// Educates reports whether the organisation has learners.
func (k Kind) Educates() bool { return k == School || k == College || k == University }

// Organisation is one body of the region.
type Organisation struct {
	ID             int64
	RegionCode     string
	Kind           Kind
	Name           string
	ShortName      string
	INN            string
	OGRN           string
	MunicipalityID int64
	Municipality   string // name, filled on reads
	Address        string
	Lat, Lon       float64
	OKVED          string // main activity, employers
	Learners       int    // filled on reads of educating organisations
}

// Validate checks every field and reports all faults at once.
func (o *Organisation) Validate() error {
	o.Name = strings.TrimSpace(o.Name)
	o.ShortName = strings.TrimSpace(o.ShortName)
	o.INN = strings.TrimSpace(o.INN)
	o.OGRN = strings.TrimSpace(o.OGRN)
	o.Address = strings.TrimSpace(o.Address)
	var errs apperr.List
	if err := classifier.CheckRegionCode("region_code", o.RegionCode); err != nil {
		errs = append(errs, err.(*apperr.Error))
	}
	if !o.Kind.Valid() {
		errs.Add("kind", "неизвестный вид организации «%s»; допустимы: school, college, university, employer, czn, hr_centre", o.Kind)
	}
	if o.Name == "" {
		errs.Add("name", "укажите наименование организации")
	} else if utf8.RuneCountInString(o.Name) > 500 {
		errs.Add("name", "наименование длиннее 500 знаков")
	}
	if o.INN != "" {
		if err := CheckINN(o.INN); err != nil {
			errs = append(errs, err.(*apperr.Error))
		}
	} else if o.Kind == Employer {
		errs.Add("inn", "у работодателя должен быть указан ИНН")
	}
	if o.OGRN != "" {
		if err := CheckOGRN(o.OGRN); err != nil {
			errs = append(errs, err.(*apperr.Error))
		}
	}
	if o.MunicipalityID <= 0 {
		errs.Add("municipality_id", "укажите муниципальное образование")
	}
	if o.Lat != 0 || o.Lon != 0 {
		if o.Lat < -90 || o.Lat > 90 || o.Lon < -180 || o.Lon > 180 {
			errs.Add("coordinates", "координаты вне допустимых пределов: широта от −90 до 90, долгота от −180 до 180")
		}
	}
	if o.OKVED != "" {
		if err := classifier.CheckOKVED("okved", o.OKVED); err != nil {
			errs = append(errs, err.(*apperr.Error))
		}
	}
	return errs.Err()
}

// Filter selects organisations in a list.
type Filter struct {
	Kind           Kind
	MunicipalityID int64
	Query          string // part of the name, INN or OGRN
	Sort           string // name, kind, municipality
	Desc           bool
	Limit, Offset  int
}

// Service is the logic of organisations.
type Service struct{ store Store }

// NewService returns a Service on the given store.
func NewService(s Store) *Service { return &Service{store: s} }

// Create validates and stores a new organisation.
func (s *Service) Create(ctx context.Context, sc auth.Scope, o *Organisation) error {
	if !sc.CanManageOrganisations() {
		return apperr.New(apperr.Forbidden, "недостаточно прав для добавления организаций")
	}
	if err := o.Validate(); err != nil {
		return err
	}
	return s.store.CreateOrganisation(ctx, o)
}

// Update validates and stores changes to an organisation.
func (s *Service) Update(ctx context.Context, sc auth.Scope, o *Organisation) error {
	if !sc.CanManageOrganisations() && !(sc.OrgID == o.ID && sc.OrgID != 0) {
		return apperr.New(apperr.Forbidden, "недостаточно прав для изменения этой организации")
	}
	if err := o.Validate(); err != nil {
		return err
	}
	return s.store.UpdateOrganisation(ctx, o)
}

// Get returns one organisation.
func (s *Service) Get(ctx context.Context, id int64) (Organisation, error) {
	return s.store.Organisation(ctx, id)
}

// List returns a page of organisations and the total count.
func (s *Service) List(ctx context.Context, f Filter) ([]Organisation, int, error) {
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, 0, apperr.Field("kind", "неизвестный вид организации «%s»", f.Kind)
	}
	return s.store.Organisations(ctx, f)
}
