package store

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
)

// copy writes n rows into table by PostgreSQL's COPY in its text format, on
// the connection of the load's transaction: the server parses each value by
// its column's type, as it does for the literals of an INSERT, at a fraction
// of the cost of binding parameters.
func (l *Loader) copy(table string, cols []string, n int, row func(i int) []any) error {
	var buf bytes.Buffer
	for i := 0; i < n; i++ {
		for j, v := range row(i) {
			if j > 0 {
				buf.WriteByte('\t')
			}
			if err := copyValue(&buf, v); err != nil {
				return fmt.Errorf("store: load %s row %d, %s: %w", table, i+1, cols[j], err)
			}
		}
		buf.WriteByte('\n')
	}
	sql := "COPY " + table + " (" + strings.Join(cols, ", ") + ") FROM STDIN"
	return l.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: COPY needs a pgx connection, not %T", dc)
		}
		if _, err := c.Conn().PgConn().CopyFrom(l.ctx, &buf, sql); err != nil {
			return fmt.Errorf("store: load %s: %w", table, err)
		}
		return nil
	})
}

// copyEscaper escapes what COPY's text format gives a meaning to.
var copyEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)

// copyValue writes v as one field of COPY's text format.
func copyValue(buf *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case nil:
		buf.WriteString(`\N`)
	case string:
		copyEscaper.WriteString(buf, v)
	case int:
		buf.WriteString(strconv.Itoa(v))
	case int64:
		buf.WriteString(strconv.FormatInt(v, 10))
	case float64:
		buf.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	case bool:
		if v {
			buf.WriteByte('t')
		} else {
			buf.WriteByte('f')
		}
	case time.Time:
		buf.WriteString(v.UTC().Format(time.RFC3339Nano))
	default:
		// The domain's named types: statuses, kinds, codes.
		switch rv := reflect.ValueOf(v); rv.Kind() {
		case reflect.String:
			copyEscaper.WriteString(buf, rv.String())
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			buf.WriteString(strconv.FormatInt(rv.Int(), 10))
		case reflect.Bool:
			return copyValue(buf, rv.Bool())
		default:
			return fmt.Errorf("значение типа %T не записать через COPY", v)
		}
	}
	return nil
}
