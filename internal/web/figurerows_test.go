package web

import (
	"strings"
	"testing"

	"marshrut/internal/targeted"
)

// TestFigureRows checks the rows of the targeted-education tables: the
// employer's name escaped, the counts as the pages write numbers, and the
// small counts masked for the roles that see no person.
func TestFigureRows(t *testing.T) {
	rows := []targeted.Row{{Key: "7", Figures: targeted.Figures{Offers: 2, Places: 4, Applications: 1200, PerPlace: 300, Contracts: 3, Fulfilled: 0, Broken: 1}}}
	names := map[string]string{"7": `ООО «Рыба & <Краб>»`}
	want := `<tr><th scope="row">ООО «Рыба &amp; &lt;Краб&gt;»</th><td class="num">2</td><td class="num">4</td><td class="num">` + Number(1200) +
		`</td><td class="num">300,0</td><td class="num">3</td><td class="num">0</td><td class="num">1</td></tr>`
	if got := string(figureRows(rows, names, Number)); got != want {
		t.Errorf("rows\n got %s\nwant %s", got, want)
	}
	masked := string(figureRows(rows, nil, maskedNumber))
	if !strings.Contains(masked, `<th scope="row">7</th>`) || strings.Count(masked, "менее") != 2 {
		t.Errorf("masked rows %s", masked)
	}
}
