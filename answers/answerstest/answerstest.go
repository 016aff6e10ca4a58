// Package answerstest is the contract every answers.Search passes: the
// embedded bleve index always, Meilisearch when a server is configured.
package answerstest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"inkorg/answers"
)

// Open returns an empty index for one test; the suite closes it.
type Open func(t *testing.T) answers.Search

// Articles is the small answer bank the suite searches.
func Articles() []*answers.Article {
	return []*answers.Article{
		article("https://goteborg.se/parkering/boende", "Regler för boendeparkering",
			"Så ansöker du om parkeringstillstånd nära hemmet.", "stadsmiljo", "sv"),
		article("https://goteborg.se/avfall/kärl", "Dina kärl och hur du hanterar dem",
			"Tömning av avfall, missad hämtning och var kärlet ska stå.", "kretslopp-vatten", "sv"),
		article("https://goteborg.se/bibliotek/kort", "Skaffa bibliotekskort",
			"Med ett lånekort kan du låna böcker och e-böcker på stadens bibliotek.", "kultur", "sv"),
		article("https://goteborg.se/forskola/ansok", "Förskoleansökan",
			"Ansök om plats i förskola för ditt barn. Kön och platserbjudande.", "forskola", "sv"),
		article("https://goteborg.se/preschool/en", "Preschool in Gothenburg",
			"How to apply for a place in preschool for your child.", "forskola", "en"),
		article("https://goteborg.se/bygglov/process", "Bygglovprocessen",
			"Ansökan, handläggningstid och startbesked. Ibland nämns boendeparkering på tomten.", "stadsbyggnad", "sv"),
	}
}

func article(url, title, summary, admin, lang string) *answers.Article {
	return &answers.Article{URL: url, Title: title, Summary: summary, Administration: admin, Language: lang, Active: true}
}

// Run runs the contract suite against indexes from open.
func Run(t *testing.T, open Open) {
	t.Run("OK", func(t *testing.T) {
		testFinds(t, open, "Hur får jag ett bibliotekskort?", "https://goteborg.se/bibliotek/kort")
	})
	t.Run("Stemming", func(t *testing.T) { testFinds(t, open, "böckerna", "https://goteborg.se/bibliotek/kort") })
	t.Run("Typo", func(t *testing.T) { testFinds(t, open, "bubliotekskort", "https://goteborg.se/bibliotek/kort") })
	t.Run("LongWord", testLongWord(open))
	t.Run("Prefix", func(t *testing.T) { testFinds(t, open, "boendepark", "https://goteborg.se/parkering/boende") })
	t.Run("Synonym", func(t *testing.T) { testFinds(t, open, "soporna", "https://goteborg.se/avfall/kärl") })
	t.Run("SynonymHyphen", func(t *testing.T) { testFinds(t, open, "p-tillstånd", "https://goteborg.se/parkering/boende") })
	t.Run("TitleBoost", testTitleBoost(open))
	t.Run("StopWordsOnly", testStopWordsOnly(open))
	t.Run("FilterAdministration", testFilterAdministration(open))
	t.Run("FilterLanguage", testFilterLanguage(open))
	t.Run("Inactive", testInactive(open))
	t.Run("Replace", testReplace(open))
	t.Run("Delete", testDelete(open))
	t.Run("Limit", testLimit(open))
	t.Run("Matched", testMatched(open))
}

func seeded(t *testing.T, open Open, arts ...*answers.Article) answers.Search {
	t.Helper()
	s := open(t)
	t.Cleanup(func() { s.Close() })
	if len(arts) == 0 {
		arts = Articles()
	}
	if err := s.Index(context.Background(), arts...); err != nil {
		t.Fatalf("Index: %v", err)
	}
	return s
}

func search(t *testing.T, s answers.Search, q answers.Query) []answers.Hit {
	t.Helper()
	hits, err := s.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%q): %v", q.Text, err)
	}
	return hits
}

// SearchURLs returns the URLs of the top five hits for text in s.
func SearchURLs(t *testing.T, s answers.Search, text string) []string {
	t.Helper()
	return urls(search(t, s, answers.Query{Text: text, Limit: 5}))
}

func urls(hits []answers.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.Article.URL
	}
	return out
}

func testFinds(t *testing.T, open Open, text, want string) {
	s := seeded(t, open)
	hits := search(t, s, answers.Query{Text: text, Limit: 3})
	if len(hits) == 0 || hits[0].Article.URL != want {
		t.Fatalf("Search(%q): got %v, want %s first", text, urls(hits), want)
	}
	if hits[0].Score <= 0 {
		t.Errorf("Search(%q): got score %v, want > 0", text, hits[0].Score)
	}
}

func testTitleBoost(open Open) func(*testing.T) {
	return func(t *testing.T) {
		s := seeded(t, open)
		hits := search(t, s, answers.Query{Text: "boendeparkering", Limit: 5})
		got := urls(hits)
		if len(got) < 2 || got[0] != "https://goteborg.se/parkering/boende" || !slices.Contains(got, "https://goteborg.se/bygglov/process") {
			t.Fatalf("got %v, want the title match first and the body match (bygglov) after", got)
		}
	}
}

