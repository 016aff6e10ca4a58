package answers_test

import (
	"context"
	"testing"

	"inkorg/answers"
	"inkorg/answers/bleveindex"
)

// TestRanked checks what the n-gram half of the ranking adds: a compound
// the citizen writes as one word finds the article that has its parts
// apart, ahead of one sharing only a common word.
func TestRanked(t *testing.T) {
	ctx := context.Background()
	an := answers.DefaultAnalyzer()
	x, err := bleveindex.NewMemory(an)
	if err != nil {
		t.Fatal(err)
	}
	s := answers.Ranked(x, an)
	defer s.Close()
	arts := []*answers.Article{
		{Title: "Barn i familjehem", URL: "https://goteborg.se/a", Body: "Barnet bor i ett familjehem. Socialnämnden följer vården av barnet.", Active: true},
		{Title: "Vårdnaden kan flyttas", URL: "https://goteborg.se/b", Body: "Socialnämnden kan ansöka om överflyttning av vårdnaden till familjehemmet.", Active: true},
		{Title: "Umgänge", URL: "https://goteborg.se/c", Body: "Barnet har rätt till umgänge med sina föräldrar.", Active: true},
	}
	if err := s.Index(ctx, arts...); err != nil {
		t.Fatal(err)
	}
	hits, err := s.Search(ctx, answers.Query{Text: "Hur går en vårdnadsöverflyttning för barnet till?", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].Article.URL != "https://goteborg.se/b" {
		t.Fatalf("got %v, want only https://goteborg.se/b", hits)
	}
	if n, _ := s.Count(ctx); n != len(arts) {
		t.Fatalf("got count %d, want %d", n, len(arts))
	}
}
