package ts

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"marshrut/internal/engine/fault"
)

// named is one series of a collection, such as the M3 competition's.
type named struct {
	id     string
	values []float64
}

// readSeries reads series in the long CSV layout of the forvision M3 files
// (M3_yearly_TSTS.csv): a header naming the columns series_id and value,
// among others, then one row per observation. A series' values are kept in
// the order of the rows, the series in the order of their first row, as R's
// split() keeps them.
func readSeries(r io.Reader) ([]named, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3) // a UTF-8 byte-order mark
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fault.New("файл рядов пуст")
	}
	if err != nil {
		return nil, fault.Wrap(err, "файл рядов не читается как CSV")
	}
	id, val := -1, -1
	for j, h := range head {
		switch strings.TrimSpace(h) {
		case "series_id":
			id = j
		case "value":
			val = j
		}
	}
	if id < 0 || val < 0 {
		return nil, fault.New("в заголовке файла рядов нет столбцов series_id и value: %q", strings.Join(head, ","))
	}
	var out []named
	index := map[string]int{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fault.Wrap(err, "файл рядов не читается как CSV")
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rec[val]), 64)
		// ParseFloat takes "NaN" and "Inf": a forecast of them is no forecast.
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fault.New("строка %d: значение %q не число", line, rec[val])
		}
		i, ok := index[rec[id]]
		if !ok {
			i = len(out)
			index[rec[id]] = i
			out = append(out, named{id: rec[id]})
		}
		out[i].values = append(out[i].values, v)
	}
	if len(out) == 0 {
		return nil, fault.New("в файле рядов нет ни одного значения")
	}
	return out, nil
}

// readSeriesFile is readSeries on a file, gzip-compressed when its name
// ends in .gz.
func readSeriesFile(path string) ([]named, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fault.Wrap(err, "не удалось открыть файл рядов %s", path)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		z, err := gzip.NewReader(f)
		if err != nil {
			return nil, fault.Wrap(err, "файл рядов %s не читается как gzip", path)
		}
		defer z.Close()
		r = z
	}
	return readSeries(r)
}
