package reconcile_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/reconcile"
)

// liveMeta is a stand-in for an Instagram account's Graph API during a
// live broadcast, as Meta documents it: /{ig-user-id}/media lists the
// media in media, /{ig-user-id}/live_media the broadcasts in live (or
// answers 100, an edge the login does not offer, when live is nil), and
// /{media-id}/comments each media's comments.
type liveMeta struct {
	account  string
	media    []string
	live     []string
	comments map[string][]metaComment
}

func (m liveMeta) serve(t *testing.T, s *scene) {
	t.Helper()
	list := func(ids []string) map[string]any {
		data := []map[string]string{}
		for _, id := range ids {
			data = append(data, map[string]string{"id": id, "timestamp": T.Add(-time.Hour).Format("2006-01-02T15:04:05-0700")})
		}
		return map[string]any{"data": data}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		switch {
		case len(parts) == 1 && parts[0] == "me":
			_ = enc.Encode(map[string]string{"id": m.account, "name": "Göteborgs Stad"})
		case len(parts) == 2 && parts[0] == m.account && parts[1] == "media":
			_ = enc.Encode(list(m.media))
		case len(parts) == 2 && parts[0] == m.account && parts[1] == "live_media" && m.live != nil:
			_ = enc.Encode(list(m.live))
		case len(parts) == 2 && parts[1] == "conversations":
			_ = enc.Encode(map[string]any{"data": []any{}})
		case len(parts) == 2 && parts[1] == "comments" && (slices.Contains(m.media, parts[0]) || slices.Contains(m.live, parts[0])):
			data := []map[string]any{}
			for _, c := range m.comments[parts[0]] {
				at := c.at.UTC().Format("2006-01-02T15:04:05-0700")
				data = append(data, map[string]any{"id": c.id, "text": c.text, "timestamp": at,
					"from": map[string]string{"id": c.from, "username": c.from}})
			}
			_ = enc.Encode(map[string]any{"data": data})
		default:
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":{"message":"Unsupported get request","type":"GraphMethodException","code":100,"error_subcode":33}}`)
		}
	}))
	t.Cleanup(srv.Close)
	client, err := graph.New(graph.Config{BaseURL: srv.URL, Now: func() time.Time { return s.now }})
	if err != nil {
		t.Fatal(err)
	}
	s.client = client
}

// liveOf returns whether the scene's stored comments are marked live, by
// comment id.
func (s *scene) liveOf(t *testing.T) map[string]bool {
	t.Helper()
	list, err := s.store.FindConversations(t.Context(), inbox.ConversationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, c := range list.Conversations {
		msgs, err := s.store.FindMessages(t.Context(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			out[m.ExternalID] = m.Live
		}
	}
	return out
}

// TestPollMarksLiveComments marks the comments the poll finds on a live
// broadcast live, as their live_comments webhooks would have been, and
// leaves those on other media unmarked, whether or not the media edge
// lists the broadcast.
func TestPollMarksLiveComments(t *testing.T) {
	comments := map[string][]metaComment{
		"live-1": {{id: "lc1", from: "u1", text: "Hörs ljudet?", at: T.Add(-10 * time.Minute)}},
		"feed-1": {{id: "fc1", from: "u2", text: "När öppnar badet?", at: T.Add(-30 * time.Minute)}},
	}
	for name, media := range map[string][]string{"ListedByMedia": {"live-1", "feed-1"}, "OnlyLiveMedia": {"feed-1"}} {
		t.Run(name, func(t *testing.T) {
			s := newScene(t, inbox.PlatformInstagram, "ig-1")
			liveMeta{account: "ig-1", media: media, live: []string{"live-1"}, comments: comments}.serve(t, s)
			r := s.reconciler(reconcile.Config{})
			if found, err := r.PollOnce(t.Context()); err != nil || found != 2 {
				t.Fatalf("PollOnce = %d, %v; want lc1 and fc1", found, err)
			}
			if got := s.liveOf(t); !got["lc1"] || got["fc1"] || len(got) != 2 {
				t.Errorf("live by comment %v, want lc1 live and fc1 not", got)
			}
		})
	}
}

// TestPollKeepsWebhookLiveFlag keeps a live comment its live_comments
// webhook delivered marked live when the poll finds it again, also where
// the poll cannot tell the broadcast (live_media refused).
func TestPollKeepsWebhookLiveFlag(t *testing.T) {
	c := metaComment{id: "lc1", from: "u1", text: "Hörs ljudet?", at: T.Add(-10 * time.Minute)}
	for name, live := range map[string][]string{"LiveMediaRefused": nil, "LiveMediaListed": {"live-1"}} {
		t.Run(name, func(t *testing.T) {
			s := newScene(t, inbox.PlatformInstagram, "ig-1")
			e := inbox.Event{Kind: inbox.EventMessageCreated, Platform: inbox.PlatformInstagram, Channel: inbox.ChannelInstagramComment,
				AccountExternalID: "ig-1", ThreadKey: c.id, PostExternalID: "live-1", MessageExternalID: c.id,
				Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: c.from}, Author: inbox.Actor{ExternalID: c.from},
				Text: c.text, OccurredAt: c.at, Live: true}
			if _, err := s.store.ApplyEvent(t.Context(), e); err != nil {
				t.Fatal(err)
			}
			liveMeta{account: "ig-1", media: []string{"live-1"}, live: live,
				comments: map[string][]metaComment{"live-1": {c}}}.serve(t, s)
			r := s.reconciler(reconcile.Config{})
			if found, err := r.PollOnce(t.Context()); err != nil || found != 0 {
				t.Fatalf("PollOnce = %d, %v; want nothing new", found, err)
			}
			if got := s.liveOf(t); !got["lc1"] {
				t.Errorf("live by comment %v, want lc1 still live", got)
			}
		})
	}
}
