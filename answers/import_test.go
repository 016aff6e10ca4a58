package answers

import (
	"reflect"
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
			wantURLs:  []string{"https://goteborg.se/bibliotek/kort", "https://centermothemloshet.goteborg.se/ansok"},
			wantLines: []int{3, 4, 5, 6, 7},
			wantReasons: []string{
				"rubrik saknas / title is required",
				`länken "http://goteborg.se/http" måste börja med https / url "http://goteborg.se/http" must use https`,
				`länken "https://example.com/sida" ligger inte på stadens domäner (goteborg.se) / url "https://example.com/sida" is not on the city's domains (goteborg.se)`,
				`länken "https://goteborg.se/bibliotek/kort" finns två gånger (först på rad 2) / duplicate url "https://goteborg.se/bibliotek/kort" (first on line 2)`,
				`artikeln kan inte läsas: "title" måste vara en textsträng, inte ett tal / cannot read article: "title" must be a string, not number`},
		},
		{
			name: "CSV", format: FormatCSV, input: importCSV,
			wantURLs:  []string{"https://goteborg.se/bibliotek/kort", "https://goteborg.se/flera"},
			wantLines: []int{3, 4, 5, 6, 7},
			wantReasons: []string{
				"rubrik saknas / title is required",
				`länken "http://goteborg.se/http" måste börja med https / url "http://goteborg.se/http" must use https`,
				`länken "https://example.com/sida" ligger inte på stadens domäner (goteborg.se) / url "https://example.com/sida" is not on the city's domains (goteborg.se)`,
				`länken "https://goteborg.se/bibliotek/kort" finns två gånger (först på rad 2) / duplicate url "https://goteborg.se/bibliotek/kort" (first on line 2)`,
				`active "kanske" är varken true eller false (eller sant/falskt, ja/nej) / active "kanske" is not true or false (nor sant/falskt, ja/nej)`},
		},
		{
			// The CSV format's words for active are not JSON's.
			name: "JSONActiveWord", format: FormatJSON,
			input:     `{"title": "Sopor", "url": "https://goteborg.se/sopor", "active": "nej"}` + "\n",
			wantLines: []int{1}, wantReasons: []string{`artikeln kan inte läsas: "active" måste vara true eller false, inte en textsträng / cannot read article: "active" must be true or false, not string`},
		},
		{
			// An element of the list that is no object is named so.
			name: "JSONElementNotObject", format: FormatJSON,
			input:     `[{"title": "Sopor", "url": "https://goteborg.se/sopor"}, 5]` + "\n",
			wantURLs:  []string{"https://goteborg.se/sopor"},
			wantLines: []int{1}, wantReasons: []string{`artikeln kan inte läsas: en artikel är ett JSON-objekt, inte ett tal / cannot read article: an article is a JSON object, not number`},
		},
		{
			// A bare quote in the first field used to panic in FieldPos.
			name: "CSVBareQuoteInTitle", format: FormatCSV,
			input:     "title,url\nHämta \"grovsopor\",https://goteborg.se/grovsopor\nGrovsopor,https://goteborg.se/sopor\n",
			wantURLs:  []string{"https://goteborg.se/sopor"},
			wantLines: []int{2}, wantReasons: []string{`raden kan inte läsas: bare " in non-quoted-field / cannot read line: bare " in non-quoted-field`},
		},
		{
			name: "CSVExcelSwedish", format: FormatCSV,
			input: "\ufefftitle;url;summary;active\r\n" +
				"Skaffa bibliotekskort;https://goteborg.se/bibliotek/kort;Lånekort, e-böcker;SANT\r\n" +
				"\"Båtplats; vinter\";https://goteborg.se/batplats;;FALSKT\r\n",
			wantURLs: []string{"https://goteborg.se/bibliotek/kort", "https://goteborg.se/batplats"},
		},
		{
			name: "CSVNotUTF8", format: FormatCSV,
			input:     "title,url\nB\xe5tplats,https://goteborg.se/batplats\nBåtplats,https://goteborg.se/batplats2\n",
			wantURLs:  []string{"https://goteborg.se/batplats2"},
			wantLines: []int{2}, wantReasons: []string{"raden är inte UTF-8-text: spara filen som UTF-8 (i Excel: CSV UTF-8) / the line is not UTF-8 text: save the file as UTF-8 (in Excel: CSV UTF-8)"},
		},
		{
			name: "JSONNUL", format: FormatJSON,
			input:     "{\"title\": \"A\", \"url\": \"https://goteborg.se/a\", \"summary\": \"a\\u0000b\"}\n{\"title\": \"B\", \"url\": \"https://goteborg.se/b\"}\n",
			wantURLs:  []string{"https://goteborg.se/b"},
			wantLines: []int{1}, wantReasons: []string{"artikeln innehåller ett NUL-tecken / the article contains a NUL character"},
		},
		{
			name: "JSONArray", format: FormatJSON,
			input:     "[\n{\"title\": \"A\", \"url\": \"https://goteborg.se/a\"},\n{\"title\": \"B\", \"url\": \"ftp://goteborg.se/b\"}\n]",
			wantURLs:  []string{"https://goteborg.se/a"},
			wantLines: []int{3}, wantReasons: []string{`länken "ftp://goteborg.se/b" måste börja med https / url "ftp://goteborg.se/b" must use https`},
		},
		{
			// A list's item or a map's value of the wrong type is named so,
			// not as if the list or the map should be a string.
			name: "JSONItemType", format: FormatJSON,
			input: "{\"title\": \"A\", \"url\": \"https://goteborg.se/a\", \"keywords\": [\"sopor\", 1]}\n" +
				"{\"title\": \"B\", \"url\": \"https://goteborg.se/b\", \"templates\": {\"sv\": 5}}\n",
			wantLines: []int{1, 2}, wantReasons: []string{
				`artikeln kan inte läsas: "keywords" måste vara en lista med textsträngar, inte med ett tal / cannot read article: "keywords" must be a list of strings, not one with a number`,
				`artikeln kan inte läsas: "templates" måste vara ett objekt med textsträngar, inte med ett tal / cannot read article: "templates" must be an object of strings, not one with a number`},
		},
		{
			name: "JSONLines", format: FormatJSON,
			input:     "{\"title\": \"A\", \"url\": \"https://goteborg.se/a\"}\n\n{\"url\": \"https://goteborg.se/b\"}\n",
			wantURLs:  []string{"https://goteborg.se/a"},
			wantLines: []int{3}, wantReasons: []string{"rubrik saknas / title is required"},
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
	for _, tc := range []struct{ name, format, input, want string }{
		{"ErrEmpty", FormatJSON, "  ", ""},
		{"ErrNoArticles", FormatJSON, `{"about": "x"}` + "\n" + `{"about": "y"}`, "rad 2: ogiltig JSON: invalid character '{' after top-level value; filen är ett enda JSON-dokument, så inget importeras / line 2: invalid character '{' after top-level value"},
		{"ErrCSVHeader", FormatCSV, "name,link\nA,https://goteborg.se/a\n", ""},
		{"ErrCSVEmpty", FormatCSV, "", "CSV-filen är tom; den behöver en rubrikrad med minst kolumnerna title och url / the CSV file is empty; it needs a header line"},
		{"ErrFormat", "xml", "<a/>", ""},
		{"ErrBrokenJSON", FormatJSON, `{"articles": [{"title": "A"`, "rad 1: ogiltig JSON: unexpected end of JSON input; filen är ett enda JSON-dokument, så inget importeras / line 1: unexpected end of JSON input"},
		{"ErrBrokenArray", FormatJSON, `[{"title": "A", "url": "https://goteborg.se/a"}, {"title": `, ""},
		{"ErrJSONNotUTF8", FormatJSON, "[\n{\"title\": \"A\", \"url\": \"https://goteborg.se/a\"},\n{\"title\": \"B\xe5tplats\", \"url\": \"https://goteborg.se/b\"}\n]", "rad 3 är inte UTF-8-text: spara filen som UTF-8 / line 3 is not UTF-8 text: save the file as UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(strings.NewReader(tc.input), tc.format, DefaultDomains)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %+v, %v; want an error containing %q", p, err, tc.want)
			}
		})
	}
}

