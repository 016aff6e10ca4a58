package sqlstore

import (
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// TestRefreshKeepsLaterDelivery writes a message's refreshed state from a
// read taken before a receipt's watermark marked it: a later state written
// meanwhile is kept, and the refresh's own later state still lands.
func TestRefreshKeepsLaterDelivery(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		s := NewStore(db)
		a, err := s.ApplyEvent(t.Context(), storetest.Reply("delivery", "mid-delivery", storetest.T0))
		if err != nil {
			t.Fatal(err)
		}
		g := db.gorm.WithContext(t.Context())
		var stale messageRow
		if err := g.Where("id = ?", a.MessageID).Take(&stale).Error; err != nil {
			t.Fatal(err)
		}
		if stale.Delivery != string(inbox.DeliverySent) {
			t.Fatalf("got delivery %q, want sent", stale.Delivery)
		}
		refresh := func(current string, changes ...changeRow) string {
			t.Helper()
			if err := g.Model(&messageRow{}).Where("id = ?", a.MessageID).Update("delivery", current).Error; err != nil {
				t.Fatal(err)
			}
			if err := g.Model(&messageRow{}).Where("id = ?", a.MessageID).Updates(messageState(&stale, changes, watermarks{})).Error; err != nil {
				t.Fatal(err)
			}
			var got messageRow
			if err := g.Where("id = ?", a.MessageID).Take(&got).Error; err != nil {
				t.Fatal(err)
			}
			return got.Delivery
		}
		if got := refresh("read"); got != string(inbox.DeliveryRead) {
			t.Errorf("read meanwhile, a reaction's refresh from sent: got %q, want read", got)
		}
		if got := refresh("delivered", changeRow{Kind: string(inbox.EventMessagesRead)}); got != string(inbox.DeliveryRead) {
			t.Errorf("delivered meanwhile, a read receipt's refresh: got %q, want read", got)
		}
		if got := refresh("sent", changeRow{Kind: string(inbox.EventMessagesDelivered)}); got != string(inbox.DeliveryDelivered) {
			t.Errorf("nothing meanwhile, a delivery receipt's refresh: got %q, want delivered", got)
		}
	})
}
