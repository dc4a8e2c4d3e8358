package api

import (
	"errors"
	"net/http"
	"strconv"

	"marshrut/internal/apperr"
	"marshrut/internal/youth"
)

// The young person's own side under /me/…: the profile with the consents,
// responses to vacancies (and the employer's answers), proposals of
// matching, and the inbox of every user.

// withYouth serves h only when the API was given the young person's service.
func (a *api) withYouth(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, c caller) error {
		if a.d.Youth == nil {
			return errors.New("api: Deps.Youth is not set")
		}
		return h(w, r, c)
	}
}

type consentDTO struct {
	Kind  string `json:"kind"`
	Name  string `json:"name"`
	Given bool   `json:"given"`
	By    string `json:"by"`
	At    string `json:"at"`
}

func fromConsent(c youth.Consent) consentDTO {
	return consentDTO{Kind: string(c.Kind), Name: c.Kind.Name(), Given: c.Given, By: c.ByName, At: formatTime(c.At)}
}

type profileDTO struct {
	Learner      learnerDTO       `json:"learner"`
	Minor        bool             `json:"minor"`
	Consents     []consentDTO     `json:"consents"`
	Wishes       wishesDTO        `json:"wishes"`
	Achievements []achievementDTO `json:"achievements"`
}

// wishesDTO is what the young person keeps: contacts and wishes.
type wishesDTO struct {
	Phone          string  `json:"phone"`
	Email          string  `json:"email"`
	ShowContacts   bool    `json:"show_contacts"`
	Wish           string  `json:"wish"`
	Municipalities []int64 `json:"municipality_ids"`
	Relocation     bool    `json:"relocation"`
	MinPay         int     `json:"min_pay"`
	Schedule       string  `json:"schedule"`
	About          string  `json:"about"`
}

type achievementDTO struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	Year   int    `json:"year"`
	Result string `json:"result"`
}

func fromAchievement(a youth.Achievement) achievementDTO {
	return achievementDTO{ID: a.ID, Kind: string(a.Kind), Title: a.Title, Year: a.Year, Result: a.Result}
}

type consentRequest struct {
	Kind  string `json:"kind"`
	Given bool   `json:"given"`
}

type responseDTO struct {
	ID             int64   `json:"id"`
	VacancyID      string  `json:"vacancy_id"`
	Vacancy        string  `json:"vacancy"`
	Employer       string  `json:"employer"`
	LearnerID      int64   `json:"learner_id"`
	Learner        string  `json:"learner"`
	SpecialtyCode  string  `json:"specialty_code"`
	SpecialtyName  string  `json:"specialty_name"`
	OrgName        string  `json:"org_name"`
	GraduationYear int     `json:"graduation_year"`
	DemoExam       int     `json:"demo_exam"`
	AvgGrade       float64 `json:"avg_grade"`
	Message        string  `json:"message"`
	Contact        string  `json:"contact"`
	Status         string  `json:"status"`
	Reason         string  `json:"reason"`
	CreatedAt      string  `json:"created_at"`
	UpdatedAt      string  `json:"updated_at"`
}

func fromResponse(x youth.Response) responseDTO {
	return responseDTO{ID: x.ID, VacancyID: x.VacancyID, Vacancy: x.Vacancy, Employer: x.Employer, LearnerID: x.LearnerID, Learner: x.Learner,
		SpecialtyCode: x.SpecialtyCode, SpecialtyName: x.SpecialtyName, OrgName: x.OrgName, GraduationYear: x.Year, DemoExam: x.DemoExam,
		AvgGrade: x.AvgGrade, Message: x.Message, Contact: x.Contact, Status: string(x.Status), Reason: x.Reason,
		CreatedAt: formatTime(x.CreatedAt), UpdatedAt: formatTime(x.UpdatedAt)}
}

type respondRequest struct {
	VacancyID string `json:"vacancy_id"`
	Message   string `json:"message"`
	Contact   string `json:"contact"`
}

type responseStatusRequest struct {
	Status string `json:"status"`
	Reason string `json:"reason"`
}

type answerRequest struct {
	Accept bool `json:"accept"`
}

type messageDTO struct {
	ID        int64   `json:"id"`
	Kind      string  `json:"kind"`
	Text      string  `json:"text"`
	Link      string  `json:"link"`
	CreatedAt string  `json:"created_at"`
	ReadAt    *string `json:"read_at"`
}

type messagesDTO struct {
	Items  []messageDTO `json:"items"`
	Unread int          `json:"unread"`
}

func fromMessage(m youth.Message) messageDTO {
	return messageDTO{ID: m.ID, Kind: m.Kind, Text: m.Text, Link: m.Link, CreatedAt: formatTime(m.CreatedAt), ReadAt: nullTime(m.ReadAt)}
}

