package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
	"marshrut/internal/classifier"
	"marshrut/internal/ddo"
	"marshrut/internal/guidance"
	"marshrut/internal/learner"
	"marshrut/internal/youth"
)

// profilePage is the profile the young person keeps beside what the
// organisation recorded, and the same read for the résumé.
type profilePage struct {
	Card         learner.Card
	Profile      youth.Profile
	Achievements []youth.Achievement
	Practice     []learner.Stage
	Leading      []ddo.Type
	DDOOn        time.Time
	Munis        []classifier.Municipality
	Chosen       map[int64]bool
	Kinds        []youth.AchievementKind
	Wishes       []youth.Wish
	Editable     bool
	Year         int
	Done, Error  string
}

func (w *Web) profileData(r *http.Request, sc auth.Scope) (profilePage, error) {
	ctx := r.Context()
	var p profilePage
	card, err := w.d.Learners.Get(ctx, sc, sc.LearnerID)
	if err != nil {
		return p, err
	}
	p.Card, p.Editable, p.Year = card, sc.Role == auth.Learner, w.d.Youth.Now().Year()
	if p.Profile, p.Achievements, err = w.d.Youth.ProfileOf(ctx, sc, sc.LearnerID); err != nil {
		return p, err
	}
	for _, s := range card.Stages {
		if s.Kind == learner.StagePractice {
			p.Practice = append(p.Practice, s)
		}
	}
	if w.d.Guidance != nil {
		g, err := w.d.Guidance.ForLearner(ctx, sc, sc.LearnerID)
		if err != nil {
			return p, err
		}
		if len(g.Diagnostics) > 0 {
			p.Leading, p.DDOOn = g.Diagnostics[0].Result.Leading(), g.Diagnostics[0].TakenOn
		}
	}
	if w.d.Municipalities != nil {
		if p.Munis, err = w.d.Municipalities.Municipalities(ctx, sc.RegionCode); err != nil {
			return p, err
		}
	}
	p.Chosen = map[int64]bool{}
	for _, m := range p.Profile.Municipalities {
		p.Chosen[m] = true
	}
	p.Kinds, p.Wishes = youth.AchievementKinds, []youth.Wish{youth.WishWork, youth.WishStudy, youth.WishBoth}
	p.Done, p.Error = r.URL.Query().Get("done"), r.URL.Query().Get("error")
	return p, nil
}

// MyProfile is the young person's profile: theirs to edit, the
// organisation's shown as such.
func (w *Web) MyProfile(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if !sc.Own() {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "профиль есть у обучающегося и его родителя"))
		return
	}
	p, err := w.profileData(r, sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "my_profile", "profile", p)
}

// Resume is the one-page résumé made from the profile, for printing.
func (w *Web) Resume(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if !sc.Own() {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "резюме есть у обучающегося"))
		return
	}
	p, err := w.profileData(r, sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "resume", "profile", p)
}

// SaveProfile keeps the profile's form.
func (w *Web) SaveProfile(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if err := r.ParseForm(); err != nil {
		w.Error(rw, r, apperr.New(apperr.Invalid, "форма не прочитана"))
		return
	}
	p := youth.Profile{Phone: r.PostFormValue("phone"), Email: r.PostFormValue("email"), Wish: youth.Wish(r.PostFormValue("wish")),
		Relocation: r.PostFormValue("relocation") == "1", Schedule: r.PostFormValue("schedule"), About: r.PostFormValue("about"),
		ShowContacts: r.PostFormValue("show_contacts") == "1"}
	var err error
	if v := strings.ReplaceAll(strings.TrimSpace(r.PostFormValue("min_pay")), " ", ""); v != "" {
		if p.MinPay, err = strconv.Atoi(v); err != nil {
			w.afterPost(rw, r, "/me/profile", "", apperr.Field("min_pay", "зарплата «%s» — не целое число рублей", v))
			return
		}
	}
	for _, v := range r.PostForm["muni"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			w.afterPost(rw, r, "/me/profile", "", apperr.Field("municipalities", "«%s» не является номером муниципального образования", v))
			return
		}
		p.Municipalities = append(p.Municipalities, id)
	}
	err = w.d.Youth.SaveProfile(r.Context(), sc, p)
	w.afterPost(rw, r, "/me/profile", "Профиль сохранён", err)
}

// AddAchievement adds an achievement from the profile's form.
func (w *Web) AddAchievement(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	_, err := w.d.Youth.AddAchievement(r.Context(), sc, youth.Achievement{Kind: youth.AchievementKind(r.PostFormValue("kind")),
		Title: r.PostFormValue("title"), Year: year, Result: r.PostFormValue("result")})
	w.afterPost(rw, r, "/me/profile", "Достижение добавлено", err)
}

// DeleteAchievement removes an achievement.
func (w *Web) DeleteAchievement(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	err := w.d.Youth.DeleteAchievement(r.Context(), sc, id)
	w.afterPost(rw, r, "/me/profile", "Достижение удалено", err)
}

