package sender_test

import (
	"context"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// dialects are the databases the moderation tests run on.
var dialects = []struct {
	name string
	open func(testing.TB) *sqlstore.DB
}{{"SQLite", sqlstoretest.SQLite}, {"Postgres", sqlstoretest.Postgres}}

// invalidParameter is Meta refusing a call for good (code 100).
var invalidParameter = graph.Fault{Status: 400, Code: 100, Type: "OAuthException", Message: "(#100) Invalid parameter"}

// flaggedComment starts a comment thread whose comment waits in the open
// moderation queue.
func (f *fixture) flaggedComment(t *testing.T, id string) (conv, msg int64) {
	t.Helper()
	conv, msg = f.comment(t, inbox.PlatformFacebook, id, time.Hour)
	if _, err := f.store.FlagComment(context.Background(), &inbox.ModerationFlag{MessageID: msg, ConversationID: conv,
		Categories: []inbox.ModerationCategory{inbox.ModerationHate}, Rules: []string{"hate.test"}}); err != nil {
		t.Fatal(err)
	}
	return conv, msg
}

// flagOf returns the comment's flag and the state it is found in.
func (f *fixture) flagOf(t *testing.T, msg int64) *inbox.ModerationFlag {
	t.Helper()
	for _, st := range []inbox.ModerationState{inbox.ModerationOpen, inbox.ModerationHidden, inbox.ModerationKept, inbox.ModerationDeleted} {
		q, err := f.store.FindModerationQueue(context.Background(), inbox.ModerationFilter{State: st})
		if err != nil {
			t.Fatal(err)
		}
		for _, fl := range q {
			if fl.MessageID == msg {
				return fl
			}
		}
	}
	t.Fatalf("comment %d has no flag", msg)
	return nil
}

// TestDecidedHideFailsReopens: a decision to hide whose call Meta refuses
// for good (code 100) puts the comment back in the open queue, since it is
// still visible; once Meta has done it, it stays hidden.
func TestDecidedHideFailsReopens(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			f := newFixtureOn(t, nil, d.open(t))
			ctx := context.Background()
			mod := &inbox.Moderation{Store: f.store, Service: f.svc}
			_, msg := f.flaggedComment(t, "post-1_300")
			f.sandbox.FailNext(1, invalidParameter)
			if _, err := mod.Decide(ctx, f.anna, msg, inbox.DecisionHide, inbox.ModerationHate, "Hets mot folkgrupp"); err != nil {
				t.Fatal(err)
			}
			if got := f.flagOf(t, msg).State; got != inbox.ModerationHidden {
				t.Fatalf("after the decision: got state %s, want hidden", got)
			}
			if errs := f.deliver(t); len(errs) != 0 {
				t.Fatal(errs)
			}
			if m, _ := f.store.FindMessageByID(ctx, msg); m.Hidden {
				t.Fatal("the comment is hidden although Meta refused")
			}
			if got := f.flagOf(t, msg).State; got != inbox.ModerationOpen {
				t.Fatalf("after Meta refused: got state %s, want open (the comment is still visible)", got)
			}

			// Decided again, Meta does it: hidden for good.
			if _, err := mod.Decide(ctx, f.anna, msg, inbox.DecisionHide, inbox.ModerationHate, "Nytt försök"); err != nil {
				t.Fatal(err)
			}
			if errs := f.deliver(t); len(errs) != 0 {
				t.Fatal(errs)
			}
			if fl := f.flagOf(t, msg); fl.State != inbox.ModerationHidden || !fl.Message.Hidden {
				t.Fatalf("got state %s, hidden %v; want hidden on both", fl.State, fl.Message.Hidden)
			}
		})
	}
}

// TestHideOutsideDecisionSettlesFlag: an agent's hide or delete through
// POST /messages/{id}/hide, or the automatic hide, takes a flagged
// comment out of the open queue once Meta has done it, decided by the one
// who asked for it (nobody for the system).
func TestHideOutsideDecisionSettlesFlag(t *testing.T) {
	system := &inbox.User{Name: "inkorg", Role: inbox.RoleAdmin}
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			f := newFixtureOn(t, nil, d.open(t))
			ctx := context.Background()
			for _, c := range []struct {
				name   string
				actor  *inbox.User
				action inbox.CommentAction
				want   inbox.ModerationState
			}{
				{"AgentHide", f.anna, inbox.CommentHide, inbox.ModerationHidden},
				{"AgentDelete", f.bo, inbox.CommentDelete, inbox.ModerationDeleted},
				{"AutoHide", system, inbox.CommentHide, inbox.ModerationHidden},
			} {
				t.Run(c.name, func(t *testing.T) {
					_, msg := f.flaggedComment(t, "post-1_"+c.name)
					if _, err := f.svc.ModerateComment(ctx, c.actor, msg, c.action, "Personnummer i kommentaren"); err != nil {
						t.Fatal(err)
					}
					if got := f.flagOf(t, msg).State; got != inbox.ModerationOpen {
						t.Fatalf("before Meta has done it: got state %s, want open", got)
					}
					if errs := f.deliver(t); len(errs) != 0 {
						t.Fatal(errs)
					}
					if fl := f.flagOf(t, msg); fl.State != c.want || fl.DecidedBy != c.actor.ID {
						t.Fatalf("got state %s decided by %d, want %s by %d", fl.State, fl.DecidedBy, c.want, c.actor.ID)
					}
				})
			}
		})
	}
}
