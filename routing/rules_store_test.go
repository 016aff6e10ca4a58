package routing_test

import (
	"testing"

	"inkorg/inbox"
	"inkorg/routing"
)

// TestRefreshRules: a rule an admin stores applies to the next message
// once the triager refreshes, without a new triager; a deleted one stops.
func TestRefreshRules(t *testing.T) {
	s := newHookScene(t)
	admin := &inbox.User{Name: "ada", Role: inbox.RoleAdmin}
	if err := s.store.CreateUser(t.Context(), admin); err != nil {
		t.Fatal(err)
	}
	rules := &inbox.Rules{Store: s.store}
	msg := routing.Message{Text: "Det luktar gas i trapphuset på Vasagatan", Channel: inbox.ChannelMessenger}
	r, err := rules.Create(t.Context(), admin, &inbox.Rule{Name: "Gas", Enabled: true, Match: inbox.MatchWords,
		Pattern: "gas, gasläcka", Administration: "storningsjouren", Priority: inbox.PriorityUrgent})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.tr.RefreshRules(t.Context(), s.store); err != nil {
		t.Fatal(err)
	}
	got, err := s.tr.TriageMessage(t.Context(), msg)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rule == nil || got.Rule.ID != r.ID || got.Administration != "storningsjouren" || got.Priority != inbox.PriorityUrgent {
		t.Fatalf("got %s %s by rule %+v, want storningsjouren, urgent, by rule %d", got.Administration, got.Priority, got.Rule, r.ID)
	}
	if err := rules.Delete(t.Context(), admin, r.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.tr.RefreshRules(t.Context(), s.store); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.tr.TriageMessage(t.Context(), msg); got.Rule != nil {
		t.Errorf("after delete: got rule %+v, want none", got.Rule)
	}
}
