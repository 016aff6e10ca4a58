package sqlstore

import (
	"math/rand/v2"
	"testing"

	"inkorg/inbox"
)

// TestPostgresValueTooLarge: a value PostgreSQL cannot hold (a number out
// of its column's range, a text too long for its index) is the caller's
// bad input, not an internal error.
func TestPostgresValueTooLarge(t *testing.T) {
	s := NewStore(openMigrated(t, postgresURL))
	ctx := t.Context()
	err := translate(s.conn(ctx).Exec("SELECT CAST(? AS BIGINT)::integer", int64(3000000000)).Error, "Rule")
	if inbox.ErrorCode(err) != inbox.EINVALID {
		t.Errorf("a number out of range: got %v, want %s", err, inbox.EINVALID)
	}
	// Letters that do not compress, so the index row stays too large.
	rnd := rand.New(rand.NewPCG(1, 2))
	id := make([]byte, 3800)
	for i := range id {
		id[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[rnd.IntN(36)]
	}
	row := accountRow{Platform: string(inbox.PlatformFacebook), ExternalID: string(id), Name: "Lång", CreatedAt: s.now()}
	err = translate(s.conn(ctx).Create(&row).Error, "Account")
	if inbox.ErrorCode(err) != inbox.EINVALID {
		t.Errorf("an id too long for its index: got %v, want %s", err, inbox.EINVALID)
	}
}
