package server

import (
	"net/http"

	"marshrut/internal/web"
)

// route is a pattern of the mux, the access it needs and its handler. The
// table is in groups by the part of the product the pages serve.
type route struct {
	pattern string
	need    access
	h       http.HandlerFunc
}

// accountRoutes are the routes of the ways in and out: health, metrics, static files, sign-in and
// passwords.
func (s *Server) accountRoutes(w *web.Web) []route {
	return []route{
		{"GET /healthz", public, s.healthz},
		{"GET /readyz", public, s.readyz},
		{"GET /metrics", public, s.metricsPage},
		{"GET /static/", public, web.Static().ServeHTTP},
		{"GET /login", public, w.LoginForm},
		{"POST /login", public, w.Login},
		{"GET /login/sso", public, w.SSOBegin},
		{"GET /login/sso/callback", public, w.SSOCallback},
		{"GET /login/esia", public, w.ESIABegin},
		{"GET /login/esia/callback", public, w.ESIACallback},
		{"POST /logout", session, w.Logout},
		{"GET /password", session, w.PasswordForm},
		{"POST /password", session, w.ChangePassword},
		{"GET /password/reset", public, w.ResetForm},
		{"POST /password/reset", public, w.CompleteReset},
	}
}

// registryRoutes are the routes of the home, the registries of organisations, vacancies and
// learners, the audit log and users, imports and their jobs.
func (s *Server) registryRoutes(w *web.Web) []route {
	return []route{
		{"GET /{$}", session, w.Dashboard},
		{"GET /organisations", session, w.Organisations},
		{"GET /organisations/export", session, w.OrganisationsExport},
		{"GET /cohorts/export", session, w.CohortsExport},
		{"GET /organisations/{id}", session, w.Organisation},
		{"GET /vacancies", session, w.Vacancies},
		{"GET /vacancies/{id}", session, w.Vacancy},
		{"GET /learners", persons, w.Learners},
		{"GET /learners/export", persons, w.LearnersExport},
		{"GET /learners/{id}", persons, w.Learner},
		{"POST /learners/{id}/outcomes", persons, w.AddOutcome},
		{"GET /audit", auditor, w.Audit},
		{"GET /audit.csv", auditor, w.AuditCSV},
		{"GET /users", auditor, w.Users},
		{"POST /users/{id}/sessions/end", auditor, w.EndSessions},
		{"POST /users/{id}/unlock", auditor, w.UnlockUser},
		{"GET /users/{id}", auditor, w.User},
		{"POST /users/{id}/disable", auditor, w.DisableUser},
		{"POST /users/{id}/enable", auditor, w.EnableUser},
		{"POST /users/{id}/reset", auditor, w.ResetUserPassword},
		{"POST /users/{id}/tokens/{token}/revoke", auditor, w.RevokeUserToken},
		{"GET /imports/learners", session, w.ImportForm},
		{"POST /imports/learners", session, w.ImportUpload},
		{"POST /imports/learners/run", session, w.ImportRun},
		{"GET /jobs/{id}", session, w.Job},
		{"GET /jobs/{id}/issues", session, w.JobIssues},
		{"POST /learners/{id}/record", persons, w.SaveRecord},
	}
}

// guidanceRoutes are the routes of career guidance at school and Klimov's questionnaire.
func (s *Server) guidanceRoutes(w *web.Web) []route {
	return []route{
		{"GET /guidance", session, w.Guidance},
		{"GET /guidance/events/new", session, w.EventForm},
		{"POST /guidance/events", session, w.CreateEvent},
		{"GET /guidance/events/{id}", session, w.Event},
		{"GET /guidance/events/{id}/edit", session, w.EditEventForm},
		{"POST /guidance/events/{id}", session, w.CreateEvent},
		{"POST /guidance/events/{id}/book", session, w.Book},
		{"POST /guidance/events/{id}/participants", persons, w.Record},
		{"POST /guidance/events/{id}/participants/{learner}/remove", persons, w.Unrecord},
		{"GET /guidance/coverage", session, w.Coverage},
		{"GET /guidance/coverage/export", session, w.CoverageExport},
		{"POST /guidance/level", session, w.SetLevel},
		{"GET /guidance/pupils", persons, w.GuidancePupils},
		{"GET /guidance/pupils/export", persons, w.GuidancePupilsExport},
		{"GET /guidance/inform", persons, w.InformForm},
		{"POST /guidance/inform", persons, w.Inform},
		{"GET /ddo", persons, w.DDO},
		{"POST /ddo", persons, w.DDOAnswer},
		{"GET /ddo/result", persons, w.DDOResult},
		{"GET /learners/{id}/ddo", persons, w.DDOPaper},
		{"POST /learners/{id}/ddo", persons, w.DDOPaperSave},
	}
}

