package store

import (
	"reflect"
	"slices"
	"testing"

	"marshrut/internal/analytics"
	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/classifier"
	"marshrut/internal/cluster"
	"marshrut/internal/guidance"
	"marshrut/internal/imports"
	"marshrut/internal/jobs"
	"marshrut/internal/kpi"
	"marshrut/internal/learner"
	"marshrut/internal/mail"
	"marshrut/internal/measures"
	"marshrut/internal/mentor"
	"marshrut/internal/org"
	"marshrut/internal/referral"
	"marshrut/internal/report"
	"marshrut/internal/risk"
	"marshrut/internal/rollup"
	"marshrut/internal/routing"
	"marshrut/internal/sso"
	"marshrut/internal/targeted"
	"marshrut/internal/vacancy"
	"marshrut/internal/youth"
)

// iface is the reflect type of the interface *I points to.
func iface[I any]() reflect.Type { return reflect.TypeFor[I]() }

// Each part of the store has exactly the methods its domain's interfaces
// declare: nothing a domain did not ask for leaks into its part, and a
// method no interface names is the installation's, on Store.
func TestPartsAreTheirDomainsInterfaces(t *testing.T) {
	s := newStore(&db{})
	for _, c := range []struct {
		part   any
		ifaces []reflect.Type
	}{
		{s.Analytics, []reflect.Type{iface[analytics.Store](), iface[analytics.MonitorStore]()}},
		{s.Auth, []reflect.Type{iface[auth.Store](), iface[auth.Directory](), iface[learner.Auditor]()}},
		{s.Balance, []reflect.Type{iface[balance.Store]()}},
		{s.Classifier, []reflect.Type{iface[classifier.Store](), iface[classifier.Municipalities]()}},
		{s.Clusters, []reflect.Type{iface[cluster.Store]()}},
		{s.Guidance, []reflect.Type{iface[guidance.Store]()}},
		{s.Jobs, []reflect.Type{iface[jobs.Store]()}},
		{s.Learners, []reflect.Type{iface[learner.Store]()}},
		{s.Mail, []reflect.Type{iface[mail.Outbox]()}},
		{s.Measures, []reflect.Type{iface[measures.Store]()}},
		{s.Mentorship, []reflect.Type{iface[mentor.Store]()}},
		{s.Orgs, []reflect.Type{iface[org.Store]()}},
		{s.Reference, []reflect.Type{iface[imports.Reference]()}},
		{s.Referrals, []reflect.Type{iface[referral.Store]()}},
		{s.Reports, []reflect.Type{iface[report.Store](), iface[report.FormStore]()}},
		{s.Risks, []reflect.Type{iface[risk.Store](), iface[mentor.Risks]()}},
		{s.Rollup, []reflect.Type{iface[rollup.Store]()}},
		{s.Source, []reflect.Type{iface[rollup.Source]()}},
		{s.Routing, []reflect.Type{iface[routing.Store](), iface[routing.BulkStore]()}},
		{s.SSO, []reflect.Type{iface[sso.Accounts]()}},
		{s.Targeted, []reflect.Type{iface[targeted.Store]()}},
		{s.Targets, []reflect.Type{iface[kpi.Store]()}},
		{s.Vacancies, []reflect.Type{iface[vacancy.Store](), iface[vacancy.Reader]()}},
		{s.Youth, []reflect.Type{iface[youth.Store](), iface[youth.InvitationStore](), iface[youth.Learners]()}},
	} {
		pt := reflect.TypeOf(c.part)
		declared := map[string]bool{}
		for _, it := range c.ifaces {
			if !pt.Implements(it) {
				t.Errorf("%s does not satisfy %s", pt.Elem().Name(), it)
			}
			for i := range it.NumMethod() {
				declared[it.Method(i).Name] = true
			}
		}
		var extra []string
		for i := range pt.NumMethod() {
			if m := pt.Method(i).Name; !declared[m] {
				extra = append(extra, m)
			}
		}
		slices.Sort(extra)
		if len(extra) > 0 {
			t.Errorf("%s has methods no interface of its domain declares: %v", pt.Elem().Name(), extra)
		}
	}
}
