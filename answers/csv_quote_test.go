package answers_test

import (
	"strings"
	"testing"

	"inkorg/answers"
)

// TestCSVUnclosedQuote: a quote opened on line 3 and never closed runs on
// to the end of the file; every line it took is rejected, none lost.
func TestCSVUnclosedQuote(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     map[int]bool // line: imported
	}{
		{"ErrToEnd", "title,url,summary\n" +
			"A,https://goteborg.se/a,ok\n" +
			"B,https://goteborg.se/b,\"Öppet 8-16\n" +
			"C,https://goteborg.se/c,ok\n" +
			"D,https://goteborg.se/d,ok\n",
			map[int]bool{2: true, 3: false, 4: false, 5: false}},
		{"ErrClosedLater", "title,url,summary\n" +
			"B,https://goteborg.se/b,\"Öppet 8-16\n" +
			"C,https://goteborg.se/c,ok\n" +
			"D,https://goteborg.se/d,\"ok\"x\n" +
			"E,https://goteborg.se/e,ok\n",
			map[int]bool{2: false, 3: false, 4: false, 5: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := answers.Parse(strings.NewReader(tc.in), answers.FormatCSV, answers.DefaultDomains)
			if err != nil {
				t.Fatal(err)
			}
			got := map[int]bool{}
			for _, a := range p.Articles {
				got[map[string]int{"A": 2, "B": 3, "C": 4, "D": 5, "E": 5}[a.Title]] = true
			}
			for _, r := range p.Rejected {
				if _, dup := got[r.Line]; dup {
					t.Errorf("line %d is both imported and rejected", r.Line)
				}
				got[r.Line] = false
				if !says(r.Reason, "citattecknet som öppnas på rad", "quote opened on line") {
					t.Errorf("line %d: reason %q does not name the quote", r.Line, r.Reason)
				}
			}
			for line, imported := range tc.want {
				if v, ok := got[line]; !ok || v != imported {
					t.Errorf("line %d: got imported=%v (accounted %v), want imported=%v; rejected: %v", line, v, ok, imported, p.Rejected)
				}
			}
		})
	}
}
