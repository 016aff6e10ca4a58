package reconcile_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/reconcile"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// TestPollTokenCheckWarnsOfLoginMismatch: an Instagram account added with
// the default --login facebook but given an Instagram Login token gets 190
// on graph.facebook.com. Besides token_invalid, the hourly token check
// raises token_login, once, naming the command that fixes the login.
func TestPollTokenCheckWarnsOfLoginMismatch(t *testing.T) {
	ctx := context.Background()
	store := sqlstore.NewStore(sqlstoretest.SQLite(t))
	ig := &inbox.Account{Platform: inbox.PlatformInstagram, ExternalID: "17841400000000001", Name: "goteborgsstad"} // default login: facebook
	if err := store.CreateAccount(ctx, ig); err != nil {
		t.Fatal(err)
	}
	sb := graph.NewSandbox(nil)
	srv, _ := sb.Start()
	defer srv.Close()
	client, _ := graph.New(graph.Config{BaseURL: srv.URL})
	// debug_token: valid, Instagram Login permissions.
	sb.SetTokenAnswer("", graph.TokenAnswer{Scopes: []string{"instagram_business_basic",
		"instagram_business_manage_comments", "instagram_business_manage_messages"}})
	// graph.facebook.com cannot parse an Instagram user token.
	if err := sb.FailPath("GET", "/17841400000000001/*", -1, graph.DocumentedError(190, 0)); err != nil {
		t.Fatal(err)
	}
	now := T
	pub := &inboxtest.LiveRecorder{}
	r := reconcile.New(reconcile.Config{Store: store, Graph: client, SandboxToken: "IGAAtoken", Publisher: pub,
		App: graph.App{ID: "123", Secret: "s3cret"}, Now: func() time.Time { return now },
		Apply: func(context.Context, string, []inbox.Event) (int, error) { return 0, nil }})
	_, _ = r.PollOnce(ctx)
	now = now.Add(2 * time.Hour) // the next token check
	_, _ = r.PollOnce(ctx)
	var logins []string
	for _, e := range pub.Events() {
		var d struct{ Type, SV, EN string }
		_ = json.Unmarshal(e.Data, &d)
		if d.Type == "token_login" {
			logins = append(logins, d.SV, d.EN)
		}
	}
	const command = "inkorg accounts login 17841400000000001 instagram --platform instagram"
	checks := 0
	for _, c := range sb.Calls() {
		if c.Path == "/debug_token" {
			checks++
		}
	}
	if checks != 2 {
		t.Fatalf("%d token checks, want 2", checks)
	}
	if len(logins) != 2 || !strings.Contains(logins[0], command) || !strings.Contains(logins[1], command) ||
		!strings.Contains(logins[1], "Instagram Login") {
		t.Errorf("token_login alerts %q (all alerts %v), want one naming %q", logins, alertTypes(pub), command)
	}
}
