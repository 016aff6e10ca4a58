package webhooks_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/webhooks"
)

func TestParseCapturedEcho(t *testing.T) {
	// The captured echo is a bare messaging event; Meta sends it inside an
	// envelope for the Page that sent it.
	raw := fixture(t, "messenger_echo_event_captured.json")
	t.Run("OK", func(t *testing.T) {
		got, err := webhooks.Parse(envelope("page", "234554838031189", raw))
		if err != nil {
			t.Fatal(err)
		}
		assertEvents(t, got, []inbox.Event{messenger(inbox.Event{
			AccountExternalID: "234554838031189",
			ThreadKey:         "1739141089378194",
			MessageExternalID: "mid.$cAAFStIxHtgpFwwl111ikQQs_I_oI",
			Direction:         inbox.DirectionOutbound,
			Contact:           inbox.Actor{ExternalID: "1739141089378194"},
			Author:            inbox.Actor{ExternalID: "234554838031189"},
			Text:              "test test",
			SentOutsideInkorg: true,
			OccurredAt:        time.UnixMilli(1522851392983).UTC(),
		})})
	})
	t.Run("ErrNoEnvelope", func(t *testing.T) {
		if _, err := webhooks.Parse(raw); inbox.ErrorCode(err) != inbox.EINVALID {
			t.Errorf("Parse: got error %v, want %s", err, inbox.EINVALID)
		}
	})
}

