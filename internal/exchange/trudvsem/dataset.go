package trudvsem

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"marshrut/internal/vacancy"
)

// datasetVacancy is a record of the open-data dataset of «Работа России»
// (trudvsem.ru/opendata/datasets), which names its fields otherwise than the API.
type datasetVacancy struct {
	ID          text `json:"id"`
	Name        text `json:"vacancy_name"`
	RegionCode  text `json:"state_region_code"`
	RegionName  text `json:"regionName"`
	AddressCode text `json:"vacancy_address_code"`
	Address     text `json:"vacancy_address"`
	AddressInfo text `json:"vacancy_address_additional_info"`
	Lat         text `json:"vacancy_address_latitude"`
	Lon         text `json:"vacancy_address_longitude"`
	Company     struct {
		Code text `json:"companycode"`
		INN  text `json:"inn"`
		OGRN text `json:"ogrn"`
		Name text `json:"name"`
	} `json:"company"`
	CompanyCode      text `json:"company_code"`
	CompanyINN       text `json:"company_inn"`
	FullCompanyName  text `json:"full_company_name"`
	SalaryMin        text `json:"salary_min"`
	SalaryMax        text `json:"salary_max"`
	Currency         text `json:"currency"`
	BusyType         text `json:"busy_type"`
	ScheduleType     text `json:"schedule_type"`
	Education        text `json:"education"`
	Experience       text `json:"required_experience"`
	Sphere           text `json:"professionalSphereName"`
	SphereCode       text `json:"code_professional_sphere"`
	Responsibilities text `json:"position_responsibilities"`
	Requirements     text `json:"position_requirements"`
	Additional       text `json:"additional_requirements"`
	WorkPlaces       text `json:"work_places"`
	Created          text `json:"date_create"`
	Modified         text `json:"date_modify"`
	Deleted          text `json:"deleted"`
	URL              text `json:"vac_url"`
}

func (d *datasetVacancy) id() string { return d.ID.s }

func (d *datasetVacancy) convert() (vacancy.Vacancy, error) {
	r := &record{v: vacancy.Vacancy{Source: vacancy.Trudvsem}}
	v := &r.v
	v.ID = r.str("id", d.ID)
	v.Title = r.str("vacancy_name", d.Name)
	r.region("state_region_code", d.RegionCode, "regionName", d.RegionName)
	if c := r.str("vacancy_address_code", d.AddressCode); c != "" && c[:min(2, len(c))] == v.RegionCode {
		v.KladrCode = c // a code of another region than the vacancy's is left out, not refused
	}
	v.Address = r.str("vacancy_address_additional_info", d.AddressInfo)
	if v.Address == "" {
		v.Address = r.str("vacancy_address", d.Address)
	}
	v.Lat = r.coord("vacancy_address_latitude", d.Lat, 90)
	v.Lon = r.coord("vacancy_address_longitude", d.Lon, 180)
	v.EmployerName = r.str("company.name", d.Company.Name)
	if v.EmployerName == "" {
		v.EmployerName = r.str("full_company_name", d.FullCompanyName)
	}
	v.EmployerINN = r.str("company_inn", d.CompanyINN)
	if v.EmployerINN == "" {
		v.EmployerINN = r.str("company.inn", d.Company.INN)
	}
	v.EmployerOGRN = r.str("company.ogrn", d.Company.OGRN)
	if v.EmployerOGRN == "" {
		v.EmployerOGRN = ogrnOf(r.str("company_code", d.CompanyCode))
	}
	v.SalaryMin = r.money("salary_min", d.SalaryMin)
	v.SalaryMax = r.money("salary_max", d.SalaryMax)
	v.Currency = r.str("currency", d.Currency)
	v.Employment = r.str("busy_type", d.BusyType)
	v.Schedule = r.str("schedule_type", d.ScheduleType)
	r.education("education", d.Education)
	v.Experience = r.str("required_experience", d.Experience)
	v.Specialisation = r.str("professionalSphereName", d.Sphere)
	if v.Specialisation == "" {
		v.Specialisation = r.str("code_professional_sphere", d.SphereCode)
	}
	v.Duty = plainText(r.str("position_responsibilities", d.Responsibilities))
	v.Requirements = joinText(plainText(r.str("position_requirements", d.Requirements)), plainText(r.str("additional_requirements", d.Additional)))
	v.WorkPlaces = r.count("work_places", d.WorkPlaces)
	v.CreatedAt = r.date("date_create", d.Created)
	v.ModifiedAt = r.date("date_modify", d.Modified)
	v.Closed = r.str("deleted", d.Deleted) == "true"
	v.URL = r.str("vac_url", d.URL)
	return r.finish()
}

// ReadDataset reads vacancies of the open-data dataset of «Работа России» in
// any of the forms it is found in: an object {"vacancies":[…]} (as in the
// published sample), a JSON array of records, or JSON Lines, one record a
// line. It decodes one record at a time.
func ReadDataset(r io.Reader, fn Handler) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, _ := br.Peek(len(utf8BOM)); bytes.Equal(b, utf8BOM) {
		br.Discard(len(utf8BOM))
	}
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			return notFormat(Dataset, nil, "файл пуст")
		}
		if err != nil {
			return fmt.Errorf("trudvsem: reading %s: %w", Dataset, err)
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			br.UnreadByte()
			break
		}
	}
	p, err := br.Peek(DetectSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return fmt.Errorf("trudvsem: reading %s: %w", Dataset, err)
	}
	dec := json.NewDecoder(br)
	n := 0
	switch p[0] {
	case '[':
		if err := expect(dec, Dataset, '[', "массив «[»"); err != nil {
			return err
		}
		if err := readItems[datasetVacancy](dec, Dataset, &n, false, fn); err != nil {
			return err
		}
	case '{':
		// {"vacancies":[…]} has the key among its first; a record of JSON
		// Lines has the fields of a vacancy.
		if !hasKey(topKeys(p), "vacancies") {
			// JSON Lines: records one after another.
			if err := readItems[datasetVacancy](dec, Dataset, &n, true, fn); err != nil {
				return err
			}
			break
		}
		if err := readWrapped(dec, &n, fn); err != nil {
			return err
		}
	default:
		return notFormat(Dataset, nil, "ожидается JSON — объект «{», массив «[» или записи по одной в строке, а файл начинается с «%s»", clip(string(p[:min(len(p), 40)])))
	}
	return end(dec, Dataset)
}

// readWrapped reads {"vacancies":[…]} and skips any other field of the object.
func readWrapped(dec *json.Decoder, n *int, fn Handler) error {
	if err := expect(dec, Dataset, '{', "объект «{»"); err != nil {
		return err
	}
	for dec.More() {
		k, err := key(dec, Dataset)
		if err != nil {
			return err
		}
		if k != "vacancies" {
			if err := skip(dec, Dataset); err != nil {
				return err
			}
			continue
		}
		tok, err := dec.Token()
		if err != nil {
			return broken(Dataset, dec, err)
		}
		if tok == nil {
			continue
		}
		if tok != json.Delim('[') {
			return notFormat(Dataset, nil, "поле vacancies должно быть массивом, а в файле %s", describeToken(tok))
		}
		if err := readItems[datasetVacancy](dec, Dataset, n, false, fn); err != nil {
			return err
		}
	}
	return expect(dec, Dataset, '}', "конец объекта «}»")
}
