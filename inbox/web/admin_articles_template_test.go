package web_test

import (
	"net/http"
	"strings"
	"testing"

	"inkorg/answers"
)

// TestArticleFormTemplateLanguage: saving the form of an article stored
// with a template in a language that is no code (before the editor
// checked them; the form has no field for it) is refused in Swedish,
// naming it, and the article stays as it was.
func TestArticleFormTemplateLanguage(t *testing.T) {
	s := newAdminSite(t)
	ctx := t.Context()
	c := s.signedIn(t, "sune")
	sune, _ := s.store.FindUserByName(ctx, "sune")
	a := &answers.Article{Title: "Lånekort", URL: "https://goteborg.se/lanekort", Language: "sv", Active: true,
		Templates: map[string]string{"sv": "Hej {{url}}", "svenska": "Hej på svenska {{url}}"}}
	if err := s.store.CreateArticle(ctx, sune.ID, a); err != nil {
		t.Fatal(err)
	}
	token := formToken(t, c, s.url+articlePath(a.ID))
	code, body := post(t, c, s.url+articlePath(a.ID), articleForm(token, "Lånekort och e-kort", a.URL))
	if want := `svarsmall på &#34;svenska&#34;, som inte är en språkkod som sv eller en.`; code != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
		t.Errorf("got %d, want 422 saying %q", code, want)
	}
	if got, err := s.store.FindArticle(ctx, a.ID); err != nil || got.Title != "Lånekort" {
		t.Errorf("got %+v (%v), want the article unchanged", got, err)
	}
}