func TestParseHandcrafted(t *testing.T) {
	const page = "112233445566778"
	tests := []struct {
		name string
		body string
		want []inbox.Event
	}{
		{
			// 2^53+1 and 2^64-1 cannot survive a float64.
			name: "OKNumericIDsKeepPrecision",
			body: `{"object":"page","entry":[{"id":9007199254740993,"time":1700000000000,"messaging":[
				{"sender":{"id":18446744073709551615},"recipient":{"id":9007199254740993},"timestamp":1700000000123,
				 "message":{"mid":"m_1","text":"Hej!"}}]}]}`,
			want: []inbox.Event{messenger(inbox.Event{
				AccountExternalID: "9007199254740993",
				ThreadKey:         "18446744073709551615",
				MessageExternalID: "m_1",
				Direction:         inbox.DirectionInbound,
				Contact:           inbox.Actor{ExternalID: "18446744073709551615"},
				Author:            inbox.Actor{ExternalID: "18446744073709551615"},
				Text:              "Hej!",
				OccurredAt:        time.Date(2023, 11, 14, 22, 13, 20, 123e6, time.UTC),
			})},
		},
		{
			name: "OKCitizenReplyISOTime",
			body: `{"object":"page","entry":[{"id":"` + page + `","time":1475578900,"changes":[{"field":"feed","value":{
				"item":"comment","verb":"add","comment_id":"444_777","post_id":"` + page + `_444","parent_id":"444_555",
				"from":{"id":"6000000000000001","name":"Anna Andersson"},
				"created_time":"2016-10-04T11:00:54+0000","message":"Var kan jag l\u00e4mna grovsopor?"}}]}]}`,
			want: []inbox.Event{fbComment(inbox.Event{
				AccountExternalID: page,
				ThreadKey:         "444_555",
				PostExternalID:    page + "_444",
				MessageExternalID: "444_777",
				ParentExternalID:  "444_555",
				Direction:         inbox.DirectionInbound,
				Contact:           inbox.Actor{ExternalID: "6000000000000001", Name: "Anna Andersson"},
				Author:            inbox.Actor{ExternalID: "6000000000000001", Name: "Anna Andersson"},
				Text:              "Var kan jag lämna grovsopor?",
				OccurredAt:        time.Date(2016, 10, 4, 11, 0, 54, 0, time.UTC),
			})},
		},
		{
			name: "OKTimeAsDigitStringAndEntryTimeFallback",
			body: `{"object":"page","entry":[{"id":"` + page + `","time":1449135099,"changes":[
				{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"1_2","post_id":"` + page + `_1","parent_id":"` + page + `_1",
				 "from":{"id":"7"},"created_time":"1449135003","message":"a"}},
				{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"1_3","post_id":"` + page + `_1",
				 "from":{"id":"7"},"message":"b"}}]}]}`,
			want: []inbox.Event{
				fbComment(inbox.Event{
					AccountExternalID: page, ThreadKey: "1_2", PostExternalID: page + "_1", MessageExternalID: "1_2",
					Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "7"}, Author: inbox.Actor{ExternalID: "7"},
					Text: "a", OccurredAt: time.Unix(1449135003, 0).UTC(),
				}),
				fbComment(inbox.Event{
					AccountExternalID: page, ThreadKey: "1_3", PostExternalID: page + "_1", MessageExternalID: "1_3",
					Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "7"}, Author: inbox.Actor{ExternalID: "7"},
					Text: "b", OccurredAt: time.Unix(1449135099, 0).UTC(),
				}),
			},
		},
		{
			// Unknown items are skipped; the understood ones around them are
			// kept, in order, across entries.
			name: "OKBatchWithUnknownShapes",
			body: `{"object":"page","entry":[
				{"id":"` + page + `","time":1449135003,"changes":[
					{"field":"feed","value":{"item":"reaction","verb":"add","comment_id":"1_9","post_id":"` + page + `_1","from":{"id":"7"},"reaction_type":"love"}},
					5,
					{"field":"feed","value":"not an object"},
					{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"1_2","post_id":"` + page + `_1","from":{"id":"7"},"created_time":1449135003,"message":"first"}},
					{"field":"feed","value":{"item":"comment","verb":"add","comment_id":{"x":1},"post_id":"` + page + `_1","from":{"id":"7"},"message":"bad id"}},
					{"field":"ratings","value":{}}]},
				"not an entry",
				{"id":"` + page + `","time":1457764198246,"messaging":[
					{"sender":{"id":"8"},"recipient":{"id":"` + page + `"},"timestamp":1457764198000,"read":{"watermark":1457764197000}},
					{"sender":{"id":"8"},"recipient":{"id":"` + page + `"},"timestamp":1457764198000,"message":{"mid":"m_2","text":"second"}},
					{"sender":{"id":"8"},"recipient":{"id":"` + page + `"},"timestamp":1457764198000,"message":{"text":"no mid"}}]}]}`,
			want: []inbox.Event{
				fbChange(inbox.EventReactionAdded, inbox.Event{
					AccountExternalID: page, PostExternalID: page + "_1", MessageExternalID: "1_9",
					Author: inbox.Actor{ExternalID: "7"}, Reaction: "love", OccurredAt: time.Unix(1449135003, 0).UTC(),
				}),
				fbComment(inbox.Event{
					AccountExternalID: page, ThreadKey: "1_2", PostExternalID: page + "_1", MessageExternalID: "1_2",
					Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "7"}, Author: inbox.Actor{ExternalID: "7"},
					Text: "first", OccurredAt: time.Unix(1449135003, 0).UTC(),
				}),
				messengerChange(inbox.EventMessagesRead, inbox.Event{
					AccountExternalID: page, ThreadKey: "8", Contact: inbox.Actor{ExternalID: "8"}, Author: inbox.Actor{ExternalID: "8"},
					Watermark: time.UnixMilli(1457764197000).UTC(), OccurredAt: time.UnixMilli(1457764198000).UTC(),
				}),
				messenger(inbox.Event{
					AccountExternalID: page, ThreadKey: "8", MessageExternalID: "m_2",
					Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "8"}, Author: inbox.Actor{ExternalID: "8"},
					Text: "second", OccurredAt: time.UnixMilli(1457764198000).UTC(),
				}),
			},
		},
		{
			name: "OKInstagramDirectAndEcho",
			body: `{"object":"instagram","entry":[{"id":"17841400000000000","time":1668022334834,"messaging":[
				{"sender":{"id":"5614879045272581"},"recipient":{"id":"17841400000000000"},"timestamp":1668022333735,
				 "message":{"mid":"aWdf1","text":"Hej"}},
				{"sender":{"id":"17841400000000000"},"recipient":{"id":"5614879045272581"},"timestamp":1668022399000,
				 "message":{"mid":"aWdf2","text":"Hej! Vad kan vi hj\u00e4lpa till med?","is_echo":true}}]}]}`,
			want: []inbox.Event{
				igDirect(inbox.Event{
					AccountExternalID: "17841400000000000", ThreadKey: "5614879045272581", MessageExternalID: "aWdf1",
					Direction: inbox.DirectionInbound,
					Contact:   inbox.Actor{ExternalID: "5614879045272581"}, Author: inbox.Actor{ExternalID: "5614879045272581"},
					Text: "Hej", OccurredAt: time.UnixMilli(1668022333735).UTC(),
				}),
				igDirect(inbox.Event{
					AccountExternalID: "17841400000000000", ThreadKey: "5614879045272581", MessageExternalID: "aWdf2",
					Direction: inbox.DirectionOutbound,
					Contact:   inbox.Actor{ExternalID: "5614879045272581"}, Author: inbox.Actor{ExternalID: "17841400000000000"},
					Text: "Hej! Vad kan vi hjälpa till med?", SentOutsideInkorg: true, OccurredAt: time.UnixMilli(1668022399000).UTC(),
				}),
			},
		},
		{
			name: "OKInstagramTopLevelCommentID",
			body: `{"object":"instagram","entry":[{"id":"17841400000000000","time":1519399307,"changes":[{"field":"comments","value":{
				"comment_id":"17900000000000001","text":"Fint!","from":{"id":"42","username":"goteborgare"},"media":{"id":"17800000000000009"}}}]}]}`,
			want: []inbox.Event{igComment(inbox.Event{
				AccountExternalID: "17841400000000000", ThreadKey: "17900000000000001",
				PostExternalID: "17800000000000009", MessageExternalID: "17900000000000001",
				Direction: inbox.DirectionInbound,
				Contact:   inbox.Actor{ExternalID: "42", Username: "goteborgare"}, Author: inbox.Actor{ExternalID: "42", Username: "goteborgare"},
				Text: "Fint!", OccurredAt: time.Unix(1519399307, 0).UTC(),
			})},
		},
		{
			name: "OKSkipsInvalidEvents",
			body: `{"object":"page","entry":[{"id":"` + page + `","messaging":[
				{"sender":{"id":"8"},"recipient":{"id":"` + page + `"},"message":{"mid":"m_no_time","text":"x"}},
				{"sender":{"id":"8"},"recipient":{"id":"` + page + `"},"timestamp":0,"message":{"mid":"m_zero_time","text":"x"}},
				{"recipient":{"id":"` + page + `"},"timestamp":1,"message":{"mid":"m_no_sender","text":"x"}},
				{"sender":{"id":"8"},"recipient":{"id":"` + page + `"},"timestamp":1e3,"message":{"mid":"m_float_time","text":"x"}},
				{"sender":{"id":"8"},"recipient":{"id":"` + page + `"},"timestamp":1,"message":{"mid":"m_long","text":"` +
				strings.Repeat("a", inbox.MaxTextLength+1) + `"}}]}]}`,
			want: nil,
		},
		{"OKOtherObject", `{"object":"user","entry":[{"id":"1","time":1,"changes":[{"field":"name"}]}]}`, nil},
		{"OKEmptyEntry", `{"object":"page","entry":[]}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := webhooks.Parse([]byte(tt.body))
			if err != nil {
				t.Fatalf("Parse: got error %v, want none", err)
			}
			assertEvents(t, got, tt.want)
		})
	}
}

func TestParseBroken(t *testing.T) {
	tests := []struct{ name, body string }{
		{"ErrEmpty", ``},
		{"ErrNotJSON", `hello`},
		{"ErrTruncated", `{"object":"page","entry":[`},
		{"ErrNull", `null`},
		{"ErrEmptyArray", `[]`},
		{"ErrArrayOfNoDelivery", `[{"entry":[]},5,null]`},
		{"ErrArrayWithoutEntries", `[{"object":"page"},{"object":"instagram","entry":null}]`},
		{"ErrNoObject", `{"entry":[]}`},
		{"ErrEmptyObject", `{"object":" ","entry":[]}`},
		{"ErrObjectNotString", `{"object":5,"entry":[]}`},
		{"ErrNoEntry", `{"object":"page"}`},
		{"ErrNullEntry", `{"object":"page","entry":null}`},
		{"ErrEntryNotArray", `{"object":"page","entry":{"id":"1"}}`},
		{"ErrGraphError", `{"error":{"message":"Invalid OAuth access token.","code":190}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := webhooks.Parse([]byte(tt.body))
			if code := inbox.ErrorCode(err); code != inbox.EINVALID {
				t.Errorf("Parse: got error %v (code %q), want code %q", err, code, inbox.EINVALID)
			}
			if len(got) != 0 {
				t.Errorf("events: got %d, want 0", len(got))
			}
		})
	}
}

