package cluster

import (
	"math"
	"time"

	"marshrut/internal/apperr"
)

// Indicator is a key figure of a cluster in a year.
type Indicator string

const (
	// Students in the cluster's programmes at its colleges on 1 October,
	// counted by person: one person enrolled twice is one student.
	Students Indicator = "students"
	// Employed is the share of the year's graduates of the cluster's
	// programmes working, studying on or serving six months after graduation.
	Employed Indicator = "employed"
	// EmployedAtCluster is the share of those graduates who went to work at
	// the cluster's anchor employers.
	EmployedAtCluster Indicator = "employed_cluster"
	// Targeted is the share of the students under a targeted-education contract.
	Targeted Indicator = "targeted"
	// DemoExam is the share of graduates who passed the demonstration exam at
	// the profile level; the region's data hold scores, not levels, so it is entered.
	DemoExam Indicator = "demo_exam"
	// IndustryTeachers counts the teachers who come from industry; entered.
	IndustryTeachers Indicator = "industry_teachers"
	// Cofinancing is the employers' money of the year, in roubles.
	Cofinancing Indicator = "cofinancing"
)

// Indicators lists the key figures in the order pages show them.
func Indicators() []Indicator {
	return []Indicator{Students, Employed, EmployedAtCluster, Targeted, DemoExam, IndustryTeachers, Cofinancing}
}

// Unit is what an indicator's value is.
type Unit string

const (
	Count   Unit = "count" // people
	Share   Unit = "share" // a fraction 0–1
	Roubles Unit = "rub"   // money
)

// Title is the Russian name of the indicator.
func (i Indicator) Title() string {
	switch i {
	case Students:
		return "Обучающиеся по программам кластера (человек)"
	case Employed:
		return "Трудоустройство выпускников программ кластера"
	case EmployedAtCluster:
		return "Трудоустройство выпускников на предприятиях кластера"
	case Targeted:
		return "Обучающиеся по договорам о целевом обучении"
	case DemoExam:
		return "Демонстрационный экзамен профильного уровня"
	case IndustryTeachers:
		return "Преподаватели из числа работников отрасли (человек)"
	case Cofinancing:
		return "Софинансирование работодателей"
	}
	return string(i)
}

// Unit is the unit of the indicator's value.
func (i Indicator) Unit() Unit {
	switch i {
	case Employed, EmployedAtCluster, Targeted, DemoExam:
		return Share
	case Cofinancing:
		return Roubles
	}
	return Count
}

// FromData reports whether the region's data can give the indicator.
func (i Indicator) FromData() bool {
	return i != DemoExam && i != IndustryTeachers
}

// Valid reports whether i is one of Indicators.
func (i Indicator) Valid() bool {
	for _, v := range Indicators() {
		if v == i {
			return true
		}
	}
	return false
}

// Check checks an entered value of the indicator.
func (i Indicator) Check(v float64) error {
	if !i.Valid() {
		return apperr.Field("indicator", "неизвестный показатель «%s»", i)
	}
	switch u := i.Unit(); {
	case math.IsNaN(v) || v < 0:
		return apperr.Field("value", "значение показателя «%s» не может быть отрицательным", i.Title())
	case u == Share && v > 1:
		return apperr.Field("value", "доля «%s» должна быть от 0 до 100 %%", i.Title())
	case u == Count && (v > 1_000_000 || v != math.Trunc(v)):
		return apperr.Field("value", "«%s» — целое число людей от 0 до 1 000 000", i.Title())
	case u == Roubles && v > Money:
		return apperr.Field("value", "сумма «%s» больше %d рублей", i.Title(), int64(Money))
	}
	return nil
}

// Source is where a value comes from.
type Source string

const (
	FromData Source = "data"    // computed from the region's records
	Entered  Source = "entered" // entered by the region or the base college
	Missing  Source = ""        // neither
)

// Title is the Russian name of the source.
func (s Source) Title() string {
	switch s {
	case FromData:
		return "по данным"
	case Entered:
		return "внесено"
	}
	return "нет данных"
}

// Value is one indicator of a cluster in a year.
type Value struct {
	Indicator Indicator
	Value     float64
	Num, Den  int // the counts behind a share computed from the data
	Source    Source
}

// Known reports whether the value exists.
func (v Value) Known() bool { return v.Source != Missing }

// Counts are what the store counts of a cluster in a year.
type Counts struct {
	Students          int // by person, on 1 October
	Targeted          int // of them, under a signed targeted-education contract
	Graduates         int // of the year, in the cluster's programmes
	Employed          int // of them, six months after graduation
	EmployedAtCluster int // of them, ever employed by an anchor employer
	Funding           Funding
	HasFunding        bool
}

// EnteredValue is a value entered by hand.
type EnteredValue struct {
	ClusterID int64
	Year      int
	Indicator Indicator
	Value     float64
	By        int64
	At        time.Time
}

// KPIs computes the key figures of a year: from the data where the data
// have them, the entered value otherwise, and missing when there is neither.
// entered holds the values entered for the year by indicator.
func KPIs(c Counts, entered map[Indicator]float64) []Value {
	out := make([]Value, 0, len(Indicators()))
	for _, ind := range Indicators() {
		v := Value{Indicator: ind}
		switch ind {
		case Students:
			v = count(v, c.Students)
		case Employed:
			v = share(v, c.Employed, c.Graduates)
		case EmployedAtCluster:
			v = share(v, c.EmployedAtCluster, c.Graduates)
		case Targeted:
			v = share(v, c.Targeted, c.Students)
		case Cofinancing:
			if c.HasFunding {
				v.Value, v.Source = float64(c.Funding.Employers), FromData
			}
		}
		if v.Source == Missing {
			if x, ok := entered[ind]; ok {
				v.Value, v.Source = x, Entered
			}
		}
		out = append(out, v)
	}
	return out
}

func count(v Value, n int) Value {
	if n > 0 {
		v.Value, v.Num, v.Source = float64(n), n, FromData
	}
	return v
}

func share(v Value, num, den int) Value {
	if den > 0 {
		v.Value, v.Num, v.Den, v.Source = float64(num)/float64(den), num, den, FromData
	}
	return v
}

// ValueOf finds an indicator among values.
func ValueOf(vs []Value, ind Indicator) Value {
	for _, v := range vs {
		if v.Indicator == ind {
			return v
		}
	}
	return Value{Indicator: ind}
}
