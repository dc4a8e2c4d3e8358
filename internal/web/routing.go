package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"marshrut/internal/analytics"
	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/exchange"
	"marshrut/internal/jobs"
	"marshrut/internal/org"
	"marshrut/internal/routing"
)

// routingPage is the matching runs and the form of a new one.
type routingPage struct {
	Runs   []routing.Run
	CanRun bool
	Year   int
	Error  string
}

// Routing is the page of matching runs: the latest runs and a new one.
func (w *Web) Routing(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if sc.Own() {
		http.Redirect(rw, r, fmt.Sprintf("/routing/learners/%d", sc.LearnerID), http.StatusSeeOther)
		return
	}
	runs, err := w.d.Routing.Runs(r.Context(), sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "routing", "routing", routingPage{Runs: runs, CanRun: routing.CanRun(sc), Year: w.d.Routing.Year(),
		Error: r.URL.Query().Get("error")})
}

// StartRun starts a matching run.
func (w *Web) StartRun(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	round, _ := strconv.Atoi(r.PostFormValue("round"))
	seed, _ := strconv.ParseUint(r.PostFormValue("seed"), 10, 64)
	run, err := w.d.Routing.Start(r.Context(), sc, routing.Mode(r.PostFormValue("mode")), round, seed)
	if err != nil {
		w.afterPost(rw, r, "/routing", "", err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/routing/runs/%d", run.ID), http.StatusSeeOther)
}

// matchRunPage is a run: its progress while it runs, then its proposals to
// review, and the form of a bulk action to those who run matching.
type matchRunPage struct {
	Run         routing.Run
	Filter      routing.ProposalFilter
	CanRun      bool
	Done, Error string
	Bulk        string // what the bulk action just did
	BulkActions []routing.BulkAction
	Statuses    []routing.ProposalStatus
	Job         *jobs.Job // the progress of a running run
	Munis       []classifier.Municipality
	Orgs        []org.Organisation
	Items       []routing.Proposal
	Total       int
	Pager       pager
	Holders     []routing.Proposal
}

// MatchRun is a run's result and its proposals to review.
func (w *Web) MatchRun(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	run, err := w.d.Routing.Run(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	q := r.URL.Query()
	f := routing.ProposalFilter{RunID: id, Status: routing.ProposalStatus(q.Get("status")), Limit: perPage, Offset: (pageOf(r) - 1) * perPage}
	data := matchRunPage{Run: run, Filter: f, CanRun: routing.CanRun(sc), Done: q.Get("done"), Error: q.Get("error"), Bulk: q.Get("bulk"),
		BulkActions: routing.BulkActions,
		Statuses:    []routing.ProposalStatus{routing.Proposed, routing.Sent, routing.Accepted, routing.Declined, routing.Unmatched}}
	if run.Status == routing.Running && run.JobID != 0 {
		j, err := w.d.Jobs.Job(r.Context(), run.JobID)
		if err != nil {
			w.logWithout(r, "job progress", err)
		} else {
			data.Job = &j
		}
	}
	if routing.CanRun(sc) {
		if data.Munis, err = w.d.Municipalities.Municipalities(r.Context(), w.d.Region); err != nil {
			w.logWithout(r, "municipalities", err)
		}
		colleges, _, err := w.d.Orgs.List(r.Context(), org.Filter{Kind: org.College, Sort: "name", Limit: 500})
		if err != nil {
			w.logWithout(r, "colleges", err)
		}
		unis, _, err := w.d.Orgs.List(r.Context(), org.Filter{Kind: org.University, Sort: "name", Limit: 100})
		if err != nil {
			w.logWithout(r, "universities", err)
		}
		data.Orgs = append(colleges, unis...)
	}
	if run.Status == routing.Finished && sc.SeesPersons() {
		items, total, err := w.d.Routing.Proposals(r.Context(), sc, f)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		data.Items, data.Total, data.Pager = items, total, newPager(r, total)
		if data.Holders, _, err = w.d.Routing.Proposals(r.Context(), sc, routing.ProposalFilter{RunID: id, Holders: true, Limit: 500}); err != nil {
			w.Error(rw, r, err)
			return
		}
	}
	w.render(rw, r, http.StatusOK, "match_run", "routing", data)
}

// Decide sends a proposal or records the answer.
func (w *Web) Decide(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	back := "/routing/runs/" + r.PostFormValue("run")
	if st := r.PostFormValue("filter"); st != "" {
		back += "?status=" + st
	}
	err := w.d.Routing.Decide(r.Context(), sc, id, routing.ProposalStatus(r.PostFormValue("to")))
	sep := "?"
	if r.PostFormValue("filter") != "" {
		sep = "&"
	}
	switch {
	case err == nil:
		http.Redirect(rw, r, back+sep+"done=1#p"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	case apperr.Is(err, apperr.Conflict) || apperr.Is(err, apperr.Invalid):
		http.Redirect(rw, r, back+sep+"error="+url.QueryEscape(apperr.Text(err)), http.StatusSeeOther)
	default:
		w.Error(rw, r, err)
	}
}

// recommendPage is the vacancies recommended to a graduate, with the filter.
type recommendPage struct {
	Rec    routing.Recommendations
	Self   bool // the graduate's own page
	Travel string
	Pay    int
}

// Recommend is the vacancies recommended to a graduate, with the reasons.
func (w *Web) Recommend(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	q := r.URL.Query()
	f := routing.Filter{Travel: routing.Relocation, Limit: 20}
	switch q.Get("travel") {
	case "same":
		f.Travel = routing.SameMunicipality
	case "near":
		f.Travel = routing.Neighbouring
	}
	f.MinPay, _ = strconv.Atoi(q.Get("pay"))
	rec, err := w.d.Routing.Recommend(r.Context(), sc, id, f)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "recommend", "routing", recommendPage{Rec: rec, Self: sc.Own(),
		Travel: q.Get("travel"), Pay: f.MinPay})
}

// applicantsPage is the graduates a vacancy suits.
type applicantsPage struct {
	App routing.Applicants
}

// Applicants is the graduates a vacancy suits, best first for the employer.
func (w *Web) Applicants(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if !routing.MayAskApplicants(sc) {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "Кандидатов на вакансию видят работодатель этой вакансии, регион и центры занятости."))
		return
	}
	app, err := w.d.Routing.ForVacancy(r.Context(), sc, r.PathValue("id"), 30)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	var inn string
	if sc.Role == auth.Employer {
		o, err := w.d.Orgs.Get(r.Context(), sc.OrgID)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		inn = o.INN
	}
	if !routing.MaySeeApplicants(sc, inn, app.Place) {
		// Another employer's vacancy is answered as a missing one.
		w.Error(rw, r, apperr.New(apperr.NotFound, "открытая вакансия не найдена"))
		return
	}
	w.render(rw, r, http.StatusOK, "applicants", "vacancies", applicantsPage{App: app})
}

// employmentPage is the employment of graduates with its download links.
type employmentPage struct {
	Rep    analytics.EmploymentReport
	Export map[string]template.URL
}

// Employment is graduate employment by organisation, specialty or
// municipality over three years, with the national rating's indicators.
func (w *Web) Employment(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	rep, err := w.d.Analytics.Employment(r.Context(), sc, r.URL.Query().Get("by"))
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "employment", "employment", employmentPage{Rep: rep, Export: exportLinks(r, "/employment/export")})
}

