package web

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"marshrut/internal/auth"
	"marshrut/internal/exchange"
)

// The rollup's rule on exports: a row whose base is under five is blanked
// whole; a count under five is blanked, and the row's shares with it.
func TestSuppressRow(t *testing.T) {
	cols := []exchange.Column{{Title: "Муниципалитет"}, {Title: "Год выпуска", Kind: exchange.Int}, {Title: "Выпускники", Kind: exchange.Int},
		{Title: "Трудоустроены", Kind: exchange.Int}, {Title: "Доля", Kind: exchange.Percent}}
	var got [][]any
	write := suppressSmall(cols, func(row []any) error { got = append(got, row); return nil })
	for _, row := range [][]any{
		{"Елизовский", 2025, 120, 80, 0.66},
		{"Алеутский", 2025, 3, 2, 0.66},
		{"Быстринский", 2025, 40, 2, 0.05},
		{"Мильковский", 2025, 40, 0, 0.0},
	} {
		write(row)
	}
	want := [][]any{
		{"Елизовский", 2025, 120, 80, 0.66},
		{"Алеутский", 2025, nil, nil, nil},
		{"Быстринский", 2025, 40, nil, nil},
		{"Мильковский", 2025, 40, 0, 0.0},
	}
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("row %d col %d: %v, want %v", i, j, got[i][j], want[i][j])
			}
		}
	}
}

// Pages for the roles that may not see persons print small counts as
// «менее 5» and hide shares of small counts; the others see the numbers.
func TestMaskedPages(t *testing.T) {
	w, err := New(Deps{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	render := func(u auth.User) string {
		rec := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/audit", nil)
		r = r.WithContext(auth.WithCaller(r.Context(), u, u.Scope("127.0.0.1")))
		w.render(rec, r, 200, "audit", "audit", map[string]any{"Total": 3, "Items": []auth.AuditEntry{{Action: "learners.list", Persons: 2, UserLogin: "x"}},
			"Pager": pager{Page: 1, Pages: 1}, "Filter": auth.AuditFilter{}})
		return rec.Body.String()
	}
	if page := render(auth.User{ID: 1, Login: "federal", Role: auth.Federal}); !strings.Contains(page, "Записей: менее") || strings.Contains(page, "Записей: 3") {
		t.Errorf("federal sees a small count:\n%s", page)
	}
	if page := render(auth.User{ID: 2, Login: "region", Role: auth.Region}); !strings.Contains(page, "Записей: 3") {
		t.Errorf("region does not see the count")
	}
	for n, want := range map[int]string{0: "0", 3: "менее\u00a05", 5: "5", 12345: Number(12345)} {
		if got := maskedNumber(n); got != want {
			t.Errorf("maskedNumber(%d) = %q, want %q", n, got, want)
		}
	}
	share := maskedFuncs["share"].(func(int, int) string)
	if share(2, 100) != "скрыто" || share(50, 4) != "скрыто" || share(50, 100) == "скрыто" {
		t.Errorf("shares: %q %q %q", share(2, 100), share(50, 4), share(50, 100))
	}
}
