package storetest

import (
	"bytes"
	"testing"
	"time"

	"inkorg/inbox"
)

func runRawDeliveries(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		bodies := []string{`{"object":"page","entry":[1]}`, `{"object":"page","entry":[2]}`, `{"object":"page","entry":[3]}`}
		for i, b := range bodies {
			d := &inbox.RawDelivery{Body: []byte(b), Signature: "sha256=ab", ContentType: "application/json",
				ReceivedAt: T0.Add(time.Duration(i) * time.Hour)}
			stored, err := s.SaveRawDelivery(ctx(t), d)
			if err != nil || !stored || d.ID == 0 {
				t.Fatalf("SaveRawDelivery(%d): got stored %v, id %d, error %v; want stored with an id", i, stored, d.ID, err)
			}
		}
		// Meta redelivering the same body stores nothing new.
		again := &inbox.RawDelivery{Body: []byte(bodies[0]), ReceivedAt: T0.Add(5 * time.Hour)}
		if stored, err := s.SaveRawDelivery(ctx(t), again); err != nil || stored {
			t.Errorf("SaveRawDelivery(same body): got stored %v, error %v; want not stored", stored, err)
		}
		got, err := s.FindRawDeliveries(ctx(t), inbox.RawDeliveryFilter{Since: T0.Add(time.Hour), Until: T0.Add(2 * time.Hour)})
		if err != nil || len(got) != 1 {
			t.Fatalf("FindRawDeliveries(+1h..+2h): got %d, error %v; want 1", len(got), err)
		}
		d := got[0]
		if !bytes.Equal(d.Body, []byte(bodies[1])) || d.Signature != "sha256=ab" || d.ContentType != "application/json" {
			t.Errorf("got %+v body %s, want the second delivery with its headers", d, d.Body)
		}
		wantTime(t, "ReceivedAt", d.ReceivedAt, T0.Add(time.Hour))
		page1, _ := s.FindRawDeliveries(ctx(t), inbox.RawDeliveryFilter{Limit: 2})
		page2, _ := s.FindRawDeliveries(ctx(t), inbox.RawDeliveryFilter{Limit: 2, AfterID: page1[len(page1)-1].ID})
		if len(page1) != 2 || len(page2) != 1 || page2[0].ID <= page1[1].ID {
			t.Errorf("pages: got %d then %d, want 2 then 1 in id order", len(page1), len(page2))
		}
	})
	t.Run("ErrEmptyBody", func(t *testing.T) {
		_, err := open(t).SaveRawDelivery(ctx(t), &inbox.RawDelivery{ReceivedAt: T0})
		wantCode(t, err, inbox.EINVALID)
	})
}

func runUnknownAccounts(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		a := apply(t, s, Event("psid_1", "m_1", T0))
		if !a.UnknownAccount {
			t.Errorf("message for an account not configured: got UnknownAccount false, want true")
		}
		// Adding the account adopts the conversation.
		acc := &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: PageID, Name: "Göteborgs Stad"}
		if err := s.CreateAccount(ctx(t), acc); err != nil {
			t.Fatal(err)
		}
		if c := conversation(t, s, a.ConversationID); c.UnknownAccount || c.AccountID != acc.ID {
			t.Errorf("after adding the account: got unknown %v, account %d; want false, %d", c.UnknownAccount, c.AccountID, acc.ID)
		}
		if b := apply(t, s, Event("psid_2", "m_2", T0)); b.UnknownAccount {
			t.Errorf("message for a configured account: got UnknownAccount true, want false")
		}
		if err := s.RemoveAccount(ctx(t), inbox.PlatformFacebook, PageID); err != nil {
			t.Fatalf("RemoveAccount: %v", err)
		}
		if c := conversation(t, s, a.ConversationID); !c.UnknownAccount || c.AccountID != 0 {
			t.Errorf("after removing the account: got unknown %v, account %d; want true, 0", c.UnknownAccount, c.AccountID)
		}
		if accounts, err := s.FindAccounts(ctx(t)); err != nil || len(accounts) != 0 {
			t.Errorf("accounts after removal: got %d (error %v), want 0", len(accounts), err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		wantCode(t, open(t).RemoveAccount(ctx(t), inbox.PlatformInstagram, PageID), inbox.ENOTFOUND)
	})
}