func testStopWordsOnly(open Open) func(*testing.T) {
	return func(t *testing.T) {
		s := seeded(t, open)
		if hits := search(t, s, answers.Query{Text: "och det är en"}); len(hits) != 0 {
			t.Fatalf("got %v, want no hits for stop words only", urls(hits))
		}
	}
}

// testLongWord searches a message with a "word" thousands of letters long
// (a held key, pasted data), as a Facebook comment may hold: it matches
// nothing, and the rest of the message is still searched.
func testLongWord(open Open) func(*testing.T) {
	return func(t *testing.T) {
		s := seeded(t, open)
		hits, err := s.Search(context.Background(), answers.Query{Text: "bubliotekskort " + strings.Repeat("a", 5000), Limit: 3})
		if err != nil {
			t.Fatalf("Search(bubliotekskort and 5000 a): %v", err)
		}
		if got, want := urls(hits), "https://goteborg.se/bibliotek/kort"; len(got) == 0 || got[0] != want {
			t.Fatalf("Search(bubliotekskort and 5000 a): got %v, want %s first", got, want)
		}
	}
}

func testFilterAdministration(open Open) func(*testing.T) {
	return func(t *testing.T) {
		s := seeded(t, open)
		hits := search(t, s, answers.Query{Text: "parkering", Administration: "stadsbyggnad"})
		if got := urls(hits); !slices.Equal(got, []string{"https://goteborg.se/bygglov/process"}) {
			t.Fatalf("got %v, want only the stadsbyggnad article", got)
		}
	}
}

func testFilterLanguage(open Open) func(*testing.T) {
	return func(t *testing.T) {
		s := seeded(t, open)
		hits := search(t, s, answers.Query{Text: "preschool förskola", Language: "en"})
		if got := urls(hits); !slices.Equal(got, []string{"https://goteborg.se/preschool/en"}) {
			t.Fatalf("got %v, want only the English article", got)
		}
	}
}

func testInactive(open Open) func(*testing.T) {
	return func(t *testing.T) {
		arts := Articles()
		arts[2].Active = false
		s := seeded(t, open, arts...)
		if hits := search(t, s, answers.Query{Text: "bibliotekskort"}); slices.Contains(urls(hits), arts[2].URL) {
			t.Fatalf("got %v, want the inactive article hidden", urls(hits))
		}
	}
}

func testReplace(open Open) func(*testing.T) {
	return func(t *testing.T) {
		s := seeded(t, open)
		changed := *Articles()[2]
		changed.Title = "Lånekort för vuxna och barn"
		if err := s.Index(context.Background(), &changed); err != nil {
			t.Fatal(err)
		}
		n, err := s.Count(context.Background())
		if err != nil || n != len(Articles()) {
			t.Fatalf("Count: got %d, %v; want %d", n, err, len(Articles()))
		}
		hits := search(t, s, answers.Query{Text: "bibliotekskort"})
		if len(hits) == 0 || hits[0].Article.Title != changed.Title {
			t.Fatalf("got %v, want the new title %q", hits, changed.Title)
		}
	}
}

func testDelete(open Open) func(*testing.T) {
	return func(t *testing.T) {
		s := seeded(t, open)
		gone := Articles()[2].URL
		if err := s.Delete(context.Background(), gone, "https://goteborg.se/unknown"); err != nil {
			t.Fatal(err)
		}
		n, err := s.Count(context.Background())
		if err != nil || n != len(Articles())-1 {
			t.Fatalf("Count: got %d, %v; want %d", n, err, len(Articles())-1)
		}
		if hits := search(t, s, answers.Query{Text: "bibliotekskort"}); slices.Contains(urls(hits), gone) {
			t.Fatalf("got %v, want %s deleted", urls(hits), gone)
		}
	}
}

func testLimit(open Open) func(*testing.T) {
	return func(t *testing.T) {
		s := seeded(t, open)
		if hits := search(t, s, answers.Query{Text: "ansök förskola plats barn parkering", Limit: 1}); len(hits) != 1 {
			t.Fatalf("got %d hits, want 1", len(hits))
		}
	}
}

func testMatched(open Open) func(*testing.T) {
	return func(t *testing.T) {
		s := seeded(t, open)
		hits := search(t, s, answers.Query{Text: "Var ska kärlet stå vid tömning?", Limit: 1})
		if len(hits) == 0 {
			t.Fatal("got no hits")
		}
		want := []string{"kärlet", "stå", "tömning"}
		if !slices.Equal(hits[0].Matched, want) {
			t.Fatalf("got matched %v, want %v", hits[0].Matched, want)
		}
		if hits[0].Article.Administration != "kretslopp-vatten" || !hits[0].Article.Active {
			t.Fatalf("got article %+v, want all fields back", hits[0].Article)
		}
	}
}
