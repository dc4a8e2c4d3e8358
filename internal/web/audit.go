package web

import (
	"context"
	"maps"
	"net/http"
	"slices"

	"marshrut/internal/auth"
	"marshrut/internal/exchange"
)

// auditBulk records a read of many people at once: a list page or an
// export, with its filter and how many people it showed. A failure to write
// is logged: the read has happened already.
func (w *Web) auditBulk(r *http.Request, action string, n int) {
	_, sc, ok := auth.Caller(r.Context())
	if !ok || n == 0 || !sc.SeesPersons() || w.d.Users == nil {
		return
	}
	w.audit(r, auth.AuditEntry{Action: action, Filter: auth.FilterText(r.URL.Query()), Persons: n})
}

// auditRead records a read of one person's record.
func (w *Web) auditRead(r *http.Request, action string, learnerID int64) {
	if learnerID == 0 || w.d.Users == nil {
		return
	}
	w.audit(r, auth.AuditEntry{Action: action, LearnerID: learnerID})
}

func (w *Web) audit(r *http.Request, e auth.AuditEntry) {
	u, sc, _ := auth.Caller(r.Context())
	e.At, e.UserID, e.Role, e.From, e.RegionCode = w.d.Now(), u.ID, sc.Role, sc.From, sc.RegionCode
	if err := w.d.Users.Audit(context.WithoutCancel(r.Context()), e); err != nil {
		w.d.Log.Error("audit", "action", e.Action, "err", err)
	}
}

// exportPersons is export for a table of people: the rows written are
// counted and the export audited with its filter once it is done.
func (w *Web) exportPersons(rw http.ResponseWriter, r *http.Request, action, name string, cols []exchange.Column, rows func(write func([]any) error) error) {
	n := 0
	w.export(rw, r, name, cols, func(write func([]any) error) error {
		defer func() { w.auditBulk(r, action, n) }()
		return rows(func(row []any) error {
			n++
			return write(row)
		})
	})
}

// AuditKinds are the kinds of audit entries with their Russian names; a
// family ends in «.» and selects every kind under it.
var AuditKinds = map[string]string{
	"learner.read":           "просмотр карточки",
	"mentor.pair.read":       "просмотр наставнической пары",
	"response.read":          "просмотр отклика на вакансию",
	"responses.list":         "список откликов на вакансии",
	"learner.snils_conflict": "попытка записать чужой СНИЛС",
	"learners.list":          "список обучающихся",
	"learners.export":        "выгрузка обучающихся",
	"risk.list":              "список риска",
	"risk.export":            "выгрузка списка риска",
	"cases.list":             "список случаев",
	"case.read":              "просмотр случая",
	"enrolments.list":        "список группы обучения",
	"pupils.list":            "список школьников",
	"pupils.export":          "выгрузка школьников",
	"participants.list":      "список участников мероприятия",
}

// AuditKindName is the Russian name of a kind of audit entry.
func AuditKindName(kind string) string {
	if n, ok := AuditKinds[kind]; ok {
		return n
	}
	return kind
}

// auditKindList is the kinds in the order the filter shows them.
func auditKindList() []struct{ Key, Name string } {
	keys := slices.Sorted(maps.Keys(AuditKinds))
	out := make([]struct{ Key, Name string }, 0, len(keys))
	for _, k := range keys {
		out = append(out, struct{ Key, Name string }{k, AuditKinds[k]})
	}
	return out
}
