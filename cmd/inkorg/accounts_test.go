package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
)

// openTestStore opens the store the commands of env use.
func openTestStore(t *testing.T, env map[string]string) inbox.Store {
	t.Helper()
	cfg, err := loadConfig(envFrom(env))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(t.Context(), cfg.databaseURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return sqlstore.NewStore(db)
}

func TestAccountsCmd(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
		adds := [][]string{
			{"--platform", "facebook", "--id", "104729385720000", "--name", "Göteborgs Stad"},
			{"--platform", "instagram", "--id", "17841400000000000", "--name", "goteborgsstad"},
		}
		for _, a := range adds {
			if code, out := runCmd(t, env, "", append([]string{"accounts", "add"}, a...)...); code != exitOK || !strings.HasPrefix(out, "added ") {
				t.Fatalf("accounts add %v: got exit %d, %q; want 0, added", a, code, out)
			}
		}
		code, out := runCmd(t, env, "", "accounts", "list")
		if code != exitOK || !strings.Contains(out, "104729385720000") || !strings.Contains(out, "goteborgsstad") {
			t.Fatalf("accounts list: got exit %d, %q; want both accounts", code, out)
		}
		if code, _ := runCmd(t, env, "", "accounts", "remove", "17841400000000000"); code != exitOK {
			t.Fatalf("accounts remove: got exit %d, want 0", code)
		}
		if _, out := runCmd(t, env, "", "accounts", "list"); strings.Contains(out, "17841400000000000") {
			t.Errorf("accounts list after remove: got %q, want the Instagram account gone", out)
		}
		if code, _ := runCmd(t, env, "", "accounts", "remove", "--platform", "facebook", "104729385720000"); code != exitOK {
			t.Errorf("accounts remove --platform first: got exit %d, want 0", code)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
		for _, args := range [][]string{
			{"accounts"},
			{"accounts", "frobnicate"},
			{"accounts", "add", "--platform", "tiktok", "--id", "1", "--name", "x"},
			{"accounts", "add", "--platform", "facebook", "--id", "1"},
			{"accounts", "remove"},
			{"accounts", "remove", "1", "--platform", "myspace"},
		} {
			if code, _ := runCmd(t, env, "", args...); code != exitUsage {
				t.Errorf("inkorg %s: got exit %d, want %d", strings.Join(args, " "), code, exitUsage)
			}
		}
	})
	t.Run("ErrConflictAndNotFound", func(t *testing.T) {
		env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
		add := []string{"accounts", "add", "--platform", "facebook", "--id", "1", "--name", "x"}
		runCmd(t, env, "", add...)
		if code, _ := runCmd(t, env, "", add...); code != exitFailure {
			t.Errorf("adding the same account twice: got exit %d, want %d", code, exitFailure)
		}
		if code, _ := runCmd(t, env, "", "accounts", "remove", "999"); code != exitFailure {
			t.Errorf("removing an account not managed: got exit %d, want %d", code, exitFailure)
		}
	})
}

