package webhooks_test

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/webhooks"
)

// msItem wraps one Messenger item between citizen 777 and the Page, with
// its timestamp written as given, in a delivery.
func msItem(timestamp, message string) string {
	return `{"object":"page","entry":[{"id":"` + shapePage + `","time":1700000000000,"messaging":[{"sender":{"id":"777"},"recipient":{"id":"` +
		shapePage + `"},"timestamp":` + timestamp + `,"message":` + message + `}]}]}`
}

// TestParseFieldsOfOtherTypes: a field of a type Meta does not document
// is read when its value says one thing only (a boolean or a number
// written as a string) and ignored otherwise; the rest of its item, above
// all the citizen's text and who sent it, is kept.
func TestParseFieldsOfOtherTypes(t *testing.T) {
	echo := messenger(inbox.Event{
		AccountExternalID: shapePage, ThreadKey: "777", MessageExternalID: "m_echo", Direction: inbox.DirectionOutbound,
		Contact: inbox.Actor{ExternalID: "777"}, Author: inbox.Actor{ExternalID: shapePage},
		Text: "Hej, klockan 10.", SentOutsideInkorg: true, OccurredAt: shapeMs,
	})
	tests := []shapeCase{
		{"MessengerEchoFlagAsStringFalse", msMessage(`{"mid":"m_1","text":"Hej! När öppnar biblioteket?","is_echo":"false"}`),
			[]inbox.Event{inboundMessenger("m_1", inbox.Event{Text: "Hej! När öppnar biblioteket?"})}},
		{"MessengerEchoFlagAsStringTrue", `{"object":"page","entry":[{"id":"` + shapePage + `","time":1700000000000,"messaging":[{"sender":{"id":"` +
			shapePage + `"},"recipient":{"id":"777"},"timestamp":1700000000123,"message":{"mid":"m_echo","text":"Hej, klockan 10.","is_echo":"true"}}]}]}`,
			[]inbox.Event{echo}},
		// A flag no reader can tell is false, but a message the Page sent
		// to a citizen is its echo all the same, never the Page writing in.
		{"MessengerEchoFlagUnreadable", `{"object":"page","entry":[{"id":"` + shapePage + `","time":1700000000000,"messaging":[{"sender":{"id":"` +
			shapePage + `"},"recipient":{"id":"777"},"timestamp":1700000000123,"message":{"mid":"m_echo","text":"Hej, klockan 10.","is_echo":"yes"}}]}]}`,
			[]inbox.Event{echo}},
		{"MessengerEchoFlagMissing", `{"object":"page","entry":[{"id":"` + shapePage + `","time":1700000000000,"messaging":[{"sender":{"id":"` +
			shapePage + `"},"recipient":{"id":"777"},"timestamp":1700000000123,"message":{"mid":"m_echo","text":"Hej, klockan 10."}}]}]}`,
			[]inbox.Event{echo}},
		{"MessengerAttachmentPayloadString", msMessage(`{"mid":"m_2","text":"Se bilden","attachments":[{"type":"image","payload":"https://cdn/bild.jpg"}]}`),
			[]inbox.Event{inboundMessenger("m_2", inbox.Event{Text: "Se bilden", Attachments: []inbox.Attachment{{Type: "image"}}})}},
		{"MessengerTimestampString", msItem(`"1700000000123"`, `{"mid":"m_3","text":"Hej"}`),
			[]inbox.Event{inboundMessenger("m_3", inbox.Event{Text: "Hej"})}},
		{"MessengerTimestampNotATime", msItem(`{"ms":1700000000123}`, `{"mid":"m_4","text":"Hej"}`),
			[]inbox.Event{func() inbox.Event {
				e := inboundMessenger("m_4", inbox.Event{Text: "Hej"})
				e.OccurredAt = time.UnixMilli(1700000000000).UTC()
				return e
			}()}},
		{"MessengerCoordinatesAsStrings", msMessage(`{"mid":"m_5","text":"Här","attachments":[
			{"type":"location","payload":{"coordinates":{"lat":"57.7089","long":"11.9746"}}},
			{"type":"location","payload":{"coordinates":{"lat":"57,7089","long":true}}}]}`),
			[]inbox.Event{inboundMessenger("m_5", inbox.Event{Text: "Här", Attachments: []inbox.Attachment{
				{Type: "location", Latitude: ptrFloat(57.7089), Longitude: ptrFloat(11.9746)}, {Type: "location"},
			}})}},
		{"MessengerIDsOfOtherTypes", `{"object":"page","entry":[{"id":"` + shapePage + `","time":1700000000000,"messaging":[{"sender":{"id":"777","name":7},"recipient":{"id":true},` +
			`"timestamp":1700000000123,"message":{"mid":"m_6","text":"Hej","reply_to":{"mid":{"id":"m_0"}},"quick_reply":"JA"}}]}]}`,
			[]inbox.Event{inboundMessenger("m_6", inbox.Event{Text: "Hej"})}},
		{"MessengerDeletedFlagAsString", msMessage(`{"mid":"m_7","is_deleted":"true"}`),
			[]inbox.Event{messengerChange(inbox.EventMessageDeleted, inbox.Event{AccountExternalID: shapePage, MessageExternalID: "m_7",
				Author: inbox.Actor{ExternalID: "777"}, OccurredAt: shapeMs})}},
		{"InstagramFlagsAsStrings", igMessaging(igMessage(`{"mid":"ig_1","is_unsupported":"TRUE","is_echo":"false"}`)),
			[]inbox.Event{inboundIG("ig_1", inbox.Event{Unsupported: true})}},
		// The story cannot be read, but the message is still a reply to one.
		{"InstagramStoryReplyString", igMessaging(igMessage(`{"mid":"ig_2","text":"Var är detta?","reply_to":{"story":"st_1"}}`)),
			[]inbox.Event{inboundIG("ig_2", inbox.Event{Text: "Var är detta?", Attachments: []inbox.Attachment{{Type: inbox.AttachmentStoryReply}}})}},
		{"InstagramReceiptMidsString", igMessaging(`{"sender":{"id":"` + shapeUser + `"},"recipient":{"id":"` + shapeIG +
			`"},"timestamp":1700000000123,"read":{"mid":"ig_3","mids":"ig_3"}}`),
			[]inbox.Event{igDirectChange(inbox.EventMessagesRead, inbox.Event{AccountExternalID: shapeIG, ThreadKey: shapeUser,
				MessageExternalID: "ig_3", MessageExternalIDs: []string{"ig_3"}, Contact: inbox.Actor{ExternalID: shapeUser},
				Author: inbox.Actor{ExternalID: shapeUser}, Watermark: shapeMs, OccurredAt: shapeMs})}},
		{"FeedFieldsOfOtherTypes", fbFeed(`{"item":"comment","verb":"add","comment_id":"1_20","post_id":"` + shapePage + `_1","parent_id":"` + shapePage +
			`_1","from":{"id":"7","name":42},"created_time":"1700000000","photos":"https://p","video":false,"message":"Hej!"}`),
			[]inbox.Event{fbComment(inbox.Event{AccountExternalID: shapePage, ThreadKey: "1_20", PostExternalID: shapePage + "_1", MessageExternalID: "1_20",
				Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "7"}, Author: inbox.Actor{ExternalID: "7"}, Text: "Hej!", OccurredAt: shapeSec})}},
		{"InstagramCommentMediaString", `{"object":"instagram","entry":[{"id":"` + shapeIG + `","time":1700000000,"changes":[{"field":"comments","value":{
			"id":"c_3","text":"Fint!","from":{"id":"42","username":"goteborgare"},"media":"900"}}]}]}`,
			[]inbox.Event{func() inbox.Event {
				e := igCommentShape("c_3", "c_3", "", "")
				e.PostExternalID = ""
				return e
			}()}},
		{"EntryStandbyNotAnArray", `{"object":"page","entry":[{"id":"` + shapePage + `","time":1700000000000,"standby":{},"messaging":[{"sender":{"id":"777"},` +
			`"recipient":{"id":"` + shapePage + `"},"timestamp":1700000000123,"message":{"mid":"m_8","text":"Hej"}}]}]}`,
			[]inbox.Event{inboundMessenger("m_8", inbox.Event{Text: "Hej"})}},
	}
	for _, tc := range tests {
		t.Run("OK"+tc.name, func(t *testing.T) {
			got, err := webhooks.Parse([]byte(tc.body))
			if err != nil {
				t.Fatalf("Parse: got error %v, want none", err)
			}
			assertEvents(t, got, tc.want)
		})
	}
}

// TestParseEchoFlagAsStringKeepsMetadata: an echo whose is_echo is the
// string "true" is still matched to inkorg's own send by its metadata.
func TestParseEchoFlagAsStringKeepsMetadata(t *testing.T) {
	body := `{"object":"page","entry":[{"id":"` + shapePage + `","time":1700000000000,"messaging":[{"sender":{"id":"` + shapePage +
		`"},"recipient":{"id":"777"},"timestamp":1700000000123,"message":{"mid":"m_9","text":"Hej","is_echo":"true","metadata":"k_9"}}]}]}`
	got, err := webhooks.Parse([]byte(body))
	if err != nil || len(got) != 1 {
		t.Fatalf("got %d events, %v; want 1", len(got), err)
	}
	if got[0].Metadata != "k_9" || got[0].Direction != inbox.DirectionOutbound {
		t.Errorf("got metadata %q direction %s, want k_9 outbound", got[0].Metadata, got[0].Direction)
	}
}
