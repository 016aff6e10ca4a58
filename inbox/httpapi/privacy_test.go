package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/archive"
)

// TestSubjectRequests shows that only admins export or remove a person's
// data, that removal waits for the archive, and that both are audited.
func TestSubjectRequests(t *testing.T) {
	s := newStaff(t)
	ctx := context.Background()
	conv, _ := s.comment(t, "kretslopp-och-vatten")
	c, err := s.store.FindConversationByID(ctx, conv)
	if err != nil {
		t.Fatal(err)
	}
	var access inbox.SubjectAccess
	for _, u := range []*inbox.User{s.agent, s.sup} {
		if resp := s.get(t, fmt.Sprintf("/api/v1/subjects?contact=%d", c.ContactID), "Bearer "+s.tokens[u.ID], nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: got status %d, want 403", u.Role, resp.StatusCode)
		}
	}
	resp := s.get(t, "/api/v1/subjects?platform_id="+c.Contact.ExternalID, "Bearer "+s.tokens[s.admin.ID], &access)
	if resp.StatusCode != http.StatusOK || len(access.Conversations) != 1 || access.Conversations[0].Conversation.ID != conv {
		t.Fatalf("got status %d, %+v, want the one conversation", resp.StatusCode, access)
	}
	path := fmt.Sprintf("/api/v1/subjects/%d/remove", c.ContactID)
	body := `{"action":"delete","reason":"Begäran via e-post 2026-11-20"}`
	var e map[string]any
	if resp := s.post(t, path, s.admin, body, &e); resp.StatusCode != http.StatusConflict {
		t.Fatalf("open conversation: got status %d %v, want 409", resp.StatusCode, e)
	}
	if _, err := inbox.NewService(s.store, nil).SetStatus(ctx, s.sup, conv, inbox.StatusResolved); err != nil {
		t.Fatal(err)
	}
	if resp := s.post(t, path, s.admin, body, &e); resp.StatusCode != http.StatusConflict {
		t.Fatalf("not archived: got status %d %v, want 409", resp.StatusCode, e)
	}
	now := time.Now().UTC()
	if _, err := (&archive.Exporter{Store: s.store}).Export(ctx, now.AddDate(0, 0, -1), now.Add(time.Hour), t.TempDir(), false); err != nil {
		t.Fatal(err)
	}
	if resp := s.post(t, path, s.agent, body, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent: got status %d, want 403", resp.StatusCode)
	}
	resp = s.post(t, path, s.admin, body, &e)
	wantDocumented(t, "/subjects/{id}/remove", resp.StatusCode)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got status %d %v, want 200", resp.StatusCode, e)
	}
	if v, ok := e["dead_letters"]; !ok || v != nil {
		t.Errorf("dead_letters: got %v (present %v), want null: the server has no dead letters to check", v, ok)
	}
	msgs, err := s.store.FindMessages(ctx, conv)
	if err != nil || msgs[0].Text != inbox.DeletedText {
		t.Errorf("got %+v, %v, want the comment deleted", msgs, err)
	}
}

// TestSubjectRemovalByPlatformID erases someone who only replied in
// another citizen's comment thread: they have no contact, so only their
// platform id names them.
func TestSubjectRemovalByPlatformID(t *testing.T) {
	s := newStaff(t)
	ctx := context.Background()
	conv, _ := s.comment(t, "kretslopp-och-vatten")
	c, err := s.store.FindConversationByID(ctx, conv)
	if err != nil {
		t.Fatal(err)
	}
	const replier = "7301234567890077"
	reply, err := s.store.ApplyEvent(ctx, inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
		AccountExternalID: "page-1", ThreadKey: c.ThreadKey, PostExternalID: "post-1", MessageExternalID: c.ThreadKey + "_r",
		ParentExternalID: c.ThreadKey, Direction: inbox.DirectionInbound,
		Contact: inbox.Actor{ExternalID: c.Contact.ExternalID}, Author: inbox.Actor{ExternalID: replier, Name: "Nils Nilsson"},
		Text: "Ring mig på 070-999 88 77", OccurredAt: time.Now().Add(-30 * time.Minute).UTC(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inbox.NewService(s.store, nil).SetStatus(ctx, s.sup, conv, inbox.StatusResolved); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if _, err := (&archive.Exporter{Store: s.store}).Export(ctx, now.AddDate(0, 0, -1), now.Add(time.Hour), t.TempDir(), false); err != nil {
		t.Fatal(err)
	}
	body := `{"platform_id":"` + replier + `","action":"delete","reason":"Begäran via e-post 2026-11-20"}`
	if resp := s.post(t, "/api/v1/subjects/remove", s.agent, body, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("agent: got status %d, want 403", resp.StatusCode)
	}
	both := `{"platform_id":"` + replier + `","action":"delete","reason":"x"}`
	if resp := s.post(t, fmt.Sprintf("/api/v1/subjects/%d/remove", c.ContactID), s.admin, both, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("contact id and platform id: got status %d, want 400", resp.StatusCode)
	}
	var e map[string]any
	resp := s.post(t, "/api/v1/subjects/remove", s.admin, body, &e)
	wantDocumented(t, "/subjects/remove", resp.StatusCode)
	if resp.StatusCode != http.StatusOK || e["contact_id"] != float64(0) {
		t.Fatalf("got status %d %v, want 200 and no contact", resp.StatusCode, e)
	}
	msgs, err := s.store.FindMessages(ctx, conv)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		switch {
		case m.ID == reply.MessageID && (m.Text != inbox.DeletedText || m.AuthorExternalID == replier):
			t.Errorf("the reply: got text %q, author %q; want it deleted and pseudonymised", m.Text, m.AuthorExternalID)
		case m.ID != reply.MessageID && m.Text == inbox.DeletedText:
			t.Errorf("message %d of the thread's own citizen was deleted", m.ID)
		}
	}
	resp = s.post(t, "/api/v1/subjects/remove", s.admin, body, &e)
	wantDocumented(t, "/subjects/remove", resp.StatusCode)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("again, with nothing left naming them: got status %d %v, want 404", resp.StatusCode, e)
	}
}

