package main

import (
	"testing"
	"time"

	"inkorg/inbox"
)

// A message reparsed from a delivery is triaged as the ingest worker
// triages it: the stored routing rules come before the classifier.
func TestDeliveriesReparseUsesStoredRules(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
	store := openTestStore(t, env)
	rule := &inbox.Rule{Name: "Grovsopor till kultur", Enabled: true, Match: inbox.MatchWords, Pattern: "grovsopor",
		Administration: "kultur"}
	if err := store.CreateRule(t.Context(), 0, rule); err != nil {
		t.Fatalf("CreateRule: %v", err)
	}
	body := `{"object":"page","entry":[{"id":"104729385720000","time":1700000000000,"messaging":[{"sender":{"id":"777"},"recipient":{"id":"104729385720000"},"timestamp":1700000000123,"message":{"mid":"m_1","text":"Hej! Var lämnar jag grovsopor?"}}]}]}`
	d := &inbox.RawDelivery{Body: []byte(body), ReceivedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	if _, err := store.SaveRawDelivery(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	if code, out := runCmd(t, env, "", "deliveries", "reparse", "--since", "2026-11-20"); code != exitOK {
		t.Fatalf("reparse: got exit %d, %q; want 0", code, out)
	}
	page, err := store.FindConversations(t.Context(), inbox.ConversationFilter{})
	if err != nil || len(page.Conversations) != 1 {
		t.Fatalf("conversations: got %d (error %v), want 1", len(page.Conversations), err)
	}
	tr, err := store.FindTriage(t.Context(), page.Conversations[0].ID)
	if err != nil {
		t.Fatalf("FindTriage: %v", err)
	}
	if tr.Administration != "kultur" || tr.Rule == nil || tr.Rule.ID != rule.ID {
		t.Errorf("got triage to %s by rule %+v, want kultur by rule %d", tr.Administration, tr.Rule, rule.ID)
	}
}
