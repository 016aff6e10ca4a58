package graph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"inkorg/inbox"
)

// Text limits Meta documents for messages.
const (
	// MaxMessengerRunes: Messenger text "must be … less than 2000 characters".
	MaxMessengerRunes = 1999
	// MaxInstagramBytes: Instagram Direct text "must be … 1000 bytes or less".
	MaxInstagramBytes = 1000
	// MaxMetadataRunes: message metadata "less than 1000 characters".
	MaxMetadataRunes = 999
)

// Messaging types and the one tag inkorg uses.
const (
	MessagingTypeResponse   = "RESPONSE"
	MessagingTypeMessageTag = "MESSAGE_TAG"
	TagHumanAgent           = "HUMAN_AGENT"
)

// Created is the answer to a call that creates an object, e.g. a comment.
type Created struct {
	// ID is the new object's id.
	ID        string    `json:"id"`
	RateLimit RateLimit `json:"-"`
}

// Sent is the answer to a message send.
type Sent struct {
	RecipientID string    `json:"recipient_id"`
	MessageID   string    `json:"message_id"`
	RateLimit   RateLimit `json:"-"`
}

// Profile is a contact's public name as the platform shows it.
type Profile struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	FirstName string    `json:"first_name"`
	LastName  string    `json:"last_name"`
	Username  string    `json:"username"`
	RateLimit RateLimit `json:"-"`
}

// Message is a private message to send in a Messenger or Instagram Direct
// conversation.
type Message struct {
	Platform inbox.Platform
	// RecipientID is the page-scoped (PSID) or Instagram-scoped (IGSID) id.
	RecipientID string
	Text        string
	// HumanAgent sends with MESSAGE_TAG + HUMAN_AGENT, allowed up to 7 days
	// after the person's last message; otherwise the message is a
	// RESPONSE inside the 24-hour window.
	HumanAgent bool
	// Metadata comes back in the echo webhook; a sender sets it to its
	// idempotency key to match the echo to the outbound message.
	Metadata string
}

// ReplyToFacebookComment posts text as a public reply under a Facebook
// post or comment: POST /{object-id}/comments.
func (c *Client) ReplyToFacebookComment(ctx context.Context, token, objectID, text string) (Created, error) {
	const op = "reply_facebook_comment"
	if err := checkIDs(op, objectID); err != nil {
		return Created{}, err
	}
	if err := checkText(op, inbox.PlatformFacebook, text, false); err != nil {
		return Created{}, err
	}
	var out Created
	rl, err := c.do(ctx, token, call{op: op, method: http.MethodPost, path: []string{objectID, "comments"},
		form: url.Values{"message": {text}}}, &out)
	return out, created(op, &out, rl, err)
}

// ReplyToInstagramComment posts text as a public reply to a top-level
// Instagram comment: POST /{ig-comment-id}/replies.
func (c *Client) ReplyToInstagramComment(ctx context.Context, token, commentID, text string) (Created, error) {
	const op = "reply_instagram_comment"
	if err := checkIDs(op, commentID); err != nil {
		return Created{}, err
	}
	if err := checkText(op, inbox.PlatformInstagram, text, false); err != nil {
		return Created{}, err
	}
	var out Created
	rl, err := c.do(ctx, token, call{op: op, method: http.MethodPost, path: []string{commentID, "replies"},
		form: url.Values{"message": {text}}}, &out)
	return out, created(op, &out, rl, err)
}

// ReplyToComment posts a public reply to a comment on platform, through
// ReplyToFacebookComment or ReplyToInstagramComment.
func (c *Client) ReplyToComment(ctx context.Context, token string, platform inbox.Platform, commentID, text string) (Created, error) {
	if platform == inbox.PlatformInstagram {
		return c.ReplyToInstagramComment(ctx, token, commentID, text)
	}
	if platform != inbox.PlatformFacebook {
		return Created{}, invalid("reply_comment", "unknown platform %q", platform)
	}
	return c.ReplyToFacebookComment(ctx, token, commentID, text)
}

// PrivateReply sends text as a private message to the author of a Facebook
// or Instagram comment: POST /{account-id}/messages with
// recipient.comment_id. Meta allows one per comment, within 7 days.
// metadata, when set, comes back in the echo of the message, which opens
// the author's message thread: it tells inkorg the echo is this reply.
func (c *Client) PrivateReply(ctx context.Context, token string, platform inbox.Platform, accountID, commentID, text, metadata string) (Sent, error) {
	const op = "private_reply"
	if err := checkIDs(op, accountID, commentID); err != nil {
		return Sent{}, err
	}
	if err := checkText(op, platform, text, true); err != nil {
		return Sent{}, err
	}
	if utf8.RuneCountInString(metadata) > MaxMetadataRunes {
		return Sent{}, invalid(op, "metadata is longer than %d characters", MaxMetadataRunes)
	}
	msg := map[string]string{"text": text}
	if metadata != "" {
		msg["metadata"] = metadata
	}
	body := map[string]any{"recipient": map[string]string{"comment_id": commentID}, "message": msg}
	return c.send(ctx, token, op, accountID, body)
}

