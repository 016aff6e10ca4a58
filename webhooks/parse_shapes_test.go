package webhooks_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/webhooks"
)

// Ids of the hand-written shapes below.
const (
	shapePage = "112233445566778"
	shapeIG   = "17841400000000000"
	shapeUser = "5614879045272581"
)

type shapeCase struct {
	name string
	body string
	want []inbox.Event
}

// fbFeed wraps feed change values in a Page delivery.
func fbFeed(values ...string) string {
	changes := make([]string, len(values))
	for i, v := range values {
		changes[i] = `{"field":"feed","value":` + v + `}`
	}
	return `{"object":"page","entry":[{"id":"` + shapePage + `","time":1700000000,"changes":[` + strings.Join(changes, ",") + `]}]}`
}

// igMessaging wraps message objects sent by the citizen (or, with echo, by
// the account) in an Instagram delivery.
func igMessaging(items ...string) string {
	return `{"object":"instagram","entry":[{"id":"` + shapeIG + `","time":1700000000000,"messaging":[` + strings.Join(items, ",") + `]}]}`
}

func igMessage(message string) string {
	return `{"sender":{"id":"` + shapeUser + `"},"recipient":{"id":"` + shapeIG + `"},"timestamp":1700000000123,"message":` + message + `}`
}

func msMessage(message string) string {
	return `{"object":"page","entry":[{"id":"` + shapePage + `","time":1700000000000,"messaging":[{"sender":{"id":"777"},"recipient":{"id":"` +
		shapePage + `"},"timestamp":1700000000123,"message":` + message + `}]}]}`
}

var (
	shapeSec = time.Unix(1700000000, 0).UTC()
	shapeMs  = time.UnixMilli(1700000000123).UTC()
)

// inboundIG is an Instagram Direct message from the citizen.
func inboundIG(mid string, e inbox.Event) inbox.Event {
	e = igDirect(e)
	e.AccountExternalID, e.ThreadKey, e.MessageExternalID = shapeIG, shapeUser, mid
	e.Direction, e.Contact, e.Author, e.OccurredAt = inbox.DirectionInbound, inbox.Actor{ExternalID: shapeUser}, inbox.Actor{ExternalID: shapeUser}, shapeMs
	return e
}

// inboundMessenger is a Messenger message from citizen 777.
func inboundMessenger(mid string, e inbox.Event) inbox.Event {
	e = messenger(e)
	e.AccountExternalID, e.ThreadKey, e.MessageExternalID = shapePage, "777", mid
	e.Direction, e.Contact, e.Author, e.OccurredAt = inbox.DirectionInbound, inbox.Actor{ExternalID: "777"}, inbox.Actor{ExternalID: "777"}, shapeMs
	return e
}

// igCommentShape is an Instagram comment by citizen 42 on media 900.
func igCommentShape(id, thread, parent, postType string) inbox.Event {
	return igComment(inbox.Event{
		AccountExternalID: shapeIG, ThreadKey: thread, PostExternalID: "900", PostType: postType,
		MessageExternalID: id, ParentExternalID: parent, Direction: inbox.DirectionInbound,
		Contact: inbox.Actor{ExternalID: "42", Username: "goteborgare"}, Author: inbox.Actor{ExternalID: "42", Username: "goteborgare"},
		Text: "Fint!", OccurredAt: shapeSec,
	})
}

func ptrFloat(f float64) *float64 { return &f }

