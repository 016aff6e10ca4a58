package graph

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"inkorg/inbox"
)

// Post is a recent post (Facebook) or media (Instagram) of an account.
type Post struct {
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
	// Live marks an Instagram live broadcast (listed by LiveMedia): Meta
	// takes no public reply to a comment on it.
	Live bool `json:"live,omitempty"`
}

// Comment is a comment read back from the Graph API.
type Comment struct {
	ID       string    `json:"id"`
	Text     string    `json:"text"`
	FromID   string    `json:"from_id"`
	FromName string    `json:"from_name"`
	ParentID string    `json:"parent_id,omitempty"`
	Created  time.Time `json:"created"`
}

// graphTime parses the times Graph answers with: RFC 3339, or
// "2006-01-02T15:04:05-0700".
func graphTime(s string) time.Time {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05-0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// RecentPosts lists the account's latest posts: GET /{page-id}/feed or
// GET /{ig-user-id}/media.
func (c *Client) RecentPosts(ctx context.Context, token string, platform inbox.Platform, accountID string, limit int) ([]Post, RateLimit, error) {
	const op = "list_posts"
	if err := checkIDs(op, accountID); err != nil {
		return nil, RateLimit{}, err
	}
	edge, fields := "feed", "id,created_time"
	if platform == inbox.PlatformInstagram {
		edge, fields = "media", "id,timestamp"
	}
	var out struct {
		Data []struct {
			ID          string `json:"id"`
			CreatedTime string `json:"created_time"`
			Timestamp   string `json:"timestamp"`
		} `json:"data"`
	}
	rl, err := c.do(ctx, token, call{op: op, method: http.MethodGet, path: []string{accountID, edge},
		query: url.Values{"fields": {fields}, "limit": {strconv.Itoa(limit)}}, idempotent: true}, &out)
	posts := make([]Post, 0, len(out.Data))
	for _, d := range out.Data {
		posts = append(posts, Post{ID: d.ID, Created: graphTime(cmp.Or(d.CreatedTime, d.Timestamp))})
	}
	return posts, rl, err
}

// LiveMedia lists the Instagram account's live broadcasts: GET
// /{ig-user-id}/live_media, which lists only media being broadcast at the
// time of the call. It is the one documented way to tell a live media:
// media_product_type names no live value (AD, FEED, STORY, REELS), and a
// live media can be read only while it is broadcast.
func (c *Client) LiveMedia(ctx context.Context, token, accountID string) ([]Post, RateLimit, error) {
	const op = "list_live_media"
	if err := checkIDs(op, accountID); err != nil {
		return nil, RateLimit{}, err
	}
	var out struct {
		Data []struct {
			ID        string `json:"id"`
			Timestamp string `json:"timestamp"`
		} `json:"data"`
	}
	rl, err := c.do(ctx, token, call{op: op, method: http.MethodGet, path: []string{accountID, "live_media"},
		query: url.Values{"fields": {"id,timestamp"}}, idempotent: true}, &out)
	posts := make([]Post, 0, len(out.Data))
	for _, d := range out.Data {
		posts = append(posts, Post{ID: d.ID, Created: graphTime(d.Timestamp), Live: true})
	}
	return posts, rl, err
}

// WithLive returns posts with the live broadcasts of live marked Live,
// and those posts does not list added after them.
func WithLive(posts, live []Post) []Post {
	out := slices.Clone(posts)
	for _, l := range live {
		if i := slices.IndexFunc(out, func(p Post) bool { return p.ID == l.ID }); i >= 0 {
			out[i].Live = true
		} else {
			out = append(out, l)
		}
	}
	return out
}

// CommentPage is one page of the comments of a post or media, newest
// first.
type CommentPage struct {
	// Comments holds the page's comments and, on Instagram, their
	// replies, each right after the comment it answers.
	Comments []Comment
	// After is the cursor of the next, older page; "" on the last one.
	After string
}

// Instagram comment fields; replies are read through the replies field of
// each top-level comment, since the media's comments edge lists only
// those.
const (
	igCommentFields = "id,text,timestamp,from{id,username},parent_id"
	igCommentQuery  = igCommentFields + ",replies{" + igCommentFields + "}"
)

// Comments reads one page of the comments of a post or media, newest
// first and replies included, after the cursor after ("" for the first
// page): GET /{post-id}/comments?filter=stream&order=reverse_chronological
// on Facebook (the edge is oldest first by default); on Instagram
// GET /{media-id}/comments, whose edge lists only top-level comments and
// documents no order parameter (it answers newest first), with
// replies{…} expanding each one's replies in the same call.
func (c *Client) Comments(ctx context.Context, token string, platform inbox.Platform, objectID, after string, limit int) (CommentPage, RateLimit, error) {
	const op = "list_comments"
	if err := checkIDs(op, objectID); err != nil {
		return CommentPage{}, RateLimit{}, err
	}
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if platform == inbox.PlatformInstagram {
		q.Set("fields", igCommentQuery)
	} else {
		q.Set("fields", "id,message,created_time,from{id,name},parent{id}")
		q.Set("filter", "stream")
		q.Set("order", "reverse_chronological")
	}
	if after != "" {
		// The cursor, not paging.next: Meta's next URL carries the access
		// token, which never goes into a URL here.
		q.Set("after", after)
	}
	var out struct {
		Data   []graphComment `json:"data"`
		Paging struct {
			Cursors struct {
				After string `json:"after"`
			} `json:"cursors"`
			Next string `json:"next"`
		} `json:"paging"`
	}
	rl, err := c.do(ctx, token, call{op: op, method: http.MethodGet, path: []string{objectID, "comments"},
		query: q, idempotent: true}, &out)
	page := CommentPage{Comments: make([]Comment, 0, len(out.Data))}
	for _, d := range out.Data {
		top := d.toComment("")
		page.Comments = append(page.Comments, top)
		if d.Replies != nil {
			for _, r := range d.Replies.Data {
				page.Comments = append(page.Comments, r.toComment(top.ID))
			}
		}
	}
	if out.Paging.Next != "" {
		page.After = out.Paging.Cursors.After
	}
	return page, rl, err
}

// graphComment is a comment in either platform's shape.
type graphComment struct {
	ID          string `json:"id"`
	Message     string `json:"message"`
	Text        string `json:"text"`
	CreatedTime string `json:"created_time"`
	Timestamp   string `json:"timestamp"`
	From        struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Username string `json:"username"`
	} `json:"from"`
	Parent *struct {
		ID string `json:"id"`
	} `json:"parent"`
	ParentID string `json:"parent_id"`
	// Replies is Instagram's replies field, asked for on top-level
	// comments.
	Replies *struct {
		Data []graphComment `json:"data"`
	} `json:"replies"`
}

// toComment returns d as a Comment; parentID, when set, is the comment d
// was listed under as a reply.
func (d graphComment) toComment(parentID string) Comment {
	c := Comment{ID: d.ID, Text: cmp.Or(d.Message, d.Text), FromID: d.From.ID, FromName: cmp.Or(d.From.Name, d.From.Username),
		ParentID: cmp.Or(parentID, d.ParentID), Created: graphTime(cmp.Or(d.CreatedTime, d.Timestamp))}
	if d.Parent != nil && parentID == "" {
		c.ParentID = d.Parent.ID
	}
	return c
}
