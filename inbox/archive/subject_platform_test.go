package archive_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/archive/recordtest"
	"inkorg/inbox/sqlq"
)

// sofiaIGText is what Sofia wrote on Instagram. Her Instagram-scoped id
// has the same digits as Anna's page-scoped id: they are different people.
const sofiaIGText = "SOFIAS TEXT: när töms soptunnorna?"

// addSofia adds Sofia's Instagram thread to the scene, resolved, and
// returns it.
func addSofia(t *testing.T, s *recordtest.Scene) *inbox.Conversation {
	t.Helper()
	ctx := context.Background()
	now := s.Clock.Now()
	defer s.Clock.Set(now)
	s.Clock.Set(recordtest.T0.Add(6 * time.Hour))
	sofia := inbox.Actor{ExternalID: recordtest.CitizenID, Name: "Sofia Berg", Username: "sofia.berg"}
	a, err := s.Store.ApplyEvent(ctx, inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformInstagram, Channel: inbox.ChannelInstagramDirect,
		AccountExternalID: "17841400000000000", ThreadKey: recordtest.CitizenID, MessageExternalID: "ig_m_1",
		Direction: inbox.DirectionInbound, Contact: sofia, Author: sofia, Text: sofiaIGText, OccurredAt: s.Clock.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Clock.Set(recordtest.T0.Add(7 * time.Hour))
	conv, err := inbox.NewService(s.Store, s.Clock.Now).SetStatus(ctx, s.Agent, a.ConversationID, inbox.StatusResolved)
	if err != nil {
		t.Fatal(err)
	}
	return conv
}

// A page-scoped and an Instagram-scoped id with the same digits are two
// people: a request naming the id alone is refused, one naming the
// platform too finds only that platform's person, and an erasure leaves
// the other platform's kept webhook bodies alone.
func TestSubjectPlatform(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		ctx := context.Background()
		sofia := addSofia(t, s)
		archiveDay(t, s)
		p := privacy(s)
		dl := sqlq.New(s.DB, sqlq.Options{})
		p.DeadLetters = dl
		sender := `"messaging":[{"sender":{"id":"` + recordtest.CitizenID + `"},"message":{"text":"Hej"}}]}]}`
		fbBody := `{"object":"page","entry":[{"id":"` + recordtest.PageID + `",` + sender
		igBody := `{"object":"instagram","entry":[{"id":"17841400000000000",` + sender
		for _, body := range []string{fbBody, igBody} {
			err := s.DB.Gorm().Exec(`INSERT INTO queue_dead_letters (queue, message_id, key, body, headers, attempts, error, published_at, failed_at)
				VALUES ('deliveries', 1, '', ?, '{}', 5, 'database unavailable', 1, 1)`, []byte(body)).Error
			if err != nil {
				t.Fatal(err)
			}
		}

		for _, tc := range []struct {
			name string
			err  error
		}{
			{"SubjectContacts", func() error { _, err := p.SubjectContacts(ctx, 0, "", recordtest.CitizenID); return err }()},
			{"RemoveSubjectByPlatformID", func() error {
				_, err := p.RemoveSubjectByPlatformID(ctx, 0, "", recordtest.CitizenID, inbox.DeleteData, "Begäran")
				return err
			}()},
		} {
			if inbox.ErrorCode(tc.err) != inbox.EINVALID || !strings.Contains(inbox.ErrorMessage(tc.err), "different people on facebook and instagram") {
				t.Errorf("%s without a platform: got %v, want EINVALID naming both platforms", tc.name, tc.err)
			}
		}
		if rec := record(t, s, sofia.ID); rec.Messages[0].Text != sofiaIGText {
			t.Fatalf("Sofia's thread after the refusals: got %q, want it untouched", rec.Messages[0].Text)
		}
		for _, bad := range []struct {
			contact  int64
			platform inbox.Platform
			id       string
		}{{0, "myspace", recordtest.CitizenID}, {s.PrivateContact, inbox.PlatformFacebook, ""}} {
			if _, err := p.SubjectContacts(ctx, bad.contact, bad.platform, bad.id); inbox.ErrorCode(err) != inbox.EINVALID {
				t.Errorf("SubjectContacts(%d, %q, %q): got %v, want EINVALID", bad.contact, bad.platform, bad.id, err)
			}
		}
		cs, err := p.SubjectContacts(ctx, 0, inbox.PlatformInstagram, recordtest.CitizenID)
		if err != nil || len(cs) != 1 || cs[0].ID != sofia.ContactID {
			t.Errorf("SubjectContacts on instagram: got %+v, %v; want Sofia only", cs, err)
		}

		// Anna, by her contact: her Facebook delivery goes, Sofia's
		// Instagram one, with the same digits, stays.
		r, err := p.RemoveSubject(ctx, 0, s.PrivateContact, inbox.DeleteData, "Annas begäran")
		if err != nil {
			t.Fatal(err)
		}
		if r.Platform != inbox.PlatformFacebook || len(r.Conversations) != 1 || r.Conversations[0] != s.Private || *r.DeadLetters != 1 {
			t.Errorf("Anna's erasure: got %+v, want her thread on facebook and one dead letter", r)
		}
		left, err := dl.DeadLetters(ctx, inbox.QueueDeliveries, "", 10)
		if err != nil || len(left) != 1 || string(left[0].Body) != igBody {
			t.Fatalf("dead letters: got %d, %v; want Sofia's Instagram one kept as it was", len(left), err)
		}
		if rec := record(t, s, sofia.ID); rec.Messages[0].Text != sofiaIGText || rec.Conversation.Contact.Name != "Sofia Berg" {
			t.Errorf("Sofia's thread after Anna's erasure: got %q by %q, want it untouched", rec.Messages[0].Text, rec.Conversation.Contact.Name)
		}

		// Anna's contact is gone, so the id now names Sofia alone.
		r, err = p.RemoveSubjectByPlatformID(ctx, 0, "", recordtest.CitizenID, inbox.Pseudonymise, "Sofias begäran")
		if err != nil {
			t.Fatal(err)
		}
		if r.Platform != inbox.PlatformInstagram || r.ContactID != sofia.ContactID || len(r.Conversations) != 1 || *r.DeadLetters != 1 {
			t.Errorf("Sofia's pseudonymisation: got %+v, want her thread on instagram and her dead letter", r)
		}
	})
}
