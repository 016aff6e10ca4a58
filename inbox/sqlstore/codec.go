package sqlstore

import (
	"encoding/json"

	"inkorg/inbox"
)

// encodeAttachments writes attachments as the JSON a column keeps, empty
// for none.
func encodeAttachments(a []inbox.Attachment) string {
	if len(a) == 0 {
		return ""
	}
	b, err := json.Marshal(a)
	if err != nil {
		// Attachments are plain strings and numbers; Marshal cannot fail.
		return ""
	}
	return string(b)
}

// decodeAttachments reads what encodeAttachments wrote; a column it cannot
// read yields none rather than hiding the message.
func decodeAttachments(s string) []inbox.Attachment {
	if s == "" {
		return nil
	}
	var a []inbox.Attachment
	if json.Unmarshal([]byte(s), &a) != nil {
		return nil
	}
	return a
}

// encodeReactions writes reaction counts as JSON, empty for none.
func encodeReactions(counts map[string]int) string {
	if len(counts) == 0 {
		return ""
	}
	b, err := json.Marshal(counts)
	if err != nil {
		return ""
	}
	return string(b)
}

func decodeReactions(s string) map[string]int {
	if s == "" {
		return nil
	}
	var counts map[string]int
	if json.Unmarshal([]byte(s), &counts) != nil {
		return nil
	}
	return counts
}

// attachmentLabels name, in Swedish for staff, what a message without
// text carries, for conversation previews.
var attachmentLabels = map[string]string{
	inbox.AttachmentImage:        "[Bild]",
	inbox.AttachmentVideo:        "[Video]",
	inbox.AttachmentAudio:        "[Ljud]",
	inbox.AttachmentFile:         "[Fil]",
	inbox.AttachmentLocation:     "[Plats]",
	inbox.AttachmentStoryMention: "[Omnämnande i story]",
	inbox.AttachmentStoryReply:   "[Svar på story]",
	inbox.AttachmentShare:        "[Delat inlägg]",
}

// previewText is the text a conversation list shows for e's message.
func previewText(e *inbox.Event) string {
	switch {
	case e.Text != "":
		return e.Text
	case len(e.Attachments) > 0:
		if l, ok := attachmentLabels[e.Attachments[0].Type]; ok {
			return l
		}
		return "[Bilaga]"
	case e.Mention:
		return "[Omnämnande]"
	case e.Unsupported:
		return "[Innehåll som inte kan visas]"
	}
	return ""
}
