package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/webhooks"
)

// sc2Thread is a conversation's detail as the API gives it.
type sc2Thread struct {
	Conversation *inbox.Conversation `json:"conversation"`
	Messages     []*inbox.Message    `json:"messages"`
	Post         *inbox.Post         `json:"post"`
	History      []*inbox.AuditEntry `json:"history"`
}

// sc2Replies: the agent answers Anna in public and Cilla privately, and
// Meta echoes both, the Page's own comment under Anna's and the private
// reply in Cilla's Messenger thread.
func sc2Replies(t *testing.T, in *instance, anna, cilla *inbox.Conversation) {
	t.Helper()
	th := sc2Wait(t, in, anna.ID, "Anna's thread", func(th *sc2Thread) bool { return len(th.Messages) == 2 })
	in.reply(t, anna.ID, fmt.Sprintf(`{"kind":"public","text":%q,"reply_to_message_id":%d}`, sc2PublicText, th.Messages[0].ID))
	in.reply(t, cilla.ID, fmt.Sprintf(`{"kind":"private","text":%q}`, sc2PrivateText))
	public := sc2WaitOutbound(t, in, anna.ID, inbox.OutboundPublicReply)
	private := sc2WaitOutbound(t, in, cilla.ID, inbox.OutboundPrivateReply)
	if n := sc2Calls(t, in, http.MethodPost, "/"+sc2Anna+"/comments"); n != 1 {
		t.Errorf("got %d public replies to Anna's comment on the Graph API, want 1", n)
	}
	if n := sc2Calls(t, in, http.MethodPost, "/"+sc2Page+"/messages"); n != 1 {
		t.Errorf("got %d private replies on the Graph API, want 1", n)
	}
	if public.PlatformID == "" || private.PlatformID == "" {
		t.Fatalf("got platform ids %q and %q, want Meta's ids of both replies", public.PlatformID, private.PlatformID)
	}

	sc2Feed(t, in, sc2Comment(public.PlatformID, sc2Page, "Göteborgs Stad", time.Now().Unix(), sc2PublicText, sc2Anna))
	sc2Messaging(t, in, map[string]any{"sender": map[string]any{"id": sc2Page}, "recipient": map[string]any{"id": "5003"},
		"timestamp": time.Now().UnixMilli(), "message": map[string]any{"mid": private.PlatformID, "is_echo": true,
			"app_id": 1517776481860111, "metadata": private.Key, "text": sc2PrivateText}})

	th = sc2Wait(t, in, anna.ID, "the public reply", func(th *sc2Thread) bool {
		return len(th.Messages) == 3 && th.Messages[2].Delivery == inbox.DeliverySent
	})
	if r := th.Messages[2]; r.Direction != inbox.DirectionOutbound || r.ExternalID != public.PlatformID || r.SentOutsideInkorg || r.ParentID != th.Messages[0].ID {
		t.Errorf("public reply: got %s %q outside=%v under %d, want inkorg's outbound reply under Anna's comment (%d)",
			r.Direction, r.ExternalID, r.SentOutsideInkorg, r.ParentID, th.Messages[0].ID)
	}
	if c := th.Conversation; c.FirstResponseAt == nil || c.Status == inbox.StatusNew {
		t.Errorf("Anna's thread after the reply: status %s, first response %v; want answered", c.Status, c.FirstResponseAt)
	}
	th = sc2Wait(t, in, cilla.ID, "the private reply", func(th *sc2Thread) bool {
		return len(th.Messages) == 2 && th.Messages[1].Delivery == inbox.DeliverySent
	})
	if r := th.Messages[1]; r.Direction != inbox.DirectionOutbound || r.SentOutsideInkorg || r.Text != sc2PrivateText {
		t.Errorf("private reply: got %s %q outside=%v, want inkorg's outbound reply in Cilla's thread", r.Direction, r.Text, r.SentOutsideInkorg)
	}
	// The echoes' ingest is done once a later delivery is: neither opened a
	// thread of its own.
	sc2Feed(t, in, map[string]any{"item": "reaction", "verb": "add", "post_id": sc2Post, "parent_id": sc2Post,
		"comment_id": sc2Cilla, "from": map[string]any{"id": "5001", "name": "Anna Andersson"},
		"created_time": time.Now().Unix(), "reaction_type": "like"})
	sc2Wait(t, in, cilla.ID, "the reaction on Cilla's comment", func(th *sc2Thread) bool { return th.Messages[0].Reactions["like"] == 1 })
	if all := in.waitConversations(4); len(all) != 4 {
		t.Errorf("got %d conversations after the echoes, want 4 (none for the Page's comment or the private reply)", len(all))
	}
	metrics := httpGet(t, in.baseURL+"/metrics")
	for _, want := range []string{`inkorg_outbound_sent_total{kind="public_reply"} 1`,
		`inkorg_outbound_sent_total{kind="private_reply"} 1`, `inkorg_outbound_sent_total{kind="hide_comment"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// sc2CheckModeration: the hidden comment is in the moderation queue as
// hidden, settled by the system, and its thread's history says so.
func sc2CheckModeration(t *testing.T, in *instance, erik *inbox.Conversation) {
	t.Helper()
	var q struct {
		Flags []*inbox.ModerationFlag `json:"flags"`
	}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		q.Flags = nil
		if code := in.getJSON("/api/v1/moderation?state=hidden", &q); code != http.StatusOK {
			t.Fatalf("GET /api/v1/moderation: %d", code)
		}
		if len(q.Flags) == 1 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(q.Flags) != 1 || q.Flags[0].ConversationID != erik.ID || q.Flags[0].OutboundID == 0 {
		t.Errorf("moderation queue (hidden): got %+v, want Erik's comment hidden by its outbound action", q.Flags)
	}
	th := sc2Wait(t, in, erik.ID, "Erik's hide in the history", func(th *sc2Thread) bool { return sc2Audited(th.History, "moderation_settled") })
	if len(th.Messages) != 1 || !th.Messages[0].Hidden {
		t.Errorf("Erik's comment after Meta's hide webhook: got %+v, want one hidden message", th.Messages)
	}
}

// sc2Supervisor: a supervisor looks at the queues and the day's report;
// the agent who answered Anna and Cilla holds their threads, and the
// removed and the hidden comment are still unassigned: the hidden one
// waits first, the removed one waits for no answer.
func sc2Supervisor(t *testing.T, in *instance, anna, cilla, david, erik *inbox.Conversation) {
	t.Helper()
	var counts struct {
		Counts inbox.WorkQueueCounts `json:"counts"`
	}
	if code := in.getJSONAs(in.supToken, "/api/v1/queues", &counts); code != http.StatusOK {
		t.Fatalf("GET /api/v1/queues: %d", code)
	}
	if got := counts.Counts[inbox.WorkQueue("unassigned")]; got != 2 {
		t.Errorf("supervisor's queues: got %v, want 2 unassigned (David's and Erik's)", counts.Counts)
	}
	in.getJSON("/api/v1/queues", &counts)
	if got := counts.Counts[inbox.WorkQueue("mine")]; got != 2 {
		t.Errorf("agent's queues: got %v, want Anna's and Cilla's threads as theirs", counts.Counts)
	}
	var list struct {
		Conversations []*inbox.Conversation `json:"conversations"`
	}
	in.getJSONAs(in.supToken, "/api/v1/conversations?queue=unassigned&sort=oldest_waiting", &list)
	var ids []int64
	for _, c := range list.Conversations {
		ids = append(ids, c.ID)
	}
	if !slices.Equal(ids, []int64{erik.ID, david.ID}) {
		t.Errorf("unassigned, oldest waiting first: got %v, want Erik's (%d) then David's removed comment (%d)", ids, erik.ID, david.ID)
	}
	in.getJSONAs(in.supToken, "/api/v1/conversations?q=cykelbanan", &list)
	if len(list.Conversations) != 2 {
		t.Errorf("search for cykelbanan: got %d conversations, want Anna's and Cilla's", len(list.Conversations))
	}
	from, to := sc2Days(t)
	var report struct {
		Summary []map[string]any `json:"summary"`
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if code := in.getJSONAs(in.supToken, "/api/v1/reports/summary?from="+from+"&to="+to, &report); code != http.StatusOK {
			t.Fatalf("GET summary report: %d", code)
		}
		if len(report.Summary) == 1 && report.Summary[0]["conversations"] == 4.0 && report.Summary[0]["answered"] == 2.0 &&
			report.Summary[0]["replies"] == 2.0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(report.Summary) != 1 || report.Summary[0]["conversations"] != 4.0 || report.Summary[0]["answered"] != 2.0 || report.Summary[0]["replies"] != 2.0 {
		raw, _ := json.Marshal(report)
		t.Errorf("summary report: got %s, want 4 conversations, 2 answered with 2 replies", raw)
	}
	metrics := httpGet(t, in.baseURL+"/metrics")
	if !strings.Contains(metrics, `inkorg_ingest_events_total{channel="facebook_comment",result="created"}`) {
		t.Error("/metrics does not count the ingested comments")
	}
}

// sc2Erase: the conversations are resolved and archived, then Bertil
// asks to be erased; his reply goes, Anna's thread and others' stay.
func sc2Erase(t *testing.T, in *instance, env map[string]string, anna, cilla *inbox.Conversation) {
	t.Helper()
	before := sc2Wait(t, in, anna.ID, "Anna's thread", func(*sc2Thread) bool { return true })
	for _, c := range in.waitConversations(4) {
		if code := in.postJSON(fmt.Sprintf("/api/v1/conversations/%d/status", c.ID), `{"status":"resolved"}`); code != http.StatusOK {
			t.Fatalf("resolve %d: got %d, want 200", c.ID, code)
		}
	}
	from, to := sc2Days(t)
	if code, out := runCmd(t, env, "", "archive", "export", "--from", from, "--to", to, "--out", t.TempDir()+"/archive"); code != exitOK {
		t.Fatalf("archive export: exit %d: %s", code, out)
	}
	code, out := runCmd(t, env, "", "subject", "erase", "--platform-id", "5002", "--reason", "Begäran om radering")
	if code != exitOK {
		t.Fatalf("subject erase: exit %d: %s", code, out)
	}
	t.Logf("subject erase: %s", out)

	th := sc2Wait(t, in, anna.ID, "Anna's thread after the erasure", func(*sc2Thread) bool { return true })
	if len(th.Messages) != len(before.Messages) {
		t.Fatalf("Anna's thread: got %d messages after the erasure, want the %d it had", len(th.Messages), len(before.Messages))
	}
	for i, m := range th.Messages {
		was := before.Messages[i]
		if m.ID != was.ID || m.ParentID != was.ParentID || m.ExternalID != was.ExternalID && was.ExternalID != sc2Bertil {
			t.Errorf("message %d: got id %d parent %d %q, want the thread's structure kept (id %d parent %d %q)",
				i, m.ID, m.ParentID, m.ExternalID, was.ID, was.ParentID, was.ExternalID)
		}
	}
	annaMsg, bertil := th.Messages[0], th.Messages[1]
	if annaMsg.Text != sc2AnnaText || annaMsg.AuthorName != "Anna Andersson" || annaMsg.AuthorExternalID != "5001" {
		t.Errorf("Anna's comment after Bertil's erasure: got %q by %q (%s), want it unchanged", annaMsg.Text, annaMsg.AuthorName, annaMsg.AuthorExternalID)
	}
	if th.Messages[2].Text != sc2PublicText {
		t.Errorf("the Page's reply after Bertil's erasure: got %q, want it unchanged", th.Messages[2].Text)
	}
	raw, _ := json.Marshal(th)
	if bertil.AuthorExternalID == "5002" || bertil.AuthorName != "" || bertil.Text == sc2BertilText {
		t.Errorf("Bertil's erased reply: got %q by %q (%s), want neither his text, name nor id", bertil.Text, bertil.AuthorName, bertil.AuthorExternalID)
	}
	for _, personal := range []string{"Bertil", sc2BertilText} {
		if strings.Contains(string(raw), personal) {
			t.Errorf("Anna's thread still holds Bertil's %q: %s", personal, raw)
		}
	}
	if bertil.ParentID != annaMsg.ID {
		t.Errorf("Bertil's erased reply: got parent %d, want it still under Anna's comment (%d)", bertil.ParentID, annaMsg.ID)
	}
	other := sc2Wait(t, in, cilla.ID, "Cilla's thread after the erasure", func(*sc2Thread) bool { return true })
	if len(other.Messages) != 2 || other.Messages[0].AuthorName != "Cilla Carlsson" || other.Messages[1].Text != sc2PrivateText {
		t.Errorf("Cilla's thread after Bertil's erasure: got %+v, want it unchanged", other.Messages)
	}
	// Whoever reads Anna's thread, or its archived record, sees why a
	// message in it was removed.
	if !sc2Audited(th.History, inbox.ActionSubjectRemoval) {
		t.Errorf("Anna's thread: got history %v, want the removal of Bertil's data from it (%s)", sc2Actions(th.History), inbox.ActionSubjectRemoval)
	}
}

func sc2Actions(h []*inbox.AuditEntry) []string {
	var a []string
	for _, e := range h {
		a = append(a, e.Action)
	}
	return a
}

// sc2Comment is a feed comment change by from on the post, a reply when
// parent is a comment id.
func sc2Comment(id, from, name string, at int64, text, parent string) map[string]any {
	return map[string]any{"item": "comment", "verb": "add", "comment_id": id, "post_id": sc2Post, "parent_id": parent,
		"from": map[string]any{"id": from, "name": name}, "created_time": at, "message": text}
}

// sc2Feed posts one signed feed change for the Page.
func sc2Feed(t *testing.T, in *instance, value map[string]any) {
	t.Helper()
	sc2Deliver(t, in, map[string]any{"id": sc2Page, "time": time.Now().Unix(),
		"changes": []any{map[string]any{"field": "feed", "value": value}}})
}

// sc2Messaging posts one signed Messenger event for the Page.
func sc2Messaging(t *testing.T, in *instance, event map[string]any) {
	t.Helper()
	sc2Deliver(t, in, map[string]any{"id": sc2Page, "time": time.Now().UnixMilli(), "messaging": []any{event}})
}

func sc2Deliver(t *testing.T, in *instance, entry map[string]any) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"object": "page", "entry": []any{entry}})
	if err != nil {
		t.Fatal(err)
	}
	if code := in.postWebhook(body, webhooks.Sign(testAppSecret, body)); code != http.StatusOK {
		t.Fatalf("POST webhook: got %d, want 200", code)
	}
}

// sc2Wait polls a conversation's detail until ok holds for it.
func sc2Wait(t *testing.T, in *instance, id int64, what string, ok func(*sc2Thread) bool) *sc2Thread {
	t.Helper()
	var th *sc2Thread
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		th = &sc2Thread{}
		if code := in.getJSON(fmt.Sprintf("/api/v1/conversations/%d", id), th); code != http.StatusOK {
			t.Fatalf("GET conversation %d: %d", id, code)
		}
		if ok(th) {
			return th
		}
		time.Sleep(50 * time.Millisecond)
	}
	raw, _ := json.MarshalIndent(th, "", " ")
	t.Fatalf("%s: not seen within 20 s; conversation %d is %s", what, id, raw)
	return nil
}

// sc2WaitThread waits for the conversation of a top-level comment.
func sc2WaitThread(t *testing.T, in *instance, key string) *inbox.Conversation {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var list struct {
			Conversations []*inbox.Conversation `json:"conversations"`
		}
		in.getJSONAs(in.supToken, "/api/v1/conversations?limit=100", &list)
		for _, c := range list.Conversations {
			if c.ThreadKey == key {
				return c
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no conversation for %s within 20 s", key)
	return nil
}

// sc2WaitOutbound waits until the conversation has a sent action of kind.
func sc2WaitOutbound(t *testing.T, in *instance, conv int64, kind inbox.OutboundKind) *inbox.OutboundAction {
	t.Helper()
	var out struct {
		Outbound []*inbox.OutboundAction `json:"outbound"`
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		out.Outbound = nil
		in.getJSON(fmt.Sprintf("/api/v1/conversations/%d/outbound", conv), &out)
		for _, a := range out.Outbound {
			if a.Kind == kind && a.State == inbox.OutboundSent {
				return a
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	raw, _ := json.Marshal(out.Outbound)
	t.Fatalf("conversation %d: no sent %s within 20 s; outbound %s", conv, kind, raw)
	return nil
}

// sc2Calls counts the sandbox's answered calls of method to path.
func sc2Calls(t *testing.T, in *instance, method, path string) int {
	t.Helper()
	var calls struct {
		Calls []struct {
			Method, Path string
			Status       int
		} `json:"calls"`
	}
	in.getJSONAs(in.supToken, "/api/v1/sandbox/calls", &calls)
	n := 0
	for _, c := range calls.Calls {
		if c.Method == method && c.Path == path && c.Status == http.StatusOK {
			n++
		}
	}
	return n
}

func sc2Audited(h []*inbox.AuditEntry, action string) bool {
	return slices.ContainsFunc(h, func(e *inbox.AuditEntry) bool { return e.Action == action })
}

func sc2Keys(m map[string]*inbox.Conversation) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	return k
}

// sc2Days are the first and last date in Europe/Stockholm, the time zone
// of the reports' and the archive's days, that hold the scenario's events:
// from before its first comment, dated sc2Lead back when it started, to
// now. Near midnight the two differ.
func sc2Days(t *testing.T) (from, to string) {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(loc)
	return now.Add(-sc2Lead - time.Hour).Format("2006-01-02"), now.Format("2006-01-02")
}
