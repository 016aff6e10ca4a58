package httpapi_test

import (
	"context"
	"testing"
	"time"

	"inkorg/inbox"
)

// TestChannelsTokenExpiry shows what the last token check found: the
// expiry, the permissions missing and whether it expires within a week.
func TestChannelsTokenExpiry(t *testing.T) {
	s := newStaff(t)
	ctx := context.Background()
	a := &inbox.Account{Platform: inbox.PlatformInstagram, ExternalID: "ig-1", Name: "goteborgsstad"}
	if err := s.store.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	expires := time.Now().UTC().Add(2 * 24 * time.Hour).Truncate(time.Second)
	if err := s.store.RecordTokenCheck(ctx, a.ID, inbox.TokenCheck{CheckedAt: time.Now(), ExpiryKnown: true,
		ExpiresAt: &expires, MissingScopes: []string{"instagram_manage_messages"}}); err != nil {
		t.Fatal(err)
	}
	var body struct {
		Channels []map[string]any `json:"channels"`
	}
	s.get(t, "/api/v1/channels", "Bearer "+s.tokens[s.sup.ID], &body)
	if len(body.Channels) != 1 {
		t.Fatalf("channels %v, want one", body.Channels)
	}
	c := body.Channels[0]
	missing, _ := c["token_missing_scopes"].([]any)
	if c["token_expires_soon"] != true || c["token_expiry_known"] != true || c["token_expires_at"] != expires.Format(time.RFC3339) ||
		len(missing) != 1 || missing[0] != "instagram_manage_messages" {
		t.Errorf("channel %v, want the expiry in two days, flagged, and the missing permission", c)
	}
	wantRequired(t, "Account", c)
}
