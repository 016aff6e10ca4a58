package moderation_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/archive/recordtest"
	"inkorg/inbox/moderation"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
	"inkorg/inbox/storetest"
)

const threat = "Jag vet var du bor, jag ska döda dig"

// editScene is a store on a fixed clock with an agent and the moderation
// hook with the real classifier.
type editScene struct {
	store *sqlstore.Store
	clock *recordtest.Clock
	agent *inbox.User
	hook  inbox.EventHook
}

func newEditScene(t *testing.T, db *sqlstore.DB) *editScene {
	t.Helper()
	s := &editScene{store: sqlstore.NewStore(db), clock: &recordtest.Clock{}, agent: &inbox.User{Name: "karin", Role: inbox.RoleAgent}}
	s.clock.Set(storetest.T0)
	db.Now = s.clock.Now
	if err := s.store.CreateUser(context.Background(), s.agent); err != nil {
		t.Fatal(err)
	}
	s.hook = moderation.Hook(moderation.Default(), s.store, nil)
	return s
}

// run applies e at minute min after T0 and runs the hook on it, twice
// when redelivered.
func (s *editScene) run(t *testing.T, e inbox.Event, min int, times int) inbox.Applied {
	t.Helper()
	e.OccurredAt = storetest.T0.Add(time.Duration(min) * time.Minute)
	s.clock.Set(e.OccurredAt.Add(time.Second))
	a, err := s.store.ApplyEvent(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	for range times {
		if err := s.hook(context.Background(), e, a); err != nil {
			t.Fatalf("hook: %v", err)
		}
	}
	return a
}

func comment(mid, text string) inbox.Event {
	e := storetest.Event("thread-"+mid, mid, storetest.T0)
	e.Channel, e.PostExternalID, e.Text = inbox.ChannelFacebookComment, "post_1", text
	return e
}

func edit(mid, text string) inbox.Event {
	e := storetest.Change(inbox.EventMessageEdited, mid, storetest.T0)
	e.Channel, e.Text = inbox.ChannelFacebookComment, text
	return e
}

// keep records staff keeping the comment at minute min after T0.
func (s *editScene) keep(t *testing.T, a inbox.Applied, min int) {
	t.Helper()
	s.clock.Set(storetest.T0.Add(time.Duration(min) * time.Minute))
	e := &inbox.ModerationEntry{MessageID: a.MessageID, ConversationID: a.ConversationID, Decision: inbox.DecisionKeep,
		Category: inbox.ModerationHarassment, Reason: "Kritik, inte trakasserier", ActorID: s.agent.ID}
	if err := s.store.RecordModeration(context.Background(), e, inbox.ModerationKept, nil); err != nil {
		t.Fatal(err)
	}
}

// flag returns the comment's flag in state, or nil.
func (s *editScene) flag(t *testing.T, state inbox.ModerationState, messageID int64) *inbox.ModerationFlag {
	t.Helper()
	q, err := s.store.FindModerationQueue(context.Background(), inbox.ModerationFilter{State: state})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range q {
		if f.MessageID == messageID {
			return f
		}
	}
	return nil
}

// TestHookEdited: a comment edited into a threat is flagged by its new
// text, once however often the edit comes; a comment kept before the
// edit goes back to the queue, and a keep after the edit stands.
func TestHookEdited(t *testing.T) {
	for _, d := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"SQLite", sqlstoretest.SQLite}, {"Postgres", sqlstoretest.Postgres}} {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			s := newEditScene(t, d.open(t))
			t.Run("OK/InnocentEditedIntoThreat", func(t *testing.T) {
				a := s.run(t, comment("c1", "Tack för snabbt svar om sophämtningen!"), 0, 1)
				if f := s.flag(t, inbox.ModerationOpen, a.MessageID); f != nil {
					t.Fatalf("got flag %+v before the edit, want none", f)
				}
				s.run(t, edit("c1", threat), 1, 2)
				f := s.flag(t, inbox.ModerationOpen, a.MessageID)
				if f == nil || !slices.Equal(f.Categories, []inbox.ModerationCategory{inbox.ModerationThreat}) || f.Message.Text != threat {
					t.Fatalf("got flag %+v, want the edited comment flagged for a threat", f)
				}
				q, _ := s.store.FindModerationQueue(context.Background(), inbox.ModerationFilter{})
				if len(q) != 1 {
					t.Errorf("got %d open flags, want 1 however often the edit comes", len(q))
				}
			})
			t.Run("OK/KeptBeforeEditReopened", func(t *testing.T) {
				a := s.run(t, comment("c2", "Håll käften din jävla idiot"), 10, 1)
				s.keep(t, a, 12)
				s.run(t, edit("c2", threat), 13, 2)
				f := s.flag(t, inbox.ModerationOpen, a.MessageID)
				want := []inbox.ModerationCategory{inbox.ModerationHarassment, inbox.ModerationThreat}
				if f == nil || !slices.Equal(f.Categories, want) || f.DecidedAt != nil {
					t.Fatalf("got flag %+v, want it open again with %v", f, want)
				}
				s.keep(t, a, 15)
				s.run(t, edit("c2", threat), 13, 1) // the same edit, redelivered after the new keep
				if f := s.flag(t, inbox.ModerationKept, a.MessageID); f == nil {
					t.Errorf("got the comment reopened by a redelivered edit, want it kept")
				}
			})
			t.Run("OK/KeptAndEditedHarmless", func(t *testing.T) {
				a := s.run(t, comment("c3", "Håll käften din jävla idiot"), 20, 1)
				s.keep(t, a, 21)
				s.run(t, edit("c3", "Förlåt, det var dumt skrivet."), 22, 1)
				if f := s.flag(t, inbox.ModerationKept, a.MessageID); f == nil {
					t.Errorf("got the comment reopened by a harmless edit, want it kept")
				}
			})
			t.Run("OK/MessageElsewhere", func(t *testing.T) {
				// The edited comment erased since, or in another
				// conversation than the store named: nothing to judge.
				a := s.run(t, comment("c4", "Tack för hjälpen!"), 30, 1)
				other := s.run(t, comment("c5", "Bra jobbat med snöröjningen"), 31, 1)
				e := edit("c4", threat)
				e.OccurredAt = storetest.T0.Add(32 * time.Minute)
				ea, err := s.store.ApplyEvent(context.Background(), e)
				if err != nil {
					t.Fatal(err)
				}
				for _, wrong := range []inbox.Applied{
					{ConversationID: ea.ConversationID, MessageID: other.MessageID + 1000},
					{ConversationID: other.ConversationID, MessageID: ea.MessageID},
				} {
					if err := s.hook(context.Background(), e, wrong); err != nil {
						t.Fatalf("hook on %+v: %v", wrong, err)
					}
				}
				for _, id := range []int64{a.MessageID, other.MessageID} {
					if f := s.flag(t, inbox.ModerationOpen, id); f != nil {
						t.Errorf("message %d: got flag %+v, want none", id, f)
					}
				}
			})
		})
	}
}
