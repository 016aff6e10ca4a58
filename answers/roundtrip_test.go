package answers_test

import (
	"bytes"
	"context"
	"reflect"
	"slices"
	"testing"

	"inkorg/answers"
	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// TestRoundTripEditorArticle: an article saved through the editor comes
// back from export -> import unchanged: the editor trims the topic and
// list items and drops empty items, as the CSV import does.
func TestRoundTripEditorArticle(t *testing.T) {
	ctx := context.Background()
	admin := &inbox.User{Name: "admin", Role: inbox.RoleAdmin}
	for _, tc := range []struct {
		name string
		a    answers.Article
		want func(*answers.Article) bool
	}{
		{"OKKeywordWithSpace", answers.Article{Title: "T", URL: "https://goteborg.se/a", Active: true,
			Keywords: []string{"bygglov ", " altan", " "}, Tags: []string{""}, Synonyms: []string{" tillbyggnad"}},
			func(a *answers.Article) bool {
				return slices.Equal(a.Keywords, []string{"bygglov", "altan"}) && a.Tags == nil && slices.Equal(a.Synonyms, []string{"tillbyggnad"})
			}},
		{"OKTopicWithSpace", answers.Article{Title: "T", URL: "https://goteborg.se/b", Active: true, Topic: "bygga "},
			func(a *answers.Article) bool { return a.Topic == "bygga" }},
		{"OKQuotesCommasNewlines", answers.Article{Title: `Säg "hej", då`, URL: "https://goteborg.se/c", Active: true,
			Summary: "rad 1,\n\"rad\" 2;\n", Keywords: []string{`a|b`, `c\d`}},
			func(a *answers.Article) bool {
				return a.Summary == "rad 1,\n\"rad\" 2;\n" && slices.Equal(a.Keywords, []string{`a|b`, `c\d`})
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := sqlstore.NewStore(sqlstoretest.SQLite(t))
			ed := &answers.Editor{Store: st}
			a := tc.a
			if _, err := ed.Create(ctx, admin, &a); err != nil {
				t.Fatal(err)
			}
			stored, err := st.FindArticle(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.want(stored) {
				t.Fatalf("editor stored %#v", *stored)
			}
			for _, format := range []string{answers.FormatCSV, answers.FormatJSON} {
				var buf bytes.Buffer
				if format == answers.FormatCSV {
					err = answers.WriteCSV(&buf, []*answers.Article{stored})
				} else {
					err = answers.WriteJSON(&buf, []*answers.Article{stored})
				}
				if err != nil {
					t.Fatal(err)
				}
				p, err := answers.Parse(&buf, format, answers.DefaultDomains)
				if err != nil || len(p.Articles) != 1 {
					t.Fatalf("%s: parse: %v %+v", format, err, p)
				}
				if got := p.Articles[0].Merge(stored); !reflect.DeepEqual(*got, *stored) {
					t.Errorf("%s: export->import changed the article:\n got %#v\nwant %#v", format, *got, *stored)
				}
			}
		})
	}
}
