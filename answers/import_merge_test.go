package answers

import (
	"reflect"
	"strings"
	"testing"
)

// storedArticle is an article as the bank holds it, every field set and
// deactivated, in English.
func storedArticle() *Article {
	return &Article{
		ID: 7, Title: "Båtplats", URL: "https://goteborg.se/batplats", Summary: "Hyr en båtplats.", Body: "Rad ett\r\nrad två",
		Administration: "idrott", Language: "en", Keywords: []string{"båt"}, Topic: "fritid", Tags: []string{"hamn"},
		Synonyms: []string{"brygga"}, Templates: map[string]string{"sv": "Hej! {{url}}"}, Active: false,
	}
}

// TestImportMerge imports one line over storedArticle: only what the file
// gives changes.
func TestImportMerge(t *testing.T) {
	for _, tc := range []struct {
		name, format, input string
		want                func(a *Article)
	}{
		{
			name: "CSVSomeColumns", format: FormatCSV,
			input: "title,url,summary\nBåtplatser,https://goteborg.se/batplats,Ny sammanfattning\n",
			want:  func(a *Article) { a.Title, a.Summary = "Båtplatser", "Ny sammanfattning" },
		},
		{
			name: "CSVEmptyCellsClear", format: FormatCSV,
			input: "title,url,summary,body,keywords,templates\nBåtplats,https://goteborg.se/batplats,,,,\n",
			want:  func(a *Article) { a.Summary, a.Body, a.Keywords, a.Templates = "", "", nil, nil },
		},
		{
			// An empty language or active cell keeps what is stored.
			name: "CSVEmptyLanguageAndActive", format: FormatCSV,
			input: "title,url,language,active\nBåtplats,https://goteborg.se/batplats,,\n",
			want:  func(*Article) {},
		},
		{
			name: "CSVLanguageAndActive", format: FormatCSV,
			input: "title;url;language;active\nBåtplats;https://goteborg.se/batplats;SV;SANT\n",
			want:  func(a *Article) { a.Language, a.Active = "sv", true },
		},
		{
			// CSV reads CR LF as LF: the stored line ends stay.
			name: "CSVLineEnds", format: FormatCSV,
			input: "title,url,body\nBåtplats,https://goteborg.se/batplats,\"Rad ett\r\nrad två\"\n",
			want:  func(*Article) {},
		},
		{
			name: "CSVNewText", format: FormatCSV,
			input: "title,url,body\nBåtplats,https://goteborg.se/batplats,\"Rad ett\nrad tre\n\"\n",
			want:  func(a *Article) { a.Body = "Rad ett\nrad tre\n" },
		},
		{
			name: "JSONAbsentKeys", format: FormatJSON,
			input: `{"title": "Båtplats", "url": "https://goteborg.se/batplats", "summary": "Ny"}`,
			want:  func(a *Article) { a.Summary = "Ny" },
		},
		{
			name: "JSONNullIsAbsent", format: FormatJSON,
			input: `{"title": "Båtplats", "url": "https://goteborg.se/batplats", "active": null, "keywords": null, "body": null}`,
			want:  func(*Article) {},
		},
		{
			name: "JSONEmptyValuesClear", format: FormatJSON,
			input: `{"title": "Båtplats", "url": "https://goteborg.se/batplats", "keywords": [], "templates": {}, "body": "", "active": true, "language": ""}`,
			want: func(a *Article) {
				a.Keywords, a.Templates, a.Body, a.Active = nil, nil, "", true
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(strings.NewReader(tc.input), tc.format, DefaultDomains)
			if err != nil || len(p.Articles) != 1 {
				t.Fatalf("got %+v, %v; want one article", p, err)
			}
			got := p.Articles[0].Merge(storedArticle())
			want := storedArticle()
			tc.want(want)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %#v, want %#v", got, want)
			}
		})
	}
}

// TestImportMergeNew imports a line of only title and url: a new article
// gets the defaults, active and in Swedish.
func TestImportMergeNew(t *testing.T) {
	for format, input := range map[string]string{
		FormatCSV:  "title,url\nBåtplats,https://goteborg.se/batplats\n",
		FormatJSON: `{"title": "Båtplats", "url": "https://goteborg.se/batplats"}`,
	} {
		t.Run(format, func(t *testing.T) {
			p, err := Parse(strings.NewReader(input), format, DefaultDomains)
			if err != nil || len(p.Articles) != 1 {
				t.Fatalf("got %+v, %v; want one article", p, err)
			}
			got := p.Articles[0].Merge(nil)
			want := &Article{Title: "Båtplats", URL: "https://goteborg.se/batplats", Language: "sv", Active: true}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %#v, want %#v", got, want)
			}
		})
	}
}
