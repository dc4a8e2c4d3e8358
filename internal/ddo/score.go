package ddo

// Level is how pronounced an inclination to a type is.
type Level string

const (
	Low    Level = "low"
	Medium Level = "medium"
	High   Level = "high"
)

// Title is the Russian name of the level: «низкий», «средний», «высокий».
func (l Level) Title() string {
	switch l {
	case Low:
		return "низкий"
	case Medium:
		return "средний"
	case High:
		return "высокий"
	}
	return string(l)
}

// LevelOf places points in a band: 0–2 low, 3–6 medium, 7–8 high. The bands are a widely used
// convention for the ДДО, not part of the source of the questionnaire (see data/README.md).
// Points outside 0–8 give the empty Level.
func LevelOf(points int) Level {
	switch {
	case points < 0 || points > MaxPoints:
		return ""
	case points <= 2:
		return Low
	case points <= 6:
		return Medium
	}
	return High
}

// Result is a scored sheet. Points holds every type, 0–8 each; for a complete sheet they sum to 20.
type Result struct {
	Points map[Type]int
}

// Score counts one point for the type of every chosen option, by the key of the questionnaire.
// It expects a complete sheet from ParseAnswers; an unanswered pair scores nothing.
func Score(a Answers) Result {
	items := instrument().Items
	r := Result{Points: make(map[Type]int, len(types))}
	for _, t := range types {
		r.Points[t] = 0
	}
	for i, c := range a {
		if o, ok := items[i].Option(c); ok {
			r.Points[o.Type]++
		}
	}
	return r
}

// Level is the band of the points of t.
func (r Result) Level(t Type) Level { return LevelOf(r.Points[t]) }

// Leading lists the types with the most points, in the canonical order; several when tied.
// It is empty only for a result with no points at all.
func (r Result) Leading() []Type {
	best := 0
	for _, t := range types {
		best = max(best, r.Points[t])
	}
	if best == 0 {
		return nil
	}
	var out []Type
	for _, t := range types {
		if r.Points[t] == best {
			out = append(out, t)
		}
	}
	return out
}
