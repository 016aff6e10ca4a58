package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/livebus"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// newScopedToken stores and returns a new API token for u, read-only or
// full, with its id.
func newScopedToken(t *testing.T, store *sqlstore.Store, u *inbox.User, name string, readOnly bool) (string, int64) {
	t.Helper()
	token, hash, err := inbox.NewAPITokenSecret()
	if err != nil {
		t.Fatal(err)
	}
	tok := &inbox.APIToken{UserID: u.ID, Name: name, Hash: hash, ReadOnly: readOnly}
	if err := store.CreateAPIToken(context.Background(), tok); err != nil {
		t.Fatalf("CreateAPIToken: %v", err)
	}
	return token, tok.ID
}

// TestReadOnlyToken: a read-only token reads (the token list, which shows
// each token's scope, a conversation, the event stream) but every other
// method is refused with 403 and the reason, and changes nothing; a full
// token of the same admin makes the same changes. On both stores.
func TestReadOnlyToken(t *testing.T) {
	for _, d := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"SQLite", sqlstoretest.SQLite}, {"Postgres", sqlstoretest.Postgres}} {
		t.Run(d.name, func(t *testing.T) {
			store := sqlstore.NewStore(d.open(t))
			u := &inbox.User{Name: "rapport", Role: inbox.RoleAdmin}
			if err := store.CreateUser(t.Context(), u); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(httpapi.New(httpapi.Config{Store: store, Live: livebus.NewMemory(100, nil), LiveHeartbeat: time.Hour}))
			t.Cleanup(srv.Close)
			f := &fixture{srv: srv, store: store}
			readOnly, readOnlyID := newScopedToken(t, store, u, "Power BI", true)
			full, fullID := newScopedToken(t, store, u, "", false)
			applied, err := store.ApplyEvent(t.Context(), inbox.Event{
				Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
				AccountExternalID: "page-1", ThreadKey: "psid-1", MessageExternalID: "mid-1",
				Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "psid-1"}, Author: inbox.Actor{ExternalID: "psid-1"},
				Text: "När töms soptunnan?", OccurredAt: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC),
			})
			if err != nil {
				t.Fatal(err)
			}
			conv := "/api/v1/conversations/" + strconv.FormatInt(applied.ConversationID, 10)

			var list httpapi.TokenList
			if resp := f.get(t, "/api/v1/tokens", "Bearer "+readOnly, &list); resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /api/v1/tokens with the read-only token: got status %d, want 200", resp.StatusCode)
			}
			scopes := map[int64]bool{}
			for _, tok := range list.Tokens {
				scopes[tok.ID] = tok.ReadOnly
			}
			if len(list.Tokens) != 2 || !scopes[readOnlyID] || scopes[fullID] {
				t.Errorf("got tokens %+v, want %d read-only and %d full", list.Tokens, readOnlyID, fullID)
			}
			_, body := f.do(t, http.MethodGet, "/api/v1/tokens", readOnly, "")
			var raw struct{ Tokens []map[string]any }
			if err := json.Unmarshal(body, &raw); err != nil || len(raw.Tokens) != 2 {
				t.Fatalf("GET /api/v1/tokens: got %s, error %v; want two tokens", body, err)
			}
			for _, tok := range raw.Tokens {
				wantRequired(t, "APIToken", tok)
			}
			if code, body := f.do(t, http.MethodGet, conv, readOnly, ""); code != http.StatusOK {
				t.Errorf("GET %s with the read-only token: got %d %s, want 200", conv, code, body)
			}
			openEvents(t, srv, readOnly, "") // fails unless 200 text/event-stream

			// A refused change is told why in Swedish, then in English.
			const wantReadOnly = "Den här API-token får bara läsa (GET, HEAD, OPTIONS). " +
				"Gör ändringar med en token som skapats utan --read-only. / " + inbox.ErrReadOnlyToken
			for _, w := range []struct{ method, path, body string }{
				{http.MethodPost, conv + "/tags", `{"add":["sophämtning"]}`},
				{http.MethodPost, conv + "/claim", `{}`},
				{http.MethodPost, conv + "/presence", `{"state":"viewing"}`},
				{http.MethodPost, "/api/v1/bulk", `{}`},
				{http.MethodPost, "/api/v1/rules", `{}`},
				{http.MethodPut, "/api/v1/rules/1", `{}`},
				{http.MethodPatch, "/api/v1/users/" + strconv.FormatInt(u.ID, 10), `{"active":false}`},
				{http.MethodDelete, "/api/v1/tokens/" + strconv.FormatInt(readOnlyID, 10), ""},
				{http.MethodDelete, "/api/v1/accounts/facebook/page-1", ""},
			} {
				code, body := f.do(t, w.method, w.path, readOnly, w.body)
				var got httpapi.ErrorResponse
				_ = json.Unmarshal(body, &got)
				if code != http.StatusForbidden || got.Error.Code != inbox.EFORBIDDEN || got.Error.Message != wantReadOnly {
					t.Errorf("%s %s with the read-only token: got %d %s, want 403 %q", w.method, w.path, code, body, wantReadOnly)
				}
			}
			c, err := store.FindConversationByID(t.Context(), applied.ConversationID)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Tags) != 0 || c.AssigneeID != 0 {
				t.Errorf("after the refused writes: got tags %v, assignee %v; want the conversation unchanged", c.Tags, c.AssigneeID)
			}
			if toks, err := store.FindAPITokens(t.Context(), u.ID); err != nil || len(toks) != 2 {
				t.Errorf("after the refused revoke: got %d tokens, error %v; want 2", len(toks), err)
			}

			if code, body := f.do(t, http.MethodPost, conv+"/tags", full, `{"add":["sophämtning"]}`); code != http.StatusOK {
				t.Errorf("POST %s/tags with the full token: got %d %s, want 200", conv, code, body)
			}
			if c, err := store.FindConversationByID(t.Context(), applied.ConversationID); err != nil || len(c.Tags) != 1 {
				t.Errorf("after the full token's write: got %+v, error %v; want one tag", c, err)
			}
			if code, body := f.do(t, http.MethodDelete, "/api/v1/tokens/"+strconv.FormatInt(readOnlyID, 10), full, ""); code != http.StatusNoContent {
				t.Errorf("revoking the read-only token with the full one: got %d %s, want 204", code, body)
			}
			if code, _ := f.do(t, http.MethodGet, "/api/v1/tokens", readOnly, ""); code != http.StatusUnauthorized {
				t.Errorf("the revoked read-only token: got %d, want 401", code)
			}
		})
	}
}
