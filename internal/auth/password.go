package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"marshrut/internal/apperr"
)

// Passwords are hashed with argon2id at OWASP's recommended parameters
// (19 MiB, two passes, one lane): strong against guessing, yet a burst of
// logins does not blow the server's memory. Hashes are kept in the PHC string
// format, so that the parameters can change without breaking old hashes.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns the PHC string of an argon2id hash of p.
func HashPassword(p string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(p), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether p matches the PHC string hash.
func VerifyPassword(hash, p string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var th uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &th); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false
	}
	got := argon2.IDKey([]byte(p), salt, t, m, th, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when a login does not exist, so that the
// answer takes as long as for a wrong password.
var dummyHash, _ = HashPassword("marshrut-no-such-user")

// NewSecret returns a random token for a cookie or an API client.
func NewSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret is what the database keeps of a token.
func HashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// MinPassword is the shortest password accepted, and MaxPassword the longest:
// a password of megabytes would make every login a long hash.
const (
	MinPassword = 10
	MaxPassword = 256
)

// CheckPassword applies the password policy: at least MinPassword characters,
// not the login and not containing it, not one of the passwords that every
// guessing list starts with, and more than a few distinct characters.
func CheckPassword(login, p string) error {
	n := utf8.RuneCountInString(p)
	switch {
	case n < MinPassword:
		return apperr.Field("password", "пароль должен быть не короче %d знаков", MinPassword)
	case n > MaxPassword:
		return apperr.Field("password", "пароль должен быть не длиннее %d знаков", MaxPassword)
	}
	low := strings.ToLower(p)
	if login = strings.ToLower(strings.TrimSpace(login)); login != "" && strings.Contains(low, login) {
		return apperr.Field("password", "пароль не должен совпадать с логином или содержать его")
	}
	if _, ok := commonPasswords[low]; ok {
		return apperr.Field("password", "этот пароль слишком распространён и подбирается первым: придумайте другой")
	}
	if weakBase(low) {
		return apperr.Field("password", "пароль из распространённого слова или ряда клавиатуры с цифрами и знаками подбирается первым: придумайте другой")
	}
	distinct := map[rune]bool{}
	for _, r := range low {
		distinct[r] = true
	}
	if len(distinct) < 4 {
		return apperr.Field("password", "пароль из повторов нескольких знаков легко подобрать: используйте больше разных знаков")
	}
	return nil
}

// commonPasswords are passwords of ten characters or more that head the
// published lists of leaked passwords, Russian keyboards included; shorter
// ones are refused by length already. Compared in lower case.
var commonPasswords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, p := range strings.Fields(`
		1234567890 0987654321 12345678910 123456789a 1234567890a 1234567890q 123456789q
		1q2w3e4r5t 1q2w3e4r5t6y 1qaz2wsx3edc qwertyuiop qwerty1234 qwerty12345 qwerty123456
		qwertyuiop1 asdfghjkl1 zxcvbnm123 1qazxsw23edc 1q2w3e4r5t6y7u q1w2e3r4t5 q1w2e3r4t5y6
		password12 password123 password1234 passw0rd123 password01 password2024 password2025 password2026
		iloveyou12 iloveyou123 sunshine123 football123 baseball123 princess123 superman123 welcome123
		admin12345 admin123456 administrator letmein123 changeme123 default123 test123456 user123456
		1111111111 0000000000 1234512345 1122334455 1212121212 5555555555 9876543210 1029384756
		abcdefghij abc1234567 abcd123456 a1b2c3d4e5 aaaaaaaaaa
		йцукенгшщз йцукенгшщзх фывапролдж ячсмитьбю пароль1234 пароль12345 пароль123456
		gfhjkm1234 gfhjkm12345 ghbdtn1234
		marshrut123 marshrut2026 marshrut12345 qwerty2026 kamchatka123
	`) {
		m[p] = struct{}{}
	}
	return m
}()

// weakBase reports whether the letters of a password (lower case) are a
// common word or a run of the keyboard or the alphabet, the rest being
// digits and signs: «Qwerty123!», «Password2026#», «Йцукен12345».
func weakBase(low string) bool {
	var letters []rune
	for _, r := range low {
		if unicode.IsLetter(r) {
			letters = append(letters, r)
		}
	}
	core := string(letters)
	if len(letters) < 3 {
		return false
	}
	if _, ok := weakWords[core]; ok {
		return true
	}
	for _, run := range keyboardRuns {
		if strings.Contains(run, core) {
			return true
		}
	}
	return false
}

// keyboardRuns are rows of the Latin and Russian keyboards and the alphabets.
var keyboardRuns = []string{"qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz", "qazwsxedcrfvtgbyhnujmikolp",
	"йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю", "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"}

var weakWords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields(`password passw passwd pass admin administrator root user login welcome letmein iloveyou
		love monkey dragon master shadow sunshine princess football baseball superman batman qwerty qwertz azerty
		secret changeme default test guest hello marshrut kamchatka russia moscow пароль привет админ россия
		gfhjkm ghbdtn`) {
		m[w] = struct{}{}
	}
	return m
}()
