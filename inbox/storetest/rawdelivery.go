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
	t.Run("Batch", func(t *testing.T) { testRawDeliveryBatch(t, open(t)) })
}

// testRawDeliveryBatch stores several deliveries at once: a body stored
// before, and one repeated in the batch, are stored once.
func testRawDeliveryBatch(t *testing.T, s inbox.Store) {
	raw := func(body string) *inbox.RawDelivery {
		return &inbox.RawDelivery{Body: []byte(body), Signature: "sha256=" + body[len(body)-3:len(body)-2], ReceivedAt: T0}
	}
	count := func() int {
		t.Helper()
		got, err := s.FindRawDeliveries(ctx(t), inbox.RawDeliveryFilter{})
		if err != nil {
			t.Fatalf("FindRawDeliveries: %v", err)
		}
		return len(got)
	}
	if stored, err := s.SaveRawDelivery(ctx(t), raw(`{"entry":[1]}`)); err != nil || !stored {
		t.Fatalf("SaveRawDelivery: got %v, %v", stored, err)
	}
	batch := []*inbox.RawDelivery{raw(`{"entry":[2]}`), raw(`{"entry":[1]}`), raw(`{"entry":[3]}`), raw(`{"entry":[2]}`)}
	stored, err := s.SaveRawDeliveries(ctx(t), batch)
	if err != nil {
		t.Fatalf("SaveRawDeliveries: %v", err)
	}
	want := []bool{true, false, true, false}
	for i := range want {
		if len(stored) != len(want) || stored[i] != want[i] || (batch[i].ID != 0) != want[i] {
			t.Fatalf("stored %v, ids %d %d %d %d; want %v with ids for the stored only",
				stored, batch[0].ID, batch[1].ID, batch[2].ID, batch[3].ID, want)
		}
	}
	if batch[0].ID == batch[2].ID || count() != 3 {
		t.Errorf("ids %d and %d, %d stored; want two new ids and 3 deliveries", batch[0].ID, batch[2].ID, count())
	}
	got, _ := s.FindRawDeliveries(ctx(t), inbox.RawDeliveryFilter{AfterID: batch[2].ID - 1, Limit: 1})
	if len(got) != 1 || string(got[0].Body) != `{"entry":[3]}` || got[0].Signature != "sha256=3" {
		t.Errorf("delivery %d: got %+v, want the third body with its signature", batch[2].ID, got)
	}

	_, err = s.SaveRawDeliveries(ctx(t), []*inbox.RawDelivery{raw(`{"entry":[4]}`), {ReceivedAt: T0}})
	wantCode(t, err, inbox.EINVALID)
	if n := count(); n != 3 {
		t.Errorf("after a refused batch: %d stored, want 3 (none of it)", n)
	}
	if stored, err := s.SaveRawDeliveries(ctx(t), nil); err != nil || len(stored) != 0 {
		t.Errorf("empty batch: got %v, %v", stored, err)
	}
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
	t.Run("OKList", func(t *testing.T) {
		s := open(t)
		if got, err := s.FindUnknownAccounts(ctx(t)); err != nil || len(got) != 0 {
			t.Fatalf("no conversations: got %v, %v; want none", got, err)
		}
		apply(t, s, Event("psid_1", "m_1", T0))
		apply(t, s, Event("psid_2", "m_2", T0.Add(time.Minute)))
		other := Event("psid_3", "m_3", T0.Add(time.Hour))
		other.AccountExternalID = "999000111"
		apply(t, s, other)
		managed := &inbox.Account{Platform: inbox.PlatformInstagram, ExternalID: "17841400000000777", Name: "Göteborgs Stad"}
		if err := s.CreateAccount(ctx(t), managed); err != nil {
			t.Fatal(err)
		}
		ig := Event("igsid_1", "ig_m_1", T0.Add(2*time.Hour))
		ig.Platform, ig.Channel, ig.AccountExternalID = inbox.PlatformInstagram, inbox.ChannelInstagramDirect, managed.ExternalID
		apply(t, s, ig)
		got, err := s.FindUnknownAccounts(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		want := []inbox.UnknownAccount{
			{Platform: inbox.PlatformFacebook, ExternalID: "999000111", Conversations: 1, LastMessageAt: T0.Add(time.Hour)},
			{Platform: inbox.PlatformFacebook, ExternalID: PageID, Conversations: 2, LastMessageAt: T0.Add(time.Minute)},
		}
		if len(got) != len(want) {
			t.Fatalf("got %+v, want %+v", got, want)
		}
		for i := range want {
			if got[i].Platform != want[i].Platform || got[i].ExternalID != want[i].ExternalID || got[i].Conversations != want[i].Conversations ||
				!got[i].LastMessageAt.Equal(want[i].LastMessageAt) {
				t.Errorf("%d: got %+v, want %+v", i, got[i], want[i])
			}
		}
		// Setting the account up takes it off the list.
		if err := s.CreateAccount(ctx(t), &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: PageID, Name: "Göteborgs Stad"}); err != nil {
			t.Fatal(err)
		}
		if got, err := s.FindUnknownAccounts(ctx(t)); err != nil || len(got) != 1 || got[0].ExternalID != "999000111" {
			t.Errorf("after setting up %s: got %+v, %v; want 999000111 only", PageID, got, err)
		}
	})
}
