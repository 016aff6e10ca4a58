package reconcile_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/reconcile"
)

// metaComment is a comment metaComments holds.
type metaComment struct {
	id, parent, from, text string
	at                     time.Time
}

// metaComments is a stand-in for the Graph API's comment listings as Meta
// documents them, apart from the sandbox: one post, whose
// /{post}/comments is oldest first unless order=reverse_chronological, a
// page of limit at a time with a cursor; on Instagram the edge lists
// top-level comments only, replies coming through the replies{…} field.
// It counts the comment listings it answered.
type metaComments struct {
	srv   *httptest.Server
	calls atomic.Int32
}

func newMetaComments(t *testing.T, account, post string, instagram bool, comments []metaComment) *metaComments {
	t.Helper()
	m := &metaComments{}
	item := func(c metaComment) map[string]any {
		at := c.at.UTC().Format("2006-01-02T15:04:05-0700")
		out := map[string]any{"id": c.id, "message": c.text, "text": c.text, "created_time": at, "timestamp": at,
			"from": map[string]string{"id": c.from, "name": c.from, "username": c.from}}
		if c.parent != "" {
			out["parent"], out["parent_id"] = map[string]string{"id": c.parent}, c.parent
		}
		return out
	}
	m.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		switch {
		case len(parts) == 1 && parts[0] == "me":
			_ = enc.Encode(map[string]string{"id": account, "name": "Göteborgs Stad"})
		case len(parts) == 2 && (parts[1] == "feed" || parts[1] == "media"):
			at := T.Add(-48 * time.Hour).Format("2006-01-02T15:04:05-0700")
			_ = enc.Encode(map[string]any{"data": []map[string]string{{"id": post, "created_time": at, "timestamp": at}}})
		case len(parts) == 2 && parts[1] == "conversations":
			_ = enc.Encode(map[string]any{"data": []any{}})
		case len(parts) == 2 && parts[1] == "comments" && parts[0] == post:
			m.calls.Add(1)
			var list []metaComment
			for _, c := range comments {
				if !instagram || c.parent == "" {
					list = append(list, c)
				}
			}
			if q.Get("order") == "reverse_chronological" {
				for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
					list[i], list[j] = list[j], list[i]
				}
			}
			limit, _ := strconv.Atoi(q.Get("limit"))
			if limit <= 0 {
				limit = 25
			}
			after, _ := strconv.Atoi(q.Get("after"))
			end := min(after+limit, len(list))
			data := []map[string]any{}
			for _, c := range list[after:end] {
				out := item(c)
				if instagram && strings.Contains(q.Get("fields"), "replies{") {
					replies := []map[string]any{}
					for _, reply := range comments {
						if reply.parent == c.id {
							replies = append(replies, item(reply))
						}
					}
					out["replies"] = map[string]any{"data": replies}
				}
				data = append(data, out)
			}
			body := map[string]any{"data": data}
			if end < len(list) {
				body["paging"] = map[string]any{"cursors": map[string]string{"after": strconv.Itoa(end)},
					"next": fmt.Sprintf("http://%s%s?after=%d&limit=%d", r.Host, r.URL.Path, end, limit)}
			}
			_ = enc.Encode(body)
		default:
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":{"message":"Unsupported get request","type":"GraphMethodException","code":100,"error_subcode":33}}`)
		}
	}))
	t.Cleanup(m.srv.Close)
	return m
}

// use makes the scene call m instead of the sandbox.
func (m *metaComments) use(t *testing.T, s *scene) {
	t.Helper()
	client, err := graph.New(graph.Config{BaseURL: m.srv.URL, Now: func() time.Time { return s.now }})
	if err != nil {
		t.Fatal(err)
	}
	s.client = client
}

