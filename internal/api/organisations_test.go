package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"marshrut/internal/org"
)

func TestListOrganisations(t *testing.T) {
	e := newEnv(t)
	f := e.f
	for _, c := range []struct {
		name, query string
		want        []int64
		total       int
	}{
		{"all by name", "", []int64{f.college2.ID, f.college.ID, f.school.ID, f.empl.ID, f.czn.ID}, 5},
		{"colleges", "kind=college", []int64{f.college2.ID, f.college.ID}, 2},
		{"colleges desc", "kind=college&desc=true", []int64{f.college.ID, f.college2.ID}, 2},
		{"by municipality", "municipality_id=" + itoa(f.muni2.ID), []int64{f.college2.ID, f.czn.ID}, 2},
		{"by INN", "q=4101000011", []int64{f.empl.ID}, 1},
		{"by a word", "q=медицинский", []int64{f.college2.ID}, 1},
		{"second page", "limit=2&offset=2", []int64{f.school.ID, f.empl.ID}, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := e.get(t, "kpt", Prefix+"/organisations?"+c.query)
			if res.status != http.StatusOK {
				t.Fatalf("status %d: %s", res.status, res.body)
			}
			page := decodeJSON[list[organisationDTO]](t, res)
			var got []int64
			for _, o := range page.Items {
				got = append(got, o.ID)
			}
			if !slices.Equal(got, c.want) || page.Total != c.total {
				t.Errorf("got %v total %d, want %v total %d", got, page.Total, c.want, c.total)
			}
		})
	}
	for _, c := range []struct{ query, field string }{
		{"kind=bank", "kind"}, {"sort=learners", "sort"}, {"limit=1000", "limit"}, {"municipality_id=x", "municipality_id"},
	} {
		t.Run(c.query, func(t *testing.T) {
			res := e.get(t, "kpt", Prefix+"/organisations?"+c.query)
			if res.status != http.StatusBadRequest || res.err().Field != c.field {
				t.Errorf("got %d %s, want 400 naming %s", res.status, res.body, c.field)
			}
		})
	}
}

func TestOrganisationCard(t *testing.T) {
	e := newEnv(t)
	res := e.get(t, "kpt", Prefix+"/organisations/"+itoa(e.f.college.ID))
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	got := decodeJSON[organisationDTO](t, res)
	want := organisationDTO{ID: e.f.college.ID, RegionCode: "41", Kind: "college", Name: e.f.college.Name,
		MunicipalityID: e.f.muni1.ID, Municipality: e.f.muni1.Name, Learners: 5}
	if got != want {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if res := e.get(t, "kpt", Prefix+"/organisations/424242"); res.status != http.StatusNotFound || res.err().Message != "организация не найдена" {
		t.Errorf("missing: %d %s", res.status, res.body)
	}
}

func TestWriteOrganisation(t *testing.T) {
	e := newEnv(t)
	f := e.f
	employer := map[string]any{"kind": "employer", "name": " АО «Камчатэнерго» ", "inn": "4101000011", "ogrn": "1024101023330",
		"municipality_id": f.muni1.ID, "address": "Петропавловск-Камчатский, ул. Ленинская, 1", "lat": 53.02, "lon": 158.65, "okved": "35.11"}
	// The fixture's codes are valid, so that each bad case fails for its one wrong digit.
	for _, err := range []error{org.CheckINN("4101000011"), org.CheckOGRN(employer["ogrn"].(string)), org.CheckINN("7707083893")} {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name   string
		as     string
		body   map[string]any
		status int
		field  string
		msg    string
	}{
		{"bad INN", "minobr", with(employer, "inn", "4101000012"), 400, "inn", "inn: ИНН «4101000012» не проходит проверку контрольной цифры"},
		{"INN of 11 digits", "minobr", with(employer, "inn", "41010000111"), 400, "inn", "10 цифр"},
		{"employer without INN", "minobr", with(employer, "inn", nil), 400, "inn", "должен быть указан ИНН"},
		{"bad OGRN", "minobr", with(employer, "ogrn", "1024101023331"), 400, "ogrn", "контрольной цифры"},
		{"bad OKVED", "minobr", with(employer, "okved", "35-11"), 400, "okved", "ОКВЭД2"},
		{"unknown kind", "minobr", with(employer, "kind", "bank"), 400, "kind", "неизвестный вид организации «bank»"},
		{"coordinates", "minobr", with(employer, "lat", 95), 400, "coordinates", "вне допустимых пределов"},
		{"unknown municipality", "minobr", with(employer, "municipality_id", 4242), 400, "municipality_id", "не найдено в регионе 41"},
		{"another region", "minobr", with(employer, "region_code", "77"), 400, "region_code", "только организации своего региона 41"},
		{"id is assigned by the server", "minobr", with(employer, "id", 5), 400, "id", "назначает сервер"},
		{"a college may not add", "kpt", employer, 403, "", "недостаточно прав для добавления организаций"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := e.counts(t)
			res := e.do(t, req{as: c.as, method: "POST", path: Prefix + "/organisations", body: c.body})
			er := res.err()
			if res.status != c.status || er.Field != c.field || !strings.Contains(er.Message, c.msg) {
				t.Errorf("got %d %s\nwant %d field %q message with %q", res.status, res.body, c.status, c.field, c.msg)
			}
			if after := e.counts(t); after != before {
				t.Errorf("a refused create wrote: %+v → %+v", before, after)
			}
		})
	}

	res := e.do(t, req{as: "admin", method: "POST", path: Prefix + "/organisations", body: with(employer, "region_code", "41")})
	if res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	created := decodeJSON[organisationDTO](t, res)
	if created.ID == 0 || res.header.Get("Location") != Prefix+"/organisations/"+itoa(created.ID) ||
		created.Name != "АО «Камчатэнерго»" || created.Municipality != f.muni1.Name || created.RegionCode != "41" || created.Lat != 53.02 {
		t.Errorf("created %+v, Location %q", created, res.header.Get("Location"))
	}
	if got := decodeJSON[organisationDTO](t, e.get(t, "kpt", res.header.Get("Location"))); got != created {
		t.Errorf("read back %+v\nwant %+v", got, created)
	}

	// A college may edit itself, not another organisation.
	own := fromOrganisation(f.college)
	own.ShortName, own.Address = "КПТ", "ул. Ключевская, 32"
	path := Prefix + "/organisations/" + itoa(f.college.ID)
	res = e.do(t, req{as: "kpt", method: "PUT", path: path, body: own})
	if got := decodeJSON[organisationDTO](t, res); res.status != http.StatusOK || got.ShortName != "КПТ" || got.Learners != 5 {
		t.Errorf("own update: %d %s", res.status, res.body)
	}
	other := fromOrganisation(f.college2)
	other.ShortName = "КМК"
	res = e.do(t, req{as: "kpt", method: "PUT", path: Prefix + "/organisations/" + itoa(f.college2.ID), body: other})
	if res.status != http.StatusForbidden {
		t.Errorf("foreign update: %d %s", res.status, res.body)
	}
	if got := decodeJSON[organisationDTO](t, e.get(t, "kpt", Prefix+"/organisations/"+itoa(f.college2.ID))); got.ShortName != "" {
		t.Errorf("a refused update wrote %+v", got)
	}
	res = e.do(t, req{as: "minobr", method: "PUT", path: Prefix + "/organisations/424242", body: with(employer, "inn", "7707083893")})
	if res.status != http.StatusNotFound {
		t.Errorf("update of a missing organisation: %d %s", res.status, res.body)
	}
}
