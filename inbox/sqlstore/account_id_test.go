package sqlstore

import (
	"strings"
	"testing"

	"inkorg/inbox"
)

// TestCreateAccountRefusesBadID: an id that is not a Meta account id is
// refused before it is stored, on both databases, so the API and the
// command line say why instead of storing an account no poll can read.
func TestCreateAccountRefusesBadID(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		s := NewStore(openMigrated(t, url))
		ctx := t.Context()
		for _, id := range []string{"me", "abc def/../x", strings.Repeat("7", 3800)} {
			err := s.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: id, Name: "Göteborgs Stad"})
			if inbox.ErrorCode(err) != inbox.EINVALID || !strings.Contains(err.Error(), "account id") {
				t.Errorf("id %.20q: got %v, want EINVALID about the account id", id, err)
			}
		}
		if got, err := s.FindAccounts(ctx); err != nil || len(got) != 0 {
			t.Errorf("got %d accounts (%v), want none stored", len(got), err)
		}
		if err := s.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformInstagram, ExternalID: "17841400000000000", Name: "goteborgsstad"}); err != nil {
			t.Errorf("an Instagram account id: %v", err)
		}
	})
}
