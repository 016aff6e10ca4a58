package graph

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"inkorg/inbox"
)

// Post is a recent post (Facebook) or media (Instagram) of an account.
type Post struct {
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
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

// Comments lists the comments of a post or media, replies included:
// GET /{object-id}/comments.
func (c *Client) Comments(ctx context.Context, token string, platform inbox.Platform, objectID string, limit int) ([]Comment, RateLimit, error) {
	const op = "list_comments"
	if err := checkIDs(op, objectID); err != nil {
		return nil, RateLimit{}, err
	}
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if platform == inbox.PlatformInstagram {
		q.Set("fields", "id,text,timestamp,from{id,username},parent_id")
	} else {
		q.Set("fields", "id,message,created_time,from{id,name},parent{id}")
		q.Set("filter", "stream")
	}
	var out struct {
		Data []struct {
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
		} `json:"data"`
	}
	rl, err := c.do(ctx, token, call{op: op, method: http.MethodGet, path: []string{objectID, "comments"},
		query: q, idempotent: true}, &out)
	comments := make([]Comment, 0, len(out.Data))
	for _, d := range out.Data {
		cm := Comment{ID: d.ID, Text: cmp.Or(d.Message, d.Text), FromID: d.From.ID, FromName: cmp.Or(d.From.Name, d.From.Username),
			ParentID: d.ParentID, Created: graphTime(cmp.Or(d.CreatedTime, d.Timestamp))}
		if d.Parent != nil {
			cm.ParentID = d.Parent.ID
		}
		comments = append(comments, cm)
	}
	return comments, rl, err
}
