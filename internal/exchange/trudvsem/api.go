package trudvsem

import (
	"encoding/json"
	"io"

	"marshrut/internal/vacancy"
)

// apiItem is an element of results.vacancies of /api/v1/vacancies.
type apiItem struct {
	Vacancy *apiVacancy `json:"vacancy"`
}

type apiVacancy struct {
	ID       text `json:"id"`
	Created  text `json:"creation-date"`
	Modified text `json:"date_modify"`
	Region   struct {
		Code text `json:"region_code"`
		Name text `json:"name"`
	} `json:"region"`
	Company struct {
		Code text `json:"companycode"`
		INN  text `json:"inn"`
		OGRN text `json:"ogrn"`
		Name text `json:"name"`
	} `json:"company"`
	SalaryMin     text `json:"salary_min"`
	SalaryMax     text `json:"salary_max"`
	Currency      text `json:"currency"`
	JobName       text `json:"job-name"`
	URL           text `json:"vac_url"`
	Employment    text `json:"employment"`
	Schedule      text `json:"schedule"`
	Duty          text `json:"duty"`
	Requirements  text `json:"requirements"`
	Qualification text `json:"qualification"`
	Category      struct {
		Specialisation text `json:"specialisation"`
	} `json:"category"`
	Requirement struct {
		Education     text `json:"education"`
		Qualification text `json:"qualification"`
		Experience    text `json:"experience"`
	} `json:"requirement"`
	Addresses struct {
		Address []struct {
			Location text `json:"location"`
			Lat      text `json:"lat"`
			Lng      text `json:"lng"`
		} `json:"address"`
	} `json:"addresses"`
	WorkPlaces text `json:"work_places"`
}

func (it *apiItem) id() string {
	if it.Vacancy == nil {
		return ""
	}
	return it.Vacancy.ID.s
}

func (it *apiItem) convert() (vacancy.Vacancy, error) {
	r := &record{v: vacancy.Vacancy{Source: vacancy.Trudvsem}}
	a := it.Vacancy
	if a == nil {
		r.fail("vacancy", "в элементе results.vacancies нет объекта vacancy")
		return r.v, r.err()
	}
	v := &r.v
	v.ID = r.str("id", a.ID)
	v.CreatedAt = r.date("creation-date", a.Created)
	v.ModifiedAt = r.date("date_modify", a.Modified)
	r.region("region.region_code", a.Region.Code, "region.name", a.Region.Name)
	if c := a.Region.Code.s; reKladr13.MatchString(c) {
		v.KladrCode = c
	}
	v.EmployerName = r.str("company.name", a.Company.Name)
	v.EmployerINN = r.str("company.inn", a.Company.INN)
	v.EmployerOGRN = r.str("company.ogrn", a.Company.OGRN)
	if v.EmployerOGRN == "" {
		v.EmployerOGRN = ogrnOf(r.str("company.companycode", a.Company.Code))
	}
	v.SalaryMin = r.money("salary_min", a.SalaryMin)
	v.SalaryMax = r.money("salary_max", a.SalaryMax)
	v.Currency = r.str("currency", a.Currency)
	v.Title = r.str("job-name", a.JobName)
	v.URL = r.str("vac_url", a.URL)
	v.Employment = r.str("employment", a.Employment)
	v.Schedule = r.str("schedule", a.Schedule)
	v.Specialisation = r.str("category.specialisation", a.Category.Specialisation)
	r.education("requirement.education", a.Requirement.Education)
	v.Experience = r.str("requirement.experience", a.Requirement.Experience)
	v.Duty = plainText(r.str("duty", a.Duty))
	v.Requirements = joinText(
		plainText(r.str("requirement.qualification", a.Requirement.Qualification)),
		plainText(r.str("qualification", a.Qualification)),
		plainText(r.str("requirements", a.Requirements)))
	for i, ad := range a.Addresses.Address {
		loc := r.str("addresses.address.location", ad.Location)
		lat := r.coord("addresses.address.lat", ad.Lat, 90)
		lon := r.coord("addresses.address.lng", ad.Lng, 180)
		if i == 0 || (!v.HasLocation() && (lat != 0 || lon != 0)) {
			v.Address, v.Lat, v.Lon = loc, lat, lon
		}
	}
	v.WorkPlaces = r.count("work_places", a.WorkPlaces)
	return r.finish()
}

// ReadAPI reads a response of /api/v1/vacancies of «Работа России»:
// {"status":"200","meta":{…},"results":{"vacancies":[{"vacancy":{…}}, …]}}.
// It decodes one vacancy at a time, so a file of any size takes little memory.
func ReadAPI(r io.Reader, fn Handler) error {
	dec := json.NewDecoder(r)
	if err := expect(dec, API, '{', "объект JSON «{»"); err != nil {
		return err
	}
	n, results := 0, false
	for dec.More() {
		k, err := key(dec, API)
		if err != nil {
			return err
		}
		switch k {
		case "status":
			var s text
			if err := dec.Decode(&s); err != nil {
				return broken(API, dec, err)
			}
			if s.s != "" && s.s != "200" {
				return notFormat(API, nil, "сервис вернул статус «%s» вместо 200", clip(s.s))
			}
		case "results":
			results = true
			if err := readResults(dec, &n, fn); err != nil {
				return err
			}
		default:
			if err := skip(dec, API); err != nil {
				return err
			}
		}
	}
	if err := expect(dec, API, '}', "конец объекта «}»"); err != nil {
		return err
	}
	if !results {
		return notFormat(API, nil, "в объекте нет поля results с вакансиями")
	}
	return end(dec, API)
}

// readResults reads the value of "results": an object with the array
// "vacancies", or null or {} when the query found nothing.
func readResults(dec *json.Decoder, n *int, fn Handler) error {
	tok, err := dec.Token()
	if err != nil {
		return broken(API, dec, err)
	}
	if tok == nil {
		return nil
	}
	if tok != json.Delim('{') {
		return notFormat(API, nil, "поле results должно быть объектом, а в файле %s", describeToken(tok))
	}
	for dec.More() {
		k, err := key(dec, API)
		if err != nil {
			return err
		}
		if k != "vacancies" {
			if err := skip(dec, API); err != nil {
				return err
			}
			continue
		}
		tok, err := dec.Token()
		if err != nil {
			return broken(API, dec, err)
		}
		if tok == nil {
			continue
		}
		if tok != json.Delim('[') {
			return notFormat(API, nil, "поле results.vacancies должно быть массивом, а в файле %s", describeToken(tok))
		}
		if err := readItems[apiItem](dec, API, n, false, fn); err != nil {
			return err
		}
	}
	return expect(dec, API, '}', "конец объекта results «}»")
}
