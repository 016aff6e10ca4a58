package answers_test

import (
	"strings"
	"testing"

	"inkorg/answers"
)

// says reports whether msg, written "Swedish / English", gives its reason
// in both languages: sv in the Swedish half and en in the English one.
func says(msg, sv, en string) bool {
	svHalf, enHalf, ok := strings.Cut(msg, " / ")
	return ok && strings.Contains(svHalf, sv) && strings.Contains(enHalf, en)
}

// TestRejectionBilingual: the reasons an import gives editors are written
// "Swedish / English", and each half names what is wrong (the URL, the
// line, the domains, the language).
func TestRejectionBilingual(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		sv, en     []string
	}{
		{
			name: "ErrNoTitle", line: `{"url": "https://goteborg.se/utan-titel"}`,
			sv: []string{"rubrik saknas"}, en: []string{"title is required"},
		},
		{
			name: "ErrHTTP", line: `{"title": "Okrypterad", "url": "http://goteborg.se/http"}`,
			sv: []string{`länken "http://goteborg.se/http"`, "måste börja med https"},
			en: []string{`url "http://goteborg.se/http"`, "must use https"},
		},
		{
			name: "ErrForeignDomain", line: `{"title": "Främmande", "url": "https://example.com/sida"}`,
			sv: []string{`länken "https://example.com/sida"`, "ligger inte på stadens domäner (goteborg.se)"},
			en: []string{`url "https://example.com/sida"`, "is not on the city's domains (goteborg.se)"},
		},
		{
			name: "ErrDuplicateURL", line: `{"title": "Dubblett", "url": "https://goteborg.se/sopor"}`,
			sv: []string{`länken "https://goteborg.se/sopor"`, "finns två gånger (först på rad 1)"},
			en: []string{`duplicate url "https://goteborg.se/sopor"`, "(first on line 1)"},
		},
		{
			name: "ErrLanguage", line: `{"title": "Klingon", "url": "https://goteborg.se/klingon", "language": "klingon"}`,
			sv: []string{`språket "klingon"`, "är ingen språkkod"},
			en: []string{`language "klingon"`, "is not a language code"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := `{"title": "Sopor", "url": "https://goteborg.se/sopor"}` + "\n" + tc.line + "\n"
			p, err := answers.Parse(strings.NewReader(file), answers.FormatJSON, answers.DefaultDomains)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Rejected) != 1 || p.Rejected[0].Line != 2 {
				t.Fatalf("got rejections %v, want line 2 rejected", p.Rejected)
			}
			reason := p.Rejected[0].Reason
			sv, en, ok := strings.Cut(reason, " / ")
			if !ok || strings.Contains(en, " / ") {
				t.Fatalf("got reason %q, want one Swedish half and one English half split by \" / \"", reason)
			}
			for _, want := range tc.sv {
				if !strings.Contains(sv, want) {
					t.Errorf("got Swedish %q, want it to say %q", sv, want)
				}
			}
			for _, want := range tc.en {
				if !strings.Contains(en, want) {
					t.Errorf("got English %q, want it to say %q", en, want)
				}
			}
		})
	}
}
