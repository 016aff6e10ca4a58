package answers_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"inkorg/answers"
	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// TestEditorLineEndsAndNoChange: the editor stores summary, body and
// templates with LF line ends, as a browser's textarea sends CR LF, and
// saving an article as it is stores and audits nothing, also when it was
// stored with CR LF before.
func TestEditorLineEndsAndNoChange(t *testing.T) {
	ctx := context.Background()
	st := sqlstore.NewStore(sqlstoretest.SQLite(t))
	ed := &answers.Editor{Store: st}
	admin := &inbox.User{Name: "admin", Role: inbox.RoleAdmin}
	entered := func() *answers.Article {
		return &answers.Article{Title: "Bygglov", URL: "https://goteborg.se/bygglov", Summary: "Rad ett\r\nrad två\r\n",
			Body: "\r\n  Indraget.\r\n", Keywords: []string{"Göteborg, stad", "bygglov"}, Language: "sv", Active: true,
			Templates: map[string]string{"sv": "Hej\r\n{{url}}"}}
	}
	a, err := ed.Create(ctx, admin, entered())
	if err != nil {
		t.Fatal(err)
	}
	stored, err := st.FindArticle(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Summary != "Rad ett\nrad två\n" || stored.Body != "\n  Indraget.\n" || stored.Templates["sv"] != "Hej\n{{url}}" {
		t.Fatalf("got summary %q, body %q, templates %q; want LF line ends, spaces kept", stored.Summary, stored.Body, stored.Templates)
	}

	t.Run("OKUnchanged", func(t *testing.T) {
		for _, again := range []*answers.Article{entered(), stored} {
			again := *again
			again.ID, again.UpdatedAt = a.ID, stored.UpdatedAt
			got, err := ed.Update(ctx, admin, &again)
			if err != nil || got.ID != a.ID || !got.UpdatedAt.Equal(stored.UpdatedAt) {
				t.Fatalf("got %+v, %v; want the stored article back, not updated", got, err)
			}
		}
		if actions := auditActions(t, st, a.ID); !slices.Equal(actions, []string{answers.ActionArticleCreate}) {
			t.Errorf("got audit %v, want only the creation", actions)
		}
	})
	t.Run("OKStoredCRLFUnchanged", func(t *testing.T) {
		// Stored with CR LF before the editor read it as LF.
		legacy := *stored
		legacy.Body, legacy.Templates = "Rad ett\r\nrad två", map[string]string{"sv": "Hej\r\n{{url}}"}
		before, err := st.UpdateArticle(ctx, admin.ID, &legacy, answers.ActionArticleUpdate)
		if err != nil || before == nil {
			t.Fatal(err)
		}
		saved, _ := st.FindArticle(ctx, a.ID)
		again := *saved
		again.Body, again.Templates = "Rad ett\nrad två", maps.Clone(saved.Templates)
		again.Templates["sv"] = "Hej\n{{url}}"
		if _, err := ed.Update(ctx, admin, &again); err != nil {
			t.Fatal(err)
		}
		got, _ := st.FindArticle(ctx, a.ID)
		if got.Body != legacy.Body || got.Templates["sv"] != legacy.Templates["sv"] || !got.UpdatedAt.Equal(saved.UpdatedAt) {
			t.Errorf("got body %q, templates %q; want the stored text kept, not updated", got.Body, got.Templates)
		}
	})
	t.Run("OKChanged", func(t *testing.T) {
		n := len(auditActions(t, st, a.ID))
		cur, _ := st.FindArticle(ctx, a.ID)
		cur.Title = "Bygglov för altan"
		if _, err := ed.Update(ctx, admin, cur); err != nil {
			t.Fatal(err)
		}
		if actions := auditActions(t, st, a.ID); len(actions) != n+1 || actions[n] != answers.ActionArticleUpdate {
			t.Errorf("got audit %v, want one more update", actions)
		}
	})
}

// TestImportKeepsStoredCRLF: an import of a template that differs from the
// stored one only in CR LF line ends (read as LF) keeps the stored one, so
// that re-importing an export changes nothing.
func TestImportKeepsStoredCRLF(t *testing.T) {
	stored := &answers.Article{Title: "Bygglov", URL: "https://goteborg.se/bygglov", Language: "sv", Active: true,
		Templates: map[string]string{"sv": "Hej\r\n{{url}}", "en": "Hi\n{{url}}"}}
	p, err := answers.Parse(strings.NewReader(`{"title": "Bygglov", "url": "https://goteborg.se/bygglov", "templates": {"sv": "Hej\r\n{{url}}", "en": "Hi\r\n{{url}}"}}`),
		answers.FormatJSON, answers.DefaultDomains)
	if err != nil || len(p.Articles) != 1 {
		t.Fatalf("got %+v, %v; want one article", p, err)
	}
	if got := p.Articles[0].Merge(stored); !maps.Equal(got.Templates, stored.Templates) {
		t.Errorf("got templates %q, want the stored %q", got.Templates, stored.Templates)
	}
	p, _ = answers.Parse(strings.NewReader(`{"title": "Bygglov", "url": "https://goteborg.se/bygglov", "templates": {"sv": "Hej då\r\n{{url}}"}}`),
		answers.FormatJSON, answers.DefaultDomains)
	if got := p.Articles[0].Merge(stored); !maps.Equal(got.Templates, map[string]string{"sv": "Hej då\n{{url}}"}) {
		t.Errorf("got templates %q, want the new one with LF", got.Templates)
	}
}

func auditActions(t *testing.T, st answers.EditStore, id int64) []string {
	t.Helper()
	changes, err := st.FindArticleChanges(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ch := range changes {
		out = append(out, ch.Action)
	}
	return out
}
