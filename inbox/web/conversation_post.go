package web

import (
	"context"
	"strings"

	"inkorg/inbox"
)

// postMessages are the texts of the post shown above a comment thread:
// Swedish first, English second. They join messages at start.
var postMessages = map[string][2]string{
	"conv.post.heading":     {"Inlägget som kommentaren gäller", "The post the comment is on"},
	"conv.post.pending":     {"Inläggets text har inte hämtats från Meta ännu.", "The post's text has not been fetched from Meta yet."},
	"conv.post.unavailable": {"Inlägget kunde inte hämtas från Meta (borttaget eller utan behörighet).", "The post could not be fetched from Meta (removed, or no permission)."},
	"conv.post.open":        {"Öppna inlägget", "Open the post"},
	"conv.post.empty":       {"Inlägget har ingen text.", "The post has no text."},
	"conv.parent":           {"Svar på kommentaren ovan", "Reply to the comment above"},
}

func init() { addMessages(postMessages) }

// threadPost returns the post a comment thread hangs under, only its id
// while it is not fetched yet, or nil for a private thread. Failing to
// read it never fails the page: the thread is shown without it.
func (ui *UI) threadPost(ctx context.Context, conv *inbox.Conversation) *inbox.Post {
	if !conv.Channel.Public() || conv.PostExternalID == "" {
		return nil
	}
	p, err := ui.cfg.Store.FindPost(ctx, conv.Platform, conv.PostExternalID)
	if err != nil {
		return &inbox.Post{Platform: conv.Platform, ExternalID: conv.PostExternalID}
	}
	return p
}

// safePermalink returns the post's permalink when it is an https link to
// Facebook or Instagram, else "" (it comes from Meta, but is shown as a
// link).
func safePermalink(p *inbox.Post) string {
	for _, prefix := range []string{"https://www.facebook.com/", "https://facebook.com/", "https://www.instagram.com/", "https://instagram.com/"} {
		if strings.HasPrefix(p.Permalink, prefix) {
			return p.Permalink
		}
	}
	return ""
}