var employmentColumns = []exchange.Column{
	{Title: "Организация, специальность или территория", Width: 44}, {Title: "Год выпуска", Kind: exchange.Int},
	{Title: "Выпускники", Kind: exchange.Int}, {Title: "Заняты через 6 мес.", Kind: exchange.Int}, {Title: "Доля", Kind: exchange.Percent},
	{Title: "Заняты через 12 мес.", Kind: exchange.Int}, {Title: "Доля", Kind: exchange.Percent}, {Title: "Закрепились", Kind: exchange.Percent},
	{Title: "Статус через 6 мес. неизвестен", Kind: exchange.Int}, {Title: "Статус через 12 мес. неизвестен", Kind: exchange.Int},
}

// EmploymentExport downloads the employment table.
func (w *Web) EmploymentExport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	rep, err := w.d.Analytics.Employment(r.Context(), sc, r.URL.Query().Get("by"))
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.export(rw, r, "trudoustroystvo-"+rep.By, employmentColumns, func(write func([]any) error) error {
		for _, x := range append(rep.Rows, rep.Total...) {
			if err := write([]any{x.Name, x.Year, x.Graduates, x.Employed6, ratio(x.Employed6, x.Graduates), x.Employed12, ratio(x.Employed12, x.Graduates),
				ratio(x.Retained, x.Employed6), x.Unknown6, x.Unknown12}); err != nil {
				return err
			}
		}
		return nil
	})
}

