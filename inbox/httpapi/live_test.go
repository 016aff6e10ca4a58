package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/livebus/redislive"
)

// sseEvent is one server-sent event as a client reads it.
type sseEvent struct {
	id, name string
	ev       inbox.LiveEvent
}

// sseStream is an open GET /api/v1/events.
type sseStream struct {
	events chan sseEvent
	cancel context.CancelFunc

	mu     sync.Mutex
	lastID string // as a browser's EventSource keeps it
}

// lastEventID returns the id a browser would send as Last-Event-ID if the
// stream broke now: that of the last block with an id, event or not.
func (s *sseStream) lastEventID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastID
}

// openEvents connects to the event stream of srv as the token's user,
// resuming after lastID when set.
func openEvents(t *testing.T, srv *httptest.Server, token, lastID string) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/v1/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("got status %d, content type %q; want 200 text/event-stream", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	s := &sseStream{events: make(chan sseEvent, 100), cancel: cancel}
	go func() {
		defer resp.Body.Close()
		defer close(s.events)
		var cur sseEvent
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "id: "):
				cur.id = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "event: "):
				cur.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &cur.ev)
			case line == "":
				if cur.id != "" {
					s.mu.Lock()
					s.lastID = cur.id
					s.mu.Unlock()
				}
				if cur.name != "" {
					s.events <- cur
				}
				cur = sseEvent{}
			case line == ": heartbeat":
				s.events <- sseEvent{name: "heartbeat"}
			}
		}
	}()
	t.Cleanup(cancel)
	return s
}

// next returns the next event other than a heartbeat.
func (s *sseStream) next(t *testing.T) sseEvent {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				t.Fatal("the event stream ended")
			}
			if ev.name != "heartbeat" {
				return ev
			}
		case <-timeout:
			t.Fatal("no event within 10 s")
		}
	}
}

// liveInstance is one API instance on the shared store and Redis.
func liveInstance(t *testing.T, s *staff, url, prefix string) *httptest.Server {
	t.Helper()
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	broker := redislive.New(rdb, redislive.Options{Prefix: prefix})
	srv := httptest.NewServer(httpapi.New(httpapi.Config{
		Store: s.store, Live: broker, Presence: redislive.NewPresence(rdb, prefix), LiveHeartbeat: 50 * time.Millisecond,
	}))
	t.Cleanup(func() {
		srv.Close()
		broker.Close()
		rdb.Close()
	})
	return srv
}

// TestEventsAcrossInstances has staff connected to one instance see the
// work done on another through Redis, each only what they may see, and a
// client reconnecting with Last-Event-ID get what it missed.
func TestEventsAcrossInstances(t *testing.T) {
	s := newStaff(t)
	url, prefix := inboxtest.RedisURL(t)
	a, b := liveInstance(t, s, url, prefix), liveInstance(t, s, url, prefix)
	agentStream := openEvents(t, b, s.tokens[s.agent.ID], "")
	specStream := openEvents(t, b, s.tokens[s.spec.ID], "")

	foreign := s.conversation(t, "")
	own := s.conversation(t, "")
	route := func(id int64, admin string) {
		t.Helper()
		body := fmt.Sprintf(`{"administration_id":%q,"question":"Kan ni svara?"}`, admin)
		if resp := postTo(t, a, fmt.Sprintf("/api/v1/conversations/%d/route", id), s.tokens[s.router.ID], body); resp != http.StatusOK {
			t.Fatalf("route: got status %d", resp)
		}
	}
	route(foreign, "kultur")
	route(own, "idrott-och-forening")

	first, second := agentStream.next(t), agentStream.next(t)
	if first.name != "conversation" || first.ev.ConversationID != foreign || second.ev.ConversationID != own {
		t.Fatalf("agent got %+v then %+v, want the two routings in order", first, second)
	}
	if got := specStream.next(t); got.ev.ConversationID != own || got.id != second.id {
		t.Errorf("specialist got %+v, want only the conversation routed to them (%d)", got, own)
	}
	var work inbox.LiveWork
	if err := json.Unmarshal(first.ev.Data, &work); err != nil || work.Action != inbox.ActionRoute || work.Conversation.AdministrationID != "kultur" {
		t.Errorf("data: got %s (%v), want the route action and the conversation", first.ev.Data, err)
	}

	t.Run("OKResume", func(t *testing.T) {
		resumed := openEvents(t, a, s.tokens[s.agent.ID], first.id)
		if got := resumed.next(t); got.id != second.id {
			t.Errorf("got %+v, want the missed event %s", got, second.id)
		}
	})
	t.Run("OKGap", func(t *testing.T) {
		if got := openEvents(t, a, s.tokens[s.agent.ID], "garbage").next(t); got.name != "reset" {
			t.Errorf("got %+v, want a reset", got)
		}
	})
	t.Run("OKHeartbeat", func(t *testing.T) {
		select {
		case ev := <-agentStream.events:
			if ev.name != "heartbeat" {
				t.Errorf("got %+v, want only heartbeats on an idle stream", ev)
			}
		case <-time.After(10 * time.Second):
			t.Error("no heartbeat within 10 s")
		}
	})
	t.Run("OKPresence", func(t *testing.T) {
		if code := postTo(t, a, fmt.Sprintf("/api/v1/conversations/%d/presence", own), s.tokens[s.spec.ID], `{"state":"typing"}`); code != http.StatusOK {
			t.Fatalf("presence: got status %d", code)
		}
		got := agentStream.next(t)
		var p inbox.Presence
		if err := json.Unmarshal(got.ev.Data, &p); err != nil || got.name != "presence" || p.UserID != s.spec.ID || p.State != inbox.PresenceTyping {
			t.Errorf("got %+v (%v), want sara typing", got, err)
		}
		var detail httpapi.ConversationDetail
		s.fixture.srv = b
		s.get(t, fmt.Sprintf("/api/v1/conversations/%d", own), "Bearer "+s.tokens[s.agent.ID], &detail)
		if len(detail.Presence) != 1 || detail.Presence[0].Name != "sara" {
			t.Errorf("detail on the other instance: got presence %+v, want sara", detail.Presence)
		}
	})
}

// postTo posts body to srv with the token and returns the status.
func postTo(t *testing.T, srv *httptest.Server, path, token, body string) int {
	t.Helper()
	code, _ := (&fixture{srv: srv}).do(t, http.MethodPost, path, token, body)
	return code
}
