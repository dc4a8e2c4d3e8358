package match

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"marshrut/internal/engine/fault"
)

// FuzzReadInstance feeds the reader arbitrary files. It must never panic; an
// error must be a displayable one; an instance it accepts must agree with
// encoding/csv's reading of the same edges, survive a round trip through
// WriteInstance, and run in both modes within the invariants of check.
func FuzzReadInstance(f *testing.F) {
	f.Add(okGraduates, okVacancies, okEdges)
	f.Add("id\nG0\n", "id,capacity\nV0,0\n", "graduate_id,vacancy_id,graduate_utility,employer_score\nG0,V0,1000,0")
	f.Add("\uFEFFid\n\"G,0\"\n G1\n", "id,capacity\r\n\"V \"\"0\"\"\",3\r\n", "graduate_id,vacancy_id,graduate_utility,employer_score\r\n\"G,0\",\"V \"\"0\"\"\",5,5\r\n G1,\"V \"\"0\"\"\",7,9\r\n")
	f.Add("id\nG0\nG1\n", "id,capacity\nV0,1\nV1,1\n", "graduate_id,vacancy_id,graduate_utility,employer_score\nG0,V0,5,5\nG1,V0,5,5\nG0,V1,5,5\nG1,V1,6,4\n")
	f.Add("id\nG0\n", "id,capacity\nV0,1\n", "graduate_id,vacancy_id,graduate_utility,employer_score\nG0,V0,5,5\nG0,V0,6,6\n")
	f.Add("id\nG0\n", "id,capacity\nV0,-1\n", "graduate_id,vacancy_id,graduate_utility,employer_score\n")
	f.Add("id\nG0\n", "id,capacity\nV0,1\n", "graduate_id,vacancy_id,graduate_utility,employer_score\nG0,V0,\"5\n\",5\n")
	f.Fuzz(func(t *testing.T, graduates, vacancies, edges string) {
		b := NewBuilder()
		err := b.readFiles(map[string]io.Reader{
			GraduatesFile: strings.NewReader(graduates),
			VacanciesFile: strings.NewReader(vacancies),
			EdgesFile:     strings.NewReader(edges),
		}, func() (io.Reader, error) { return strings.NewReader(edges), nil })
		if err != nil {
			var e *fault.Error
			if !errors.As(err, &e) || e.Message == "" {
				t.Fatalf("not a displayable error: %#v", err)
			}
			return
		}
		in := &b.in
		for g := range in.NumGraduates() {
			es := in.edges[in.start[g]:in.start[g+1]]
			for i, x := range es {
				if int(edgeVac(x)) >= in.NumVacancies() || edgeUtil(x) > MaxScore || edgeScore(x) > MaxScore {
					t.Fatalf("bad edge %x", x)
				}
				if i > 0 && edgeVac(es[i-1]) >= edgeVac(x) {
					t.Fatalf("edges of %d not strictly sorted", g)
				}
			}
		}
		// encoding/csv reads the same edges.
		cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(edges, "\uFEFF")))
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatalf("accepted edges that encoding/csv refuses: %v", err)
		}
		if len(recs)-1 != in.NumEdges() {
			t.Fatalf("%d edges, encoding/csv has %d rows", in.NumEdges(), len(recs)-1)
		}
		gi, vi := map[string]int{}, map[string]int{}
		for g := range in.NumGraduates() {
			gi[in.GraduateID(g)] = g
		}
		for v := range in.NumVacancies() {
			vi[in.VacancyID(v)] = v
		}
		for _, rec := range recs[1:] {
			x, ok := in.edge(int32(gi[rec[0]]), int32(vi[rec[1]]))
			u, err1 := strconv.Atoi(rec[2])
			e, err2 := strconv.Atoi(rec[3])
			if !ok || err1 != nil || err2 != nil || u != int(edgeUtil(x)) || e != int(edgeScore(x)) {
				t.Fatalf("row %q is not edge %x", rec, x)
			}
		}
		// A round trip keeps the instance.
		dir := t.TempDir()
		if err := WriteInstance(dir, in); err != nil {
			t.Fatal(err)
		}
		again, err := ReadInstance(dir)
		if err != nil {
			t.Fatalf("cannot read what was written: %v", err)
		}
		if !reflect.DeepEqual(in, again) && !(in.NumEdges() == 0 && again.NumEdges() == 0) {
			t.Fatalf("round trip changed the instance:\n%+v\n%+v", in, again)
		}
		if in.NumEdges() <= 300 {
			for _, mode := range []Mode{Stable, Optimal} {
				r, err := Run(context.Background(), in, Options{Mode: mode, Seed: 1})
				if err != nil {
					t.Fatal(err)
				}
				check(t, in, r)
				if mode == Stable && r.Blocking != 0 {
					t.Fatalf("stable: %d blocking pairs", r.Blocking)
				}
				if mode == Optimal && in.NumGraduates() <= 40 && r.Welfare != maxWelfare(in, r) {
					t.Fatalf("optimal welfare %d, reference %d", r.Welfare, maxWelfare(in, r))
				}
			}
		}
	})
}
