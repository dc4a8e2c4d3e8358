package api

import (
	"bytes"
	"net/http/httptest"
	"testing"
	"unicode/utf8"

	"marshrut/internal/apperr"
	"marshrut/internal/auth"
)

// requestKind is one type of request body the API decodes, with the
// conversion into a domain value that follows the decoding, where there is one.
type requestKind struct {
	name    string
	new     func() any
	convert func(v any) error
}

// requestKinds are the types of every POST and PUT body of the API.
var requestKinds = func() []requestKind {
	sc := auth.SystemScope("41")
	plain := func(name string, fn func() any) requestKind { return requestKind{name: name, new: fn} }
	return []requestKind{
		{"learner", func() any { return new(learnerDTO) }, func(v any) error { _, err := v.(*learnerDTO).learner(1); return err }},
		{"stage", func() any { return new(stageDTO) }, func(v any) error { _, err := v.(*stageDTO).stage(1); return err }},
		{"outcome", func() any { return new(outcomeDTO) }, func(v any) error { _, err := v.(*outcomeDTO).outcome(1); return err }},
		{"organisation", func() any { return new(organisationDTO) }, func(v any) error { _, err := v.(*organisationDTO).organisation(1, sc); return err }},
		{"event", func() any { return new(eventDTO) }, func(v any) error { _, err := v.(*eventDTO).event(0, sc); return err }},
		{"offer", func() any { return new(offerDTO) }, func(v any) error { _, err := v.(*offerDTO).offer(1, sc); return err }},
		{"move", func() any { return new(moveRequest) }, func(v any) error { _, _, err := v.(*moveRequest).transition(); return err }},
		{"run", func() any { return new(startRunRequest) }, func(v any) error { _, _, _, err := v.(*startRunRequest).run(); return err }},
		{"decision", func() any { return new(decisionRequest) }, func(v any) error { _, err := v.(*decisionRequest).decision(); return err }},
		{"cluster", func() any { return new(clusterDTO) }, func(v any) error { _, err := v.(*clusterDTO).cluster(1); return err }},
		plain("booking", func() any { return new(bookingRequest) }),
		plain("learner ids", func() any { return new(learnerIDsRequest) }),
		plain("informing", func() any { return new(informingRequest) }),
		plain("level", func() any { return new(levelRequest) }),
		plain("ddo", func() any { return new(ddoRequest) }),
		plain("apply", func() any { return new(applyRequest) }),
		plain("value", func() any { return new(valueRequest) }),
		plain("criteria", func() any { return new(criteriaDTO) }),
		plain("defence", func() any { return new(defenceRequest) }),
		plain("commission", func() any { return new(commissionRequest) }),
		plain("sheet", func() any { return new(sheetRequest) }),
		plain("sign", func() any { return new(signRequest) }),
		plain("programme", func() any { return new(programmeDTO) }),
		plain("mentor", func() any { return new(mentorDTO) }),
		plain("pairs", func() any { return new(pairsRequest) }),
		plain("meeting", func() any { return new(meetingDTO) }),
		plain("feedback", func() any { return new(feedbackDTO) }),
		plain("finish", func() any { return new(finishRequest) }),
		plain("train", func() any { return new(trainRequest) }),
		plain("open case", func() any { return new(openCaseRequest) }),
		plain("action", func() any { return new(actionRequest) }),
		plain("close", func() any { return new(closeRequest) }),
	}
}()

// FuzzDecode feeds arbitrary bodies to the decoder of every request type and
// to the conversion that follows: each either accepts the body or refuses it
// with an Invalid error whose Russian message is valid UTF-8; none panics.
func FuzzDecode(f *testing.F) {
	for i := range requestKinds {
		for _, s := range []string{`{}`, `{"x":1}`, `{"id":1} {}`, `[`, ``, `null`, `{"name":"\ud800"}`} {
			f.Add(uint8(i), []byte(s))
		}
	}
	for _, s := range []string{
		`{"last_name":"Иванова","first_name":"Мария","birth_date":"2011-03-04","snils":"112-233-445 95","status":"pupil","org_id":1,"grade":9}`,
		`{"last_name":"Иванова","first_name":"Мария","birth_date":"31.02.2011","sex":"x","grade":-1}`,
		`{"last_name":1e999}`,
	} {
		f.Add(uint8(0), []byte(s))
	}
	f.Add(uint8(6), []byte(`{"to":"contract","contract":{"number":"1","signed":"2026-01-01"}}`))
	f.Add(uint8(7), []byte(`{"mode":"optimal","round":2,"seed":18446744073709551615}`))
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		k := requestKinds[int(which)%len(requestKinds)]
		r := httptest.NewRequest("POST", "/api/v1/x", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		v := k.new()
		err := decode(httptest.NewRecorder(), r, v)
		if err == nil && k.convert != nil {
			err = k.convert(v)
		}
		if err == nil {
			return
		}
		if apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("%s: %v is not a refusal of the input", k.name, err)
		}
		if msg := apperr.Message(err); msg == "" || !utf8.ValidString(msg) {
			t.Fatalf("%s: message %q", k.name, msg)
		}
	})
}
