package reconcile_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/reconcile"
)

// hasCall reports whether the sandbox received method path.
func hasCall(s *scene, call string) bool { return slices.Contains(s.paths(), call) }

func TestPollInstagramOnLinkedPage(t *testing.T) {
	msg := graph.ConversationMessage{ID: "m_ig_1", Created: T.Add(-time.Hour), FromID: "u1", FromName: "ali",
		ToID: "ig-1", Text: "Hej, var lämnar jag grovsopor?"}

	t.Run("configured", func(t *testing.T) {
		s := newScene(t, inbox.PlatformInstagram, "ig-1")
		if err := s.store.SetAccountPageID(t.Context(), s.account.ID, "page-9"); err != nil {
			t.Fatal(err)
		}
		s.sb.LinkInstagram("page-9", "ig-1")
		s.sb.AddConversationMessage("ig-1", inbox.PlatformInstagram, "t_1", msg)
		r := s.reconciler(reconcile.Config{})
		if found, err := r.PollOnce(t.Context()); err != nil || found != 1 {
			t.Fatalf("PollOnce = %d, %v; want the missed message (calls %v)", found, err, s.paths())
		}
		if !hasCall(s, "GET /page-9/conversations") || hasCall(s, "GET /ig-1/conversations") {
			t.Fatalf("calls %v; want the conversations read on the linked Page", s.paths())
		}
		for _, c := range s.sb.Calls() {
			if c.Path == "/page-9/conversations" && !strings.Contains(string(c.Body), `"platform":"instagram"`) {
				t.Errorf("conversations call %s without platform=instagram", c.Body)
			}
		}
	})

	t.Run("learned from the Page token", func(t *testing.T) {
		s := newScene(t, inbox.PlatformInstagram, "ig-1")
		s.sb.LinkInstagram(graph.SandboxPageID, "ig-1")
		s.sb.AddConversationMessage("ig-1", inbox.PlatformInstagram, "t_1", msg)
		r := s.reconciler(reconcile.Config{})
		if found, err := r.PollOnce(t.Context()); err != nil || found != 1 {
			t.Fatalf("PollOnce = %d, %v; want the missed message (calls %v)", found, err, s.paths())
		}
		if a := accountByID(t, s.store, s.account.ID); a.PageID != graph.SandboxPageID {
			t.Fatalf("page id %q, want %q learned from GET /me", a.PageID, graph.SandboxPageID)
		}
		if !hasCall(s, "GET /"+graph.SandboxPageID+"/conversations") {
			t.Fatalf("calls %v; want the conversations read on the learned Page", s.paths())
		}
		// The lookup is made once.
		before := len(s.sb.Calls())
		s.now = T.Add(2 * time.Hour) // past the token check too
		if _, err := r.PollOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
		lookups := 0
		for _, c := range s.sb.Calls()[before:] {
			if c.Path == "/me" && strings.Contains(string(c.Body), "instagram_business_account") {
				lookups++
			}
		}
		if lookups != 0 {
			t.Errorf("%d more Page lookups, want none once the Page is known", lookups)
		}
	})

	t.Run("Instagram Login keeps the account's id", func(t *testing.T) {
		s := newScene(t, inbox.PlatformInstagram, "ig-1")
		// A token that is not a Page token: Meta refuses the lookup.
		if err := s.sb.FailPath(http.MethodGet, "/me", -1, graph.Fault{Code: 100, Message: "(#100) Tried accessing nonexisting field (instagram_business_account)"}); err != nil {
			t.Fatal(err)
		}
		s.sb.AddConversationMessage("ig-1", inbox.PlatformInstagram, "t_1", msg)
		r := s.reconciler(reconcile.Config{})
		if found, err := r.PollOnce(t.Context()); err != nil || found != 1 {
			t.Fatalf("PollOnce = %d, %v; want the missed message (calls %v)", found, err, s.paths())
		}
		a := accountByID(t, s.store, s.account.ID)
		if a.PageID != "" || a.NeedsToken || !hasCall(s, "GET /ig-1/conversations") {
			t.Fatalf("page id %q, needs token %v, calls %v; want the account's own id and the token left alone", a.PageID, a.NeedsToken, s.paths())
		}
	})
}

