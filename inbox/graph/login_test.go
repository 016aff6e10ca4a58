package graph_test

import (
	"context"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/secretbox"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// hostPair is a sandbox standing in for graph.facebook.com and another
// for graph.instagram.com.
type hostPair struct {
	facebook, instagram *graph.Sandbox
}

func newHostPair(t *testing.T) (hostPair, graph.Config) {
	t.Helper()
	p := hostPair{facebook: graph.NewSandbox(nil), instagram: graph.NewSandbox(nil)}
	fb, err := p.facebook.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fb.Close() })
	ig, err := p.instagram.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ig.Close() })
	return p, graph.Config{BaseURL: fb.URL, InstagramBaseURL: ig.URL}
}

// paths returns the method and path of every call sb recorded.
func paths(sb *graph.Sandbox) []string {
	var out []string
	for _, c := range sb.Calls() {
		out = append(out, c.Method+" "+c.Path)
	}
	return out
}

func TestForLoginPicksHost(t *testing.T) {
	ctx := context.Background()
	hosts, cfg := newHostPair(t)
	client, err := graph.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.ForLogin(inbox.LoginInstagram).ReplyToComment(ctx, "ig-token", inbox.PlatformInstagram, "c1", "Tack!"); err != nil {
		t.Fatal(err)
	}
	if _, err := client.ForLogin(inbox.LoginFacebook).ReplyToComment(ctx, "fb-token", inbox.PlatformFacebook, "p1_c2", "Tack!"); err != nil {
		t.Fatal(err)
	}
	// Without a login, a call is Facebook Login's.
	if _, err := client.SetCommentHidden(ctx, "fb-token", inbox.PlatformFacebook, "p1_c3", true); err != nil {
		t.Fatal(err)
	}
	if got := paths(hosts.instagram); len(got) != 1 || got[0] != "POST /c1/replies" {
		t.Errorf("got Instagram host calls %v, want POST /c1/replies", got)
	}
	if got := paths(hosts.facebook); len(got) != 2 || got[0] != "POST /p1_c2/comments" || got[1] != "POST /p1_c3" {
		t.Errorf("got Facebook host calls %v, want the reply and the hide", got)
	}
}

func TestDebugTokenStaysOnFacebookHost(t *testing.T) {
	hosts, cfg := newHostPair(t)
	client, err := graph.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	app := graph.App{ID: "123", Secret: "s3cret"}
	if _, err := client.ForLogin(inbox.LoginInstagram).DebugToken(context.Background(), app, "ig-token"); err != nil {
		t.Fatal(err)
	}
	if n := len(hosts.instagram.Calls()); n != 0 {
		t.Errorf("got %d debug_token calls on the Instagram host, want 0", n)
	}
	if n := len(hosts.facebook.Calls()); n != 1 {
		t.Errorf("got %d debug_token calls on the Facebook host, want 1", n)
	}
}

func TestInstagramBaseURLDefault(t *testing.T) {
	for _, tc := range []struct{ base, instagram, want string }{
		{"", "", "https://graph.instagram.com/v25.0"},
		{"https://graph.facebook.com/v24.0", "", "https://graph.instagram.com/v24.0"},
		{"http://127.0.0.1:8080/v25.0", "", "http://127.0.0.1:8080/v25.0"},
		{"https://graph.facebook.com/v25.0", "https://ig.example/v25.0/", "https://ig.example/v25.0"},
	} {
		c, err := graph.New(graph.Config{BaseURL: tc.base, InstagramBaseURL: tc.instagram})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.InstagramBaseURL(); got != tc.want {
			t.Errorf("base %q, instagram %q: got %q, want %q", tc.base, tc.instagram, got, tc.want)
		}
	}
	if _, err := graph.New(graph.Config{InstagramBaseURL: "graph.instagram.com"}); err == nil {
		t.Error("a relative Instagram base URL was accepted")
	}
}

func TestScopesLogin(t *testing.T) {
	for _, tc := range []struct {
		scopes []string
		want   inbox.AccountLogin
	}{
		{nil, ""},
		{[]string{"instagram_business_basic", "instagram_business_manage_messages"}, inbox.LoginInstagram},
		{[]string{"instagram_basic", "pages_show_list"}, inbox.LoginFacebook},
	} {
		if got := graph.ScopesLogin(tc.scopes); got != tc.want {
			t.Errorf("ScopesLogin(%v) = %q, want %q", tc.scopes, got, tc.want)
		}
	}
}

// TestTokenLoginsRouteByAccount is how the sender and the fetchers reach
// the right host: they call with the account's token, and the client asks
// the store which account, and so which login, it is stored for.
func TestTokenLoginsRouteByAccount(t *testing.T) {
	ctx := context.Background()
	store := sqlstore.NewStore(sqlstoretest.SQLite(t))
	box, err := secretbox.New([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	accounts := map[string]*inbox.Account{
		"ig-token": {Platform: inbox.PlatformInstagram, ExternalID: "ig-1", Name: "goteborgsstad", Login: inbox.LoginInstagram},
		"fb-token": {Platform: inbox.PlatformFacebook, ExternalID: "page-1", Name: "Göteborgs Stad"},
	}
	for token, a := range accounts {
		if err := store.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		sealed, err := box.Seal(token)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.SetAccountToken(ctx, a.ID, sealed); err != nil {
			t.Fatal(err)
		}
	}
	logins := &graph.TokenLogins{}
	hosts, cfg := newHostPair(t)
	cfg.Logins = logins
	client, err := graph.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Before the store is known, every call is Facebook Login's.
	if got := logins.TokenLogin(ctx, "ig-token"); got != inbox.LoginFacebook {
		t.Fatalf("got login %q without a store, want facebook", got)
	}
	logins.Use(store, box)

	if _, err := client.SendMessage(ctx, "ig-token", "ig-1", graph.Message{Platform: inbox.PlatformInstagram, RecipientID: "igsid-1", Text: "Hej"}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.SendMessage(ctx, "fb-token", "page-1", graph.Message{Platform: inbox.PlatformFacebook, RecipientID: "psid-1", Text: "Hej"}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.DeleteComment(ctx, "ig-token", "c9"); err != nil {
		t.Fatal(err)
	}
	if got := paths(hosts.instagram); len(got) != 2 || got[0] != "POST /ig-1/messages" || got[1] != "DELETE /c9" {
		t.Errorf("got Instagram host calls %v, want the Instagram Login account's send and delete", got)
	}
	if got := paths(hosts.facebook); len(got) != 1 || got[0] != "POST /page-1/messages" {
		t.Errorf("got Facebook host calls %v, want the Page's send", got)
	}
	// A token no account has is Facebook Login's.
	if got := logins.TokenLogin(ctx, "sandbox-token"); got != inbox.LoginFacebook {
		t.Errorf("got login %q for an unknown token, want facebook", got)
	}
}
