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
		if c == nil || c.Contact == nil || m.AuthorExternalID == c.Contact.ExternalID {
			return m.Text
		}
		if other == "" {
			other = m.Text
		}
	}
	return other
}
