package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// TestApplyEventAdoptsUnknownConversation: a conversation left flagged
// unknown although its account exists (the account was added while its
// first message was being stored, before adding and ingest were
// serialised) becomes the account's with the next message in it.
func TestApplyEventAdoptsUnknownConversation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		s := NewStore(db)
		first := mustApply(t, s, threadComment("c_1", "citizen_a", inbox.DirectionInbound, storetest.T0))
		if !first.UnknownAccount {
			t.Fatal("first comment: got a known account, want unknown")
		}
		// Added behind the store's back: CreateAccount would adopt it.
		acc := accountRow{Platform: string(inbox.PlatformFacebook), ExternalID: storetest.PageID, Name: "Göteborgs Stad", CreatedAt: s.now()}
		if err := db.gorm.WithContext(t.Context()).Create(&acc).Error; err != nil {
			t.Fatal(err)
		}
		a := mustApply(t, s, threadComment("c_2", "citizen_b", inbox.DirectionInbound, storetest.T0.Add(time.Minute)))
		if a.UnknownAccount {
			t.Error("reply: got unknown account, want the account's")
		}
		c, err := s.FindConversationByID(t.Context(), first.ConversationID)
		if err != nil {
			t.Fatal(err)
		}
		if c.UnknownAccount || c.AccountID != acc.ID {
			t.Errorf("got unknown account %v, account %d; want the account %d", c.UnknownAccount, c.AccountID, acc.ID)
		}
	})
}
