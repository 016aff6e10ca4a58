package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"inkorg/inbox"
)

func runAlerts(t *testing.T, open opener) {
	t.Run("FindTriagedSince", func(t *testing.T) { testFindTriagedSince(t, open(t)) })
	t.Run("FirstTriagedAt", func(t *testing.T) { testFirstTriagedAt(t, open(t)) })
	t.Run("SaveAlert", func(t *testing.T) { testSaveAlert(t, open(t)) })
	t.Run("SaveAlertConcurrent", func(t *testing.T) { testSaveAlertConcurrent(t, open(t)) })
	t.Run("SaveAlertExtendConcurrent", func(t *testing.T) { testSaveAlertExtendConcurrent(t, open(t)) })
	t.Run("SaveAlertAcrossPeriods", func(t *testing.T) { testSaveAlertAcrossPeriods(t, open(t)) })
	t.Run("FindAlertSharing", func(t *testing.T) { testFindAlertSharing(t, open(t)) })
	t.Run("TagConversations", func(t *testing.T) { testTagConversations(t, open(t)) })
	t.Run("TagManyConversations", func(t *testing.T) { testTagManyConversations(t, open(t)) })
	t.Run("TagWhileStaffTags", func(t *testing.T) { testTagWhileStaffTags(t, open(t)) })
	t.Run("TagRemovedByStaff", func(t *testing.T) { testTagRemovedByStaff(t, open(t)) })
}

// triaged stores an inbound message in its own thread, triaged at with
// tags, and returns what was applied.
func triaged(t *testing.T, s inbox.Store, thread string, at time.Time, tags ...string) inbox.Applied {
	t.Helper()
	a := apply(t, s, Event(thread, "mid-"+thread, at))
	tr := &inbox.Triage{MessageID: a.MessageID, Administration: "kultur", Priority: inbox.PriorityNormal,
		Language: "sv", Tags: tags, TriagedAt: at}
	if err := s.SaveTriage(ctx(t), a.ConversationID, tr); err != nil {
		t.Fatalf("SaveTriage: %v", err)
	}
	return a
}