// TestParseCSVActive reads the active column as Go, Excel in Swedish and
// people write it.
func TestParseCSVActive(t *testing.T) {
	for _, tc := range []struct {
		cell       string
		want, isOK bool
	}{
		{"true", true, true}, {"False", false, true}, {"TRUE", true, true}, {"1", true, true}, {"0", false, true},
		{"SANT", true, true}, {"FALSKT", false, true}, {"sant", true, true}, {"Falskt", false, true},
		{"ja", true, true}, {"Nej", false, true}, {"JA", true, true}, {"NEJ", false, true},
		{"", true, true}, {"kanske", false, false},
	} {
		t.Run(tc.cell, func(t *testing.T) {
			p, err := Parse(strings.NewReader("title,url,active\nA,https://goteborg.se/a,"+tc.cell+"\n"), FormatCSV, DefaultDomains)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.isOK {
				if len(p.Rejected) != 1 || !strings.Contains(p.Rejected[0].Reason, "is not true or false") {
					t.Fatalf("got %+v, want the line rejected", p)
				}
				return
			}
			if len(p.Articles) != 1 || p.Articles[0].Active != tc.want {
				t.Fatalf("got %+v, want one article with active %v", p, tc.want)
			}
		})
	}
}

// TestRoundTrip writes articles in each format and parses them back:
// every field comes back as it was, multi-line and padded text, list
// items holding "|" or a backslash and templates included.
func TestRoundTrip(t *testing.T) {
	arts := []*Article{
		{Title: "A, med komma", URL: "https://goteborg.se/a", Summary: "Rad ett\nrad två\n", Language: "sv",
			Body: "\n  Indraget stycke.\n\nSista raden; \"citat\"\n\n", Administration: "kultur", Topic: "bibliotek",
			Keywords: []string{"x|y", `C:\mapp`, "slut\\", `\|`}, Tags: []string{"a|", "|b"}, Synonyms: []string{"lånekort"},
			Templates: map[string]string{"sv": "Hej!\n\nLäs mer: {{url}}\n"}, Active: false},
		{Title: "B", URL: "https://goteborg.se/b", Language: "en", Active: true},
	}
	for _, tc := range []struct {
		format string
		write  func(*strings.Builder, []*Article) error
	}{
		{FormatCSV, func(b *strings.Builder, a []*Article) error { return WriteCSV(b, a) }},
		{FormatJSON, func(b *strings.Builder, a []*Article) error { return WriteJSON(b, a) }},
	} {
		t.Run(tc.format, func(t *testing.T) {
			var b strings.Builder
			if err := tc.write(&b, arts); err != nil {
				t.Fatal(err)
			}
			p, err := Parse(strings.NewReader(b.String()), tc.format, DefaultDomains)
			if err != nil || len(p.Articles) != len(arts) {
				t.Fatalf("got %+v, %v; want the articles back", p, err)
			}
			for i, got := range p.Articles {
				back := &Article{Title: got.Title, URL: got.URL, Summary: got.Summary, Body: got.Body, Administration: got.Administration,
					Language: got.Language, Keywords: got.Keywords, Topic: got.Topic, Tags: got.Tags, Synonyms: got.Synonyms,
					Templates: got.Templates, Active: got.Active}
				if !reflect.DeepEqual(back, arts[i]) {
					t.Errorf("got %#v, want %#v", back, arts[i])
				}
			}
		})
	}
}
