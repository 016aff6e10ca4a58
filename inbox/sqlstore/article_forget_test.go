package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// TestLearntQuestionsLeaveIndexes: a citizen question answered with an
// answer-bank link is learnt search text of the article, which the
// indexes hold until the bank's version moves. Unsending or editing it,
// or removing its conversation's or its author's personal data, moves the
// version; the same in a conversation where no reply linked the bank
// does not.
func TestLearntQuestionsLeaveIndexes(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		url(t)
		answered := func(t *testing.T, s *Store, u *inbox.User, psid string) inbox.Applied {
			t.Helper()
			a := ask(t, s, psid, "m_"+psid, "Mitt kärl har inte tömts", storetest.T0)
			q := queueSoporReply(t, s, u, a.ConversationID, psid)
			moveReply(t, s, q, inbox.OutboundQueued, inbox.OutboundSending, "")
			moveReply(t, s, q, inbox.OutboundSending, inbox.OutboundSent, "m_sent_"+psid)
			return a
		}
		version := func(t *testing.T, s *Store) int64 {
			t.Helper()
			v, err := s.Version(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		moved := func(t *testing.T, s *Store, what string, before int64, want bool) int64 {
			t.Helper()
			v := version(t, s)
			if (v != before) != want {
				t.Errorf("%s: version %d → %d, want moved %v", what, before, v, want)
			}
			return v
		}
		change := func(t *testing.T, s *Store, kind inbox.EventKind, psid, mid, text string) {
			t.Helper()
			e := storetest.Change(kind, mid, storetest.T0.Add(time.Hour))
			e.Author, e.Text = inbox.Actor{ExternalID: psid}, text
			mustApply(t, s, e)
		}
		t.Run("Changes", func(t *testing.T) {
			s, u := useStore(t, url)
			answered(t, s, u, "psid_1")
			ask(t, s, "psid_2", "m_psid_2", "Var lämnar jag grovsopor?", storetest.T0)
			ask(t, s, "psid_3", "m_psid_3", "Hur söker jag bygglov?", storetest.T0)
			v := version(t, s)
			change(t, s, inbox.EventMessageDeleted, "psid_2", "m_psid_2", "")
			v = moved(t, s, "unsent without a linked reply", v, false)
			change(t, s, inbox.EventMessageEdited, "psid_1", "m_psid_1", "Mitt kärl har inte tömts i dag")
			v = moved(t, s, "edited", v, true)
			change(t, s, inbox.EventReactionAdded, "psid_1", "m_psid_1", "")
			v = moved(t, s, "a reaction", v, false)
			change(t, s, inbox.EventMessageDeleted, "psid_1", "m_psid_1", "")
			v = moved(t, s, "unsent", v, true)
			change(t, s, inbox.EventMessageDeleted, "psid_1", "m_psid_1", "")
			moved(t, s, "unsent again", v, false)
		})
		t.Run("Removals", func(t *testing.T) {
			s, u := useStore(t, url)
			a := answered(t, s, u, "psid_1")
			b := answered(t, s, u, "psid_4")
			other := ask(t, s, "psid_2", "m_psid_2", "Var lämnar jag grovsopor?", storetest.T0)
			archiveClosed(t, s, a.ConversationID, b.ConversationID, other.ConversationID)
			remove := func(r *inbox.Removal) {
				t.Helper()
				r.Audit = inbox.AuditEntry{Action: inbox.ActionSubjectRemoval}
				if err := s.RemovePersonalData(t.Context(), r); err != nil {
					t.Fatal(err)
				}
			}
			v := version(t, s)
			remove(&inbox.Removal{Action: inbox.DeleteData, ConversationIDs: []int64{other.ConversationID}})
			v = moved(t, s, "conversation without a linked reply removed", v, false)
			remove(&inbox.Removal{Action: inbox.DeleteData, ConversationIDs: []int64{a.ConversationID}})
			v = moved(t, s, "conversation removed", v, true)
			contacts, err := s.FindContactsByExternalID(t.Context(), "psid_4")
			if err != nil || len(contacts) != 1 {
				t.Fatalf("FindContactsByExternalID: %v, %v", contacts, err)
			}
			remove(&inbox.Removal{Action: inbox.Pseudonymise, Contact: contacts[0], Scrub: func(s string) string { return s }})
			moved(t, s, "author removed", v, true)
		})
	})
}
