package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// TestPathIDs: the staff UI reads a conversation id in the path as the API
// does, a plain positive decimal integer; another spelling of an existing
// id is not found, as a word is, and its forms change nothing.
func TestPathIDs(t *testing.T) {
	s := newSite(t)
	browser := s.signedIn(t, "anna")
	id := s.message(t, "psid_path_ids", time.Now().Add(-time.Hour))
	if code, _, _ := get(t, browser, fmt.Sprintf("%s/conversations/%d", s.url, id)); code != http.StatusOK {
		t.Fatalf("GET /conversations/%d: got %d, want 200", id, code)
	}
	_, _, token := get(t, browser, s.url+"/")
	for _, raw := range []string{"+%d", "0%d", "%%20%d", "x"} {
		if raw != "x" {
			raw = fmt.Sprintf(raw, id)
		}
		t.Run("Err"+raw, func(t *testing.T) {
			if code, _, _ := get(t, browser, s.url+"/conversations/"+raw); code != http.StatusNotFound {
				t.Errorf("GET /conversations/%s: got %d, want 404", raw, code)
			}
			if code, _ := post(t, browser, s.url+"/conversations/"+raw+"/tags", url.Values{"csrf": {token}, "add": {"fel-id"}}); code != http.StatusNotFound {
				t.Errorf("POST /conversations/%s/tags: got %d, want 404", raw, code)
			}
		})
	}
	if got := s.conv(t, id).Tags; len(got) != 0 {
		t.Errorf("got tags %v, want none: a misspelled id changed the conversation", got)
	}
}
