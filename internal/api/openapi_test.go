package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"marshrut/internal/auth"
	"marshrut/internal/ddo"
	"marshrut/internal/exchange"
	"marshrut/internal/guidance"
	"marshrut/internal/learner"
	"marshrut/internal/org"
	"marshrut/internal/tables"
	"marshrut/internal/targeted"
	"marshrut/internal/youth"
)

// doc is openapi.json as generic JSON.
type doc = map[string]any

func loadDoc(t *testing.T) doc {
	t.Helper()
	var d doc
	if err := json.Unmarshal(openapiDoc, &d); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	return d
}

// resolve follows a local $ref ("#/components/schemas/Learner").
func resolve(t *testing.T, d doc, v any) map[string]any {
	t.Helper()
	m, _ := v.(map[string]any)
	for m != nil {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		m = lookup(d, ref)
		if m == nil {
			t.Fatalf("$ref %s leads nowhere", ref)
		}
	}
	return m
}

func lookup(d doc, ref string) map[string]any {
	if !strings.HasPrefix(ref, "#/") {
		return nil
	}
	var cur any = d
	for _, p := range strings.Split(ref[2:], "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	m, _ := cur.(map[string]any)
	return m
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// operations lists the document's operations as "GET /learners/{id}".
func operations(d doc) map[string]map[string]any {
	out := map[string]map[string]any{}
	paths, _ := d["paths"].(map[string]any)
	for path, item := range paths {
		item, _ := item.(map[string]any)
		for _, m := range httpMethods {
			if op, ok := item[m].(map[string]any); ok {
				out[strings.ToUpper(m)+" "+path] = op
			}
		}
	}
	return out
}

func TestOpenAPIDocument(t *testing.T) {
	d := loadDoc(t)
	if v, _ := d["openapi"].(string); !regexp.MustCompile(`^3\.0\.\d+$`).MatchString(v) {
		t.Errorf("openapi = %q, want 3.0.x", v)
	}
	info, _ := d["info"].(map[string]any)
	if info["title"] == nil || info["version"] == nil {
		t.Errorf("info lacks title or version: %v", info)
	}
	servers, _ := d["servers"].([]any)
	if len(servers) != 1 || servers[0].(map[string]any)["url"] != Prefix {
		t.Errorf("servers = %v, want the one %s", servers, Prefix)
	}
	bearer := lookup(d, "#/components/securitySchemes/bearerAuth")
	if bearer["type"] != "http" || bearer["scheme"] != "bearer" || !strings.Contains(bearer["description"].(string), "Bearer mrt_") {
		t.Errorf("bearer scheme: %v", bearer)
	}
	if sec, _ := json.Marshal(d["security"]); string(sec) != `[{"bearerAuth":[]}]` {
		t.Errorf("global security = %s, want the bearer scheme", sec)
	}
	// Every $ref anywhere leads somewhere.
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok && lookup(d, ref) == nil {
				t.Errorf("$ref %s leads nowhere", ref)
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(d)
}

// TestOpenAPIMatchesRoutes fails when a route of the table is missing from the
// document, or the document describes a route the API does not serve.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	d := loadDoc(t)
	ops := operations(d)
	routes := map[string]route{}
	for _, rt := range (&api{}).routes() {
		key := rt.method + " " + rt.pattern
		if _, dup := routes[key]; dup {
			t.Errorf("route %s is in the table twice", key)
		}
		routes[key] = rt
	}
	for key := range routes {
		if ops[key] == nil {
			t.Errorf("route %s is missing from openapi.json", key)
		}
	}
	for key := range ops {
		if _, ok := routes[key]; !ok {
			t.Errorf("openapi.json describes %s, which no route serves", key)
		}
	}
	reParam := regexp.MustCompile(`\{([^}]+)\}`)
	paths, _ := d["paths"].(map[string]any)
	for key, rt := range routes {
		op := ops[key]
		if op == nil {
			continue
		}
		if op["summary"] != rt.summary {
			t.Errorf("%s: summary %q in openapi.json, %q in the route table", key, op["summary"], rt.summary)
		}
		if desc, _ := op["description"].(string); desc == "" {
			t.Errorf("%s has no description", key)
		}
		// Public routes waive the bearer token; the others keep the global one.
		sec, hasSec := op["security"]
		if rt.public && (!hasSec || len(sec.([]any)) != 0) {
			t.Errorf("%s is public, its security should be []", key)
		}
		if !rt.public && hasSec {
			t.Errorf("%s overrides the bearer security", key)
		}
		responses, _ := op["responses"].(map[string]any)
		var ok2xx bool
		for code := range responses {
			ok2xx = ok2xx || strings.HasPrefix(code, "2")
		}
		if !ok2xx {
			t.Errorf("%s has no 2xx response", key)
		}
		if !rt.public && responses["401"] == nil {
			t.Errorf("%s does not document 401", key)
		}
		if (rt.method == "POST" || rt.method == "PUT") && (responses["400"] == nil || op["requestBody"] == nil) {
			t.Errorf("%s does not document its request body and 400", key)
		}
		// Every {name} of the path is declared as a path parameter.
		path := strings.TrimPrefix(key, rt.method+" ")
		declared := map[string]bool{}
		item, _ := paths[path].(map[string]any)
		for _, list := range []any{item["parameters"], op["parameters"]} {
			ps, _ := list.([]any)
			for _, p := range ps {
				p := resolve(t, d, p)
				if p["in"] == "path" {
					declared[p["name"].(string)] = true
				}
			}
		}
		for _, m := range reParam.FindAllStringSubmatch(path, -1) {
			if !declared[m[1]] {
				t.Errorf("%s: path parameter %s is not declared", key, m[1])
			}
			delete(declared, m[1])
		}
		for name := range declared {
			t.Errorf("%s declares path parameter %s that its path lacks", key, name)
		}
	}
}

// TestOpenAPISchemasMatchDTOs keeps the schemas of the document and the JSON
// tags of the api types in step.
func TestOpenAPISchemasMatchDTOs(t *testing.T) {
	d := loadDoc(t)
	for schema, v := range map[string]any{
		"Learner":          learnerDTO{},
		"Card":             cardDTO{},
		"Stage":            stageDTO{},
		"Outcome":          outcomeDTO{},
		"Organisation":     organisationDTO{},
		"Me":               meDTO{},
		"User":             userDTO{},
		"UserList":         items[userDTO]{},
		"UserStateRequest": userStateRequest{},
		"PasswordReset":    resetDTO{},
		"PasswordRequest":  passwordRequest{},
		"Token":            tokenDTO{},
		"TokenList":        items[tokenDTO]{},
		"FieldError":       fieldDetail{},
		"LearnerPage":      list[learnerDTO]{},
		"OrganisationPage": list[organisationDTO]{},
		"StageList":        items[stageDTO]{},
		"OutcomeList":      items[outcomeDTO]{},
		"ImportReport":     importReportDTO{},
		"ImportIssue":      importIssueDTO{},

		"Event":               eventDTO{},
		"EventCard":           eventCardDTO{},
		"EventPage":           list[eventDTO]{},
		"Booking":             bookingDTO{},
		"BookingRequest":      bookingRequest{},
		"ParticipantsRequest": learnerIDsRequest{},
		"ParticipantsAdded":   addedDTO{},
		"Participant":         participantDTO{},
		"ParticipantList":     items[participantDTO]{},
		"Pupil":               pupilDTO{},
		"PupilPage":           list[pupilDTO]{},
		"Coverage":            coverageDTO{},
		"CoverageRow":         coverageRowDTO{},
		"CoverageMonth":       monthDTO{},
		"InformingRequest":    informingRequest{},
		"LevelRequest":        levelRequest{},
		"DdoRequest":          ddoRequest{},
		"DdoPoints":           ddoPointsDTO{},
		"DdoLevels":           ddoLevelsDTO{},
		"DdoResult":           ddoDTO{},
		"DdoResultList":       items[ddoDTO]{},

		"BulkRequest":           bulkRequest{},
		"BulkResult":            bulkDTO{},
		"Service":               serviceDTO{},
		"ServicePage":           list[serviceDTO]{},
		"ServiceRequest":        serviceRequest{},
		"Referral":              referralDTO{},
		"ReferralPage":          list[referralDTO]{},
		"ReferRequest":          referRequest{},
		"ReferralResultRequest": resultRequest{},

		"Offer":           offerDTO{},
		"OfferSupport":    supportDTO{},
		"OfferPage":       list[offerDTO]{},
		"ApplyRequest":    applyRequest{},
		"Application":     applicationDTO{},
		"ApplicationCard": applicationCardDTO{},
		"ApplicationStep": stepDTO{},
		"ApplicationPage": list[applicationDTO]{},
		"MoveRequest":     moveRequest{},
		"Figures":         figuresDTO{},
		"FiguresRow":      figuresRowDTO{},
		"TargetedFigures": targetedFiguresDTO{},

		"ScoreComponent":  componentDTO{},
		"Score":           scoreDTO{},
		"Recommendation":  recommendationDTO{},
		"Recommendations": recommendationsDTO{},
		"Applicant":       applicantDTO{},
		"Applicants":      applicantsDTO{},
		"Run":             runDTO{},
		"RunList":         items[runDTO]{},
		"StartRunRequest": startRunRequest{},
		"Proposal":        proposalDTO{},
		"ProposalPage":    list[proposalDTO]{},
		"DecisionRequest": decisionRequest{},
		"EmploymentRow":   employmentRowDTO{},
		"RatingRow":       ratingRowDTO{},
		"Employment":      employmentDTO{},

		"MyProfile":             profileDTO{},
		"Wishes":                wishesDTO{},
		"Achievement":           achievementDTO{},
		"Consent":               consentDTO{},
		"ConsentList":           items[consentDTO]{},
		"ConsentRequest":        consentRequest{},
		"Response":              responseDTO{},
		"ResponsePage":          list[responseDTO]{},
		"RespondRequest":        respondRequest{},
		"ResponseStatusRequest": responseStatusRequest{},
		"AnswerRequest":         answerRequest{},
		"ProposalList":          items[proposalDTO]{},
		"Message":               messageDTO{},
		"MessageList":           messagesDTO{},
	} {
		t.Run(schema, func(t *testing.T) {
			got := properties(t, d, lookup(d, "#/components/schemas/"+schema))
			want := jsonNames(reflect.TypeOf(v))
			if !slices.Equal(got, want) {
				t.Errorf("schema %s has %v;\nthe type has %v", schema, got, want)
			}
		})
	}
	errSchema := resolve(t, d, lookup(d, "#/components/schemas/Error")["properties"].(map[string]any)["error"])
	if got, want := properties(t, d, errSchema), jsonNames(reflect.TypeOf(errorDTO{})); !slices.Equal(got, want) {
		t.Errorf("schema Error has %v; the type has %v", got, want)
	}
}

// properties lists the property names of a schema, through allOf, sorted.
func properties(t *testing.T, d doc, s map[string]any) []string {
	t.Helper()
	if s == nil {
		t.Fatal("no such schema")
	}
	var out []string
	props, _ := s["properties"].(map[string]any)
	for name := range props {
		out = append(out, name)
	}
	all, _ := s["allOf"].([]any)
	for _, part := range all {
		out = append(out, properties(t, d, resolve(t, d, part))...)
	}
	sort.Strings(out)
	return out
}

// jsonNames lists the JSON names encoding/json gives the fields of t, sorted.
func jsonNames(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "":
			out = append(out, jsonNames(f.Type)...)
		case name != "":
			out = append(out, name)
		case f.IsExported():
			out = append(out, f.Name)
		}
	}
	sort.Strings(out)
	return out
}

