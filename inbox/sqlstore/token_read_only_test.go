package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
)

// TestAPITokenReadOnly stores a read-only and a full token: each is listed
// and found by its hash with its scope, and a token stored without one,
// as every token made before, is full.
func TestAPITokenReadOnly(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		now := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		s := NewStore(db)
		u := &inbox.User{Name: "instrumentpanel", Role: inbox.RoleSupervisor}
		if err := s.CreateUser(t.Context(), u); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		expires := now.Add(30 * 24 * time.Hour)
		ro := &inbox.APIToken{UserID: u.ID, Name: "Grafana", Hash: "read", ExpiresAt: &expires, ReadOnly: true}
		if err := s.CreateAPIToken(t.Context(), ro); err != nil {
			t.Fatalf("CreateAPIToken read-only: %v", err)
		}
		full := &inbox.APIToken{UserID: u.ID, Hash: "full"}
		if err := s.CreateAPIToken(t.Context(), full); err != nil {
			t.Fatalf("CreateAPIToken full: %v", err)
		}
		// As a token made before the scope existed: the column's default.
		old := tokenRow{UserID: u.ID, Name: "before", Hash: "old", CreatedAt: toDBTime(now)}
		if err := db.Gorm().Omit("read_only").Create(&old).Error; err != nil {
			t.Fatalf("insert without read_only: %v", err)
		}

		toks, err := s.FindAPITokens(t.Context(), u.ID)
		if err != nil || len(toks) != 3 {
			t.Fatalf("got %d tokens, error %v; want 3", len(toks), err)
		}
		want := map[int64]bool{ro.ID: true, full.ID: false, old.ID: false}
		for _, tok := range toks {
			if tok.ReadOnly != want[tok.ID] {
				t.Errorf("FindAPITokens: token %d (%q): got ReadOnly %v, want %v", tok.ID, tok.Name, tok.ReadOnly, want[tok.ID])
			}
		}
		if got, err := s.FindAPIToken(t.Context(), ro.ID); err != nil || !got.ReadOnly {
			t.Errorf("FindAPIToken: got %+v, error %v; want read-only", got, err)
		}

		for _, tc := range []struct {
			hash     string
			id       int64
			readOnly bool
		}{{"read", ro.ID, true}, {"full", full.ID, false}, {"old", old.ID, false}} {
			tok, user, err := s.FindAPITokenByHash(t.Context(), tc.hash)
			if err != nil {
				t.Errorf("FindAPITokenByHash(%q): %v", tc.hash, err)
				continue
			}
			if tok.ID != tc.id || tok.ReadOnly != tc.readOnly || tok.UserID != u.ID || user.ID != u.ID || user.Role != inbox.RoleSupervisor {
				t.Errorf("FindAPITokenByHash(%q): got token %+v, user %+v; want token %d (read-only %v) of %d", tc.hash, tok, user, tc.id, tc.readOnly, u.ID)
			}
			if tok.LastUsedAt == nil || !tok.LastUsedAt.Equal(now) {
				t.Errorf("FindAPITokenByHash(%q): got LastUsedAt %v, want %s", tc.hash, tok.LastUsedAt, now)
			}
		}
		tok, _, err := s.FindAPITokenByHash(t.Context(), "read")
		if err != nil || tok.Name != "Grafana" || tok.ExpiresAt == nil || !tok.ExpiresAt.Equal(expires) {
			t.Errorf("FindAPITokenByHash: got %+v, error %v; want its name and expiry", tok, err)
		}
		if _, _, err := s.FindAPITokenByHash(t.Context(), "unknown"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Errorf("FindAPITokenByHash of an unknown hash: got %v, want ENOTFOUND", err)
		}
	})
}
