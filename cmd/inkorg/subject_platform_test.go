package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/archive"
	"inkorg/inbox/archive/recordtest"
	"inkorg/inbox/inboxtest"
)

// Sofia writes to the city's Instagram account. Her Instagram-scoped id
// has the same digits as Anna's page-scoped id on Facebook: they are
// different people.
const (
	igAccountID = "17841400000000000"
	sofiaText   = "SOFIAS TEXT: när töms soptunnorna på Hisingen?"
	sofiaName   = "Sofia Berg"
)

// TestSubjectPlatform shows that the subject commands tell a Facebook and
// an Instagram person with the same platform id apart, on SQLite and on
// PostgreSQL: without --platform they refuse and change nothing, with
// --platform facebook only Anna is exported and erased, Sofia and the
// Instagram delivery naming her id untouched.
func TestSubjectPlatform(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		env, s := recordsEnv(t)
		testSubjectPlatform(t, env, s)
	})
	t.Run("PostgresRedis", func(t *testing.T) {
		env := baseEnv(t)
		env["DATABASE_URL"] = inboxtest.PostgresURL(t)
		redisURL, prefix := inboxtest.RedisURL(t)
		env["REDIS_URL"], env["INKORG_REDIS_PREFIX"] = redisURL, prefix
		testSubjectPlatform(t, env, recordScene(t, env))
	})
}

