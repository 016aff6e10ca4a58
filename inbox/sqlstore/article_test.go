package sqlstore

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"inkorg/answers"
	"inkorg/answers/answerstest"
)

func TestArticleStore(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		url(t) // skips, or fails, once when the database is unavailable
		answerstest.RunStore(t, func(t *testing.T) answers.Store { return NewStore(openMigrated(t, url)) })
	})
}

// TestArticleUpsertAudited stores articles as an import does: each one
// added or changed has an audit entry like an editor's, with no actor,
// and one left as it was has none.
func TestArticleUpsertAudited(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		s := NewStore(openMigrated(t, url))
		ctx := context.Background()
		a := &answers.Article{Title: "Bygglov", URL: "https://goteborg.se/bygglov", Body: "Rad ett\nrad två\n", Language: "sv", Active: true}
		other := &answers.Article{Title: "Parkering", URL: "https://goteborg.se/parkering", Language: "sv", Active: true}
		if _, err := s.UpsertArticles(ctx, []*answers.Article{a, other}); err != nil {
			t.Fatal(err)
		}
		changed := *a
		changed.Title, changed.Active = "Bygglov och anmälan", false
		v0 := version(t, s)
		if res, err := s.UpsertArticles(ctx, []*answers.Article{&changed, other}); err != nil || res.Updated != 1 || res.Unchanged != 1 {
			t.Fatalf("got %+v, %v; want 1 updated, 1 unchanged", res, err)
		}
		if version(t, s) != v0+1 {
			t.Errorf("got version %d, want %d: one version per import", version(t, s), v0+1)
		}
		stored := map[string]*answers.Article{}
		arts, err := s.ListArticles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range arts {
			stored[a.URL] = a
		}
		changes, err := s.FindArticleChanges(ctx, stored[a.URL].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) != 2 {
			t.Fatalf("got %d changes, want 2 (added, updated)", len(changes))
		}
		for i, c := range changes {
			if c.Action != "article.import" || c.ActorID != 0 || c.URL != a.URL || c.ArticleID != stored[a.URL].ID || c.CreatedAt.IsZero() {
				t.Errorf("change %d: got %s by %d on %d %s at %v, want article.import by no one on %d %s",
					i, c.Action, c.ActorID, c.ArticleID, c.URL, c.CreatedAt, stored[a.URL].ID, a.URL)
			}
		}
		if c := changes[0]; c.Before != nil || c.After == nil || c.After.Title != "Bygglov" || c.After.Body != a.Body || c.After.ID != stored[a.URL].ID {
			t.Errorf("got added before %+v after %+v, want none and the new article", c.Before, c.After)
		}
		if c := changes[1]; c.Before == nil || c.After == nil || c.Before.Title != "Bygglov" || !c.Before.Active ||
			c.After.Title != "Bygglov och anmälan" || c.After.Active || !c.After.UpdatedAt.Equal(stored[a.URL].UpdatedAt) {
			t.Errorf("got updated before %+v after %+v, want the old and the stored article", c.Before, c.After)
		}
		if changes, err := s.FindArticleChanges(ctx, stored[other.URL].ID); err != nil || len(changes) != 1 {
			t.Errorf("got %d changes of the unchanged article, %v; want 1 (added)", len(changes), err)
		}
		// The history shows no actor for an import.
		b, err := json.Marshal(changes[0])
		if err != nil || strings.Contains(string(b), "actor_id") {
			t.Errorf("got %s, %v; want no actor_id", b, err)
		}
	})
}
