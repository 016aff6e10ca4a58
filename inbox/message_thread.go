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
