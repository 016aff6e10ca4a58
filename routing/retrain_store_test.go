package routing_test

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
	"inkorg/routing"
)

// An agent corrects the routing of a question and the citizen then thanks
// them: retraining learns the question the agent routed, not the thanks.
func TestRetrainFromLearnsCorrectedMessage(t *testing.T) {
	forEachStore(t, func(t *testing.T, s inbox.Store) {
		ctx := t.Context()
		targets, err := routing.BundledAdministrations()
		if err != nil {
			t.Fatal(err)
		}
		cfg := routing.DefaultConfig()
		cfg.Now = func() time.Time { return storetest.T0 }
		tr, err := routing.NewTriager(targets, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		hook := routing.Hook(tr, s, nil)
		send := func(mid, text string, at time.Time) inbox.Applied {
			t.Helper()
			e := storetest.Event("retrain-thread", mid, at)
			e.Text = text
			a, err := s.ApplyEvent(ctx, e)
			if err != nil {
				t.Fatalf("ApplyEvent: %v", err)
			}
			if err := hook(ctx, e, a); err != nil {
				t.Fatalf("hook: %v", err)
			}
			return a
		}
		question := "Klotter på skolgårdens mur vid Hvitfeldtska"
		a := send("q1", question, storetest.T0)
		storetest.Route(t, s, a.ConversationID, "stadsfastighet")
		send("q2", "Tack för snabbt svar, ni är bäst!", storetest.T0.Add(time.Hour))

		got, err := s.FindRoutingExamples(ctx, 10)
		if err != nil {
			t.Fatalf("FindRoutingExamples: %v", err)
		}
		if len(got) != 1 || got[0].Text != question || got[0].AdministrationID != "stadsfastighet" {
			t.Fatalf("got examples %+v, want the routed question %q", got, question)
		}
		if n, err := tr.RetrainFrom(ctx, s); err != nil || n != 1 {
			t.Fatalf("RetrainFrom: got %d, %v; want 1 correction", n, err)
		}
		r, err := tr.Triage(ctx, question, inbox.ChannelMessenger)
		if err != nil {
			t.Fatal(err)
		}
		if r.Administration != "stadsfastighet" {
			t.Errorf("after retraining: got %s, want stadsfastighet", r.Administration)
		}
	})
}