// targetedRoutes are the routes of targeted education: offers, applications, figures.
func (s *Server) targetedRoutes(w *web.Web) []route {
	return []route{
		{"GET /targeted", session, w.Targeted},
		{"GET /targeted/offers/new", session, w.OfferForm},
		{"POST /targeted/offers", session, w.CreateOffer},
		{"GET /targeted/offers/{id}", session, w.Offer},
		{"GET /targeted/offers/{id}/edit", session, w.EditOfferForm},
		{"POST /targeted/offers/{id}", session, w.CreateOffer},
		{"POST /targeted/offers/{id}/status", session, w.OfferStatus},
		{"POST /targeted/offers/{id}/apply", persons, w.Apply},
		{"GET /targeted/applications", session, w.Applications},
		{"GET /targeted/applications/{id}", session, w.Application},
		{"POST /targeted/applications/{id}/move", session, w.MoveApplication},
		{"GET /targeted/figures", session, w.TargetedFigures},
		{"GET /targeted/figures/export", session, w.TargetedFiguresExport},
	}
}

// routingRoutes are the routes of employment, the routing of graduates and the early warning.
func (s *Server) routingRoutes(w *web.Web) []route {
	return []route{
		{"GET /employment", session, w.Employment},
		{"GET /employment/export", session, w.EmploymentExport},
		{"GET /routing", session, w.Routing},
		{"POST /routing/runs", session, w.StartRun},
		{"GET /routing/runs/{id}", session, w.MatchRun},
		{"GET /routing/runs/{id}/bulk", persons, w.BulkPreview},
		{"POST /routing/runs/{id}/bulk", persons, w.BulkApply},
		{"POST /routing/proposals/{id}", persons, w.Decide},
		{"GET /routing/learners/{id}", persons, w.Recommend},
		{"GET /vacancies/{id}/applicants", session, w.Applicants},
		{"GET /risk", persons, w.Risk},
		{"GET /risk/export", persons, w.RiskExport},
		{"GET /risk/model", persons, w.RiskModel},
		{"POST /risk/train", persons, w.RiskTrain},
		{"POST /risk/score", persons, w.RiskScore},
		{"POST /risk/threshold", persons, w.RiskThreshold},
		{"GET /risk/cases", persons, w.Cases},
		{"POST /risk/cases", persons, w.OpenCase},
		{"GET /risk/cases/{id}", persons, w.Case},
		{"POST /risk/cases/{id}/actions", persons, w.AddAction},
		{"POST /risk/cases/{id}/close", persons, w.CloseCase},
	}
}

// mentorshipRoutes are the routes of mentorship.
func (s *Server) mentorshipRoutes(w *web.Web) []route {
	return []route{
		{"GET /mentorship", session, w.Mentorship},
		{"POST /mentorship/programmes", session, w.CreateProgramme},
		{"GET /mentorship/programmes/{id}", session, w.Programme},
		{"POST /mentorship/programmes/{id}/pairs", persons, w.MakePairs},
		{"GET /mentorship/mentors", session, w.Mentors},
		{"POST /mentorship/mentors", session, w.CreateMentor},
		{"GET /mentorship/mentors/{id}", session, w.MentorCard},
		{"GET /mentorship/mentors/{id}/edit", session, w.EditMentorForm},
		{"POST /mentorship/mentors/{id}", session, w.UpdateMentor},
		{"GET /mentorship/pairs/{id}", persons, w.MentorPair},
		{"POST /mentorship/pairs/{id}/meetings", persons, w.AddMeeting},
		{"POST /mentorship/pairs/{id}/feedback", persons, w.AddFeedback},
		{"POST /mentorship/pairs/{id}/finish", persons, w.FinishPair},
		{"GET /mentorship/figures", session, w.MentorFigures},
		{"GET /mentorship/figures/export", session, w.MentorFiguresExport},
	}
}

