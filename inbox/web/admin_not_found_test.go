package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAdminNotFoundLanguage: a rule or an article that is not there (a
// stale link, one a colleague deleted) is said in the reader's language
// only, and deactivating a missing article leads back to the answer bank,
// not to the missing article's page.
func TestAdminNotFoundLanguage(t *testing.T) {
	s := newAdminSite(t)
	adam := s.signedIn(t, "adam")
	for _, lang := range []string{"sv", "en"} {
		token := formToken(t, adam, s.url+"/")
		if code, _ := post(t, adam, s.url+"/settings/language", url.Values{"lang": {lang}, "csrf": {token}}); code != http.StatusSeeOther {
			t.Fatalf("setting the language %s: got %d, want 303", lang, code)
		}
		for _, tc := range []struct {
			name, method, path, wantTo string
			want                       [2]string
		}{
			{"ErrRulePage", http.MethodGet, "/admin/rules/999", "", [2]string{"Regeln finns inte.", "Rule not found."}},
			{"ErrRuleDelete", http.MethodPost, "/admin/rules/999/delete", "/admin/rules", [2]string{"Regeln finns inte.", "Rule not found."}},
			{"ErrArticlePage", http.MethodGet, "/admin/answers/999", "", [2]string{"Artikeln finns inte.", "Article not found."}},
			{"ErrArticleDelete", http.MethodPost, "/admin/answers/999/delete", "/admin/answers", [2]string{"Artikeln finns inte.", "Article not found."}},
			{"ErrArticleDeactivate", http.MethodPost, "/admin/answers/999/active", "/admin/answers", [2]string{"Artikeln finns inte.", "Article not found."}},
		} {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				i, other := 0, 1
				if lang == "en" {
					i, other = 1, 0
				}
				var body string
				if tc.method == http.MethodGet {
					var code int
					if code, body, _ = get(t, adam, s.url+tc.path); code != http.StatusNotFound {
						t.Errorf("got %d, want 404", code)
					}
				} else {
					resp, err := adam.PostForm(s.url+tc.path, url.Values{"csrf": {formToken(t, adam, s.url+"/")}, "active": {"false"}})
					if err != nil {
						t.Fatal(err)
					}
					resp.Body.Close()
					if to := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || to != tc.wantTo {
						t.Fatalf("got %d to %q, want 303 to %s", resp.StatusCode, to, tc.wantTo)
					}
					var code int
					if code, body, _ = get(t, adam, s.url+tc.wantTo); code != http.StatusOK {
						t.Errorf("GET %s: got %d, want 200", tc.wantTo, code)
					}
				}
				body = html.UnescapeString(body)
				if !strings.Contains(body, tc.want[i]) || strings.Contains(body, tc.want[other]) {
					j := max(strings.Index(body, "<main"), 0)
					t.Errorf("the page says %.300q, want %q and not %q", body[j:], tc.want[i], tc.want[other])
				}
			})
		}
	}
}
