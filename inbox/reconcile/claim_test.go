package reconcile_test

import (
	"net/http"
	"sync"
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

// dialects opens a migrated database of each dialect.
var dialects = []struct {
	name string
	open func(testing.TB) *sqlstore.DB
}{
	{"sqlite", sqlstoretest.SQLite},
	{"postgres", sqlstoretest.Postgres},
}

// sharedScene is a scene on db whose account two instances poll.
func sharedScene(t *testing.T, db *sqlstore.DB) *scene {
	t.Helper()
	s := &scene{now: T.Add(-managedFor), reg: prometheus.NewRegistry(), pub: &inboxtest.LiveRecorder{}}
	db.Now = func() time.Time { return s.now }
	s.store = sqlstore.NewStore(db)
	s.account = &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "page-1", Name: "Göteborgs Stad"}
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

// instance is another reconciler over the scene's store, as another
// instance of inkorg runs one.
func (s *scene) instance() *reconcile.Reconciler {
	return reconcile.New(reconcile.Config{Store: s.store, Graph: s.client, SandboxToken: "sandbox-token", Apply: s.apply,
		Publisher: s.pub, Now: func() time.Time { return s.now }})
}

// countCalls returns how many recorded calls are call.
func (s *scene) countCalls(call string) int { return countOf(s.paths(), call) }

func TestPollSharedBetweenInstances(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			s := sharedScene(t, d.open(t))
			s.sb.AddComment("page-1", "post-1", T.Add(-2*time.Hour), graph.Comment{ID: "post-1_1", Text: "Hej",
				FromID: "u1", Created: T.Add(-time.Hour)})
			a, b := s.instance(), s.instance()

			// One round on both instances at once: one of them polls.
			var wg sync.WaitGroup
			found := make([]int, 2)
			for i, r := range []*reconcile.Reconciler{a, b} {
				wg.Go(func() {
					n, err := r.PollOnce(t.Context())
					if err != nil {
						t.Error(err)
					}
					found[i] = n
				})
			}
			wg.Wait()
			if got := s.countCalls("GET /page-1/feed"); got != 1 {
				t.Fatalf("got %d feed reads in one round of two instances, want 1 (calls %v)", got, s.paths())
			}
			if found[0]+found[1] != 1 {
				t.Fatalf("got found %v, want the comment once", found)
			}
			if got := alertTypes(s.pub); len(got) != 1 {
				t.Fatalf("got alerts %v, want one webhooks_missed", got)
			}

			// The next round, the instance that polled polls again; the
			// other still leaves the account alone.
			s.now = T.Add(reconcile.DefaultInterval)
			first, second := a, b
			if found[1] == 1 {
				first, second = b, a
			}
			if _, err := second.PollOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got := s.countCalls("GET /page-1/feed"); got != 1 {
				t.Fatalf("got %d feed reads after the other instance's round, want 1", got)
			}
			if _, err := first.PollOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got := s.countCalls("GET /page-1/feed"); got != 2 {
				t.Fatalf("got %d feed reads after the polling instance's second round, want 2", got)
			}

			// Once the polling instance stops, another takes over.
			s.now = T.Add(4 * reconcile.DefaultInterval)
			if _, err := second.PollOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got := s.countCalls("GET /page-1/feed"); got != 3 {
				t.Fatalf("got %d feed reads once the polling instance stopped, want 3", got)
			}
		})
	}
}

func TestPollThrottleSharedBetweenInstances(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			s := sharedScene(t, d.open(t))
			s.sb.AddConversationMessage("page-1", inbox.PlatformFacebook, "t_1", graph.ConversationMessage{ID: "m_1",
				Created: T.Add(-time.Hour), FromID: "u1", ToID: "page-1", Text: "Hej"})
			a, b := s.instance(), s.instance()

			// Meta throttles A's conversations call for an hour.
			usage := http.Header{graph.HeaderBusinessUsage: {`{"page-1":[{"type":"messenger","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":60}]}`}}
			f := graph.DocumentedError(80006, 0)
			f.Header = usage
			if err := s.sb.FailPath(http.MethodGet, "/*/conversations", 1, f); err != nil {
				t.Fatal(err)
			}
			if _, err := a.PollOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
			calls := len(s.sb.Calls())

			// Past A's claim but within Meta's estimate, B leaves the
			// account alone too.
			s.now = T.Add(30 * time.Minute)
			for _, r := range []*reconcile.Reconciler{b, a} {
				if _, err := r.PollOnce(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
			if n := len(s.sb.Calls()); n != calls {
				t.Fatalf("got %d calls while Meta throttles the account (%v), want none", n-calls, s.paths()[calls:])
			}
			if got := accountByID(t, s.store, s.account.ID).PollPausedUntil; got == nil || !got.Equal(T.Add(time.Hour)) {
				t.Fatalf("got PollPausedUntil %v, want %v", got, T.Add(time.Hour))
			}

			// After it, B polls and finds the message.
			s.now = T.Add(61 * time.Minute)
			if found, err := b.PollOnce(t.Context()); err != nil || found != 1 {
				t.Fatalf("got poll after the estimate = %d, %v; want 1, nil", found, err)
			}
		})
	}
}
