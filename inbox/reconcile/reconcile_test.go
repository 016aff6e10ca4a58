package reconcile_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/reconcile"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

var T = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// alertTypes returns the type of every alert r recorded.
func alertTypes(r *inboxtest.LiveRecorder) []string {
	var out []string
	for _, e := range r.Events() {
		var d struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(e.Data, &d)
		out = append(out, d.Type)
	}
	return out
}

func TestPollFindsMissedComments(t *testing.T) {
	ctx := context.Background()
	now := T.Add(-6 * time.Hour) // the account was added before the comments were written
	db := sqlstoretest.SQLite(t)
	db.Now = func() time.Time { return now }
	store := sqlstore.NewStore(db)
	page := &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "page-1", Name: "Göteborgs Stad"}
	if err := store.CreateAccount(ctx, page); err != nil {
		t.Fatal(err)
	}
	now = T
	sb := graph.NewSandbox(nil)
	srv, err := sb.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	client, _ := graph.New(graph.Config{BaseURL: srv.URL})

	// One comment came by webhook, two did not; one of those is a reply.
	delivered := graph.Comment{ID: "post-1_1", Text: "Fick ni min fråga?", FromID: "u1", FromName: "Ali", Created: T.Add(-3 * time.Hour)}
	sb.AddComment("page-1", "post-1", T.Add(-5*time.Hour), delivered)
	sb.AddComment("page-1", "post-1", T.Add(-5*time.Hour), graph.Comment{ID: "post-1_2", Text: "Varför svarar ingen?", FromID: "u2", FromName: "Bea", Created: T.Add(-2 * time.Hour)})
	sb.AddComment("page-1", "post-1", T.Add(-5*time.Hour), graph.Comment{ID: "post-1_3", Text: "Samma fråga", FromID: "u3", FromName: "Cem", ParentID: "post-1_2", Created: T.Add(-time.Hour)})
	sb.AddComment("page-1", "post-1", T.Add(-5*time.Hour), graph.Comment{ID: "post-1_4", Text: "Svar från staden", FromID: "page-1", Created: T.Add(-time.Hour)})
	seen := reconcile.WebhookSeen(store, func() time.Time { return now })
	e := inbox.Event{Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
		AccountExternalID: "page-1", ThreadKey: "post-1_1", PostExternalID: "post-1", MessageExternalID: "post-1_1",
		Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "u1"}, Author: inbox.Actor{ExternalID: "u1"},
		Text: delivered.Text, OccurredAt: delivered.Created}
	a, err := store.ApplyEvent(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	if err := seen(ctx, e, a); err != nil {
		t.Fatal(err)
	}

	apply := func(ctx context.Context, _ string, events []inbox.Event) (int, error) {
		n := 0
		for _, e := range events {
			a, err := store.ApplyEvent(ctx, e)
			if err != nil {
				return n, err
			}
			if a.Created {
				n++
			}
			// The hook ignores what the poll applies.
			if err := seen(ctx, e, a); err != nil {
				return n, err
			}
		}
		return n, nil
	}
	pub := &inboxtest.LiveRecorder{}
	r := reconcile.New(reconcile.Config{Store: store, Graph: client, SandboxToken: "sandbox-token", Apply: apply,
		Publisher: pub, Now: func() time.Time { return now }, QuietAfter: time.Hour})
	found, err := r.PollOnce(ctx)
	if err != nil || found != 2 {
		for _, c := range sb.Calls() {
			t.Logf("call %s %s %d %s", c.Method, c.Path, c.Status, c.Body)
		}
		t.Fatalf("PollOnce = %d, %v; want the 2 missed citizen comments", found, err)
	}
	if found, _ := r.PollOnce(ctx); found != 0 {
		t.Fatalf("second poll found %d, want 0 (idempotent)", found)
	}
	page = accountByID(t, store, page.ID)
	if page.LastPollAt == nil || !page.LastPollAt.Equal(T) || page.LastWebhookAt == nil || !page.LastWebhookAt.Equal(T) {
		t.Fatalf("last poll %v, last webhook %v; want both %v", page.LastPollAt, page.LastWebhookAt, T)
	}
	// The reply joined the thread of the comment it answers.
	list, _ := store.FindConversations(ctx, inbox.ConversationFilter{})
	if len(list.Conversations) != 2 {
		t.Fatalf("%d conversations, want 2 (post-1_1 and post-1_2 with its reply)", len(list.Conversations))
	}
	if got := alertTypes(pub); len(got) != 1 || got[0] != "webhooks_missed" {
		t.Fatalf("alerts %v, want one webhooks_missed", got)
	}
	// Two hours later with no webhook, the channel is quiet.
	now = T.Add(2 * time.Hour)
	if _, err := r.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got := alertTypes(pub); len(got) != 2 || got[1] != "channel_quiet" {
		t.Fatalf("alerts %v, want channel_quiet next", got)
	}
	if !accountByID(t, store, page.ID).Quiet(now, time.Hour) {
		t.Error("Quiet = false two hours after the last webhook")
	}
}

func TestPollTokenFailure(t *testing.T) {
	ctx := context.Background()
	store := sqlstore.NewStore(sqlstoretest.SQLite(t))
	page := &inbox.Account{Platform: inbox.PlatformInstagram, ExternalID: "ig-1", Name: "goteborgsstad"}
	if err := store.CreateAccount(ctx, page); err != nil {
		t.Fatal(err)
	}
	sb := graph.NewSandbox(nil)
	srv, _ := sb.Start()
	defer srv.Close()
	client, _ := graph.New(graph.Config{BaseURL: srv.URL})
	sb.FailNext(1, graph.DocumentedError(190, 463))
	pub := &inboxtest.LiveRecorder{}
	r := reconcile.New(reconcile.Config{Store: store, Graph: client, SandboxToken: "sandbox-token", Publisher: pub,
		Apply: func(context.Context, string, []inbox.Event) (int, error) { return 0, nil }})
	if _, err := r.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if !accountByID(t, store, page.ID).NeedsToken {
		t.Error("a rejected token did not mark the account")
	}
	if got := alertTypes(pub); len(got) != 1 || got[0] != "token_invalid" {
		t.Fatalf("alerts %v, want token_invalid", got)
	}
	// The token check found the rejected token before any listing.
	if calls := sb.Calls(); len(calls) != 1 || calls[0].Path != "/me" {
		t.Fatalf("calls %+v, want only GET /me", calls)
	}
}

func accountByID(t *testing.T, store inbox.Store, id int64) *inbox.Account {
	t.Helper()
	list, err := store.FindAccounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("account %d not found", id)
	return nil
}
