package org

import (
	"strings"
	"testing"

	"marshrut/internal/apperr"
)

func TestCheckINN(t *testing.T) {
	tests := []struct {
		inn, err string
	}{
		{"7707083893", ""},   // ПАО Сбербанк
		{"4101000011", ""},   // made with INNCheckDigit
		{"500100732259", ""}, // a valid 12-digit ИНН of a person
		{"7707083894", "контрольной цифры"},
		{"500100732258", "контрольных цифр"},
		{"770708389", "10 цифр"},
		{"77070838AB", "10 цифр"},
		{"", "10 цифр"},
	}
	for _, tt := range tests {
		err := CheckINN(tt.inn)
		if tt.err == "" && err != nil {
			t.Errorf("CheckINN(%q) = %v, want nil", tt.inn, err)
		}
		if tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err) || !apperr.Is(err, apperr.Invalid)) {
			t.Errorf("CheckINN(%q) = %v, want an Invalid error with %q", tt.inn, err, tt.err)
		}
	}
}

func TestCheckOGRN(t *testing.T) {
	tests := []struct {
		ogrn, err string
	}{
		{"1027700132195", ""},   // ПАО Сбербанк
		{"304500116000157", ""}, // a valid ОГРНИП
		{"1027700132194", "контрольной цифры"},
		{"304500116000158", "контрольной цифры"},
		{"10277001321", "13 цифр"},
	}
	for _, tt := range tests {
		err := CheckOGRN(tt.ogrn)
		if tt.err == "" && err != nil {
			t.Errorf("CheckOGRN(%q) = %v, want nil", tt.ogrn, err)
		}
		if tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("CheckOGRN(%q) = %v, want an error with %q", tt.ogrn, err, tt.err)
		}
	}
}

func TestValidate(t *testing.T) {
	o := Organisation{RegionCode: "4", Kind: "factory", INN: "123", MunicipalityID: 0, Lat: 91}
	err := o.Validate()
	msg := apperr.Message(err)
	for _, want := range []string{"region_code", "kind: неизвестный вид организации «factory»", "name: укажите наименование", "inn", "municipality_id", "coordinates"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	ok := Organisation{RegionCode: "41", Kind: Employer, Name: " ООО «Ромашка» ", INN: "7707083893", OGRN: "1027700132195", MunicipalityID: 1, OKVED: "62.01"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	if ok.Name != "ООО «Ромашка»" {
		t.Errorf("name not trimmed: %q", ok.Name)
	}
	noINN := Organisation{RegionCode: "41", Kind: Employer, Name: "ООО «Без ИНН»", MunicipalityID: 1}
	if err := noINN.Validate(); err == nil || !strings.Contains(err.Error(), "ИНН") {
		t.Errorf("employer without INN: %v", err)
	}
}
