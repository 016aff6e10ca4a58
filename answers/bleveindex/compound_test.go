package bleveindex_test

import (
	"context"
	"testing"

	"inkorg/answers"
	"inkorg/answers/bleveindex"
)

// TestCompoundParts checks that a compound in the question finds the
// article that has its parts apart, and only that one: "båtplatser" shares
// no word, prefix or ending with "platser för båtar".
func TestCompoundParts(t *testing.T) {
	ctx := context.Background()
	x, err := bleveindex.NewMemory(answers.DefaultAnalyzer())
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	arts := []*answers.Article{
		{Title: "Hamnen", URL: "https://goteborg.se/hamn", Body: "Kommunen hyr ut platser för båtar i hamnen.", Active: true},
		{Title: "Cyklar", URL: "https://goteborg.se/cykel", Body: "Cyklar kan ställas vid stationen.", Active: true},
		{Title: "Bibliotek", URL: "https://goteborg.se/bibliotek", Body: "Låna böcker på biblioteket.", Active: true},
	}
	if err := x.Index(ctx, arts...); err != nil {
		t.Fatal(err)
	}
	hits, err := x.Search(ctx, answers.Query{Text: "Finns det lediga båtplatser?"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].Article.URL != "https://goteborg.se/hamn" {
		var got []string
		for _, h := range hits {
			got = append(got, h.Article.URL)
		}
		t.Errorf("got %v, want only https://goteborg.se/hamn", got)
	}
}

// TestCompoundPartsAfterChange checks that the parts are looked up in the
// articles as they are now: an article added after a search brings the
// parts it has, and a deleted one takes them away.
func TestCompoundPartsAfterChange(t *testing.T) {
	ctx := context.Background()
	x, err := bleveindex.NewMemory(answers.DefaultAnalyzer())
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	search := func() []string {
		t.Helper()
		hits, err := x.Search(ctx, answers.Query{Text: "Finns det lediga båtplatser?"})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.Article.URL)
		}
		return got
	}
	if err := x.Index(ctx, &answers.Article{Title: "Cyklar", URL: "https://goteborg.se/cykel", Body: "Cyklar kan ställas vid stationen.", Active: true}); err != nil {
		t.Fatal(err)
	}
	if got := search(); len(got) != 0 {
		t.Fatalf("before: got %v, want nothing", got)
	}
	hamn := &answers.Article{Title: "Hamnen", URL: "https://goteborg.se/hamn", Body: "Kommunen hyr ut platser för båtar i hamnen.", Active: true}
	if err := x.Index(ctx, hamn); err != nil {
		t.Fatal(err)
	}
	if got := search(); len(got) != 1 || got[0] != hamn.URL {
		t.Fatalf("after adding: got %v, want only %s", got, hamn.URL)
	}
	if err := x.Delete(ctx, hamn.URL); err != nil {
		t.Fatal(err)
	}
	if got := search(); len(got) != 0 {
		t.Fatalf("after deleting: got %v, want nothing", got)
	}
}
