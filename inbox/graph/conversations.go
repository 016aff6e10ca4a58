package graph

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"inkorg/inbox"
)

// Conversation is a private conversation (Messenger or Instagram Direct)
// read back from the Graph API, with its latest messages.
type Conversation struct {
	ID       string                `json:"id"`
	Updated  time.Time             `json:"updated"`
	Messages []ConversationMessage `json:"messages"`
}

// ConversationMessage is one message of a Conversation.
type ConversationMessage struct {
	// ID is the message id (mid), the one webhooks carry.
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
	FromID  string    `json:"from_id"`
	// FromName is the sender's name (Messenger) or username (Instagram).
	FromName    string             `json:"from_name"`
	ToID        string             `json:"to_id"`
	Text        string             `json:"text"`
	Attachments []inbox.Attachment `json:"attachments,omitempty"`
}

// conversationPlatform is the platform parameter of the conversations
// edge.
func conversationPlatform(p inbox.Platform) string {
	if p == inbox.PlatformInstagram {
		return "instagram"
	}
	return "messenger"
}

// Conversations lists the account's most recently updated private
// conversations, each with its latest messages (newest first):
// GET /{account-id}/conversations?platform=messenger|instagram.
func (c *Client) Conversations(ctx context.Context, token string, platform inbox.Platform, accountID string, limit, messages int) ([]Conversation, RateLimit, error) {
	const op = "list_conversations"
	if err := checkIDs(op, accountID); err != nil {
		return nil, RateLimit{}, err
	}
	q := url.Values{
		"platform": {conversationPlatform(platform)},
		"fields":   {fmt.Sprintf("id,updated_time,messages.limit(%d){id,created_time,from,to,message,attachments}", messages)},
		"limit":    {strconv.Itoa(limit)},
	}
	var out struct {
		Data []struct {
			ID          string `json:"id"`
			UpdatedTime string `json:"updated_time"`
			Messages    struct {
				Data []graphMessage `json:"data"`
			} `json:"messages"`
		} `json:"data"`
	}
	rl, err := c.do(ctx, token, call{op: op, method: http.MethodGet, path: []string{accountID, "conversations"},
		query: q, idempotent: true}, &out)
	convs := make([]Conversation, 0, len(out.Data))
	for _, d := range out.Data {
		conv := Conversation{ID: d.ID, Updated: graphTime(d.UpdatedTime)}
		for _, m := range d.Messages.Data {
			conv.Messages = append(conv.Messages, m.toMessage())
		}
		convs = append(convs, conv)
	}
	return convs, rl, err
}

// graphParty is a from or to of a message.
type graphParty struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Username string `json:"username"`
}

// graphMessage is a message as the conversations edge answers it.
type graphMessage struct {
	ID          string     `json:"id"`
	CreatedTime string     `json:"created_time"`
	From        graphParty `json:"from"`
	To          struct {
		Data []graphParty `json:"data"`
	} `json:"to"`
	Message     string `json:"message"`
	Attachments struct {
		Data []struct {
			ID        string `json:"id"`
			MimeType  string `json:"mime_type"`
			Name      string `json:"name"`
			FileURL   string `json:"file_url"`
			ImageData *struct {
				URL string `json:"url"`
			} `json:"image_data"`
			VideoData *struct {
				URL string `json:"url"`
			} `json:"video_data"`
		} `json:"data"`
	} `json:"attachments"`
}

func (m graphMessage) toMessage() ConversationMessage {
	out := ConversationMessage{ID: m.ID, Created: graphTime(m.CreatedTime), FromID: m.From.ID,
		FromName: cmp.Or(m.From.Name, m.From.Username), Text: m.Message}
	if len(m.To.Data) > 0 {
		out.ToID = m.To.Data[0].ID
	}
	for _, a := range m.Attachments.Data {
		at := inbox.Attachment{Type: attachmentType(a.MimeType), URL: a.FileURL, Title: a.Name, ExternalID: a.ID}
		if a.ImageData != nil {
			at.URL = cmp.Or(a.ImageData.URL, at.URL)
		}
		if a.VideoData != nil {
			at.URL = cmp.Or(a.VideoData.URL, at.URL)
		}
		out.Attachments = append(out.Attachments, at)
	}
	return out
}

// attachmentType maps a MIME type to the attachment types webhooks use.
func attachmentType(mime string) string {
	switch kind, _, _ := strings.Cut(mime, "/"); kind {
	case "image":
		return inbox.AttachmentImage
	case "video":
		return inbox.AttachmentVideo
	case "audio":
		return inbox.AttachmentAudio
	}
	return inbox.AttachmentFile
}
