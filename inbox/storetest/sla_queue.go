package storetest

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"inkorg/inbox"
)

func runSLAQueue(t *testing.T, open opener) {
	t.Run("OKAtRiskQueue", func(t *testing.T) { testAtRiskQueue(t, open(t)) })
	t.Run("OKCountSLAStates", func(t *testing.T) { testCountSLAStates(t, open(t)) })
}

// slaScene holds conversations whose SLA clocks stand differently at
// slaNow.
type slaScene struct {
	agent *inbox.User
	// atRisk and breached run past their at-risk and due times; ok runs
	// in time; paused and stopped are breached but do not run; resolved
	// and snoozed run breached but are resolved or snoozed; routed runs
	// breached and is with the administration "social"; none has no
	// policy.
	atRisk, breached, ok, paused, stopped, resolved, snoozed, routed, none int64
}

// slaNow is when the scene's clocks are judged.
var slaNow = T0.Add(10 * time.Hour)

func seedSLAScene(t *testing.T, s inbox.Store) slaScene {
	t.Helper()
	sc := slaScene{agent: &inbox.User{Name: "anna", Role: inbox.RoleAgent}}
	createUser(t, s, sc.agent)
	n := 0
	newConv := func() int64 {
		n++
		return apply(t, s, Event(fmt.Sprintf("psid_sla_%d", n), mid("sla", n), T0.Add(time.Duration(n)*time.Minute))).ConversationID
	}
	before, after := slaNow.Add(-time.Hour), slaNow.Add(time.Hour)
	metrics := func(id int64, sla *inbox.SLAStatus) {
		c := conversation(t, s, id)
		m := &inbox.ConversationMetrics{ConversationID: id, Channel: c.Channel, Status: c.Status, FirstMessageAt: c.FirstMessageAt,
			SLA: sla, SourceUpdatedAt: c.UpdatedAt}
		mustOK(t, s.SaveMetrics(ctx(t), []*inbox.ConversationMetrics{m}))
	}
	running := func(atRisk, due time.Time) *inbox.SLAStatus {
		return &inbox.SLAStatus{Policy: "private_messages", DueAt: due, AtRiskAt: &atRisk, State: inbox.SLAOK, Running: true}
	}
	update := func(id int64, u inbox.ConversationUpdate) {
		c := conversation(t, s, id)
		u.ID, u.Version = id, c.Version
		mustOK(t, s.SaveWork(ctx(t), &inbox.Work{Update: &u, Audit: audit(sc.agent, id)}))
	}
	sc.atRisk = newConv()
	metrics(sc.atRisk, running(before, after))
	sc.breached = newConv()
	metrics(sc.breached, running(before.Add(-time.Hour), before))
	sc.ok = newConv()
	metrics(sc.ok, running(after, after.Add(time.Hour)))
	sc.paused = newConv()
	metrics(sc.paused, &inbox.SLAStatus{Policy: "private_messages", DueAt: before, State: inbox.SLABreached, Paused: true})
	sc.stopped = newConv()
	metrics(sc.stopped, &inbox.SLAStatus{Policy: "private_messages", DueAt: before, State: inbox.SLABreached})
	sc.resolved = newConv()
	metrics(sc.resolved, running(before.Add(-time.Hour), before))
	update(sc.resolved, inbox.ConversationUpdate{Status: statusPtr(inbox.StatusResolved)})
	sc.snoozed = newConv()
	metrics(sc.snoozed, running(before.Add(-time.Hour), before))
	later := slaNow.Add(24 * time.Hour)
	update(sc.snoozed, inbox.ConversationUpdate{SetSnooze: true, SnoozedUntil: &later})
	sc.routed = newConv()
	metrics(sc.routed, running(before.Add(-time.Hour), before))
	update(sc.routed, inbox.ConversationUpdate{AdministrationID: ptrTo("social"), Status: statusPtr(inbox.StatusRouted)})
	sc.none = newConv()
	metrics(sc.none, nil)
	return sc
}

func testAtRiskQueue(t *testing.T, s inbox.Store) {
	sc := seedSLAScene(t, s)
	q := inbox.ConversationQuery{ViewerID: sc.agent.ID, Now: slaNow, Queue: inbox.QueueAtRisk}
	page, err := s.FindConversations(ctx(t), inbox.ConversationFilter{ConversationQuery: q})
	want := []int64{sc.routed, sc.breached, sc.atRisk} // newest first
	if err != nil || !slices.Equal(conversationIDs(page.Conversations), want) {
		t.Fatalf("at-risk queue: got %v, %v; want %v", conversationIDs(page.Conversations), err, want)
	}
	counts, err := s.CountQueues(ctx(t), inbox.ConversationFilter{ConversationQuery: inbox.ConversationQuery{ViewerID: sc.agent.ID, Now: slaNow}})
	if err != nil || counts[inbox.QueueAtRisk] != len(want) {
		t.Errorf("count of at_risk: got %d, %v; want %d", counts[inbox.QueueAtRisk], err, len(want))
	}
	scoped := inbox.ConversationFilter{ConversationQuery: q, AdministrationID: []string{"social"}}
	if counts, err = s.CountQueues(ctx(t), scoped); err != nil || counts[inbox.QueueAtRisk] != 1 {
		t.Errorf("count of at_risk for social: got %d, %v; want 1", counts[inbox.QueueAtRisk], err)
	}
	// Before the at-risk time nothing is at risk yet, except what was
	// already due before.
	early := q
	early.Now = T0
	page, err = s.FindConversations(ctx(t), inbox.ConversationFilter{ConversationQuery: early})
	if err != nil || len(page.Conversations) != 0 {
		t.Errorf("at-risk queue at T0: got %v, %v; want none", conversationIDs(page.Conversations), err)
	}
}

func testCountSLAStates(t *testing.T, s inbox.Store) {
	seedSLAScene(t, s)
	f := inbox.ConversationFilter{ConversationQuery: inbox.ConversationQuery{Now: slaNow}}
	got, err := s.CountSLAStates(ctx(t), f)
	// Snoozed conversations are still open and their clocks run.
	want := inbox.SLAStateCounts{inbox.SLAOK: 1, inbox.SLAAtRisk: 1, inbox.SLABreached: 3}
	if err != nil || !maps.Equal(got, want) {
		t.Errorf("got %v, %v; want %v", got, err, want)
	}
	f.AdministrationID = []string{"social"}
	want = inbox.SLAStateCounts{inbox.SLAOK: 0, inbox.SLAAtRisk: 0, inbox.SLABreached: 1}
	if got, err = s.CountSLAStates(ctx(t), f); err != nil || !maps.Equal(got, want) {
		t.Errorf("for social: got %v, %v; want %v", got, err, want)
	}
	f = inbox.ConversationFilter{ConversationQuery: inbox.ConversationQuery{Sort: "random"}}
	_, err = s.CountSLAStates(ctx(t), f)
	wantCode(t, err, inbox.EINVALID)
}
