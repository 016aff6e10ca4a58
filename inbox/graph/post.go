package graph

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"time"

	"inkorg/inbox"
)

// PostContent is what a post (Facebook) or media (Instagram) says, read
// for the context shown above a comment thread.
type PostContent struct {
	ID string `json:"id"`
	// Text is the post's message or the media's caption.
	Text      string `json:"text"`
	Permalink string `json:"permalink"`
	// MediaType is Instagram's media_product_type (FEED, REELS, STORY,
	// AD); empty for Facebook.
	MediaType string `json:"media_type,omitempty"`
	// Created is the post's created_time or the media's timestamp; zero
	// when Meta did not say.
	Created   time.Time `json:"created,omitzero"`
	RateLimit RateLimit `json:"-"`
}

// FetchPost reads a post: GET /{post-id}?fields=message,permalink_url,created_time
// on Facebook, GET /{media-id}?fields=caption,permalink,media_product_type,timestamp
// on Instagram.
func (c *Client) FetchPost(ctx context.Context, token string, platform inbox.Platform, postID string) (PostContent, error) {
	const op = "fetch_post"
	if err := checkIDs(op, postID); err != nil {
		return PostContent{}, err
	}
	var fields string
	switch platform {
	case inbox.PlatformFacebook:
		fields = "message,permalink_url,created_time"
	case inbox.PlatformInstagram:
		fields = "caption,permalink,media_product_type,timestamp"
	default:
		return PostContent{}, invalid(op, "unknown platform %q", platform)
	}
	var out struct {
		ID               string `json:"id"`
		Message          string `json:"message"`
		PermalinkURL     string `json:"permalink_url"`
		CreatedTime      string `json:"created_time"`
		Caption          string `json:"caption"`
		Permalink        string `json:"permalink"`
		MediaProductType string `json:"media_product_type"`
		Timestamp        string `json:"timestamp"`
	}
	rl, err := c.do(ctx, token, call{op: op, method: http.MethodGet, path: []string{postID},
		query: url.Values{"fields": {fields}}, idempotent: true}, &out)
	return PostContent{
		ID: cmp.Or(out.ID, postID), Text: cmp.Or(out.Message, out.Caption), Permalink: cmp.Or(out.PermalinkURL, out.Permalink),
		MediaType: out.MediaProductType, Created: graphTime(cmp.Or(out.CreatedTime, out.Timestamp)), RateLimit: rl,
	}, err
}
