package answers_test

import (
	"context"
	"strings"
	"testing"

	"inkorg/answers"
	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// TestBlankTemplates: an empty or blank template is no template. The
// editor and imports drop it, and Draft gives the built-in draft in its
// place, also for an article stored with one before.
func TestBlankTemplates(t *testing.T) {
	blank := map[string]string{"sv": "", "en": "   ", "fi": "\n\t"}
	t.Run("OKEditorDrops", func(t *testing.T) {
		ed := &answers.Editor{Store: sqlstore.NewStore(sqlstoretest.SQLite(t))}
		admin := &inbox.User{Name: "admin", Role: inbox.RoleAdmin}
		a, err := ed.Create(context.Background(), admin, &answers.Article{Title: "Bygglov", URL: "https://goteborg.se/bygglov", Active: true,
			Templates: map[string]string{"sv": "", "en": "   ", "fi": "Hei {{url}}"}})
		if err != nil {
			t.Fatal(err)
		}
		stored, err := ed.Store.FindArticle(context.Background(), a.ID)
		if err != nil || len(stored.Templates) != 1 || stored.Templates["fi"] != "Hei {{url}}" {
			t.Fatalf("got templates %q (%v), want only the Finnish one", stored.Templates, err)
		}
	})
	t.Run("OKImportDrops", func(t *testing.T) {
		input := `{"title": "Bygglov", "url": "https://goteborg.se/bygglov", "templates": {"sv": "", "en": "   "}}`
		p, err := answers.Parse(strings.NewReader(input), answers.FormatJSON, answers.DefaultDomains)
		if err != nil || len(p.Articles) != 1 || p.Articles[0].Templates != nil {
			t.Fatalf("JSON: got %+v, %v; want one article without templates", p, err)
		}
		csv := "title,url,templates\nBygglov,https://goteborg.se/bygglov,\"{\"\"sv\"\": \"\"  \"\"}\"\n"
		p, err = answers.Parse(strings.NewReader(csv), answers.FormatCSV, answers.DefaultDomains)
		if err != nil || len(p.Articles) != 1 || p.Articles[0].Templates != nil {
			t.Fatalf("CSV: got %+v, %v; want one article without templates", p, err)
		}
	})
	t.Run("OKDraftFallsBack", func(t *testing.T) {
		// As stored before blank templates were dropped.
		a := &answers.Article{Title: "Bygglov", URL: "https://goteborg.se/bygglov", Language: "sv", Templates: blank}
		for lang, want := range map[string]string{"sv": "Hej!\n\nDu hittar svar", "en": "Hello,", "fi": "Hei!"} {
			got, ok := answers.Draft(a, lang)
			if !ok || !strings.HasPrefix(got, want) || !strings.Contains(got, a.URL) {
				t.Errorf("Draft %s: got %q, %v; want the built-in draft starting %q with the link", lang, got, ok, want)
			}
		}
		a.Templates = map[string]string{"SV": " "}
		if got := answers.ConversationDraft(a, "und"); !strings.HasPrefix(got, "Hej!") || !strings.Contains(got, a.URL) {
			t.Errorf("ConversationDraft: got %q, want the built-in Swedish draft", got)
		}
	})
}
