package store

import (
	"context"
	"testing"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/routing"
)

// TestRunFigures: a run's figures — the most placeable, why the others are
// not placed, the pairs scored, the optimal mode's proof — and a proposal's
// contract note come back as written, and the holders' filter keeps only
// the proposals with a note.
func TestRunFigures(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		r := routing.Run{RegionCode: "41", Round: 1, Mode: routing.Stable, Seed: 7, GraduationYear: 2026}
		if err := s.Routing.StartRun(ctx, &r); err != nil {
			t.Fatal(err)
		}
		r.Status, r.Candidates, r.Matched, r.MaxMatched, r.Holders, r.Contracts = routing.Finished, 2, 0, 1, 1, 0
		r.UnplacedNone, r.UnplacedWishes, r.UnplacedTaken, r.UnplacedOutranked = 1, 0, 0, 1
		r.Scored, r.OptimalProven, r.Edges = 5_000_000_000, true, 3
		props := []routing.Proposal{
			{LearnerID: f.graduate.ID, Status: routing.Unmatched, Reasons: "все подходящие места заняты",
				ContractNote: "у работодателя по целевому договору (ООО «Камчатрыбпром») нет открытых вакансий в регионе"},
			{LearnerID: f.student.ID, Status: routing.Unmatched, Reasons: "нет совместимых вакансий"},
		}
		if err := s.Routing.FinishRun(ctx, &r, props); err != nil {
			t.Fatal(err)
		}
		got, err := s.Routing.MatchRun(ctx, "41", r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.MaxMatched != 1 || got.Holders != 1 || got.UnplacedNone != 1 || got.UnplacedOutranked != 1 || got.UnplacedWishes != 0 ||
			got.Scored != 5_000_000_000 || !got.OptimalProven || got.Edges != 3 {
			t.Errorf("run read back: %+v", got)
		}
		sys := auth.SystemScope("41")
		all, total, err := s.Routing.Proposals(ctx, sys, routing.ProposalFilter{RunID: r.ID, Limit: 10})
		if err != nil || total != 2 || len(all) != 2 {
			t.Fatalf("proposals: %d of %d, %v", len(all), total, err)
		}
		notes, n, err := s.Routing.Proposals(ctx, sys, routing.ProposalFilter{RunID: r.ID, Holders: true, Limit: 10})
		if err != nil || n != 1 || len(notes) != 1 || notes[0].LearnerID != f.graduate.ID || notes[0].ContractNote != props[0].ContractNote {
			t.Errorf("holders: %+v (%d), %v", notes, n, err)
		}
	})
}

// TestBulkProposals: proposals of one municipality are sent at once after
// their number is confirmed; a stale number changes nothing; a centre acts
// only on the people it sees; withdrawn proposals can be sent again.
func TestBulkProposals(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		r := routing.Run{RegionCode: "41", Round: 1, Mode: routing.Stable, Seed: 7, GraduationYear: 2026}
		if err := s.Routing.StartRun(ctx, &r); err != nil {
			t.Fatal(err)
		}
		r.Status, r.Candidates, r.Matched = routing.Finished, 3, 3
		items := vacancies(t, f, matcher(t))
		if _, err := s.Vacancies.UpsertVacancies(ctx, items); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*auth.User{{Login: "grad", Name: "Пётр Ёлкин", Role: auth.Learner, LearnerID: f.graduate.ID, RegionCode: "41"},
			{Login: "empl", Name: "Отдел кадров", Role: auth.Employer, OrgID: f.empl.ID, RegionCode: "41"}} {
			if err := s.Auth.CreateUser(ctx, u, "hash"); err != nil {
				t.Fatal(err)
			}
		}
		props := []routing.Proposal{
			{LearnerID: f.graduate.ID, Status: routing.Proposed, VacancyID: items[0].Vacancy.ID, Choice: 1}, // Елизовский
			{LearnerID: f.other.ID, Status: routing.Proposed},                                               // Елизовский
			{LearnerID: f.student.ID, Status: routing.Proposed},                                             // Петропавловск
		}
		if err := s.Routing.FinishRun(ctx, &r, props); err != nil {
			t.Fatal(err)
		}
		region := auth.Scope{Role: auth.Region, RegionCode: "41", UserID: 1}
		centre := auth.Scope{Role: auth.CZN, RegionCode: "41", OrgID: 99, Municipalities: []int64{f.muni1.ID}, UserID: 2}
		elizovo := routing.Bulk{RunID: r.ID, Action: routing.BulkSend, MunicipalityID: f.muni2.ID}
		if n, err := s.Routing.CountBulk(ctx, region, elizovo); err != nil || n != 2 {
			t.Fatalf("count of Elizovo: %d, %v", n, err)
		}
		if n, err := s.Routing.CountBulk(ctx, centre, elizovo); err != nil || n != 0 {
			t.Errorf("a centre of Petropavlovsk counts Elizovo's: %d, %v", n, err)
		}
		if _, err := s.Routing.ApplyBulk(ctx, region, elizovo, 3); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a stale number: %v", err)
		}
		sent := func() int {
			_, n, err := s.Routing.Proposals(ctx, auth.SystemScope("41"), routing.ProposalFilter{RunID: r.ID, Status: routing.Sent, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := sent(); n != 0 {
			t.Fatalf("after the refusal %d sent", n)
		}
		if n, err := s.Routing.ApplyBulk(ctx, region, elizovo, 2); err != nil || n != 2 || sent() != 2 {
			t.Fatalf("send Elizovo: %d, %v; sent %d", n, err, sent())
		}
		// The graduate and the vacancy's employer hear of the proposal sent with a vacancy.
		if n := countRows(t, s, "inbox_message"); n != 2 {
			t.Errorf("notices after the bulk send: %d, want 2", n)
		}
		back := routing.Bulk{RunID: r.ID, Action: routing.BulkWithdraw, OrgID: f.college2.ID}
		if n, err := s.Routing.ApplyBulk(ctx, region, back, 1); err != nil || n != 1 || sent() != 1 {
			t.Errorf("withdraw the medical college's: %d, %v; sent %d", n, err, sent())
		}
		all := routing.Bulk{RunID: r.ID, Action: routing.BulkSend}
		if n, err := s.Routing.CountBulk(ctx, region, all); err != nil || n != 2 {
			t.Errorf("left to send: %d, %v", n, err)
		}
	})
}
