package storetest

import (
	"slices"
	"testing"
	"time"

	"inkorg/inbox"
)

func testTokenCheck(t *testing.T, s inbox.Store) {
	a := &inbox.Account{Platform: inbox.PlatformInstagram, ExternalID: "17841400000000000", Name: "goteborgsstad"}
	if err := s.CreateAccount(ctx(t), a); err != nil {
		t.Fatal(err)
	}
	if got := findAccount(t, s, a.ID); got.TokenCheckedAt != nil || got.TokenExpiryKnown || got.TokenMissingScopes != nil {
		t.Fatalf("new account %+v, want no token check", got)
	}
	checked := time.Date(2026, 3, 10, 12, 0, 0, 123456789, time.UTC)
	expires, dataAccess := checked.Add(5*24*time.Hour), checked.Add(90*24*time.Hour)
	err := s.RecordTokenCheck(ctx(t), a.ID, inbox.TokenCheck{CheckedAt: checked, ExpiryKnown: true, ExpiresAt: &expires,
		DataAccessExpiresAt: &dataAccess, MissingScopes: []string{"instagram_manage_messages"}})
	if err != nil {
		t.Fatal(err)
	}
	got := findAccount(t, s, a.ID)
	switch {
	case got.TokenCheckedAt == nil || !got.TokenCheckedAt.Equal(checked.Truncate(time.Microsecond)):
		t.Errorf("checked at %v, want %v", got.TokenCheckedAt, checked)
	case !got.TokenExpiryKnown || got.TokenExpiresAt == nil || !got.TokenExpiresAt.Equal(expires.Truncate(time.Microsecond)):
		t.Errorf("expiry known %v at %v, want %v", got.TokenExpiryKnown, got.TokenExpiresAt, expires)
	case got.TokenDataAccessExpiresAt == nil || !got.TokenDataAccessExpiresAt.Equal(dataAccess.Truncate(time.Microsecond)):
		t.Errorf("data access expires %v, want %v", got.TokenDataAccessExpiresAt, dataAccess)
	case !slices.Equal(got.TokenMissingScopes, []string{"instagram_manage_messages"}):
		t.Errorf("missing scopes %v", got.TokenMissingScopes)
	case !got.TokenExpiresWithin(checked, inbox.TokenExpiryWarning) || got.TokenExpiresWithin(checked, 24*time.Hour):
		t.Error("TokenExpiresWithin: want within 7 days, not within one")
	}
	// A later check with a token that never expires clears the dates.
	err = s.RecordTokenCheck(ctx(t), a.ID, inbox.TokenCheck{CheckedAt: checked.Add(time.Hour), ExpiryKnown: true})
	if err != nil {
		t.Fatal(err)
	}
	got = findAccount(t, s, a.ID)
	if got.TokenExpiresAt != nil || got.TokenDataAccessExpiresAt != nil || got.TokenMissingScopes != nil || got.TokenExpiry() != nil {
		t.Errorf("after a never-expiring check: %+v", got)
	}
	wantCode(t, s.RecordTokenCheck(ctx(t), 4711, inbox.TokenCheck{CheckedAt: checked}), inbox.ENOTFOUND)
}

// findAccount returns the managed account with that id.
func findAccount(t *testing.T, s inbox.Store, id int64) *inbox.Account {
	t.Helper()
	list, err := s.FindAccounts(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("account %d not found", id)
	return nil
}
