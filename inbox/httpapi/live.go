package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// DefaultHeartbeat is how often an idle live stream sends a comment, so
// proxies keep the connection open and clients notice a dead one.
const DefaultHeartbeat = 15 * time.Second

// liveStream serves GET /api/v1/events: the server-sent events of one
// member of staff, scoped by what they may see.
type liveStream struct {
	broker    inbox.LiveBroker
	heartbeat time.Duration

	once sync.Once
	done chan struct{}
}

func newLiveStream(broker inbox.LiveBroker, heartbeat time.Duration) *liveStream {
	if heartbeat <= 0 {
		heartbeat = DefaultHeartbeat
	}
	return &liveStream{broker: broker, heartbeat: heartbeat, done: make(chan struct{})}
}

// stop ends every open stream, so a graceful shutdown does not wait for
// clients that never hang up; they reconnect to another instance.
func (l *liveStream) stop() { l.once.Do(func() { close(l.done) }) }

func (l *liveStream) serve(c echo.Context) error {
	user, recheck := currentUser(c), recheckUser(c)
	last := c.Request().Header.Get("Last-Event-ID")
	if last == "" {
		last = c.QueryParam("last_event_id")
	}
	ctx := c.Request().Context()
	sub, err := l.broker.Subscribe(ctx, last)
	if err != nil {
		return err
	}
	defer sub.Close()
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/event-stream")
	w.Header().Set(echo.HeaderCacheControl, "no-cache")
	w.Header().Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 3000\n\n")
	if sub.Gap {
		// Events were lost while the client was away: it must reload.
		fmt.Fprint(w, "event: reset\ndata: {}\n\n")
	}
	for _, ev := range sub.Missed {
		if user.CanReceive(ev) {
			writeEvent(w, ev)
		}
	}
	if sub.LastID != "" {
		// Where to resume from, also for a caller who has received no
		// event yet or may see none of the missed ones.
		writeID(w, sub.LastID)
	}
	w.Flush()
	tick := time.NewTicker(l.heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-l.done:
			return nil
		case <-tick.C:
			// The caller may have been deactivated, signed out, had the
			// token revoked or the administrations changed since the
			// stream opened: end it then, and scope events by who they
			// are now. A store that cannot answer leaves things as they
			// were until the next heartbeat.
			if recheck != nil {
				u, err := recheck(ctx)
				switch {
				case inbox.ErrorCode(err) == inbox.EUNAUTHORIZED:
					return nil
				case err == nil:
					user = u
				}
			}
			fmt.Fprint(w, ": heartbeat\n\n")
		case ev, ok := <-sub.Events:
			if !ok {
				return nil // fell behind: the client reconnects with its last id
			}
			if user.CanReceive(ev) {
				writeEvent(w, ev)
			} else {
				// The client's last id moves on all the same, so that a
				// reconnect resumes from here rather than from an event
				// the history may have dropped since.
				writeID(w, ev.ID)
			}
		}
		w.Flush()
	}
}

// writeEvent writes ev as one server-sent event named by its kind, with
// the whole event as JSON data.
func writeEvent(w http.ResponseWriter, ev inbox.LiveEvent) {
	ev.UserIDs = nil // who else was told is none of this user's business
	data, err := json.Marshal(ev)
	if err != nil {
		return
	}
	fmt.Fprintf(w, "id: %s\nevent: %s\ndata: %s\n\n", ev.ID, ev.Kind, data)
}

// writeID writes a block with only an id: it dispatches no event, but a
// browser's EventSource sends the id as Last-Event-ID when it reconnects.
func writeID(w http.ResponseWriter, id string) {
	fmt.Fprintf(w, "id: %s\n\n", id)
}