func testFindTriagedSince(t *testing.T, s inbox.Store) {
	old := triaged(t, s, "old", T0, "kris")
	first := triaged(t, s, "first", T0.Add(time.Hour), "nödläge", "kris")
	second := triaged(t, s, "second", T0.Add(2*time.Hour))
	out := apply(t, s, Reply("second", "reply", T0.Add(2*time.Hour)))
	if err := s.SaveTriage(ctx(t), out.ConversationID, &inbox.Triage{MessageID: out.MessageID, Administration: "kultur",
		Priority: inbox.PriorityNormal, TriagedAt: T0.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindTriagedSince(ctx(t), T0.Add(time.Hour), 10)
	if err != nil {
		t.Fatalf("FindTriagedSince: %v", err)
	}
	if len(got) != 2 || got[0].MessageID != second.MessageID || got[1].MessageID != first.MessageID {
		t.Fatalf("got %+v, want the second then the first inbound message (not %d, not the reply)", got, old.MessageID)
	}
	if m := got[1]; m.ConversationID != first.ConversationID || !slices.Equal(m.Tags, []string{"nödläge", "kris"}) ||
		m.Text == "" || !m.TriagedAt.Equal(T0.Add(time.Hour)) {
		t.Errorf("got %+v, want its conversation, tags, text and time", m)
	}
	if got, _ := s.FindTriagedSince(ctx(t), T0, 1); len(got) != 1 || got[0].MessageID != second.MessageID {
		t.Errorf("limit 1: got %+v, want the newest only", got)
	}
}

func testFirstTriagedAt(t *testing.T, s inbox.Store) {
	if got, err := s.FirstTriagedAt(ctx(t)); err != nil || !got.IsZero() {
		t.Fatalf("empty store: got %v, %v; want the zero time", got, err)
	}
	triaged(t, s, "later", T0.Add(2*time.Hour), "kris")
	triaged(t, s, "earlier", T0.Add(time.Hour))
	triaged(t, s, "latest", T0.Add(3*time.Hour))
	if got, err := s.FirstTriagedAt(ctx(t)); err != nil || !got.Equal(T0.Add(time.Hour)) {
		t.Errorf("got %v, %v; want %v, the earliest triage", got, err, T0.Add(time.Hour))
	}
}

func sampleAlert(topic string, end time.Time) *inbox.Alert {
	return &inbox.Alert{Kind: inbox.AlertSpike, Topic: topic, Tag: "kris:" + topic,
		PeriodStart: end.Truncate(15 * time.Minute), WindowStart: end.Add(-15 * time.Minute), WindowEnd: end, Count: 12, Baseline: 0.5}
}

func testSaveAlert(t *testing.T, s inbox.Store) {
	end := T0.Add(time.Hour)
	a := sampleAlert("översvämning", end)
	created, err := s.SaveAlert(ctx(t), a)
	if err != nil || !created || a.ID == 0 {
		t.Fatalf("SaveAlert: got created %v, id %d, %v; want a new alert", created, a.ID, err)
	}
	later := sampleAlert("översvämning", end.Add(5*time.Minute))
	later.Count = 30
	created, err = s.SaveAlert(ctx(t), later)
	if err != nil || created || later.ID != a.ID {
		t.Fatalf("still going: got created %v, id %d (%v); want alert %d extended", created, later.ID, err, a.ID)
	}
	if later.Count != 30 || !later.WindowEnd.Equal(end.Add(5*time.Minute)) {
		t.Errorf("extended: got count %d, end %v; want 30 and the later end", later.Count, later.WindowEnd)
	}
	other := sampleAlert("storm", end)
	if created, err := s.SaveAlert(ctx(t), other); err != nil || !created || other.ID == a.ID {
		t.Errorf("other topic: got created %v, id %d, %v; want a new alert", created, other.ID, err)
	}
	again := sampleAlert("översvämning", end.Add(3*time.Hour))
	if created, err := s.SaveAlert(ctx(t), again); err != nil || !created {
		t.Errorf("hours later: got created %v, %v; want a new alert", created, err)
	}
	alerts, err := s.FindAlerts(ctx(t), 10)
	if err != nil || len(alerts) != 3 || alerts[0].ID != again.ID {
		t.Fatalf("FindAlerts: got %d alerts (%v), want 3, newest first", len(alerts), err)
	}
	if got := alerts[2]; got.Topic != "översvämning" || got.Tag != "kris:översvämning" || got.Count != 30 ||
		got.Baseline != 0.5 || got.Kind != inbox.AlertSpike {
		t.Errorf("got %+v, want the extended first alert", got)
	}
}

// testSaveAlertConcurrent: instances that detect the same spike at once
// raise one alert.
func testSaveAlertConcurrent(t *testing.T, s inbox.Store) {
	end := T0.Add(time.Hour)
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	for range 4 {
		wg.Go(func() {
			a := sampleAlert("storm", end)
			ok, err := s.SaveAlert(ctx(t), a)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if ok {
				created++
			}
		})
	}
	wg.Wait()
	if alerts, _ := s.FindAlerts(ctx(t), 10); created != 1 || len(alerts) != 1 {
		t.Errorf("got %d created, %d stored; want 1 and 1", created, len(alerts))
	}
}

// testSaveAlertExtendConcurrent: instances extending a running alert at
// once leave it with the latest window and the largest count, whichever
// writes last.
func testSaveAlertExtendConcurrent(t *testing.T, s inbox.Store) {
	const rounds, instances = 30, 8
	for round := range rounds {
		topic := fmt.Sprintf("storm-%d", round)
		end := T0.Add(time.Duration(round) * 24 * time.Hour)
		first := sampleAlert(topic, end)
		if _, err := s.SaveAlert(ctx(t), first); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := range instances {
			wg.Go(func() {
				a := sampleAlert(topic, end.Add(time.Duration(i+1)*time.Minute))
				a.PeriodStart = first.PeriodStart
				a.Count = 20 + i
				if _, err := s.SaveAlert(ctx(t), a); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		alerts, err := s.FindAlerts(ctx(t), 1)
		if err != nil || len(alerts) != 1 {
			t.Fatalf("round %d: FindAlerts: %d alerts, %v", round, len(alerts), err)
		}
		wantEnd := end.Add(instances * time.Minute)
		if got := alerts[0]; got.ID != first.ID || !got.WindowEnd.Equal(wantEnd) || got.Count != 20+instances-1 {
			t.Fatalf("round %d: got alert %d ending %v with count %d; want alert %d ending %v with count %d",
				round, got.ID, got.WindowEnd, got.Count, first.ID, wantEnd, 20+instances-1)
		}
	}
}

// testSaveAlertAcrossPeriods: instances detecting a new spike within
// milliseconds of each other, on either side of a period boundary (their
// period_start differ), raise one alert.
func testSaveAlertAcrossPeriods(t *testing.T, s inbox.Store) {
	const rounds, instances = 20, 6
	for round := range rounds {
		topic := fmt.Sprintf("gräns-%d", round)
		boundary := T0.Add(time.Duration(round) * 24 * time.Hour).Truncate(15 * time.Minute)
		var wg sync.WaitGroup
		var mu sync.Mutex
		created := 0
		for i := range instances {
			wg.Go(func() {
				end := boundary.Add(-time.Millisecond)
				if i%2 == 1 {
					end = boundary.Add(time.Millisecond)
				}
				ok, err := s.SaveAlert(ctx(t), sampleAlert(topic, end))
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				defer mu.Unlock()
				if ok {
					created++
				}
			})
		}
		wg.Wait()
		if created != 1 {
			t.Fatalf("round %d: got %d alerts created, want 1", round, created)
		}
	}
	if alerts, err := s.FindAlerts(ctx(t), 2*rounds); err != nil || len(alerts) != rounds {
		t.Errorf("got %d alerts stored (%v), want %d, one per topic", len(alerts), err, rounds)
	}
}

// testFindAlertSharing finds the running alert that tagged the most of a
// burst's conversations.
func testFindAlertSharing(t *testing.T, s inbox.Store) {
	var ids []int64
	for i := range 6 {
		ids = append(ids, apply(t, s, Event(fmt.Sprintf("share-%d", i), fmt.Sprintf("mid-share-%d", i), T0)).ConversationID)
	}
	end := T0.Add(time.Hour)
	save := func(topic string, kind inbox.AlertKind, tagged []int64) *inbox.Alert {
		a := sampleAlert(topic, end)
		a.Kind = kind
		if _, err := s.SaveAlert(ctx(t), a); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TagConversations(ctx(t), a.ID, a.Tag, tagged); err != nil {
			t.Fatal(err)
		}
		return a
	}
	water := save("vatten-borta-majorna", inbox.AlertDuplicates, ids[:3])
	save("el-borta-frölunda", inbox.AlertDuplicates, ids[2:4])
	save("vatten", inbox.AlertSpike, ids[:5])
	got, n, err := s.FindAlertSharing(ctx(t), inbox.AlertDuplicates, end.Add(-time.Minute), []int64{ids[1], ids[2], ids[5]})
	if err != nil || got == nil || got.ID != water.ID || n != 2 || got.Tag != water.Tag {
		t.Fatalf("got %+v, %d, %v; want alert %d sharing 2", got, n, err, water.ID)
	}
	if got, n, err := s.FindAlertSharing(ctx(t), inbox.AlertDuplicates, end.Add(-time.Minute), ids[5:]); err != nil || got != nil || n != 0 {
		t.Errorf("none shared: got %+v, %d, %v; want nil", got, n, err)
	}
	if got, _, err := s.FindAlertSharing(ctx(t), inbox.AlertDuplicates, end.Add(time.Minute), ids); err != nil || got != nil {
		t.Errorf("window ended before since: got %+v, %v; want nil", got, err)
	}
}

func testTagConversations(t *testing.T, s inbox.Store) {
	var ids []int64
	for i := range 3 {
		ids = append(ids, triaged(t, s, fmt.Sprintf("tag-%d", i), T0).ConversationID)
	}
	a := sampleAlert("storm", T0)
	if _, err := s.SaveAlert(ctx(t), a); err != nil {
		t.Fatal(err)
	}
	before := conversation(t, s, ids[0]).Version
	n, err := s.TagConversations(ctx(t), a.ID, a.Tag, ids[:2])
	if err != nil || n != 2 {
		t.Fatalf("TagConversations: got %d, %v; want 2", n, err)
	}
	if n, err := s.TagConversations(ctx(t), a.ID, a.Tag, ids); err != nil || n != 1 {
		t.Errorf("again with one more: got %d, %v; want 1", n, err)
	}
	c := conversation(t, s, ids[0])
	if !slices.Contains(c.Tags, "kris:storm") || c.Version != before+1 {
		t.Errorf("got tags %v version %d, want kris:storm and version %d", c.Tags, c.Version, before+1)
	}
	entries, err := s.FindAudit(ctx(t), ids[0])
	if err != nil || len(entries) != 1 || entries[0].Action != inbox.ActionAlertTag || entries[0].ActorID != 0 {
		t.Errorf("got audit %+v (%v), want one alert_tag entry by the system", entries, err)
	}
	if alerts, _ := s.FindAlerts(ctx(t), 1); len(alerts) != 1 || alerts[0].Conversations != 3 {
		t.Errorf("got alerts %+v, want 3 conversations on it", alerts)
	}
}

// testTagManyConversations tags a spike's worth of conversations (more
// than one batch): every one is tagged and counted once.
func testTagManyConversations(t *testing.T, s inbox.Store) {
	var ids []int64
	for i := range 120 {
		ids = append(ids, apply(t, s, Event(fmt.Sprintf("many-%d", i), fmt.Sprintf("mid-many-%d", i), T0)).ConversationID)
	}
	a := sampleAlert("many", T0)
	if _, err := s.SaveAlert(ctx(t), a); err != nil {
		t.Fatal(err)
	}
	if n, err := s.TagConversations(ctx(t), a.ID, a.Tag, ids[:70]); err != nil || n != 70 {
		t.Fatalf("first 70: got %d, %v; want 70", n, err)
	}
	if n, err := s.TagConversations(ctx(t), a.ID, a.Tag, ids); err != nil || n != 50 {
		t.Fatalf("all 120: got %d, %v; want the 50 not tagged yet", n, err)
	}
	for _, id := range []int64{ids[0], ids[69], ids[70], ids[119]} {
		if c := conversation(t, s, id); !slices.Contains(c.Tags, a.Tag) {
			t.Errorf("conversation %d: tags %v, want %s", id, c.Tags, a.Tag)
		}
	}
	if alerts, _ := s.FindAlerts(ctx(t), 1); len(alerts) != 1 || alerts[0].Conversations != 120 {
		t.Errorf("got alerts %+v, want 120 conversations on it", alerts)
	}
}

// testTagWhileStaffTags tags a conversation for an alert while an agent
// changes its tags at the same moment, round after round: neither change
// may be lost. The agent's change is guarded by the version it read and
// tried again on a conflict, as the API does.
func testTagWhileStaffTags(t *testing.T, s inbox.Store) {
	id := apply(t, s, Event("race", "mid-race", T0)).ConversationID
	setTags := func(tags func([]string) []string) error {
		for {
			c, err := s.FindConversationByID(ctx(t), id)
			if err != nil {
				return err
			}
			next := tags(c.Tags)
			err = s.SaveWork(ctx(t), &inbox.Work{
				Update: &inbox.ConversationUpdate{ID: id, Version: c.Version, Tags: &next},
				Audit:  &inbox.AuditEntry{Action: inbox.ActionTags, ConversationID: id},
			})
			if inbox.ErrorCode(err) != inbox.ECONFLICT {
				return err
			}
		}
	}
	for round := range 400 {
		// An alert per round: an alert never tags a conversation twice.
		a := sampleAlert(fmt.Sprintf("race-%d", round), T0.Add(time.Duration(round)*time.Hour))
		if _, err := s.SaveAlert(ctx(t), a); err != nil {
			t.Fatal(err)
		}
		staffTag, alertTag := fmt.Sprintf("staff-%d", round), a.Tag
		var wg sync.WaitGroup
		var staffErr, tagErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			staffErr = setTags(func(tags []string) []string { return append(slices.Clone(tags), staffTag) })
		}()
		go func() {
			defer wg.Done()
			_, tagErr = s.TagConversations(ctx(t), a.ID, alertTag, []int64{id})
		}()
		wg.Wait()
		if staffErr != nil || tagErr != nil {
			t.Fatalf("round %d: staff %v, alert %v", round, staffErr, tagErr)
		}
		c := conversation(t, s, id)
		if !slices.Contains(c.Tags, staffTag) || !slices.Contains(c.Tags, alertTag) {
			t.Fatalf("round %d: got tags %v, want both %s and %s", round, c.Tags, staffTag, alertTag)
		}
		if err := setTags(func([]string) []string { return []string{} }); err != nil {
			t.Fatal(err)
		}
	}
}

// testTagRemovedByStaff: staff remove an alert's tag from a conversation
// (a false positive); the alert's later rounds, which still find its
// message in the window, never tag it again.
func testTagRemovedByStaff(t *testing.T, s inbox.Store) {
	wrong := apply(t, s, Event("removed", "mid-removed", T0)).ConversationID
	right := apply(t, s, Event("kept", "mid-kept", T0)).ConversationID
	a := sampleAlert("vatten", T0)
	if _, err := s.SaveAlert(ctx(t), a); err != nil {
		t.Fatal(err)
	}
	if n, err := s.TagConversations(ctx(t), a.ID, a.Tag, []int64{wrong, right}); err != nil || n != 2 {
		t.Fatalf("TagConversations: got %d, %v; want 2", n, err)
	}
	c := conversation(t, s, wrong)
	none := []string{}
	if err := s.SaveWork(ctx(t), &inbox.Work{
		Update: &inbox.ConversationUpdate{ID: wrong, Version: c.Version, Tags: &none},
		Audit:  &inbox.AuditEntry{Action: inbox.ActionTags, ConversationID: wrong},
	}); err != nil {
		t.Fatal(err)
	}
	later := apply(t, s, Event("later", "mid-later", T0.Add(time.Minute))).ConversationID
	if n, err := s.TagConversations(ctx(t), a.ID, a.Tag, []int64{wrong, right, later}); err != nil || n != 1 {
		t.Errorf("next round: got %d, %v; want 1, the later conversation only", n, err)
	}
	if c := conversation(t, s, wrong); slices.Contains(c.Tags, a.Tag) {
		t.Errorf("got tags %v, want %s left removed", c.Tags, a.Tag)
	}
	if c := conversation(t, s, later); !slices.Contains(c.Tags, a.Tag) {
		t.Errorf("later conversation: got tags %v, want %s", c.Tags, a.Tag)
	}
	if alerts, err := s.FindAlerts(ctx(t), 1); err != nil || len(alerts) != 1 || alerts[0].Conversations != 3 {
		t.Errorf("got %d alerts (%v), want one with 3 conversations", len(alerts), err)
	} else if alerts[0].Conversations != 3 {
		t.Errorf("got %d conversations on the alert, want 3", alerts[0].Conversations)
	}
}
