package storetest

import (
	"slices"
	"testing"
	"time"

	"inkorg/inbox"
)

func runConversationFilters(t *testing.T, open opener) {
	t.Run("OKFilters", func(t *testing.T) { testConversationFilters(t, open(t)) })
	t.Run("OKOldestWaiting", func(t *testing.T) { testOldestWaiting(t, open(t)) })
	t.Run("OKQueues", func(t *testing.T) { testQueues(t, open(t)) })
	t.Run("OKMemberships", func(t *testing.T) { testMemberships(t, open(t)) })
	t.Run("OKTextSkipsDeleted", func(t *testing.T) { testTextSkipsDeleted(t, open(t)) })
	t.Run("OKResolvedWaitsNoMore", func(t *testing.T) { testResolvedWaitsNoMore(t, open(t)) })
	t.Run("ErrFilter", func(t *testing.T) {
		s := open(t)
		for _, f := range []inbox.ConversationFilter{
			{ConversationQuery: inbox.ConversationQuery{Queue: "later"}},
			{ConversationQuery: inbox.ConversationQuery{Sort: "random"}},
			{ConversationQuery: inbox.ConversationQuery{Queue: inbox.QueueMine}},
			{ConversationQuery: inbox.ConversationQuery{Priority: []inbox.Priority{"asap"}}},
			{ConversationQuery: inbox.ConversationQuery{Since: T0, Until: T0}},
		} {
			_, err := s.FindConversations(ctx(t), f)
			wantCode(t, err, inbox.EINVALID)
		}
	})
}

// filterScene holds four conversations that differ in every filtered field.
type filterScene struct {
	agent                  *inbox.User
	plain, urgent, fi, tag int64
}

