package sender_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"sync"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/secretbox"
	"inkorg/inbox/sender"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// pageToken is the access token the tests store; it must never show up in
// a log line, a sandbox record or an API answer.
const pageToken = "EAAGsecretPageToken0123456789"

// T is the fixture's starting time.
var T = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// queueRecorder stands in for the outbound queue: the tests deliver what
// was published themselves, so every step is explicit.
type queueRecorder struct {
	mu   sync.Mutex
	msgs []inbox.OutgoingMessage
}

func (q *queueRecorder) Publish(_ context.Context, queue string, m inbox.OutgoingMessage) (string, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if queue != inbox.QueueOutbound {
		panic("published on " + queue)
	}
	q.msgs = append(q.msgs, m)
	return "", nil
}

func (q *queueRecorder) take() []inbox.OutgoingMessage {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.msgs
	q.msgs = nil
	return out
}

// liveKinds returns the kinds of the events r recorded.
func liveKinds(r *inboxtest.LiveRecorder) []inbox.LiveKind {
	var k []inbox.LiveKind
	for _, e := range r.Events() {
		k = append(k, e.Kind)
	}
	return k
}

type fixture struct {
	clock   *clock
	store   *sqlstore.Store
	svc     *inbox.Service
	sandbox *graph.Sandbox
	sender  *sender.Sender
	queue   *queueRecorder
	live    *inboxtest.LiveRecorder
	logs    *inboxtest.SyncBuffer
	slept   []time.Duration
	anna    *inbox.User
	bo      *inbox.User
	page    *inbox.Account
	insta   *inbox.Account
}

// storeWrapper lets a test crash the sender between the Graph call and
// recording its outcome.
type storeWrapper struct {
	inbox.Store
	crash bool
}

func (s *storeWrapper) UpdateOutbound(ctx context.Context, u inbox.OutboundUpdate) (*inbox.OutboundAction, error) {
	if s.crash && u.State != inbox.OutboundSending {
		panic("sender crashed after the Graph call")
	}
	return s.Store.UpdateOutbound(ctx, u)
}

func newFixture(t *testing.T, wrap *storeWrapper) *fixture {
	t.Helper()
	return newFixtureOn(t, wrap, sqlstoretest.SQLite(t))
}

