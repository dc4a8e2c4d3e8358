package org

import "marshrut/internal/apperr"

// CheckINN validates an ИНН: 10 digits for an organisation, 12 for a person
// (индивидуальный предприниматель), with the check digits of ФНС.
func CheckINN(inn string) error {
	d, ok := digits(inn)
	if !ok || (len(d) != 10 && len(d) != 12) {
		return apperr.Field("inn", "ИНН «%s» должен состоять из 10 цифр (организация) или 12 цифр (ИП)", inn)
	}
	check := func(w []int) int {
		s := 0
		for i, k := range w {
			s += k * d[i]
		}
		return s % 11 % 10
	}
	if len(d) == 10 {
		if check([]int{2, 4, 10, 3, 5, 9, 4, 6, 8}) != d[9] {
			return apperr.Field("inn", "ИНН «%s» не проходит проверку контрольной цифры", inn)
		}
		return nil
	}
	if check([]int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}) != d[10] || check([]int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}) != d[11] {
		return apperr.Field("inn", "ИНН «%s» не проходит проверку контрольных цифр", inn)
	}
	return nil
}

// CheckOGRN validates an ОГРН (13 digits) or ОГРНИП (15 digits): the last digit is
// the remainder of the number formed by the others divided by 11 (13 for ОГРНИП),
// taken modulo 10.
func CheckOGRN(ogrn string) error {
	d, ok := digits(ogrn)
	if !ok || (len(d) != 13 && len(d) != 15) {
		return apperr.Field("ogrn", "ОГРН «%s» должен состоять из 13 цифр (ОГРНИП — из 15)", ogrn)
	}
	mod := 11
	if len(d) == 15 {
		mod = 13
	}
	r := 0
	for _, x := range d[:len(d)-1] {
		r = (r*10 + x) % mod
	}
	if r%10 != d[len(d)-1] {
		return apperr.Field("ogrn", "ОГРН «%s» не проходит проверку контрольной цифры", ogrn)
	}
	return nil
}

func digits(s string) ([]int, bool) {
	d := make([]int, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return nil, false
		}
		d[i] = int(s[i] - '0')
	}
	return d, true
}

// INNCheckDigit returns the check digit that completes a 9-digit prefix into a
// valid 10-digit ИНН; the demo generator uses it to make valid codes.
func INNCheckDigit(prefix [9]int) int {
	w := []int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	s := 0
	for i, k := range w {
		s += k * prefix[i]
	}
	return s % 11 % 10
}

// OGRNCheckDigit returns the check digit of a 12-digit ОГРН prefix.
func OGRNCheckDigit(prefix [12]int) int {
	r := 0
	for _, x := range prefix {
		r = (r*10 + x) % 11
	}
	return r % 10
}
