// Package ddo holds Klimov's differential-diagnostic questionnaire
// (ДДО, Дифференциально-диагностический опросник Е. А. Климова): the 20 pairs of
// activities, the answer sheet as a 20-letter string, the scoring key that turns it into
// points for the five types of profession (П, Т, Ч, З, Х), and the correspondence of the
// types to ОКСО enlarged groups that routing uses to weigh a specialty against a learner.
// It is pure: no storage, no HTTP.
package ddo

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
)

// Type is one of Klimov's five types of profession, named by the subject of labour.
type Type string

const (
	Nature   Type = "nature"   // Человек — природа (П)
	Technics Type = "technics" // Человек — техника (Т)
	Human    Type = "human"    // Человек — человек (Ч)
	Sign     Type = "sign"     // Человек — знаковая система (З)
	Art      Type = "art"      // Человек — художественный образ (Х)
)

// Items is the number of pairs on the sheet; MaxPoints is the most points one type can get.
const (
	Items     = 20
	MaxPoints = 8
)

// types is the canonical order П, Т, Ч, З, Х in which the questionnaire and its results
// are always shown.
var types = [...]Type{Nature, Technics, Human, Sign, Art}

// Types lists the five types in the canonical order П, Т, Ч, З, Х.
func Types() []Type { return append([]Type(nil), types[:]...) }

// index is the position of t in the canonical order, -1 for an unknown type.
func (t Type) index() int {
	for i, u := range types {
		if u == t {
			return i
		}
	}
	return -1
}

// Valid reports whether t is one of the five types.
func (t Type) Valid() bool { return t.index() >= 0 }

// Title is the Russian name of the type, «Человек — природа» and so on.
func (t Type) Title() string {
	if !t.Valid() {
		return string(t)
	}
	return instrument().Types[t].RU
}

// Short is the one-letter Russian abbreviation: П, Т, Ч, З or Х.
func (t Type) Short() string {
	if !t.Valid() {
		return string(t)
	}
	return instrument().Types[t].Short
}

// About explains in a few Russian sentences what work the type means and what it asks of a person.
func (t Type) About() string {
	switch t {
	case Nature:
		return "Работа с живой природой: растениями, животными, микроорганизмами, почвой и водой — " +
			"агроном, ветеринар, зоотехник, эколог, лесник, лаборант. " +
			"Нужны наблюдательность, терпение, забота о живом и готовность работать в меняющихся условиях, часто на открытом воздухе."
	case Technics:
		return "Работа с машинами, механизмами, приборами, материалами и энергией: их изготовление, монтаж, наладка, " +
			"управление и ремонт — инженер, механик, электромонтажник, сварщик, водитель, оператор станков. " +
			"Нужны техническое мышление, точность и ловкость движений, внимательность и строгое соблюдение правил безопасности."
	case Human:
		return "Работа с людьми: обучение и воспитание, лечение, обслуживание, управление, защита прав — " +
			"учитель, врач, медицинская сестра, продавец, менеджер, юрист, тренер. " +
			"Нужны умение общаться и слушать, доброжелательность, выдержка и желание помогать другим."
	case Sign:
		return "Работа с условными знаками: числами, формулами, текстами, чертежами, картами, программами и документами — " +
			"программист, бухгалтер, экономист, чертёжник, переводчик, корректор. " +
			"Нужны усидчивость, аккуратность, логическое и отвлечённое мышление, умение долго сосредотачиваться на деталях."
	case Art:
		return "Работа с художественными образами: их создание, исполнение, воспроизведение и оформление — " +
			"дизайнер, художник, музыкант, актёр, фотограф, мастер декоративно-прикладного искусства. " +
			"Нужны воображение, художественный вкус, образное мышление и упорство в оттачивании мастерства."
	}
	return ""
}

// Option is one activity of a pair and the type it scores.
type Option struct {
	Text string `json:"text"`
	Type Type   `json:"type"`
}

