package answers

import (
	"strings"
	"testing"
)

func TestDraft(t *testing.T) {
	a := &Article{Title: "Skaffa bibliotekskort", URL: "https://goteborg.se/bibliotek/kort",
		Templates: map[string]string{"sv": "Hej! Läs om lånekort här: {{url}} /Göteborgs Stad"}}
	for _, tc := range []struct {
		name, lang string
		want       []string
	}{
		{"OKOwnTemplate", "sv", []string{"Hej! Läs om lånekort här: https://goteborg.se/bibliotek/kort /Göteborgs Stad"}},
		{"OKDefaultEnglish", "EN", []string{"Hello,", "\"Skaffa bibliotekskort\"", "https://goteborg.se/bibliotek/kort", "Göteborgs Stad"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Draft(a, tc.lang)
			if !ok {
				t.Fatalf("got no draft, want one in %s", tc.lang)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("got %q, want it to contain %q", got, w)
				}
			}
		})
	}
	t.Run("OKDefaultSwedish", func(t *testing.T) {
		got, ok := Draft(&Article{Title: "T", URL: "https://goteborg.se/t"}, "sv")
		if !ok || !strings.HasPrefix(got, "Hej!") || !strings.HasSuffix(got, "Vänliga hälsningar\nGöteborgs Stad") {
			t.Fatalf("got %q, %v; want greeting, link and signature", got, ok)
		}
	})
	t.Run("ErrNoTemplate", func(t *testing.T) {
		if got, ok := Draft(a, "fi"); ok || got != "" {
			t.Fatalf("got %q, %v; want no draft in Finnish", got, ok)
		}
	})
}
