package storetest

import (
	"testing"
	"time"

	"inkorg/inbox"
)

// nameless returns a Messenger message from a contact the webhook names
// only by id.
func nameless(thread, mid string) inbox.Event {
	e := Event(thread, mid, T0)
	e.Contact.Name, e.Author.Name = "", ""
	return e
}

func runContactProfiles(t *testing.T, open opener) {
	t.Run("OKFetched", func(t *testing.T) {
		s := open(t)
		a := apply(t, s, nameless("psid-1", "m_1"))
		apply(t, s, Event("psid-2", "m_2", T0)) // named by the webhook
		comment := nameless("c_1", "c_1")
		comment.Channel, comment.PostExternalID = inbox.ChannelFacebookComment, PageID+"_1"
		apply(t, s, comment) // comment authors are not looked up
		conv, err := s.FindConversationByID(ctx(t), a.ConversationID)
		mustOK(t, err)
		due, err := s.FindProfilesToFetch(ctx(t), time.Now(), 10)
		if err != nil || len(due) != 1 || due[0].ContactID != conv.ContactID || due[0].ExternalID != "psid-1" ||
			due[0].Platform != inbox.PlatformFacebook || due[0].AccountExternalID != PageID || due[0].Attempts != 0 {
			t.Fatalf("due: got %+v, %v; want psid-1 of %s", due, err, PageID)
		}
		mustOK(t, s.SaveContactProfile(ctx(t), conv.ContactID, " Sven Svensson ", ""))
		c, err := contactOf(t, s, a.ConversationID)
		if err != nil || c.Name != "Sven Svensson" || c.Username != "" {
			t.Fatalf("contact: got %+v, %v; want Sven Svensson", c, err)
		}
		if due, err := s.FindProfilesToFetch(ctx(t), time.Now().Add(time.Hour), 10); err != nil || len(due) != 0 {
			t.Errorf("due after save: got %+v, %v; want none", due, err)
		}
	})
	t.Run("OKWebhookNameKept", func(t *testing.T) {
		s := open(t)
		a := apply(t, s, nameless("psid-1", "m_1"))
		conv, err := s.FindConversationByID(ctx(t), a.ConversationID)
		mustOK(t, err)
		apply(t, s, Event("psid-1", "m_2", T0.Add(time.Minute))) // the webhook names them meanwhile
		mustOK(t, s.SaveContactProfile(ctx(t), conv.ContactID, "Fel Namn", "fel.namn"))
		c, err := contactOf(t, s, a.ConversationID)
		if err != nil || c.Name != "Anna Andersson" || c.Username != "fel.namn" {
			t.Errorf("contact: got %+v, %v; want the webhook's name kept, the empty username filled", c, err)
		}
	})
	t.Run("OKFailuresGiveUp", func(t *testing.T) {
		s := open(t)
		a1 := apply(t, s, nameless("psid-1", "m_1"))
		a2 := apply(t, s, nameless("psid-2", "m_2"))
		c1, err := s.FindConversationByID(ctx(t), a1.ConversationID)
		mustOK(t, err)
		c2, err := s.FindConversationByID(ctx(t), a2.ConversationID)
		mustOK(t, err)
		now := time.Now()
		mustOK(t, s.ProfileFetchFailed(ctx(t), c2.ContactID, time.Time{})) // permanent: given up at once
		for i := 1; i < inbox.MaxProfileFetchAttempts; i++ {
			mustOK(t, s.ProfileFetchFailed(ctx(t), c1.ContactID, now.Add(time.Minute)))
			if due, _ := s.FindProfilesToFetch(ctx(t), now, 10); len(due) != 0 {
				t.Fatalf("attempt %d: due before the retry time: %+v", i, due)
			}
			due, err := s.FindProfilesToFetch(ctx(t), now.Add(2*time.Minute), 10)
			if err != nil || len(due) != 1 || due[0].ContactID != c1.ContactID || due[0].Attempts != i {
				t.Fatalf("attempt %d: got %+v, %v; want contact %d due with %d attempts", i, due, err, c1.ContactID, i)
			}
		}
		mustOK(t, s.ProfileFetchFailed(ctx(t), c1.ContactID, now.Add(time.Minute)))
		if due, _ := s.FindProfilesToFetch(ctx(t), now.Add(time.Hour), 10); len(due) != 0 {
			t.Errorf("after %d attempts: still due %+v", inbox.MaxProfileFetchAttempts, due)
		}
	})
	t.Run("ErrContactProfile", func(t *testing.T) {
		s := open(t)
		wantCode(t, s.SaveContactProfile(ctx(t), 987654, "Anna", ""), inbox.ENOTFOUND)
		a := apply(t, s, nameless("psid-1", "m_1"))
		conv, err := s.FindConversationByID(ctx(t), a.ConversationID)
		mustOK(t, err)
		wantCode(t, s.SaveContactProfile(ctx(t), conv.ContactID, "An\xffna", ""), inbox.EINVALID)
	})
}

// contactOf returns the contact of the conversation.
func contactOf(t *testing.T, s inbox.Store, conversationID int64) (*inbox.Contact, error) {
	t.Helper()
	conv, err := s.FindConversationByID(ctx(t), conversationID)
	if err != nil {
		return nil, err
	}
	return conv.Contact, nil
}