func seedFilterScene(t *testing.T, s inbox.Store) filterScene {
	t.Helper()
	sc := filterScene{agent: &inbox.User{Name: "anna", Role: inbox.RoleAgent}}
	createUser(t, s, sc.agent)
	sc.plain = apply(t, s, Event("psid_plain", "m_plain", T0)).ConversationID
	u := apply(t, s, Event("psid_urgent", "m_urgent", T0.Add(time.Hour)))
	sc.urgent = u.ConversationID
	triage := sampleTriage(u.MessageID, "social")
	triage.Priority, triage.NeedsHuman, triage.Tags = inbox.PriorityUrgent, true, []string{"kris_storm"}
	mustOK(t, s.SaveTriage(ctx(t), sc.urgent, triage))
	e := Event("psid_fi", "m_fi", T0.Add(2*time.Hour))
	e.Text = "Missä on uimahalli? 100% varma_tieto"
	f := apply(t, s, e)
	sc.fi = f.ConversationID
	triage = sampleTriage(f.MessageID, "kultur")
	triage.Language, triage.Sensitive, triage.Tags = "fi", nil, nil
	mustOK(t, s.SaveTriage(ctx(t), sc.fi, triage))
	sc.tag = apply(t, s, Event("psid_tag", "m_tag", T0.Add(3*time.Hour))).ConversationID
	c := conversation(t, s, sc.tag)
	tags := []string{"badhus"}
	mustOK(t, s.SaveWork(ctx(t), &inbox.Work{
		Update: &inbox.ConversationUpdate{ID: sc.tag, Version: c.Version, Tags: &tags, AssigneeID: &sc.agent.ID,
			AdministrationID: ptrTo("idrott-och-forening"), Status: statusPtr(inbox.StatusRouted)},
		Audit: audit(sc.agent, sc.tag),
	}))
	return sc
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testConversationFilters(t *testing.T, s inbox.Store) {
	sc := seedFilterScene(t, s)
	yes, no := true, false
	for _, tc := range []struct {
		name string
		q    inbox.ConversationQuery
		want []int64 // newest first
	}{
		{"All", inbox.ConversationQuery{}, []int64{sc.tag, sc.fi, sc.urgent, sc.plain}},
		{"Language", inbox.ConversationQuery{Language: []string{"fi"}}, []int64{sc.fi}},
		{"Priority", inbox.ConversationQuery{Priority: []inbox.Priority{inbox.PriorityUrgent}}, []int64{sc.urgent}},
		{"Sensitive", inbox.ConversationQuery{Sensitive: &yes}, []int64{sc.urgent}},
		{"NotSensitive", inbox.ConversationQuery{Sensitive: &no}, []int64{sc.tag, sc.fi, sc.plain}},
		{"NeedsHuman", inbox.ConversationQuery{NeedsHuman: &yes}, []int64{sc.urgent}},
		{"StaffTag", inbox.ConversationQuery{Tag: []string{"badhus"}}, []int64{sc.tag}},
		{"TriageTag", inbox.ConversationQuery{Tag: []string{"kris_storm"}}, []int64{sc.urgent}},
		{"TagIsWhole", inbox.ConversationQuery{Tag: []string{"kris"}}, nil},
		{"Assignee", inbox.ConversationQuery{AssigneeID: []int64{sc.agent.ID}}, []int64{sc.tag}},
		{"Unassigned", inbox.ConversationQuery{Unassigned: true}, []int64{sc.fi, sc.urgent, sc.plain}},
		{"Text", inbox.ConversationQuery{Text: "UIMAHALLI"}, []int64{sc.fi}},
		{"TextWildcardsLiteral", inbox.ConversationQuery{Text: "100% varma_"}, []int64{sc.fi}},
		{"TextNoMatch", inbox.ConversationQuery{Text: "100_"}, nil},
		{"TextSwedishLettersFolded", inbox.ConversationQuery{Text: "NÄR ÖPPNAR"}, []int64{sc.tag, sc.urgent, sc.plain}},
		{"TextSwedishLettersDistinct", inbox.ConversationQuery{Text: "nar oppnar"}, nil},
		{"TextUnderscoreLiteral", inbox.ConversationQuery{Text: "a_tieto"}, []int64{sc.fi}},
		{"TextBackslashLiteral", inbox.ConversationQuery{Text: `varma\_`}, nil},
		{"DateRange", inbox.ConversationQuery{Since: T0.Add(time.Hour), Until: T0.Add(3 * time.Hour)}, []int64{sc.fi, sc.urgent}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := s.FindConversations(ctx(t), inbox.ConversationFilter{ConversationQuery: tc.q})
			if err != nil {
				t.Fatal(err)
			}
			if got := conversationIDs(page.Conversations); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	page, err := s.FindConversations(ctx(t), inbox.ConversationFilter{AdministrationID: []string{"idrott-och-forening"}})
	if err != nil || !slices.Equal(conversationIDs(page.Conversations), []int64{sc.tag}) {
		t.Errorf("administration: got %v, %v; want [%d]", conversationIDs(page.Conversations), err, sc.tag)
	}
}

// testOldestWaiting pages through conversations oldest waiting first: a
// conversation answered after its citizen wrote waits no more and comes
// last, and a citizen writing again waits from that message.
func testOldestWaiting(t *testing.T, s inbox.Store) {
	a := apply(t, s, Event("psid_a", "m_a1", T0.Add(3*time.Hour))).ConversationID
	b := apply(t, s, Event("psid_b", "m_b1", T0)).ConversationID
	apply(t, s, Reply("psid_b", "m_b2", T0.Add(time.Hour)))
	apply(t, s, Event("psid_b", "m_b3", T0.Add(2*time.Hour)))
	c := apply(t, s, Event("psid_c", "m_c1", T0.Add(time.Minute))).ConversationID
	d := apply(t, s, Event("psid_d", "m_d1", T0.Add(30*time.Minute))).ConversationID
	apply(t, s, Reply("psid_d", "m_d2", T0.Add(4*time.Hour)))
	e := apply(t, s, Event("psid_e", "m_e1", T0.Add(4*time.Hour))).ConversationID
	apply(t, s, Reply("psid_e", "m_e2", T0.Add(5*time.Hour)))

	if got := conversation(t, s, b).WaitingSince; got == nil || !got.Equal(T0.Add(2*time.Hour)) {
		t.Errorf("waiting_since of b: got %v, want %s", got, T0.Add(2*time.Hour))
	}
	if got := conversation(t, s, d).WaitingSince; got != nil {
		t.Errorf("waiting_since of d: got %v, want nil (answered)", got)
	}
	want := []int64{c, b, a, min(d, e), max(d, e)}
	var got []int64
	f := inbox.ConversationFilter{Limit: 2, ConversationQuery: inbox.ConversationQuery{Sort: inbox.SortOldestWaiting}}
	for range 5 {
		page, err := s.FindConversations(ctx(t), f)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, conversationIDs(page.Conversations)...)
		if f.After = page.Next; f.After == "" {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func testQueues(t *testing.T, s inbox.Store) {
	sc := seedFilterScene(t, s)
	// The city's own message opening a thread (sent from Meta Business
	// Suite) is in no work queue until the citizen writes.
	own := Reply("psid_own", "m_own_1", T0.Add(time.Hour))
	own.SentOutsideInkorg = true
	apply(t, s, own)
	later := T0.Add(100 * time.Hour)
	c := conversation(t, s, sc.plain)
	mustOK(t, s.SaveWork(ctx(t), &inbox.Work{
		Update: &inbox.ConversationUpdate{ID: sc.plain, Version: c.Version, SetSnooze: true, SnoozedUntil: &later},
		Audit:  audit(sc.agent, sc.plain),
	}))
	c = conversation(t, s, sc.fi)
	mustOK(t, s.SaveWork(ctx(t), &inbox.Work{
		Update: &inbox.ConversationUpdate{ID: sc.fi, Version: c.Version, Status: statusPtr(inbox.StatusPending), AssigneeID: &sc.agent.ID},
		Audit:  audit(sc.agent, sc.fi),
	}))
	q := inbox.ConversationQuery{ViewerID: sc.agent.ID, Now: T0.Add(10 * time.Hour)}
	counts, err := s.CountQueues(ctx(t), inbox.ConversationFilter{ConversationQuery: q})
	if err != nil {
		t.Fatal(err)
	}
	want := map[inbox.WorkQueue][]int64{
		inbox.QueueUnassigned: {sc.urgent},
		inbox.QueueMine:       {sc.tag, sc.fi},
		inbox.QueueDepartment: {sc.tag},
		inbox.QueuePending:    {sc.fi},
		inbox.QueueSnoozed:    {sc.plain},
	}
	for k, ids := range want {
		if counts[k] != len(ids) {
			t.Errorf("count of %s: got %d, want %d", k, counts[k], len(ids))
		}
		f := inbox.ConversationFilter{ConversationQuery: q}
		f.Queue = k
		page, err := s.FindConversations(ctx(t), f)
		if err != nil || !slices.Equal(conversationIDs(page.Conversations), ids) {
			t.Errorf("queue %s: got %v, %v; want %v", k, conversationIDs(page.Conversations), err, ids)
		}
	}
	q.Now = later.Add(time.Second) // the snooze has run out
	counts, err = s.CountQueues(ctx(t), inbox.ConversationFilter{ConversationQuery: q})
	if err != nil || counts[inbox.QueueSnoozed] != 0 || counts[inbox.QueueUnassigned] != 2 {
		t.Errorf("after the snooze: got %v, %v; want 0 snoozed, 2 unassigned", counts, err)
	}
}

func testMemberships(t *testing.T, s inbox.Store) {
	u := &inbox.User{Name: "sara", Role: inbox.RoleSpecialist, AdministrationID: "social", Administrations: []string{"kultur", "social"}}
	createUser(t, s, u)
	for _, find := range []func() (*inbox.User, error){
		func() (*inbox.User, error) { return s.FindUserByName(ctx(t), "sara") },
		func() (*inbox.User, error) { return s.FindUserByID(ctx(t), u.ID) },
	} {
		got, err := find()
		if err != nil || got.AdministrationID != "social" || !slices.Equal(got.Administrations, []string{"social", "kultur"}) {
			t.Errorf("got %+v, %v; want social first, then kultur", got, err)
		}
	}
}

// testTextSkipsDeleted: a message its author deleted keeps its text for
// the record, hidden from agents, so a text search does not find it (it
// would tell which conversation held, say, an e-mail address); the
// conversation's other messages are still searched.
func testTextSkipsDeleted(t *testing.T, s inbox.Store) {
	e := Event("psid_deleted", "m_secret", T0)
	e.Text = "Mitt personnummer är 19821105-9954, mejl test@example.com"
	id := apply(t, s, e).ConversationID
	apply(t, s, Event("psid_deleted", "m_after", T0.Add(time.Minute)))
	find := func(text string) []int64 {
		t.Helper()
		page, err := s.FindConversations(ctx(t), inbox.ConversationFilter{ConversationQuery: inbox.ConversationQuery{Text: text}})
		mustOK(t, err)
		var ids []int64
		for _, c := range page.Conversations {
			ids = append(ids, c.ID)
		}
		return ids
	}
	if got := find("test@example.com"); !slices.Equal(got, []int64{id}) {
		t.Fatalf("before the deletion: found %v, want [%d]", got, id)
	}
	del := Event("psid_deleted", "m_secret", T0.Add(2*time.Minute))
	del.Kind, del.Text = inbox.EventMessageDeleted, ""
	apply(t, s, del)
	if got := find("test@example.com"); len(got) != 0 {
		t.Errorf("after the deletion: found %v, want none", got)
	}
	if got := find("m_after"); !slices.Equal(got, []int64{id}) {
		t.Errorf("the conversation's other message: found %v, want [%d]", got, id)
	}
}

// testResolvedWaitsNoMore: resolving a conversation ends its citizen's
// wait (the list would show a closed case as waiting for days), and it
// waits again from the citizen's next message.
func testResolvedWaitsNoMore(t *testing.T, s inbox.Store) {
	u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
	createUser(t, s, u)
	id := apply(t, s, Event("psid_resolved", "m_r1", T0)).ConversationID
	if got := conversation(t, s, id).WaitingSince; got == nil || !got.Equal(T0) {
		t.Fatalf("before resolving: waiting since %v, want %s", got, T0)
	}
	c := conversation(t, s, id)
	mustOK(t, s.SaveWork(ctx(t), &inbox.Work{
		Update: &inbox.ConversationUpdate{ID: id, Version: c.Version, Status: statusPtr(inbox.StatusResolved)},
		Audit:  audit(u, id),
	}))
	if got := conversation(t, s, id).WaitingSince; got != nil {
		t.Errorf("resolved: waiting since %v, want nil", got)
	}
	// The store resolves at its own clock; the citizen writes after it.
	again := time.Now().Add(time.Minute).UTC().Truncate(time.Millisecond)
	apply(t, s, Event("psid_resolved", "m_r2", again))
	if got := conversation(t, s, id).WaitingSince; got == nil || !got.Equal(again) {
		t.Errorf("citizen wrote again: waiting since %v, want %s", got, again)
	}
}
