package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/webhooks"
)

// The Instagram scenario's account, citizen and media.
const (
	igAccount      = "17841452691600098"
	igCitizen      = "5614879045272581"
	igReel         = "17900000000000001"
	igComment      = "17850000000000001"
	igCommentReply = "17850000000000002"
	igOtherAccount = "17841400000000777"
	igOtherCitizen = "6600000000000001"
)

// TestScenarioInstagram drives an Instagram account through its life in
// inkorg: added with accounts add, a comment on a reel answered with a
// private reply whose echo comes without metadata, the citizen's Direct
// messages with a story mention, a share and an unsupported attachment,
// an unsend, an edit before its message, a seen receipt, redeliveries,
// and events for an account that is added only after they came.
func TestScenarioInstagram(t *testing.T) {
	onBothBackends(t, scenarioEnv, testScenarioInstagram)
}

func scenarioEnv(t *testing.T) map[string]string {
	env := baseEnv(t)
	env["META_GRAPH_URL"] = "sandbox"
	env["INKORG_SECRET_KEY"] = testKeyOld
	env["INKORG_SLA_INTERVAL"] = "1s"
	return env
}

// igScenario posts signed deliveries and waits for the ingest worker to
// have applied every one of them.
type igScenario struct {
	t      *testing.T
	in     *instance
	posted int
	now    time.Time
}

// post posts body signed with the app secret and waits until the ingest
// worker has applied it (and every delivery before it).
func (s *igScenario) post(body string) {
	s.t.Helper()
	if code := s.in.postWebhook([]byte(body), webhooks.Sign(testAppSecret, []byte(body))); code != http.StatusOK {
		s.t.Fatalf("POST webhook: got %d, want 200: %s", code, body)
	}
	s.posted++
	waitFor(s.t, func() bool {
		return metricValue(httpGet(s.t, s.in.baseURL+"/metrics"), `inkorg_ingest_deliveries_total{result="applied"}`) >= float64(s.posted)
	})
}

// at is a platform time in milliseconds, sec seconds after the scenario's
// start.
func (s *igScenario) at(sec int) int64 {
	return s.now.Add(time.Duration(sec) * time.Second).UnixMilli()
}

// dm is a Direct messaging delivery to account with one item.
func (s *igScenario) dm(account string, sec int, item string) string {
	return fmt.Sprintf(`{"object":"instagram","entry":[{"time":%d,"id":%q,"messaging":[%s]}]}`, s.at(sec), account, item)
}

// fromCitizen is a messaging item from citizen to account.
func (s *igScenario) fromCitizen(account, citizen string, sec int, fields string) string {
	return s.dm(account, sec, fmt.Sprintf(`{"sender":{"id":%q},"recipient":{"id":%q},"timestamp":%d,%s}`,
		citizen, account, s.at(sec), fields))
}

func (s *igScenario) detail(id int64) httpapi.ConversationDetail {
	s.t.Helper()
	var d httpapi.ConversationDetail
	if code := s.in.getJSON(fmt.Sprintf("/api/v1/conversations/%d", id), &d); code != http.StatusOK {
		s.t.Fatalf("GET conversation %d: got %d, want 200", id, code)
	}
	return d
}

// conversations lists every conversation the supervisor sees.
func (s *igScenario) conversations() map[inbox.Channel][]*inbox.Conversation {
	s.t.Helper()
	var list httpapi.ConversationList
	if code := s.in.getJSONAs(s.in.supToken, "/api/v1/conversations", &list); code != http.StatusOK {
		s.t.Fatalf("GET conversations: got %d, want 200", code)
	}
	out := map[inbox.Channel][]*inbox.Conversation{}
	for _, c := range list.Conversations {
		out[c.Channel] = append(out[c.Channel], c)
	}
	return out
}

