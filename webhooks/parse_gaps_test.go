package webhooks_test

import (
	"context"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/webhooks"
)

// ingest handles each body as one delivery, in order, on one ingester, and
// returns the store and the log.
func ingest(t *testing.T, bodies ...string) (*memStore, string) {
	t.Helper()
	store := &memStore{}
	var logs inboxtest.SyncBuffer
	ing := webhooks.NewIngester(store, newLogger(&logs), nil)
	for i, b := range bodies {
		if err := ing.Handle(context.Background(), delivery(string(rune('a'+i)), []byte(b))); err != nil {
			t.Fatalf("Handle %d: %v", i, err)
		}
	}
	return store, logs.String()
}

const (
	ownPostMention = `{"object":"page","entry":[{"id":"111","time":1614340868,"changes":[{"field":"mention","value":{
		"item":"comment","verb":"add","message":"Hej @Göteborgs Stad","post_id":"111_222","comment_id":"222_333","created_time":1614340862}}]}]}`
	ownPostFeed = `{"object":"page","entry":[{"id":"111","time":1614340868,"changes":[{"field":"feed","value":{
		"item":"comment","verb":"add","message":"Hej @Göteborgs Stad","post_id":"111_222","parent_id":"111_222","comment_id":"222_333",
		"from":{"id":"9001","name":"Anna Andersson"},"created_time":1614340862}}]}]}`
	ownPostReply = `{"object":"page","entry":[{"id":"111","time":1614340900,"changes":[{"field":"feed","value":{
		"item":"comment","verb":"add","message":"Svar","post_id":"111_222","parent_id":"222_333","comment_id":"222_444",
		"from":{"id":"111","name":"Göteborgs Stad"},"created_time":1614340900}}]}]}`
)

// TestPageMentionOnOwnPost checks that a mention of the Page in a comment
// on its own post, which also comes as a feed change, never decides the
// comment's author or thread, whichever of the two arrives first.
func TestPageMentionOnOwnPost(t *testing.T) {
	for _, tt := range []struct {
		name   string
		bodies []string
	}{
		{"OKMentionFirst", []string{ownPostMention, ownPostFeed, ownPostReply}},
		{"OKFeedFirst", []string{ownPostFeed, ownPostMention, ownPostReply}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			store, _ := ingest(t, tt.bodies...)
			got := store.events()
			if len(got) != 2 {
				t.Fatalf("messages: got %d, want 2 (comment and reply): %+v", len(got), got)
			}
			c := got[0]
			if c.MessageExternalID != "222_333" || c.Author.ExternalID != "9001" || c.Contact.ExternalID != "9001" {
				t.Errorf("comment: got id %s author %q contact %q, want 222_333 by 9001", c.MessageExternalID, c.Author.ExternalID, c.Contact.ExternalID)
			}
			if r := got[1]; r.ThreadKey != c.ThreadKey {
				t.Errorf("reply thread: got %q, want the comment's %q", r.ThreadKey, c.ThreadKey)
			}
		})
	}
	t.Run("OKOtherPagesPost", func(t *testing.T) {
		// A mention on someone else's post comes only as a mention.
		body := strings.ReplaceAll(ownPostMention, `"111_222"`, `"555_222"`)
		got, err := webhooks.Parse([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("events: got %d, want 1", len(got))
		}
		if e := got[0]; !e.Mention || e.Author.ExternalID != "unknown" || e.ThreadKey != "222_333" {
			t.Errorf("got mention %v author %q thread %q, want a mention by unknown in thread 222_333", e.Mention, e.Author.ExternalID, e.ThreadKey)
		}
	})
}

// TestFeedCommentWithoutAuthor checks that a citizen's comment whose
// payload names no author is kept under the placeholder, not dropped.
func TestFeedCommentWithoutAuthor(t *testing.T) {
	body := strings.Replace(ownPostFeed, `"from":{"id":"9001","name":"Anna Andersson"},`, "", 1)
	got, err := webhooks.Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("events: got %d, want 1", len(got))
	}
	if e := got[0]; e.Author.ExternalID != "unknown" || e.Contact.ExternalID != "unknown" || e.Direction != inbox.DirectionInbound {
		t.Errorf("got author %q contact %q direction %s, want unknown, unknown, inbound", e.Author.ExternalID, e.Contact.ExternalID, e.Direction)
	}
}

