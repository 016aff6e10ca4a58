package webhooks_test

import (
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/webhooks"
)

// Event templates for the fixtures' channels, completed per case.
func fbComment(e inbox.Event) inbox.Event {
	e.Kind, e.Platform, e.Channel = inbox.EventMessageCreated, inbox.PlatformFacebook, inbox.ChannelFacebookComment
	return e
}

func messenger(e inbox.Event) inbox.Event {
	e.Kind, e.Platform, e.Channel = inbox.EventMessageCreated, inbox.PlatformFacebook, inbox.ChannelMessenger
	return e
}

func igComment(e inbox.Event) inbox.Event {
	e.Kind, e.Platform, e.Channel = inbox.EventMessageCreated, inbox.PlatformInstagram, inbox.ChannelInstagramComment
	return e
}

func igDirect(e inbox.Event) inbox.Event {
	e.Kind, e.Platform, e.Channel = inbox.EventMessageCreated, inbox.PlatformInstagram, inbox.ChannelInstagramDirect
	return e
}

func fbChange(kind inbox.EventKind, e inbox.Event) inbox.Event {
	e = fbComment(e)
	e.Kind = kind
	return e
}

func messengerChange(kind inbox.EventKind, e inbox.Event) inbox.Event {
	e = messenger(e)
	e.Kind = kind
	return e
}

func igDirectChange(kind inbox.EventKind, e inbox.Event) inbox.Event {
	e = igDirect(e)
	e.Kind = kind
	return e
}