// Item is a numbered pair of activities; the person picks A or B.
type Item struct {
	N int    `json:"n"`
	A Option `json:"a"`
	B Option `json:"b"`
}

// Option returns the activity of the item chosen by c, and false for an unanswered choice.
func (it Item) Option(c Choice) (Option, bool) {
	switch c {
	case A:
		return it.A, true
	case B:
		return it.B, true
	}
	return Option{}, false
}

// Sheet is the instrument as shown to a person: its name, the instruction and the 20 pairs.
type Sheet struct {
	Title       string
	Instruction string
	Items       []Item
}

// Questionnaire returns the instrument. The result is a copy; changing it changes nothing here.
func Questionnaire() Sheet {
	d := instrument()
	return Sheet{Title: d.Instrument, Instruction: d.Instruction, Items: append([]Item(nil), d.Items...)}
}

// data is the layout of data/ddo.json; see data/README.md for its source.
type data struct {
	Instrument  string `json:"instrument"`
	Instruction string `json:"instruction"`
	Types       map[Type]struct {
		RU    string `json:"ru"`
		Short string `json:"short"`
	} `json:"types"`
	Items []Item            `json:"items"`
	Key   map[Type][]string `json:"key"`
}

//go:embed data/ddo.json
var rawData []byte

// instrument parses the embedded questionnaire once. The file is ours and checked by the
// tests, so a broken one is a programming error and panics on first use.
var instrument = sync.OnceValue(func() *data {
	d, err := parse(rawData)
	if err != nil {
		panic("ddo: embedded data/ddo.json: " + err.Error())
	}
	return d
})

// parse reads and checks the questionnaire: 20 pairs numbered 1–20, every option scoring a
// known type, every type given exactly 8 option slots, and the key agreeing with the options.
func parse(raw []byte) (*data, error) {
	var d data
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, err
	}
	if d.Instrument == "" || d.Instruction == "" {
		return nil, fmt.Errorf("instrument name or instruction missing")
	}
	if len(d.Types) != len(types) {
		return nil, fmt.Errorf("%d types, want %d", len(d.Types), len(types))
	}
	for _, t := range types {
		if d.Types[t].RU == "" || d.Types[t].Short == "" {
			return nil, fmt.Errorf("type %s has no Russian name or abbreviation", t)
		}
	}
	if len(d.Items) != Items {
		return nil, fmt.Errorf("%d items, want %d", len(d.Items), Items)
	}
	slots := make(map[Type]int)
	keyed := make(map[string]Type, 2*Items)
	for i, it := range d.Items {
		if it.N != i+1 {
			return nil, fmt.Errorf("item %d is numbered %d", i+1, it.N)
		}
		for _, o := range []struct {
			side string
			opt  Option
		}{{"a", it.A}, {"b", it.B}} {
			if o.opt.Text == "" || !o.opt.Type.Valid() {
				return nil, fmt.Errorf("item %d%s: empty text or unknown type %q", it.N, o.side, o.opt.Type)
			}
			slots[o.opt.Type]++
			keyed[strconv.Itoa(it.N)+o.side] = o.opt.Type
		}
	}
	if len(d.Key) != len(types) {
		return nil, fmt.Errorf("key has %d types, want %d", len(d.Key), len(types))
	}
	seen := make(map[string]bool, 2*Items)
	for _, t := range types {
		if slots[t] != MaxPoints {
			return nil, fmt.Errorf("type %s has %d option slots, want %d", t, slots[t], MaxPoints)
		}
		if len(d.Key[t]) != MaxPoints {
			return nil, fmt.Errorf("key of %s has %d options, want %d", t, len(d.Key[t]), MaxPoints)
		}
		for _, k := range d.Key[t] {
			if seen[k] {
				return nil, fmt.Errorf("key lists %s twice", k)
			}
			seen[k] = true
			if keyed[k] != t {
				return nil, fmt.Errorf("key gives %s to %s, but the item gives it %q", k, t, keyed[k])
			}
		}
	}
	return &d, nil
}
