package httpapi_test

import (
	"net/http"
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
