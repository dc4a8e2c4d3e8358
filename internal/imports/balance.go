package imports

import (
	"context"
	"io"
	"strings"

	"marshrut/internal/auth"
	"marshrut/internal/balance"
	"marshrut/internal/exchange"
)

// balanceFields are the columns of each kind of balance file.
var balanceFields = map[string][]exchange.Field{
	balance.ImportNeeds: {
		{Key: "inn", Title: "ИНН работодателя", Aliases: []string{"ИНН", "ИНН организации"}},
		{Key: "specialty", Title: "Код специальности", Aliases: []string{"Специальность", "Код ОКСО", "Код профессии, специальности"}, Required: true},
		{Key: "horizon", Title: "Горизонт, лет", Aliases: []string{"Горизонт", "Через лет", "Срок, лет"}, Required: true},
		{Key: "count", Title: "Потребность, чел.", Aliases: []string{"Потребность", "Количество", "Численность"}, Required: true},
		{Key: "year", Title: "Год заявки", Aliases: []string{"Год"}},
		{Key: "note", Title: "Примечание", Aliases: []string{"Комментарий"}},
	},
	balance.ImportCapacity: {
		{Key: "inn", Title: "ИНН организации", Aliases: []string{"ИНН", "ИНН образовательной организации"}},
		{Key: "specialty", Title: "Код специальности", Aliases: []string{"Специальность", "Код ОКСО"}, Required: true},
		{Key: "capacity", Title: "Вместимость, мест в год", Aliases: []string{"Вместимость", "Мест в год", "Мощность"}, Required: true},
		{Key: "plan", Title: "План приёма", Aliases: []string{"КЦП", "Контрольные цифры приёма", "План"}},
	},
	balance.ImportAges: {
		{Key: "group", Title: "Код УГС", Aliases: []string{"УГС", "Укрупнённая группа"}, Required: true},
		{Key: "level", Title: "Уровень образования", Aliases: []string{"Уровень"}, Required: true},
		{Key: "band", Title: "Возраст", Aliases: []string{"Возрастная группа"}, Required: true},
		{Key: "employed", Title: "Занято, чел.", Aliases: []string{"Занято", "Численность занятых", "Численность"}, Required: true},
		{Key: "year", Title: "Год данных", Aliases: []string{"Год"}},
	},
}

// BalanceLoader checks and loads the rows of a balance file; balance.Service is one.
type BalanceLoader interface {
	Import(ctx context.Context, sc auth.Scope, kind string, rows []balance.FileRow) (balance.Report, error)
}

// Balance reads a file of needs, capacities or the age structure (CSV or
// XLSX) and hands its rows to the balance, which checks and loads them.
func Balance(ctx context.Context, b BalanceLoader, sc auth.Scope, kind string, r io.Reader, name string) (balance.Report, error) {
	if err := balance.CheckImport(sc, kind); err != nil {
		return balance.Report{}, err
	}
	tab, err := exchange.Open(r, name, exchange.Options{})
	if err != nil {
		return balance.Report{}, err
	}
	defer tab.Close()
	m, _ := exchange.Recognise(tab.Header(), balanceFields[kind])
	if err := m.Check(); err != nil {
		return balance.Report{}, err
	}
	var rows []balance.FileRow
	for row, err := range tab.All() {
		if err != nil {
			return balance.Report{Kind: kind}, err
		}
		rows = append(rows, balanceRow(m, row))
	}
	return b.Import(ctx, sc, kind, rows)
}

// balanceRow gives a row its cells by key and reads the whole numbers in them.
func balanceRow(m exchange.Mapping, row exchange.Row) balance.FileRow {
	out := balance.FileRow{Line: row.Line, Cells: map[string]string{}, Ints: map[string]int{}, NotInt: map[string]error{}}
	for _, f := range m.Fields() {
		v := m.Get(row, f.Key)
		out.Cells[f.Key] = v
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		if n, err := exchange.ParseInt(v); err != nil {
			out.NotInt[f.Key] = err
		} else {
			out.Ints[f.Key] = n
		}
	}
	return out
}
