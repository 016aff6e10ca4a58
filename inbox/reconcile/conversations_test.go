package reconcile_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/reconcile"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// scene is a store with one managed account and a sandbox Graph API.
type scene struct {
	store   *sqlstore.Store
	sb      *graph.Sandbox
	client  *graph.Client
	account *inbox.Account
	now     time.Time
	reg     *prometheus.Registry
	pub     *inboxtest.LiveRecorder
}

// managedFor is how long before T the scenes' accounts were added: what
// the tests write happened since, less than a quiet day ago.
const managedFor = 12 * time.Hour

// newScene returns a scene whose account was added managedFor before T,
// the scene's time.
func newScene(t *testing.T, platform inbox.Platform, id string) *scene {
	t.Helper()
	return newSceneAdded(t, platform, id, T.Add(-managedFor))
}

// newSceneAdded returns a scene at T whose account was added at added.
func newSceneAdded(t *testing.T, platform inbox.Platform, id string, added time.Time) *scene {
	t.Helper()
	s := &scene{now: added, reg: prometheus.NewRegistry(), pub: &inboxtest.LiveRecorder{}}
	db := sqlstoretest.SQLite(t)
	db.Now = func() time.Time { return s.now }
	s.store = sqlstore.NewStore(db)
	s.account = &inbox.Account{Platform: platform, ExternalID: id, Name: "Göteborgs Stad"}
	if err := s.store.CreateAccount(t.Context(), s.account); err != nil {
		t.Fatal(err)
	}
	s.now = T
	s.sb = graph.NewSandbox(func() time.Time { return s.now })
	srv, err := s.sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	s.client, err = graph.New(graph.Config{BaseURL: srv.URL, Now: func() time.Time { return s.now }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// apply is the Applier on the scene's store.
func (s *scene) apply(ctx context.Context, _ string, events []inbox.Event) (int, error) {
	n := 0
	for _, e := range events {
		a, err := s.store.ApplyEvent(ctx, e)
		if err != nil {
			return n, err
		}
		if a.Created {
			n++
		}
	}
	return n, nil
}

func (s *scene) reconciler(cfg reconcile.Config) *reconcile.Reconciler {
	cfg.Store, cfg.Graph, cfg.SandboxToken, cfg.Apply = s.store, s.client, "sandbox-token", s.apply
	cfg.Publisher, cfg.Registerer, cfg.Now = s.pub, s.reg, func() time.Time { return s.now }
	return reconcile.New(cfg)
}

// found returns inkorg_reconcile_found_total for platform and kind.
func (s *scene) found(t *testing.T, platform inbox.Platform, kind string) float64 {
	t.Helper()
	families, err := s.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "inkorg_reconcile_found_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["platform"] == string(platform) && labels["kind"] == kind {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func (s *scene) paths() []string {
	var out []string
	for _, c := range s.sb.Calls() {
		out = append(out, c.Method+" "+c.Path)
	}
	return out
}

func TestPollFindsMissedMessages(t *testing.T) {
	for _, tc := range []struct {
		platform inbox.Platform
		account  string
		channel  inbox.Channel
	}{
		{inbox.PlatformFacebook, "page-1", inbox.ChannelMessenger},
		{inbox.PlatformInstagram, "ig-1", inbox.ChannelInstagramDirect},
	} {
		t.Run(string(tc.platform), func(t *testing.T) {
			ctx := t.Context()
			s := newScene(t, tc.platform, tc.account)
			// The first message came by webhook; the second and a third
			// citizen's did not, nor did the echo of the account's own
			// answer, written in Meta Business Suite.
			delivered := graph.ConversationMessage{ID: "m_1", Created: T.Add(-3 * time.Hour), FromID: "u1", FromName: "ali",
				ToID: tc.account, Text: "Hej, när töms soporna?"}
			s.sb.AddConversationMessage(tc.account, tc.platform, "t_1", delivered)
			s.sb.AddConversationMessage(tc.account, tc.platform, "t_1", graph.ConversationMessage{ID: "m_2",
				Created: T.Add(-2 * time.Hour), FromID: tc.account, ToID: "u1", Text: "Hej! På torsdag."})
			s.sb.AddConversationMessage(tc.account, tc.platform, "t_1", graph.ConversationMessage{ID: "m_3",
				Created: T.Add(-time.Hour), FromID: "u1", FromName: "ali", ToID: tc.account, Text: "Tack, och glas?"})
			s.sb.AddConversationMessage(tc.account, tc.platform, "t_2", graph.ConversationMessage{ID: "m_4",
				Created: T.Add(-30 * time.Minute), FromID: "u2", FromName: "bea", ToID: tc.account,
				Attachments: []inbox.Attachment{{Type: inbox.AttachmentImage, URL: "https://cdn.example/bild.jpg"}}})
			_, err := s.store.ApplyEvent(ctx, inbox.Event{Kind: inbox.EventMessageCreated, Platform: tc.platform, Channel: tc.channel,
				AccountExternalID: tc.account, ThreadKey: "u1", MessageExternalID: "m_1", Direction: inbox.DirectionInbound,
				Contact: inbox.Actor{ExternalID: "u1"}, Author: inbox.Actor{ExternalID: "u1"}, Text: delivered.Text, OccurredAt: delivered.Created})
			if err != nil {
				t.Fatal(err)
			}
			r := s.reconciler(reconcile.Config{})
			if found, err := r.PollOnce(ctx); err != nil || found != 3 {
				t.Fatalf("PollOnce = %d, %v; want the 2 missed citizen messages and the missed echo (calls %v)", found, err, s.paths())
			}
			if found, _ := r.PollOnce(ctx); found != 0 {
				t.Fatalf("second poll found %d, want 0 (idempotent)", found)
			}
			if got := s.found(t, tc.platform, "message"); got != 2 {
				t.Errorf("found_total{kind=message} = %v, want 2", got)
			}
			if got := s.found(t, tc.platform, "outbound"); got != 1 {
				t.Errorf("found_total{kind=outbound} = %v, want 1", got)
			}
			if got := s.found(t, tc.platform, "comment"); got != 0 {
				t.Errorf("found_total{kind=comment} = %v, want 0", got)
			}
			list, err := s.store.FindConversations(ctx, inbox.ConversationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Conversations) != 2 {
				t.Fatalf("%d conversations, want 2 (one per citizen)", len(list.Conversations))
			}
			for _, c := range list.Conversations {
				want := map[string]int{"u1": 3, "u2": 1}[c.ThreadKey]
				if c.Channel != tc.channel || c.MessageCount != want {
					t.Errorf("conversation %s: channel %s, %d messages; want %s, %d",
						c.ThreadKey, c.Channel, c.MessageCount, tc.channel, want)
				}
			}
			if a := accountByID(t, s.store, s.account.ID); a.LastPollAt == nil || !a.LastPollAt.Equal(T) {
				t.Errorf("last poll %v, want %v", a.LastPollAt, T)
			}
		})
	}
}

func TestPollBacksOffWhenThrottled(t *testing.T) {
	ctx := t.Context()
	s := newScene(t, inbox.PlatformFacebook, "page-1")
	s.sb.AddConversationMessage("page-1", inbox.PlatformFacebook, "t_1", graph.ConversationMessage{ID: "m_1",
		Created: T.Add(-time.Hour), FromID: "u1", ToID: "page-1", Text: "Hej"})
	r := s.reconciler(reconcile.Config{})

	// Meta throttles the conversations call and estimates 5 minutes.
	usage := http.Header{graph.HeaderBusinessUsage: {`{"page-1":[{"type":"messenger","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":5}]}`}}
	f := graph.DocumentedError(80006, 0)
	f.Header = usage
	if err := s.sb.FailPath(http.MethodGet, "/*/conversations", 1, f); err != nil {
		t.Fatal(err)
	}
	if found, err := r.PollOnce(ctx); err != nil || found != 0 {
		t.Fatalf("throttled poll = %d, %v; want 0, nil", found, err)
	}
	if a := accountByID(t, s.store, s.account.ID); a.MessagesPolledAt != nil || a.MessagesPollError != "" {
		t.Errorf("a throttled conversations read was recorded: at %v, error %q", a.MessagesPolledAt, a.MessagesPollError)
	}
	calls := len(s.sb.Calls())
	// Within Meta's estimate the account is left alone.
	s.now = T.Add(4 * time.Minute)
	if _, err := r.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(s.sb.Calls()); n != calls {
		t.Fatalf("%d calls while throttled (%v), want none", n-calls, s.paths()[calls:])
	}
	// After it, the poll resumes and finds the message.
	s.now = T.Add(6 * time.Minute)
	if found, err := r.PollOnce(ctx); err != nil || found != 1 {
		t.Fatalf("poll after the estimate = %d, %v; want 1", found, err)
	}

	// Above 80 % the poll stops after the call that said so, without a
	// back-off: the next round goes on.
	s.sb.AddComment("page-1", "post-1", T, graph.Comment{ID: "post-1_1", Text: "Hej", FromID: "u3", Created: T})
	slow := http.Header{graph.HeaderAppUsage: {`{"call_count":85,"total_cputime":10,"total_time":10}`}}
	if err := s.sb.FailPath(http.MethodGet, "/*/feed", 1, graph.Fault{Header: slow}); err != nil {
		t.Fatal(err)
	}
	s.now = T.Add(20 * time.Minute)
	before := len(s.sb.Calls())
	if found, err := r.PollOnce(ctx); err != nil || found != 0 {
		t.Fatalf("slowed poll = %d, %v; want 0", found, err)
	}
	if got := s.paths()[before:]; len(got) != 1 || got[0] != "GET /page-1/feed" {
		t.Fatalf("slowed poll calls %v, want only the feed", got)
	}
	if found, err := r.PollOnce(ctx); err != nil || found != 1 {
		t.Fatalf("next poll = %d, %v; want the comment", found, err)
	}
}

func TestPollChecksTokenExpiry(t *testing.T) {
	ctx := t.Context()
	s := newScene(t, inbox.PlatformInstagram, "ig-1")
	expires := T.Add(3 * 24 * time.Hour)
	s.sb.SetTokenAnswer("", graph.TokenAnswer{ExpiresAt: expires, Scopes: []string{"instagram_basic", "instagram_manage_comments"}})
	app := graph.App{ID: "1234567890", Secret: "appsecret0123456789"}
	r := s.reconciler(reconcile.Config{App: app})
	if _, err := r.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	a := accountByID(t, s.store, s.account.ID)
	if a.TokenCheckedAt == nil || !a.TokenExpiryKnown || a.TokenExpiresAt == nil || !a.TokenExpiresAt.Equal(expires) ||
		len(a.TokenMissingScopes) != 1 || a.TokenMissingScopes[0] != "instagram_manage_messages" {
		t.Fatalf("account after the check: %+v", a)
	}
	if got := alertTypes(s.pub); len(got) != 1 || got[0] != "token_expiring" {
		t.Fatalf("alerts %v, want token_expiring", got)
	}
	admin := &inbox.User{ID: 1, Name: "sara", Role: inbox.RoleSupervisor}
	channels, err := inbox.NewService(s.store, func() time.Time { return s.now }).Channels(ctx, admin)
	if err != nil || len(channels) != 1 || !channels[0].TokenExpiresSoon || channels[0].TokenExpiresAt == nil {
		t.Fatalf("Channels = %+v, %v; want the token flagged as expiring soon", channels, err)
	}

	// Within the hour the token is not asked about again, nor the alert
	// repeated.
	s.now = T.Add(30 * time.Minute)
	if _, err := r.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	debugCalls := 0
	for _, p := range s.paths() {
		if p == "GET /debug_token" {
			debugCalls++
		}
	}
	if debugCalls != 1 {
		t.Errorf("%d debug_token calls, want 1", debugCalls)
	}
	if got := alertTypes(s.pub); len(got) != 1 {
		t.Errorf("alerts %v, want token_expiring once", got)
	}

	// A token Meta now calls invalid marks the account.
	s.now = T.Add(2 * time.Hour)
	s.sb.SetTokenAnswer("", graph.TokenAnswer{Invalid: true})
	if _, err := r.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if !accountByID(t, s.store, s.account.ID).NeedsToken {
		t.Error("an invalid token did not mark the account")
	}
	if got := alertTypes(s.pub); got[len(got)-1] != "token_invalid" {
		t.Errorf("alerts %v, want token_invalid last", got)
	}
}

// TestPollWithoutAppID checks a token through /me: valid, expiry unknown.
func TestPollWithoutAppID(t *testing.T) {
	s := newScene(t, inbox.PlatformFacebook, "page-1")
	r := s.reconciler(reconcile.Config{})
	if _, err := r.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	a := accountByID(t, s.store, s.account.ID)
	if a.TokenCheckedAt == nil || a.TokenExpiryKnown || a.TokenExpiresAt != nil || a.TokenExpiresWithin(T, inbox.TokenExpiryWarning) {
		t.Fatalf("account %+v, want checked with expiry unknown", a)
	}
	if p := s.paths(); len(p) == 0 || p[0] != "GET /me" {
		t.Errorf("calls %v, want GET /me first", p)
	}
}
