package webhooks

import (
	"encoding/json"
	"strconv"

	"inkorg/inbox"
)

// attachment is one element of a message's attachments array.
type attachment struct {
	Type    string `json:"type"`
	Title   string `json:"title"`
	URL     string `json:"url"`
	Payload struct {
		URL         string      `json:"url"`
		Title       string      `json:"title"`
		StickerID   metaID      `json:"sticker_id"`
		ReelVideoID metaID      `json:"reel_video_id"`
		ID          metaID      `json:"id"`
		Coordinates *coordinate `json:"coordinates"`
	} `json:"payload"`
}

// coordinate is a location's place. Its degrees are kept raw so that one
// written as a string is read as well, and one that is no number at all
// is left out without failing the message.
type coordinate struct {
	Lat  json.RawMessage `json:"lat"`
	Long json.RawMessage `json:"long"`
}

// attachments maps the message's attachments, and a story it replies to,
// to inbox attachments. Types Meta adds later keep their name.
func (m *message) attachments() []inbox.Attachment {
	var out []inbox.Attachment
	for _, a := range m.Attachments {
		if len(out) == inbox.MaxAttachments {
			break
		}
		out = append(out, a.toInbox())
	}
	if m.ReplyTo != nil && m.ReplyTo.Story != nil && len(out) < inbox.MaxAttachments {
		out = append(out, inbox.Attachment{
			Type: inbox.AttachmentStoryReply, URL: m.ReplyTo.Story.URL, ExternalID: string(m.ReplyTo.Story.ID),
		})
	}
	return out
}

func (a attachment) toInbox() inbox.Attachment {
	out := inbox.Attachment{Type: a.Type, URL: a.Payload.URL, Title: a.Payload.Title}
	if out.Type == "" {
		out.Type = "unknown"
	}
	if out.URL == "" {
		out.URL = a.URL
	}
	if out.Title == "" {
		out.Title = a.Title
	}
	for _, id := range []metaID{a.Payload.StickerID, a.Payload.ReelVideoID, a.Payload.ID} {
		if id != "" {
			out.ExternalID = string(id)
			break
		}
	}
	if c := a.Payload.Coordinates; c != nil {
		out.Latitude, out.Longitude = number(c.Lat), number(c.Long)
	}
	return out
}

// number reads a coordinate, a JSON number or a string holding one; nil
// when absent or not a finite number.
func number(raw json.RawMessage) *float64 {
	if len(raw) > 1 && raw[0] == '"' {
		raw = raw[1 : len(raw)-1]
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || f != f || f > 1e308 || f < -1e308 {
		return nil
	}
	return &f
}
