package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"marshrut/internal/auth"
)

// A college that sends another organisation's СНИЛС learns nothing of whose
// it is, and the attempt is in the audit log; a list page of people is
// audited with its filter and count.
func TestNoSNILSOracleAndListAudit(t *testing.T) {
	e := newEnv(t)
	e.deps.Audit = e.store.Auth
	e.srv.Config.Handler = asCaller(t, e.f.users, New(e.deps))
	ctx := context.Background()
	f := e.f
	body := with(newStudent(e), "snils", f.pupil.SNILS)
	res := e.do(t, req{as: "kpt", method: "POST", path: Prefix + "/learners", body: body})
	if res.status != 400 || strings.Contains(string(res.body), "уже есть") || strings.Contains(string(res.body), "региона") {
		t.Errorf("another organisation's СНИЛС: %d %s", res.status, res.body)
	}
	entries, _, err := e.store.Auth.AuditLog(ctx, auth.AuditFilter{Action: "learner.snils_conflict"})
	if err != nil || len(entries) != 1 || entries[0].LearnerID != f.pupil.ID || entries[0].UserID != f.users["kpt"].ID {
		t.Errorf("the attempt is not audited: %+v %v", entries, err)
	}

	res = e.get(t, "minobr", Prefix+"/learners?status=student&limit=500")
	if res.status != http.StatusOK {
		t.Fatalf("list: %d", res.status)
	}
	entries, _, err = e.store.Auth.AuditLog(ctx, auth.AuditFilter{Action: "learners.list"})
	if err != nil || len(entries) != 1 || entries[0].Persons == 0 || entries[0].Filter != "status=student" || entries[0].UserID != f.users["minobr"].ID {
		t.Errorf("the list page is not audited: %+v %v", entries, err)
	}
	// A list that shows nobody is not an entry.
	e.get(t, "minobr", Prefix+"/learners?q=никогонет")
	if _, n, _ := e.store.Auth.AuditLog(ctx, auth.AuditFilter{Action: "learners.list"}); n != 1 {
		t.Errorf("%d list entries, want 1", n)
	}
}
