package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// exampleFixture is a migrated store of one dialect with helpers that
// store, triage and route citizens' messages.
type exampleFixture struct {
	t *testing.T
	s *Store
}

// send stores an inbound message with text in thread and triages it as
// proposing admin.
func (f exampleFixture) send(thread, mid, text, admin string, at time.Time) inbox.Applied {
	f.t.Helper()
	e := storetest.Event(thread, mid, at)
	e.Text = text
	a, err := f.s.ApplyEvent(f.t.Context(), e)
	if err != nil {
		f.t.Fatalf("ApplyEvent(%s): %v", mid, err)
	}
	tr := &inbox.Triage{MessageID: a.MessageID, Administration: admin, Confidence: 0.8, Language: "sv",
		Priority: inbox.PriorityNormal, TriagedAt: at}
	if err := f.s.SaveTriage(f.t.Context(), a.ConversationID, tr); err != nil {
		f.t.Fatalf("SaveTriage(%s): %v", mid, err)
	}
	return a
}

// examples returns the store's routing examples.
func (f exampleFixture) examples() []inbox.RoutingExample {
	f.t.Helper()
	got, err := f.s.FindRoutingExamples(f.t.Context(), 100)
	if err != nil {
		f.t.Fatalf("FindRoutingExamples: %v", err)
	}
	return got
}

// setStatus sets the conversation's status as a person does.
func (f exampleFixture) setStatus(id int64, status inbox.Status) {
	f.t.Helper()
	c, err := f.s.FindConversationByID(f.t.Context(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	err = f.s.SaveWork(f.t.Context(), &inbox.Work{
		Update: &inbox.ConversationUpdate{ID: id, Version: c.Version, Status: &status},
		Audit:  &inbox.AuditEntry{Action: inbox.ActionStatus, ConversationID: id},
	})
	if err != nil {
		f.t.Fatalf("SaveWork: %v", err)
	}
}

func forEachExampleStore(t *testing.T, fn func(t *testing.T, f exampleFixture)) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		fn(t, exampleFixture{t: t, s: NewStore(openMigrated(t, url))})
	})
}

const (
	correctedQuestion = "Klotter på skolgårdens mur vid Hvitfeldtska"
	followUpThanks    = "Tack för snabbt svar, ni är bäst!"
)

// The example is the message whose triage the agent overrode, not a
// message the citizen wrote after the routing.
func TestRoutingExampleIsCorrectedMessage(t *testing.T) {
	forEachExampleStore(t, func(t *testing.T, f exampleFixture) {
		a := f.send("ex-follow", "q1", correctedQuestion, "kultur", storetest.T0)
		storetest.Route(t, f.s, a.ConversationID, "stadsfastighet")
		f.send("ex-follow", "q2", followUpThanks, "demokrati-medborgarservice", storetest.T0.Add(time.Hour))

		got := f.examples()
		want := inbox.RoutingExample{MessageID: a.MessageID, Text: correctedQuestion, AdministrationID: "stadsfastighet"}
		if len(got) != 1 || got[0] != want {
			t.Errorf("got %+v, want [%+v]", got, want)
		}
	})
}

// Routing again after the follow-up makes the latest message before the
// new routing the corrected one.
func TestRoutingExampleRoutedAgain(t *testing.T) {
	forEachExampleStore(t, func(t *testing.T, f exampleFixture) {
		a := f.send("ex-again", "q1", correctedQuestion, "kultur", storetest.T0)
		storetest.Route(t, f.s, a.ConversationID, "stadsfastighet")
		b := f.send("ex-again", "q2", "Och bänken vid skolan är också trasig", "kultur", storetest.T0.Add(time.Hour))
		storetest.Route(t, f.s, a.ConversationID, "stadsfastighet")

		got := f.examples()
		if len(got) != 1 || got[0].MessageID != b.MessageID {
			t.Errorf("got %+v, want the message before the second routing (%d)", got, b.MessageID)
		}
	})
}

// Conversations marked spam, messages the citizen removed and texts whose
// personal data was removed are not examples.
func TestRoutingExampleExcluded(t *testing.T) {
	forEachExampleStore(t, func(t *testing.T, f exampleFixture) {
		spam := f.send("ex-spam", "s1", "Earn $5000 a week from home!!! Click here", "kultur", storetest.T0)
		storetest.Route(t, f.s, spam.ConversationID, "stadsfastighet")
		f.setStatus(spam.ConversationID, inbox.StatusSpam)

		unsent := f.send("ex-unsent", "u1", correctedQuestion, "kultur", storetest.T0)
		storetest.Route(t, f.s, unsent.ConversationID, "stadsfastighet")
		del := storetest.Event("ex-unsent", "u1", storetest.T0.Add(time.Minute))
		del.Kind, del.Text = inbox.EventMessageDeleted, ""
		if _, err := f.s.ApplyEvent(t.Context(), del); err != nil {
			t.Fatalf("ApplyEvent(delete): %v", err)
		}

		removed := f.send("ex-removed", "r1", "Bänken i parken vid Slottsskogen är trasig", "kultur", storetest.T0)
		storetest.Route(t, f.s, removed.ConversationID, "stadsmiljo")
		err := f.s.db.gorm.Exec("UPDATE conversations SET personal_data = 'deleted' WHERE id = ?", removed.ConversationID).Error
		if err != nil {
			t.Fatal(err)
		}
		deleted := f.send("ex-deleted-text", "d1", inbox.DeletedText, "kultur", storetest.T0)
		storetest.Route(t, f.s, deleted.ConversationID, "stadsmiljo")

		if got := f.examples(); len(got) != 0 {
			t.Errorf("got %+v, want no examples", got)
		}
	})
}

// The same text routed to one administration in several conversations is
// one example, its newest message; routed elsewhere it is another.
func TestRoutingExampleDistinctTexts(t *testing.T) {
	forEachExampleStore(t, func(t *testing.T, f exampleFixture) {
		var last inbox.Applied
		for _, thread := range []string{"ex-dup1", "ex-dup2", "ex-dup3"} {
			last = f.send(thread, thread+"-m", correctedQuestion, "kultur", storetest.T0)
			storetest.Route(t, f.s, last.ConversationID, "stadsfastighet")
		}
		other := f.send("ex-dup4", "ex-dup4-m", correctedQuestion, "kultur", storetest.T0)
		storetest.Route(t, f.s, other.ConversationID, "grundskola")

		got := f.examples()
		want := []inbox.RoutingExample{
			{MessageID: other.MessageID, Text: correctedQuestion, AdministrationID: "grundskola"},
			{MessageID: last.MessageID, Text: correctedQuestion, AdministrationID: "stadsfastighet"},
		}
		if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("got %+v, want %+v", got, want)
		}
	})
}
