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
		{"OKDefaultFinnish", "fi", []string{"Hei!\n\nLöydät vastauksen kysymykseesi verkkosivuiltamme (ruotsiksi), \"Skaffa bibliotekskort\":\nhttps://goteborg.se/bibliotek/kort\n\nYstävällisin terveisin\nGöteborgs Stad"}},
		{"OKDefaultArabic", "ar", []string{"مرحباً،", "(باللغة السويدية)", "\"Skaffa bibliotekskort\"", "https://goteborg.se/bibliotek/kort", "Göteborgs Stad"}},
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
	// Every default template in another language than Swedish says the
	// page is in Swedish, and only when it is.
	t.Run("OKInSwedish", func(t *testing.T) {
		sv := &Article{Title: "T", URL: "https://goteborg.se/t", Language: "sv"}
		en := &Article{Title: "T", URL: "https://goteborg.se/t/en", Language: "en"}
		for lang := range DefaultTemplates {
			note := inSwedish[lang]
			if (note == "") != (lang == "sv") {
				t.Errorf("%s: got note %q; want one for every language but sv", lang, note)
			}
			if got, _ := Draft(sv, lang); !strings.Contains(got, note) || strings.Contains(got, "{{") {
				t.Errorf("%s, Swedish page: got %q, want %q in it and no placeholder left", lang, got, note)
			}
			if got, _ := Draft(en, lang); (note != "" && strings.Contains(got, note)) || strings.Contains(got, "{{") ||
				!strings.Contains(got, "https://goteborg.se/t/en") {
				t.Errorf("%s, English page: got %q, want the link without %q", lang, got, note)
			}
		}
	})
	t.Run("ErrNoTemplate", func(t *testing.T) {
		if got, ok := Draft(a, "so"); ok || got != "" {
			t.Fatalf("got %q, %v; want no draft in Somali", got, ok)
		}
	})
}
