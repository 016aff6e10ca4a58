package graph

import "strings"

// SetPost makes the sandbox answer GET /{post-id} for post p of account
// accountID, in the Facebook shape (message, permalink_url, created_time)
// for a Facebook account and the Instagram shape (caption, permalink,
// media_product_type, timestamp) when instagram is true.
func (s *Sandbox) SetPost(accountID string, instagram bool, p PostContent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := p
	c.RateLimit = RateLimit{}
	if instagram && c.MediaType == "" {
		c.MediaType = "FEED"
	}
	if !instagram {
		c.MediaType = ""
	}
	for _, sp := range s.posts {
		if sp.id == p.ID {
			sp.content, sp.instagram = &c, instagram
			return
		}
	}
	s.posts = append(s.posts, &sandboxPost{account: accountID, id: p.ID, created: p.Created, content: &c, instagram: instagram})
}

// object answers GET /{id}?fields=…: a post SetPost described, else a
// profile.
func (s *Sandbox) object(id string, params map[string]any) answer {
	s.mu.Lock()
	var post *sandboxPost
	for _, p := range s.posts {
		if p.id == id && p.content != nil {
			post = p
		}
	}
	s.mu.Unlock()
	if post == nil {
		if a, isPage := s.page(id, params); isPage {
			return a
		}
		return s.profile(id, params)
	}
	return ok(post.fields(params), "")
}

// fields is the post in its platform's shape, limited to the requested
// fields as Graph does (id always).
func (p *sandboxPost) fields(params map[string]any) map[string]string {
	c := p.content
	at := ""
	if !c.Created.IsZero() {
		at = c.Created.UTC().Format("2006-01-02T15:04:05-0700")
	}
	all := map[string]string{"message": c.Text, "permalink_url": c.Permalink, "created_time": at}
	if p.instagram {
		all = map[string]string{"caption": c.Text, "permalink": c.Permalink, "media_product_type": c.MediaType, "timestamp": at}
	}
	out := map[string]string{"id": p.id}
	fields, _ := params["fields"].(string)
	for f := range strings.SplitSeq(fields, ",") {
		if v := all[strings.TrimSpace(f)]; v != "" {
			out[strings.TrimSpace(f)] = v
		}
	}
	return out
}
