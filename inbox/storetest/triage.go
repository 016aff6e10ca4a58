package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"inkorg/inbox"
)

func runTriage(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) { testSaveTriage(t, open(t)) })
	t.Run("OKAgain", func(t *testing.T) { testSaveTriageAgain(t, open(t)) })
	t.Run("ErrNotFound", func(t *testing.T) { testTriageNotFound(t, open(t)) })
	t.Run("RoutingExamples", func(t *testing.T) { testRoutingExamples(t, open(t)) })
	t.Run("Suggestions", func(t *testing.T) { testSaveTriageSuggestions(t, open(t)) })
	t.Run("WithMessage", func(t *testing.T) { testPretriage(t, open(t)) })
	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		a := apply(t, s, Event("t-inv", "m1", T0))
		wantCode(t, s.SaveTriage(ctx(t), a.ConversationID, &inbox.Triage{MessageID: a.MessageID}), inbox.EINVALID)
	})
}

// sampleTriage is a confident triage of message id.
func sampleTriage(id int64, admin string) *inbox.Triage {
	return &inbox.Triage{
		MessageID: id, Administration: admin, Confidence: 0.91,
		Alternatives: []inbox.Alternative{{Administration: "kultur", Confidence: 0.05}, {Administration: "social", Confidence: 0.02}},
		Language:     "sv", LanguageConfidence: 0.97, Tags: []string{"beröm"}, Priority: inbox.PriorityLow,
		Sensitive:       []inbox.SensitiveSpan{{Kind: inbox.SensitivePersonalIdentityNumber, Start: 3, End: 16}},
		Suggestions:     []inbox.LinkSuggestion{{URL: "https://goteborg.se/a", Title: "A", Score: 1.5}},
		HideRecommended: true, PrivateReply: "Hej!", TriagedAt: T0,
	}
}

func testSaveTriage(t *testing.T, s inbox.Store) {
	a := apply(t, s, Event("t-ok", "m1", T0))
	if err := s.SaveTriage(ctx(t), a.ConversationID, sampleTriage(a.MessageID, "idrott-forening")); err != nil {
		t.Fatalf("SaveTriage: %v", err)
	}
	c := conversation(t, s, a.ConversationID)
	if c.Triage == nil {
		t.Fatal("got no triage on the conversation, want one")
	}
	got := c.Triage
	if got.MessageID != a.MessageID || got.Administration != "idrott-forening" || got.Priority != inbox.PriorityLow ||
		len(got.Alternatives) != 2 || len(got.Sensitive) != 1 || got.Sensitive[0].End != 16 ||
		len(got.Suggestions) != 1 || !got.HideRecommended || got.Tags[0] != "beröm" {
		t.Errorf("got %+v, want the saved triage", got)
	}
	wantTime(t, "triaged_at", got.TriagedAt, T0)
	if c.AdministrationID != "" {
		t.Errorf("administration: got %q, want none (triage proposes, a person routes)", c.AdministrationID)
	}
	page, err := s.FindConversations(ctx(t), inbox.ConversationFilter{})
	if err != nil || len(page.Conversations) != 1 || page.Conversations[0].Triage == nil {
		t.Fatalf("FindConversations: got %v, %v; want one conversation with triage", page.Conversations, err)
	}
}

