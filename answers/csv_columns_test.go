package answers_test

import (
	"slices"
	"strings"
	"testing"

	"inkorg/answers"
)

// TestCSVHeader: a header naming a column twice or a column the format
// does not have refuses the file, naming the columns, since the cells of
// either would be lost; empty columns (as Excel saves right of a table)
// are ignored.
func TestCSVHeader(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		wantErr  []string // in the error; none: the file is read
	}{
		{"OK", "title;url;summary;;\nA;https://goteborg.se/a;Kort;;\n", nil},
		{"ErrTwice", "title;url;summary;Summary\nA;https://goteborg.se/a;first;second\n",
			[]string{`"summary" (columns 3 and 4)`}},
		{"ErrUnknown", "title,url,keyword,sumary\nA,https://goteborg.se/a,lånekort,Kort\n",
			[]string{`"keyword" (column 3)`, `"sumary" (column 4)`, "the columns are title, url, summary"}},
		{"ErrNoURL", "title,adress\nA,https://goteborg.se/a\n", []string{`no "url" column`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := answers.Parse(strings.NewReader(tc.in), answers.FormatCSV, answers.DefaultDomains)
			if tc.wantErr == nil {
				if err != nil || len(p.Articles) != 1 || len(p.Rejected) != 0 {
					t.Fatalf("got %v (%v), want one article", p, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("got %d articles, %v rejected, want the file refused", len(p.Articles), p.Rejected)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("got error %q, want it to name %s", err, want)
				}
			}
		})
	}
}

// TestCSVCellCount: a line with more cells than the header has columns
// (a separator in a cell without quotes), fewer (one missing), or text
// under a column without a name is rejected with its line and why, not
// read into the wrong fields, lost, or clearing the stored ones.
func TestCSVCellCount(t *testing.T) {
	in := "title;url;summary;body;\n" +
		"A;https://goteborg.se/a;Kort;Lång;\n" +
		"B;https://goteborg.se/b;Öppet 8-16; lör 10-14;Lång;\n" +
		"C;https://goteborg.se/c\n" +
		"D;https://goteborg.se/d;Kort;Lång;glömd\n" +
		"E;https://goteborg.se/e;;;\n"
	p, err := answers.Parse(strings.NewReader(in), answers.FormatCSV, answers.DefaultDomains)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, a := range p.Articles {
		titles = append(titles, a.Title)
	}
	if !slices.Equal(titles, []string{"A", "E"}) {
		t.Errorf("got articles %v, want [A E]", titles)
	}
	want := []answers.Rejection{
		{Line: 3, Reason: `raden har 6 celler men rubrikraden 5 kolumner: en cell som innehåller ; måste stå inom dubbla citattecken / ` +
			`the line has 6 cells but the header 5 columns: a cell holding ; must be in double quotes`},
		{Line: 4, Reason: `raden har 2 celler men rubrikraden 5 kolumner: ett ; mellan två celler saknas / ` +
			`the line has 2 cells but the header 5 columns: a ; between cells is missing`},
		{Line: 5, Reason: `cell 5 har text, men dess kolumn saknar namn i rubrikraden / cell 5 has text, but its column has no name in the header`},
	}
	if !slices.Equal(p.Rejected, want) {
		t.Errorf("got rejected %v, want %v", p.Rejected, want)
	}
}