// outbound waits until the conversation has n outbound actions, all sent,
// and returns them.
func (s *igScenario) outbound(convID int64, n int) []*inbox.OutboundAction {
	s.t.Helper()
	var out struct {
		Outbound []*inbox.OutboundAction `json:"outbound"`
	}
	waitFor(s.t, func() bool {
		out.Outbound = nil
		s.in.getJSON(fmt.Sprintf("/api/v1/conversations/%d/outbound", convID), &out)
		if len(out.Outbound) != n {
			return false
		}
		for _, a := range out.Outbound {
			if a.State != inbox.OutboundSent {
				return false
			}
		}
		return true
	})
	return out.Outbound
}

func (s *igScenario) metrics() string { return httpGet(s.t, s.in.baseURL+"/metrics") }

// metricValue is the value of the sample named exactly series (name and
// labels) in a Prometheus text exposition, 0 when absent.
func metricValue(exposition, series string) float64 {
	sc := bufio.NewScanner(strings.NewReader(exposition))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if ok && name == series {
			v, _ := strconv.ParseFloat(value, 64)
			return v
		}
	}
	return 0
}

func dump(v any) string {
	b, _ := json.MarshalIndent(v, "", " ")
	return string(b)
}

func testScenarioInstagram(t *testing.T, env map[string]string) {
	// The account is added before serving, as an administrator would.
	if code, _ := runCmd(t, env, "sandbox-ig-token\n", "accounts", "add", "--platform", "instagram", "--id", igAccount,
		"--name", "goteborgsstad", "--token-stdin"); code != exitOK {
		t.Fatalf("accounts add: exit %d", code)
	}
	if code, out := runCmd(t, env, "", "accounts", "list"); code != exitOK || !strings.Contains(out, igAccount) {
		t.Fatalf("accounts list: exit %d, %q, want the Instagram account", code, out)
	}
	in := startInkorg(t, env)
	s := &igScenario{t: t, in: in, now: time.Now().Add(-time.Hour).Truncate(time.Second)}

	// 1. A citizen comments on a reel (changes[] with comment_id); Meta
	// delivers it twice.
	comment := fmt.Sprintf(`{"object":"instagram","entry":[{"id":%q,"time":%d,"changes":[{"field":"comments","value":{
		"from":{"id":%q,"username":"medborgare_gbg"},"comment_id":%q,"text":"När öppnar badet i Frölunda igen?",
		"media":{"id":%q,"media_product_type":"REELS"}}}]}]}`, igAccount, s.at(0)/1000, igCitizen, igComment, igReel)
	s.post(comment)
	s.post(comment)
	convs := s.conversations()
	if len(convs[inbox.ChannelInstagramComment]) != 1 || len(convs) != 1 {
		t.Fatalf("after the comment: got %s, want one instagram_comment conversation", dump(convs))
	}
	cc := convs[inbox.ChannelInstagramComment][0]
	if cc.UnknownAccount || cc.AccountID == 0 || cc.AccountExternalID != igAccount || cc.Status != inbox.StatusNew {
		t.Errorf("comment conversation: got account %d %q unknown=%v status %q, want the managed account, new",
			cc.AccountID, cc.AccountExternalID, cc.UnknownAccount, cc.Status)
	}
	if sla := s.sla(cc.ID, true); sla.Policy != "comments" {
		t.Errorf("comment conversation SLA: got %s, want the running comments clock", dump(sla))
	}
	d := s.detail(cc.ID)
	if len(d.Messages) != 1 {
		t.Fatalf("comment thread: got %d messages, want 1 (a redelivery must not duplicate)", len(d.Messages))
	}
	first := d.Messages[0]
	if first.ExternalID != igComment || first.Direction != inbox.DirectionInbound || first.PostType != "REELS" ||
		first.AuthorExternalID != igCitizen || first.Text != "När öppnar badet i Frölunda igen?" {
		t.Errorf("comment: got %s, want the citizen's inbound comment on a REELS media", dump(first))
	}

	// 2. The citizen answers their own comment in the Instagram Login shape
	// (no changes[] wrapper, id instead of comment_id).
	s.post(fmt.Sprintf(`{"object":"instagram","entry":[{"id":%q,"time":%d,"field":"comments","value":{
		"from":{"id":%q,"username":"medborgare_gbg"},"id":%q,"parent_id":%q,"text":"Det gäller vuxensimningen.",
		"media":{"id":%q,"media_product_type":"REELS"}}}]}`, igAccount, s.at(10)/1000, igCitizen, igCommentReply, igComment, igReel))
	d = s.detail(cc.ID)
	if len(d.Messages) != 2 || d.Messages[1].ExternalID != igCommentReply || d.Messages[1].ParentExternalID != igComment {
		t.Fatalf("comment thread after the reply: got %s, want the reply second, under the comment", dump(d.Messages))
	}

	// 3. An agent answers with a private reply; Instagram echoes it in the
	// Direct thread without the metadata, and delivers the echo twice.
	in.reply(t, cc.ID, fmt.Sprintf(`{"kind":"private","text":"Hej! Vi svarar dig i Direct.","reply_to_message_id":%d}`, first.ID))
	pr := s.outbound(cc.ID, 1)[0]
	if pr.Kind != inbox.OutboundPrivateReply || pr.PlatformID == "" || pr.TargetExternalID != igComment {
		t.Fatalf("private reply: got %s, want a sent private reply to the comment with Meta's id", dump(pr))
	}
	var calls struct {
		Calls []struct {
			Method, Path string
			Status       int
		} `json:"calls"`
	}
	in.getJSONAs(in.supToken, "/api/v1/sandbox/calls", &calls)
	sends := 0
	for _, c := range calls.Calls {
		if c.Method == http.MethodPost && c.Path == "/"+igAccount+"/messages" && c.Status == http.StatusOK {
			sends++
		}
	}
	if sends != 1 {
		t.Errorf("sandbox calls %s, want one send on the Instagram account", dump(calls.Calls))
	}
	echo := s.dm(igAccount, 60, fmt.Sprintf(`{"sender":{"id":%q},"recipient":{"id":%q},"timestamp":%d,
		"message":{"mid":%q,"text":"Hej! Vi svarar dig i Direct.","is_echo":true}}`, igAccount, igCitizen, s.at(60), pr.PlatformID))
	s.post(echo)
	s.post(echo)
	if got := s.conversations(); len(got) != 1 {
		t.Errorf("after the private reply's echo: got %s, want only the comment conversation", dump(got))
	}
	d = s.detail(cc.ID)
	if len(d.Messages) != 3 {
		t.Fatalf("comment thread after the private reply: got %s, want 3 messages", dump(d.Messages))
	}
	reply := d.Messages[2]
	if reply.Direction != inbox.DirectionOutbound || reply.ExternalID != pr.PlatformID || reply.SentOutsideInkorg ||
		reply.Delivery != inbox.DeliverySent {
		t.Errorf("private reply message: got %s, want inkorg's outbound reply, sent, under Meta's id", dump(reply))
	}
	if d.Conversation.FirstResponseAt == nil || d.Conversation.Status == inbox.StatusNew {
		t.Errorf("after the private reply: got first response %v, status %q, want answered and taken up",
			d.Conversation.FirstResponseAt, d.Conversation.Status)
	}
	s.sla(cc.ID, false)
	// Meta takes one private reply per comment.
	again := fmt.Sprintf(`{"kind":"private","text":"Ett svar till.","reply_to_message_id":%d}`, first.ID)
	if code := in.postJSON(fmt.Sprintf("/api/v1/conversations/%d/reply", cc.ID), again); code != http.StatusConflict {
		t.Errorf("a second private reply to the comment: got %d, want 409", code)
	}
	if !hasAudit(d.History, inbox.ActionReply) {
		t.Errorf("history %s lacks the reply", dump(d.History))
	}

	// 4. The citizen writes in Direct: text, a story mention, a share and
	// an unsupported attachment (Meta's captured payload).
	cdn := "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17997515821557846&signature=abc"
	s.post(s.fromCitizen(igAccount, igCitizen, 120, `"message":{"mid":"ig_mid_text","text":"Tack! Jag nämnde er i min story."}`))
	s.post(s.fromCitizen(igAccount, igCitizen, 121, fmt.Sprintf(`"message":{"mid":"ig_mid_story","attachments":[{"type":"story_mention","payload":{"url":%q}}]}`, cdn)))
	unsupported := strings.NewReplacer("1668022334834", strconv.FormatInt(s.at(122), 10), "1668022333735", strconv.FormatInt(s.at(122), 10)).
		Replace(string(fixture(t, "ig_dm_unsupported_attachment.json")))
	s.post(unsupported)
	s.post(s.fromCitizen(igAccount, igCitizen, 123, fmt.Sprintf(`"message":{"mid":"ig_mid_share","attachments":[{"type":"share","payload":{"url":%q}}]}`, cdn)))
	convs = s.conversations()
	if len(convs[inbox.ChannelInstagramDirect]) != 1 {
		t.Fatalf("after the Direct messages: got %s, want one instagram_direct conversation", dump(convs))
	}
	dc := convs[inbox.ChannelInstagramDirect][0]
	if dc.UnknownAccount || dc.AccountID != cc.AccountID || dc.Contact == nil || dc.Contact.ExternalID != igCitizen {
		t.Errorf("Direct conversation: got %s, want the managed account and the citizen", dump(dc))
	}
	if sla := s.sla(dc.ID, true); sla.Policy != "private_messages" {
		t.Errorf("Direct conversation SLA: got %s, want the running private_messages clock", dump(sla))
	}
	d = s.detail(dc.ID)
	wantTypes := []string{"", "story_mention", "unsupported_type", "share"}
	if len(d.Messages) != len(wantTypes) {
		t.Fatalf("Direct thread: got %s, want %d messages", dump(d.Messages), len(wantTypes))
	}
	for i, m := range d.Messages {
		got := ""
		if len(m.Attachments) > 0 {
			got = m.Attachments[0].Type
		}
		if got != wantTypes[i] || m.Direction != inbox.DirectionInbound {
			t.Errorf("Direct message %d: got %s, want an inbound message with attachment %q", i, dump(m), wantTypes[i])
		}
	}

	// 5. The citizen unsends the share; Meta delivers the unsend twice.
	unsend := s.fromCitizen(igAccount, igCitizen, 130, `"message":{"mid":"ig_mid_share","is_deleted":true}`)
	s.post(unsend)
	s.post(unsend)
	d = s.detail(dc.ID)
	if len(d.Messages) != 4 || d.Messages[3].ExternalID != "ig_mid_share" || d.Messages[3].DeletedAt == nil ||
		len(d.Messages[3].Attachments) != 0 {
		t.Errorf("after the unsend: got %s, want the share kept in its place, deleted, without its media", dump(d.Messages))
	}
	if d.Conversation.Preview != "[Borttaget meddelande]" {
		t.Errorf("preview after the unsend: got %q, want [Borttaget meddelande]", d.Conversation.Preview)
	}

	// 6. An edit arrives before its message; then the message, then the
	// edit again.
	edit := s.fromCitizen(igAccount, igCitizen, 141, `"message_edit":{"mid":"ig_mid_edit","text":"Var finns vuxensimningens tider?"}`)
	s.post(edit)
	s.post(s.fromCitizen(igAccount, igCitizen, 140, `"message":{"mid":"ig_mid_edit","text":"Var finns tiderna?"}`))
	s.post(edit)
	d = s.detail(dc.ID)
	if len(d.Messages) != 5 {
		t.Fatalf("after the edit: got %s, want 5 messages", dump(d.Messages))
	}
	edited := d.Messages[4]
	if edited.ExternalID != "ig_mid_edit" || edited.Text != "Var finns vuxensimningens tider?" ||
		edited.OriginalText != "Var finns tiderna?" || len(edited.Edits) != 1 {
		t.Errorf("edited message: got %s, want the edit applied once over the original", dump(edited))
	}

	// An unsend that arrives before its message: the message is kept,
	// deleted.
	s.post(s.fromCitizen(igAccount, igCitizen, 146, `"message":{"mid":"ig_mid_gone","is_deleted":true}`))
	s.post(s.fromCitizen(igAccount, igCitizen, 145, `"message":{"mid":"ig_mid_gone","text":"Fel tråd, glöm det."}`))
	d = s.detail(dc.ID)
	if len(d.Messages) != 6 || d.Messages[5].ExternalID != "ig_mid_gone" || d.Messages[5].DeletedAt == nil || d.Messages[5].Text != "" {
		t.Fatalf("after an unsend before its message: got %s, want it last, deleted, its text hidden", dump(d.Messages))
	}
	if d.Conversation.Preview != "[Borttaget meddelande]" {
		t.Errorf("preview after an unsend before its message: got %q, want [Borttaget meddelande]", d.Conversation.Preview)
	}

	// 7. The agent answers in Direct and the citizen sees it.
	in.reply(t, dc.ID, `{"kind":"direct","text":"Tiderna finns på goteborg.se/frolundabadet."}`)
	dr := s.outbound(dc.ID, 1)[0]
	if dr.Kind != inbox.OutboundDirectMessage || dr.PlatformID == "" {
		t.Fatalf("Direct reply: got %s, want a sent message with Meta's id", dump(dr))
	}
	seen := s.fromCitizen(igAccount, igCitizen, int(time.Since(s.now).Seconds())+5, fmt.Sprintf(`"read":{"mid":%q}`, dr.PlatformID))
	s.post(seen)
	s.post(seen)
	d = s.detail(dc.ID)
	last := d.Messages[len(d.Messages)-1]
	if len(d.Messages) != 7 || last.ExternalID != dr.PlatformID || last.Direction != inbox.DirectionOutbound ||
		last.Delivery != inbox.DeliveryRead {
		t.Errorf("after the seen receipt: got %s, want the agent's reply last, read", dump(d.Messages))
	}
	if d.Conversation.FirstResponseAt == nil {
		t.Error("Direct conversation after the reply: no first response")
	}
	s.sla(dc.ID, false)
	// Instagram put the private reply in the same Direct thread, before
	// the agent's message: the citizen has seen it too.
	if m := s.detail(cc.ID).Messages[2]; m.Delivery != inbox.DeliveryRead {
		t.Errorf("private reply after the citizen saw their Direct thread: got delivery %q, want read", m.Delivery)
	}

	// 7b. The agent asks the sports department; its specialist sees the
	// thread as the agent does, without the unsent message's content, and
	// answers back.
	if code, _ := runCmd(t, env, "", "user", "add", "--name", "idrott-e2e", "--role", "specialist",
		"--administration", "idrott-forening"); code != exitOK {
		t.Fatalf("user add specialist: exit %d", code)
	}
	_, specialistToken := runCmd(t, env, "", "token", "create", "--user", "idrott-e2e")
	specialist := *in
	specialist.token = strings.TrimSpace(specialistToken)
	agentID := s.detail(dc.ID).Conversation.AssigneeID
	if code := in.postJSON(fmt.Sprintf("/api/v1/conversations/%d/route", dc.ID),
		`{"administration_id":"idrott-forening","question":"Stämmer tiderna för vuxensimningen?"}`); code != http.StatusOK {
		t.Fatalf("route: got %d, want 200", code)
	}
	var dept httpapi.ConversationList
	specialist.getJSON("/api/v1/conversations?queue=department", &dept)
	if len(dept.Conversations) != 1 || dept.Conversations[0].ID != dc.ID || dept.Conversations[0].Status != inbox.StatusRouted {
		t.Fatalf("the specialist's department queue: got %s, want only the routed Direct thread", dump(dept.Conversations))
	}
	if code := specialist.getJSON(fmt.Sprintf("/api/v1/conversations/%d", cc.ID), nil); code != http.StatusForbidden && code != http.StatusNotFound {
		t.Errorf("the specialist reading the comment thread not routed to them: got %d, want 403 or 404", code)
	}
	var sd httpapi.ConversationDetail
	specialist.getJSON(fmt.Sprintf("/api/v1/conversations/%d", dc.ID), &sd)
	if len(sd.Messages) != 7 || sd.Messages[3].DeletedAt == nil || len(sd.Messages[3].Attachments) != 0 || sd.Messages[5].Text != "" {
		t.Errorf("the specialist's view: got %s, want the thread with unsent messages emptied", dump(sd.Messages))
	}
	if code := specialist.postJSON(fmt.Sprintf("/api/v1/conversations/%d/answer", dc.ID), `{"text":"Ja, tisdagar och torsdagar 07-09."}`); code != http.StatusOK {
		t.Fatalf("answer as the specialist: got %d, want 200", code)
	}
	d = s.detail(dc.ID)
	if d.Conversation.Status != inbox.StatusOpen || agentID == 0 || d.Conversation.AssigneeID != agentID ||
		!hasAudit(d.History, inbox.ActionRoute) || !hasAudit(d.History, inbox.ActionAnswer) {
		t.Errorf("after the department's answer: got status %q, assignee %d, history %s, want open, with agent %d, route and answer audited",
			d.Conversation.Status, d.Conversation.AssigneeID, dump(d.History), agentID)
	}

	// 8. A message for an Instagram account that is not managed yet.
	unknownSeries := `inkorg_ingest_unknown_account_messages_total{channel="instagram_direct"}`
	s.post(s.fromCitizen(igOtherAccount, igOtherCitizen, 200, `"message":{"mid":"ig_mid_other_1","text":"Hej, är detta kulturförvaltningen?"}`))
	s.post(s.fromCitizen(igOtherAccount, igOtherCitizen, 201, `"message":{"mid":"ig_mid_other_2","text":"Jag undrar om Kulturkalaset."}`))
	s.post(s.fromCitizen(igOtherAccount, igOtherCitizen, 201, `"message":{"mid":"ig_mid_other_2","text":"Jag undrar om Kulturkalaset."}`))
	uc := s.byAccount(igOtherAccount)
	if !uc.UnknownAccount || uc.AccountID != 0 {
		t.Errorf("conversation for an unmanaged account: got account %d unknown=%v, want flagged unknown", uc.AccountID, uc.UnknownAccount)
	}
	if got := metricValue(s.metrics(), unknownSeries); got != 2 {
		t.Errorf("%s: got %v, want 2 (a redelivery is no new message)", unknownSeries, got)
	}
	if n := strings.Count(in.stderr.String(), "account_external_id="+igOtherAccount); n != 1 {
		t.Errorf("unknown account logged %d times, want once", n)
	}

	var agentList httpapi.ConversationList
	in.getJSON("/api/v1/conversations?channel=instagram_direct", &agentList)
	if len(agentList.Conversations) != 2 {
		t.Errorf("an agent's Direct list: got %s, want both threads, the flagged one included", dump(agentList.Conversations))
	}

	// An administrator adds the account through the API while inkorg
	// runs; its next message adopts the conversation.
	if code, _ := runCmd(t, env, "", "user", "add", "--name", "admin-e2e", "--role", "admin"); code != exitOK {
		t.Fatalf("user add admin: exit %d", code)
	}
	_, adminToken := runCmd(t, env, "", "token", "create", "--user", "admin-e2e")
	admin := *in
	admin.token = strings.TrimSpace(adminToken)
	body := fmt.Sprintf(`{"platform":"instagram","external_id":%q,"name":"kulturforvaltningen"}`, igOtherAccount)
	if code := admin.postJSON("/api/v1/accounts", body); code != http.StatusCreated {
		t.Fatalf("POST /api/v1/accounts as an admin: got %d, want 201", code)
	}
	s.post(s.fromCitizen(igOtherAccount, igOtherCitizen, 202, `"message":{"mid":"ig_mid_other_3","text":"När börjar det?"}`))
	uc2 := s.byAccount(igOtherAccount)
	if uc2.ID != uc.ID || uc2.UnknownAccount || uc2.AccountID == 0 || uc2.MessageCount != 3 {
		t.Errorf("after the account was added: got %s, want conversation %d adopted with 3 messages", dump(uc2), uc.ID)
	}
	if got := metricValue(s.metrics(), unknownSeries); got != 2 {
		t.Errorf("%s after adoption: got %v, want 2", unknownSeries, got)
	}
	if sla := s.sla(uc.ID, true); sla.Policy != "private_messages" {
		t.Errorf("adopted conversation SLA: got %s, want the running private_messages clock", dump(sla))
	}

	// 9. Everything delivered again changes nothing.
	before := map[int64]string{}
	for _, id := range []int64{cc.ID, dc.ID, uc.ID} {
		before[id] = dump(messagesOf(s.detail(id)))
	}
	for _, id := range []int64{cc.ID, dc.ID, uc.ID} {
		before[id] += workState(s.detail(id).Conversation)
	}
	for _, body := range []string{comment, echo, unsend, edit, seen, unsupported} {
		s.post(body)
	}
	for _, id := range []int64{cc.ID, dc.ID, uc.ID} {
		d := s.detail(id)
		if got := dump(messagesOf(d)) + workState(d.Conversation); got != before[id] {
			t.Errorf("conversation %d after redeliveries:\n%s\nwant\n%s", id, got, before[id])
		}
	}
	if got := s.conversations(); len(got[inbox.ChannelInstagramComment]) != 1 || len(got[inbox.ChannelInstagramDirect]) != 2 {
		t.Errorf("after redeliveries: got %s, want one comment and two Direct conversations", dump(got))
	}
}