// bulkPage is the confirmation of a bulk action on a run's proposals.
type bulkPage struct {
	Run    routing.Run
	Bulk   routing.Bulk
	Count  int
	Where  string // the filter in words
	Orgs   []org.Organisation
	Munis  []classifier.Municipality
	Errors string
}

// bulkOf reads a bulk action from a query or a form.
func bulkOf(r *http.Request, runID int64, get func(string) string) routing.Bulk {
	b := routing.Bulk{RunID: runID, Action: routing.BulkAction(get("action")), SpecialtyCode: strings.TrimSpace(get("specialty"))}
	b.MunicipalityID, _ = strconv.ParseInt(get("municipality"), 10, 64)
	b.OrgID, _ = strconv.ParseInt(get("org"), 10, 64)
	return b
}

// BulkPreview counts the proposals a bulk action would change and asks to
// confirm the number.
func (w *Web) BulkPreview(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	run, err := w.d.Routing.Run(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	b := bulkOf(r, id, r.URL.Query().Get)
	n, err := w.d.Routing.CountBulk(r.Context(), sc, b)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	p := bulkPage{Run: run, Bulk: b, Count: n, Where: w.bulkWhere(r, b)}
	w.render(rw, r, http.StatusOK, "match_bulk", "routing", p)
}

// bulkWhere says the filter of a bulk action in words.
func (w *Web) bulkWhere(r *http.Request, b routing.Bulk) string {
	var parts []string
	if b.MunicipalityID != 0 {
		ms, err := w.d.Municipalities.Municipalities(r.Context(), w.d.Region)
		if err != nil {
			w.logWithout(r, "municipality in words", err)
		}
		for _, m := range ms {
			if m.ID == b.MunicipalityID {
				parts = append(parts, "живущих: "+m.Name)
			}
		}
	}
	if b.OrgID != 0 {
		if o, err := w.d.Orgs.Get(r.Context(), b.OrgID); err != nil {
			w.logWithout(r, "organisation in words", err)
		} else {
			parts = append(parts, "выпускников: "+o.Name)
		}
	}
	if b.SpecialtyCode != "" {
		parts = append(parts, "специальности "+b.SpecialtyCode)
	}
	if len(parts) == 0 {
		return "все предложения расчёта"
	}
	return "предложения " + strings.Join(parts, "; ")
}

// BulkApply applies a confirmed bulk action and goes back to the run.
func (w *Web) BulkApply(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	b := bulkOf(r, id, r.PostFormValue)
	expect, _ := strconv.Atoi(r.PostFormValue("expect"))
	n, err := w.d.Routing.ApplyBulk(r.Context(), sc, b, expect)
	back := fmt.Sprintf("/routing/runs/%d", id)
	switch {
	case err == nil:
		http.Redirect(rw, r, back+"?bulk="+url.QueryEscape(fmt.Sprintf("Предложений %s: %s.", b.Action.Done(), Number(n))), http.StatusSeeOther)
	case apperr.Is(err, apperr.Conflict) || apperr.Is(err, apperr.Invalid):
		http.Redirect(rw, r, back+"?error="+url.QueryEscape(apperr.Text(err)), http.StatusSeeOther)
	default:
		w.Error(rw, r, err)
	}
}