// TestSubjectRequestsPlatform shows that a Facebook and an Instagram
// person with the same platform id are told apart: naming the id alone is
// refused (400) naming both platforms, and with platform only that
// platform's person is read or removed.
func TestSubjectRequestsPlatform(t *testing.T) {
	onBothDialects(t, func(t *testing.T, s *staff) {
		ctx := context.Background()
		fbConv, _ := s.comment(t, "kretslopp-och-vatten")
		fb, err := s.store.FindConversationByID(ctx, fbConv)
		if err != nil {
			t.Fatal(err)
		}
		id := fb.Contact.ExternalID
		sofia := inbox.Actor{ExternalID: id, Name: "Sofia Berg", Username: "sofia.berg"}
		ig, err := s.store.ApplyEvent(ctx, inbox.Event{
			Kind: inbox.EventMessageCreated, Platform: inbox.PlatformInstagram, Channel: inbox.ChannelInstagramDirect,
			AccountExternalID: "17841400000000000", ThreadKey: id, MessageExternalID: "ig-mid-1", Direction: inbox.DirectionInbound,
			Contact: sofia, Author: sofia, Text: "SOFIAS TEXT på Instagram", OccurredAt: time.Now().Add(-time.Hour).UTC(),
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, conv := range []int64{fbConv, ig.ConversationID} {
			if _, err := inbox.NewService(s.store, nil).SetStatus(ctx, s.sup, conv, inbox.StatusResolved); err != nil {
				t.Fatal(err)
			}
		}
		now := time.Now().UTC()
		if _, err := (&archive.Exporter{Store: s.store}).Export(ctx, now.AddDate(0, 0, -1), now.Add(time.Hour), t.TempDir(), false); err != nil {
			t.Fatal(err)
		}
		admin := "Bearer " + s.tokens[s.admin.ID]

		var e map[string]any
		if resp := s.get(t, "/api/v1/subjects?platform_id="+id, admin, &e); resp.StatusCode != http.StatusBadRequest ||
			!strings.Contains(fmt.Sprint(e), "different people on facebook and instagram") {
			t.Errorf("GET without platform: got status %d %v, want 400 naming both platforms", resp.StatusCode, e)
		}
		if resp := s.get(t, "/api/v1/subjects?platform_id="+id+"&platform=myspace", admin, &e); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET with platform myspace: got status %d %v, want 400", resp.StatusCode, e)
		}
		var access inbox.SubjectAccess
		resp := s.get(t, "/api/v1/subjects?platform_id="+id+"&platform=instagram", admin, &access)
		if resp.StatusCode != http.StatusOK || len(access.Contacts) != 1 || access.Contacts[0].Platform != inbox.PlatformInstagram ||
			len(access.Conversations) != 1 || access.Conversations[0].Conversation.ID != ig.ConversationID {
			t.Errorf("GET on instagram: got status %d, %+v; want Sofia's conversation only", resp.StatusCode, access)
		}

		body := `{"platform_id":"` + id + `","action":"delete","reason":"Begäran via e-post 2026-11-20"}`
		resp = s.post(t, "/api/v1/subjects/remove", s.admin, body, &e)
		wantDocumented(t, "/subjects/remove", resp.StatusCode)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(fmt.Sprint(e), "--platform facebook or --platform instagram") {
			t.Errorf("remove without platform: got status %d %v, want 400", resp.StatusCode, e)
		}
		withContact := `{"platform":"facebook","action":"delete","reason":"x"}`
		if resp := s.post(t, fmt.Sprintf("/api/v1/subjects/%d/remove", fb.ContactID), s.admin, withContact, &e); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("contact id and platform: got status %d %v, want 400", resp.StatusCode, e)
		}
		body = `{"platform_id":"` + id + `","platform":"facebook","action":"delete","reason":"Begäran via e-post 2026-11-20"}`
		e = nil
		resp = s.post(t, "/api/v1/subjects/remove", s.admin, body, &e)
		if resp.StatusCode != http.StatusOK || e["platform"] != "facebook" || e["contact_id"] != float64(fb.ContactID) {
			t.Fatalf("remove on facebook: got status %d %v, want 200 and the Facebook contact", resp.StatusCode, e)
		}
		if msgs, err := s.store.FindMessages(ctx, fbConv); err != nil || msgs[0].Text != inbox.DeletedText {
			t.Errorf("the Facebook comment: got %+v, %v; want it deleted", msgs, err)
		}
		msgs, err := s.store.FindMessages(ctx, ig.ConversationID)
		if err != nil || msgs[0].Text != "SOFIAS TEXT på Instagram" || msgs[0].AuthorExternalID != id {
			t.Errorf("Sofia's Instagram message: got %+v, %v; want it untouched", msgs, err)
		}
	})
}
