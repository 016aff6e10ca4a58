package webhooks_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/webhooks"
)

// memQueue is an inbox.Queue that keeps what is published in memory. The
// real adapters have their own contract suite; these tests need only to see
// what the receiver publishes.
type memQueue struct {
	mu        sync.Mutex
	published []published
	err       error // returned by Publish when set
}

type published struct {
	queue string
	msg   inbox.OutgoingMessage
}

var _ inbox.Queue = (*memQueue)(nil)

func (q *memQueue) Ping(context.Context) error { return nil }
func (q *memQueue) Close() error               { return nil }

func (q *memQueue) Publish(_ context.Context, queue string, msg inbox.OutgoingMessage) (string, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.err != nil {
		return "", q.err
	}
	q.published = append(q.published, published{queue: queue, msg: msg})
	return strconv.Itoa(len(q.published)), nil
}

func (q *memQueue) Consume(ctx context.Context, _ string, _ int, _ inbox.Handler) error {
	<-ctx.Done()
	return nil
}

func (q *memQueue) all() []published {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]published(nil), q.published...)
}

// memStore is an inbox.EventStore keyed, like the real one, by the
// platform's message id.
type memStore struct {
	mu       sync.Mutex
	messages map[string]inbox.Event
	order    []string
	err      error // returned by ApplyEvent when set
	raw      []*inbox.RawDelivery
	rawErr   error // returned by SaveRawDelivery when set
}

var _ webhooks.IngestStore = (*memStore)(nil)

func (s *memStore) SaveRawDelivery(_ context.Context, d *inbox.RawDelivery) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rawErr != nil {
		return false, s.rawErr
	}
	for _, r := range s.raw {
		if bytes.Equal(r.Body, d.Body) {
			return false, nil
		}
	}
	d.ID = int64(len(s.raw) + 1)
	s.raw = append(s.raw, d)
	return true, nil
}

func (s *memStore) SaveRawDeliveries(ctx context.Context, ds []*inbox.RawDelivery) ([]bool, error) {
	stored := make([]bool, len(ds))
	for i, d := range ds {
		ok, err := s.SaveRawDelivery(ctx, d)
		if err != nil {
			return nil, err
		}
		stored[i] = ok
	}
	return stored, nil
}

func (s *memStore) FindRawDeliveries(_ context.Context, f inbox.RawDeliveryFilter) ([]*inbox.RawDelivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*inbox.RawDelivery
	for _, r := range s.raw {
		if r.ID > f.AfterID && len(out) < f.Limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func (s *memStore) ApplyEvent(_ context.Context, e inbox.Event) (inbox.Applied, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return inbox.Applied{}, s.err
	}
	if err := e.Validate(); err != nil {
		return inbox.Applied{}, err
	}
	key := string(e.Kind) + ":" + string(e.Platform) + ":" + e.MessageExternalID
	if e.Kind != inbox.EventMessageCreated {
		return inbox.Applied{Created: true}, nil
	}
	if _, ok := s.messages[key]; ok {
		return inbox.Applied{}, nil
	}
	if s.messages == nil {
		s.messages = make(map[string]inbox.Event)
	}
	s.messages[key] = e
	s.order = append(s.order, key)
	return inbox.Applied{MessageID: int64(len(s.order)), Created: true}, nil
}

// count returns how many messages were created.
func (s *memStore) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.messages)
}

// events returns the created messages' events, in the order stored.
func (s *memStore) events() []inbox.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]inbox.Event, len(s.order))
	for i, key := range s.order {
		out[i] = s.messages[key]
	}
	return out
}

// fixture returns a file of testdata/.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// inboxtest.SyncBuffer is a log destination safe for concurrent writes.

func newLogger(buf *inboxtest.SyncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// metricValue returns the value of the counter (or the sample count of the
// histogram) name with exactly the given labels.
func metricValue(t testing.TB, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if hasLabels(m, labels) {
				if h := m.GetHistogram(); h != nil {
					return float64(h.GetSampleCount())
				}
				return m.GetCounter().GetValue()
			}
		}
	}
	t.Fatalf("no metric %s%v", name, labels)
	return 0
}

func hasLabels(m *dto.Metric, pairs []string) bool {
	if len(m.GetLabel())*2 != len(pairs) {
		return false
	}
	want := make(map[string]string)
	for i := 0; i+1 < len(pairs); i += 2 {
		want[pairs[i]] = pairs[i+1]
	}
	for _, l := range m.GetLabel() {
		if want[l.GetName()] != l.GetValue() {
			return false
		}
	}
	return true
}

// envelope wraps one bare messaging event, as some recorded fixtures are,
// in the delivery Meta sends around it.
func envelope(object, account string, messagingEvent []byte) []byte {
	return fmt.Appendf(nil, `{"object":%q,"entry":[{"id":%q,"time":1522851393000,"messaging":[%s]}]}`,
		object, account, messagingEvent)
}