// myProfile is the young person's own record with the state of the consents.
func (a *api) myProfile(w http.ResponseWriter, r *http.Request, c caller) error {
	if !c.scope.Own() {
		return apperr.New(apperr.Forbidden, "профиль есть у обучающегося и его родителя")
	}
	card, err := a.d.Learners.Get(r.Context(), c.scope, c.scope.LearnerID)
	if err != nil {
		return err
	}
	state, _, err := a.d.Youth.Consents(r.Context(), c.scope, c.scope.LearnerID)
	if err != nil {
		return err
	}
	p, ach, err := a.d.Youth.ProfileOf(r.Context(), c.scope, c.scope.LearnerID)
	if err != nil {
		return err
	}
	munis := p.Municipalities
	if munis == nil {
		munis = []int64{}
	}
	out := profileDTO{Learner: fromLearner(card.Learner), Minor: youth.Minor(card.Learner.BirthDate, a.d.Youth.Now()), Consents: []consentDTO{},
		Wishes: wishesDTO{Phone: p.Phone, Email: p.Email, ShowContacts: p.ShowContacts, Wish: string(p.Wish), Municipalities: munis,
			Relocation: p.Relocation, MinPay: p.MinPay, Schedule: p.Schedule, About: p.About},
		Achievements: mapSlice(ach, fromAchievement)}
	for _, k := range youth.ConsentKinds {
		if x, ok := state[k]; ok {
			out.Consents = append(out.Consents, fromConsent(x))
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// myConsents is the history of the consents, newest first.
func (a *api) myConsents(w http.ResponseWriter, r *http.Request, c caller) error {
	if !c.scope.Own() {
		return apperr.New(apperr.Forbidden, "согласия видят обучающийся и его родитель")
	}
	_, hist, err := a.d.Youth.Consents(r.Context(), c.scope, c.scope.LearnerID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items[consentDTO]{Items: mapSlice(hist, fromConsent)})
	return nil
}

// setConsent gives or withdraws a consent.
func (a *api) setConsent(w http.ResponseWriter, r *http.Request, c caller) error {
	var in consentRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := a.d.Youth.SetConsent(r.Context(), c.scope, c.scope.LearnerID, youth.ConsentKind(in.Kind), in.Given); err != nil {
		return err
	}
	_, hist, err := a.d.Youth.Consents(r.Context(), c.scope, c.scope.LearnerID)
	if err != nil || len(hist) == 0 {
		return err
	}
	writeJSON(w, http.StatusCreated, fromConsent(hist[0]))
	return nil
}

// myResponses lists the responses the caller sees.
func (a *api) myResponses(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	f := youth.ResponseFilter{Status: youth.ResponseStatus(q.oneOf("status", names(youth.ResponseStatuses)...))}
	f.Limit, f.Offset = q.page()
	if err := q.err(); err != nil {
		return err
	}
	found, total, err := a.d.Youth.Responses(r.Context(), c.scope, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[responseDTO]{Items: mapSlice(found, fromResponse), Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

// respond sends a response to a vacancy.
func (a *api) respond(w http.ResponseWriter, r *http.Request, c caller) error {
	var in respondRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	x, err := a.d.Youth.Respond(r.Context(), c.scope, in.VacancyID, in.Message, in.Contact)
	if err != nil {
		return err
	}
	if got, _, err := a.d.Youth.Responses(r.Context(), c.scope, youth.ResponseFilter{VacancyID: x.VacancyID, Limit: 1}); err != nil {
		a.d.Log.Warn("api: read back response", "id", x.ID, "err", err) // the answer is the response as saved
	} else if len(got) == 1 {
		x = got[0]
	}
	w.Header().Set("Location", Prefix+"/me/responses/"+strconv.FormatInt(x.ID, 10))
	writeJSON(w, http.StatusCreated, fromResponse(x))
	return nil
}

// myResponse is one response; the employer's first read marks it viewed.
func (a *api) myResponse(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, err := a.d.Youth.Response(r.Context(), c.scope, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromResponse(x))
	return nil
}

// answerResponse is the employer's answer or the young person's withdrawal.
func (a *api) answerResponse(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in responseStatusRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	x, err := a.d.Youth.Answer(r.Context(), c.scope, id, youth.ResponseStatus(in.Status), in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, fromResponse(x))
	return nil
}

// myProposals are the proposals of matching that concern the caller.
func (a *api) myProposals(w http.ResponseWriter, r *http.Request, c caller) error {
	ps, err := a.d.Youth.Proposals(r.Context(), c.scope)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items[proposalDTO]{Items: mapSlice(ps, fromProposal)})
	return nil
}

// answerProposal accepts or declines a sent proposal.
func (a *api) answerProposal(w http.ResponseWriter, r *http.Request, c caller) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in answerRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := a.d.Youth.AnswerProposal(r.Context(), c.scope, id, in.Accept); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// myMessages is the caller's inbox, newest first.
func (a *api) myMessages(w http.ResponseWriter, r *http.Request, c caller) error {
	q := newQuery(r)
	limit, _ := q.page()
	if err := q.err(); err != nil {
		return err
	}
	ms, unread, err := a.d.Youth.Messages(r.Context(), c.scope, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, messagesDTO{Items: mapSlice(ms, fromMessage), Unread: unread})
	return nil
}

// readMessages marks the inbox read.
func (a *api) readMessages(w http.ResponseWriter, r *http.Request, c caller) error {
	// The body may be empty; when there is one, it is the empty object.
	if r.ContentLength != 0 {
		var in struct{}
		if err := decode(w, r, &in); err != nil {
			return err
		}
	}
	if err := a.d.Youth.ReadMessages(r.Context(), c.scope); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
