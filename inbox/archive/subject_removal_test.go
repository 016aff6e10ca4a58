package archive_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/archive/recordtest"
	"inkorg/inbox/sqlq"
	"inkorg/webhooks"
)

// karinID is a citizen the scene does not know: her message was never
// ingested.
const karinID = "7301234567899999"

// batchWithKarin is one Meta delivery with two entries: Erik's new
// comment and Karin's private message.
const batchWithKarin = `{"object":"page","entry":[` +
	`{"id":"` + recordtest.PageID + `","time":1,"changes":[{"field":"feed","value":{"from":{"id":"` + recordtest.CommenterID + `","name":"Erik Eriksson"},` +
	`"item":"comment","verb":"add","comment_id":"c_erik_2","post_id":"` + recordtest.PageID + `_post_1","message":"Hej igen, ERIKS TEXT"}}]},` +
	`{"id":"` + recordtest.PageID + `","time":1,"messaging":[{"sender":{"id":"` + karinID + `"},"recipient":{"id":"` + recordtest.PageID + `"},` +
	`"timestamp":1772442000000,"message":{"mid":"m_karin","text":"KARIN: vattenläcka på Linnégatan 12"}}]}]}`

// A dead-lettered delivery naming Erik also holds Karin's message, which
// was never ingested; the same body is kept as a raw delivery. Erik's
// erasure removes his event from both and keeps Karin's, which a replay
// then ingests.
func TestSubjectErasureKeepsOthersEvents(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		ctx := context.Background()
		headers := `{"x_hub_signature_256":"sha256=abc","received_at":"2026-03-02T09:30:00Z"}`
		err := s.DB.Gorm().Exec(`INSERT INTO queue_dead_letters (queue, message_id, key, body, headers, attempts, error, published_at, failed_at)
			VALUES ('deliveries', 1, '', ?, ?, 5, 'database unavailable', 1, 1)`, []byte(batchWithKarin), headers).Error
		if err != nil {
			t.Fatal(err)
		}
		received := recordtest.T0.Add(30 * time.Minute)
		raw := &inbox.RawDelivery{Body: []byte(batchWithKarin), Signature: "sha256=abc", ContentType: "application/json", ReceivedAt: received}
		if _, err := s.Store.SaveRawDelivery(ctx, raw); err != nil {
			t.Fatal(err)
		}
		archiveDay(t, s)
		p := privacy(s)
		dl := sqlq.New(s.DB, sqlq.Options{})
		p.DeadLetters = dl
		r, err := p.RemoveSubject(ctx, 0, s.CommentContact, inbox.DeleteData, "Eriks begäran")
		if err != nil {
			t.Fatal(err)
		}
		if r.DeadLetters == nil || *r.DeadLetters != 0 || *r.DeadLettersRewritten != 1 || r.RawDeliveries != 0 || r.RawDeliveriesRewritten != 1 {
			t.Errorf("got %+v, want one dead letter and one raw delivery rewritten, none deleted", r)
		}

		left, err := dl.DeadLetters(ctx, inbox.QueueDeliveries, "", 10)
		if err != nil || len(left) != 1 {
			t.Fatalf("dead letters: got %d, %v; want Karin's kept", len(left), err)
		}
		checkWithoutErik(t, "dead letter", left[0].Body)
		if left[0].Headers["received_at"] == "" || left[0].Headers["x_hub_signature_256"] != "" {
			t.Errorf("dead letter headers: got %v, want received_at kept and the signature, which no longer matches, gone", left[0].Headers)
		}
		raws, err := s.Store.FindRawDeliveries(ctx, inbox.RawDeliveryFilter{Limit: 10})
		if err != nil || len(raws) != 1 {
			t.Fatalf("raw deliveries: got %d, %v; want Karin's kept", len(raws), err)
		}
		checkWithoutErik(t, "raw delivery", raws[0].Body)
		if !raws[0].ReceivedAt.Equal(received) || raws[0].Signature != "" || raws[0].ContentType != "application/json" {
			t.Errorf("raw delivery: got received %s, signature %q, content type %q; want %s, none, application/json",
				raws[0].ReceivedAt, raws[0].Signature, raws[0].ContentType, received)
		}

		// Replaying the dead letter ingests Karin's message.
		ing := webhooks.NewIngester(s.Store, nil, nil)
		if err := ing.Handle(ctx, &inbox.Delivery{ID: "1", Queue: inbox.QueueDeliveries, Body: left[0].Body, Headers: left[0].Headers,
			Attempt: 1, PublishedAt: received}); err != nil {
			t.Fatal(err)
		}
		var n int64
		s.DB.Gorm().Table("messages").Where("text LIKE ?", "%KARIN%").Count(&n)
		if n != 1 {
			t.Errorf("after the replay: got %d messages from Karin, want 1", n)
		}
	})
}