// testSaveTriageAgain saves twice for one message and once for a later one:
// the conversation shows the latest message's triage.
func testSaveTriageAgain(t *testing.T, s inbox.Store) {
	a1 := apply(t, s, Event("t-again", "m1", T0))
	for range 2 {
		if err := s.SaveTriage(ctx(t), a1.ConversationID, sampleTriage(a1.MessageID, "kultur")); err != nil {
			t.Fatalf("SaveTriage: %v", err)
		}
	}
	a2 := apply(t, s, Event("t-again", "m2", T0.Add(1)))
	if err := s.SaveTriage(ctx(t), a2.ConversationID, sampleTriage(a2.MessageID, "social")); err != nil {
		t.Fatalf("SaveTriage: %v", err)
	}
	got, err := s.FindTriage(ctx(t), a1.ConversationID)
	if err != nil {
		t.Fatalf("FindTriage: %v", err)
	}
	if got.MessageID != a2.MessageID || got.Administration != "social" {
		t.Errorf("got message %d %s, want %d social", got.MessageID, got.Administration, a2.MessageID)
	}
	// The conversation's facets (what lists filter on) follow the latest
	// message's triage; the older message triaged again leaves them.
	urgent := sampleTriage(a2.MessageID, "social")
	urgent.Priority = inbox.PriorityUrgent
	mustOK(t, s.SaveTriage(ctx(t), a2.ConversationID, urgent))
	mustOK(t, s.SaveTriage(ctx(t), a1.ConversationID, sampleTriage(a1.MessageID, "kultur")))
	for _, p := range []inbox.Priority{inbox.PriorityUrgent, inbox.PriorityLow} {
		page, err := s.FindConversations(ctx(t), inbox.ConversationFilter{ConversationQuery: inbox.ConversationQuery{Priority: []inbox.Priority{p}}})
		want := map[inbox.Priority]int{inbox.PriorityUrgent: 1, inbox.PriorityLow: 0}[p]
		if err != nil || len(page.Conversations) != want {
			t.Errorf("priority %s: got %d conversations, %v; want %d", p, len(page.Conversations), err, want)
		}
	}
}

func testTriageNotFound(t *testing.T, s inbox.Store) {
	a := apply(t, s, Event("t-nf", "m1", T0))
	b := apply(t, s, Event("t-nf-other", "m2", T0))
	_, err := s.FindTriage(ctx(t), a.ConversationID)
	wantCode(t, err, inbox.ENOTFOUND)
	wantCode(t, s.SaveTriage(ctx(t), a.ConversationID, sampleTriage(b.MessageID, "kultur")), inbox.ENOTFOUND)
	wantCode(t, s.SaveTriage(ctx(t), a.ConversationID, sampleTriage(a.MessageID+1000, "kultur")), inbox.ENOTFOUND)
}

// Route routes the conversation to administration as a person does, and
// fails the test when it cannot.
func Route(t *testing.T, s inbox.Store, convID int64, administration string) {
	t.Helper()
	c := conversation(t, s, convID)
	w := &inbox.Work{
		Update: &inbox.ConversationUpdate{ID: convID, Version: c.Version, AdministrationID: &administration},
		Audit:  &inbox.AuditEntry{Action: inbox.ActionRoute, ConversationID: convID},
	}
	if err := s.SaveWork(ctx(t), w); err != nil {
		t.Fatalf("SaveWork: %v", err)
	}
}

