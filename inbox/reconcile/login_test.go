package reconcile_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/reconcile"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

func TestPollGoesToTheHostOfTheLogin(t *testing.T) {
	ctx := context.Background()
	now := T.Add(-managedFor)
	db := sqlstoretest.SQLite(t)
	db.Now = func() time.Time { return now }
	store := sqlstore.NewStore(db)
	ig := &inbox.Account{Platform: inbox.PlatformInstagram, ExternalID: "ig-1", Name: "goteborgsstad", Login: inbox.LoginInstagram}
	page := &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "page-1", Name: "Göteborgs Stad"}
	for _, a := range []*inbox.Account{ig, page} {
		if err := store.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	now = T
	hosts := map[string]*graph.Sandbox{}
	urls := map[string]string{}
	for _, h := range []string{"facebook", "instagram"} {
		hosts[h] = graph.NewSandbox(func() time.Time { return now })
		srv, err := hosts[h].Start()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close() })
		urls[h] = srv.URL
	}
	client, err := graph.New(graph.Config{BaseURL: urls["facebook"], InstagramBaseURL: urls["instagram"]})
	if err != nil {
		t.Fatal(err)
	}
	hosts["instagram"].AddConversationMessage("ig-1", inbox.PlatformInstagram, "t_1", graph.ConversationMessage{ID: "m_1",
		Created: T.Add(-time.Hour), FromID: "igsid-1", FromName: "ali", ToID: "ig-1", Text: "Hej"})
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
		}
		return n, nil
	}
	r := reconcile.New(reconcile.Config{Store: store, Graph: client, SandboxToken: "sandbox-token", Apply: apply,
		Now: func() time.Time { return now }})
	if found, err := r.PollOnce(ctx); err != nil || found != 1 {
		t.Fatalf("got PollOnce = %d, %v; want the Instagram message, nil", found, err)
	}
	for host, account := range map[string]string{"instagram": "ig-1", "facebook": "page-1"} {
		got := paths(hosts[host])
		if len(got) == 0 {
			t.Errorf("got no calls on the %s host, want %s's poll", host, account)
		}
		for _, p := range got {
			if p != "GET /me" && !strings.Contains(p, "/"+account+"/") {
				t.Errorf("got %s on the %s host, want only %s's calls (all: %v)", p, host, account, got)
			}
		}
	}
	// An Instagram Login account has no Page to look up.
	if got := paths(hosts["instagram"]); countOf(got, "GET /me") != 1 {
		t.Errorf("got Instagram host calls %v, want one GET /me (the token check) and no Page lookup", got)
	}
}

// paths returns the method and path of every call sb recorded.
func paths(sb *graph.Sandbox) []string {
	var out []string
	for _, c := range sb.Calls() {
		out = append(out, c.Method+" "+c.Path)
	}
	return out
}