// newFixtureOn is newFixture on a migrated database of either dialect.
func newFixtureOn(t *testing.T, wrap *storeWrapper, db *sqlstore.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{clock: &clock{t: T}, queue: &queueRecorder{}, live: &inboxtest.LiveRecorder{}, logs: &inboxtest.SyncBuffer{}}
	db.Now = f.clock.Now
	f.store = sqlstore.NewStore(db)
	key := make([]byte, secretbox.KeySize)
	_, _ = rand.Read(key)
	box, err := secretbox.Parse(base64.StdEncoding.EncodeToString(key))
	if err != nil {
		t.Fatal(err)
	}
	f.page = f.account(t, box, inbox.PlatformFacebook, "page-1")
	f.insta = f.account(t, box, inbox.PlatformInstagram, "ig-1")
	f.anna, f.bo = f.user(t, "anna"), f.user(t, "bo")

	f.sandbox = graph.NewSandbox(f.clock.Now)
	srv, err := f.sandbox.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	logger := slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client, err := graph.New(graph.Config{BaseURL: srv.URL, Now: f.clock.Now, Timeout: 5 * time.Second, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	var store inbox.Store = f.store
	if wrap != nil {
		wrap.Store = f.store
		store = wrap
	}
	f.svc = inbox.NewService(f.store, f.clock.Now)
	f.svc.Outbound, f.svc.Publisher = f.queue, f.live
	f.sender = sender.New(sender.Config{
		Store: store, Graph: client, Sealer: box, Queue: f.queue, Publisher: f.live,
		Logger: logger, Now: f.clock.Now, MaxAttempts: 3,
		Sleep: func(_ context.Context, d time.Duration) { f.slept = append(f.slept, d); f.clock.Add(d) },
	})
	_ = ctx
	return f
}

func (f *fixture) account(t *testing.T, box *secretbox.Box, p inbox.Platform, id string) *inbox.Account {
	t.Helper()
	a := &inbox.Account{Platform: p, ExternalID: id, Name: "Göteborgs Stad " + string(p)}
	if err := f.store.CreateAccount(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	sealed, err := box.Seal(pageToken)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetAccountToken(context.Background(), a.ID, sealed); err != nil {
		t.Fatal(err)
	}
	return a
}

func (f *fixture) user(t *testing.T, name string) *inbox.User {
	t.Helper()
	u := &inbox.User{Name: name, Role: inbox.RoleAgent}
	if err := f.store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// apply applies e and returns what it did.
func (f *fixture) apply(t *testing.T, e inbox.Event) inbox.Applied {
	t.Helper()
	a, err := f.store.ApplyEvent(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// messenger starts a Messenger thread whose citizen last wrote ago.
func (f *fixture) messenger(t *testing.T, psid string, ago time.Duration) int64 {
	t.Helper()
	return f.apply(t, inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: "page-1", ThreadKey: psid, MessageExternalID: "mid-in-" + psid,
		Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: psid}, Author: inbox.Actor{ExternalID: psid},
		Text: "När töms soptunnan på Hisingen?", OccurredAt: T.Add(-ago),
	}).ConversationID
}

// comment starts a comment thread on platform with the citizen's comment
// id, written ago.
func (f *fixture) comment(t *testing.T, p inbox.Platform, id string, ago time.Duration) (conv, msg int64) {
	t.Helper()
	e := inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: p, Channel: inbox.ChannelFacebookComment,
		AccountExternalID: "page-1", ThreadKey: id, PostExternalID: "post-1", MessageExternalID: id,
		Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "citizen-" + id}, Author: inbox.Actor{ExternalID: "citizen-" + id},
		Text: "Varför är badhuset stängt?", OccurredAt: T.Add(-ago),
	}
	if p == inbox.PlatformInstagram {
		e.Channel, e.AccountExternalID = inbox.ChannelInstagramComment, "ig-1"
	}
	a := f.apply(t, e)
	return a.ConversationID, a.MessageID
}

// deliver hands every published queue message to the sender, as the
// queue would, and returns the handler errors.
func (f *fixture) deliver(t *testing.T) []error {
	t.Helper()
	var errs []error
	for _, m := range f.queue.take() {
		if err := f.sender.Handle(context.Background(), &inbox.Delivery{Queue: inbox.QueueOutbound, Body: m.Body, Attempt: 1}); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// redeliver hands the action's queue message to the sender again.
func (f *fixture) redeliver(t *testing.T, a *inbox.OutboundAction) error {
	t.Helper()
	body, _ := json.Marshal(inbox.OutboundQueueBody{ActionID: a.ID, Key: a.Key})
	return f.sender.Handle(context.Background(), &inbox.Delivery{Queue: inbox.QueueOutbound, Body: body, Attempt: 2})
}

func (f *fixture) actionOf(t *testing.T, convID int64) *inbox.OutboundAction {
	t.Helper()
	list, err := f.store.FindOutboundActions(context.Background(), convID)
	if err != nil || len(list) == 0 {
		t.Fatalf("FindOutboundActions = %v, %v", list, err)
	}
	return list[len(list)-1]
}

func (f *fixture) messages(t *testing.T, convID int64) []*inbox.Message {
	t.Helper()
	msgs, err := f.store.FindMessages(context.Background(), convID)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

// succeeded returns the sandbox calls that took effect.
func (f *fixture) succeeded() []graph.Call {
	var out []graph.Call
	for _, c := range f.sandbox.Calls() {
		if c.Succeeded() {
			out = append(out, c)
		}
	}
	return out
}
