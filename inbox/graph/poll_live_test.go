package graph

import (
	"context"
	"testing"
	"time"
)

// TestLiveMedia lists the account's live broadcasts only, marked Live,
// from GET /{ig-user-id}/live_media.
func TestLiveMedia(t *testing.T) {
	c, sb := newTestClient(t, Config{})
	at := testNow.Add(-time.Hour).Truncate(time.Second)
	sb.AddComment("178", "17900", at, Comment{ID: "c1", Text: "Fin bild", FromID: "igsid_1", Created: at})
	sb.AddComment("178", "17901", at, Comment{ID: "c2", Text: "Hörs ljudet?", FromID: "igsid_2", Created: at})
	sb.AddComment("179", "17902", at, Comment{ID: "c3", Text: "Hej", FromID: "igsid_3", Created: at})
	sb.SetLive("17901", true)
	sb.SetLive("17902", true)
	live, _, err := c.LiveMedia(context.Background(), testToken, "178")
	if err != nil {
		t.Fatal(err)
	}
	if len(live) != 1 || live[0].ID != "17901" || !live[0].Live || !live[0].Created.Equal(at) {
		t.Fatalf("live media %+v, want 17901 only, live, created %v", live, at)
	}
	call := lastCall(t, sb)
	if call.Path != "/178/live_media" {
		t.Errorf("path %q, want /178/live_media", call.Path)
	}
	sb.SetLive("17901", false)
	if live, _, err = c.LiveMedia(context.Background(), testToken, "178"); err != nil || len(live) != 0 {
		t.Errorf("after the broadcast: %+v, %v; want none", live, err)
	}
}

// TestWithLive marks the listed posts that are live broadcasts and adds
// the broadcasts the listing left out, keeping the listing's order.
func TestWithLive(t *testing.T) {
	posts := []Post{{ID: "a"}, {ID: "b"}}
	got := WithLive(posts, []Post{{ID: "b", Live: true}, {ID: "c", Live: true}})
	want := []Post{{ID: "a"}, {ID: "b", Live: true}, {ID: "c", Live: true}}
	if len(got) != len(want) {
		t.Fatalf("WithLive = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("post %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if posts[1].Live {
		t.Error("WithLive changed the posts it was given")
	}
}
