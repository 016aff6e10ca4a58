package postfetch_test

import (
	"context"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/postfetch"
	"inkorg/inbox/secretbox"
)

// notePosts registers posts of the page with the sandbox and notes them
// to be fetched.
func (sc *scene) notePosts(t *testing.T, suffixes ...string) {
	t.Helper()
	for _, s := range suffixes {
		sc.Sandbox.SetPost(pageID, false, graph.PostContent{ID: pageID + s, Text: "Inlägg " + s})
		if err := sc.Store.NotePost(context.Background(), inbox.PlatformFacebook, pageID+s, pageID, ""); err != nil {
			t.Fatal(err)
		}
	}
}

// tries returns the tries spent on the posts still to fetch.
func (sc *scene) tries(t *testing.T) map[string]int {
	t.Helper()
	due, err := sc.Store.FindPostsToFetch(context.Background(), sc.Now.Add(24*time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, p := range due {
		out[p.ExternalID] = p.Attempts
	}
	return out
}

// TestFetchDueHoldsPostsWhileTokenRejected makes no call for an account
// whose token Meta rejected, spends none of its posts' tries, and fetches
// them once the token is replaced, or after a while.
func TestFetchDueHoldsPostsWhileTokenRejected(t *testing.T) {
	t.Run("NewToken", func(t *testing.T) {
		sc := newScene(t)
		ctx := context.Background()
		box, err := secretbox.New(make([]byte, secretbox.KeySize))
		if err != nil {
			t.Fatal(err)
		}
		page := &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: pageID, Name: "Göteborgs Stad"}
		if err := sc.Store.CreateAccount(ctx, page); err != nil {
			t.Fatal(err)
		}
		setToken := func(token string) {
			sealed, err := box.Seal(token)
			if err != nil {
				t.Fatal(err)
			}
			if err := sc.Store.SetAccountToken(ctx, page.ID, sealed); err != nil {
				t.Fatal(err)
			}
		}
		setToken("EAAGexpiredTOKEN0123456789")
		fetcher := postfetch.New(postfetch.Config{Store: sc.Store, Graph: sc.Client, Sealer: box, Now: sc.Clock,
			RetryAfter: time.Minute, ThrottleBackoff: 10 * time.Minute})
		fetch := func() int {
			n, err := fetcher.FetchDue(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		sc.notePosts(t, "_9", "_10")
		sc.Sandbox.FailNext(1, graph.DocumentedError(190, 463))
		if got := fetch(); got != 0 || len(sc.Sandbox.Calls()) != 1 {
			t.Fatalf("token expired: filled %d with %d calls, want 0 with 1 (no call for the other post)", got, len(sc.Sandbox.Calls()))
		}
		if tries := sc.tries(t); len(tries) != 2 || tries[pageID+"_9"] != 0 || tries[pageID+"_10"] != 0 {
			t.Fatalf("tries %v, want both posts still to fetch with no try spent", tries)
		}
		sc.Now = sc.Now.Add(2 * time.Minute)
		if got := fetch(); got != 0 || len(sc.Sandbox.Calls()) != 1 {
			t.Fatalf("same token: filled %d with %d calls, want no call", got, len(sc.Sandbox.Calls()))
		}
		setToken("EAAGrenewedTOKEN0123456789") // an administrator stores a new token
		sc.Now = sc.Now.Add(2 * time.Minute)
		if got := fetch(); got != 2 {
			t.Fatalf("new token: filled %d, want 2", got)
		}
	})
	t.Run("Backoff", func(t *testing.T) {
		sc := newScene(t)
		sc.notePosts(t, "_9")
		sc.Sandbox.FailNext(1, graph.DocumentedError(190, 463))
		sc.fetch(t)
		sc.Sandbox.ClearFaults()
		sc.Now = sc.Now.Add(30 * time.Minute)
		if got := sc.fetch(t); got != 0 || len(sc.Sandbox.Calls()) != 1 {
			t.Fatalf("within the hold: filled %d with %d calls, want no call", got, len(sc.Sandbox.Calls()))
		}
		sc.Now = sc.Now.Add(24 * time.Hour)
		if got := sc.fetch(t); got != 1 {
			p := sc.post(t, inbox.PlatformFacebook, pageID+"_9")
			t.Fatalf("a day later: filled %d, want 1; post unavailable=%v", got, p.Unavailable)
		}
	})
}

// TestFetchDueThrottleSpendsNoTries fetches a post once a throttle longer
// than all its tries would take has ended.
func TestFetchDueThrottleSpendsNoTries(t *testing.T) {
	sc := newScene(t)
	sc.notePosts(t, "_7")
	if err := sc.Sandbox.FailPath("GET", "/"+pageID+"_7", -1, graph.DocumentedError(32, 0)); err != nil {
		t.Fatal(err)
	}
	for start := sc.Now; sc.Now.Sub(start) < time.Hour; sc.Now = sc.Now.Add(time.Minute) {
		sc.fetch(t)
	}
	if tries, ok := sc.tries(t)[pageID+"_7"]; !ok || tries != 0 {
		t.Fatalf("post still to fetch %v with %d tries after an hour of throttling, want true with none spent", ok, tries)
	}
	sc.Sandbox.ClearFaults()
	sc.Now = sc.Now.Add(time.Hour)
	if got := sc.fetch(t); got != 1 {
		p := sc.post(t, inbox.PlatformFacebook, pageID+"_7")
		t.Fatalf("after the throttle ended: filled %d, want 1; unavailable=%v", got, p.Unavailable)
	}
}

// TestFetchDuePausesOnApplicationLimit stops the batch when Meta answers
// 341, "Application limit reached", as for its other limits.
func TestFetchDuePausesOnApplicationLimit(t *testing.T) {
	sc := newScene(t)
	sc.notePosts(t, "_11", "_12", "_13")
	sc.Sandbox.FailNext(3, graph.DocumentedError(341, 0))
	sc.fetch(t)
	if n := len(sc.Sandbox.Calls()); n != 1 {
		t.Fatalf("%d calls in the batch after Meta answered 341, want 1", n)
	}
	if tries := sc.tries(t); len(tries) != 3 || tries[pageID+"_11"] != 0 {
		t.Errorf("tries %v, want all three posts still to fetch with no try spent", tries)
	}
}
