package answerstest

import (
	"context"
	"reflect"
	"testing"

	"inkorg/answers"
	"inkorg/inbox"
)

// OpenStore returns an empty, migrated answers.Store for one test.
type OpenStore func(t *testing.T) answers.Store

// RunStore is the contract suite of answers.Store.
func RunStore(t *testing.T, open OpenStore) {
	t.Run("UpsertOK", func(t *testing.T) { testUpsert(t, open(t)) })
	t.Run("UpsertUnchanged", func(t *testing.T) { testUpsertUnchanged(t, open(t)) })
	t.Run("UpsertUpdated", func(t *testing.T) { testUpsertUpdated(t, open(t)) })
	t.Run("ErrInvalid", func(t *testing.T) { testUpsertInvalid(t, open(t)) })
	t.Run("DeleteOK", func(t *testing.T) { testDeleteArticle(t, open(t)) })
	t.Run("ErrNotFound", func(t *testing.T) { testDeleteNotFound(t, open(t)) })
}

func full() *answers.Article {
	return &answers.Article{
		Title: "Skaffa bibliotekskort", URL: "https://goteborg.se/bibliotek/kort-for-barn", Summary: "Lånekort.",
		Body: "Med kortet lånar du.", Administration: "kultur", Language: "sv", Topic: "library",
		Keywords: []string{"lånekort", "e-böcker"}, Tags: []string{"bibliotek"}, Synonyms: []string{"boklån"},
		Templates: map[string]string{"sv": "Hej! Läs mer här: {{url}}"}, Active: false,
	}
}

func upsert(t *testing.T, s answers.Store, arts ...*answers.Article) answers.UpsertResult {
	t.Helper()
	res, err := s.UpsertArticles(context.Background(), arts)
	if err != nil {
		t.Fatalf("UpsertArticles: %v", err)
	}
	return res
}

func list(t *testing.T, s answers.Store) []*answers.Article {
	t.Helper()
	arts, err := s.ListArticles(context.Background())
	if err != nil {
		t.Fatalf("ListArticles: %v", err)
	}
	return arts
}

func testUpsert(t *testing.T, s answers.Store) {
	arts := append(Articles(), full())
	if got := upsert(t, s, arts...); got != (answers.UpsertResult{Added: len(arts)}) {
		t.Fatalf("got %+v, want %d added", got, len(arts))
	}
	stored := list(t, s)
	if len(stored) != len(arts) {
		t.Fatalf("got %d articles, want %d", len(stored), len(arts))
	}
	for i := 1; i < len(stored); i++ {
		if stored[i-1].URL >= stored[i].URL {
			t.Fatalf("got %s before %s, want URL order", stored[i-1].URL, stored[i].URL)
		}
	}
	var got *answers.Article
	for _, a := range stored {
		if a.URL == full().URL {
			got = a
		}
	}
	if got == nil || got.UpdatedAt.IsZero() {
		t.Fatalf("got %+v, want the article with UpdatedAt set", got)
	}
	if got.ID == 0 {
		t.Fatalf("got ID 0, want the stored article's number")
	}
	want := full()
	want.ID, want.UpdatedAt = got.ID, got.UpdatedAt
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func testUpsertUnchanged(t *testing.T, s answers.Store) {
	upsert(t, s, Articles()...)
	if got := upsert(t, s, Articles()...); got != (answers.UpsertResult{Unchanged: len(Articles())}) {
		t.Fatalf("got %+v, want all %d unchanged", got, len(Articles()))
	}
}

func testUpsertUpdated(t *testing.T, s answers.Store) {
	upsert(t, s, Articles()...)
	changed := Articles()[0]
	changed.Title = "Nya regler för boendeparkering"
	newOne := full()
	if got := upsert(t, s, changed, newOne); got != (answers.UpsertResult{Added: 1, Updated: 1}) {
		t.Fatalf("got %+v, want 1 added and 1 updated", got)
	}
	for _, a := range list(t, s) {
		if a.URL == changed.URL && a.Title != changed.Title {
			t.Fatalf("got title %q, want %q", a.Title, changed.Title)
		}
	}
}

func testUpsertInvalid(t *testing.T, s answers.Store) {
	bad := full()
	bad.Title = ""
	_, err := s.UpsertArticles(context.Background(), []*answers.Article{Articles()[0], bad})
	if code := inbox.ErrorCode(err); code != inbox.EINVALID {
		t.Fatalf("got %v (%s), want %s", err, code, inbox.EINVALID)
	}
	if got := list(t, s); len(got) != 0 {
		t.Fatalf("got %d articles, want none stored from a rejected batch", len(got))
	}
}

func testDeleteArticle(t *testing.T, s answers.Store) {
	upsert(t, s, Articles()...)
	if err := s.DeleteArticle(context.Background(), Articles()[0].URL); err != nil {
		t.Fatalf("DeleteArticle: %v", err)
	}
	if got := list(t, s); len(got) != len(Articles())-1 {
		t.Fatalf("got %d articles, want %d", len(got), len(Articles())-1)
	}
}

func testDeleteNotFound(t *testing.T, s answers.Store) {
	err := s.DeleteArticle(context.Background(), "https://goteborg.se/none")
	if code := inbox.ErrorCode(err); code != inbox.ENOTFOUND {
		t.Fatalf("got %v (%s), want %s", err, code, inbox.ENOTFOUND)
	}
}