// TestInvalidPartsLogged checks that a part dropped because its event
// lacks something the store needs is logged with its shape, once per
// shape, and never with its content.
func TestInvalidPartsLogged(t *testing.T) {
	tests := []struct{ name, body, field, shape string }{
		{"IGCommentWithoutID", `{"object":"instagram","entry":[{"id":"17841400000000000","time":1519399307,"changes":[{"field":"comments","value":{
			"text":"Mitt personnummer är 19121212-1212","from":{"id":"1234536447","username":"testuser"},"media":{"id":"1","media_product_type":"FEED"}}}]}]}`,
			"comments", "{from:{id:string,username:string},media:{id:string,media_product_type:string},text:string}"},
		{"EchoWithoutRecipient", `{"object":"page","entry":[{"id":"111","time":1457764198246,"messaging":[{"sender":{"id":"111"},"recipient":{},"timestamp":1457764197627,
			"message":{"is_echo":true,"mid":"mid.1","text":"Mitt personnummer är 19121212-1212"}}]}]}`,
			"message", "{message:{is_echo:bool,mid:string,text:string},recipient:{},sender:{id:string},timestamp:number}"},
		{"PostbackWithoutText", `{"object":"page","entry":[{"id":"111","time":1457764198246,"messaging":[{"sender":{"id":"2"},"recipient":{"id":"111"},"timestamp":1457764197627,
			"postback":{"title":""}}]}]}`,
			"postback", "{postback:{title:string},recipient:{id:string},sender:{id:string},timestamp:number}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store, logs := ingest(t, tt.body, tt.body+" ")
			if n := store.count(); n != 0 {
				t.Fatalf("messages: got %d, want 0", n)
			}
			if got := strings.Count(logs, "webhook content not understood"); got != 1 {
				t.Fatalf("log lines: got %d, want 1:\n%s", got, logs)
			}
			for _, want := range []string{"field=" + tt.field, "shape=" + tt.shape} {
				if !strings.Contains(logs, want) {
					t.Errorf("log lacks %q:\n%s", want, logs)
				}
			}
			if strings.Contains(logs, "1212") {
				t.Errorf("log carries content:\n%s", logs)
			}
		})
	}
}

// TestParseStandby checks that messaging events under standby[] (inkorg is
// not the thread's primary receiver in Meta's handover protocol) are
// recorded as messaging[] ones.
func TestParseStandby(t *testing.T) {
	const body = `{"object":"page","entry":[{"id":"111","time":1458692752478,"standby":[
		{"sender":{"id":"2"},"recipient":{"id":"111"},"timestamp":1458692752478,"message":{"mid":"mid.in","text":"Hej"}},
		{"sender":{"id":"111"},"recipient":{"id":"2"},"timestamp":1458692752479,"message":{"is_echo":true,"app_id":1517776481860111,"mid":"mid.out","text":"Hej själv"}},
		{"sender":{"id":"2"},"recipient":{"id":"111"},"timestamp":1458692752480,"read":{"watermark":1458692752479}},
		{"sender":{"id":"2"},"recipient":{"id":"111"},"timestamp":1458692752481,"delivery":{"mids":["mid.out"],"watermark":1458692752479}}]}]}`
	got, err := webhooks.Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind      inbox.EventKind
		mid       string
		direction inbox.Direction
	}{
		{inbox.EventMessageCreated, "mid.in", inbox.DirectionInbound},
		{inbox.EventMessageCreated, "mid.out", inbox.DirectionOutbound},
		{inbox.EventMessagesRead, "", ""},
		{inbox.EventMessagesDelivered, "mid.out", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("events: got %d, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		e := got[i]
		if e.Kind != w.kind || e.MessageExternalID != w.mid || e.Direction != w.direction || e.Channel != inbox.ChannelMessenger {
			t.Errorf("event %d: got %s %q %q on %s, want %s %q %q on messenger", i, e.Kind, e.MessageExternalID, e.Direction, e.Channel, w.kind, w.mid, w.direction)
		}
		if e.ThreadKey != "2" {
			t.Errorf("event %d: thread %q, want 2", i, e.ThreadKey)
		}
	}
	if !got[1].SentOutsideInkorg {
		t.Error("standby echo: SentOutsideInkorg false, want true")
	}
}

// TestInstagramAnonymousUsernameStaysOwn: an Instagram comment naming a
// username but no id gets the placeholder contact without that username
// (every such thread shares it); the username is the message's author's.
func TestInstagramAnonymousUsernameStaysOwn(t *testing.T) {
	body := `{"object":"instagram","entry":[{"id":"17841400000000000","time":1700000000,"changes":[{"field":"comments","value":{
		"id":"17865799348089040","text":"När öppnar Frölunda kulturhus?","from":{"username":"eva.s"},"media":{"id":"1","media_product_type":"FEED"}}}]}]}`
	got, err := webhooks.Parse([]byte(body))
	if err != nil || len(got) != 1 {
		t.Fatalf("got %d events, %v; want 1", len(got), err)
	}
	if e := got[0]; e.Contact != (inbox.Actor{ExternalID: "unknown"}) || e.Author != (inbox.Actor{ExternalID: "unknown", Username: "eva.s"}) {
		t.Errorf("got contact %+v, author %+v; want the bare placeholder and the author with the username", e.Contact, e.Author)
	}
}
