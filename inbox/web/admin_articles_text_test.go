package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"inkorg/answers"
)

// TestArticleFormText: the form stores summary, body and templates as
// written, with the CR LF line ends a textarea sends read as LF; the page
// shows them so that a browser posts them back the same (a text's first
// line break included); and saving the form unchanged stores and audits
// nothing.
func TestArticleFormText(t *testing.T) {
	s := newAdminSite(t)
	ctx := t.Context()
	c := s.signedIn(t, "sune")
	token := formToken(t, c, s.url+"/admin/answers/new")
	form := articleForm(token, "Lånekort", "https://goteborg.se/lanekort")
	form.Set("summary", "Rad ett\r\nrad två\r\n")
	form.Set("body", "\r\n  Indraget stycke.\r\n")
	form.Set("template_sv", "Hej\r\n{{url}}")
	if code, body := post(t, c, s.url+"/admin/answers", form); code != http.StatusSeeOther {
		t.Fatalf("create: got %d, want 303: %s", code, body)
	}
	list, err := s.store.ListArticles(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("got %d articles (%v), want 1", len(list), err)
	}
	a := list[0]
	if a.Summary != "Rad ett\nrad två\n" || a.Body != "\n  Indraget stycke.\n" || a.Templates["sv"] != "Hej\n{{url}}" {
		t.Fatalf("stored summary %q, body %q, templates %q; want the text as written with LF line ends", a.Summary, a.Body, a.Templates)
	}

	_, page, _ := get(t, c, s.url+articlePath(a.ID))
	// The browser drops one line break right after <textarea>.
	if want := "aria-describedby=\"article-body-help\">\n\n  Indraget stycke.\n</textarea>"; !strings.Contains(page, want) {
		t.Errorf("the page does not show the body to post back as it is; want %q in it", want)
	}
	m := regexp.MustCompile(`name="version" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the article's page has no version field")
	}
	form.Set("version", m[1])
	if code, body := post(t, c, s.url+articlePath(a.ID), form); code != http.StatusSeeOther {
		t.Fatalf("save unchanged: got %d, want 303: %s", code, body)
	}
	got, err := s.store.FindArticle(ctx, a.ID)
	if err != nil || !got.UpdatedAt.Equal(a.UpdatedAt) || got.Summary != a.Summary || got.Templates["sv"] != a.Templates["sv"] {
		t.Errorf("after saving unchanged: got %+v (%v), want the article as it was", got, err)
	}
	changes, err := s.store.FindArticleChanges(ctx, a.ID)
	if err != nil || len(changes) != 1 || changes[0].Action != answers.ActionArticleCreate {
		t.Errorf("got %d audit entries (%v), want only the creation", len(changes), err)
	}
}