// profileExport is the whole profile as the person's data: what they keep
// and what the organisations recorded about them.
type profileExport struct {
	ExportedAt   string              `json:"exported_at"`
	Person       exportPerson        `json:"person"`
	Route        []exportStage       `json:"route"`
	Employment   []exportOutcome     `json:"employment"`
	Profile      youth.Profile       `json:"profile"`
	Achievements []youth.Achievement `json:"achievements"`
	Consents     []youth.Consent     `json:"consents"`
	Diagnostics  []exportDiagnostic  `json:"diagnostics"`
	Responses    []exportResponse    `json:"responses"`
	Events       []exportEvent       `json:"guidance_events"`
	Note         string              `json:"note"`
}

type exportPerson struct {
	LastName, FirstName, MiddleName string
	BirthDate                       string
	SNILS                           string
	Status                          string
	Organisation                    string
	Municipality                    string
	Grade                           int     `json:",omitempty"`
	Specialty                       string  `json:",omitempty"`
	GraduationYear                  int     `json:",omitempty"`
	AvgGrade                        float64 `json:",omitempty"`
	DemoExam                        int     `json:",omitempty"`
}

type exportStage struct {
	Kind, Organisation, Specialty, Start, End, Note string
}

type exportOutcome struct {
	Status, Employer, Start, End, Source string
}

type exportDiagnostic struct {
	TakenOn string
	Points  map[string]int
	Leading []string
}

type exportResponse struct {
	Vacancy, Employer, Status, Reason, Message, Contact, Sent string
}

type exportEvent struct {
	Title, HeldOn string
}

// ProfileExport hands the whole profile out as a JSON file.
func (w *Web) ProfileExport(rw http.ResponseWriter, r *http.Request) {
	_, sc, _ := auth.Caller(r.Context())
	if !sc.Own() {
		w.Error(rw, r, apperr.New(apperr.Forbidden, "выгрузка профиля — для самого обучающегося и его родителя"))
		return
	}
	ctx := r.Context()
	p, err := w.profileData(r, sc)
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	l := p.Card.Learner
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	}
	out := profileExport{ExportedAt: w.d.Youth.Now().UTC().Format(time.RFC3339), Profile: p.Profile, Achievements: p.Achievements,
		Note: "Все сведения о вас в Маршруте: то, что ведёте вы, и то, что записали школа, колледж, вуз и работодатели."}
	out.Person = exportPerson{LastName: l.LastName, FirstName: l.FirstName, MiddleName: l.MiddleName, BirthDate: day(l.BirthDate), SNILS: l.SNILS,
		Status: l.Status.Name(), Organisation: l.OrgName, Municipality: l.Municipality, Grade: l.Grade, GraduationYear: l.GraduationYear,
		AvgGrade: l.AvgGrade, DemoExam: l.DemoExam}
	if l.SpecialtyCode != "" {
		out.Person.Specialty = l.SpecialtyCode + " " + l.SpecialtyName
	}
	for _, s := range p.Card.Stages {
		out.Route = append(out.Route, exportStage{Kind: s.Kind.Name(), Organisation: s.OrgName, Specialty: s.SpecialtyCode, Start: day(s.Start), End: day(s.End), Note: s.Note})
	}
	for _, o := range p.Card.Outcomes {
		out.Employment = append(out.Employment, exportOutcome{Status: o.Status.Name(), Employer: o.EmployerName, Start: day(o.Start), End: day(o.End), Source: learner.SourceName(o.Source)})
	}
	if _, out.Consents, err = w.d.Youth.Consents(ctx, sc, sc.LearnerID); err != nil {
		w.Error(rw, r, err)
		return
	}
	if w.d.Guidance != nil {
		g, err := w.d.Guidance.ForLearner(ctx, sc, sc.LearnerID)
		if err != nil {
			w.Error(rw, r, err)
			return
		}
		for _, d := range g.Diagnostics {
			x := exportDiagnostic{TakenOn: day(d.TakenOn), Points: map[string]int{}}
			for _, t := range ddo.Types() {
				x.Points[t.Title()] = d.Result.Points[t]
			}
			for _, t := range d.Result.Leading() {
				x.Leading = append(x.Leading, t.Title())
			}
			out.Diagnostics = append(out.Diagnostics, x)
		}
		out.Events = exportEvents(g.Events)
	}
	rs, _, err := w.d.Youth.Responses(ctx, sc, youth.ResponseFilter{Limit: 200})
	if err != nil {
		w.Error(rw, r, err)
		return
	}
	for _, x := range rs {
		out.Responses = append(out.Responses, exportResponse{Vacancy: x.Vacancy, Employer: x.Employer, Status: x.Status.Name(), Reason: x.Reason,
			Message: x.Message, Contact: x.Contact, Sent: day(x.CreatedAt)})
	}
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	rw.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="marshrut-profile-%d.json"`, sc.LearnerID))
	enc := json.NewEncoder(rw)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}

func exportEvents(es []guidance.Event) []exportEvent {
	out := make([]exportEvent, 0, len(es))
	for _, e := range es {
		out = append(out, exportEvent{Title: e.Title, HeldOn: e.HeldOn.Format("2006-01-02")})
	}
	return out
}
