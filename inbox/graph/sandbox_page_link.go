package graph

import (
	"net/http"
	"strings"
)

// LinkInstagram makes the sandbox treat the Instagram account
// instagramID as linked to the Page pageID (Facebook Login): the Page
// names it in instagram_business_account, and the Page's conversations
// with platform=instagram are the Instagram account's. A Page access
// token is the sandbox's SandboxPageID, so link that Page to have GET /me
// name the account.
func (s *Sandbox) LinkInstagram(pageID, instagramID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.igLinks == nil {
		s.igLinks = map[string]string{}
	}
	s.igLinks[pageID] = instagramID
}

// me answers GET /me, the Page every token belongs to in the sandbox.
func (s *Sandbox) me(params map[string]any) answer {
	if a, _ := s.page(SandboxPageID, params); a.status != 0 {
		return a
	}
	return ok(map[string]string{"id": SandboxPageID, "name": "Sandbox Page"}, "")
}

// page answers GET /{page-id}?fields=… for a Page linked to an Instagram
// account, with name and instagram_business_account when asked; it
// reports false for any other id.
func (s *Sandbox) page(id string, params map[string]any) (answer, bool) {
	s.mu.Lock()
	ig, linked := s.igLinks[id]
	s.mu.Unlock()
	if !linked {
		return answer{}, false
	}
	out := map[string]any{"id": id}
	fields, _ := params["fields"].(string)
	for f := range strings.SplitSeq(fields, ",") {
		switch strings.TrimSpace(f) {
		case "name":
			out["name"] = "Sandbox Page"
		case "instagram_business_account":
			out["instagram_business_account"] = map[string]string{"id": ig}
		}
	}
	return answer{status: http.StatusOK, body: out}, true
}