// measuresRoutes are the routes of programmes of active measures, the centres' services and
// referrals.
func (s *Server) measuresRoutes(w *web.Web) []route {
	return []route{
		{"GET /measures", session, w.Measures},
		{"POST /measures/programmes", session, w.CreateMeasureProgramme},
		{"GET /measures/programmes/{id}", session, w.MeasureProgramme},
		{"GET /measures/programmes/{id}/edit", session, w.EditMeasureProgrammeForm},
		{"POST /measures/programmes/{id}", session, w.UpdateMeasureProgramme},
		{"POST /measures/programmes/{id}/groups", session, w.CreateMeasureGroup},
		{"GET /measures/groups/{id}", persons, w.MeasureGroup},
		{"POST /measures/groups/{id}/enrolments", persons, w.Enrol},
		{"POST /measures/groups/{id}/complete", persons, w.CompleteAll},
		{"POST /measures/enrolments/{id}/complete", persons, w.CompleteEnrolment},
		{"POST /measures/enrolments/{id}/drop", persons, w.DropEnrolment},
		{"POST /measures/enrolments/{id}/employment", persons, w.RecordEmployment},
		{"GET /measures/figures", session, w.MeasureFigures},
		{"GET /measures/figures/export", session, w.MeasureFiguresExport},
		{"GET /services", session, w.Services},
		{"GET /services/new", session, w.NewServiceForm},
		{"POST /services", session, w.SaveService},
		{"GET /services/{id}", session, w.Service},
		{"GET /services/{id}/edit", session, w.EditServiceForm},
		{"POST /services/{id}", session, w.SaveService},
		{"GET /referrals", persons, w.Referrals},
		{"POST /referrals", persons, w.Refer},
		{"POST /referrals/{id}/result", persons, w.ReferralResult},
	}
}

// clusterRoutes are the routes of «Профессионалитет» clusters and their defences.
func (s *Server) clusterRoutes(w *web.Web) []route {
	return []route{
		{"GET /clusters", session, w.Clusters},
		{"GET /clusters/new", session, w.ClusterForm},
		{"POST /clusters", session, w.SaveCluster},
		{"GET /clusters/criteria", session, w.ClusterCriteria},
		{"POST /clusters/criteria", session, w.SaveClusterCriteria},
		{"GET /clusters/defences", session, w.Defences},
		{"POST /clusters/defences", session, w.OpenDefence},
		{"GET /clusters/defences/{id}", session, w.Defence},
		{"POST /clusters/defences/{id}/commission", session, w.SetCommission},
		{"POST /clusters/defences/{id}/sign", session, w.SignDefence},
		{"GET /clusters/defences/{id}/protocol", session, w.Protocol},
		{"GET /clusters/defences/{id}/protocol/export", session, w.ProtocolExport},
		{"GET /clusters/defences/{id}/clusters/{cluster}", session, w.ScoreForm},
		{"POST /clusters/defences/{id}/clusters/{cluster}", session, w.Score},
		{"GET /clusters/{id}", session, w.Cluster},
		{"POST /clusters/{id}/values", session, w.SetClusterValue},
	}
}