// testRoutingExamples routes four triaged conversations: one as triage
// proposed, one elsewhere, one that needed a human, and one not at all.
// Only the correction and the human's choice are examples.
func testRoutingExamples(t *testing.T, s inbox.Store) {
	triaged := func(thread string, admin string, needsHuman bool) inbox.Applied {
		a := apply(t, s, Event(thread, thread+"-m", T0))
		tr := sampleTriage(a.MessageID, admin)
		tr.NeedsHuman = needsHuman
		if err := s.SaveTriage(ctx(t), a.ConversationID, tr); err != nil {
			t.Fatalf("SaveTriage: %v", err)
		}
		return a
	}
	agreed := triaged("ex-agreed", "kultur", false)
	Route(t, s, agreed.ConversationID, "kultur")
	corrected := triaged("ex-corrected", "kultur", false)
	Route(t, s, corrected.ConversationID, "idrott-forening")
	human := triaged("ex-human", "social", true)
	Route(t, s, human.ConversationID, "social")
	triaged("ex-unrouted", "kultur", false)

	got, err := s.FindRoutingExamples(ctx(t), 10)
	if err != nil {
		t.Fatalf("FindRoutingExamples: %v", err)
	}
	want := []inbox.RoutingExample{
		{MessageID: human.MessageID, Text: Event("ex-human", "ex-human-m", T0).Text, AdministrationID: "social"},
		{MessageID: corrected.MessageID, Text: Event("ex-corrected", "ex-corrected-m", T0).Text, AdministrationID: "idrott-forening"},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if one, err := s.FindRoutingExamples(ctx(t), 1); err != nil || len(one) != 1 {
		t.Errorf("limit 1: got %d, %v; want 1", len(one), err)
	}
	_, err = s.FindRoutingExamples(ctx(t), 0)
	wantCode(t, err, inbox.EINVALID)
}

// testSaveTriageSuggestions: the links of a triage are stored only over
// the same triage (same time), never over a newer one; several are saved
// together, each as if alone.
func testSaveTriageSuggestions(t *testing.T, s inbox.Store) {
	a := apply(t, s, Event("t-sugg", "m1", T0))
	pending := sampleTriage(a.MessageID, "kultur")
	pending.Suggestions, pending.SuggestionsPending = []inbox.LinkSuggestion{}, true
	if err := s.SaveTriage(ctx(t), a.ConversationID, pending); err != nil {
		t.Fatal(err)
	}
	filled := *pending
	filled.Suggestions, filled.SuggestionsPending = []inbox.LinkSuggestion{{URL: "https://goteborg.se/b", Title: "B", Score: 2}}, false
	older := filled
	older.TriagedAt = T0.Add(-time.Second)
	if ok, err := s.SaveTriageSuggestions(ctx(t), []*inbox.Triage{&older}); err != nil || !slices.Equal(ok, []bool{false}) {
		t.Fatalf("links of an older triage: got %v, %v; want not stored", ok, err)
	}
	if got, _ := s.FindTriage(ctx(t), a.ConversationID); !got.SuggestionsPending || len(got.Suggestions) != 0 {
		t.Fatalf("after the older links: got %+v, want the pending triage untouched", got)
	}
	if ok, err := s.SaveTriageSuggestions(ctx(t), []*inbox.Triage{&filled}); err != nil || !slices.Equal(ok, []bool{true}) {
		t.Fatalf("links of the stored triage: got %v, %v; want stored", ok, err)
	}
	got, err := s.FindTriage(ctx(t), a.ConversationID)
	if err != nil || got.SuggestionsPending || len(got.Suggestions) != 1 || got.Suggestions[0].URL != "https://goteborg.se/b" || got.Administration != "kultur" {
		t.Errorf("got %+v, %v; want the triage with its link", got, err)
	}
	missing := filled
	missing.MessageID = 4711
	if ok, err := s.SaveTriageSuggestions(ctx(t), []*inbox.Triage{&missing}); err != nil || !slices.Equal(ok, []bool{false}) {
		t.Errorf("links of an unknown message: got %v, %v; want not stored", ok, err)
	}
	if ok, err := s.SaveTriageSuggestions(ctx(t), nil); err != nil || len(ok) != 0 {
		t.Errorf("no triages: got %v, %v; want nothing", ok, err)
	}

	// Together: two pending triages of other messages, between an older
	// triage of the second and an unknown message.
	var batch []*inbox.Triage
	var convs []int64
	for i, mid := range []string{"m2", "m3"} {
		a := apply(t, s, Event("t-sugg-"+mid, mid, T0))
		p := sampleTriage(a.MessageID, "kultur")
		p.Suggestions, p.SuggestionsPending = []inbox.LinkSuggestion{}, true
		if err := s.SaveTriage(ctx(t), a.ConversationID, p); err != nil {
			t.Fatal(err)
		}
		f := *p
		f.Suggestions, f.SuggestionsPending = []inbox.LinkSuggestion{{URL: fmt.Sprintf("https://goteborg.se/%d", i), Title: "L", Score: 1}}, false
		batch = append(batch, &f)
		convs = append(convs, a.ConversationID)
	}
	stale := *batch[1]
	stale.TriagedAt = T0.Add(-time.Minute)
	stale.Suggestions = []inbox.LinkSuggestion{{URL: "https://goteborg.se/stale", Title: "S", Score: 9}}
	batch = []*inbox.Triage{batch[0], &stale, batch[1], &missing}
	ok, err := s.SaveTriageSuggestions(ctx(t), batch)
	if err != nil || !slices.Equal(ok, []bool{true, false, true, false}) {
		t.Fatalf("four triages together: got %v, %v; want the two current ones stored", ok, err)
	}
	for i, conv := range convs {
		got, err := s.FindTriage(ctx(t), conv)
		if err != nil || got.SuggestionsPending || len(got.Suggestions) != 1 || got.Suggestions[0].URL != fmt.Sprintf("https://goteborg.se/%d", i) {
			t.Errorf("conversation %d: got %+v, %v; want its own link stored", i, got, err)
		}
	}
}

// testPretriage: a triage that comes with a new citizen's message
// (inbox.Event.Triage) is stored with the message, and the conversation's
// facets with it, whether the message starts the conversation or not. A
// redelivery, an outbound message and a triage the store refuses store
// none and say so, for the hooks to triage as before.
func testPretriage(t *testing.T, s inbox.Store) {
	countPriority := func(p inbox.Priority) int {
		t.Helper()
		page, err := s.FindConversations(ctx(t), inbox.ConversationFilter{ConversationQuery: inbox.ConversationQuery{Priority: []inbox.Priority{p}}})
		if err != nil {
			t.Fatalf("FindConversations: %v", err)
		}
		return len(page.Conversations)
	}
	wantTriage := func(convID, msgID int64, admin string) {
		t.Helper()
		got, err := s.FindTriage(ctx(t), convID)
		if err != nil || got.MessageID != msgID || got.Administration != admin {
			t.Fatalf("FindTriage: got %+v, %v; want message %d %s", got, err, msgID, admin)
		}
	}

	e1 := Event("t-pre", "m1", T0)
	e1.Triage = sampleTriage(0, "kultur")
	e1.Triage.Priority = inbox.PriorityUrgent
	a1 := apply(t, s, e1)
	if !a1.Created || !a1.NewConversation || !a1.Triaged {
		t.Fatalf("first message: got %+v, want a new conversation, triaged", a1)
	}
	if e1.Triage.MessageID != a1.MessageID {
		t.Errorf("triage names message %d, want %d", e1.Triage.MessageID, a1.MessageID)
	}
	wantTriage(a1.ConversationID, a1.MessageID, "kultur")
	if n := countPriority(inbox.PriorityUrgent); n != 1 {
		t.Errorf("urgent conversations: got %d, want 1 (the facets come with the new conversation)", n)
	}
	c := conversation(t, s, a1.ConversationID)
	if c.MessageCount != 1 || c.Status != inbox.StatusNew || c.Triage == nil || !c.Triage.HideRecommended {
		t.Errorf("conversation: got %d messages, status %s, triage %+v", c.MessageCount, c.Status, c.Triage)
	}

	e2 := Event("t-pre", "m2", T0.Add(time.Minute))
	e2.Triage = sampleTriage(0, "social")
	a2 := apply(t, s, e2)
	if !a2.Created || a2.NewConversation || !a2.Triaged || a2.ConversationID != a1.ConversationID {
		t.Fatalf("second message: got %+v, want it triaged in conversation %d", a2, a1.ConversationID)
	}
	wantTriage(a1.ConversationID, a2.MessageID, "social")
	if u, l := countPriority(inbox.PriorityUrgent), countPriority(inbox.PriorityLow); u != 0 || l != 1 {
		t.Errorf("urgent, low conversations: got %d, %d; want 0, 1 (the latest message's facets)", u, l)
	}
	if c := conversation(t, s, a1.ConversationID); c.MessageCount != 2 {
		t.Errorf("message count: got %d, want 2", c.MessageCount)
	}

	again := Event("t-pre", "m2", T0.Add(time.Minute))
	again.Triage = sampleTriage(0, "kultur")
	if a := apply(t, s, again); a.Created || a.Triaged || a.MessageID != a2.MessageID {
		t.Errorf("redelivery: got %+v, want message %d, not created, not triaged", a, a2.MessageID)
	}
	wantTriage(a1.ConversationID, a2.MessageID, "social")

	out := Reply("t-pre", "r1", T0.Add(2*time.Minute))
	out.Triage = sampleTriage(0, "kultur")
	if a := apply(t, s, out); !a.Created || a.Triaged {
		t.Errorf("outbound: got %+v, want created, not triaged", a)
	}
	wantTriage(a1.ConversationID, a2.MessageID, "social")

	bad := Event("t-pre-bad", "m3", T0)
	bad.Triage = &inbox.Triage{Language: "sv"}
	a := apply(t, s, bad)
	if !a.Created || a.Triaged {
		t.Errorf("refused triage: got %+v, want the message created, not triaged", a)
	}
	_, err := s.FindTriage(ctx(t), a.ConversationID)
	wantCode(t, err, inbox.ENOTFOUND)
}