// assertEvents compares events field by field, so a failure names the field.
func assertEvents(t *testing.T, got, want []inbox.Event) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("events: got %d, want %d\ngot %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		fields := []struct {
			name      string
			got, want any
		}{
			{"Kind", g.Kind, w.Kind},
			{"Platform", g.Platform, w.Platform},
			{"Channel", g.Channel, w.Channel},
			{"AccountExternalID", g.AccountExternalID, w.AccountExternalID},
			{"ThreadKey", g.ThreadKey, w.ThreadKey},
			{"PostExternalID", g.PostExternalID, w.PostExternalID},
			{"MessageExternalID", g.MessageExternalID, w.MessageExternalID},
			{"ParentExternalID", g.ParentExternalID, w.ParentExternalID},
			{"Direction", g.Direction, w.Direction},
			{"Contact", g.Contact, w.Contact},
			{"Author", g.Author, w.Author},
			{"Text", g.Text, w.Text},
			{"PostType", g.PostType, w.PostType},
			{"Attachments", attachmentsString(g.Attachments), attachmentsString(w.Attachments)},
			{"Payload", g.Payload, w.Payload},
			{"SentOutsideInkorg", g.SentOutsideInkorg, w.SentOutsideInkorg},
			{"Unsupported", g.Unsupported, w.Unsupported},
			{"Mention", g.Mention, w.Mention},
			{"Reaction", g.Reaction, w.Reaction},
			{"MessageExternalIDs", g.MessageExternalIDs, w.MessageExternalIDs},
			{"Watermark", g.Watermark.Format(time.RFC3339Nano), w.Watermark.Format(time.RFC3339Nano)},
			{"OccurredAt", g.OccurredAt.Format(time.RFC3339Nano), w.OccurredAt.Format(time.RFC3339Nano)},
			{"OccurredAt location", g.OccurredAt.Location(), time.UTC},
		}
		for _, f := range fields {
			if fmt.Sprint(f.got) != fmt.Sprint(f.want) {
				t.Errorf("event %d %s: got %v, want %v", i, f.name, f.got, f.want)
			}
		}
		if err := g.Validate(); err != nil {
			t.Errorf("event %d: Validate: %v", i, err)
		}
	}
}

// attachmentsString prints attachments with their coordinates' values
// rather than pointers.
func attachmentsString(as []inbox.Attachment) string {
	var b strings.Builder
	for _, a := range as {
		fmt.Fprintf(&b, "{%s %s %q %s", a.Type, a.URL, a.Title, a.ExternalID)
		if a.Latitude != nil && a.Longitude != nil {
			fmt.Fprintf(&b, " %v,%v", *a.Latitude, *a.Longitude)
		}
		b.WriteString("}")
	}
	return b.String()
}
