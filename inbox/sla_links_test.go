package inbox_test

import (
	"slices"
	"testing"

	"inkorg/answers"
	"inkorg/inbox"
)

// TestAnswerLinkMatcherQuotes: a reply with the article's link in quotes
// counts as answered with a link in the SLA metrics, as it does in the
// answer bank's statistics (answers.LinksIn).
func TestAnswerLinkMatcherQuotes(t *testing.T) {
	const page = "https://goteborg.se/bygglov"
	linked := inbox.AnswerLinkMatcher([]string{page})
	for _, tc := range []struct{ name, text string }{
		{"OKSwedishQuotes", "Se ”https://goteborg.se/bygglov” för mer."},
		{"OKSwedishQuotesNoSpace", "Se:”https://goteborg.se/bygglov”,och"},
		{"OKGuillemets", "»https://goteborg.se/bygglov«"},
		{"OKAngleQuotes", "«https://goteborg.se/bygglov»"},
		{"OKEnglishQuotes", "“https://goteborg.se/bygglov”"},
		{"OKLowQuotes", "„https://goteborg.se/bygglov“"},
		{"OKSingleQuotes", "’https://goteborg.se/bygglov’"},
		{"OKNoBreakSpace", "https://goteborg.se/bygglov\u00a0finns"},
		{"OKPlain", "Läs https://goteborg.se/bygglov."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !linked(tc.text) {
				t.Errorf("AnswerLinkMatcher(%q): got false, want true", tc.text)
			}
			if got := answers.LinksIn(tc.text); !slices.Contains(got, page) {
				t.Errorf("answers.LinksIn(%q): got %q, want it to hold %s", tc.text, got, page)
			}
		})
	}
	t.Run("ErrOtherPage", func(t *testing.T) {
		if linked("Se ”https://goteborg.se/bygglovet”.") {
			t.Error("got true for another page in quotes, want false")
		}
	})
}
