package answers_test

import (
	"encoding/csv"
	"reflect"
	"strings"
	"testing"

	"inkorg/answers"
)

// TestCSVFormulaNeutralised: a cell that a spreadsheet would run as a
// formula is exported with an apostrophe before it, and the import takes
// exactly that apostrophe off again, so export -> import keeps every text,
// also one that itself starts with an apostrophe.
func TestCSVFormulaNeutralised(t *testing.T) {
	for _, tc := range []struct {
		name        string
		text        string
		cell        string // how the export writes it
		neutralised bool
	}{
		{"OKEquals", `=HYPERLINK("https://evil.example","Klicka")`, `'=HYPERLINK("https://evil.example","Klicka")`, true},
		{"OKPlus", "+46 31 365 00 00", "'+46 31 365 00 00", true},
		{"OKMinus", "- punkt ett\n- punkt två", "'- punkt ett\n- punkt två", true},
		{"OKAt", "@SUM(1+1)", "'@SUM(1+1)", true},
		{"OKTab", "\t=1+1", "'\t=1+1", true},
		{"OKCarriageReturn", "\r=1+1", "'\r=1+1", true},
		{"OKQuoteThenFormula", "'=1+1", "''=1+1", true},
		{"OKQuotesThenFormula", "''-1", "'''-1", true},
		{"OKQuoteThenText", "'hej", "'hej", false},
		{"OKQuoteAlone", "'", "'", false},
		{"OKFormulaLater", "Ring 1+1=2", "Ring 1+1=2", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &answers.Article{Title: "Titel", URL: "https://goteborg.se/a", Summary: tc.text, Body: tc.text, Active: true}
			recs, got := exportImport(t, a)
			for _, col := range []int{2, 3} { // summary, body
				if recs[1][col] != tc.cell {
					t.Errorf("%s cell: got %q, want %q", recs[0][col], recs[1][col], tc.cell)
				}
			}
			if got.Summary != tc.text || got.Body != tc.text {
				t.Errorf("read back: summary %q, body %q; want %q", got.Summary, got.Body, tc.text)
			}
		})
	}
	t.Run("OKEveryColumn", func(t *testing.T) {
		a := &answers.Article{Title: "=Titel", URL: "https://goteborg.se/b", Summary: "+s", Body: "-b",
			Administration: "@förvaltning", Language: "sv", Keywords: []string{"=k", "l"}, Tags: []string{"-t"},
			Synonyms: []string{"@s"}, Topic: "=ämne", Active: true}
		recs, got := exportImport(t, a)
		for i, cell := range recs[1] {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("%s cell %q starts a formula", recs[0][i], cell)
			}
		}
		if !reflect.DeepEqual(*got, *a) {
			t.Errorf("read back:\n got %#v\nwant %#v", *got, *a)
		}
	})
}

// exportImport exports a as CSV and imports it again; it returns the
// exported records, header first, and the article read back.
func exportImport(t *testing.T, a *answers.Article) ([][]string, *answers.Article) {
	t.Helper()
	var b strings.Builder
	if err := answers.WriteCSV(&b, []*answers.Article{a}); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\ufeff")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("exported: got %q, %v; want a header and one line", b.String(), err)
	}
	p, err := answers.Parse(strings.NewReader(b.String()), answers.FormatCSV, answers.DefaultDomains)
	if err != nil || len(p.Articles) != 1 {
		t.Fatalf("read back: got %+v, %v", p, err)
	}
	return recs, p.Articles[0].Article
}