// TestOpenAPIEnums keeps the enumerations of the document and of the domain in step.
func TestOpenAPIEnums(t *testing.T) {
	d := loadDoc(t)
	enum := func(ref string) []string {
		var out []string
		for _, v := range resolve(t, d, lookup(d, ref))["enum"].([]any) {
			out = append(out, v.(string))
		}
		return out
	}
	param := func(path, method, name string) map[string]any {
		op := operations(d)[method+" "+path]
		for _, p := range op["parameters"].([]any) {
			if p := resolve(t, d, p); p["name"] == name {
				return resolve(t, d, p["schema"])
			}
		}
		t.Fatalf("%s %s has no parameter %s", method, path, name)
		return nil
	}
	paramEnum := func(path, name string) []string {
		var out []string
		for _, v := range param(path, "GET", name)["enum"].([]any) {
			out = append(out, v.(string))
		}
		return out
	}
	propEnum := func(schema, prop string) []string {
		var out []string
		props, _ := lookup(d, "#/components/schemas/"+schema)["properties"].(map[string]any)
		p := resolve(t, d, props[prop])
		vs, _ := p["enum"].([]any)
		for _, v := range vs {
			out = append(out, v.(string))
		}
		return out
	}
	for _, c := range []struct {
		name      string
		got, want []string
	}{
		{"LearnerStatus", enum("#/components/schemas/LearnerStatus"), names(learner.Statuses)},
		{"StudyForm", enum("#/components/schemas/StudyForm"), names([]learner.Form{learner.FullTime, learner.Mixed, learner.Distance})},
		{"StageKind", enum("#/components/schemas/StageKind"), names(learner.StageKinds)},
		{"OutcomeStatus", enum("#/components/schemas/OutcomeStatus"), names(learner.OutcomeStatuses)},
		{"OrganisationKind", enum("#/components/schemas/OrganisationKind"), names(org.Kinds)},
		{"Role", enum("#/components/schemas/Role"), names(auth.Roles)},
		{"ResponseStatus", enum("#/components/schemas/ResponseStatus"), names(youth.ResponseStatuses)},
		{"ConsentKind", enum("#/components/schemas/ConsentKind"), names(youth.ConsentKinds)},
		{"AchievementKind", enum("#/components/schemas/AchievementKind"), names(youth.AchievementKinds)},
		{"EventKind", enum("#/components/schemas/EventKind"), names(guidance.Kinds)},
		{"InformMethod", enum("#/components/schemas/InformMethod"), names(guidance.Methods)},
		{"ProfminimumLevel", enum("#/components/schemas/ProfminimumLevel"), names(guidance.Levels)},
		{"DdoType", enum("#/components/schemas/DdoType"), names(ddo.Types())},
		{"DdoLevel", enum("#/components/schemas/DdoLevel"), names([]ddo.Level{ddo.Low, ddo.Medium, ddo.High})},
		{"OfferStatus", enum("#/components/schemas/OfferStatus"), names(targeted.OfferStatuses())},
		{"ApplicationStatus", enum("#/components/schemas/ApplicationStatus"), names(targeted.Statuses())},
		{"EducationLevel", enum("#/components/schemas/EducationLevel"), names([]targeted.Level{targeted.SPO, targeted.VO})},
		{"learner sort", paramEnum("/learners", "sort"), learnerSorts},
		{"organisation sort", paramEnum("/organisations", "sort"), organisationSorts},
		{"coverage by", paramEnum("/guidance/coverage", "by"), coverageCuts},
		{"pupils not", paramEnum("/guidance/pupils", "not"), pupilGaps},
		{"RunMode", enum("#/components/schemas/RunMode"), names(runModes)},
		{"RunStatus", enum("#/components/schemas/RunStatus"), names(runStatuses)},
		{"ProposalStatus", enum("#/components/schemas/ProposalStatus"), names(proposalStatuses)},
		{"ProposalDecision", enum("#/components/schemas/ProposalDecision"), names(decisions)},
		{"Travel", enum("#/components/schemas/Travel"), travelNames},
		{"employment by", paramEnum("/employment", "by"), employmentCuts},
		{"Employment.by", propEnum("Employment", "by"), employmentCuts},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: openapi.json has %v, the code %v", c.name, c.got, c.want)
		}
	}
	limit := resolve(t, d, lookup(d, "#/components/parameters/Limit")["schema"])
	if limit["maximum"] != float64(maxLimit) || limit["default"] != float64(defaultLimit) {
		t.Errorf("limit schema %v, want default %d and maximum %d", limit, defaultLimit, maxLimit)
	}
}