func TestPollRecordsEachPart(t *testing.T) {
	ctx := t.Context()
	s := newScene(t, inbox.PlatformFacebook, "page-1")
	s.sb.AddComment("page-1", "post-1", T.Add(-time.Hour), graph.Comment{ID: "post-1_1", Text: "Hej", FromID: "u1", Created: T.Add(-time.Hour)})
	// The token lacks pages_messaging: every conversations read fails,
	// twice.
	noMessaging := graph.Fault{Code: 10, Message: "(#10) Requires pages_messaging permission to manage the object"}
	if err := s.sb.FailPath(http.MethodGet, "/*/conversations", 2, noMessaging); err != nil {
		t.Fatal(err)
	}
	r := s.reconciler(reconcile.Config{})
	if found, err := r.PollOnce(ctx); err != nil || found != 1 {
		t.Fatalf("PollOnce = %d, %v; want the missed comment", found, err)
	}
	a := accountByID(t, s.store, s.account.ID)
	if a.LastPollAt == nil || !a.LastPollAt.Equal(T) || a.CommentsPolledAt == nil || !a.CommentsPolledAt.Equal(T) || a.CommentsPollError != "" {
		t.Fatalf("comments part: last poll %v, comments %v %q; want both at %v, no error", a.LastPollAt, a.CommentsPolledAt, a.CommentsPollError, T)
	}
	if a.MessagesPolledAt != nil || !strings.Contains(a.MessagesPollError, "#10") ||
		!strings.Contains(a.MessagesPollError, "pages_messaging") || !strings.Contains(a.MessagesPollError, "behörighet") {
		t.Fatalf("messages part: at %v, error %q; want never, the permission named in Swedish and Meta's words", a.MessagesPolledAt, a.MessagesPollError)
	}
	if a.NeedsToken {
		t.Error("a missing permission marked the token as needing renewal")
	}
	if got := alertTypes(s.pub); !slices.Contains(got, "poll_messages_failed") || slices.Contains(got, "poll_comments_failed") {
		t.Fatalf("alerts %v; want poll_messages_failed only for the failing part", got)
	}
	admin := &inbox.User{ID: 1, Name: "sara", Role: inbox.RoleSupervisor}
	channels, err := inbox.NewService(s.store, func() time.Time { return s.now }).Channels(ctx, admin)
	if err != nil || len(channels) != 1 {
		t.Fatalf("Channels = %+v, %v", channels, err)
	}
	if f := channels[0].PollFailures(); len(f) != 1 || f[inbox.PollMessages] == "" {
		t.Fatalf("channel poll failures %v; want messages only", f)
	}

	// Still failing: the alert is not repeated.
	s.now = T.Add(10 * time.Minute)
	if _, err := r.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if n := countOf(alertTypes(s.pub), "poll_messages_failed"); n != 1 {
		t.Errorf("poll_messages_failed raised %d times, want once while it keeps failing", n)
	}
	// Once the permission is granted the part works again.
	s.now = T.Add(20 * time.Minute)
	if _, err := r.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	a = accountByID(t, s.store, s.account.ID)
	if a.MessagesPollError != "" || a.MessagesPolledAt == nil || !a.MessagesPolledAt.Equal(s.now) {
		t.Fatalf("messages part after the fix: at %v, error %q", a.MessagesPolledAt, a.MessagesPollError)
	}
}

func countOf(list []string, v string) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}

// TestPollMessagesWhenCommentsFail checks the other way round: comments
// cannot be read, private messages still are.
func TestPollMessagesWhenCommentsFail(t *testing.T) {
	ctx := t.Context()
	s := newScene(t, inbox.PlatformFacebook, "page-1")
	s.sb.AddConversationMessage("page-1", inbox.PlatformFacebook, "t_1", graph.ConversationMessage{ID: "m_1",
		Created: T.Add(-time.Hour), FromID: "u1", ToID: "page-1", Text: "Hej"})
	noRead := graph.Fault{Code: 10, Message: "(#10) Requires pages_read_engagement permission"}
	if err := s.sb.FailPath(http.MethodGet, "/*/feed", -1, noRead); err != nil {
		t.Fatal(err)
	}
	r := s.reconciler(reconcile.Config{})
	if found, err := r.PollOnce(ctx); err != nil || found != 1 {
		t.Fatalf("PollOnce = %d, %v; want the missed message", found, err)
	}
	a := accountByID(t, s.store, s.account.ID)
	if a.MessagesPolledAt == nil || !a.MessagesPolledAt.Equal(T) || a.LastPollAt == nil || a.CommentsPolledAt != nil ||
		!strings.Contains(a.CommentsPollError, "pages_read_engagement") || a.MessagesPollError != "" {
		t.Fatalf("account %+v; want messages read at %v, comments failing", a, T)
	}
	if got := alertTypes(s.pub); !slices.Contains(got, "poll_comments_failed") || slices.Contains(got, "poll_messages_failed") {
		t.Fatalf("alerts %v; want poll_comments_failed only", got)
	}
}
