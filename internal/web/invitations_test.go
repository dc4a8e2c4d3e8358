package web

import (
	"strings"
	"testing"
	"time"

	"marshrut/internal/auth"
	"marshrut/internal/youth"
)

// The sheet shows each slip's name, code and a QR code of its link, and
// carries its stylesheet when written for a disk.
func TestWriteSheet(t *testing.T) {
	until := time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC)
	s := Sheet{Org: "МБОУ «СШ № 1»", Class: "9А", Base: "https://marshrut.example.ru", Inline: true, Slips: []youth.Slip{
		{Invitation: youth.Invitation{Role: auth.Learner, ExpiresAt: until}, Name: "Иванова Мария", Code: "ABCD-EFGH-JKMN"},
		{Invitation: youth.Invitation{Role: auth.Guardian, ExpiresAt: until}, Name: "Иванова Мария", Code: "PQRS-TUVW-XYZ2"},
	}}
	var b strings.Builder
	if err := WriteSheet(&b, s); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"ABCD-EFGH-JKMN", "PQRS-TUVW-XYZ2", "для родителя", "до 24.12.2026", "<svg class=\"qr\"", "@page", "https://marshrut.example.ru/join"} {
		if !strings.Contains(out, want) {
			t.Errorf("the sheet lacks %q", want)
		}
	}
	if strings.Count(out, "<svg") != 2 {
		t.Errorf("%d QR codes for 2 slips", strings.Count(out, "<svg"))
	}
}
