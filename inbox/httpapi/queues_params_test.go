package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
)

// TestQueuesParams checks that GET /queues applies the list's filters,
// declares each in openapi.json, and ignores the list's queue, order and
// paging as its description says.
func TestQueuesParams(t *testing.T) {
	s := newStaff(t)
	id := s.conversation(t, "")
	if _, err := inbox.NewService(s.store, nil).Tag(context.Background(), s.agent, id, []string{"x"}, nil); err != nil {
		t.Fatal(err)
	}
	s.conversation(t, "")
	count := func(query string) int {
		t.Helper()
		var q httpapi.QueueCounts
		if resp := s.get(t, "/api/v1/queues"+query, "Bearer "+s.tokens[s.agent.ID], &q); resp.StatusCode != http.StatusOK {
			t.Errorf("GET /queues%s: got status %d, want 200", query, resp.StatusCode)
		}
		return q.Counts[inbox.QueueUnassigned]
	}
	if all, tagged := count(""), count("?tag=x"); all != 2 || tagged != 1 {
		t.Errorf("unassigned: got %d in all, %d tagged x; want 2 and 1", all, tagged)
	}
	if got := count("?limit=abc&cursor=zzz&sort=nonsense&queue=mine"); got != 2 {
		t.Errorf("with queue, sort, cursor and limit: got %d unassigned, want them ignored (2)", got)
	}
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct{ Name string } `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, p := range doc.Paths["/queues"]["get"].Parameters {
		declared[p.Name] = true
	}
	for _, p := range doc.Paths["/conversations"]["get"].Parameters {
		ignored := p.Name == "queue" || p.Name == "sort" || p.Name == "cursor" || p.Name == "limit"
		if declared[p.Name] == ignored {
			t.Errorf("openapi.json GET /queues: parameter %q declared %v, want %v", p.Name, declared[p.Name], !ignored)
		}
	}
}