func testSubjectPlatform(t *testing.T, env map[string]string, s *recordtest.Scene) {
	ctx := t.Context()
	b := openTestBackends(t, env)
	b.db.Now = func() time.Time { return recordtest.T0.Add(6 * time.Hour) }
	sofia, err := b.store.ApplyEvent(ctx, inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformInstagram, Channel: inbox.ChannelInstagramDirect,
		AccountExternalID: igAccountID, ThreadKey: recordtest.CitizenID, MessageExternalID: "ig_m_1",
		Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: recordtest.CitizenID, Name: sofiaName, Username: "sofia.berg"},
		Author: inbox.Actor{ExternalID: recordtest.CitizenID, Name: sofiaName}, Text: sofiaText, OccurredAt: recordtest.T0.Add(6 * time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	svc := inbox.NewService(b.store, func() time.Time { return recordtest.T0.Add(7 * time.Hour) })
	conv, err := svc.SetStatus(ctx, s.Agent, sofia.ConversationID, inbox.StatusResolved)
	if err != nil {
		t.Fatal(err)
	}
	sofiaContact := conv.ContactID
	// The raw deliveries kept for reparsing: Anna's Messenger message and
	// Sofia's Instagram message, both naming the same digits.
	sender := `"messaging":[{"sender":{"id":"` + recordtest.CitizenID + `"},"message":{"text":"Hej"}}]}]}`
	fbBody := `{"object":"page","entry":[{"id":"` + recordtest.PageID + `",` + sender
	igBody := `{"object":"instagram","entry":[{"id":"` + igAccountID + `",` + sender
	for i, body := range []string{fbBody, igBody} {
		raw := &inbox.RawDelivery{Body: []byte(body), ContentType: "application/json", ReceivedAt: recordtest.T0.Add(time.Duration(i) * time.Second)}
		if _, err := b.store.SaveRawDelivery(ctx, raw); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "arkiv")
	if code, stdout := runCmd(t, env, "", "archive", "export", "--from", "2026-03-02", "--to", "2026-03-02", "--out", out); code != exitOK {
		t.Fatalf("archive export: got exit %d, %q", code, stdout)
	}

	t.Run("ErrAmbiguous", func(t *testing.T) {
		for _, args := range [][]string{
			{"subject", "export", "--platform-id", recordtest.CitizenID, "--out", filepath.Join(t.TempDir(), "utdrag")},
			{"subject", "erase", "--platform-id", recordtest.CitizenID, "--reason", "Begäran 2026-04-01"},
			{"subject", "pseudonymise", "--platform-id", recordtest.CitizenID, "--reason", "Begäran 2026-04-01"},
		} {
			code, stdout, stderr := runAll(t, env, "", args...)
			if code != exitUsage || !strings.Contains(stderr, "facebook and instagram") ||
				!strings.Contains(stderr, "--platform facebook or --platform instagram") {
				t.Errorf("inkorg %s: got exit %d, %q, %q; want 2 naming both platforms and --platform",
					strings.Join(args, " "), code, stdout, stderr)
			}
		}
		checkUntouched(t, b, s.Private, "Hej! När öppnar Valhallabadet")
		checkUntouched(t, b, sofia.ConversationID, sofiaText)
	})

	t.Run("OKExportFacebook", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "utdrag")
		code, stdout := runCmd(t, env, "", "subject", "export", "--platform-id", recordtest.CitizenID, "--platform", "facebook", "--out", dir)
		if code != exitOK || !strings.Contains(stdout, "exported 1 conversations") || !strings.Contains(stdout, "about 1 contact(s)") {
			t.Fatalf("subject export --platform facebook: got exit %d, %q; want Anna's one conversation", code, stdout)
		}
		jsonl, err := os.ReadFile(filepath.Join(dir, archive.RecordsFile))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(jsonl), "Valhallabadet") || strings.Contains(string(jsonl), "SOFIAS TEXT") || strings.Contains(string(jsonl), sofiaName) {
			t.Errorf("export: got %s; want Anna's thread only, nothing of Sofia's", jsonl)
		}
	})

	t.Run("OKEraseFacebook", func(t *testing.T) {
		code, stdout := runCmd(t, env, "", "subject", "erase", "--platform-id", recordtest.CitizenID, "--platform", "facebook", "--reason", "Begäran 2026-04-02")
		want := "platform id " + recordtest.CitizenID + " on facebook deleted in 1 conversation(s): [" + itoa(s.Private) + "]; 1 raw webhook deliveries naming them deleted"
		if code != exitOK || !strings.HasPrefix(stdout, want) {
			t.Fatalf("subject erase --platform facebook: got exit %d, %q; want %q", code, stdout, want)
		}
		msgs, err := b.store.FindMessages(ctx, s.Private)
		if err != nil || msgs[0].Text != inbox.DeletedText {
			t.Errorf("Anna's thread: got %+v, %v; want her message deleted", msgs, err)
		}
		checkUntouched(t, b, sofia.ConversationID, sofiaText)
		c, err := b.store.FindContact(ctx, sofiaContact)
		if err != nil || c.ExternalID != recordtest.CitizenID || c.Name != sofiaName {
			t.Errorf("Sofia's contact: got %+v, %v; want her id and name kept", c, err)
		}
		kept, err := b.store.FindRawDeliveries(ctx, inbox.RawDeliveryFilter{Limit: 10})
		if err != nil || len(kept) != 1 || string(kept[0].Body) != igBody {
			t.Errorf("raw deliveries: got %d (%v); want only the Instagram one kept", len(kept), err)
		}
	})

	t.Run("ErrUsage", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"subject", "erase", "--platform-id", recordtest.CitizenID, "--platform", "myspace", "--reason", "x"}, `unknown platform "myspace"; use facebook or instagram`},
			{[]string{"subject", "export", "--platform-id", recordtest.CitizenID, "--platform", "Facebook", "--out", t.TempDir()}, `unknown platform "Facebook"; use facebook or instagram`},
			{[]string{"subject", "pseudonymise", "--contact", itoa(sofiaContact), "--platform", "instagram", "--reason", "x"}, "--platform goes with --platform-id"},
		} {
			code, _, stderr := runAll(t, env, "", tc.args...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("inkorg %s: got exit %d, %q; want 2 and %q", strings.Join(tc.args, " "), code, stderr, tc.want)
			}
		}
		checkUntouched(t, b, sofia.ConversationID, sofiaText)
	})
}

// checkUntouched fails unless the first message of conversation id still
// starts with text.
func checkUntouched(t *testing.T, b *backends, id int64, text string) {
	t.Helper()
	msgs, err := b.store.FindMessages(t.Context(), id)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("conversation %d: got %d messages, %v", id, len(msgs), err)
	}
	if !strings.HasPrefix(msgs[0].Text, text) {
		t.Errorf("conversation %d: got first message %q, want %q… kept", id, msgs[0].Text, text)
	}
}
