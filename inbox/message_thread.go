package inbox

// MarkParents sets ParentID on each reply whose parent comment is in msgs,
// and IsParent on that comment, so a client shows which comment a reply
// answers without matching platform ids itself.
func MarkParents(msgs []*Message) {
	byExternal := make(map[string]*Message, len(msgs))
	for _, m := range msgs {
		byExternal[m.ExternalID] = m
	}
	for _, m := range msgs {
		if parent := byExternal[m.ParentExternalID]; m.ParentExternalID != "" && parent != nil && parent != m {
			m.ParentID, parent.IsParent = parent.ID, true
		}
	}
}

// LatestCitizenText is the text of the latest message c's citizen (its
// contact) wrote that agents still see, one its author unsent or deleted
// passed over: what answer-bank suggestions answer. In a comment thread
// another commenter's later reply ("Samma för mig") is not the question;
// only when the citizen has none left is the latest of anyone's taken.
func LatestCitizenText(c *Conversation, msgs []*Message) string {
	other := ""
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if m.Direction != DirectionInbound || m.Deleted() || m.Text == "" {
			continue
		}
		if c.WrittenByContact(m) {
			return m.Text
		}
		if other == "" {
			other = m.Text
		}
	}
	return other
}

// WrittenByContact reports whether m was written by c's citizen, the
// contact the conversation is with: the one definition replies and
// suggestions use to tell the citizen from other commenters in a thread.
// With no conversation or no contact loaded, every author counts.
func (c *Conversation) WrittenByContact(m *Message) bool {
	return c == nil || c.Contact == nil || m.AuthorExternalID == c.Contact.ExternalID
}