func TestOpenAPIServed(t *testing.T) {
	e := newEnv(t)
	res := e.get(t, "", Prefix+"/openapi.json")
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") || !bytes.Equal(res.body, openapiDoc) {
		t.Errorf("served %d %s, %d bytes", res.status, res.header.Get("Content-Type"), len(res.body))
	}
}

// TestOpenAPIFiles keeps the description of the exports and the import in
// step with the code: the formats, the columns of the files, the fields a
// mapping may name, the media types.
func TestOpenAPIFiles(t *testing.T) {
	d := loadDoc(t)
	ops := operations(d)
	enumOf := func(p map[string]any) []string {
		var out []string
		for _, v := range resolve(t, d, p["schema"])["enum"].([]any) {
			out = append(out, v.(string))
		}
		return out
	}
	param := func(key, name string) map[string]any {
		for _, p := range ops[key]["parameters"].([]any) {
			if p := resolve(t, d, p); p["name"] == name {
				return p
			}
		}
		t.Fatalf("%s has no parameter %s", key, name)
		return nil
	}
	for key, cols := range map[string][]exchange.Column{"GET /learners": tables.LearnerColumns, "GET /organisations": tables.OrgColumns} {
		if got := enumOf(param(key, "format")); !slices.Equal(got, exportFormats) {
			t.Errorf("%s: format %v, the code %v", key, got, exportFormats)
		}
		ok := resolve(t, d, ops[key]["responses"].(map[string]any)["200"])
		desc, _ := ok["description"].(string)
		for _, c := range cols {
			if !strings.Contains(desc, c.Title) {
				t.Errorf("%s: the 200 response does not name the column «%s»", key, c.Title)
			}
		}
		content, _ := ok["content"].(map[string]any)
		for _, mt := range []string{"application/json", "text/csv", xlsxType} {
			if content[mt] == nil {
				t.Errorf("%s: no %s response", key, mt)
			}
		}
	}
	const imp = "POST /imports/learners"
	if got := enumOf(param(imp, "format")); !slices.Equal(got, exportFormats) {
		t.Errorf("import format %v", got)
	}
	mapDesc := param(imp, "map")["description"].(string)
	for _, f := range exchange.LearnerFields {
		if !strings.Contains(mapDesc, f.Key+" — "+f.Title) {
			t.Errorf("the map parameter does not name the field %s — %s", f.Key, f.Title)
		}
	}
	content := ops[imp]["requestBody"].(map[string]any)["content"].(map[string]any)
	want := []string{"multipart/form-data"}
	for mt := range uploadTypes {
		want = append(want, mt)
	}
	var got []string
	for mt := range content {
		got = append(got, mt)
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("request media types %v, the code takes %v", got, want)
	}
	if ops[imp]["responses"].(map[string]any)["413"] == nil {
		t.Error("the import does not document 413")
	}
}
