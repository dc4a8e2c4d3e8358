package api

import (
	"net/http"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/kpi"
)

// measuresDoc answers the headline measures of a scope on a day, from the
// catalogue every page reads.
func (a *api) measuresDoc(w http.ResponseWriter, r *http.Request, c caller) error {
	q := r.URL.Query()
	scope, err := kpi.ParseScope(q.Get("scope"))
	if err != nil {
		return err
	}
	var asOf time.Time
	if s := q.Get("as_of"); s != "" {
		if asOf, err = time.Parse("2006-01-02", s); err != nil {
			return apperr.Field("as_of", "дата «%s» не распознана: укажите ГГГГ-ММ-ДД", s)
		}
	}
	d, err := a.d.KPI.Document(r.Context(), c.scope, scope, asOf)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d.JSON())
	return nil
}

func (a *api) withKPI(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, c caller) error {
		if a.d.KPI == nil {
			return apperr.New(apperr.Internal, "каталог показателей не подключён")
		}
		return h(w, r, c)
	}
}
