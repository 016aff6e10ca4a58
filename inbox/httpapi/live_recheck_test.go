package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/livebus"
)

// liveServer serves the API with an in-memory broker and a fast heartbeat.
func liveServer(t *testing.T, s *staff) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(httpapi.New(httpapi.Config{Store: s.store, Live: livebus.NewMemory(1000, nil), LiveHeartbeat: 50 * time.Millisecond}))
	t.Cleanup(srv.Close)
	return srv
}

// waitHeartbeat reads the stream up to its next heartbeat, which follows
// the stream's check of its caller; it reports false when the stream
// ended instead.
func (s *sseStream) waitHeartbeat(t *testing.T) bool {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				return false
			}
			if ev.name == "heartbeat" {
				return true
			}
		case <-timeout:
			t.Fatal("neither a heartbeat nor the end of the stream within 10 s")
		}
	}
}

// drain discards the events read so far; it reports false when the
// stream ended.
func (s *sseStream) drain() bool {
	for {
		select {
		case _, ok := <-s.events:
			if !ok {
				return false
			}
		default:
			return true
		}
	}
}

// TestEventsEndWithAccess: an open event stream ends once its user is
// deactivated, as their other requests are refused.
func TestEventsEndWithAccess(t *testing.T) {
	s := newStaff(t)
	srv := liveServer(t, s)
	stream := openEvents(t, srv, s.tokens[s.agent.ID], "")
	if !stream.waitHeartbeat(t) {
		t.Fatal("the stream ended before the user was deactivated")
	}
	if err := (&inbox.UserAdmin{Store: s.store}).SetActive(t.Context(), s.admin, s.agent.ID, false); err != nil {
		t.Fatal(err)
	}
	// The heartbeats read while the deactivation was written (a slow
	// machine writes it in more than one heartbeat) came before it.
	if !stream.drain() {
		return
	}
	for range 3 {
		if !stream.waitHeartbeat(t) {
			return
		}
	}
	t.Error("the stream of a deactivated user goes on")
}

// TestEventsFollowAdministrations: a specialist moved to another
// administration no longer receives the events of the one they left.
func TestEventsFollowAdministrations(t *testing.T) {
	s := newStaff(t)
	srv := liveServer(t, s)
	id := s.conversation(t, "idrott-och-forening")
	stream := openEvents(t, srv, s.tokens[s.spec.ID], "")
	if _, err := (&inbox.UserAdmin{Store: s.store}).SetRole(t.Context(), s.admin, s.spec.ID, inbox.RoleSpecialist, []string{"kultur"}); err != nil {
		t.Fatal(err)
	}
	if !stream.waitHeartbeat(t) {
		t.Fatal("the stream ended")
	}
	path := "/api/v1/conversations/" + strconv.FormatInt(id, 10) + "/tags"
	if code := postTo(t, srv, path, s.tokens[s.agent2.ID], `{"add":["idrott"]}`); code != http.StatusOK {
		t.Fatalf("tag: got status %d", code)
	}
	// An event of the new administration shows the stream is live.
	other := s.conversation(t, "kultur")
	path = "/api/v1/conversations/" + strconv.FormatInt(other, 10) + "/tags"
	if code := postTo(t, srv, path, s.tokens[s.agent2.ID], `{"add":["kultur"]}`); code != http.StatusOK {
		t.Fatalf("tag: got status %d", code)
	}
	if ev := stream.next(t); ev.ev.ConversationID != other {
		t.Errorf("got a %s event of conversation %d, want only those of %d (kultur)", ev.name, ev.ev.ConversationID, other)
	}
}

// TestEventsTellReleasedClaims: when an admin deactivates an agent, the
// conversations the agent held are back in the queue on colleagues'
// screens at once, told as unassigned.
func TestEventsTellReleasedClaims(t *testing.T) {
	s := newStaff(t)
	srv := liveServer(t, s)
	id := s.conversation(t, "")
	path := "/api/v1/conversations/" + strconv.FormatInt(id, 10) + "/claim"
	if code := postTo(t, srv, path, s.tokens[s.agent.ID], `{}`); code != http.StatusOK {
		t.Fatalf("claim: got status %d", code)
	}
	stream := openEvents(t, srv, s.tokens[s.agent2.ID], "")
	if !stream.waitHeartbeat(t) {
		t.Fatal("the stream ended")
	}
	code, body := (&fixture{srv: srv}).do(t, http.MethodPatch, "/api/v1/users/"+strconv.FormatInt(s.agent.ID, 10),
		s.tokens[s.admin.ID], `{"active":false}`)
	if code != http.StatusOK {
		t.Fatalf("deactivate: got status %d: %s", code, body)
	}
	ev := stream.next(t)
	var work inbox.LiveWork
	_ = json.Unmarshal(ev.ev.Data, &work)
	if ev.ev.ConversationID != id || work.Action != inbox.ActionUnassign || work.Conversation == nil || work.Conversation.AssigneeID != 0 {
		t.Errorf("got a %s event of conversation %d (%+v), want %d unassigned", ev.name, ev.ev.ConversationID, work, id)
	}
}
