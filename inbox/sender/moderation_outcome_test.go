package sender_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// invalidToken is Meta rejecting the page's token (code 190).
var invalidToken = graph.Fault{Status: 400, Code: 190, Type: "OAuthException", Message: "Invalid OAuth access token."}

// auditOf returns the conversation's audit entries of action.
func (f *fixture) auditOf(t *testing.T, conv int64, action string) []*inbox.AuditEntry {
	t.Helper()
	all, err := f.store.FindAudit(context.Background(), conv)
	if err != nil {
		t.Fatal(err)
	}
	var out []*inbox.AuditEntry
	for _, e := range all {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// TestReopenedFlagShowsFailure: the moderator sees why a decision did not
// take (last_error, and an audit entry); once the token is renewed, an
// agent's retry of the failed action hides the comment and settles the
// flag.
func TestReopenedFlagShowsFailure(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			f := newFixtureOn(t, nil, d.open(t))
			ctx := context.Background()
			mod := &inbox.Moderation{Store: f.store, Service: f.svc}
			conv, msg := f.flaggedComment(t, "post-1_400")
			f.sandbox.FailNext(1, invalidToken)
			if _, err := mod.Decide(ctx, f.anna, msg, inbox.DecisionHide, inbox.ModerationHate, "Hets"); err != nil {
				t.Fatal(err)
			}
			a := f.actionOf(t, conv)
			if fl := f.flagOf(t, msg); fl.OutboundID != a.ID {
				t.Fatalf("got outbound id %d, want the decision's action %d", fl.OutboundID, a.ID)
			}
			f.deliver(t)
			fl := f.flagOf(t, msg)
			if fl.State != inbox.ModerationOpen || !strings.Contains(fl.LastError, "Meta") || !strings.Contains(fl.LastError, "hide_comment") {
				t.Fatalf("got state %s, last error %q; want open with Meta's refusal", fl.State, fl.LastError)
			}
			reopened := f.auditOf(t, conv, inbox.ActionModerationReopened)
			var detail inbox.ModerationFlagChange
			if len(reopened) != 1 || json.Unmarshal([]byte(reopened[0].Detail), &detail) != nil ||
				detail.From != inbox.ModerationHidden || detail.To != inbox.ModerationOpen || detail.OutboundID != a.ID {
				t.Fatalf("got reopened audit %+v (%+v), want one, hidden → open, naming action %d", reopened, detail, a.ID)
			}

			if err := f.store.SetAccountNeedsToken(ctx, f.page.ID, false); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.RetryOutbound(ctx, f.anna, a.ID); err != nil {
				t.Fatal(err)
			}
			f.deliver(t)
			if fl := f.flagOf(t, msg); fl.State != inbox.ModerationHidden || fl.LastError != "" || fl.DecidedBy != f.anna.ID {
				t.Fatalf("after the retry: got %+v, want hidden by anna without an error", fl)
			}
			if got := f.auditOf(t, conv, inbox.ActionModerationSettled); len(got) != 1 || got[0].ActorID != f.anna.ID {
				t.Fatalf("got settled audit %+v, want one by anna", got)
			}
		})
	}
}

// TestAutoHideSettledBySystem: the automatic hide's flag move is audited
// with no user, as the hide itself is.
func TestAutoHideSettledBySystem(t *testing.T) {
	f := newFixture(t, nil)
	conv, msg := f.flaggedComment(t, "post-1_401")
	if _, err := f.svc.ModerateComment(context.Background(), &inbox.User{Name: "inkorg", Role: inbox.RoleAdmin}, msg, inbox.CommentHide, "Personnummer"); err != nil {
		t.Fatal(err)
	}
	f.deliver(t)
	got := f.auditOf(t, conv, inbox.ActionModerationSettled)
	if len(got) != 1 || got[0].ActorID != 0 {
		t.Fatalf("got settled audit %+v, want one by the system", got)
	}
	if fl := f.flagOf(t, msg); fl.State != inbox.ModerationHidden || fl.DecidedBy != 0 || fl.DecidedAt == nil {
		t.Fatalf("got flag %+v, want hidden by the system", fl)
	}
}
