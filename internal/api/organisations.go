package api

import (
	"net/http"
	"strconv"

	"marshrut/internal/org"
)

// Organisations are public records of the region, not personal data: the
// service reads them without a scope and checks the caller's right on writes.

var organisationSorts = []string{"name", "kind", "municipality"}

// listOrganisations answers a page of the list, or with ?format= the whole
// list as a CSV or XLSX file (limit and offset are then ignored).
func (a *api) listOrganisations(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	f := org.Filter{
		Kind:           org.Kind(q.oneOf("kind", names(org.Kinds)...)),
		MunicipalityID: q.id("municipality_id"),
		Query:          q.text("q", 200),
		Sort:           q.oneOf("sort", organisationSorts...),
		Desc:           q.bool("desc"),
	}
	format := q.exportFormat()
	if format == "" {
		f.Limit, f.Offset = q.page()
	}
	if err := q.err(); err != nil {
		return err
	}
	if format != "" {
		return a.exportOrganisations(w, r, c, format, f)
	}
	os, total, err := a.d.Orgs.List(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[organisationDTO]{Items: mapSlice(os, fromOrganisation), Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

func (a *api) getOrganisation(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := a.d.Orgs.Get(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromOrganisation(o))
	return nil
}

func (a *api) createOrganisation(w http.ResponseWriter, r *http.Request, c caller) error {
	var in organisationDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	o, err := in.organisation(0, c.scope)
	if err != nil {
		return err
	}
	if err := a.d.Orgs.Create(r.Context(), c.scope, &o); err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"/organisations/"+strconv.FormatInt(o.ID, 10))
	writeJSON(w, http.StatusCreated, fromOrganisation(a.reread(r, o)))
	return nil
}

// updateOrganisation replaces the writable fields (PUT is not a patch).
func (a *api) updateOrganisation(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in organisationDTO
	if err := decode(w, r, &in); err != nil {
		return err
	}
	o, err := in.organisation(id, c.scope)
	if err != nil {
		return err
	}
	if err := a.d.Orgs.Update(r.Context(), c.scope, &o); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromOrganisation(a.reread(r, o)))
	return nil
}

// reread fills the read-only fields of an organisation just written. The write
// has succeeded, so a failed read is logged and the written record answered.
func (a *api) reread(r *http.Request, o org.Organisation) org.Organisation {
	got, err := a.d.Orgs.Get(r.Context(), o.ID)
	if err != nil {
		a.d.Log.Warn("api: read back organisation", "id", o.ID, "err", err)
		return o
	}
	return got
}
