package store

import (
	"context"

	"marshrut/internal/analytics"
	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/classifier"
	"marshrut/internal/cluster"
	"marshrut/internal/guidance"
	"marshrut/internal/history"
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

// Each part satisfies the interfaces its domain declares; the store test
// checks that it has no exported method beyond them.
var (
	_ analytics.Store        = (*Analytics)(nil)
	_ analytics.MonitorStore = (*Analytics)(nil)
	_ auth.Store             = (*Auth)(nil)
	_ auth.Directory         = (*Auth)(nil)
	_ learner.Auditor        = (*Auth)(nil)
	_ balance.Store          = (*Balance)(nil)
	_ classifier.Store       = (*Classifier)(nil)
	_ cluster.Store          = (*Clusters)(nil)
	_ guidance.Store         = (*Guidance)(nil)
	_ jobs.Store             = (*Jobs)(nil)
	_ learner.Store          = (*Learners)(nil)
	_ mail.Outbox            = (*Mail)(nil)
	_ measures.Store         = (*Measures)(nil)
	_ mentor.Store           = (*Mentorship)(nil)
	_ org.Store              = (*Orgs)(nil)
	_ imports.Reference      = (*Reference)(nil)
	_ referral.Store         = (*Referrals)(nil)
	_ report.Store           = (*Reports)(nil)
	_ report.FormStore       = (*Reports)(nil)
	_ risk.Store             = (*Risks)(nil)
	_ mentor.Risks           = (*Risks)(nil)
	_ rollup.Store           = (*Rollup)(nil)
	_ rollup.Source          = (*RollupSource)(nil)
	_ routing.Store          = (*Routing)(nil)
	_ sso.Accounts           = (*SSO)(nil)
	_ targeted.Store         = (*Targeted)(nil)
	_ kpi.Store              = (*Targets)(nil)
	_ vacancy.Store          = (*Vacancies)(nil)
	_ youth.Store            = (*Youth)(nil)
	_ youth.InvitationStore  = (*Youth)(nil)
)

// Where a domain's interface names what another part keeps, its part hands
// the call on over the same handle.

func (s *Reference) Municipalities(ctx context.Context, region string) ([]classifier.Municipality, error) {
	return (&Classifier{s.db}).Municipalities(ctx, region)
}

func (s *Reference) Specialties(ctx context.Context, level string) ([]classifier.Specialty, error) {
	return (&Classifier{s.db}).Specialties(ctx, level)
}

func (s *Reference) Organisations(ctx context.Context, f org.Filter) ([]org.Organisation, int, error) {
	return (&Orgs{s.db}).Organisations(ctx, f)
}

func (s *RollupSource) Overview(ctx context.Context, sc auth.Scope) (analytics.Overview, error) {
	return (&Analytics{s.db}).Overview(ctx, sc)
}

func (s *RollupSource) Coverage(ctx context.Context, sc auth.Scope, year guidance.SchoolYear, by string) ([]guidance.Coverage, guidance.Coverage, error) {
	return (&Guidance{s.db}).Coverage(ctx, sc, year, by)
}

func (s *RollupSource) Employment(ctx context.Context, sc auth.Scope, by string, years []int) ([]analytics.EmploymentRow, error) {
	return (&Analytics{s.db}).Employment(ctx, sc, by, years)
}

func (s *RollupSource) RiskFigures(ctx context.Context, sc auth.Scope, threshold float64) (risk.Figures, error) {
	return (&Risks{s.db}).Figures(ctx, sc, threshold)
}

func (s *RollupSource) RiskThreshold(ctx context.Context, region string) (float64, bool, error) {
	return (&Risks{s.db}).Threshold(ctx, region)
}

func (s *DemoData) Organisations(ctx context.Context, f org.Filter) ([]org.Organisation, int, error) {
	return (&Orgs{s.db}).Organisations(ctx, f)
}

func (s *DemoData) Learners(ctx context.Context, sc auth.Scope, f learner.Filter) ([]learner.Learner, int, error) {
	return (&Learners{s.db}).Learners(ctx, sc, f)
}

func (s *DemoData) AddOutcome(ctx context.Context, sc auth.Scope, o *learner.Outcome) error {
	return (&Learners{s.db}).AddOutcome(ctx, sc, o)
}

func (s *Mentorship) Audit(ctx context.Context, e auth.AuditEntry) error {
	return (&Auth{s.db}).Audit(ctx, e)
}

func (s *Reports) Region(ctx context.Context, code string) (classifier.Region, error) {
	return (&Classifier{s.db}).Region(ctx, code)
}

func (s *Routing) Municipalities(ctx context.Context, region string) ([]classifier.Municipality, error) {
	return (&Classifier{s.db}).Municipalities(ctx, region)
}

func (s *Targeted) Learner(ctx context.Context, sc auth.Scope, id int64) (learner.Learner, error) {
	return (&Learners{s.db}).Learner(ctx, sc, id)
}

// History returns the edits of an object of the region, the latest first.
func (s *Targeted) History(ctx context.Context, region string, kind history.Kind, id int64) ([]history.Entry, error) {
	return s.history(ctx, region, kind, id)
}

// History returns the edits of an object of the region, the latest first.
func (s *Referrals) History(ctx context.Context, region string, kind history.Kind, id int64) ([]history.Entry, error) {
	return s.history(ctx, region, kind, id)
}

// History returns the edits of an object of the region, the latest first.
func (s *Clusters) History(ctx context.Context, region string, kind history.Kind, id int64) ([]history.Entry, error) {
	return s.history(ctx, region, kind, id)
}

// History returns the edits of an object of the region, the latest first.
func (s *Guidance) History(ctx context.Context, region string, kind history.Kind, id int64) ([]history.Entry, error) {
	return s.history(ctx, region, kind, id)
}

// History returns the edits of an object of the region, the latest first.
func (s *Measures) History(ctx context.Context, region string, kind history.Kind, id int64) ([]history.Entry, error) {
	return s.history(ctx, region, kind, id)
}

// History returns the edits of an object of the region, the latest first.
func (s *Mentorship) History(ctx context.Context, region string, kind history.Kind, id int64) ([]history.Entry, error) {
	return s.history(ctx, region, kind, id)
}
