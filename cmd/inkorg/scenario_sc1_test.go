package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/webhooks"
)

// The Page and the citizen of the Messenger scenario, as in
// messenger_echo_event_captured.json.
const (
	sc1Page    = "234554838031189"
	sc1Citizen = "1739141089378194"
	sc1SentMID = "mid.$cAAFStIxHtgpFwwl111ikQQs_I_oI"
)

// TestScenarioMessengerLifecycle follows one Messenger conversation through
// its whole life, as the kontaktcenter, a department and a supervisor meet
// it, on both backend sets.
func TestScenarioMessengerLifecycle(t *testing.T) {
	onBothBackends(t, baseEnv, testScenarioMessengerLifecycle)
}

// sc1Graph is a fake Graph API: it answers a Send API call only when the
// test releases it, so an echo can arrive before the send's answer; other
// calls (the reconciliation poll, profile look-ups) get empty answers.
type sc1Graph struct {
	mu       sync.Mutex
	sends    []map[string]any
	received chan map[string]any
	release  chan struct{}
}

func (g *sc1Graph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/"+sc1Page+"/messages") {
		io.WriteString(w, `{"data":[]}`)
		return
	}
	var body map[string]any
	json.NewDecoder(r.Body).Decode(&body)
	g.mu.Lock()
	g.sends = append(g.sends, body)
	g.mu.Unlock()
	g.received <- body
	<-g.release
	fmt.Fprintf(w, `{"recipient_id":%q,"message_id":%q}`, sc1Citizen, sc1SentMID)
}

func (g *sc1Graph) sendCount() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.sends)
}

// sc1Client is a user of the API with their token.
type sc1Client struct {
	t     *testing.T
	base  string
	token string
}

func (c sc1Client) do(method, path, body string, v any) int {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if v != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, v); err != nil {
			c.t.Fatalf("%s %s: decode %q: %v", method, path, raw, err)
		}
	}
	if resp.StatusCode >= 300 {
		c.t.Logf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode
}

// act posts a work action and fails unless it is accepted.
func (c sc1Client) act(id int64, action, body string, want int) {
	c.t.Helper()
	if code := c.do(http.MethodPost, fmt.Sprintf("/api/v1/conversations/%d/%s", id, action), body, nil); code != want {
		c.t.Fatalf("%s: got status %d, want %d", action, code, want)
	}
}

func (c sc1Client) detail(id int64) httpapi.ConversationDetail {
	c.t.Helper()
	var d httpapi.ConversationDetail
	if code := c.do(http.MethodGet, fmt.Sprintf("/api/v1/conversations/%d", id), "", &d); code != http.StatusOK {
		c.t.Fatalf("GET conversation %d: got status %d, want 200", id, code)
	}
	return d
}

