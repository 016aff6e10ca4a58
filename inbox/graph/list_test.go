package graph

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

// TestComments reads a post's comments newest first, a page at a time,
// and an Instagram media's replies with their top-level comments.
func TestComments(t *testing.T) {
	ctx := context.Background()
	t.Run("FacebookNewestFirst", func(t *testing.T) {
		c, sb := newTestClient(t, Config{})
		at := testNow.Add(-3 * time.Hour).Truncate(time.Second)
		for i := 1; i <= 5; i++ {
			sb.AddComment("104", "104_1", at, Comment{ID: fmt.Sprintf("1_%d", i), Text: "Hej", FromID: "u", Created: at.Add(time.Duration(i) * time.Minute)})
		}
		page, _, err := c.Comments(ctx, testToken, inbox.PlatformFacebook, "104_1", "", 2)
		if err != nil {
			t.Fatal(err)
		}
		if ids := commentIDs(page.Comments); ids != "1_5 1_4" || page.After == "" {
			t.Fatalf("first page %q after %q, want the newest two and a cursor", ids, page.After)
		}
		b := body(t, lastCall(t, sb))
		if b["order"] != "reverse_chronological" || b["filter"] != "stream" || b["limit"] != "2" {
			t.Errorf("parameters %v, want order=reverse_chronological, filter=stream, limit=2", b)
		}
		sb.Reset()
		page, _, err = c.Comments(ctx, testToken, inbox.PlatformFacebook, "104_1", page.After, 2)
		if err != nil {
			t.Fatal(err)
		}
		if ids := commentIDs(page.Comments); ids != "1_3 1_2" || page.After == "" {
			t.Fatalf("second page %q after %q, want the next two and a cursor", ids, page.After)
		}
		if b := body(t, lastCall(t, sb)); b["after"] == nil || b["order"] != "reverse_chronological" {
			t.Errorf("parameters %v, want the cursor with the same order", b)
		}
		if page, _, _ = c.Comments(ctx, testToken, inbox.PlatformFacebook, "104_1", page.After, 2); commentIDs(page.Comments) != "1_1" || page.After != "" {
			t.Errorf("last page %q after %q, want 1_1 and no cursor", commentIDs(page.Comments), page.After)
		}
	})
	t.Run("InstagramReplies", func(t *testing.T) {
		c, sb := newTestClient(t, Config{})
		at := testNow.Add(-3 * time.Hour).Truncate(time.Second)
		sb.AddComment("178", "17900", at, Comment{ID: "c1", Text: "När öppnar badet?", FromID: "igsid_1", FromName: "anna.a", Created: at})
		sb.AddComment("178", "17900", at, Comment{ID: "c2", Text: "Undrar också!", FromID: "igsid_2", FromName: "bo.b", ParentID: "c1", Created: at.Add(time.Hour)})
		page, _, err := c.Comments(ctx, testToken, inbox.PlatformInstagram, "17900", "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Comments) != 2 {
			t.Fatalf("comments %+v, want c1 and its reply c2", page.Comments)
		}
		if r := page.Comments[1]; r.ID != "c2" || r.ParentID != "c1" || r.FromName != "bo.b" || !r.Created.Equal(at.Add(time.Hour)) {
			t.Errorf("reply %+v, want c2 under c1 by bo.b", r)
		}
		fields, _ := body(t, lastCall(t, sb))["fields"].(string)
		if !strings.Contains(fields, "replies{id,text,timestamp,from{id,username},parent_id}") {
			t.Errorf("fields %q, want the replies expanded", fields)
		}
	})
}

func commentIDs(cs []Comment) string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return strings.Join(ids, " ")
}