// shapeCases are the payload shapes of the reference that have no real
// fixture, written after Meta's documented examples.
func shapeCases() []shapeCase {
	cityReply := fbComment(inbox.Event{
		AccountExternalID: shapePage, ThreadKey: "1_10", PostExternalID: shapePage + "_1", MessageExternalID: "1_11",
		ParentExternalID: "1_10", Direction: inbox.DirectionOutbound,
		Contact: inbox.Actor{ExternalID: shapePage, Name: "Göteborgs Stad"}, Author: inbox.Actor{ExternalID: shapePage, Name: "Göteborgs Stad"},
		Text: "Hej! Vi återkommer.", SentOutsideInkorg: true, OccurredAt: shapeSec,
	})
	return []shapeCase{
		{"FeedReplyThreadsUnderTopLevelComment", fbFeed(
			`{"item":"comment","verb":"add","comment_id":"1_11","post_id":"` + shapePage + `_1","parent_id":"1_10","from":{"id":"` + shapePage + `","name":"Göteborgs Stad"},"created_time":1700000000,"message":"Hej! Vi återkommer."}`),
			[]inbox.Event{cityReply}},
		{"FeedCommentWithVideo", fbFeed(
			`{"item":"comment","verb":"add","comment_id":"1_12","post_id":"` + shapePage + `_1","parent_id":"` + shapePage + `_1","from":{"id":"7","name":"Anna"},"created_time":1700000000,"video":"https://video.example/v.mp4"}`),
			[]inbox.Event{fbComment(inbox.Event{
				AccountExternalID: shapePage, ThreadKey: "1_12", PostExternalID: shapePage + "_1", MessageExternalID: "1_12",
				Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "7", Name: "Anna"}, Author: inbox.Actor{ExternalID: "7", Name: "Anna"},
				Attachments: []inbox.Attachment{{Type: inbox.AttachmentVideo, URL: "https://video.example/v.mp4"}}, OccurredAt: shapeSec,
			})}},
		{"FeedUnhideAndReactionRemove", fbFeed(
			`{"item":"comment","verb":"unhide","comment_id":"1_12","post_id":"`+shapePage+`_1","from":{"id":"`+shapePage+`"},"created_time":1700000000}`,
			`{"item":"reaction","verb":"remove","comment_id":"1_12","post_id":"`+shapePage+`_1","from":{"id":"7"},"created_time":1700000000}`),
			[]inbox.Event{
				fbChange(inbox.EventMessageUnhidden, inbox.Event{AccountExternalID: shapePage, PostExternalID: shapePage + "_1", MessageExternalID: "1_12", Author: inbox.Actor{ExternalID: shapePage}, OccurredAt: shapeSec}),
				fbChange(inbox.EventReactionRemoved, inbox.Event{AccountExternalID: shapePage, PostExternalID: shapePage + "_1", MessageExternalID: "1_12", Author: inbox.Actor{ExternalID: "7"}, OccurredAt: shapeSec}),
			}},
		// A visitor's photo post names its image in link, with photo_id.
		{"FeedVisitorPhotoPostIsAnImage", fbFeed(
			`{"item":"photo","verb":"add","link":"https://scontent.xx.fbcdn.net/v/bild.jpg","photo_id":"1220","post_id":"` + shapePage + `_1220","from":{"id":"7","name":"Anna"},"created_time":1700000000,"published":1,"message":"Trasig gatlykta på Linnégatan"}`),
			[]inbox.Event{fbComment(inbox.Event{
				AccountExternalID: shapePage, ThreadKey: shapePage + "_1220", PostExternalID: shapePage + "_1220", MessageExternalID: shapePage + "_1220",
				Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "7", Name: "Anna"}, Author: inbox.Actor{ExternalID: "7", Name: "Anna"},
				Text: "Trasig gatlykta på Linnégatan", OccurredAt: shapeSec,
				Attachments: []inbox.Attachment{{Type: inbox.AttachmentImage, URL: "https://scontent.xx.fbcdn.net/v/bild.jpg", ExternalID: "1220"}},
			})}},
		{"FeedPageOwnPostKeptAsContext", fbFeed(
			`{"item":"status","verb":"add","post_id":"` + shapePage + `_2","from":{"id":"` + shapePage + `"},"message":"Välkommen till Kulturkalaset!","created_time":1700000000}`),
			[]inbox.Event{{Kind: inbox.EventPostPublished, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
				AccountExternalID: shapePage, PostExternalID: shapePage + "_2", PostType: "status", Author: inbox.Actor{ExternalID: shapePage},
				Text: "Välkommen till Kulturkalaset!", OccurredAt: shapeSec}}},
		{"FeedPageOwnPostRemovedSkipped", fbFeed(
			`{"item":"status","verb":"remove","post_id":"` + shapePage + `_2","from":{"id":"` + shapePage + `"}}`), nil},
		{"FeedEntryWithoutValue", `{"object":"page","entry":[{"id":"` + shapePage + `","time":1,"changes":[{"field":"feed"}]}]}`, nil},
		{"SeveralAccountsInOneDelivery", `{"object":"page","entry":[
			{"id":"111","time":1700000000,"changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"a_1","post_id":"111_a","parent_id":"111_a","from":{"id":"7"},"message":"Hej hub"}}]},
			{"id":222,"time":1700000000,"changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"b_1","post_id":"222_b","parent_id":"222_b","from":{"id":7},"message":"Hej park"}}]}]}`,
			[]inbox.Event{
				fbComment(inbox.Event{AccountExternalID: "111", ThreadKey: "a_1", PostExternalID: "111_a", MessageExternalID: "a_1", Direction: inbox.DirectionInbound,
					Contact: inbox.Actor{ExternalID: "7"}, Author: inbox.Actor{ExternalID: "7"}, Text: "Hej hub", OccurredAt: shapeSec}),
				fbComment(inbox.Event{AccountExternalID: "222", ThreadKey: "b_1", PostExternalID: "222_b", MessageExternalID: "b_1", Direction: inbox.DirectionInbound,
					Contact: inbox.Actor{ExternalID: "7"}, Author: inbox.Actor{ExternalID: "7"}, Text: "Hej park", OccurredAt: shapeSec}),
			}},
		{"MessengerAttachments", msMessage(`{"mid":"m_att","attachments":[
			{"type":"video","payload":{"url":"https://v"}},{"type":"audio","payload":{"url":"https://a"}},
			{"type":"file","payload":{"url":"https://f"}},{"type":"image","payload":{"url":"https://s","sticker_id":369239263222822}},
			{"type":"location","title":"Pin","payload":{"coordinates":{"lat":57.7089,"long":11.9746}}},
			{"type":"fallback","title":"Länk","url":"https://goteborg.se","payload":null}]}`),
			[]inbox.Event{inboundMessenger("m_att", inbox.Event{Attachments: []inbox.Attachment{
				{Type: "video", URL: "https://v"}, {Type: "audio", URL: "https://a"}, {Type: "file", URL: "https://f"},
				{Type: "image", URL: "https://s", ExternalID: "369239263222822"},
				{Type: "location", Title: "Pin", Latitude: ptrFloat(57.7089), Longitude: ptrFloat(11.9746)},
				{Type: "fallback", Title: "Länk", URL: "https://goteborg.se"},
			}})}},
		// Meta names a reaction outside its few names "other"; its emoji
		// says which it is.
		{"MessengerReactionOtherIsItsEmoji", `{"object":"page","entry":[{"id":"` + shapePage + `","time":1700000000000,"messaging":[` +
			`{"sender":{"id":"777"},"recipient":{"id":"` + shapePage + `"},"timestamp":1700000000123,"reaction":{"mid":"m_1","action":"react","reaction":"other","emoji":"🙏"}},` +
			`{"sender":{"id":"778"},"recipient":{"id":"` + shapePage + `"},"timestamp":1700000000123,"reaction":{"mid":"m_1","action":"react","reaction":"other"}}]}]}`,
			[]inbox.Event{
				messengerChange(inbox.EventReactionAdded, inbox.Event{AccountExternalID: shapePage, MessageExternalID: "m_1", Author: inbox.Actor{ExternalID: "777"}, Reaction: "🙏", OccurredAt: shapeMs}),
				messengerChange(inbox.EventReactionAdded, inbox.Event{AccountExternalID: shapePage, MessageExternalID: "m_1", Author: inbox.Actor{ExternalID: "778"}, Reaction: "other", OccurredAt: shapeMs}),
			}},
		{"MessengerEmptyMessageSkipped", msMessage(`{"mid":"m_empty"}`), nil},
		{"InstagramStoryMentionShareUnsupported", igMessaging(
			igMessage(`{"mid":"ig_1","attachments":[{"type":"story_mention","payload":{"url":"https://cdn/story"}}]}`),
			igMessage(`{"mid":"ig_2","attachments":[{"type":"share","payload":{"url":"https://cdn/post"}}]}`),
			igMessage(`{"mid":"ig_3","is_unsupported":true}`)),
			[]inbox.Event{
				inboundIG("ig_1", inbox.Event{Attachments: []inbox.Attachment{{Type: inbox.AttachmentStoryMention, URL: "https://cdn/story"}}}),
				inboundIG("ig_2", inbox.Event{Attachments: []inbox.Attachment{{Type: inbox.AttachmentShare, URL: "https://cdn/post"}}}),
				inboundIG("ig_3", inbox.Event{Unsupported: true}),
			}},
		{"InstagramStoryReplyDeletedAndEcho", igMessaging(
			igMessage(`{"mid":"ig_4","text":"Var är detta?","reply_to":{"story":{"id":"st_1","url":"https://cdn/st"}}}`),
			igMessage(`{"mid":"ig_4","is_deleted":true}`),
			`{"sender":{"id":"`+shapeIG+`"},"recipient":{"id":"`+shapeUser+`"},"timestamp":1700000000123,"message":{"mid":"ig_5","text":"Hej!","is_echo":true}}`),
			[]inbox.Event{
				inboundIG("ig_4", inbox.Event{Text: "Var är detta?", Attachments: []inbox.Attachment{{Type: inbox.AttachmentStoryReply, URL: "https://cdn/st", ExternalID: "st_1"}}}),
				igDirectChange(inbox.EventMessageDeleted, inbox.Event{AccountExternalID: shapeIG, MessageExternalID: "ig_4", Author: inbox.Actor{ExternalID: shapeUser}, OccurredAt: shapeMs}),
				igDirect(inbox.Event{AccountExternalID: shapeIG, ThreadKey: shapeUser, MessageExternalID: "ig_5", Direction: inbox.DirectionOutbound,
					Contact: inbox.Actor{ExternalID: shapeUser}, Author: inbox.Actor{ExternalID: shapeIG}, Text: "Hej!", SentOutsideInkorg: true, OccurredAt: shapeMs}),
			}},
		{"InstagramReactionAndPostbackWithMid", igMessaging(
			`{"sender":{"id":"`+shapeUser+`"},"recipient":{"id":"`+shapeIG+`"},"timestamp":1700000000123,"reaction":{"mid":"ig_5","action":"react","reaction":"love","emoji":"❤️"}}`,
			`{"sender":{"id":"`+shapeUser+`"},"recipient":{"id":"`+shapeIG+`"},"timestamp":1700000000123,"postback":{"mid":"ig_6","title":"Öppettider","payload":"HOURS"}}`),
			[]inbox.Event{
				igDirectChange(inbox.EventReactionAdded, inbox.Event{AccountExternalID: shapeIG, MessageExternalID: "ig_5", Author: inbox.Actor{ExternalID: shapeUser}, Reaction: "love", OccurredAt: shapeMs}),
				inboundIG("ig_6", inbox.Event{Text: "Öppettider", Payload: "HOURS"}),
			}},
		{"InstagramCommentsReelsWithCommentID", `{"object":"instagram","entry":[{"id":"` + shapeIG + `","time":1700000000,"changes":[{"field":"comments","value":{
			"comment_id":"c_1","text":"Fint!","from":{"id":"42","username":"goteborgare"},"media":{"id":"900","media_product_type":"REELS"}}}]}]}`,
			[]inbox.Event{igCommentShape("c_1", "c_1", "", "REELS")}},
		{"InstagramCommentsWithoutChangesWrapper", `{"object":"instagram","entry":[{"id":"` + shapeIG + `","time":1700000000,"field":"comments","value":{
			"id":"c_2","parent_id":"c_1","text":"Fint!","from":{"id":"42","username":"goteborgare"},"media":{"id":"900","media_product_type":"STORY"}}}]}`,
			[]inbox.Event{igCommentShape("c_2", "c_1", "c_1", "STORY")}},
		{"InstagramMentionInCaption", `{"object":"instagram","entry":[{"id":"` + shapeIG + `","time":1700000000,"changes":[{"field":"mentions","value":{"media_id":"17918195224117851"}}]}]}`,
			[]inbox.Event{igComment(inbox.Event{AccountExternalID: shapeIG, ThreadKey: "17918195224117851", PostExternalID: "17918195224117851",
				MessageExternalID: "17918195224117851", Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "unknown"},
				Author: inbox.Actor{ExternalID: "unknown"}, Mention: true, OccurredAt: shapeSec})}},
		// A standby message is recorded as a messaging one; the opt-in is
		// skipped.
		{"StandbyRecordedOptinSkipped", `{"object":"page","entry":[{"id":"` + shapePage + `","time":1700000000000,
			"standby":[{"sender":{"id":"777"},"recipient":{"id":"` + shapePage + `"},"timestamp":1700000000500,"message":{"mid":"s","text":"x"}}],
			"messaging":[{"sender":{"id":"777"},"recipient":{"id":"` + shapePage + `"},"timestamp":1,"optin":{"ref":"x"}}]}]}`,
			[]inbox.Event{messenger(inbox.Event{AccountExternalID: shapePage, ThreadKey: "777", MessageExternalID: "s",
				Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "777"}, Author: inbox.Actor{ExternalID: "777"},
				Text: "x", OccurredAt: time.UnixMilli(1700000000500).UTC()})}},
	}
}

func TestParseShapes(t *testing.T) {
	for _, tc := range shapeCases() {
		t.Run("OK"+tc.name, func(t *testing.T) {
			got, err := webhooks.Parse([]byte(tc.body))
			if err != nil {
				t.Fatalf("Parse: got error %v, want none", err)
			}
			assertEvents(t, got, tc.want)
		})
	}
}

func TestParseBatchOf1000(t *testing.T) {
	values := make([]string, 1000)
	for i := range values {
		values[i] = fmt.Sprintf(`{"item":"comment","verb":"add","comment_id":"1_%d","post_id":"%s_1","parent_id":"%s_1","from":{"id":"%d"},"created_time":1700000000,"message":"Hej %d 🌧️"}`,
			i, shapePage, shapePage, 1000+i, i)
	}
	got, err := webhooks.Parse([]byte(fbFeed(values...)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1000 {
		t.Fatalf("events: got %d, want 1000", len(got))
	}
	for i, e := range got {
		if want := fmt.Sprintf("1_%d", i); e.MessageExternalID != want {
			t.Fatalf("event %d: got id %q, want %q (in order)", i, e.MessageExternalID, want)
		}
	}
}
