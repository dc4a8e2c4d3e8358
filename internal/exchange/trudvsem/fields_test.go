package trudvsem

import "testing"

func TestPlainText(t *testing.T) {
	for in, want := range map[string]string{
		"Сварка металла": "Сварка металла",
		"<p>Сварка</p><ul><li>резка</li><li>зачистка</li></ul>": "Сварка\nрезка\nзачистка\n",
		"строка<br/>ещё<BR />и ещё<br>":                         "строка\nещё\nи ещё\n",
		"&laquo;Ромашка&raquo; &amp; Ко":                        "«Ромашка» & Ко",
		"опыт <5 лет, зарплата a < b":                           "опыт <5 лет, зарплата a < b",
		"<!-- служебное -->текст":                               "текст",
		"<b>жирный</b> и <span class=\"x\">простой</span>":      "жирный и простой",
		"<abc-def> не тег":                                      "<abc-def> не тег",
		"незакрытый <p":                                         "незакрытый <p",
		"<p>а<p>б":                                              "аб",
		"<":                                                     "<",
	} {
		if got := plainText(in); got != want {
			t.Errorf("plainText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestText(t *testing.T) {
	for in, want := range map[string]text{
		`"  Повар "`:     {s: "Повар"},
		`"a\"b\u0410"`:   {s: `a"bА`},
		`12.5`:           {s: "12.5"},
		`true`:           {s: "true"},
		`null`:           {},
		`{"a":1}`:        {bad: true},
		`[1]`:            {bad: true},
		"\"\xff\xfeab\"": {s: "\ufffd\ufffdab"},
	} {
		var got text
		if err := got.UnmarshalJSON([]byte(in)); err != nil || got != want {
			t.Errorf("text(%s) = %+v, %v; want %+v", in, got, err, want)
		}
	}
}