// waitDetail polls the conversation until ok holds for it.
func (c sc1Client) waitDetail(id int64, what string, ok func(httpapi.ConversationDetail) bool) httpapi.ConversationDetail {
	c.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		d := c.detail(id)
		if ok(d) {
			return d
		}
		if time.Now().After(deadline) {
			raw, _ := json.MarshalIndent(d, "", " ")
			c.t.Fatalf("after 20 s: %s does not hold:\n%s", what, raw)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sc1Messaging is a signed Messenger delivery with one messaging item
// from the citizen (or, with echo, from the Page) holding part.
func sc1Messaging(t *testing.T, in *instance, at time.Time, echo bool, part string) []byte {
	t.Helper()
	sender, recipient := sc1Citizen, sc1Page
	if echo {
		sender, recipient = sc1Page, sc1Citizen
	}
	body := []byte(fmt.Sprintf(`{"object":"page","entry":[{"id":%q,"time":%d,"messaging":[{"sender":{"id":%q},`+
		`"recipient":{"id":%q},"timestamp":%d,%s}]}]}`, sc1Page, at.UnixMilli()+300, sender, recipient, at.UnixMilli(), part))
	sc1Post(t, in, body)
	return body
}

func sc1Post(t *testing.T, in *instance, body []byte) {
	t.Helper()
	if code := in.postWebhook(body, webhooks.Sign(testAppSecret, body)); code != http.StatusOK {
		t.Fatalf("POST webhook: got status %d, want 200", code)
	}
}

func sc1Text(mid, text string) string {
	q, _ := json.Marshal(text)
	return fmt.Sprintf(`"message":{"mid":%q,"seq":73,"text":%s}`, mid, q)
}

func testScenarioMessengerLifecycle(t *testing.T, env map[string]string) {
	graph := &sc1Graph{received: make(chan map[string]any, 4), release: make(chan struct{})}
	srv := httptest.NewServer(graph)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(graph.release) })
	env["META_GRAPH_URL"] = srv.URL
	env["INKORG_SECRET_KEY"] = testKeyOld
	env["INKORG_SLA_INTERVAL"] = "1s"
	env["INKORG_SLA_CONFIG"] = sc1SLAConfig(t)
	if code, _ := runCmd(t, env, "page-token-sc1\n", "accounts", "add", "--platform", "facebook", "--id", sc1Page,
		"--name", "Göteborgs Stad", "--token-stdin"); code != exitOK {
		t.Fatalf("accounts add: exit %d", code)
	}
	const admin = "kretslopp-vatten"
	if code, _ := runCmd(t, env, "", "user", "add", "--name", "specialist-sc1", "--role", "specialist", "--administration", admin); code != exitOK {
		t.Fatalf("user add specialist: exit %d", code)
	}
	code, out := runCmd(t, env, "", "token", "create", "--user", "specialist-sc1")
	if code != exitOK {
		t.Fatalf("token create: exit %d", code)
	}
	in := startInkorg(t, env)
	agent := sc1Client{t, in.baseURL, in.token}
	supervisor := sc1Client{t, in.baseURL, in.supToken}
	specialist := sc1Client{t, in.baseURL, strings.TrimSpace(out)}

	// 1. The citizen writes in Swedish: a text, an image, a quick reply.
	start := time.Now().Add(-10 * time.Minute).Truncate(time.Millisecond)
	var sent [][]byte
	sent = append(sent,
		sc1Messaging(t, in, start, false, sc1Text("mid.$cAAsc1Text001", "Hej! Soptunnan har inte tömts på tre veckor och det luktar illa. Vad ska jag göra?")),
		sc1Messaging(t, in, start.Add(time.Minute), false, `"message":{"mid":"mid.$cAAsc1Image002","seq":51,"attachments":[{"type":"image","payload":{"url":"https://scontent.xx.fbcdn.net/v/soptunna.jpg"}}]}`),
		sc1Messaging(t, in, start.Add(2*time.Minute), false, `"message":{"quick_reply":{"payload":"HUSHALLSAVFALL"},"mid":"mid.$cAAsc1Quick003","seq":867,"text":"Hushållsavfall"}`))
	conv := in.waitConversations(1)[0]
	d := agent.waitDetail(conv.ID, "three messages triaged, at risk", func(d httpapi.ConversationDetail) bool {
		return len(d.Messages) == 3 && d.Conversation.Triage != nil && d.Conversation.SLA != nil && d.Conversation.SLA.State == inbox.SLAAtRisk
	})
	c := d.Conversation
	if c.Channel != inbox.ChannelMessenger || c.Status != inbox.StatusNew || c.Contact == nil || c.Contact.ExternalID != sc1Citizen {
		t.Errorf("new conversation: got channel %q status %q contact %+v, want messenger, new, %s", c.Channel, c.Status, c.Contact, sc1Citizen)
	}
	for i, want := range []string{"mid.$cAAsc1Text001", "mid.$cAAsc1Image002", "mid.$cAAsc1Quick003"} {
		if m := d.Messages[i]; m.ExternalID != want || m.Direction != inbox.DirectionInbound {
			t.Errorf("message %d: got %s %s, want inbound %s", i, m.Direction, m.ExternalID, want)
		}
	}
	if a := d.Messages[1].Attachments; len(a) != 1 || a[0].Type != "image" {
		t.Errorf("image message: got attachments %+v, want one image", a)
	}
	if m := d.Messages[2]; m.Payload != "HUSHALLSAVFALL" || m.Text != "Hushållsavfall" {
		t.Errorf("quick reply: got text %q payload %q", m.Text, m.Payload)
	}
	// Ten minutes unanswered of a 12-minute target: at risk (after 9).
	if !c.FirstMessageAt.Equal(start) || !c.SLA.Running || !c.SLA.StartedAt.Equal(start) || c.SLA.State != inbox.SLAAtRisk ||
		c.SLA.Policy != "sc1_private" || !c.SLA.DueAt.Equal(start.Add(12*time.Minute)) {
		t.Errorf("clock: got first message %v, sla %+v; want it started at %v, running, at risk, due 12 minutes later", c.FirstMessageAt, c.SLA, start)
	}
	var atRisk httpapi.ConversationList
	supervisor.do(http.MethodGet, "/api/v1/conversations?queue=at_risk", "", &atRisk)
	if len(atRisk.Conversations) != 1 {
		t.Errorf("supervisor's at-risk queue: got %d conversations, want 1", len(atRisk.Conversations))
	}
	sc1WaitMetric(t, in, `inkorg_sla_at_risk_total{policy="sc1_private"} 1`)
	tr := d.Conversation.Triage
	if tr.Language != "sv" {
		t.Errorf("triage language: got %q, want sv", tr.Language)
	}
	if c.WaitingSince == nil || !c.WaitingSince.Equal(start) {
		t.Errorf("waiting since: got %v, want %v", c.WaitingSince, start)
	}

	// 2. The agent routes it to the administration triage proposes; the
	// specialist sees it in the department queue, accepts, notes, answers.
	if tr.Administration != admin {
		t.Errorf("triage administration: got %q, want %q", tr.Administration, admin)
	}
	var unassigned httpapi.ConversationList
	agent.do(http.MethodGet, "/api/v1/conversations?queue=unassigned", "", &unassigned)
	if len(unassigned.Conversations) != 1 {
		t.Errorf("unassigned queue before routing: got %d conversations, want 1", len(unassigned.Conversations))
	}
	agent.act(conv.ID, "route", fmt.Sprintf(`{"administration_id":%q,"question":"Vem hämtar soporna?"}`, admin), http.StatusOK)
	var dept httpapi.ConversationList
	specialist.do(http.MethodGet, "/api/v1/conversations?queue=department", "", &dept)
	if len(dept.Conversations) != 1 || dept.Conversations[0].Status != inbox.StatusRouted {
		t.Fatalf("department queue: got %+v, want the routed conversation", dept.Conversations)
	}
	specialist.act(conv.ID, "accept", "", http.StatusOK)
	specialist.act(conv.ID, "notes", `{"text":"Tömningen är försenad i Majorna, ny tömning på torsdag."}`, http.StatusCreated)
	specialist.act(conv.ID, "answer", `{"text":"Ny tömning på torsdag."}`, http.StatusOK)
	d = agent.detail(conv.ID)
	c = d.Conversation
	if c.Status != inbox.StatusOpen || c.AdministrationID != admin || c.AssigneeID == 0 {
		t.Errorf("after answer: got status %q administration %q assignee %d, want open with %s, back to the agent", c.Status, c.AdministrationID, c.AssigneeID, admin)
	}
	var kinds []string
	for _, n := range d.Notes {
		kinds = append(kinds, string(n.Kind)+": "+n.Text)
	}
	if want := []string{"question: Vem hämtar soporna?", "note: Tömningen är försenad i Majorna, ny tömning på torsdag.",
		"answer: Ny tömning på torsdag."}; strings.Join(kinds, "|") != strings.Join(want, "|") {
		t.Errorf("notes: got %q, want %q", kinds, want)
	}

	// 3. The agent replies; Meta echoes the message before the send's
	// answer reaches inkorg.
	var queued inbox.Message
	if code := agent.do(http.MethodPost, fmt.Sprintf("/api/v1/conversations/%d/reply", conv.ID),
		`{"kind":"direct","text":"Hej! Ny tömning sker på torsdag. Vänliga hälsningar, Göteborgs Stad"}`, &queued); code != http.StatusAccepted {
		t.Fatalf("reply: got status %d, want 202", code)
	}
	var call map[string]any
	select {
	case call = <-graph.received:
	case <-time.After(20 * time.Second):
		t.Fatal("the sender did not call the Send API within 20 s")
	}
	msg, _ := call["message"].(map[string]any)
	metadata, _ := msg["metadata"].(string)
	if rcpt, _ := call["recipient"].(map[string]any); rcpt["id"] != sc1Citizen || msg["text"] != queued.Text || metadata == "" {
		t.Errorf("send call: got %+v, want the reply to %s with the idempotency key as metadata", call, sc1Citizen)
	}
	sentAt := time.Now().Truncate(time.Millisecond)
	meta, _ := json.Marshal(metadata)
	echo := sc1Messaging(t, in, sentAt, true, fmt.Sprintf(`"message":{"is_echo":true,"app_id":743273262513025,"mid":%q,"seq":2860,"text":%q,"metadata":%s}`,
		sc1SentMID, queued.Text, meta))
	sent = append(sent, echo)
	time.Sleep(300 * time.Millisecond) // let the echo be ingested first
	graph.release <- struct{}{}
	var outbound struct {
		Outbound []*inbox.OutboundAction `json:"outbound"`
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		agent.do(http.MethodGet, fmt.Sprintf("/api/v1/conversations/%d/outbound", conv.ID), "", &outbound)
		if len(outbound.Outbound) == 1 && outbound.Outbound[0].State == inbox.OutboundSent {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(outbound.Outbound) != 1 || outbound.Outbound[0].State != inbox.OutboundSent {
		t.Fatalf("outbound: got %+v, want one sent action", outbound.Outbound)
	}
	d = agent.waitDetail(conv.ID, "the reply stored once and measured", func(d httpapi.ConversationDetail) bool {
		return len(d.Messages) == 4 && d.Conversation.SLA != nil && !d.Conversation.SLA.Running
	})
	reply := d.Messages[3]
	if reply.Direction != inbox.DirectionOutbound || reply.ExternalID != sc1SentMID || reply.SentOutsideInkorg || reply.Delivery != inbox.DeliverySent {
		t.Errorf("reply: got %s %q outside=%v delivery %q, want outbound %s sent by inkorg, delivery sent",
			reply.Direction, reply.ExternalID, reply.SentOutsideInkorg, reply.Delivery, sc1SentMID)
	}
	if c := d.Conversation; c.FirstResponseAt == nil || c.WaitingSince != nil || c.SLA.Running || c.SLA.State != inbox.SLAOK {
		t.Errorf("after the reply: got first response %v waiting since %v sla %+v, want answered, clock stopped in time", c.FirstResponseAt, c.WaitingSince, c.SLA)
	}
	atRisk = httpapi.ConversationList{}
	supervisor.do(http.MethodGet, "/api/v1/conversations?queue=at_risk", "", &atRisk)
	if len(atRisk.Conversations) != 0 {
		t.Errorf("at-risk queue after the reply: got %d conversations, want none", len(atRisk.Conversations))
	}

	// 4. Receipts out of order: read before delivery; delivery does not
	// take the read back.
	readAt := sentAt.Add(2 * time.Second)
	sent = append(sent, sc1Messaging(t, in, readAt, false, fmt.Sprintf(`"read":{"watermark":%d,"seq":38}`, readAt.UnixMilli())))
	agent.waitDetail(conv.ID, "reply read", func(d httpapi.ConversationDetail) bool { return d.Messages[3].Delivery == inbox.DeliveryRead })
	sent = append(sent, sc1Messaging(t, in, sentAt.Add(time.Second), false,
		fmt.Sprintf(`"delivery":{"mids":[%q],"watermark":%d,"seq":37}`, sc1SentMID, sentAt.Add(time.Second).UnixMilli())))

	// 5. Pending, then the citizen answers: open again, the clock runs.
	agent.act(conv.ID, "status", `{"status":"pending"}`, http.StatusOK)
	d = agent.detail(conv.ID)
	if d.Messages[3].Delivery != inbox.DeliveryRead {
		t.Errorf("after a late delivery receipt: got %q, want read", d.Messages[3].Delivery)
	}
	if d.Conversation.Status != inbox.StatusPending {
		t.Errorf("status: got %q, want pending", d.Conversation.Status)
	}
	var pendingQueue httpapi.ConversationList
	agent.do(http.MethodGet, "/api/v1/conversations?queue=pending", "", &pendingQueue)
	if len(pendingQueue.Conversations) != 1 {
		t.Errorf("pending queue: got %d conversations, want 1", len(pendingQueue.Conversations))
	}
	answerAt := time.Now().Truncate(time.Millisecond)
	sent = append(sent, sc1Messaging(t, in, answerAt, false, sc1Text("mid.$cAAsc1Answer004", "Tack, men vilken tid på torsdag?")))
	d = agent.waitDetail(conv.ID, "the citizen's answer measured", func(d httpapi.ConversationDetail) bool {
		return len(d.Messages) == 5 && d.Conversation.Status != inbox.StatusPending && d.Conversation.SLA != nil && !d.Conversation.SLA.Paused
	})
	c = d.Conversation
	if c.Status != inbox.StatusOpen || c.WaitingSince == nil || !c.WaitingSince.Equal(answerAt) {
		t.Errorf("after the citizen's answer: got status %q waiting since %v, want open, waiting since %v", c.Status, c.WaitingSince, answerAt)
	}
	var mine httpapi.ConversationList
	agent.do(http.MethodGet, "/api/v1/conversations?queue=mine&sort=oldest_waiting", "", &mine)
	if len(mine.Conversations) != 1 || mine.Conversations[0].ID != conv.ID {
		t.Errorf("agent's own queue after the citizen's answer: got %d conversations, want this one", len(mine.Conversations))
	}
	// The policy measures the first response, which the reply gave: the
	// clock stays stopped; the follow-up waits as the oldest unanswered.
	if c.SLA.Running || !c.SLA.StartedAt.Equal(start) {
		t.Errorf("sla after the answer: got %+v, want the first question's clock, stopped", c.SLA)
	}

	// 6. The citizen edits and then unsends the answer.
	editAt := time.Now().Truncate(time.Millisecond)
	sent = append(sent, sc1Messaging(t, in, editAt, false, `"message_edit":{"mid":"mid.$cAAsc1Answer004","text":"Tack, men vilken tid på torsdag morgon?","num_edit":"1"}`))
	d = agent.waitDetail(conv.ID, "the edit", func(d httpapi.ConversationDetail) bool { return d.Messages[4].EditedAt != nil })
	if m := d.Messages[4]; m.Text != "Tack, men vilken tid på torsdag morgon?" || m.OriginalText != "Tack, men vilken tid på torsdag?" || len(m.Edits) != 1 {
		t.Errorf("edited message: got text %q original %q edits %d", m.Text, m.OriginalText, len(m.Edits))
	}
	sent = append(sent, sc1Messaging(t, in, time.Now(), false, `"message":{"is_deleted":true,"mid":"mid.$cAAsc1Answer004"}`))
	agent.waitDetail(conv.ID, "the unsend", func(d httpapi.ConversationDetail) bool { return d.Messages[4].DeletedAt != nil })
	// The detail reads the conversation before its messages: read it
	// again to see the conversation as the unsend left it.
	d = agent.detail(conv.ID)
	if len(d.Messages) != 5 || d.Conversation.Preview != "[Borttaget meddelande]" {
		t.Errorf("after unsend: got %d messages, preview %q; want 5, [Borttaget meddelande]", len(d.Messages), d.Conversation.Preview)
	}

	// 7. The agent resolves; the citizen writes again later: reopened
	// with a new question and a new clock.
	agent.act(conv.ID, "status", `{"status":"resolved"}`, http.StatusOK)
	if c := agent.detail(conv.ID).Conversation; c.Status != inbox.StatusResolved || c.ResolvedAt == nil {
		t.Errorf("resolve: got status %q resolved %v", c.Status, c.ResolvedAt)
	}
	// Meta delivers the earlier webhooks again while it is resolved: a
	// late copy of an older message does not reopen it.
	for _, body := range sent {
		sc1Post(t, in, body)
	}
	time.Sleep(time.Second)
	if d := agent.detail(conv.ID); d.Conversation.Status != inbox.StatusResolved || len(d.Messages) != 5 {
		t.Errorf("redelivered while resolved: got status %q, %d messages; want resolved, 5", d.Conversation.Status, len(d.Messages))
	}
	againAt := time.Now().Truncate(time.Millisecond)
	sc1Messaging(t, in, againAt, false, sc1Text("mid.$cAAsc1Again005", "Hej igen, nu har soptunnan inte tömts igen."))
	d = agent.waitDetail(conv.ID, "the new question measured", func(d httpapi.ConversationDetail) bool {
		return len(d.Messages) == 6 && d.Conversation.SLA != nil && d.Conversation.SLA.Running
	})
	c = d.Conversation
	if c.Status != inbox.StatusOpen || c.ResolvedAt != nil || !c.SLA.StartedAt.Equal(againAt) || c.SLA.State != inbox.SLAOK || c.WaitingSince == nil || !c.WaitingSince.Equal(againAt) {
		t.Errorf("reopened: got status %q resolved %v sla %+v waiting since %v, want open, waiting and a running clock from %v",
			c.Status, c.ResolvedAt, c.SLA, c.WaitingSince, againAt)
	}
	if c.Preview != "Hej igen, nu har soptunnan inte tömts igen." || c.MessageCount != 6 {
		t.Errorf("reopened: got preview %q, %d messages", c.Preview, c.MessageCount)
	}
	sc1CheckHistory(t, d.History, c.AssigneeID)
	history := len(d.History)

	// 8. Meta delivers everything earlier again: nothing changes.
	for _, body := range sent {
		sc1Post(t, in, body)
	}
	time.Sleep(time.Second)
	d2 := agent.waitDetail(conv.ID, "redeliveries applied", func(httpapi.ConversationDetail) bool { return true })
	if len(d2.Messages) != 6 || d2.Conversation.Status != inbox.StatusOpen || len(d2.History) != history {
		t.Errorf("after redeliveries: got %d messages, status %q, %d history entries; want 6, open, %d",
			len(d2.Messages), d2.Conversation.Status, len(d2.History), history)
	}
	if len(d2.Messages) == 6 && (d2.Messages[3].Delivery != inbox.DeliveryRead || d2.Messages[4].DeletedAt == nil) {
		t.Errorf("after redeliveries: got reply delivery %q, unsent message deleted at %v; want read, still deleted",
			d2.Messages[3].Delivery, d2.Messages[4].DeletedAt)
	}
	if n := graph.sendCount(); n != 1 {
		t.Errorf("Send API calls: got %d, want 1", n)
	}
	var list httpapi.ConversationList
	supervisor.do(http.MethodGet, "/api/v1/conversations", "", &list)
	if len(list.Conversations) != 1 {
		t.Errorf("supervisor's list: got %d conversations, want 1", len(list.Conversations))
	}
	metrics := httpGet(t, in.baseURL+"/metrics")
	for _, want := range []string{`inkorg_outbound_sent_total{kind="direct_message"} 1`, `inkorg_sla_at_risk_total{policy="sc1_private"} 1`, `inkorg_ingest_events_total{channel="messenger",result="duplicate"}`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// sc1WaitMetric waits until /metrics has the line want; the SLA watcher
// counts on its own schedule.
func sc1WaitMetric(t *testing.T, in *instance, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(httpGet(t, in.baseURL+"/metrics"), want) {
		if time.Now().After(deadline) {
			t.Errorf("/metrics lacks %s after 20 s", want)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// sc1SLAConfig writes an SLA configuration open around the clock, so the
// scenario's clocks run whenever it runs, with a 12-minute first-response
// target for Messenger, and returns its path.
func sc1SLAConfig(t *testing.T) string {
	t.Helper()
	day := `["00:00-24:00"]`
	cfg := fmt.Sprintf(`{"business_hours":{"week":{"monday":%[1]s,"tuesday":%[1]s,"wednesday":%[1]s,"thursday":%[1]s,`+
		`"friday":%[1]s,"saturday":%[1]s,"sunday":%[1]s}},"at_risk":0.75,`+
		`"policies":[{"name":"sc1_private","channel":["messenger"],"target":"12m"}]}`, day)
	path := filepath.Join(t.TempDir(), "sla.json")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// sc1CheckHistory checks the audit trail a supervisor reads: who routed,
// who worked in the department, who replied and changed the status.
func sc1CheckHistory(t *testing.T, history []*inbox.AuditEntry, agentID int64) {
	t.Helper()
	type step struct {
		action string
		agent  bool
		after  string
	}
	want := []step{{"route", true, "routed"}, {"accept", false, "routed"}, {"note", false, "routed"}, {"answer", false, "open"},
		{"reply", true, "open"}, {"status", true, "pending"}, {"status", true, "resolved"}}
	if len(history) != len(want) {
		t.Fatalf("history: got %d entries, want %d", len(history), len(want))
	}
	for i, e := range history {
		var detail struct {
			After struct{ Status string } `json:"after"`
		}
		json.Unmarshal([]byte(e.Detail), &detail)
		if w := want[i]; e.Action != w.action || (e.ActorID == agentID) != w.agent || e.ActorID == 0 || detail.After.Status != w.after {
			t.Errorf("history %d: got %s by %d to %q, want %s to %q (by the agent: %v)", i, e.Action, e.ActorID, detail.After.Status, w.action, w.after, w.agent)
		}
	}
}