// checkWithoutErik fails unless body holds Karin's message and nothing of
// Erik's.
func checkWithoutErik(t *testing.T, what string, body []byte) {
	t.Helper()
	b := string(body)
	if !strings.Contains(b, "KARIN: vattenläcka") || !strings.Contains(b, karinID) || !strings.Contains(b, "m_karin") {
		t.Errorf("%s: got %s, want Karin's message kept", what, b)
	}
	if inbox.MentionsPlatformID(body, recordtest.CommenterID) || strings.Contains(b, "ERIKS TEXT") || strings.Contains(b, "Erik") {
		t.Errorf("%s: got %s, want Erik's comment and id gone", what, b)
	}
}

// Lisa only replied in Erik's thread: she has no contact of her own, and
// is erased by her platform id.
func TestSubjectErasureByPlatformID(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		ctx := context.Background()
		p := privacy(s)
		if _, err := p.RemoveSubjectByPlatformID(ctx, 0, "", recordtest.OtherID, inbox.DeleteData, "Lisas begäran"); inbox.ErrorCode(err) != inbox.ECONFLICT ||
			!strings.Contains(inbox.ErrorMessage(err), "The person with this platform id has conversations not yet archived") {
			t.Fatalf("before archiving: got %v, want ECONFLICT saying her conversation is not archived", err)
		}
		archiveDay(t, s)
		r, err := p.RemoveSubjectByPlatformID(ctx, 0, "", recordtest.OtherID, inbox.DeleteData, "Lisas begäran")
		if err != nil {
			t.Fatal(err)
		}
		if r.ContactID != 0 || len(r.Conversations) != 1 || r.Conversations[0] != s.Comment {
			t.Errorf("got %+v, want no contact and Erik's thread she wrote in", r)
		}
		rec := record(t, s, s.Comment)
		for _, m := range rec.Messages {
			switch m.ID {
			case s.OtherMessage:
				if m.Text != inbox.DeletedText || m.AuthorExternalID == recordtest.OtherID || m.AuthorName != "" {
					t.Errorf("Lisa's reply: got text %q, author %q (%q); want it deleted and her id pseudonymised", m.Text, m.AuthorExternalID, m.AuthorName)
				}
			case s.CommentMessage:
				if m.Text != recordtest.EditedText || m.AuthorExternalID != recordtest.CommenterID {
					t.Errorf("Erik's comment: got text %q, author %q; want it untouched", m.Text, m.AuthorExternalID)
				}
			}
		}
		for _, c := range rec.Changes {
			if c.ActorExternalID == recordtest.OtherID {
				t.Errorf("change %d still names Lisa as its actor", c.ID)
			}
		}
		audit := auditWithout(t, s)
		if last := audit[len(audit)-1]; last.Action != inbox.ActionSubjectRemoval || !strings.Contains(last.Detail, "Lisas begäran") ||
			strings.Contains(last.Detail, recordtest.OtherID) {
			t.Errorf("got audit entry %+v, want the removal with its reason and without her platform id", last)
		}
		if _, err := p.RemoveSubjectByPlatformID(ctx, 0, "", recordtest.OtherID, inbox.DeleteData, "Igen"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Errorf("again, with nothing left naming her: got %v, want ENOTFOUND", err)
		}
		if _, err := p.RemoveSubjectByPlatformID(ctx, 0, "", " ", inbox.DeleteData, "Lisas begäran"); inbox.ErrorCode(err) != inbox.EINVALID {
			t.Errorf("without a platform id: got %v, want EINVALID", err)
		}
	})
}

// Retention pseudonymised Erik's contact and thread; a dead letter still
// names his platform id, and his erasure by platform id removes it.
func TestSubjectErasureByPlatformIDAfterRetention(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		ctx := context.Background()
		archiveDay(t, s)
		p := privacy(s)
		runRetention(t, p, inbox.Pseudonymise, false)
		if _, err := p.RemoveSubject(ctx, 0, s.CommentContact, inbox.DeleteData, "Eriks begäran"); err != nil {
			t.Fatalf("by contact: %v", err)
		}
		body := `{"object":"page","entry":[{"id":"` + recordtest.PageID + `","changes":[{"field":"feed","value":{"from":{"id":"` +
			recordtest.CommenterID + `","name":"Erik Eriksson"},"message":"Hej"}}]}]}`
		err := s.DB.Gorm().Exec(`INSERT INTO queue_dead_letters (queue, message_id, key, body, headers, attempts, error, published_at, failed_at)
			VALUES ('deliveries', 1, '', ?, '{}', 5, 'database unavailable', 1, 1)`, []byte(body)).Error
		if err != nil {
			t.Fatal(err)
		}
		p.DeadLetters = sqlq.New(s.DB, sqlq.Options{})
		r, err := p.RemoveSubjectByPlatformID(ctx, 0, "", recordtest.CommenterID, inbox.DeleteData, "Eriks begäran")
		if err != nil {
			t.Fatal(err)
		}
		if r.ContactID != 0 || len(r.Conversations) != 0 || r.DeadLetters == nil || *r.DeadLetters != 1 {
			t.Errorf("got %+v, want no contact or conversation left naming him, and the dead letter deleted", r)
		}
		audit := auditWithout(t, s)
		if last := audit[len(audit)-1]; last.Action != inbox.ActionSubjectRemoval || !strings.Contains(last.Detail, `"dead_letters":1`) {
			t.Errorf("got audit entry %+v, want the removal of the dead letter", last)
		}
	})
}