// TestAccountsListUnknown: accounts list also names the accounts that
// conversations arrived for but that are not set up, until they are.
func TestAccountsListUnknown(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
	store := openTestStore(t, env)
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for i, psid := range []string{"777", "778"} {
		_, err := store.ApplyEvent(t.Context(), inbox.Event{Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook,
			Channel: inbox.ChannelMessenger, AccountExternalID: "104729385720000", ThreadKey: psid, MessageExternalID: "m_" + psid,
			Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: psid}, Author: inbox.Actor{ExternalID: psid},
			Text: "Hej!", OccurredAt: at.Add(time.Duration(i) * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
	}
	code, out := runCmd(t, env, "", "accounts", "list")
	if code != exitOK || !strings.Contains(out, "not set up") ||
		!regexp.MustCompile(`facebook +104729385720000 +2 +2026-11-20T10:01:00Z`).MatchString(out) {
		t.Fatalf("accounts list: got exit %d, %q; want the account not set up with its 2 conversations", code, out)
	}
	if code, out := runCmd(t, env, "", "accounts", "add", "--platform", "facebook", "--id", "104729385720000", "--name", "Göteborgs Stad"); code != exitOK {
		t.Fatalf("accounts add: got exit %d, %q", code, out)
	}
	if _, out := runCmd(t, env, "", "accounts", "list"); strings.Contains(out, "not set up") || !strings.Contains(out, "Göteborgs Stad") {
		t.Errorf("accounts list after adding it: got %q, want it managed and no list of accounts not set up", out)
	}
}

func TestDeliveriesReparseCmd(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
		store := openTestStore(t, env)
		received := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
		bodies := []string{
			`{"object":"page","entry":[{"id":"104729385720000","time":1700000000000,"messaging":[{"sender":{"id":"777"},"recipient":{"id":"104729385720000"},"timestamp":1700000000123,"message":{"mid":"m_1","text":"Hej! Var lämnar jag grovsopor?"}}]}]}`,
			`{"object":"page","entry":[{"id":"104729385720000","time":1700000000000,"messaging":[{"sender":{"id":"777"},"recipient":{"id":"104729385720000"},"timestamp":1700000001000,"message_edit":{"mid":"m_1","text":"Hej! Var lämnar jag grovsopor i Majorna?"}}]}]}`,
			`not json, kept anyway`,
		}
		for i, b := range bodies {
			d := &inbox.RawDelivery{Body: []byte(b), ReceivedAt: received.Add(time.Duration(i) * time.Minute)}
			if _, err := store.SaveRawDelivery(t.Context(), d); err != nil {
				t.Fatal(err)
			}
		}
		code, out := runCmd(t, env, "", "deliveries", "reparse", "--since", "2026-11-20", "--until", "2026-11-21T00:00:00Z")
		want := "reparsed 3 deliveries (1 still unreadable): 2 events, 2 applied now, 0 already applied, 0 refused\n"
		if code != exitOK || out != want {
			t.Fatalf("reparse: got exit %d, %q; want 0, %q", code, out, want)
		}
		// Again: everything was applied already.
		code, out = runCmd(t, env, "", "deliveries", "reparse", "--since", "2026-11-20T10:00:00Z", "--json")
		if want := `{"deliveries":3,"malformed":1,"events":2,"created":0,"duplicates":2,"dropped":0}` + "\n"; code != exitOK || out != want {
			t.Fatalf("reparse again: got exit %d, %q; want 0, %q", code, out, want)
		}
		page, err := store.FindConversations(t.Context(), inbox.ConversationFilter{})
		if err != nil || len(page.Conversations) != 1 {
			t.Fatalf("conversations: got %d (error %v), want 1", len(page.Conversations), err)
		}
		msgs, err := store.FindMessages(t.Context(), page.Conversations[0].ID)
		if err != nil || len(msgs) != 1 || msgs[0].Text != "Hej! Var lämnar jag grovsopor i Majorna?" {
			t.Fatalf("messages: got %d (error %v), want the one edited message", len(msgs), err)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
		for _, args := range [][]string{
			{"deliveries"},
			{"deliveries", "reparse"},
			{"deliveries", "reparse", "--since", "yesterday"},
			{"deliveries", "reparse", "--since", "2026-11-20", "--until", "2026-11-19"},
		} {
			if code, _ := runCmd(t, env, "", args...); code != exitUsage {
				t.Errorf("inkorg %s: got exit %d, want %d", strings.Join(args, " "), code, exitUsage)
			}
		}
	})
}

// TestDeliveriesReparseRunsIngestHooks: a delivery reparsed is treated as
// it would have been on arrival, by every hook the ingest workers run: a
// threat in a comment is flagged for moderation, and a visitor post is
// stored as the post its comments are shown under.
func TestDeliveriesReparseRunsIngestHooks(t *testing.T) {
	env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
	store := openTestStore(t, env)
	const page = "104729385720000"
	bodies := []string{
		`{"object":"page","entry":[{"id":"` + page + `","time":1700000000,"changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"9015_4","post_id":"` + page + `_9015","parent_id":"` + page + `_9015","from":{"id":"8001","name":"X"},"created_time":1700000000,"message":"Jag vet var du bor, jag ska döda dig"}}]}]}`,
		`{"object":"page","entry":[{"id":"` + page + `","time":1700000100,"changes":[{"field":"feed","value":{"item":"post","verb":"add","post_id":"` + page + `_9019","from":{"id":"8002","name":"Olle"},"created_time":1700000100,"message":"Varför är gatlyktorna släckta på Hisingen?"}}]}]}`,
	}
	received := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for i, b := range bodies {
		if _, err := store.SaveRawDelivery(t.Context(), &inbox.RawDelivery{Body: []byte(b), ReceivedAt: received.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if code, out := runCmd(t, env, "", "deliveries", "reparse", "--since", "2026-11-20"); code != exitOK {
		t.Fatalf("reparse: got exit %d, %q", code, out)
	}
	flags, err := store.(inbox.ModerationStore).FindModerationQueue(t.Context(), inbox.ModerationFilter{Limit: 10})
	if err != nil || len(flags) != 1 || !slices.Contains(flags[0].Categories, inbox.ModerationThreat) {
		t.Errorf("moderation queue: got %+v, %v; want the threat flagged", flags, err)
	}
	p, err := store.FindPost(t.Context(), inbox.PlatformFacebook, page+"_9019")
	if err != nil || p.Text != "Varför är gatlyktorna släckta på Hisingen?" {
		t.Errorf("visitor post: got %+v, %v; want its text", p, err)
	}
}
