package graph

import (
	"context"
	"testing"
	"time"

	"inkorg/inbox"
)

// TestSandboxLinkedPage checks both ways to read an Instagram account's
// conversations, on the account and on its linked Page, and the lookup
// of the link.
func TestSandboxLinkedPage(t *testing.T) {
	c, sb := newTestClient(t, Config{})
	ctx := context.Background()
	if link, _, err := c.LinkedInstagram(ctx, testToken); err != nil || link != (PageLink{PageID: SandboxPageID}) {
		t.Fatalf("LinkedInstagram before linking = %+v, %v; want the Page, no account", link, err)
	}
	sb.LinkInstagram(SandboxPageID, "ig-1")
	link, _, err := c.LinkedInstagram(ctx, testToken)
	if err != nil || link != (PageLink{PageID: SandboxPageID, InstagramID: "ig-1"}) {
		t.Fatalf("LinkedInstagram = %+v, %v; want %s linked to ig-1", link, err, SandboxPageID)
	}
	var page struct {
		ID      string `json:"id"`
		Account struct {
			ID string `json:"id"`
		} `json:"instagram_business_account"`
	}
	if _, err := c.do(ctx, testToken, call{op: "page", method: "GET", path: []string{SandboxPageID},
		query: map[string][]string{"fields": {"instagram_business_account"}}, idempotent: true}, &page); err != nil ||
		page.ID != SandboxPageID || page.Account.ID != "ig-1" {
		t.Fatalf("GET /{page-id}?fields=instagram_business_account = %+v, %v", page, err)
	}

	sb.AddConversationMessage("ig-1", inbox.PlatformInstagram, "t_1", ConversationMessage{ID: "m_1",
		Created: testNow.Add(-time.Hour), FromID: "u1", FromName: "ali", ToID: "ig-1", Text: "Hej"})
	for _, id := range []string{"ig-1", SandboxPageID} {
		convs, _, err := c.Conversations(ctx, testToken, inbox.PlatformInstagram, id, 5, 5)
		if err != nil || len(convs) != 1 || len(convs[0].Messages) != 1 || convs[0].Messages[0].ID != "m_1" {
			t.Errorf("conversations on %s = %+v, %v; want the thread", id, convs, err)
		}
	}
	// The Page's own Messenger conversations are not the Instagram ones.
	if convs, _, err := c.Conversations(ctx, testToken, inbox.PlatformFacebook, SandboxPageID, 5, 5); err != nil || len(convs) != 0 {
		t.Errorf("Messenger conversations on the Page = %+v, %v; want none", convs, err)
	}
}