func TestParseFixtures(t *testing.T) {
	const page = "1234567890321"
	tests := []struct {
		file string
		want []inbox.Event
	}{
		{"fb_feed_comment_add.json", []inbox.Event{fbComment(inbox.Event{
			// The commenter is the Page itself: the city's own comment.
			AccountExternalID: page,
			ThreadKey:         "901097836652708_903438993085259",
			PostExternalID:    "1234567890321_901097836652708",
			MessageExternalID: "901097836652708_903438993085259",
			Direction:         inbox.DirectionOutbound,
			Contact:           inbox.Actor{ExternalID: page, Name: "Tester"},
			Author:            inbox.Actor{ExternalID: page, Name: "Tester"},
			Text:              "and the next one",
			SentOutsideInkorg: true,
			OccurredAt:        time.Date(2015, 12, 3, 9, 30, 3, 0, time.UTC),
		})}},
		{"fb_feed_comment_add_with_photo.json", []inbox.Event{fbComment(inbox.Event{
			// Legacy sender_id written as a number, sender_name beside it.
			AccountExternalID: page,
			ThreadKey:         "901097836652708_903438993085259",
			PostExternalID:    "1234567890321_901097836652708",
			MessageExternalID: "901097836652708_903438993085259",
			Direction:         inbox.DirectionOutbound,
			Contact:           inbox.Actor{ExternalID: page, Name: "Tester"},
			Author:            inbox.Actor{ExternalID: page, Name: "Tester"},
			Text:              "and the next one",
			Attachments: []inbox.Attachment{{Type: inbox.AttachmentImage,
				URL: "https://scontent-fra3-1.xx.fbcdn.net/v/t31.0-8/16715996_472849323104563_2289972788116415727_o.jpg?oh=7e0959913ff772d51e17b6d2bdebf44f&oe=593B77BB"}},
			SentOutsideInkorg: true,
			OccurredAt:        time.Date(2015, 12, 3, 9, 30, 3, 0, time.UTC),
		})}},
		{"fb_feed_comment_edited.json", []inbox.Event{fbChange(inbox.EventMessageEdited, inbox.Event{
			// Legacy sender_id/sender_name; created_time is the edit's time.
			AccountExternalID: page,
			PostExternalID:    "1234567890321_900728623356296",
			MessageExternalID: "900728623356296_900744590021366",
			Author:            inbox.Actor{ExternalID: page, Name: "Tester"},
			Text:              "Let's see the Webhooks in action :D",
			OccurredAt:        time.Unix(1448555737, 0).UTC(),
		})}},
		{"fb_feed_comment_hide.json", []inbox.Event{fbChange(inbox.EventMessageHidden, inbox.Event{
			AccountExternalID: page,
			PostExternalID:    "1234567890321_901097836652708",
			MessageExternalID: "900728623356296_900744590021366",
			Author:            inbox.Actor{ExternalID: page, Name: "Tester"},
			OccurredAt:        time.Unix(1467894562, 0).UTC(),
		})}},
		{"fb_feed_comment_remove.json", []inbox.Event{fbChange(inbox.EventMessageDeleted, inbox.Event{
			// No created_time: the entry's time is used.
			AccountExternalID: page,
			PostExternalID:    "1234567890321_905578656204626",
			MessageExternalID: "905578656204626_905579239537901",
			Author:            inbox.Actor{ExternalID: page, Name: "John Doe"},
			OccurredAt:        time.Unix(1452107182, 0).UTC(),
		})}},
		{"fb_feed_post_add.json", []inbox.Event{fbComment(inbox.Event{
			// A visitor post is its own thread.
			AccountExternalID: page,
			ThreadKey:         "1234567890321_7293787835232",
			PostExternalID:    "1234567890321_7293787835232",
			MessageExternalID: "1234567890321_7293787835232",
			Direction:         inbox.DirectionInbound,
			Contact:           inbox.Actor{ExternalID: "8423678347823", Name: "John Doe"},
			Author:            inbox.Actor{ExternalID: "8423678347823", Name: "John Doe"},
			Text:              "Let's check this",
			OccurredAt:        time.Unix(1454707020, 0).UTC(),
		})}},
		{"fb_feed_reaction_on_comment.json", []inbox.Event{fbChange(inbox.EventReactionAdded, inbox.Event{
			AccountExternalID: page,
			PostExternalID:    "1234567890321_98735342324352",
			MessageExternalID: "1234567890321_1264545546974600",
			Author:            inbox.Actor{ExternalID: page, Name: "John Doe"},
			Reaction:          "love",
			OccurredAt:        time.Unix(1475578854, 0).UTC(),
		})}},
		{"fb_feed_two_entries_batch.json", nil},
		// A mention in a comment on the Page's own post: the feed change
		// for the same comment records it, with its author and thread.
		{"fb_mention_comment_add.json", nil},
		{"messenger_message_text.json", []inbox.Event{messenger(inbox.Event{
			AccountExternalID: "12345654332",
			ThreadKey:         "987654321432",
			MessageExternalID: "mid.1457764197618:41d102a3e1ae206a38",
			Direction:         inbox.DirectionInbound,
			Contact:           inbox.Actor{ExternalID: "987654321432"},
			Author:            inbox.Actor{ExternalID: "987654321432"},
			Text:              "hello, world!",
			OccurredAt:        time.Date(2016, 3, 12, 6, 29, 57, 627e6, time.UTC),
		})}},
		{"messenger_message_echo.json", []inbox.Event{messenger(inbox.Event{
			// This recorded echo names the Page as recipient; the citizen is
			// still the party that is not the Page.
			AccountExternalID: "12345654332",
			ThreadKey:         "987654321432",
			MessageExternalID: "mid.1457764197618:41d102a3e1ae206a38",
			Direction:         inbox.DirectionOutbound,
			Contact:           inbox.Actor{ExternalID: "987654321432"},
			Author:            inbox.Actor{ExternalID: "12345654332"},
			Text:              "hello, world!",
			SentOutsideInkorg: true,
			OccurredAt:        time.Date(2016, 3, 12, 6, 29, 57, 627e6, time.UTC),
		})}},
		{"messenger_message_text_captured.json", []inbox.Event{messenger(inbox.Event{
			AccountExternalID: "234554838031189",
			ThreadKey:         "1739141089378194",
			MessageExternalID: "mid.$cAAEIQkYwD5bNu1Kzh1hgg1r2bI_K",
			Direction:         inbox.DirectionInbound,
			Contact:           inbox.Actor{ExternalID: "1739141089378194"},
			Author:            inbox.Actor{ExternalID: "1739141089378194"},
			Text:              "This is a text message",
			OccurredAt:        time.UnixMilli(1518439590791).UTC(),
		})}},
		{"messenger_message_quick_reply.json", []inbox.Event{messenger(inbox.Event{
			AccountExternalID: page,
			ThreadKey:         "987654321432",
			MessageExternalID: "mid.1458696618141:b4ef9d19ec21086067",
			Direction:         inbox.DirectionInbound,
			Contact:           inbox.Actor{ExternalID: "987654321432"},
			Author:            inbox.Actor{ExternalID: "987654321432"},
			Text:              "quick reply text",
			Payload:           "PAYLOAD_QUICK_REPLY",
			OccurredAt:        time.UnixMilli(1470779510432).UTC(),
		})}},
		{"messenger_message_reply_to_mid.json", []inbox.Event{messenger(inbox.Event{
			AccountExternalID: "12345654332",
			ThreadKey:         "987654321432",
			MessageExternalID: "mid.1457764197618:41d102a3e1ae206a38",
			ParentExternalID:  "very_long_id_representing_the_original_message",
			Direction:         inbox.DirectionInbound,
			Contact:           inbox.Actor{ExternalID: "987654321432"},
			Author:            inbox.Actor{ExternalID: "987654321432"},
			Text:              "hello, world!",
			OccurredAt:        time.UnixMilli(1457764197627).UTC(),
		})}},
		{"messenger_message_reply_to_story.json", []inbox.Event{messenger(inbox.Event{
			AccountExternalID: "12345654332",
			ThreadKey:         "987654321432",
			MessageExternalID: "mid.1457764197618:41d102a3e1ae206a38",
			Direction:         inbox.DirectionInbound,
			Contact:           inbox.Actor{ExternalID: "987654321432"},
			Author:            inbox.Actor{ExternalID: "987654321432"},
			Text:              "hello, world!",
			Attachments:       []inbox.Attachment{{Type: inbox.AttachmentStoryReply, URL: "EXAMPLE_URL", ExternalID: "STORY_ID"}},
			OccurredAt:        time.UnixMilli(1457764197627).UTC(),
		})}},
		{"messenger_message_image.json", []inbox.Event{messenger(inbox.Event{
			AccountExternalID: "12345654332",
			ThreadKey:         "987654321432",
			MessageExternalID: "mid.1458696618141:b4ef9d19ec21086067",
			Direction:         inbox.DirectionInbound,
			Contact:           inbox.Actor{ExternalID: "987654321432"},
			Author:            inbox.Actor{ExternalID: "987654321432"},
			Attachments:       []inbox.Attachment{{Type: inbox.AttachmentImage, URL: "IMAGE_URL"}},
			OccurredAt:        time.UnixMilli(1458696618268).UTC(),
		})}},
		{"messenger_message_edit.json", []inbox.Event{messengerChange(inbox.EventMessageEdited, inbox.Event{
			AccountExternalID: "12345654332",
			MessageExternalID: "mid.1457764197618:41d102a3e1ae206a38",
			Author:            inbox.Actor{ExternalID: "987654321432"},
			Text:              "hello, world!",
			OccurredAt:        time.UnixMilli(1457764197627).UTC(),
		})}},
		{"messenger_message_is_deleted.json", []inbox.Event{messengerChange(inbox.EventMessageDeleted, inbox.Event{
			AccountExternalID: "12345654332",
			MessageExternalID: "message_id",
			Author:            inbox.Actor{ExternalID: "987654321432"},
			OccurredAt:        time.UnixMilli(1457764197627).UTC(),
		})}},
		{"messenger_reaction_react.json", []inbox.Event{messengerChange(inbox.EventReactionAdded, inbox.Event{
			AccountExternalID: page,
			MessageExternalID: "original_message_id",
			Author:            inbox.Actor{ExternalID: "USER_ID"},
			Reaction:          "sad",
			OccurredAt:        time.UnixMilli(1572465098502).UTC(),
		})}},
		{"messenger_reaction_unreact.json", []inbox.Event{messengerChange(inbox.EventReactionRemoved, inbox.Event{
			AccountExternalID: page,
			MessageExternalID: "original_message_id",
			Author:            inbox.Actor{ExternalID: "USER_ID"},
			OccurredAt:        time.UnixMilli(1572466511366).UTC(),
		})}},
		{"messenger_read.json", []inbox.Event{messengerChange(inbox.EventMessagesRead, inbox.Event{
			// Ids as numbers; a watermark and no mids.
			AccountExternalID: "12345654332",
			ThreadKey:         "987654321432",
			Contact:           inbox.Actor{ExternalID: "987654321432"},
			Author:            inbox.Actor{ExternalID: "987654321432"},
			Watermark:         time.UnixMilli(1458668856253).UTC(),
			OccurredAt:        time.UnixMilli(1458668856463).UTC(),
		})}},
		{"messenger_delivery.json", []inbox.Event{messengerChange(inbox.EventMessagesDelivered, inbox.Event{
			// No timestamp on the item: the entry's time is used.
			AccountExternalID:  "12345654332",
			ThreadKey:          "987654321432",
			MessageExternalID:  "mid.1458668856218:ed81099e15d3f4f233",
			MessageExternalIDs: []string{"mid.1458668856218:ed81099e15d3f4f233"},
			Contact:            inbox.Actor{ExternalID: "987654321432"},
			Author:             inbox.Actor{ExternalID: "987654321432"},
			Watermark:          time.UnixMilli(1458668856253).UTC(),
			OccurredAt:         time.UnixMilli(1458668856451).UTC(),
		})}},
		{"messenger_postback.json", []inbox.Event{messenger(inbox.Event{
			// Messenger postbacks have no mid; one is made from sender and time.
			AccountExternalID: "12345654332",
			ThreadKey:         "987654321432",
			MessageExternalID: "postback:987654321432:1458692752478",
			Direction:         inbox.DirectionInbound,
			Contact:           inbox.Actor{ExternalID: "987654321432"},
			Author:            inbox.Actor{ExternalID: "987654321432"},
			Text:              "USER_DEFINED_PAYLOAD",
			Payload:           "USER_DEFINED_PAYLOAD",
			OccurredAt:        time.UnixMilli(1458692752478).UTC(),
		})}},
		{"ig_comment.json", []inbox.Event{igComment(inbox.Event{
			// A reply: its thread is the top-level comment it answers.
			AccountExternalID: "0",
			ThreadKey:         "987654321",
			PostExternalID:    "76543987",
			PostType:          "FEED",
			MessageExternalID: "123456789",
			ParentExternalID:  "987654321",
			Direction:         inbox.DirectionInbound,
			Contact:           inbox.Actor{ExternalID: "1234536447", Username: "testuser"},
			Author:            inbox.Actor{ExternalID: "1234536447", Username: "testuser"},
			Text:              "This is an example.",
			OccurredAt:        time.Unix(1519399307, 0).UTC(),
		})}},
		{"ig_mention_in_comment.json", []inbox.Event{igComment(inbox.Event{
			// Only ids: the mention is recorded; its text is on the Graph API.
			AccountExternalID: "0",
			ThreadKey:         "17887498072083520",
			PostExternalID:    "17887498072083520",
			MessageExternalID: "17887498072083520",
			Direction:         inbox.DirectionInbound,
			Contact:           inbox.Actor{ExternalID: "unknown"},
			Author:            inbox.Actor{ExternalID: "unknown"},
			Mention:           true,
			OccurredAt:        time.Unix(1519399310, 0).UTC(),
		})}},
		{"ig_dm_unsupported_attachment.json", []inbox.Event{igDirect(inbox.Event{
			AccountExternalID: "17841452691600098",
			ThreadKey:         "5614879045272581",
			MessageExternalID: "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDUyNjkxNjAwMDk4OjM0MDI4MjM2Njg0MTcxMDMwMDk0OTEyODUyNTYwOTEwODQ0ODU4MjozMDc2OTU4MTA5OTY0OTI5MzAzMjAwODc1MDUxMTE2MTM0NAZDZD",
			Direction:         inbox.DirectionInbound,
			Contact:           inbox.Actor{ExternalID: "5614879045272581"},
			Author:            inbox.Actor{ExternalID: "5614879045272581"},
			Attachments: []inbox.Attachment{{Type: "unsupported_type",
				URL: "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17997515821557846&signature=AbyoRMtwJfAwfS_JCQkUSk4cdnDbIxMpTQXNWXt1D5Y9DEBSrgaz6PUk279coBxpvYHihuOmA1dxxabr6j0XitFYd21z2PaGBG82_AH9WFAbok5IY3cDhSTWb8LRadklr0IOm8UP0O8RZnWI4IiUfDuD19-CdVWih_byfkU5WUJTUGJi6PkuOA0rzdyG4O9fOPAshk8gx631mtlydnq63ILMPzyM8sc"}},
			OccurredAt: time.UnixMilli(1668022333735).UTC(),
		})}},
		{"ig_dm_seen.json", []inbox.Event{igDirectChange(inbox.EventMessagesRead, inbox.Event{
			// Instagram's seen names one mid and has no watermark: the
			// citizen has seen what was sent before it.
			AccountExternalID:  "17841452691600098",
			ThreadKey:          "5614879045272581",
			MessageExternalID:  "MESSAGE-ID",
			MessageExternalIDs: []string{"MESSAGE-ID"},
			Contact:            inbox.Actor{ExternalID: "5614879045272581"},
			Author:             inbox.Actor{ExternalID: "5614879045272581"},
			Watermark:          time.UnixMilli(1668022333735).UTC(),
			OccurredAt:         time.UnixMilli(1668022333735).UTC(),
		})}},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.file, ".json"), func(t *testing.T) {
			got, err := webhooks.Parse(fixture(t, tt.file))
			if err != nil {
				t.Fatalf("Parse: got error %v, want none", err)
			}
			assertEvents(t, got, tt.want)
		})
	}
}