// delivered applies comments as their webhooks would have.
func (s *scene) delivered(t *testing.T, post string, comments ...metaComment) {
	t.Helper()
	channel := inbox.ChannelFacebookComment
	if s.account.Platform == inbox.PlatformInstagram {
		channel = inbox.ChannelInstagramComment
	}
	for _, c := range comments {
		thread := c.id
		if c.parent != "" {
			thread = c.parent
		}
		e := inbox.Event{Kind: inbox.EventMessageCreated, Platform: s.account.Platform, Channel: channel,
			AccountExternalID: s.account.ExternalID, ThreadKey: thread, PostExternalID: post, MessageExternalID: c.id,
			ParentExternalID: c.parent, Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: c.from},
			Author: inbox.Actor{ExternalID: c.from}, Text: c.text, OccurredAt: c.at}
		if _, err := s.store.ApplyEvent(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
}

// busyPost returns n comments on post-1, one every step from start.
func busyPost(n int, start time.Time, step time.Duration) []metaComment {
	var out []metaComment
	for i := 1; i <= n; i++ {
		out = append(out, metaComment{id: fmt.Sprintf("post-1_%d", i), from: fmt.Sprintf("u%d", i),
			text: "Har ni vatten i Majorna?", at: start.Add(time.Duration(i) * step)})
	}
	return out
}

// TestPollReadsNewestCommentsOfBusyPost finds what webhooks missed among
// the newest comments of a post with more comments than one page holds.
func TestPollReadsNewestCommentsOfBusyPost(t *testing.T) {
	s := newScene(t, inbox.PlatformFacebook, "page-1")
	comments := busyPost(250, T.Add(-5*time.Hour), time.Minute)
	// Webhooks delivered all but the newest and one on the second page.
	s.delivered(t, "post-1", comments[:119]...)
	s.delivered(t, "post-1", comments[120:249]...)
	meta := newMetaComments(t, "page-1", "post-1", false, comments)
	meta.use(t, s)
	r := s.reconciler(reconcile.Config{})
	if found, err := r.PollOnce(t.Context()); err != nil || found != 2 {
		t.Fatalf("PollOnce = %d, %v; want post-1_250 and post-1_120, which no webhook delivered", found, err)
	}
	if n := meta.calls.Load(); n != 3 {
		t.Errorf("%d comment listings, want 3 (250 comments, 100 a page)", n)
	}
}

// TestPollStopsReadingAtWindow reads no page past the first comment older
// than the poll's window, and applies none of those.
func TestPollStopsReadingAtWindow(t *testing.T) {
	s := newScene(t, inbox.PlatformFacebook, "page-1")
	// One comment every 5 minutes from 20 hours before T; the account was
	// added 12 hours before T, after the first 95.
	comments := busyPost(150, T.Add(-20*time.Hour), 5*time.Minute)
	s.delivered(t, "post-1", comments[95:149]...)
	meta := newMetaComments(t, "page-1", "post-1", false, comments)
	meta.use(t, s)
	r := s.reconciler(reconcile.Config{})
	if found, err := r.PollOnce(t.Context()); err != nil || found != 1 {
		t.Fatalf("PollOnce = %d, %v; want only post-1_150, the one missed since the account was added", found, err)
	}
	if n := meta.calls.Load(); n != 1 {
		t.Errorf("%d comment listings, want 1 (the first page reaches back past the window)", n)
	}
}

// TestPollFindsMissedInstagramReply reads an Instagram media's replies,
// which its comments edge does not list, and applies a missed one in its
// comment's thread.
func TestPollFindsMissedInstagramReply(t *testing.T) {
	s := newScene(t, inbox.PlatformInstagram, "ig-1")
	top := metaComment{id: "c1", from: "u1", text: "När öppnar badet?", at: T.Add(-2 * time.Hour)}
	reply := metaComment{id: "c2", parent: "c1", from: "u2", text: "Undrar också!", at: T.Add(-time.Hour)}
	s.delivered(t, "media-1", top)
	newMetaComments(t, "ig-1", "media-1", true, []metaComment{top, reply}).use(t, s)
	r := s.reconciler(reconcile.Config{})
	if found, err := r.PollOnce(t.Context()); err != nil || found != 1 {
		t.Fatalf("PollOnce = %d, %v; want the missed reply c2", found, err)
	}
	list, err := s.store.FindConversations(t.Context(), inbox.ConversationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Conversations) != 1 || list.Conversations[0].ThreadKey != "c1" || list.Conversations[0].MessageCount != 2 {
		t.Fatalf("conversations %+v, want c1's thread with the reply", list.Conversations)
	}
}

// TestPollSkipsRefusedPost goes on with the other posts when Meta refuses
// one post's comments (deleted between the listing and the call), and
// fails the part only when it refuses them all.
func TestPollSkipsRefusedPost(t *testing.T) {
	addPosts := func(s *scene) {
		s.sb.AddComment("page-1", "post-3", T.Add(-3*time.Hour), graph.Comment{ID: "post-3_1", Text: "Missad", FromID: "u1", Created: T.Add(-time.Hour)})
		s.sb.AddComment("page-1", "post-2", T.Add(-2*time.Hour), graph.Comment{ID: "post-2_1", Text: "x", FromID: "u2", Created: T.Add(-time.Hour)})
		s.sb.AddComment("page-1", "post-1", T.Add(-1*time.Hour), graph.Comment{ID: "post-1_1", Text: "y", FromID: "u3", Created: T.Add(-time.Hour)})
	}
	t.Run("OK", func(t *testing.T) {
		s := newScene(t, inbox.PlatformFacebook, "page-1")
		addPosts(s)
		if err := s.sb.FailPath(http.MethodGet, "/post-2/comments", 1, graph.DocumentedError(100, 33)); err != nil {
			t.Fatal(err)
		}
		r := s.reconciler(reconcile.Config{})
		found, err := r.PollOnce(t.Context())
		a := accountByID(t, s.store, s.account.ID)
		if err != nil || found != 2 {
			t.Fatalf("PollOnce = %d, %v; want post-1_1 and post-3_1 (comments_poll_error %q, alerts %v)",
				found, err, a.CommentsPollError, alertTypes(s.pub))
		}
		if a.CommentsPollError != "" || a.CommentsPolledAt == nil {
			t.Errorf("comments part: error %q, polled at %v; want it recorded as working", a.CommentsPollError, a.CommentsPolledAt)
		}
		for _, kind := range alertTypes(s.pub) {
			if kind == "poll_comments_failed" {
				t.Errorf("alerts %v, want no poll_comments_failed for one deleted post", alertTypes(s.pub))
			}
		}
	})
	t.Run("ErrEveryPostRefused", func(t *testing.T) {
		s := newScene(t, inbox.PlatformFacebook, "page-1")
		addPosts(s)
		if err := s.sb.FailPath(http.MethodGet, "/*/comments", -1, graph.DocumentedError(10, 0)); err != nil {
			t.Fatal(err)
		}
		r := s.reconciler(reconcile.Config{})
		if _, err := r.PollOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
		if a := accountByID(t, s.store, s.account.ID); a.CommentsPollError == "" {
			t.Errorf("comments part recorded as working although Meta refused every post")
		}
	})
}

// TestPollRetriesPageLookup asks again for an Instagram account's linked
// Page when Meta failed to answer, rather than reading its conversations
// on the wrong object until the process restarts.
func TestPollRetriesPageLookup(t *testing.T) {
	s := newScene(t, inbox.PlatformInstagram, "ig-1")
	s.sb.LinkInstagram(graph.SandboxPageID, "ig-1")
	s.sb.AddConversationMessage("ig-1", inbox.PlatformInstagram, "t_1", graph.ConversationMessage{ID: "m_ig_1",
		Created: T.Add(-time.Hour), FromID: "u1", FromName: "ali", ToID: "ig-1", Text: "Hej"})
	// Meta has a bad minute: both GET /me of the first round (the token
	// check and the Page lookup) fail.
	if err := s.sb.FailPath(http.MethodGet, "/me", 2, graph.DocumentedError(2, 0)); err != nil {
		t.Fatal(err)
	}
	// The Instagram account's own id has no conversations edge with a
	// Page token.
	if err := s.sb.FailPath(http.MethodGet, "/ig-1/conversations", -1, graph.DocumentedError(100, 33)); err != nil {
		t.Fatal(err)
	}
	r := s.reconciler(reconcile.Config{})
	_, _ = r.PollOnce(t.Context())
	s.now = T.Add(2 * time.Hour) // Meta answers again
	if found, err := r.PollOnce(t.Context()); err != nil || found != 1 {
		t.Fatalf("second round: PollOnce = %d, %v; want the message read on the linked Page (calls %v)", found, err, s.paths())
	}
	if a := accountByID(t, s.store, s.account.ID); a.PageID != graph.SandboxPageID || a.MessagesPollError != "" {
		t.Fatalf("page id %q, messages_poll_error %q; want %q learned once Meta answered", a.PageID, a.MessagesPollError, graph.SandboxPageID)
	}
}

// TestFirstPollSkipsHistory recovers nothing written before the account
// was added, and raises no alert for it, but recovers what webhooks miss
// from then on.
func TestFirstPollSkipsHistory(t *testing.T) {
	s := newSceneAdded(t, inbox.PlatformFacebook, "page-1", T)
	s.sb.AddComment("page-1", "post-1", T.Add(-40*24*time.Hour), graph.Comment{ID: "post-1_1", Text: "Gammal fråga",
		FromID: "u1", FromName: "Ali", Created: T.Add(-30 * 24 * time.Hour)})
	s.sb.AddComment("page-1", "post-1", T.Add(-40*24*time.Hour), graph.Comment{ID: "post-1_2", Text: "Fråga från i morse",
		FromID: "u2", FromName: "Bea", Created: T.Add(-2 * time.Hour)})
	s.sb.AddConversationMessage("page-1", inbox.PlatformFacebook, "t_1", graph.ConversationMessage{ID: "m_1",
		Created: T.Add(-time.Hour), FromID: "u3", FromName: "Cem", ToID: "page-1", Text: "Hej"})
	r := s.reconciler(reconcile.Config{})
	if found, err := r.PollOnce(t.Context()); err != nil || found != 0 || len(alertTypes(s.pub)) != 0 {
		t.Fatalf("first poll: found %d, %v, alerts %v; want nothing from before the account was added", found, err, alertTypes(s.pub))
	}
	s.sb.AddComment("page-1", "post-1", T.Add(-40*24*time.Hour), graph.Comment{ID: "post-1_3", Text: "Ny fråga",
		FromID: "u4", FromName: "Dan", Created: T.Add(30 * time.Minute)})
	s.now = T.Add(time.Hour)
	if found, err := r.PollOnce(t.Context()); err != nil || found != 1 {
		t.Fatalf("next poll: found %d, %v; want the comment written since", found, err)
	}
	if got := alertTypes(s.pub); len(got) != 1 || got[0] != "webhooks_missed" {
		t.Errorf("alerts %v, want one webhooks_missed", got)
	}
}
