package answers_test

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"inkorg/answers"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"OK/Canonical", "https://goteborg.se/bygglov", "https://goteborg.se/bygglov"},
		{"OK/TrailingSlashKept", "https://goteborg.se/bygglov/", "https://goteborg.se/bygglov/"},
		{"OK/TrailingSlashesKept", "https://goteborg.se/bygglov//", "https://goteborg.se/bygglov//"},
		{"OK/RootKeepsSlash", "https://goteborg.se/", "https://goteborg.se/"},
		{"OK/RootGetsSlash", "https://goteborg.se", "https://goteborg.se/"},
		{"OK/UpperCaseSchemeAndHost", "HTTPS://WWW.GOTEBORG.SE/bygglov", "https://www.goteborg.se/bygglov"},
		{"OK/PathCaseKept", "https://goteborg.se/Bygglov", "https://goteborg.se/Bygglov"},
		{"OK/DefaultPort", "https://goteborg.se:443/bygglov", "https://goteborg.se/bygglov"},
		{"OK/OtherPort", "https://goteborg.se:8443/bygglov", "https://goteborg.se:8443/bygglov"},
		{"OK/EmptyPort", "https://goteborg.se:/bygglov", "https://goteborg.se/bygglov"},
		{"OK/HTTPDefaultPort", "http://goteborg.se:80/x", "http://goteborg.se/x"},
		{"OK/HostTrailingDot", "https://goteborg.se./bygglov", "https://goteborg.se/bygglov"},
		{"OK/Fragment", "https://goteborg.se/bygglov#x", "https://goteborg.se/bygglov"},
		{"OK/EmptyQueryAndFragment", "https://goteborg.se/bygglov/?#", "https://goteborg.se/bygglov/"},
		{"OK/Tracking", "https://goteborg.se/bygglov?utm_source=fb&utm_medium=social&fbclid=Iw1&gclid=Cj0", "https://goteborg.se/bygglov"},
		{"OK/TrackingUpperCase", "https://goteborg.se/bygglov?UTM_Campaign=v", "https://goteborg.se/bygglov"},
		{"OK/QueryKept", "https://goteborg.se/sok?q=bygglov&utm_source=x&sida=2", "https://goteborg.se/sok?q=bygglov&sida=2"},
		{"OK/QueryEncodingKept", "https://goteborg.se/x?uri=gbglnk%3Agbg.page.2a66", "https://goteborg.se/x?uri=gbglnk%3Agbg.page.2a66"},
		{"OK/PortalPath", "https://goteborg.se/wps/portal/start/!ut/p/z1/04_Sj9=CZ6_P1=MEserviceUrl!5364==/", "https://goteborg.se/wps/portal/start/!ut/p/z1/04_Sj9=CZ6_P1=MEserviceUrl!5364==/"},
		{"OK/NonASCIIPathEncoded", "https://goteborg.se/ansökan", "https://goteborg.se/ans%C3%B6kan"},
		{"OK/EncodedPathKept", "https://goteborg.se/ans%C3%B6kan/", "https://goteborg.se/ans%C3%B6kan/"},
		{"OK/Spaces", "  https://goteborg.se/bygglov \n", "https://goteborg.se/bygglov"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := answers.CanonicalURL(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("CanonicalURL(%q): got %q, %v; want %q", tc.in, got, err, tc.want)
			}
			if again, err := answers.CanonicalURL(got); err != nil || again != got {
				t.Errorf("CanonicalURL(%q): got %q, %v; want it unchanged", got, again, err)
			}
		})
	}
	for _, in := range []string{"", "goteborg.se/bygglov", "/bygglov", "mailto:x@goteborg.se", "https://", "https://user:pw@goteborg.se/x", "https://goteborg.se/%zz"} {
		t.Run("ErrInvalid/"+in, func(t *testing.T) {
			if got, err := answers.CanonicalURL(in); err == nil {
				t.Fatalf("CanonicalURL(%q): got %q, want an error", in, got)
			}
		})
	}
}

