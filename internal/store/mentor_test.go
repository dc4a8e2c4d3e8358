package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/learner"
	"marshrut/internal/measures"
	"marshrut/internal/mentor"
	"marshrut/internal/youth"
)

// fixedRisks stands in for the early-warning model.
type fixedRisks map[int64]float64

func (f fixedRisks) Risk(_ context.Context, ids []int64) (map[int64]float64, error) {
	out := map[int64]float64{}
	for _, id := range ids {
		if r, ok := f[id]; ok {
			out[id] = r
		}
	}
	return out, nil
}

// countPairs counts every pair in the database, whoever made it.
func countPairs(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.read.QueryRow(`SELECT count(*) FROM mentor_pair`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMentorship(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		sys := auth.SystemScope("41")
		// A second full-time student of the college, with practice at the
		// employer, and a distance student, who is not counted.
		second := learner.Learner{RegionCode: "41", LastName: "Антонов", FirstName: "Илья", Sex: "м", BirthDate: time.Date(2007, 2, 3, 0, 0, 0, 0, time.UTC),
			Status: learner.Student, OrgID: f.college.ID, MunicipalityID: f.muni2.ID, SpecialtyCode: "15.02.08", Course: 3, Form: learner.FullTime, GraduationYear: 2027}
		distant := second
		distant.LastName, distant.Form = "Дальний", learner.Distance
		for _, l := range []*learner.Learner{&second, &distant} {
			if err := s.Learners.CreateLearner(ctx, sys, l); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Learners.AddStage(ctx, sys, &learner.Stage{LearnerID: second.ID, Kind: learner.StagePractice, OrgID: f.empl.ID,
			SpecialtyCode: "15.02.08", Start: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		svc := mentor.NewService(s.Mentorship, fixedRisks{second.ID: 0.8, f.student.ID: 0.1}, func() time.Time { return now })
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college.ID, UserID: 3}
		college2 := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college2.ID, UserID: 4}
		empl := auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: f.empl.ID, UserID: 5}
		region := auth.Scope{Role: auth.Region, RegionCode: "41", UserID: 1}

		prog := mentor.Programme{Form: mentor.EmployerStudent, Title: "Наставники «Камчатрыбпрома»", Year: 2026}
		if err := svc.SaveProgramme(ctx, college, &prog); err != nil {
			t.Fatal(err)
		}
		if prog.OrgID != f.college.ID {
			t.Errorf("programme of org %d, want the college's own", prog.OrgID)
		}
		// The employer registers its specialist for the college.
		staff := mentor.Mentor{OrgID: f.college.ID, FullName: "Петров Олег Иванович", Position: "главный механик", SpecialtyCode: "15.02.08", Capacity: 1}
		if err := svc.SaveMentor(ctx, empl, &staff); err != nil {
			t.Fatal(err)
		}
		if staff.Kind != mentor.Staff || staff.EmployerID != f.empl.ID {
			t.Errorf("employer's mentor %+v", staff)
		}
		if _, err := svc.Mentor(ctx, college2, staff.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another college sees the mentor: %v", err)
		}

		// The proposals: one place, two candidates; the one at risk with
		// practice at the mentor's enterprise gets it.
		props, err := svc.Proposals(ctx, college, prog.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(props) != 1 || props[0].Candidate.LearnerID != second.ID || props[0].Mentor.ID != staff.ID {
			t.Fatalf("proposals %+v", props)
		}
		if why := strings.Join(props[0].Why, "; "); !strings.Contains(why, "практика на предприятии наставника") || !strings.Contains(why, "риск") {
			t.Errorf("why: %q", why)
		}

		terms := mentor.Terms{Start: now, PlannedEnd: now.AddDate(0, 7, 0), Goals: "Подготовка к демонстрационному экзамену"}
		// A batch whose second pair takes the mentor over capacity writes nothing.
		_, err = svc.MakePairs(ctx, college, prog.ID, []mentor.Choice{{MentorID: staff.ID, LearnerID: second.ID}, {MentorID: staff.ID, LearnerID: f.student.ID}}, terms)
		if !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.Text(err), "превысит его нагрузку") {
			t.Errorf("over capacity: %v", err)
		}
		if n := countPairs(t, s); n != 0 {
			t.Fatalf("a refused batch wrote %d pairs", n)
		}
		// A student of another college: not found for the college, refused for the region.
		if _, err := svc.MakePairs(ctx, college, prog.ID, []mentor.Choice{{MentorID: staff.ID, LearnerID: f.other.ID}}, terms); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a student of another college: %v", err)
		}
		if _, err := svc.MakePairs(ctx, region, prog.ID, []mentor.Choice{{MentorID: staff.ID, LearnerID: f.other.ID}}, terms); !apperr.Is(err, apperr.Invalid) ||
			!strings.Contains(apperr.Text(err), "учится в другой образовательной организации") {
			t.Errorf("the region pairs across organisations: %v", err)
		}
		if _, err := svc.MakePairs(ctx, college2, prog.ID, []mentor.Choice{{MentorID: staff.ID, LearnerID: f.other.ID}}, terms); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another college uses the programme: %v", err)
		}
		pairs, err := svc.MakePairs(ctx, college, prog.ID, []mentor.Choice{{MentorID: staff.ID, LearnerID: second.ID}}, terms)
		if err != nil {
			t.Fatal(err)
		}
		pair := pairs[0]
		if _, err := svc.MakePairs(ctx, college, prog.ID, []mentor.Choice{{MentorID: staff.ID, LearnerID: f.student.ID}}, terms); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a second mentee of a mentor of capacity 1: %v", err)
		}
		if n := countPairs(t, s); n != 1 {
			t.Fatalf("%d pairs, want 1", n)
		}

		// The meeting log, feedback and the audit of the read.
		if err := svc.AddMeeting(ctx, empl, &mentor.Meeting{PairID: pair.ID, HeldOn: now, Minutes: 60, Topic: "Знакомство с цехом"}); err != nil {
			t.Fatal(err)
		}
		if err := svc.AddMeeting(ctx, college, &mentor.Meeting{PairID: pair.ID, HeldOn: now.AddDate(0, 0, 3), Minutes: 60, Topic: "Будущая встреча"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a meeting in the future: %v", err)
		}
		student := auth.Scope{Role: auth.Learner, RegionCode: "41", LearnerID: second.ID, UserID: 9}
		if err := svc.AddFeedback(ctx, student, &mentor.Feedback{PairID: pair.ID, Side: mentor.MenteeSide, Rating: 5, Comment: "Очень полезно"}); err != nil {
			t.Fatal(err)
		}
		if err := svc.AddFeedback(ctx, student, &mentor.Feedback{PairID: pair.ID, Side: mentor.MentorSide, Rating: 1}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a mentee writes the mentor's feedback: %v", err)
		}
		other := auth.Scope{Role: auth.Learner, RegionCode: "41", LearnerID: f.student.ID}
		if _, _, _, err := svc.Pair(ctx, other, pair.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another learner sees the pair: %v", err)
		}
		got, meetings, feedback, err := svc.Pair(ctx, college, pair.ID)
		if err != nil || got.MenteeName != "Антонов Илья" || got.Employer != f.empl.Name || len(meetings) != 1 || len(feedback) != 1 {
			t.Fatalf("pair %+v, %d meetings, %d feedback, %v", got, len(meetings), len(feedback), err)
		}
		if _, n, _ := s.Auth.AuditLog(ctx, auth.AuditFilter{LearnerID: second.ID}); n != 1 {
			t.Errorf("%d audit entries for the read of the pair, want 1", n)
		}

		// The figures of the college: two full-time students, one mentored at an enterprise.
		fig, err := svc.Figures(ctx, college)
		if err != nil {
			t.Fatal(err)
		}
		if fig.Total.FullTime != 2 || fig.Total.Mentored != 1 || fig.Total.AtEnterprise != 1 || fig.Pairs != 1 || fig.Meetings != 1 || fig.MeetingsPerPair != 1 {
			t.Errorf("figures %+v", fig)
		}
		if len(fig.ByMunicipality) != 2 {
			t.Errorf("by municipality %+v", fig.ByMunicipality)
		}
		mentored, fullTime, err := s.MentorshipCoverage(ctx, region)
		if err != nil || mentored != 1 || fullTime != 3 {
			t.Errorf("region coverage %d of %d, %v", mentored, fullTime, err)
		}

		// Ending early needs a reason; then the figures count it.
		if err := svc.FinishPair(ctx, college, pair.ID, now.AddDate(0, 1, 0), ""); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("early end without a reason: %v", err)
		}
		if err := svc.FinishPair(ctx, empl, pair.ID, now.AddDate(0, 1, 0), "перевод"); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the employer ends a pair: %v", err)
		}
		if err := svc.FinishPair(ctx, college, pair.ID, now.AddDate(0, 1, 0), "студент перевёлся на заочное отделение"); err != nil {
			t.Fatal(err)
		}
		fig, _ = svc.Figures(ctx, college)
		if fig.Early != 1 || fig.Ended != 1 || fig.EarlyShare != 1 || fig.Total.Mentored != 0 {
			t.Errorf("after the early end: %+v", fig)
		}
		// The 2025 graduate had no pair: the rest.
		if fig.Year != 2026 && fig.Year != 2025 {
			t.Errorf("year %d", fig.Year)
		}

		// The mentored student graduated in 2024 and works; three peers of
		// the same specialty, college and grades, one of them at work, and
		// one of another band. The year compared is 2024, the latest with
		// a mentored graduate of a known status, not the last one.
		if _, err := s.write.ExecContext(ctx, `UPDATE learner SET status = 'graduate', graduation_year = 2024, outcome_6m = 'employed', avg_grade = 4.6
			WHERE id = $1`, second.ID); err != nil {
			t.Fatal(err)
		}
		for i, out := range []learner.OutcomeStatus{learner.Employed, learner.Unemployed, learner.NotEmployed, learner.Employed} {
			peer := second
			peer.ID, peer.LastName, peer.Status, peer.GraduationYear, peer.AvgGrade = 0, "Сверстник", learner.Graduate, 2024, 4.7
			if i == 3 {
				peer.AvgGrade = 3.2
			}
			if err := s.Learners.CreateLearner(ctx, sys, &peer); err != nil {
				t.Fatal(err)
			}
			if _, err := s.write.ExecContext(ctx, `UPDATE learner SET outcome_6m = $1, avg_grade = $2 WHERE id = $3`, string(out), peer.AvgGrade, peer.ID); err != nil {
				t.Fatal(err)
			}
		}
		svc = mentor.NewService(s.Mentorship, fixedRisks{}, func() time.Time { return now }) // no cached counts
		fig, err = svc.Figures(ctx, region)
		if err != nil {
			t.Fatal(err)
		}
		if c := fig.Comparison; fig.Year != 2024 || c.Treated != 1 || c.Matched != 1 || c.Peers != 3 || c.Cells != 1 ||
			c.TreatedShare != 1 || c.PeersShare < 0.33 || c.PeersShare > 0.34 {
			t.Errorf("year %d, comparison %+v", fig.Year, c)
		}
	})
}

