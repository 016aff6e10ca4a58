package answers_test

import (
	"strings"
	"testing"

	"inkorg/answers"
)

// TestCSVExcelBlankRows: the empty rows Excel saves under a table
// (";;;") are skipped, not rejected as articles without a title.
func TestCSVExcelBlankRows(t *testing.T) {
	in := "\ufefftitle;url;summary\r\n" +
		"Bibliotekskort;https://goteborg.se/bibliotekskort;Så får du ett kort\r\n" +
		";;\r\n" +
		" ; ;\r\n" +
		"Simskola;https://goteborg.se/simskola;\r\n" +
		";;\r\n"
	p, err := answers.Parse(strings.NewReader(in), answers.FormatCSV, answers.DefaultDomains)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Articles) != 2 || len(p.Rejected) != 0 {
		t.Errorf("got %d articles, rejected %+v; want 2 and none rejected", len(p.Articles), p.Rejected)
	}
}

// TestWriteCSVForExcel: the export opens in Excel in Swedish (a byte
// order mark, semicolons) and reads back as it was written.
func TestWriteCSVForExcel(t *testing.T) {
	arts := []*answers.Article{{Title: "Parkering; boende", URL: "https://goteborg.se/boendeparkering", Summary: "Så söker du, steg för steg", Keywords: []string{"p-tillstånd", "Göteborg, stad"}, Active: true}}
	var b strings.Builder
	if err := answers.WriteCSV(&b, arts); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "\ufefftitle;url;summary;") {
		t.Fatalf("got %q, want a byte order mark and semicolons", b.String()[:min(40, b.Len())])
	}
	p, err := answers.Parse(strings.NewReader(b.String()), answers.FormatCSV, answers.DefaultDomains)
	if err != nil || len(p.Articles) != 1 {
		t.Fatalf("read back: got %+v, %v", p, err)
	}
	if a := p.Articles[0]; a.Title != arts[0].Title || a.Summary != arts[0].Summary || len(a.Keywords) != 2 || a.Keywords[1] != "Göteborg, stad" {
		t.Errorf("read back: got %+v, want %+v", a, arts[0])
	}
}
