package targeted

import (
	"slices"
	"testing"
)

// legal is the state machine written out again, independently of next.
var legal = map[[2]Status]bool{
	{Submitted, Selected}: true, {Submitted, Declined}: true, {Submitted, Withdrawn}: true,
	{Selected, ContractSigned}: true, {Selected, Declined}: true, {Selected, Withdrawn}: true,
	{ContractSigned, Studying}: true, {ContractSigned, Terminated}: true,
	{Studying, Graduated}: true, {Studying, Terminated}: true,
	{Graduated, WorkingOff}: true, {Graduated, Broken}: true, {Graduated, Terminated}: true,
	{WorkingOff, Fulfilled}: true, {WorkingOff, Broken}: true,
}

func TestCanMove(t *testing.T) {
	all := append(Statuses(), "", "unknown")
	n := 0
	for _, from := range all {
		for _, to := range all {
			want := legal[[2]Status{from, to}]
			if got := CanMove(from, to); got != want {
				t.Errorf("CanMove(%q, %q) = %v, want %v", from, to, got, want)
			}
			if got := slices.Contains(from.Next(), to); got != want {
				t.Errorf("%q.Next() contains %q = %v, want %v", from, to, got, want)
			}
			if want {
				n++
			}
		}
	}
	if n != len(legal) {
		t.Errorf("%d legal moves found, want %d", n, len(legal))
	}
}

func TestFinal(t *testing.T) {
	for _, s := range Statuses() {
		want := s == Fulfilled || s == Declined || s == Terminated || s == Broken || s == Withdrawn
		if s.Final() != want {
			t.Errorf("%q.Final() = %v, want %v", s, s.Final(), want)
		}
	}
}

func TestStatuses(t *testing.T) {
	want := []Status{Submitted, Selected, ContractSigned, Studying, Graduated, WorkingOff, Fulfilled, Declined, Terminated, Broken, Withdrawn}
	if !slices.Equal(Statuses(), want) {
		t.Errorf("Statuses() = %v", Statuses())
	}
	titles := map[string]bool{}
	for _, s := range Statuses() {
		if !s.Valid() || s.Title() == string(s) || titles[s.Title()] {
			t.Errorf("status %q: valid %v, title %q", s, s.Valid(), s.Title())
		}
		titles[s.Title()] = true
	}
	if Status("x").Valid() || Status("").Valid() {
		t.Error("an unknown status is valid")
	}
	if ContractSigned.Title() != "договор заключён" || Withdrawn.Title() != "отозвана заявителем" {
		t.Error("titles")
	}
	// Next returns a copy: changing it does not change the machine.
	n := Submitted.Next()
	n[0] = Fulfilled
	if !CanMove(Submitted, Selected) || CanMove(Submitted, Fulfilled) {
		t.Error("Next exposes the table")
	}
}

func TestSigned(t *testing.T) {
	for _, s := range Statuses() {
		want := s != Submitted && s != Selected && s != Declined && s != Withdrawn
		if s.Signed() != want {
			t.Errorf("%q.Signed() = %v, want %v", s, s.Signed(), want)
		}
	}
}

// Signed must agree with the machine: a status is signed exactly when it can
// be reached from ContractSigned.
func TestSignedMatchesMachine(t *testing.T) {
	reach := map[Status]bool{ContractSigned: true}
	queue := []Status{ContractSigned}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, n := range s.Next() {
			if !reach[n] {
				reach[n] = true
				queue = append(queue, n)
			}
		}
	}
	for _, s := range Statuses() {
		if s.Signed() != reach[s] {
			t.Errorf("%q: Signed %v, reachable from contract_signed %v", s, s.Signed(), reach[s])
		}
	}
}