// sla waits until the conversation's SLA clock is measured and running
// (or stopped) and returns it.
func (s *igScenario) sla(id int64, running bool) *inbox.SLAStatus {
	s.t.Helper()
	var sla *inbox.SLAStatus
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if sla = s.detail(id).Conversation.SLA; sla != nil && sla.Running == running {
			return sla
		}
	}
	s.t.Fatalf("conversation %d SLA: got %s, want running=%v", id, dump(sla), running)
	return nil
}

// byAccount is the one conversation of the Instagram account external id.
func (s *igScenario) byAccount(external string) *inbox.Conversation {
	s.t.Helper()
	var found []*inbox.Conversation
	for _, cs := range s.conversations() {
		for _, c := range cs {
			if c.AccountExternalID == external {
				found = append(found, c)
			}
		}
	}
	if len(found) != 1 {
		s.t.Fatalf("conversations of account %s: got %s, want one", external, dump(found))
	}
	return found[0]
}

// messagesOf is what a redelivery must not change about a thread's
// messages.
func messagesOf(d httpapi.ConversationDetail) []string {
	var out []string
	for _, m := range d.Messages {
		out = append(out, fmt.Sprintf("%s %s %q %q deleted=%v edits=%d delivery=%s attachments=%d",
			m.ExternalID, m.Direction, m.Text, m.OriginalText, m.DeletedAt != nil, len(m.Edits), m.Delivery, len(m.Attachments)))
	}
	return out
}

func hasAudit(history []*inbox.AuditEntry, action string) bool {
	for _, h := range history {
		if h.Action == action {
			return true
		}
	}
	return false
}

// workState is what a redelivery must not change about a conversation.
func workState(c *inbox.Conversation) string {
	sla := "none"
	if c.SLA != nil {
		sla = fmt.Sprintf("%s running=%v", c.SLA.Policy, c.SLA.Running)
	}
	return fmt.Sprintf("\nstatus=%s assignee=%d messages=%d preview=%q unknown=%v first_response=%v sla=%s",
		c.Status, c.AssigneeID, c.MessageCount, c.Preview, c.UnknownAccount, c.FirstResponseAt != nil, sla)
}
