package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"inkorg/answers"
	"inkorg/answers/answerstest"
	"inkorg/answers/bleveindex"
	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// newAnswersFixture is a server with the answer search on the contract
// suite's articles.
func newAnswersFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db := sqlstoretest.SQLite(t)
	store := sqlstore.NewStore(db)
	u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
	if err := store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	idx, err := bleveindex.NewMemory(answers.DefaultAnalyzer())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	if err := idx.Index(ctx, answerstest.Articles()...); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.New(httpapi.Config{Store: store, Answers: idx}))
	t.Cleanup(srv.Close)
	f := &fixture{srv: srv, db: db, store: store}
	f.token = f.newToken(t, u)
	return f
}

func TestSearchAnswers(t *testing.T) {
	f := newAnswersFixture(t)
	t.Run("OK", func(t *testing.T) {
		var got httpapi.AnswerList
		resp := f.get(t, "/api/v1/answers/search?q="+url.QueryEscape("Hur får jag ett bibliotekskort?")+"&limit=2", "Bearer "+f.token, &got)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("got status %d, want 200", resp.StatusCode)
		}
		if len(got.Hits) == 0 || got.Hits[0].URL != "https://goteborg.se/bibliotek/kort" || len(got.Hits) > 2 {
			t.Fatalf("got %+v, want at most 2 hits, the library card first", got.Hits)
		}
		if got.Hits[0].Score <= 0 || len(got.Hits[0].Matched) != 1 || got.Hits[0].Matched[0] != "bibliotekskort" {
			t.Fatalf("got score %v matched %v, want > 0 and [bibliotekskort]", got.Hits[0].Score, got.Hits[0].Matched)
		}
	})
	t.Run("OKFilter", func(t *testing.T) {
		var got httpapi.AnswerList
		f.get(t, "/api/v1/answers/search?q=preschool&language=en&administration=forskola", "Bearer "+f.token, &got)
		if len(got.Hits) != 1 || got.Hits[0].Language != "en" {
			t.Fatalf("got %+v, want the one English preschool article", got.Hits)
		}
	})
	t.Run("OKNoHits", func(t *testing.T) {
		var got map[string]any
		f.get(t, "/api/v1/answers/search?q=och", "Bearer "+f.token, &got)
		if hits, ok := got["hits"].([]any); !ok || len(hits) != 0 {
			t.Fatalf("got %v, want an empty hits array", got)
		}
	})
	for _, tc := range []struct{ name, query string }{
		{"ErrMissingQ", ""},
		{"ErrBlankQ", "?q=%20%20"},
		{"ErrLimit", "?q=kort&limit=0"},
		{"ErrLimitNotNumber", "?q=kort&limit=tio"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got httpapi.ErrorResponse
			resp := f.get(t, "/api/v1/answers/search"+tc.query, "Bearer "+f.token, &got)
			if resp.StatusCode != http.StatusBadRequest || got.Error.Code != inbox.EINVALID {
				t.Fatalf("got %d %+v, want 400 %s", resp.StatusCode, got, inbox.EINVALID)
			}
		})
	}
	t.Run("ErrUnauthorized", func(t *testing.T) {
		if resp := f.get(t, "/api/v1/answers/search?q=kort", "", nil); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("got status %d, want 401", resp.StatusCode)
		}
	})
}

func TestConversationSuggestions(t *testing.T) {
	f := newAnswersFixture(t)
	f.seed(t, 1)
	var list httpapi.ConversationList
	f.get(t, "/api/v1/conversations", "Bearer "+f.token, &list)
	if len(list.Conversations) != 1 {
		t.Fatalf("got %d conversations, want 1", len(list.Conversations))
	}
	id := list.Conversations[0].ID
	t.Run("OK", func(t *testing.T) {
		var got httpapi.SuggestionList
		resp := f.get(t, fmt.Sprintf("/api/v1/conversations/%d/suggestions", id), "Bearer "+f.token, &got)
		if resp.StatusCode != http.StatusOK || len(got.Suggestions) == 0 {
			t.Fatalf("got %d %+v, want suggestions", resp.StatusCode, got)
		}
		first := got.Suggestions[0]
		if first.URL != "https://goteborg.se/avfall/kärl" || !strings.Contains(first.Draft, first.URL) || !strings.HasPrefix(first.Draft, "Hej!") {
			t.Fatalf("got %+v, want the waste article (sophämtning is a synonym of avfall) with a Swedish draft", first)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		var got httpapi.ErrorResponse
		if resp := f.get(t, "/api/v1/conversations/9999/suggestions", "Bearer "+f.token, &got); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("got status %d, want 404", resp.StatusCode)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		var got httpapi.ErrorResponse
		for _, path := range []string{"/api/v1/conversations/abc/suggestions", fmt.Sprintf("/api/v1/conversations/%d/suggestions?limit=0", id)} {
			if resp := f.get(t, path, "Bearer "+f.token, &got); resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("GET %s: got status %d, want 400", path, resp.StatusCode)
			}
		}
	})
}

// TestConversationSuggestionsPassOverDeleted: a message its author unsent
// is not what the suggestions answer, nor are its words shown as matched;
// the latest message agents still see is.
func TestConversationSuggestionsPassOverDeleted(t *testing.T) {
	f := newAnswersFixture(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	msg := func(kind inbox.EventKind, mid, text string, at time.Time) inbox.Applied {
		t.Helper()
		a, err := f.store.ApplyEvent(ctx, inbox.Event{
			Kind: kind, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
			AccountExternalID: "page-1", ThreadKey: "psid-1", MessageExternalID: mid,
			Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "psid-1"}, Author: inbox.Actor{ExternalID: "psid-1"},
			Text: text, OccurredAt: at,
		})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	conv := msg(inbox.EventMessageCreated, "mid-1", "Varför töms inte soporna?", at).ConversationID
	msg(inbox.EventMessageCreated, "mid-2", "Hur får jag ett bibliotekskort?", at.Add(time.Minute))
	msg(inbox.EventMessageDeleted, "mid-2", "", at.Add(2*time.Minute))
	var got httpapi.SuggestionList
	resp := f.get(t, fmt.Sprintf("/api/v1/conversations/%d/suggestions", conv), "Bearer "+f.token, &got)
	if resp.StatusCode != http.StatusOK || len(got.Suggestions) == 0 || got.Suggestions[0].URL != "https://goteborg.se/avfall/kärl" {
		t.Fatalf("got %d %+v, want the waste article for the message still shown", resp.StatusCode, got)
	}
	for _, s := range got.Suggestions {
		if s.URL == "https://goteborg.se/bibliotek/kort" || slices.Contains(s.Matched, "bibliotekskort") {
			t.Errorf("got %+v, want nothing from the unsent message", s)
		}
	}
}