// SendMessage sends m in a Messenger or Instagram Direct conversation:
// POST /{account-id}/messages, where the account is the Page (or the
// Instagram account) the conversation belongs to.
func (c *Client) SendMessage(ctx context.Context, token, accountID string, m Message) (Sent, error) {
	const op = "send_message"
	if err := checkIDs(op, accountID, m.RecipientID); err != nil {
		return Sent{}, err
	}
	if err := checkText(op, m.Platform, m.Text, true); err != nil {
		return Sent{}, err
	}
	if utf8.RuneCountInString(m.Metadata) > MaxMetadataRunes {
		return Sent{}, invalid(op, "metadata is longer than %d characters", MaxMetadataRunes)
	}
	msg := map[string]string{"text": m.Text}
	if m.Metadata != "" {
		msg["metadata"] = m.Metadata
	}
	body := map[string]any{"recipient": map[string]string{"id": m.RecipientID}, "message": msg,
		"messaging_type": MessagingTypeResponse}
	if m.HumanAgent {
		body["messaging_type"], body["tag"] = MessagingTypeMessageTag, TagHumanAgent
	}
	return c.send(ctx, token, op, accountID, body)
}

// send posts body to /{account-id}/messages.
func (c *Client) send(ctx context.Context, token, op, accountID string, body map[string]any) (Sent, error) {
	var out Sent
	rl, err := c.do(ctx, token, call{op: op, method: http.MethodPost, path: []string{accountID, "messages"}, json: body}, &out)
	out.RateLimit = rl
	if err == nil && out.MessageID == "" {
		return out, &Error{Op: op, Class: Ambiguous, Status: http.StatusOK, RateLimit: rl,
			Message: "answer has no message_id"}
	}
	return out, err
}

// SetCommentHidden hides or unhides a comment: POST /{comment-id} with
// is_hidden (Facebook) or hide (Instagram).
func (c *Client) SetCommentHidden(ctx context.Context, token string, platform inbox.Platform, commentID string, hidden bool) (RateLimit, error) {
	const op = "hide_comment"
	if err := checkIDs(op, commentID); err != nil {
		return RateLimit{}, err
	}
	param := "is_hidden"
	switch platform {
	case inbox.PlatformFacebook:
	case inbox.PlatformInstagram:
		param = "hide"
	default:
		return RateLimit{}, invalid(op, "unknown platform %q", platform)
	}
	return c.success(ctx, token, call{op: op, method: http.MethodPost, path: []string{commentID},
		form: url.Values{param: {strconv.FormatBool(hidden)}}, idempotent: true})
}

// DeleteComment deletes a comment on either platform: DELETE /{comment-id}.
func (c *Client) DeleteComment(ctx context.Context, token, commentID string) (RateLimit, error) {
	const op = "delete_comment"
	if err := checkIDs(op, commentID); err != nil {
		return RateLimit{}, err
	}
	return c.success(ctx, token, call{op: op, method: http.MethodDelete, path: []string{commentID}, idempotent: true})
}

// success makes a call whose answer is {"success": true}.
func (c *Client) success(ctx context.Context, token string, cl call) (RateLimit, error) {
	var out struct {
		Success bool `json:"success"`
	}
	rl, err := c.do(ctx, token, cl, &out)
	if err == nil && !out.Success {
		return rl, &Error{Op: cl.op, Class: Permanent, Status: http.StatusOK, RateLimit: rl, Message: "answer is not success"}
	}
	return rl, err
}

// FetchProfile looks up a contact's public name: GET /{psid or igsid}.
// Name is filled from first and last name when Meta gives only those.
func (c *Client) FetchProfile(ctx context.Context, token string, platform inbox.Platform, userID string) (Profile, error) {
	const op = "fetch_profile"
	if err := checkIDs(op, userID); err != nil {
		return Profile{}, err
	}
	fields := "first_name,last_name,name"
	switch platform {
	case inbox.PlatformFacebook:
	case inbox.PlatformInstagram:
		fields = "name,username"
	default:
		return Profile{}, invalid(op, "unknown platform %q", platform)
	}
	var p Profile
	rl, err := c.do(ctx, token, call{op: op, method: http.MethodGet, path: []string{userID},
		query: url.Values{"fields": {fields}}, idempotent: true}, &p)
	p.RateLimit = rl
	if p.Name == "" {
		p.Name = strings.TrimSpace(p.FirstName + " " + p.LastName)
	}
	return p, err
}

// created checks the answer of a create call.
func created(op string, out *Created, rl RateLimit, err error) error {
	out.RateLimit = rl
	if err == nil && out.ID == "" {
		return &Error{Op: op, Class: Ambiguous, Status: http.StatusOK, RateLimit: rl, Message: "answer has no id"}
	}
	return err
}

// checkIDs rejects ids that are not Graph object ids, so nothing a
// webhook carried can change the path of a call.
func checkIDs(op string, ids ...string) error {
	for _, id := range ids {
		if id == "" {
			return invalid(op, "an object id is empty")
		}
		for _, r := range id {
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r == '-' || r == '.') {
				return invalid(op, "object id %q has a character other than letters, digits, _ - .", id)
			}
		}
	}
	return nil
}

// checkText enforces the documented length limits of private messages.
func checkText(op string, platform inbox.Platform, text string, private bool) error {
	switch {
	case !platform.Valid():
		return invalid(op, "unknown platform %q", platform)
	case strings.TrimSpace(text) == "":
		return invalid(op, "text is empty")
	case !utf8.ValidString(text):
		return invalid(op, "text is not valid UTF-8")
	case private && platform == inbox.PlatformFacebook && utf8.RuneCountInString(text) > MaxMessengerRunes:
		return invalid(op, "text is longer than %d characters", MaxMessengerRunes)
	case private && platform == inbox.PlatformInstagram && len(text) > MaxInstagramBytes:
		return invalid(op, "text is longer than %d bytes", MaxInstagramBytes)
	}
	return nil
}

// invalid is an *Error for a call refused before it was made.
func invalid(op, format string, args ...any) *Error {
	return &Error{Op: op, Class: InvalidRequest, Message: fmt.Sprintf(format, args...)}
}
