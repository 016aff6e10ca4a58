package inbox_test

import (
	"testing"
	"time"

	"inkorg/inbox"
)

func TestAccountTokenExpiry(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { v := now.Add(d); return &v }
	day := 24 * time.Hour
	tests := []struct {
		name   string
		a      inbox.Account
		expiry *time.Time
		soon   bool
	}{
		{"Unchecked", inbox.Account{}, nil, false},
		{"UnknownThroughMe", inbox.Account{TokenExpiresAt: at(day)}, nil, false},
		{"Never", inbox.Account{TokenExpiryKnown: true}, nil, false},
		{"InTwoMonths", inbox.Account{TokenExpiryKnown: true, TokenExpiresAt: at(60 * day)}, at(60 * day), false},
		{"InSixDays", inbox.Account{TokenExpiryKnown: true, TokenExpiresAt: at(6 * day)}, at(6 * day), true},
		{"DataAccessFirst", inbox.Account{TokenExpiryKnown: true, TokenExpiresAt: at(60 * day), TokenDataAccessExpiresAt: at(2 * day)}, at(2 * day), true},
		{"OnlyDataAccess", inbox.Account{TokenExpiryKnown: true, TokenDataAccessExpiresAt: at(30 * day)}, at(30 * day), false},
		{"Expired", inbox.Account{TokenExpiryKnown: true, TokenExpiresAt: at(-time.Hour)}, at(-time.Hour), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.a.TokenExpiry()
			if (got == nil) != (tt.expiry == nil) || (got != nil && !got.Equal(*tt.expiry)) {
				t.Errorf("TokenExpiry() = %v, want %v", got, tt.expiry)
			}
			if soon := tt.a.TokenExpiresWithin(now, inbox.TokenExpiryWarning); soon != tt.soon {
				t.Errorf("TokenExpiresWithin = %v, want %v", soon, tt.soon)
			}
		})
	}
}
