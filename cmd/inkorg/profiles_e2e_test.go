package main

import (
	"net/http"
	"strings"
	"testing"

	"inkorg/inbox/httpapi"
)

// TestProfileFetchEndToEnd runs the demo and waits until its Messenger
// contacts, whose webhooks carry only an id, have the names the sandbox
// gives out; the sender Meta has no profile for stays without one.
func TestProfileFetchEndToEnd(t *testing.T) {
	in := startInkorg(t, baseEnv(t), "--demo")
	waitFor(t, func() bool { return strings.Contains(in.stdout.String(), "demo: replayed") })
	want := map[string]string{"6660001": "Birgitta Holm", "6660002": "Mohammed Al-Sayed", "6660003": "Jonas Weber", "6660004": ""}
	names := map[string]string{}
	waitFor(t, func() bool {
		var list httpapi.ConversationList
		if code := in.getJSON("/api/v1/conversations?limit=100", &list); code != http.StatusOK {
			t.Fatalf("GET /api/v1/conversations: got status %d, want 200", code)
		}
		for _, c := range list.Conversations {
			if c.Contact != nil {
				names[c.Contact.ExternalID] = c.Contact.Name
			}
		}
		for id := range want {
			if _, listed := names[id]; !listed {
				return false // not ingested yet
			}
		}
		return names["6660001"] != "" && names["6660002"] != "" && names["6660003"] != ""
	})
	// Comment authors are named by their webhooks and never looked up.
	// (Which commenter a thread lists depends on the order ingest saw the
	// comment and its reply, so any of them.)
	for id, name := range names {
		if strings.HasPrefix(id, "555") && name == "" {
			t.Errorf("comment author %s lost the name the webhook gave", id)
		}
	}
	for id, want := range want {
		if got, ok := names[id]; !ok || got != want {
			t.Errorf("contact %s: got name %q (listed %t), want %q", id, got, ok, want)
		}
	}
}
