package graph

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"time"

	"inkorg/inbox"
)

// sandboxThread is a private conversation the sandbox lists.
type sandboxThread struct {
	account  string
	platform string // "messenger" or "instagram"
	id       string
	messages []ConversationMessage // oldest first
}

// AddConversationMessage makes the sandbox list m in the private
// conversation conversationID of account accountID on platform, as if it
// had been written (whether or not a webhook told inkorg).
func (s *Sandbox) AddConversationMessage(accountID string, platform inbox.Platform, conversationID string, m ConversationMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.threads {
		if t.id == conversationID {
			t.messages = append(t.messages, m)
			return
		}
	}
	s.threads = append(s.threads, &sandboxThread{account: accountID, platform: conversationPlatform(platform),
		id: conversationID, messages: []ConversationMessage{m}})
}

// messagesLimit reads the N of "messages.limit(N){…}" in fields.
var messagesLimit = regexp.MustCompile(`messages\.limit\(([0-9]+)\)`)

// defaultMessagesLimit is how many messages Graph returns per
// conversation without a limit.
const defaultMessagesLimit = 25

// listConversations answers GET /{account}/conversations?platform=…,
// most recently updated first, each with its newest messages first.
func (s *Sandbox) listConversations(account string, params map[string]any) answer {
	platform, _ := params["platform"].(string)
	if platform != "messenger" && platform != "instagram" {
		return invalidParam("Param platform must be one of {MESSENGER, INSTAGRAM}")
	}
	fields, _ := params["fields"].(string)
	perThread := defaultMessagesLimit
	if m := messagesLimit.FindStringSubmatch(fields); m != nil {
		perThread, _ = strconv.Atoi(m[1])
	}
	limit := defaultMessagesLimit
	if l, ok := params["limit"].(string); ok {
		if n, err := strconv.Atoi(l); err == nil && n > 0 {
			limit = n
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var threads []*sandboxThread
	for _, t := range s.threads {
		if t.platform == platform && (t.account == account || platform == "instagram" && s.igLinks[account] == t.account) {
			threads = append(threads, t)
		}
	}
	slices.SortStableFunc(threads, func(a, b *sandboxThread) int { return b.updated().Compare(a.updated()) })
	data := []map[string]any{}
	for _, t := range threads[:min(limit, len(threads))] {
		msgs := []map[string]any{}
		for i := len(t.messages) - 1; i >= 0 && len(msgs) < perThread; i-- {
			msgs = append(msgs, sandboxMessage(t.platform, t.messages[i]))
		}
		data = append(data, map[string]any{"id": t.id, "updated_time": graphTimeString(t.updated()),
			"messages": map[string]any{"data": msgs}})
	}
	return answer{status: http.StatusOK, body: map[string]any{"data": data}}
}

func (t *sandboxThread) updated() time.Time {
	var u time.Time
	for _, m := range t.messages {
		if m.Created.After(u) {
			u = m.Created
		}
	}
	return u
}

// graphTimeString formats t as Graph does: "2006-01-02T15:04:05+0000".
func graphTimeString(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05-0700") }

// sandboxMessage is m in the conversations edge's shape: Messenger names
// people with name and email, Instagram with username.
func sandboxMessage(platform string, m ConversationMessage) map[string]any {
	party := func(id, name string) map[string]string {
		if platform == "instagram" {
			return map[string]string{"id": id, "username": name}
		}
		return map[string]string{"id": id, "name": name, "email": id + "@facebook.com"}
	}
	out := map[string]any{"id": m.ID, "created_time": graphTimeString(m.Created), "message": m.Text,
		"from": party(m.FromID, m.FromName), "to": map[string]any{"data": []map[string]string{party(m.ToID, "")}}}
	if len(m.Attachments) > 0 {
		var atts []map[string]any
		for i, a := range m.Attachments {
			item := map[string]any{"id": fmt.Sprintf("%s_att%d", m.ID, i), "name": a.Title}
			switch a.Type {
			case inbox.AttachmentImage:
				item["mime_type"], item["image_data"] = "image/jpeg", map[string]string{"url": a.URL}
			case inbox.AttachmentVideo:
				item["mime_type"], item["video_data"] = "video/mp4", map[string]string{"url": a.URL}
			case inbox.AttachmentAudio:
				item["mime_type"], item["file_url"] = "audio/mpeg", a.URL
			default:
				item["mime_type"], item["file_url"] = "application/octet-stream", a.URL
			}
			atts = append(atts, item)
		}
		out["attachments"] = map[string]any{"data": atts}
	}
	return out
}