// balanceRoutes are the routes of the workforce balance.
func (s *Server) balanceRoutes(w *web.Web) []route {
	return []route{
		{"GET /balance", session, w.Balance},
		{"GET /balance/export", session, w.BalanceExport},
		{"GET /balance/proposals/export", session, w.ProposalsExport},
		{"GET /balance/groups/{key}", session, w.BalanceGroup},
		{"GET /balance/data", session, w.BalanceData},
		{"POST /balance/needs", session, w.DeclareNeed},
		{"POST /balance/needs/{id}/delete", session, w.DeleteNeed},
		{"POST /balance/capacity", session, w.SetCapacity},
		{"POST /balance/import", session, w.BalanceImport},
		{"GET /balance/scenarios", session, w.Scenarios},
		{"POST /balance/scenarios", session, w.CreateScenario},
		{"POST /balance/scenarios/proposals", session, w.ScenarioFromProposals},
		{"POST /balance/settings", session, w.SetBalanceLimit},
		{"GET /balance/scenarios/{id}", session, w.ScenarioPage},
		{"POST /balance/scenarios/{id}/changes", session, w.AddScenarioChange},
		{"POST /balance/scenarios/{id}/changes/remove", session, w.RemoveScenarioChange},
		{"POST /balance/scenarios/{id}/delete", session, w.DeleteScenario},
	}
}

// monitoringRoutes are the routes of monitoring, reports and forms, the federal rollup.
func (s *Server) monitoringRoutes(w *web.Web) []route {
	return []route{
		{"GET /monitoring", session, w.Monitoring},
		{"GET /monitoring/export", session, w.MonitoringExport},
		{"GET /monitoring/measures", session, w.MeasureCatalogue},
		{"GET /monitoring/measures/{code}", session, w.MeasurePage},
		{"POST /monitoring/targets", session, w.SetTarget},
		{"GET /monitoring/reports", session, w.Reports},
		{"POST /monitoring/reports", session, w.StartReport},
		{"GET /monitoring/reports/{id}", session, w.ReportFile},
		{"GET /monitoring/forms", session, w.Forms},
		{"GET /monitoring/forms/view", session, w.Form},
		{"GET /monitoring/forms/xlsx", session, w.FormXLSX},
		{"GET /federal", session, w.Federal},
		{"POST /federal/import", session, w.FederalImport},
		{"POST /federal/keys", session, w.FederalTrust},
		{"GET /federal/regions/{code}", session, w.FederalRegion},
		{"GET /federal/regions/{code}/{table}/{row}", session, w.FederalCell},
	}
}

// youthRoutes are the routes of the young person's and the parent's side: invitations, responses,
// proposals, consents, profile; tokens and the API.
func (s *Server) youthRoutes(w *web.Web, api http.Handler) []route {
	return []route{
		{"GET /invite", public, w.InviteForm},
		{"POST /invite", public, w.AcceptInvite},
		{"POST /learners/{id}/invite", persons, w.InviteGuardian},
		{"GET /invitations", persons, w.Invitations},
		{"POST /invitations/print", persons, w.PrintInvitations},
		{"POST /invitations/revoke", persons, w.RevokeInvitations},
		{"POST /learners/{id}/invitation-email", persons, w.EmailInvitation},
		{"GET /join", public, w.JoinForm},
		{"POST /join", public, w.Join},
		{"POST /vacancies/{id}/respond", persons, w.Respond},
		{"GET /me/responses", session, w.MyResponses},
		{"GET /me/responses/{id}", session, w.MyResponse},
		{"POST /me/responses/{id}/answer", session, w.AnswerResponse},
		{"GET /me/proposals", session, w.MyProposals},
		{"POST /me/proposals/{id}", session, w.AnswerProposal},
		{"POST /me/consents", persons, w.SetConsent},
		{"POST /me/messages/read", session, w.ReadMessages},
		{"POST /me/email", session, w.SetEmail},
		{"POST /me/trials/{id}", persons, w.SignUp},
		{"GET /me/profile", persons, w.MyProfile},
		{"POST /me/profile", persons, w.SaveProfile},
		{"GET /me/profile.json", persons, w.ProfileExport},
		{"GET /me/resume", persons, w.Resume},
		{"POST /me/achievements", persons, w.AddAchievement},
		{"POST /me/achievements/{id}/delete", persons, w.DeleteAchievement},
		{"GET /tokens", session, w.Tokens},
		{"POST /tokens", session, w.CreateToken},
		{"POST /tokens/{id}/revoke", session, w.RevokeToken},
		{"GET /api/v1/openapi.json", public, api.ServeHTTP},
		{"/api/v1/", token, api.ServeHTTP},
	}
}
