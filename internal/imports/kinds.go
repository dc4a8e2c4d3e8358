package imports

import (
	"context"
	"strings"

	"marshrut/internal/exchange"
)

// Kind is a kind of table the importer takes from CSV or XLSX.
type Kind struct {
	Name     string // learners, orgs, outcomes
	Title    string // what a person reads: «обучающиеся»
	Fields   []exchange.Field
	Regional bool // only region-wide users may load it
	run      func(im *Importer, ctx context.Context, t *exchange.Table, m exchange.Mapping, opt Options) (Report, error)
}

// Run imports t as a table of this kind.
func (k Kind) Run(ctx context.Context, im *Importer, t *exchange.Table, m exchange.Mapping, opt Options) (Report, error) {
	return k.run(im, ctx, t, m, opt)
}

// Kinds are the tables the importer takes, by name.
var Kinds = map[string]Kind{
	"learners": {Name: "learners", Title: "обучающиеся", Fields: exchange.LearnerFields, run: (*Importer).Learners},
	"orgs":     {Name: "orgs", Title: "организации", Fields: exchange.OrganisationFields, Regional: true, run: (*Importer).Organisations},
	"outcomes": {Name: "outcomes", Title: "сведения о занятости выпускников", Fields: exchange.OutcomeFields, run: (*Importer).Outcomes},
	"sfr":      {Name: "sfr", Title: "ответ СФР о трудоустройстве выпускников", Fields: exchange.SFRAnswerFields, Regional: true, run: (*Importer).SFR},
	"guidance": {Name: "guidance", Title: "участие школьников в профориентации", Fields: exchange.GuidanceFields, run: (*Importer).Guidance},
	"frdo":     {Name: "frdo", Title: "документы об образовании (ФИС ФРДО)", Fields: exchange.FRDOFields, run: (*Importer).FRDO},
}

// named finds the value of a closed list that the normalised text n names:
// by its code, spaces standing for underscores, or by its Russian name.
func named[T interface {
	~string
	Valid() bool
	Name() string
}](n string, all []T) (T, bool) {
	if v := T(strings.ReplaceAll(n, " ", "_")); v.Valid() {
		return v, true
	}
	for _, v := range all {
		if exchange.Normalise(v.Name()) == n {
			return v, true
		}
	}
	var zero T
	return zero, false
}
