package exchange

import (
	"math"
	"strconv"
	"strings"

	"marshrut/internal/apperr"
)

// ParseNumber reads a number as spreadsheets write it: «1 234,5» from a
// Russian Excel (spaces of any width between thousands, a decimal comma),
// «1234.5» from excelize or an English one, «1,234.5» and «1.234,5» (the
// last mark is the decimal one). A lone comma is decimal: «1,234» is 1.234.
func ParseNumber(s string) (float64, error) {
	in := Clean(s)
	v := strings.Map(func(r rune) rune {
		if isBlank(r) || r == '\u2009' || r == '\u202f' || r == '\'' {
			return -1
		}
		if r == '−' { // the minus sign of typeset text
			return '-'
		}
		return r
	}, in)
	comma, dot := strings.Count(v, ","), strings.Count(v, ".")
	switch {
	case comma > 0 && dot > 0:
		if strings.LastIndexByte(v, ',') > strings.LastIndexByte(v, '.') {
			v = strings.ReplaceAll(v, ".", "")
			v = strings.Replace(v, ",", ".", 1)
		} else {
			v = strings.ReplaceAll(v, ",", "")
		}
	case comma == 1:
		v = strings.Replace(v, ",", ".", 1)
	case comma > 1:
		v = strings.ReplaceAll(v, ",", "")
	case dot > 1:
		v = strings.ReplaceAll(v, ".", "")
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !plainNumber(v) || math.IsInf(f, 0) {
		if in == "" {
			return 0, apperr.New(apperr.Invalid, "число не указано")
		}
		return 0, apperr.New(apperr.Invalid, "число «%s» не распознано", clip(in, 40))
	}
	return f, nil
}

// plainNumber allows digits, a point, signs and an exponent (1e5), but not
// hexadecimal, «Inf», «NaN» or underscores, which strconv would take and a
// person never means.
func plainNumber(v string) bool {
	for i := 0; i < len(v); i++ {
		if !strings.ContainsRune("0123456789.+-eE", rune(v[i])) {
			return false
		}
	}
	return v != ""
}

// ParseInt reads a whole number; «2», «2,0» and «2.0» (what Excel shows for a
// number cell) are all 2.
func ParseInt(s string) (int, error) {
	f, err := ParseNumber(s)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, apperr.New(apperr.Invalid, "ожидается целое число, указано «%s»", clip(Clean(s), 40))
	}
	return int(f), nil
}

var bools = map[string]bool{
	"да": true, "д": true, "есть": true, "имеется": true, "+": true, "1": true, "v": true, "x": true, "х": true,
	"true": true, "истина": true, "yes": true, "y": true, "✓": true, "✔": true,
	"нет": false, "н": false, "отсутствует": false, "-": false, "0": false,
	"false": false, "ложь": false, "no": false, "n": false,
}

// ParseBool reads a yes-or-no cell: «да»/«нет», «+»/«-», 1/0, «Истина»/«Ложь»
// (what Excel shows for a logical cell), a tick «х» or «v»; empty is an error,
// since only the importer knows whether empty means «нет».
func ParseBool(s string) (bool, error) {
	v := strings.ToLower(Clean(s))
	if b, ok := bools[v]; ok {
		return b, nil
	}
	if v == "" {
		return false, apperr.New(apperr.Invalid, "значение не указано: ожидается «да» или «нет»")
	}
	return false, apperr.New(apperr.Invalid, "значение «%s» не распознано: ожидается «да» или «нет»", clip(Clean(s), 40))
}
