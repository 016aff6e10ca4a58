package graph

import (
	"net/http"
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

// listPosts answers GET /{account}/feed and /{account}/media, newest
// first.
func (s *Sandbox) listPosts(account, edge string) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	data := []map[string]string{}
	for i := len(s.posts) - 1; i >= 0; i-- {
		p := s.posts[i]
		if p.account != account {
			continue
		}
		key := "created_time"
		if edge == "media" {
			key = "timestamp"
		}
		data = append(data, map[string]string{"id": p.id, key: p.created.UTC().Format(time.RFC3339)})
	}
	return answer{status: http.StatusOK, body: map[string]any{"data": data}}
}

// listComments answers GET /{post}/comments in both platforms' shapes.
func (s *Sandbox) listComments(post string) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	data := []map[string]any{}
	for _, p := range s.posts {
		if p.id != post {
			continue
		}
		for _, c := range p.comments {
			at := c.Created.UTC().Format(time.RFC3339)
			item := map[string]any{"id": c.ID, "message": c.Text, "text": c.Text, "created_time": at, "timestamp": at,
				"from": map[string]string{"id": c.FromID, "name": c.FromName, "username": c.FromName}}
			if c.ParentID != "" {
				item["parent"], item["parent_id"] = map[string]string{"id": c.ParentID}, c.ParentID
			}
			data = append(data, item)
		}
	}
	return answer{status: http.StatusOK, body: map[string]any{"data": data}}
}
