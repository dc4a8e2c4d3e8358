package api

import (
	"net/http"
	"testing"
)

// vacanciesAPI is an answer of «Работа России» /api/v1/vacancies: one
// vacancy of the region and one of another region.
const vacanciesAPI = `{"status":"200","request":{"api":"v1"},"meta":{"total":2,"limit":100},"results":{"vacancies":[
 {"vacancy":{"id":"c0000000-0000-11ee-8000-000000000001","region":{"region_code":"4100000000000","name":"Камчатский край"},
  "company":{"inn":"4101011782","name":"ООО «Камчатская верфь»"},"salary_min":"60000","salary_max":0,"job-name":"Электрогазосварщик",
  "category":{"specialisation":"Рабочие специальности, производство"},"requirement":{"education":"Среднее профессиональное"},
  "work_places":"2","creation-date":"2026-10-02","date_modify":"2026-10-05T09:30:00+0300"}},
 {"vacancy":{"id":"c0000000-0000-11ee-8000-000000000002","region":{"region_code":"1600000000000"},"company":{"name":"ГАУЗ «РКБ»"},
  "job-name":"Медицинская сестра","creation-date":"2026-10-04"}}
]}}`

func TestImportVacancies(t *testing.T) {
	e := newEnv(t)
	post := func(as, query, ct string) response {
		return e.do(t, req{as: as, method: "POST", path: Prefix + "/imports/vacancies" + query, body: []byte(vacanciesAPI),
			header: map[string]string{"Content-Type": ct}})
	}
	if res := post("kpt", "", "application/json"); res.status != http.StatusForbidden {
		t.Errorf("a college loads vacancies: %d %s", res.status, res.body)
	}
	dry := decodeJSON[importReportDTO](t, post("czn-elizovo", "?dry_run=1", "application/json"))
	if !dry.DryRun || dry.Created != 1 || dry.Rejected != 0 || dry.Skipped != 1 || dry.SkippedBy["16"] != 1 || len(dry.Issues) != 0 {
		t.Fatalf("dry run %+v", dry)
	}
	rep := decodeJSON[importReportDTO](t, post("minobr", "", "application/json"))
	if rep.DryRun || rep.Created != 1 || rep.Skipped != 1 {
		t.Fatalf("import %+v", rep)
	}
	// The same file again changes nothing.
	again := decodeJSON[importReportDTO](t, post("minobr", "?format=trudvsem-json", "application/octet-stream"))
	if again.Created != 0 || again.Unchanged != 1 {
		t.Errorf("second import %+v", again)
	}
	if res := post("minobr", "?format=trudvsem-csv", "application/json"); res.status != http.StatusBadRequest {
		t.Errorf("JSON declared as CSV: %d %s", res.status, res.body)
	}
	if res := post("minobr", "", "image/png"); res.status != http.StatusBadRequest {
		t.Errorf("a picture: %d %s", res.status, res.body)
	}
}
