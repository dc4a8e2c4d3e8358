package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/ddo"
	"marshrut/internal/guidance"
	"marshrut/internal/learner"
	"marshrut/internal/youth"
)

// DDO is the questionnaire a pupil takes one pair per screen: the answers
// so far ride in the form, nothing is stored until the last pair.
func (w *Web) DDO(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if sc.Role != auth.Learner {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "опросник проходит сам обучающийся; результаты с бумажного бланка вносят на его карточке"))
		return
	}
	w.renderDDO(rw, r, "", "")
}

// ddoPage is one pair of the questionnaire with the answers so far.
type ddoPage struct {
	Sheet   ddo.Sheet
	So      string
	N       int
	Total   int
	Percent int
	Item    *ddo.Item // the pair to answer, nil after the last
	Error   string
}

func (w *Web) renderDDO(rw http.ResponseWriter, r *http.Request, so string, msg string) {
	sheet := ddo.Questionnaire()
	n := len(so)
	data := ddoPage{Sheet: sheet, So: so, N: n + 1, Total: len(sheet.Items), Error: msg, Percent: n * 100 / len(sheet.Items)}
	if n < len(sheet.Items) {
		data.Item = &sheet.Items[n]
	}
	w.render(rw, r, http.StatusOK, "ddo", "ddo", data)
}

// DDOAnswer takes one answer; after the last it scores and stores the
// result and shows it.
func (w *Web) DDOAnswer(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if sc.Role != auth.Learner {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "опросник проходит сам обучающийся"))
		return
	}
	so := r.PostFormValue("so")
	if r.PostFormValue("back") == "1" && len(so) > 0 {
		w.renderDDO(rw, r, so[:len(so)-1], "")
		return
	}
	choice := r.PostFormValue("choice")
	if (choice != "a" && choice != "b") || len(so) >= ddo.Items || strings.Trim(so, "ab") != "" {
		w.renderDDO(rw, r, strings.Map(func(c rune) rune {
			if c == 'a' || c == 'b' {
				return c
			}
			return -1
		}, so), "Выберите один из двух вариантов.")
		return
	}
	so += choice
	if len(so) < ddo.Items {
		w.renderDDO(rw, r, so, "")
		return
	}
	if _, err := w.d.Guidance.TakeDiagnostic(r.Context(), sc, sc.LearnerID, so); err != nil {
		w.Error(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/ddo/result", http.StatusSeeOther)
}

// ddoResultPage is the learner's latest ДДО result with what it suggests.
type ddoResultPage struct {
	Types       []ddo.Type
	Pupil       bool
	Result      *guidance.Diagnostic // nil before the first questionnaire
	Programmes  []youth.Programme
	Trials      []youth.Trial
	Done, Error string
}

// DDOResult shows the learner's latest ДДО result.
func (w *Web) DDOResult(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if !sc.Own() {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "страница результата — для самого обучающегося и его родителя"))
		return
	}
	g, err := w.d.Guidance.ForLearner(r.Context(), sc, sc.LearnerID)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	data := ddoResultPage{Types: ddo.Types(), Done: r.URL.Query().Get("done"), Error: r.URL.Query().Get("error"),
		Pupil: sc.Role == auth.Learner}
	if len(g.Diagnostics) > 0 {
		data.Result = &g.Diagnostics[0]
		if w.d.Youth != nil {
			progs, err := w.d.Youth.Programmes(r.Context(), sc, g.Diagnostics[0].Result.Leading(), 30)
			if err != nil {
				w.Error(rw, r, err)
				return
			}
			data.Programmes = progs
		}
	}
	if w.d.Youth != nil {
		trials, err := w.d.Youth.Trials(r.Context(), sc, 20)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		data.Trials = trials
	}
	w.render(rw, r, http.StatusOK, "ddo_result", "ddo", data)
}

// ddoPaperPage is the entry of a paper ДДО sheet for a learner.
type ddoPaperPage struct {
	Card  learner.Card
	Sheet ddo.Sheet
	Error string
}

// DDOPaper is the entry of a paper ДДО sheet for a learner.
func (w *Web) DDOPaper(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	card, err := w.d.Learners.Get(r.Context(), sc, id)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "ddo_paper", "learners", ddoPaperPage{Card: card, Sheet: ddo.Questionnaire(), Error: r.URL.Query().Get("error")})
}

// DDOPaperSave scores and stores a paper sheet; a sheet with a missing pair is refused whole.
func (w *Web) DDOPaperSave(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var b strings.Builder
	for i := 1; i <= ddo.Items; i++ {
		v := r.PostFormValue("q" + strconv.Itoa(i))
		if v == "" {
			v = "-"
		}
		b.WriteString(v)
	}
	_, err := w.d.Guidance.TakeDiagnostic(r.Context(), sc, id, b.String())
	if apperr.Is(err, apperr.Invalid) {
		http.Redirect(rw, r, fmt.Sprintf("/learners/%d/ddo?error=%s", id, url.QueryEscape(apperr.Text(err))), http.StatusSeeOther)
		return
	}
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/learners/%d#ddo", id), http.StatusSeeOther)
}
