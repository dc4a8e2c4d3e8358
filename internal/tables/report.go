package tables

import (
	"bytes"

	"marshrut/internal/exchange"
	"marshrut/internal/report"
)

// reportKinds is how each kind of a report's column is written.
var reportKinds = map[report.ColumnKind]exchange.Kind{
	report.Text:  exchange.Text,
	report.Count: exchange.Int,
	report.Share: exchange.Percent,
}

// ReportXLSX writes a report's table as an XLSX workbook of one sheet.
func ReportXLSX(t report.Table) ([]byte, error) {
	cols := make([]exchange.Column, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = exchange.Column{Title: c.Title, Kind: reportKinds[c.Kind], Width: c.Width}
	}
	var buf bytes.Buffer
	w, err := exchange.NewXLSX(&buf, t.Sheet, cols)
	if err != nil {
		return nil, err
	}
	for _, row := range t.Rows {
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
