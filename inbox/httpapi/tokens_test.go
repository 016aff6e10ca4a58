package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
)

// TestTokenExpiry: a token with an expiry works until then, is listed with
// it, and afterwards is refused exactly as a revoked token is.
func TestTokenExpiry(t *testing.T) {
	f := newFixture(t)
	now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	f.db.Now = func() time.Time { return now }
	u, err := f.store.FindUserByName(t.Context(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	token, hash, err := inbox.NewAPITokenSecret()
	if err != nil {
		t.Fatal(err)
	}
	expires := now.Add(90 * 24 * time.Hour)
	if err := f.store.CreateAPIToken(t.Context(), &inbox.APIToken{UserID: u.ID, Name: "Power BI", Hash: hash, ExpiresAt: &expires}); err != nil {
		t.Fatalf("CreateAPIToken: %v", err)
	}

	var list httpapi.TokenList
	if resp := f.get(t, "/api/v1/tokens", "Bearer "+token, &list); resp.StatusCode != http.StatusOK {
		t.Fatalf("before the expiry: got status %d, want 200", resp.StatusCode)
	}
	if len(list.Tokens) != 2 || list.Tokens[0].ExpiresAt == nil || !list.Tokens[0].ExpiresAt.Equal(expires) || list.Tokens[1].ExpiresAt != nil {
		t.Errorf("got tokens %+v, want the new one expiring at %s and the other never", list.Tokens, expires)
	}

	revoked := f.newToken(t, u)
	toks, err := f.store.FindAPITokens(t.Context(), u.ID)
	if err != nil || len(toks) != 3 {
		t.Fatalf("got %d tokens, error %v; want 3", len(toks), err)
	}
	if err := f.store.DeleteAPIToken(t.Context(), toks[0].ID); err != nil {
		t.Fatal(err)
	}
	var want httpapi.ErrorResponse
	if resp := f.get(t, "/api/v1/tokens", "Bearer "+revoked, &want); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the revoked token: got status %d, want 401", resp.StatusCode)
	}

	now = expires
	var got httpapi.ErrorResponse
	resp := f.get(t, "/api/v1/tokens", "Bearer "+token, &got)
	if resp.StatusCode != http.StatusUnauthorized || got != want {
		t.Errorf("after the expiry: got status %d, %+v; want 401 and %+v, as for a revoked token", resp.StatusCode, got, want)
	}
	if resp := f.get(t, "/api/v1/tokens", "Bearer "+f.token, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("the token without expiry: got status %d, want 200", resp.StatusCode)
	}
}

// TestTokensOfNoSuchUser: an admin asking for the tokens of a user id that
// no user has is told so (404 naming the id), not given an empty list as
// for a user without tokens.
func TestTokensOfNoSuchUser(t *testing.T) {
	s := newStaff(t)
	var out httpapi.ErrorResponse
	resp := s.get(t, "/api/v1/tokens?user_id=999999", "Bearer "+s.tokens[s.admin.ID], &out)
	if resp.StatusCode != http.StatusNotFound || out.Error.Code != inbox.ENOTFOUND || !strings.Contains(out.Error.Message, "999999") {
		t.Errorf("got %d %+v, want 404 naming user 999999", resp.StatusCode, out.Error)
	}
	var list httpapi.TokenList
	if resp := s.get(t, fmt.Sprintf("/api/v1/tokens?user_id=%d", s.spec.ID), "Bearer "+s.tokens[s.admin.ID], &list); resp.StatusCode != http.StatusOK || len(list.Tokens) != 1 {
		t.Errorf("a user who exists: got %d with %d tokens, want 200 with one", resp.StatusCode, len(list.Tokens))
	}
}
