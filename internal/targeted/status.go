package targeted

// Status is where an application stands on its route from the application to
// the fulfilled obligation.
type Status string

const (
	Submitted      Status = "submitted"       // подана
	Selected       Status = "selected"        // отобран
	ContractSigned Status = "contract_signed" // договор заключён
	Studying       Status = "studying"        // обучается
	Graduated      Status = "graduated"       // выпускник
	WorkingOff     Status = "working_off"     // отрабатывает обязательство
	Fulfilled      Status = "fulfilled"       // обязательство выполнено

	// Endings other than the fulfilled obligation.
	Declined   Status = "declined"   // отклонена
	Terminated Status = "terminated" // договор расторгнут
	Broken     Status = "broken"     // обязательство нарушено
	Withdrawn  Status = "withdrawn"  // отозвана заявителем
)

// Statuses lists every status in route order, the endings last.
func Statuses() []Status {
	return []Status{Submitted, Selected, ContractSigned, Studying, Graduated, WorkingOff, Fulfilled,
		Declined, Terminated, Broken, Withdrawn}
}

// Title is the Russian name of the status.
func (s Status) Title() string {
	switch s {
	case Submitted:
		return "подана"
	case Selected:
		return "отобран"
	case ContractSigned:
		return "договор заключён"
	case Studying:
		return "обучается"
	case Graduated:
		return "выпускник"
	case WorkingOff:
		return "отрабатывает обязательство"
	case Fulfilled:
		return "обязательство выполнено"
	case Declined:
		return "отклонена"
	case Terminated:
		return "договор расторгнут"
	case Broken:
		return "обязательство нарушено"
	case Withdrawn:
		return "отозвана заявителем"
	}
	return string(s)
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses() {
		if v == s {
			return true
		}
	}
	return false
}

// next is the state machine: where an application may go from each status.
// A status that is not a key goes nowhere.
var next = map[Status][]Status{
	Submitted:      {Selected, Declined, Withdrawn},
	Selected:       {ContractSigned, Declined, Withdrawn},
	ContractSigned: {Studying, Terminated},
	Studying:       {Graduated, Terminated},
	Graduated:      {WorkingOff, Broken, Terminated},
	WorkingOff:     {Fulfilled, Broken},
}

// Next lists the statuses an application may move to from s; it is empty for
// a final status.
func (s Status) Next() []Status { return append([]Status(nil), next[s]...) }

// Final reports whether nothing follows s: the fulfilled obligation and the
// four other endings.
func (s Status) Final() bool { return len(next[s]) == 0 }

// NeedsReason reports whether a move to s must say why: the endings other
// than the fulfilled obligation.
func (s Status) NeedsReason() bool {
	return s == Declined || s == Terminated || s == Broken || s == Withdrawn
}

// Signed reports whether an application in status s has had its contract
// signed at some point: every status from ContractSigned on, and the endings
// that can only follow a signed contract (Terminated, Broken).
func (s Status) Signed() bool {
	switch s {
	case ContractSigned, Studying, Graduated, WorkingOff, Fulfilled, Terminated, Broken:
		return true
	}
	return false
}

// CanMove reports whether an application may go from one status to another.
func CanMove(from, to Status) bool {
	for _, s := range next[from] {
		if s == to {
			return true
		}
	}
	return false
}
