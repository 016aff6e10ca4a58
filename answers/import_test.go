package answers

import (
	"strings"
	"testing"
)

const importJSON = `{"articles": [
  {"title": "Skaffa bibliotekskort", "url": "https://goteborg.se/bibliotek/kort", "administration": "kultur"},
  {"title": "", "url": "https://goteborg.se/utan-titel"},
  {"title": "Okrypterad", "url": "http://goteborg.se/http"},
  {"title": "Främmande", "url": "https://example.com/sida"},
  {"title": "Dubblett", "url": "https://goteborg.se/bibliotek/kort"},
  {"title": 42, "url": "https://goteborg.se/fel-typ"},
  {"title": "Underdomän", "url": "https://centermothemloshet.goteborg.se/ansok", "language": "EN"}
]}`

const importCSV = "title,url,summary,keywords,active\n" +
	"Skaffa bibliotekskort,https://goteborg.se/bibliotek/kort,Lånekort,lånekort|e-böcker,true\n" +
	",https://goteborg.se/utan-titel,,,\n" +
	"Okrypterad,http://goteborg.se/http,,,\n" +
	"Främmande,https://example.com/sida,,,\n" +
	"Dubblett,https://goteborg.se/bibliotek/kort,,,\n" +
	"Aktiv?,https://goteborg.se/aktiv,,,kanske\n" +
	"\"Flera\nrader\",https://goteborg.se/flera,,,false\n"

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, format, input string
		wantURLs            []string
		wantLines           []int
		wantReasons         []string
	}{
		{
			name: "JSON", format: FormatJSON, input: importJSON,
			wantURLs:    []string{"https://goteborg.se/bibliotek/kort", "https://centermothemloshet.goteborg.se/ansok"},
			wantLines:   []int{3, 4, 5, 6, 7},
			wantReasons: []string{"title is required", "must use https", "not on the city's domains", "duplicate url", "cannot read article"},
		},
		{
			name: "CSV", format: FormatCSV, input: importCSV,
			wantURLs:    []string{"https://goteborg.se/bibliotek/kort", "https://goteborg.se/flera"},
			wantLines:   []int{3, 4, 5, 6, 7},
			wantReasons: []string{"title is required", "must use https", "not on the city's domains", "duplicate url", "is not true or false"},
		},
		{
			name: "JSONArray", format: FormatJSON,
			input:     "[\n{\"title\": \"A\", \"url\": \"https://goteborg.se/a\"},\n{\"title\": \"B\", \"url\": \"ftp://goteborg.se/b\"}\n]",
			wantURLs:  []string{"https://goteborg.se/a"},
			wantLines: []int{3}, wantReasons: []string{"must use https"},
		},
		{
			name: "JSONLines", format: FormatJSON,
			input:     "{\"title\": \"A\", \"url\": \"https://goteborg.se/a\"}\n\n{\"url\": \"https://goteborg.se/b\"}\n",
			wantURLs:  []string{"https://goteborg.se/a"},
			wantLines: []int{3}, wantReasons: []string{"title is required"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(strings.NewReader(tc.input), tc.format, DefaultDomains)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var urls []string
			for _, a := range p.Articles {
				urls = append(urls, a.URL)
			}
			if strings.Join(urls, " ") != strings.Join(tc.wantURLs, " ") {
				t.Errorf("got articles %v, want %v", urls, tc.wantURLs)
			}
			if len(p.Rejected) != len(tc.wantLines) {
				t.Fatalf("got rejections %v, want lines %v", p.Rejected, tc.wantLines)
			}
			for i, r := range p.Rejected {
				if r.Line != tc.wantLines[i] || !strings.Contains(r.Reason, tc.wantReasons[i]) {
					t.Errorf("rejection %d: got line %d %q, want line %d containing %q", i, r.Line, r.Reason, tc.wantLines[i], tc.wantReasons[i])
				}
			}
		})
	}
}

func TestParseDefaults(t *testing.T) {
	p, err := Parse(strings.NewReader(importJSON), FormatJSON, DefaultDomains)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Articles[0]; got.Language != "sv" || !got.Active {
		t.Errorf("got language %q active %v, want sv and active by default", got.Language, got.Active)
	}
	if got := p.Articles[1].Language; got != "en" {
		t.Errorf("got language %q, want en lower-cased", got)
	}
}

func TestParseErr(t *testing.T) {
	for _, tc := range []struct{ name, format, input string }{
		{"ErrEmpty", FormatJSON, "  "},
		{"ErrNoArticles", FormatJSON, `{"about": "x"}` + "\n" + `{"about": "y"}`},
		{"ErrCSVHeader", FormatCSV, "name,link\nA,https://goteborg.se/a\n"},
		{"ErrFormat", "xml", "<a/>"},
		{"ErrBrokenJSON", FormatJSON, `{"articles": [{"title": "A"`},
		{"ErrBrokenArray", FormatJSON, `[{"title": "A", "url": "https://goteborg.se/a"}, {"title": `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(strings.NewReader(tc.input), tc.format, DefaultDomains)
			if tc.name == "ErrNoArticles" || tc.name == "ErrBrokenJSON" {
				// Read as JSON Lines, whose lines are not articles: each
				// line is rejected and nothing loads.
				if err != nil || len(p.Rejected) == 0 || len(p.Articles) != 0 {
					t.Fatalf("got %+v, %v; want every line rejected", p, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("got %+v, want an error", p)
			}
		})
	}
}

func TestCSVRoundTrip(t *testing.T) {
	arts := []*Article{{Title: "A, med komma", URL: "https://goteborg.se/a", Summary: "Rad ett\nrad två", Language: "sv",
		Keywords: []string{"x", "y"}, Active: false}}
	var b strings.Builder
	if err := WriteCSV(&b, arts); err != nil {
		t.Fatal(err)
	}
	p, err := Parse(strings.NewReader(b.String()), FormatCSV, DefaultDomains)
	if err != nil || len(p.Articles) != 1 {
		t.Fatalf("got %+v, %v; want the article back", p, err)
	}
	got := p.Articles[0]
	if got.Title != arts[0].Title || got.Summary != arts[0].Summary || strings.Join(got.Keywords, "|") != "x|y" || got.Active {
		t.Fatalf("got %+v, want %+v", got, arts[0])
	}
}