// TestCanonicalURLBundledBank checks that the bundled bank loads whole
// with its URLs as written: they are canonical already.
func TestCanonicalURLBundledBank(t *testing.T) {
	raw, err := os.ReadFile("data/answers.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Articles []struct {
			URL string `json:"url"`
		} `json:"articles"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	arts, err := answers.LoadArticles(bytes.NewReader(raw), answers.DefaultDomains)
	if err != nil || len(arts) != len(file.Articles) || len(arts) != 72 {
		t.Fatalf("got %d articles, %v; want all 72 of the file", len(arts), err)
	}
	for i, a := range arts {
		if want := file.Articles[i].URL; a.URL != want {
			t.Errorf("article %d: got %q, want %q", i+1, a.URL, want)
		}
	}
}

func TestValidateCanonicalHost(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		a := &answers.Article{Title: "Bygglov", URL: "HTTPS://WWW.GOTEBORG.SE:443/Bygglov/?utm_source=x#steg"}
		if err := a.Validate([]string{"Goteborg.se"}); err != nil {
			t.Fatalf("Validate: %v", err)
		}
		if want := "https://www.goteborg.se/Bygglov/"; a.URL != want {
			t.Errorf("got URL %q, want %q", a.URL, want)
		}
	})
	for name, u := range map[string]string{
		"ErrLookalike":   "https://EVILGOTEBORG.SE/x",
		"ErrForeign":     "https://GOTEBORG.SE.example.com/x",
		"ErrUserInfo":    "https://goteborg.se@example.com/x",
		"ErrHTTP":        "HTTP://GOTEBORG.SE/x",
		"ErrNotAbsolute": "goteborg.se/x",
	} {
		t.Run(name, func(t *testing.T) {
			a := &answers.Article{Title: "T", URL: u}
			if err := a.Validate(answers.DefaultDomains); err == nil || a.URL != u {
				t.Fatalf("got %v with URL %q, want an error and the URL as given", err, a.URL)
			}
		})
	}
}

func TestLinksIn(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"SentenceEnd", "Läs https://goteborg.se/a/. Eller https://goteborg.se/b!", []string{"https://goteborg.se/a/", "https://goteborg.se/b"}},
		{"Parentheses", "Eller (https://goteborg.se/b), inte http://goteborg.se/c", []string{"https://goteborg.se/b"}},
		{"BalancedParentheses", "Se https://sv.goteborg.se/Fri_(tid).", []string{"https://sv.goteborg.se/Fri_(tid)"}},
		{"SwedishQuotes", "Sidan ”https://goteborg.se/bygglov” svarar.", []string{"https://goteborg.se/bygglov"}},
		{"SwedishQuotesNoSpace", "Se:”https://goteborg.se/bygglov”,och", []string{"https://goteborg.se/bygglov"}},
		{"Guillemets", "»https://goteborg.se/bygglov«", []string{"https://goteborg.se/bygglov"}},
		{"AngleQuotes", "«https://goteborg.se/bygglov»", []string{"https://goteborg.se/bygglov"}},
		{"SingleQuotes", "’https://goteborg.se/bygglov’ och 'https://goteborg.se/sopor'", []string{"https://goteborg.se/bygglov", "https://goteborg.se/sopor"}},
		{"Ellipsis", "Se https://goteborg.se/bygglov…", []string{"https://goteborg.se/bygglov"}},
		{"Markdown", "[bygglov](https://goteborg.se/bygglov)", []string{"https://goteborg.se/bygglov"}},
		{"NoBreakSpace", "https://goteborg.se/bygglov\u00a0finns", []string{"https://goteborg.se/bygglov"}},
		{"HostCaseFragmentTracking", "HTTPS://GOTEBORG.SE/bygglov#ansok och https://goteborg.se/bygglov?utm_source=fb", []string{"https://goteborg.se/bygglov"}},
		{"QueryKept", "https://goteborg.se/sok?q=bygglov&fbclid=1.", []string{"https://goteborg.se/sok?q=bygglov"}},
		{"Root", "https://goteborg.se.", []string{"https://goteborg.se/"}},
		{"None", "Ring 031-365 00 00.", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := answers.LinksIn(tc.text); !slices.Equal(got, tc.want) {
				t.Fatalf("LinksIn(%q): got %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}
