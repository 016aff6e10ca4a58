package answers

import (
	"strings"
	"testing"
)

func TestBundledArticles(t *testing.T) {
	arts, err := BundledArticles()
	if err != nil {
		t.Fatalf("BundledArticles: %v", err)
	}
	if len(arts) < 50 {
		t.Errorf("got %d bundled articles, want the whole starting bank (72)", len(arts))
	}
}

func TestLoadArticles(t *testing.T) {
	const ok = `{"title":"Sophämtning","url":"https://goteborg.se/sopor","administration":"kretslopp-vatten","language":"sv"}`
	tests := []struct{ name, json, want string }{
		{"ErrNotJSON", `[`, "answers:"},
		{"ErrNoTitle", `{"articles":[{"url":"https://goteborg.se/x"}]}`, "article 1: title is required"},
		{"ErrPlainHTTP", `{"articles":[{"title":"T","url":"http://goteborg.se/x"}]}`, "must use https"},
		{"ErrForeignDomain", `{"articles":[{"title":"T","url":"https://goteborg.se.example.com/x"}]}`, "not on the city's domains"},
		{"ErrLookalikeDomain", `{"articles":[{"title":"T","url":"https://evilgoteborg.se/x"}]}`, "not on the city's domains"},
		{"ErrDuplicateURL", `{"articles":[` + ok + `,` + ok + `]}`, "article 2: url \"https://goteborg.se/sopor\" is also article 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadArticles(strings.NewReader(tc.json), DefaultDomains)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
	t.Run("OK/Subdomain", func(t *testing.T) {
		arts, err := LoadArticles(strings.NewReader(`{"articles":[`+ok+`,{"title":"Hemlöshet","url":"https://centermothemloshet.goteborg.se/"}]}`), DefaultDomains)
		if err != nil || len(arts) != 2 {
			t.Errorf("got %d articles, %v; want 2, nil", len(arts), err)
		}
	})
}
