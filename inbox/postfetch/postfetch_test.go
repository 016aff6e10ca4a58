package postfetch_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/graphfetch/graphfetchtest"
	"inkorg/inbox/postfetch"
	"inkorg/inbox/sqlstore"
)

const pageID = "104729385720000"

// The fetcher holds items through the store without spending their tries.
var _ postfetch.Deferrer = (*sqlstore.Store)(nil)

type scene struct {
	*graphfetchtest.Scene
	fetcher *postfetch.Fetcher
}

func newScene(t *testing.T) *scene {
	t.Helper()
	sc := &scene{Scene: graphfetchtest.NewScene(t)}
	sc.fetcher = postfetch.New(postfetch.Config{Store: sc.Store, Graph: sc.Client, SandboxToken: graphfetchtest.SandboxToken,
		Now: sc.Clock, RetryAfter: time.Minute, ThrottleBackoff: 10 * time.Minute})
	return sc
}

func (sc *scene) fetch(t *testing.T) int {
	t.Helper()
	n, err := sc.fetcher.FetchDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (sc *scene) post(t *testing.T, platform inbox.Platform, id string) *inbox.Post {
	t.Helper()
	p, err := sc.Store.FindPost(context.Background(), platform, id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFetchDue fills in noted posts from the Graph API, once, and gives up
// a post Meta does not know.
func TestFetchDue(t *testing.T) {
	sc := newScene(t)
	ctx := context.Background()
	posted := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	sc.Sandbox.SetPost(pageID, false, graph.PostContent{ID: pageID + "_1", Text: "Vi stänger Valhallabadet för renovering.",
		Permalink: "https://www.facebook.com/goteborgsstad/posts/1", Created: posted})
	sc.Sandbox.SetPost("17841400000000000", true, graph.PostContent{ID: "1790001", Text: "Höstlov 🍂", Permalink: "https://www.instagram.com/p/C1/", MediaType: "REELS"})
	for _, n := range []struct {
		platform    inbox.Platform
		id, account string
	}{{inbox.PlatformFacebook, pageID + "_1", pageID}, {inbox.PlatformInstagram, "1790001", "17841400000000000"}, {inbox.PlatformFacebook, pageID + "_404", pageID}} {
		if err := sc.Store.NotePost(ctx, n.platform, n.id, n.account, ""); err != nil {
			t.Fatal(err)
		}
	}
	if got := sc.fetch(t); got != 2 {
		t.Fatalf("filled %d posts, want 2", got)
	}
	fb := sc.post(t, inbox.PlatformFacebook, pageID+"_1")
	if !fb.Fetched || fb.Text != "Vi stänger Valhallabadet för renovering." || fb.Permalink != "https://www.facebook.com/goteborgsstad/posts/1" || !fb.PostedAt.Equal(posted) {
		t.Errorf("facebook post: got %+v", fb)
	}
	if ig := sc.post(t, inbox.PlatformInstagram, "1790001"); !ig.Fetched || ig.Text != "Höstlov 🍂" || ig.MediaType != "REELS" {
		t.Errorf("instagram media: got %+v", ig)
	}
	if gone := sc.post(t, inbox.PlatformFacebook, pageID+"_404"); gone.Fetched {
		t.Errorf("unknown post: got %+v, want not fetched", gone)
	}
	calls := len(sc.Sandbox.Calls())
	sc.Now = sc.Now.Add(24 * time.Hour)
	if got := sc.fetch(t); got != 0 || len(sc.Sandbox.Calls()) != calls {
		t.Errorf("a day later: filled %d with %d more calls; want nothing fetched again", got, len(sc.Sandbox.Calls())-calls)
	}
}

// TestFetchDueThrottled pauses all fetching when Meta throttles, and tries
// the post again after the pause.
func TestFetchDueThrottled(t *testing.T) {
	sc := newScene(t)
	ctx := context.Background()
	sc.Sandbox.SetPost(pageID, false, graph.PostContent{ID: pageID + "_2", Text: "Snöröjning i helgen."})
	sc.Sandbox.SetPost(pageID, false, graph.PostContent{ID: pageID + "_3", Text: "Nya öppettider."})
	for _, id := range []string{pageID + "_2", pageID + "_3"} {
		if err := sc.Store.NotePost(ctx, inbox.PlatformFacebook, id, pageID, ""); err != nil {
			t.Fatal(err)
		}
	}
	sc.Sandbox.FailNext(1, graph.DocumentedError(32, 0))
	if got := sc.fetch(t); got != 0 || len(sc.Sandbox.Calls()) != 1 {
		t.Fatalf("throttled: filled %d with %d calls, want 0 with 1 (the batch stops)", got, len(sc.Sandbox.Calls()))
	}
	sc.Now = sc.Now.Add(5 * time.Minute)
	if got := sc.fetch(t); got != 0 || len(sc.Sandbox.Calls()) != 1 {
		t.Errorf("during the pause: filled %d with %d calls, want no call", got, len(sc.Sandbox.Calls()))
	}
	sc.Now = sc.Now.Add(10 * time.Minute)
	if got := sc.fetch(t); got != 2 {
		t.Errorf("after the pause: filled %d, want 2", got)
	}
	if p := sc.post(t, inbox.PlatformFacebook, pageID+"_2"); p.Text != "Snöröjning i helgen." {
		t.Errorf("got %+v", p)
	}
}

// TestFetchDueSlowsDown stops a batch once Meta's usage headers say usage
// is high, and goes on after a pause.
func TestFetchDueSlowsDown(t *testing.T) {
	sc := newScene(t)
	ctx := context.Background()
	for _, id := range []string{pageID + "_4", pageID + "_5"} {
		sc.Sandbox.SetPost(pageID, false, graph.PostContent{ID: id, Text: "Inlägg " + id})
		if err := sc.Store.NotePost(ctx, inbox.PlatformFacebook, id, pageID, ""); err != nil {
			t.Fatal(err)
		}
	}
	busy := http.Header{graph.HeaderAppUsage: {`{"call_count":85,"total_cputime":10,"total_time":10}`}}
	sc.Sandbox.FailNext(1, graph.Fault{Header: busy})
	if got := sc.fetch(t); got != 1 || len(sc.Sandbox.Calls()) != 1 {
		t.Fatalf("at 85 %% usage: filled %d with %d calls, want 1 with 1", got, len(sc.Sandbox.Calls()))
	}
	if got := sc.fetch(t); got != 0 {
		t.Errorf("during the pause: filled %d, want 0", got)
	}
	sc.Now = sc.Now.Add(2 * time.Minute)
	if got := sc.fetch(t); got != 1 {
		t.Errorf("after the pause: filled %d, want 1", got)
	}
}
