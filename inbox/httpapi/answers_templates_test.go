package httpapi_test

import (
	"net/http"
	"testing"

	"inkorg/inbox/httpapi"
)

// TestArticleTemplateLanguage: the editor API refuses a template whose
// language is not a code with 400 naming it, and stores none of the
// article.
func TestArticleTemplateLanguage(t *testing.T) {
	s, _ := newEditorFixture(t)
	body := `{"title":"Bygglov","url":"https://goteborg.se/bygglov","templates":{"svenska":"Hej {{url}}","sv-SE":"x"}}`
	var out httpapi.ErrorResponse
	if st := s.send(t, http.MethodPost, "/api/v1/answers/articles", s.admin, body, &out); st != http.StatusBadRequest ||
		out.Error.Message != `Artikeln kan inte sparas: mallarna har ett utkast på "sv-SE", som inte är en språkkod som sv eller en. / `+
			`The article cannot be saved: templates has a draft in "sv-SE", which is not a language code such as sv or en.` {
		t.Errorf("got %d %q, want 400 naming the template language sv-SE", st, out.Error.Message)
	}
	if list, _ := s.store.ListArticles(t.Context()); len(list) != 0 {
		t.Errorf("got %d articles stored, want none", len(list))
	}
}
