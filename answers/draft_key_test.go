package answers_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"inkorg/answers"
	"inkorg/answers/bleveindex"
	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// TestDraftTemplateKeyCase: an article stored with a template keyed "SV"
// (before keys were normalised) still gets its own Swedish draft.
func TestDraftTemplateKeyCase(t *testing.T) {
	a := &answers.Article{Title: "Bygglov", URL: "https://goteborg.se/bygglov",
		Templates: map[string]string{"SV": "Hej! Läs om bygglov: {{url}} /Göteborgs Stad"}}
	d, ok := answers.Draft(a, "sv")
	if !ok || !strings.HasPrefix(d, "Hej! Läs om bygglov") {
		t.Fatalf("got draft %q, want the article's own Swedish template", d)
	}
}

// TestConversationDraft falls back to Swedish for a language without a
// template.
func TestConversationDraft(t *testing.T) {
	a := &answers.Article{Title: "Bygglov", URL: "https://goteborg.se/bygglov",
		Templates: map[string]string{"sv": "Hej! {{url}}", "fi": "Hei! {{url}}"}}
	for _, tc := range []struct{ lang, want string }{
		{"sv", "Hej! https://goteborg.se/bygglov"},
		{"fi", "Hei! https://goteborg.se/bygglov"},
		{"und", "Hej! https://goteborg.se/bygglov"},
		{"", "Hej! https://goteborg.se/bygglov"},
		{"de", "Hej! https://goteborg.se/bygglov"},
	} {
		if got := answers.ConversationDraft(a, tc.lang); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.lang, got, tc.want)
		}
	}
	if got := answers.ConversationDraft(&answers.Article{Title: "T", URL: "https://goteborg.se/t"}, "und"); !strings.HasPrefix(got, "Hej!") {
		t.Errorf("und without own template: got %q, want the default Swedish draft", got)
	}
}

// TestTemplateKeys: imports and the editor store template languages
// trimmed and lower case, and refuse an empty language or two drafts for
// one language.
func TestTemplateKeys(t *testing.T) {
	ctx := context.Background()
	admin := &inbox.User{Name: "admin", Role: inbox.RoleAdmin}
	for _, tc := range []struct {
		name      string
		templates map[string]string
		want      []string // stored keys; nil: refused
	}{
		{"OKLowerCased", map[string]string{" SV ": "Hej {{url}}", "En": "Hi {{url}}"}, []string{"en", "sv"}},
		{"ErrEmpty", map[string]string{" ": "Hej {{url}}"}, nil},
		{"ErrCollision", map[string]string{"sv": "Hej {{url}}", "SV": "Hej igen {{url}}"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ed := &answers.Editor{Store: sqlstore.NewStore(sqlstoretest.SQLite(t))}
			a, err := ed.Create(ctx, admin, &answers.Article{Title: "Bygglov", URL: "https://goteborg.se/bygglov", Active: true, Templates: maps.Clone(tc.templates)})
			if tc.want == nil {
				if inbox.ErrorCode(err) != inbox.EINVALID || !strings.Contains(inbox.ErrorMessage(err), "templates") {
					t.Errorf("editor: got %v, want EINVALID naming templates", err)
				}
			} else if err != nil || !slices.Equal(slices.Sorted(maps.Keys(a.Templates)), tc.want) {
				t.Errorf("editor: got %v, %v; want keys %v", a, err, tc.want)
			}

			var buf strings.Builder
			if err := answers.WriteJSON(&buf, []*answers.Article{{Title: "Bygglov", URL: "https://goteborg.se/bygglov", Active: true, Templates: tc.templates}}); err != nil {
				t.Fatal(err)
			}
			p, err := answers.Parse(strings.NewReader(buf.String()), answers.FormatJSON, answers.DefaultDomains)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == nil {
				if len(p.Articles) != 0 || len(p.Rejected) != 1 || !strings.Contains(p.Rejected[0].Reason, "templates") {
					t.Errorf("import: got %+v, want the article rejected naming templates", p)
				}
				return
			}
			if len(p.Articles) != 1 || !slices.Equal(slices.Sorted(maps.Keys(p.Articles[0].Templates)), tc.want) {
				t.Fatalf("import: got %+v, want keys %v", p, tc.want)
			}
			if d, ok := answers.Draft(p.Articles[0].Article, "sv"); !ok || !strings.HasPrefix(d, "Hej https://") {
				t.Errorf("import: got draft %q, want the article's own", d)
			}
		})
	}
}

// TestSearchLanguageFilterCase: the language filter matches whatever its
// case and surrounding space.
func TestSearchLanguageFilterCase(t *testing.T) {
	ctx := context.Background()
	idx, err := bleveindex.NewMemory(answers.DefaultAnalyzer())
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if err := idx.Index(ctx, &answers.Article{Title: "Parkeringstillstånd", URL: "https://goteborg.se/p", Administration: "trafik", Language: "sv", Active: true}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []answers.Query{
		{Text: "parkeringstillstånd", Language: "SV"},
		{Text: "parkeringstillstånd", Language: " sv ", Administration: " trafik "},
	} {
		hits, err := idx.Search(ctx, q)
		if err != nil || len(hits) != 1 {
			t.Errorf("%+v: got %d hits, %v; want the Swedish article", q, len(hits), err)
		}
	}
	if q := (answers.Query{Language: " SV ", Administration: " trafik "}).Normalize(); q.Language != "sv" || q.Administration != "trafik" {
		t.Errorf("got %+v, want language sv and administration trafik", q)
	}
}
