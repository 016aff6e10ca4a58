package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
)

// TestAPITokenExpiry creates a token with an expiry: it works up to that
// instant and from then on is not found, as a revoked token is; its expiry
// is kept to the microsecond and listed.
func TestAPITokenExpiry(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		s := NewStore(db)
		u := &inbox.User{Name: "rapportverktyg", Role: inbox.RoleAdmin}
		if err := s.CreateUser(t.Context(), u); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		expires := now.Add(90 * 24 * time.Hour).Add(123 * time.Microsecond)
		tok := &inbox.APIToken{UserID: u.ID, Name: "Power BI", Hash: "expiring", ExpiresAt: &expires}
		if err := s.CreateAPIToken(t.Context(), tok); err != nil {
			t.Fatalf("CreateAPIToken: %v", err)
		}
		if err := s.CreateAPIToken(t.Context(), &inbox.APIToken{UserID: u.ID, Hash: "forever"}); err != nil {
			t.Fatalf("CreateAPIToken without expiry: %v", err)
		}
		got, err := s.FindAPIToken(t.Context(), tok.ID)
		if err != nil || got.ExpiresAt == nil || !got.ExpiresAt.Equal(expires) {
			t.Fatalf("got token %+v, error %v; want ExpiresAt %s", got, err, expires)
		}

		for _, step := range []struct {
			at   time.Time
			want string
		}{
			{now, ""},
			{expires.Add(-time.Microsecond), ""},
			{expires, inbox.ENOTFOUND},
			{expires.Add(24 * time.Hour), inbox.ENOTFOUND},
		} {
			now = step.at
			_, err := s.FindUserByTokenHash(t.Context(), "expiring")
			if inbox.ErrorCode(err) != step.want {
				t.Errorf("at %s: got error %v, want code %q", step.at, err, step.want)
			}
			if _, err := s.FindUserByTokenHash(t.Context(), "forever"); err != nil {
				t.Errorf("at %s: the token without expiry: got error %v, want none", step.at, err)
			}
		}

		toks, err := s.FindAPITokens(t.Context(), u.ID)
		if err != nil || len(toks) != 2 {
			t.Fatalf("got %d tokens, error %v; want the expired one listed too", len(toks), err)
		}
		if toks[0].ExpiresAt != nil || toks[1].ExpiresAt == nil || !toks[1].Expired(now) {
			t.Errorf("got tokens %+v, %+v; want the newest without expiry and the other expired", toks[0], toks[1])
		}
	})
}

func TestCreateAPITokenExpiryInPast(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		s := NewStore(db)
		u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
		if err := s.CreateUser(t.Context(), u); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		for _, at := range []time.Time{now, now.Add(-time.Hour)} {
			err := s.CreateAPIToken(t.Context(), &inbox.APIToken{UserID: u.ID, Hash: "h", ExpiresAt: &at})
			if inbox.ErrorCode(err) != inbox.EINVALID {
				t.Errorf("expiring at %s: got error %v, want EINVALID", at, err)
			}
		}
	})
}
