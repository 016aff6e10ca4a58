package graph_test

import (
	"context"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/secretbox"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// TestTokenLoginsSeeLoginChange: after "inkorg accounts login ID
// instagram", the sender's and fetchers' next call (routed by TokenLogins)
// goes to the new login's host, not to graph.facebook.com, where a 190
// would mark the account "needs new token".
func TestTokenLoginsSeeLoginChange(t *testing.T) {
	ctx := context.Background()
	store := sqlstore.NewStore(sqlstoretest.SQLite(t))
	box, err := secretbox.New([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	a := &inbox.Account{Platform: inbox.PlatformInstagram, ExternalID: "17841400000000001", Name: "goteborgsstad"}
	if err := store.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	sealed, _ := box.Seal("IGAAtoken")
	if err := store.SetAccountToken(ctx, a.ID, sealed); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	logins := &graph.TokenLogins{Now: func() time.Time { return now }}
	logins.Use(store, box)
	if got := logins.TokenLogin(ctx, "IGAAtoken"); got != inbox.LoginFacebook {
		t.Fatalf("got %q before the change", got)
	}
	if err := store.SetAccountLogin(ctx, a.ID, inbox.LoginInstagram); err != nil {
		t.Fatal(err)
	}
	if got := logins.TokenLogin(ctx, "IGAAtoken"); got != inbox.LoginInstagram {
		t.Errorf("right after accounts login instagram: calls still routed as %q", got)
	}
	now = now.Add(30 * time.Second)
	if got := logins.TokenLogin(ctx, "IGAAtoken"); got != inbox.LoginInstagram {
		t.Errorf("30 s after accounts login instagram: calls routed as %q", got)
	}
}

// TestMissingScopesNamesInstagramLoginPermission: an Instagram Login
// token lacking the messaging permission is reported as missing
// instagram_business_manage_messages, the name an Instagram Login app
// requests it by, not Facebook Login's instagram_manage_messages.
func TestMissingScopesNamesInstagramLoginPermission(t *testing.T) {
	got := graph.MissingScopes(inbox.PlatformInstagram, []string{"instagram_business_basic", "instagram_business_manage_comments"})
	if len(got) != 1 || got[0] != "instagram_business_manage_messages" {
		t.Errorf("missing scopes of an Instagram Login token: got %v, want [instagram_business_manage_messages]", got)
	}
	if got := graph.MissingScopes(inbox.PlatformInstagram, []string{"instagram_basic", "instagram_manage_comments"}); len(got) != 1 || got[0] != "instagram_manage_messages" {
		t.Errorf("missing scopes of a Facebook Login token: got %v, want [instagram_manage_messages]", got)
	}
}
