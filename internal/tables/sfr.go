package tables

import (
	"time"

	"marshrut/internal/exchange"
	"marshrut/internal/learner"
)

// SFRRequestColumns are the columns of a request to the social fund (СФР) for
// the periods of work of a cohort's graduates, sent through interagency
// exchange: the person by СНИЛС with name and birth date to check it, and the
// period asked. The fund answers with the columns of exchange.SFRAnswerFields.
var SFRRequestColumns = []exchange.Column{
	{Title: "№ п/п", Kind: exchange.Int, Width: 7}, {Title: "СНИЛС", Width: 15}, {Title: "Фамилия", Width: 18},
	{Title: "Имя", Width: 14}, {Title: "Отчество", Width: 18}, {Title: "Дата рождения", Kind: exchange.Date, Width: 13},
	{Title: "Период запроса с", Kind: exchange.Date, Width: 13}, {Title: "Период запроса по", Kind: exchange.Date, Width: 13},
}

// SFRRequestRow is the n-th graduate of a request for the period from–to.
func SFRRequestRow(n int, l learner.Learner, from, to time.Time) []any {
	return []any{n, learner.FormatSNILS(l.SNILS), l.LastName, l.FirstName, l.MiddleName, l.BirthDate, from, to}
}

// SFRPeriod is the period a request for the graduates of year asks about:
// from the first of July of the year of graduation to the day asked.
func SFRPeriod(year int, asOf time.Time) (from, to time.Time) {
	return time.Date(year, time.July, 1, 0, 0, 0, 0, time.UTC), asOf
}
