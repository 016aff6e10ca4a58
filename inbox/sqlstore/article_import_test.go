package sqlstore

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"inkorg/answers"
)

func TestImportArticles(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		url(t) // skips, or fails, once when the database is unavailable
		t.Run("SomeFields", func(t *testing.T) { testImportSomeFields(t, NewStore(openMigrated(t, url))) })
		t.Run("AuditedBatches", func(t *testing.T) { testImportAuditedBatches(t, NewStore(openMigrated(t, url))) })
	})
}

// testImportSomeFields imports a file giving only title, url and summary
// over a full, deactivated article: the rest stays, and the audit entry
// has the article before and after.
func testImportSomeFields(t *testing.T, s *Store) {
	ctx := context.Background()
	full := &answers.Article{
		Title: "Båtplats", URL: "https://goteborg.se/batplats", Summary: "Hyr en båtplats.", Body: "Rad ett\nrad två",
		Administration: "idrott", Language: "en", Keywords: []string{"båt"}, Topic: "fritid", Tags: []string{"hamn"},
		Synonyms: []string{"brygga"}, Templates: map[string]string{"sv": "Hej! {{url}}"}, Active: false,
	}
	if _, err := s.UpsertArticles(ctx, []*answers.Article{full}); err != nil {
		t.Fatal(err)
	}
	given := answers.Import{Article: &answers.Article{Title: "Båtplats", URL: full.URL, Summary: "Ny sammanfattning.", Language: "sv", Active: true},
		Given: answers.FieldsNamed("title", "url", "summary")}
	res, err := s.ImportArticles(ctx, []answers.Import{given})
	if err != nil || res != (answers.UpsertResult{Updated: 1}) {
		t.Fatalf("got %+v, %v; want 1 updated", res, err)
	}
	arts, err := s.ListArticles(ctx)
	if err != nil || len(arts) != 1 {
		t.Fatalf("got %v, %v; want the one article", arts, err)
	}
	got := arts[0]
	want := *full
	want.ID, want.UpdatedAt, want.Summary = got.ID, got.UpdatedAt, "Ny sammanfattning."
	if !reflect.DeepEqual(got, &want) {
		t.Fatalf("got %+v, want %+v", got, &want)
	}
	changes, err := s.FindArticleChanges(ctx, got.ID)
	if err != nil || len(changes) != 2 {
		t.Fatalf("got %d changes, %v; want 2", len(changes), err)
	}
	if c := changes[1]; c.Before.Summary != full.Summary || !reflect.DeepEqual(c.After, got) {
		t.Errorf("got before %+v after %+v, want the old summary and the stored article", c.Before, c.After)
	}
	if res, err := s.ImportArticles(ctx, []answers.Import{given}); err != nil || res != (answers.UpsertResult{Unchanged: 1}) {
		t.Fatalf("again: got %+v, %v; want 1 unchanged", res, err)
	}
}

// testImportAuditedBatches imports more articles than one batch holds:
// every audit entry names its own article.
func testImportAuditedBatches(t *testing.T, s *Store) {
	ctx := context.Background()
	var imps []answers.Import
	for i := range articleBatch*2 + 50 {
		a := &answers.Article{Title: fmt.Sprintf("Artikel %d", i), URL: fmt.Sprintf("https://goteborg.se/a/%04d", i), Language: "sv", Active: true}
		imps = append(imps, answers.Import{Article: a, Given: answers.AllFields})
	}
	if res, err := s.ImportArticles(ctx, imps); err != nil || res.Added != len(imps) {
		t.Fatalf("got %+v, %v; want %d added", res, err, len(imps))
	}
	if imps[0].ID != 0 {
		t.Errorf("got id %d on the caller's article, want it left alone", imps[0].ID)
	}
	arts, err := s.ListArticles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		changes, err := s.FindArticleChanges(ctx, a.ID)
		if err != nil || len(changes) != 1 || changes[0].URL != a.URL || changes[0].After.ID != a.ID || changes[0].After.Title != a.Title {
			t.Fatalf("article %d %s: got changes %+v, %v; want one naming it", a.ID, a.URL, changes, err)
		}
	}
}
