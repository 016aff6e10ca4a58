package httpapi_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/livebus"
	"inkorg/inbox/livebus/redislive"
)

// liveHistory is a broker's history as the tests read it: the retained
// events after an id, oldest first.
type liveHistory interface {
	inbox.LiveBroker
	After(ctx context.Context, id livebus.ID) ([]inbox.LiveEvent, bool, error)
}

// liveBrokers opens each broker keeping about history events.
var liveBrokers = map[string]func(t *testing.T, history int) liveHistory{
	"Memory": func(t *testing.T, history int) liveHistory { return livebus.NewMemory(history, nil) },
	"Redis": func(t *testing.T, history int) liveHistory {
		url, prefix := inboxtest.RedisURL(t)
		opts, err := redis.ParseURL(url)
		if err != nil {
			t.Fatal(err)
		}
		rdb := redis.NewClient(opts)
		b := redislive.New(rdb, redislive.Options{Prefix: prefix, History: int64(history)})
		t.Cleanup(func() {
			b.Close()
			rdb.Close()
		})
		return b
	},
}

func liveBrokerServer(t *testing.T, s *staff, broker inbox.LiveBroker) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(httpapi.New(httpapi.Config{Store: s.store, Live: broker, LiveHeartbeat: 50 * time.Millisecond}))
	t.Cleanup(srv.Close)
	return srv
}

// waitLastEventID waits until the stream's last id is want (any id when
// want is empty) and returns it, reading past heartbeats meanwhile.
func (s *sseStream) waitLastEventID(t *testing.T, want string) string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if got := s.lastEventID(); got != "" && (want == "" || got == want) {
			return got
		}
		select {
		case <-s.events:
		case <-time.After(10 * time.Millisecond):
		case <-deadline:
			t.Fatalf("the stream's last id is %q, want %q: a client reconnecting now would resume from there", s.lastEventID(), want)
		}
	}
}

// newestID returns the id of the newest event broker has published.
func newestID(t *testing.T, broker liveHistory) string {
	t.Helper()
	evs, _, err := broker.After(t.Context(), livebus.ID{})
	if err != nil || len(evs) == 0 {
		t.Fatalf("history: got %d events, %v", len(evs), err)
	}
	return evs[len(evs)-1].ID
}

// TestEventsResumeBeforeFirstEvent: a client that has received no event
// yet resumes from the id the stream opened with, and gets what was
// published while it was away, without a reset.
func TestEventsResumeBeforeFirstEvent(t *testing.T) {
	for name, open := range liveBrokers {
		t.Run(name, func(t *testing.T) {
			s := newStaff(t)
			broker := open(t, 100)
			srv := liveBrokerServer(t, s, broker)
			// History before the client came must not matter.
			publishLive(t, broker, 1, "idrott-och-forening")

			stream := openEvents(t, srv, s.tokens[s.agent.ID], "")
			opened := stream.waitLastEventID(t, "")
			stream.cancel()
			publishLive(t, broker, 2, "idrott-och-forening")

			resumed := openEvents(t, srv, s.tokens[s.agent.ID], opened)
			if got := resumed.next(t); got.name != "conversation" || got.ev.ConversationID != 2 {
				t.Errorf("resuming from %s: got %+v, want the conversation published while away", opened, got)
			}
		})
	}
}

// TestEventsSpecialistResumesPastOthers: a specialist receives only what
// is routed to their administration, yet their last id follows every
// event, so a reconnect after much work elsewhere resumes without a reset.
func TestEventsSpecialistResumesPastOthers(t *testing.T) {
	for name, open := range liveBrokers {
		t.Run(name, func(t *testing.T) {
			s := newStaff(t)
			broker := open(t, 100)
			srv := liveBrokerServer(t, s, broker)
			stream := openEvents(t, srv, s.tokens[s.spec.ID], "")
			publishLive(t, broker, 1, "idrott-och-forening")
			if got := stream.next(t); got.ev.ConversationID != 1 {
				t.Fatalf("got %+v, want the specialist's own conversation", got)
			}
			// Far more than the history keeps, all for another
			// administration; in rounds, so that the stream keeps up.
			var last string
			for round := range 3 {
				for n := range 100 {
					publishLive(t, broker, int64(1000+100*round+n), "kultur")
				}
				last = stream.waitLastEventID(t, newestID(t, broker))
			}
			stream.cancel()

			resumed := openEvents(t, srv, s.tokens[s.spec.ID], last)
			publishLive(t, broker, 2, "idrott-och-forening")
			if got := resumed.next(t); got.name != "conversation" || got.ev.ConversationID != 2 {
				t.Errorf("resuming from %s: got %+v, want the new conversation and no reset", last, got)
			}
		})
	}
}

func publishLive(t *testing.T, broker inbox.LiveBroker, conversationID int64, administration string) {
	t.Helper()
	err := broker.Publish(t.Context(), inbox.LiveEvent{Kind: inbox.LiveConversation, ConversationID: conversationID, AdministrationID: administration})
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
}
