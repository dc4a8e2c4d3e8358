package store

import (
	"context"
	"database/sql"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/ddo"
	"marshrut/internal/guidance"
	"marshrut/internal/learner"
	"marshrut/internal/mentor"
	"marshrut/internal/targeted"
)

// agreeWithLearners fails the test when the kept counts differ from a full
// recount, or when a figure read from them differs from the same figure
// counted from the learners, in every scope the counts serve.
func agreeWithLearners(t *testing.T, s *Store, after string, f *fixture, year guidance.SchoolYear, now time.Time) {
	t.Helper()
	ctx := context.Background()
	drift, err := s.RecountTallies(ctx)
	if err != nil {
		t.Fatalf("after %s: %v", after, err)
	}
	if len(drift) > 0 {
		t.Errorf("after %s: the kept counts drifted from the data: %+v", after, drift)
	}
	// The targeted-education figures: the kept cells against the offers and
	// applications themselves, and the graduates under contract.
	var groups [3][]targeted.Cell
	for i, by := range []string{"employer", "specialty", "year"} {
		if groups[i], err = s.Targeted.FigureCells(ctx, "41", by); err != nil {
			t.Fatal(err)
		}
	}
	offers, err := list(ctx, s.read, "offers", `SELECT t.id, t.employer_id, t.specialty_code, t.year, t.places, t.status
		FROM targeted_offer t WHERE t.region_code = '41' AND t.status <> 'draft'`, nil, func(rows *sql.Rows) (o targeted.Offer, err error) {
		err = rows.Scan(&o.ID, &o.EmployerID, &o.SpecialtyCode, &o.Year, &o.Places, &o.Status)
		return o, err
	})
	if err != nil {
		t.Fatal(err)
	}
	apps, err := list(ctx, s.read, "applications", `SELECT offer_id, status FROM targeted_application WHERE region_code = '41'`, nil,
		func(rows *sql.Rows) (a targeted.Application, err error) {
			err = rows.Scan(&a.OfferID, &a.Status)
			return a, err
		})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := targeted.CountCells(groups[0], groups[1], groups[2]), targeted.Count(offers, apps); !reflect.DeepEqual(got, want) {
		t.Errorf("after %s: targeted figures %+v, counted from the offers %+v", after, got, want)
	}
	for _, gy := range []int{2025, 2026, 2027, 2028} {
		g, u, err := s.Targeted.ContractsOfGraduates(ctx, "41", gy)
		if err != nil {
			t.Fatal(err)
		}
		var wg, wu int
		if err := s.read.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(CASE WHEN EXISTS (SELECT 1 FROM targeted_application a
			WHERE a.learner_id = l.id AND a.status IN `+signedStatuses+`) THEN 1 ELSE 0 END), 0)
			FROM learner l WHERE l.region_code = '41' AND l.status = 'graduate' AND l.graduation_year = $1`, gy).Scan(&wg, &wu); err != nil {
			t.Fatal(err)
		}
		if g != wg || u != wu {
			t.Errorf("after %s: graduates of %d %d, under contract %d; counted from the learners %d, %d", after, gy, g, u, wg, wu)
		}
	}
	// The pairs and meetings by form and status: pair_tally against the pairs.
	for _, sc := range []auth.Scope{auth.SystemScope("41"), {Role: auth.College, RegionCode: "41", OrgID: f.college.ID},
		{Role: auth.College, RegionCode: "41", OrgID: f.college2.ID}, {Role: auth.Employer, RegionCode: "41", OrgID: f.empl.ID},
		{Role: auth.Learner, RegionCode: "41", LearnerID: f.student.ID}} {
		var kept mentor.Counts
		if err := s.Mentorship.pairCounts(ctx, sc, &kept); err != nil {
			t.Fatal(err)
		}
		var a args
		counted, err := list(ctx, s.read, "pairs", `SELECT * FROM (`+s.Mentorship.learnerPairCounts(sc, &a)+`) t ORDER BY t.form, t.status`, a, func(rows *sql.Rows) (p mentor.PairCount, err error) {
			err = rows.Scan(&p.Form, &p.Status, &p.Pairs, &p.Meetings)
			return p, err
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(kept.Pairs, func(a, b mentor.PairCount) int {
			return strings.Compare(string(a.Form)+string(a.Status), string(b.Form)+string(b.Status))
		})
		if len(kept.Pairs) != len(counted) || len(counted) > 0 && !reflect.DeepEqual(kept.Pairs, counted) {
			t.Errorf("after %s, %s %d: pairs %+v, counted from the pairs %+v", after, sc.Role, sc.OrgID, kept.Pairs, counted)
		}
	}
	scopes := []auth.Scope{
		auth.SystemScope("41"),
		{Role: auth.Region, RegionCode: "41"},
		{Role: auth.School, RegionCode: "41", OrgID: f.school.ID},
		{Role: auth.College, RegionCode: "41", OrgID: f.college.ID},
		{Role: auth.CZN, RegionCode: "41", Municipalities: []int64{f.muni2.ID}},
		{Role: auth.Federal, RegionCode: "41"},
	}
	byID := func(rows []guidance.Coverage) []guidance.Coverage {
		slices.SortFunc(rows, func(a, b guidance.Coverage) int { return int(a.ID - b.ID) })
		return rows
	}
	for _, sc := range scopes {
		for _, by := range []string{"school", "municipality", ""} {
			rows, total, err := s.Guidance.tallyCoverage(ctx, sc, year, by)
			if err != nil {
				t.Fatal(err)
			}
			wantRows, wantTotal, err := s.Guidance.learnerCoverage(ctx, sc, year, by)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(byID(rows), byID(wantRows)) || total != wantTotal {
				t.Errorf("after %s, %s by %q: coverage %+v %+v, counted from the learners %+v %+v", after, sc.Role, by, rows, total, wantRows, wantTotal)
			}
		}
		months := year.Months(now)
		trend, err := s.Guidance.Trend(ctx, sc, year, now)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.Guidance.learnerTrend(ctx, sc, year, months, make([]guidance.MonthPoint, len(months)))
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			want[i].Month = months[i]
		}
		if !reflect.DeepEqual(trend, want) {
			t.Errorf("after %s, %s: trend %+v, counted from the learners %+v", after, sc.Role, trend, want)
		}
		if !sc.SeesPersons() {
			continue
		}
		var kept, counted mentor.Counts
		var a args
		if err := s.Mentorship.sumCoverage(ctx, `SELECT c.org_id, '', c.municipality_id, '', sum(c.full_time), sum(c.mentored), sum(c.at_enterprise)
			FROM (`+mentorCells(sc, &a)+`) c GROUP BY c.org_id, c.municipality_id HAVING sum(c.full_time) > 0`, a, &kept); err != nil {
			t.Fatal(err)
		}
		var la args
		q := s.Mentorship.learnerCoverageCounts(sc, &la)
		if err := s.Mentorship.sumCoverage(ctx, q, la, &counted); err != nil {
			t.Fatal(err)
		}
		for _, c := range [][]mentor.Coverage{kept.ByOrg, kept.ByMunicipality, counted.ByOrg, counted.ByMunicipality} {
			for i := range c {
				c[i].Name = ""
			}
			slices.SortFunc(c, func(a, b mentor.Coverage) int {
				if a.Key < b.Key {
					return -1
				}
				if a.Key > b.Key {
					return 1
				}
				return 0
			})
		}
		if !reflect.DeepEqual(kept.ByOrg, counted.ByOrg) || !reflect.DeepEqual(kept.ByMunicipality, counted.ByMunicipality) {
			t.Errorf("after %s, %s: mentorship coverage %+v %+v, counted from the learners %+v %+v", after, sc.Role,
				kept.ByOrg, kept.ByMunicipality, counted.ByOrg, counted.ByMunicipality)
		}
	}
}

// TestTalliesFollowWrites makes each kind of write that changes one person
// and checks after each that the kept counts are what a full recount makes
// of the data, and that the figures read from them are those counted from
// the learners.
func TestTalliesFollowWrites(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		sys := auth.SystemScope("41")
		now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
		year := guidance.YearOf(now)
		check := func(after string) { t.Helper(); agreeWithLearners(t, s, after, f, year, now) }
		check("the fixture")

		pupil := func(name string, grade int, muni int64) learner.Learner {
			l := learner.Learner{RegionCode: "41", LastName: name, FirstName: "Иван", Sex: "м", BirthDate: time.Date(2026-grade-7, 2, 1, 0, 0, 0, 0, time.UTC),
				Status: learner.Pupil, OrgID: f.school.ID, MunicipalityID: muni, Grade: grade, Group: "А"}
			if err := s.Learners.CreateLearner(ctx, sys, &l); err != nil {
				t.Fatal(err)
			}
			return l
		}
		p6 := pupil("Шестов", 6, f.muni1.ID)
		p10 := pupil("Десятов", 10, f.muni2.ID)
		p11 := pupil("Одиннадцатов", 11, f.muni1.ID)
		check("new pupils")

		school := auth.Scope{Role: auth.School, RegionCode: "41", OrgID: f.school.ID, UserID: 1}
		ev := guidance.Event{RegionCode: "41", OrganiserID: f.school.ID, Kind: guidance.Horizons, Title: "Россия — мои горизонты",
			HeldOn: time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC), GradeFrom: 6, GradeTo: 11, Hours: 40, Ticket: true}
		if err := s.Guidance.CreateEvent(ctx, &ev); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Guidance.AddParticipants(ctx, school, ev.ID, []int64{f.pupil.ID, p6.ID, p10.ID}); err != nil {
			t.Fatal(err)
		}
		check("a participation mark")
		if err := s.Guidance.Inform(ctx, school, []guidance.Informing{{LearnerID: p11.ID, OrgID: f.school.ID, On: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), Method: guidance.ByLesson},
			{LearnerID: p10.ID, OrgID: f.school.ID, On: time.Date(2026, 9, 12, 0, 0, 0, 0, time.UTC), Method: guidance.ByLesson}}); err != nil {
			t.Fatal(err)
		}
		check("an informing")
		parsed, err := ddo.ParseAnswers(strings.Repeat("a", ddo.Items))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Guidance.SaveDiagnostic(ctx, school, &guidance.Diagnostic{LearnerID: p6.ID, TakenOn: now, Answers: parsed, Result: ddo.Score(parsed), Source: "paper"}); err != nil {
			t.Fatal(err)
		}
		check("a ДДО result")
		if err := s.Guidance.SetLevel(ctx, "41", f.school.ID, year, guidance.Main); err != nil {
			t.Fatal(err)
		}
		check("a level of профминимум")
		moved := ev
		moved.HeldOn, moved.Hours = time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC), 80
		if err := s.Guidance.UpdateEvent(ctx, &moved, nil); err != nil {
			t.Fatal(err)
		}
		check("an event's day and hours changed")
		if err := s.Guidance.RemoveParticipant(ctx, school, ev.ID, p6.ID); err != nil {
			t.Fatal(err)
		}
		check("a mark taken off")
		// The learner's own fields, whoever writes them: the triggers on learner.
		for _, q := range []string{
			`UPDATE learner SET grade = 11 WHERE id = $1`,
			`UPDATE learner SET municipality_id = ` + strconv.FormatInt(f.muni1.ID, 10) + ` WHERE id = $1`,
			`UPDATE learner SET status = 'student', study_form = 'full_time', grade = 0, org_id = ` + strconv.FormatInt(f.college.ID, 10) + ` WHERE id = $1`,
		} {
			if _, err := s.write.ExecContext(ctx, q, p10.ID); err != nil {
				t.Fatal(err)
			}
			check(q)
		}

		// Mentorship: a pair started and ended, a mentor who becomes an
		// enterprise's, a mentee who moves.
		college := auth.Scope{Role: auth.College, RegionCode: "41", OrgID: f.college.ID, UserID: 3}
		prog := mentor.Programme{RegionCode: "41", OrgID: f.college.ID, Form: mentor.EmployerStudent, Title: "Наставники", Year: 2026}
		if err := s.Mentorship.SaveProgramme(ctx, college, &prog); err != nil {
			t.Fatal(err)
		}
		teacher := mentor.Mentor{RegionCode: "41", OrgID: f.college.ID, Kind: mentor.Teacher, FullName: "Петров Олег Иванович", Position: "мастер", Capacity: 3}
		if err := s.Mentorship.SaveMentor(ctx, college, &teacher); err != nil {
			t.Fatal(err)
		}
		ps := []mentor.Pair{
			{RegionCode: "41", ProgrammeID: prog.ID, MentorID: teacher.ID, LearnerID: f.student.ID, Start: now, PlannedEnd: now.AddDate(0, 6, 0), Goals: "цели", Status: mentor.Active, CreatedAt: now},
			{RegionCode: "41", ProgrammeID: prog.ID, MentorID: teacher.ID, LearnerID: p10.ID, Start: now, PlannedEnd: now.AddDate(0, 6, 0), Goals: "цели", Status: mentor.Active, CreatedAt: now},
		}
		if err := s.Mentorship.CreatePairs(ctx, college, ps, func(*mentor.Pair, mentor.Reach) error { return nil }); err != nil {
			t.Fatal(err)
		}
		check("pairs started")
		staff := teacher
		staff.Kind, staff.EmployerID = mentor.Staff, f.empl.ID
		if err := s.Mentorship.UpdateMentor(ctx, college, &staff, func(mentor.Mentor) error { return nil }); err != nil {
			t.Fatal(err)
		}
		check("a mentor of an enterprise")
		if _, err := s.write.ExecContext(ctx, `UPDATE learner SET municipality_id = $1 WHERE id = $2`, f.muni2.ID, f.student.ID); err != nil {
			t.Fatal(err)
		}
		check("a mentee moved")
		if err := s.Mentorship.AddMeeting(ctx, college, &mentor.Meeting{PairID: ps[1].ID, HeldOn: now, Minutes: 45, Topic: "Знакомство"},
			func(mentor.Pair) error { return nil }); err != nil {
			t.Fatal(err)
		}
		check("a meeting")
		prog.Form = mentor.PupilPupil
		if err := s.Mentorship.SaveProgramme(ctx, college, &prog); err != nil {
			t.Fatal(err)
		}
		check("a programme's form changed")
		if err := s.Mentorship.FinishPair(ctx, college, ps[0].ID, func(p *mentor.Pair) error {
			p.Status, p.End, p.EndReason = mentor.Early, now, "перевод"
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		check("a pair ended")

		// Targeted education: an offer drafted, published and changed, an
		// application made and moved to a contract and its end; a graduate.
		tsvc := targeted.NewService(s.Targeted, func() time.Time { return now })
		empl := auth.Scope{Role: auth.Employer, RegionCode: "41", OrgID: f.empl.ID, UserID: 7}
		offer := targeted.Offer{OrgID: f.college.ID, SpecialtyCode: "15.02.08", Places: 2, WorkYears: 3, MunicipalityID: f.muni1.ID,
			Deadline: time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC), Year: 2027, Status: targeted.Draft}
		if err := tsvc.SaveOffer(ctx, empl, &offer); err != nil {
			t.Fatal(err)
		}
		check("a draft offer")
		offer.Status = targeted.Published
		if err := tsvc.SaveOffer(ctx, empl, &offer); err != nil {
			t.Fatal(err)
		}
		check("an offer published")
		app := targeted.Application{OfferID: offer.ID, LearnerID: f.student.ID, Status: targeted.Submitted, SubmittedAt: now, UpdatedAt: now}
		if err := s.Targeted.CreateApplication(ctx, sys, &app); err != nil {
			t.Fatal(err)
		}
		check("an application")
		for _, to := range []targeted.Status{targeted.ContractSigned, targeted.Fulfilled} {
			if err := s.Targeted.MoveApplication(ctx, sys, app.ID, func(x *targeted.ApplicationView, _ targeted.Offer) error {
				x.Status = to
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			check("an application " + string(to))
		}
		offer.Places = 5
		if err := tsvc.SaveOffer(ctx, empl, &offer); err != nil {
			t.Fatal(err)
		}
		check("an offer's places")
		if _, err := s.write.ExecContext(ctx, `UPDATE learner SET status = 'graduate', graduation_year = 2026 WHERE id = $1`, f.student.ID); err != nil {
			t.Fatal(err)
		}
		check("a student under contract graduated")
		if _, err := s.write.ExecContext(ctx, `UPDATE learner SET graduation_year = 2025 WHERE id = $1`, f.student.ID); err != nil {
			t.Fatal(err)
		}
		check("a graduate's year corrected")

		if _, err := s.write.ExecContext(ctx, `DELETE FROM learner WHERE id = $1`, p11.ID); err != nil {
			t.Fatal(err)
		}
		check("a pupil deleted")
	})
}

// TestRecountRepairsDrift spoils each kept table and checks that the full
// recount finds the drift, tells its size and repairs it.
func TestRecountRepairsDrift(t *testing.T) {
	engines(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		f := seed(t, s)
		now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
		year := guidance.YearOf(now)
		school := auth.Scope{Role: auth.School, RegionCode: "41", OrgID: f.school.ID, UserID: 1}
		ev := guidance.Event{RegionCode: "41", OrganiserID: f.school.ID, Kind: guidance.Horizons, Title: "Урок",
			HeldOn: time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC), GradeFrom: 6, GradeTo: 11, Hours: 1}
		if err := s.Guidance.CreateEvent(ctx, &ev); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Guidance.AddParticipants(ctx, school, ev.ID, []int64{f.pupil.ID}); err != nil {
			t.Fatal(err)
		}
		if drift, err := s.RecountTallies(ctx); err != nil || len(drift) > 0 {
			t.Fatalf("before the drift: %+v, %v", drift, err)
		}
		for _, q := range []string{
			`UPDATE learner_grade_tally SET n = n + 2 WHERE status = 'pupil'`,
			`UPDATE guidance_tally SET reached = reached - 1, ticket = ticket + 3`,
			`INSERT INTO mentor_tally VALUES ('41', ` + strconv.FormatInt(f.college.ID, 10) + `, ` + strconv.FormatInt(f.muni1.ID, 10) + `, 5, 1)`,
			`INSERT INTO targeted_tally VALUES ('41', 'year', '2027', 1, 10, 0, 0, 0, 0)`,
			`INSERT INTO contract_tally VALUES ('41', 'graduate', 2025, 7)`,
			`INSERT INTO pair_tally VALUES ('41', 1, 'pupil_pupil', 'active', 1, 2)`,
		} {
			if _, err := s.write.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		drift, err := s.RecountTallies(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []Drift{{"learner_grade_tally", 1, 2}, {"guidance_tally", 1, 4}, {"mentor_tally", 1, 6}, {"targeted_tally", 1, 11}, {"contract_tally", 1, 7}, {"pair_tally", 1, 3}}
		if !reflect.DeepEqual(drift, want) {
			t.Errorf("drift %+v, want %+v", drift, want)
		}
		if drift, err := s.RecountTallies(ctx); err != nil || len(drift) > 0 {
			t.Errorf("after the repair: %+v, %v", drift, err)
		}
		agreeWithLearners(t, s, "the repair", f, year, now)
	})
}