// A role that sees no mentorship, responses or enrolments (an employment
// centre, an employer) and a centre that serves no municipality get empty
// lists on both engines, not an error: the
// scope that keeps nothing still uses the region's argument it was given.
func TestMentorshipNobodysScope(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seed(t, s)
		czn := auth.Scope{Role: auth.CZN, RegionCode: "41", OrgID: 1, UserID: 9}
		if list, err := s.Mentorship.Programmes(ctx, czn); err != nil || len(list) != 0 {
			t.Errorf("programmes of a centre: %v, %v", list, err)
		}
		if list, _, err := s.Mentorship.Mentors(ctx, czn, mentor.MentorFilter{Limit: 10}); err != nil || len(list) != 0 {
			t.Errorf("mentors of a centre: %v, %v", list, err)
		}
		if list, _, err := s.Mentorship.Pairs(ctx, czn, mentor.PairFilter{Limit: 10}); err != nil || len(list) != 0 {
			t.Errorf("pairs of a centre: %v, %v", list, err)
		}
		if list, _, err := s.Learners.Learners(ctx, czn, learner.Filter{Limit: 10}); err != nil || len(list) != 0 {
			t.Errorf("learners of a centre without municipalities: %v, %v", list, err)
		}
		if list, _, err := s.Youth.Responses(ctx, czn, youth.ResponseFilter{Limit: 10}); err != nil || len(list) != 0 {
			t.Errorf("responses of a centre: %v, %v", list, err)
		}
		if list, err := s.Youth.MyProposals(ctx, czn, 10); err != nil || len(list) != 0 {
			t.Errorf("proposals of a centre: %v, %v", list, err)
		}
		employer := auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: 1, UserID: 9}
		if list, err := s.Measures.Facts(ctx, employer, measures.FigureFilter{}); err != nil || len(list) != 0 {
			t.Errorf("measure facts of an employer: %v, %v", list, err)
		}
	})
}
