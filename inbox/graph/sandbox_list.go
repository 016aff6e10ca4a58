package graph

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// sandboxPost is a post the sandbox lists, with its comments and, once
// SetPost described it, its content.
type sandboxPost struct {
	account  string
	id       string
	created  time.Time
	comments []Comment
	content  *PostContent
	// instagram answers in the media shape rather than the post shape.
	instagram bool
	// live lists the media on GET /{account}/live_media too, as a live
	// broadcast (see SetLive).
	live bool
}

// AddComment makes the sandbox list comment c under post postID of
// account accountID, as if a citizen had written it (whether or not a
// webhook told inkorg).
func (s *Sandbox) AddComment(accountID, postID string, postCreated time.Time, c Comment) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.posts {
		if p.id == postID {
			p.comments = append(p.comments, c)
			return
		}
	}
	s.posts = append(s.posts, &sandboxPost{account: accountID, id: postID, created: postCreated, comments: []Comment{c}})
}

// SetLive makes a post AddComment created a live broadcast, listed by
// GET /{account}/live_media as well as by the media edge, or ends its
// broadcast.
func (s *Sandbox) SetLive(postID string, live bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.posts {
		if p.id == postID {
			p.live = live
		}
	}
}

// listPosts answers GET /{account}/feed, /{account}/media and
// /{account}/live_media (the live broadcasts only), newest first.
func (s *Sandbox) listPosts(account, edge string) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	data := []map[string]string{}
	for i := len(s.posts) - 1; i >= 0; i-- {
		p := s.posts[i]
		if p.account != account || edge == "live_media" && !p.live {
			continue
		}
		key := "created_time"
		if edge != "feed" {
			key = "timestamp"
		}
		data = append(data, map[string]string{"id": p.id, key: p.created.UTC().Format(time.RFC3339)})
	}
	return answer{status: http.StatusOK, body: map[string]any{"data": data}}
}

// defaultCommentsLimit is how many comments Graph returns per page
// without a limit.
const defaultCommentsLimit = 25

// listComments answers GET /{post}/comments in both platforms' shapes,
// a page of limit at a time after the cursor after. Asked for the replies
// field, it answers as Instagram's media edge does: top-level comments
// only, newest first, each with its replies. Otherwise it answers as
// Facebook's stream: every comment, oldest first unless
// order=reverse_chronological.
func (s *Sandbox) listComments(post string, params map[string]any) answer {
	fields, _ := params["fields"].(string)
	instagram := strings.Contains(fields, "replies{")
	newestFirst := instagram || params["order"] == "reverse_chronological"
	limit := defaultCommentsLimit
	if l, ok := params["limit"].(string); ok {
		if n, err := strconv.Atoi(l); err == nil && n > 0 {
			limit = n
		}
	}
	start := 0
	if a, ok := params["after"].(string); ok {
		start, _ = strconv.Atoi(a)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []Comment
	for _, p := range s.posts {
		if p.id == post {
			all = append(all, p.comments...)
		}
	}
	slices.SortStableFunc(all, func(a, b Comment) int { return a.Created.Compare(b.Created) })
	listed := all
	if instagram {
		listed = slices.DeleteFunc(slices.Clone(all), func(c Comment) bool { return c.ParentID != "" })
	}
	if newestFirst {
		slices.Reverse(listed)
	}
	start = min(max(start, 0), len(listed))
	end := min(start+limit, len(listed))
	data := []map[string]any{}
	for _, c := range listed[start:end] {
		item := sandboxComment(c)
		if instagram {
			replies := []map[string]any{}
			for _, r := range all {
				if r.ParentID == c.ID {
					replies = append(replies, sandboxComment(r))
				}
			}
			item["replies"] = map[string]any{"data": replies}
		}
		data = append(data, item)
	}
	body := map[string]any{"data": data}
	if end < len(listed) {
		cursor := strconv.Itoa(end)
		body["paging"] = map[string]any{"cursors": map[string]string{"after": cursor},
			"next": "https://graph.facebook.com/" + post + "/comments?after=" + cursor}
	}
	return answer{status: http.StatusOK, body: body}
}

// sandboxComment is c in both platforms' comment shapes at once.
func sandboxComment(c Comment) map[string]any {
	at := c.Created.UTC().Format(time.RFC3339)
	item := map[string]any{"id": c.ID, "message": c.Text, "text": c.Text, "created_time": at, "timestamp": at,
		"from": map[string]string{"id": c.FromID, "name": c.FromName, "username": c.FromName}}
	if c.ParentID != "" {
		item["parent"], item["parent_id"] = map[string]string{"id": c.ParentID}, c.ParentID
	}
	return item
}
