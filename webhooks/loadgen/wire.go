package loadgen

// The JSON shapes of Meta's deliveries, as far as the generator writes
// them. Structs encode several times faster than maps, which matters
// because the generator shares the machine with what it measures.

type envelopeJSON struct {
	Object string      `json:"object"`
	Entry  []entryJSON `json:"entry"`
}

type entryJSON struct {
	ID        string          `json:"id"`
	Time      int64           `json:"time"`
	Changes   []changeJSON    `json:"changes,omitempty"`
	Messaging []messagingJSON `json:"messaging,omitempty"`
}

type changeJSON struct {
	Field string `json:"field"`
	Value any    `json:"value"`
}

type partyJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"`
	Username string `json:"username,omitempty"`
}

// feedJSON is the value of a Page feed change for a comment.
type feedJSON struct {
	Item        string    `json:"item"`
	Verb        string    `json:"verb"`
	CommentID   string    `json:"comment_id"`
	PostID      string    `json:"post_id"`
	ParentID    string    `json:"parent_id"`
	From        partyJSON `json:"from"`
	CreatedTime int64     `json:"created_time"`
	Message     string    `json:"message"`
}

// igCommentJSON is the value of an Instagram comments change.
type igCommentJSON struct {
	ID    string    `json:"id"`
	Text  string    `json:"text"`
	From  partyJSON `json:"from"`
	Media mediaJSON `json:"media"`
}

type mediaJSON struct {
	ID               string `json:"id"`
	MediaProductType string `json:"media_product_type"`
}

type messagingJSON struct {
	Sender      partyJSON    `json:"sender"`
	Recipient   partyJSON    `json:"recipient"`
	Timestamp   int64        `json:"timestamp"`
	Message     *messageJSON `json:"message,omitempty"`
	MessageEdit *editJSON    `json:"message_edit,omitempty"`
}

type messageJSON struct {
	Mid         string           `json:"mid"`
	Text        string           `json:"text,omitempty"`
	Attachments []attachmentJSON `json:"attachments,omitempty"`
}

type attachmentJSON struct {
	Type    string      `json:"type"`
	Payload payloadJSON `json:"payload"`
}

type payloadJSON struct {
	URL string `json:"url"`
}

type editJSON struct {
	Mid     string `json:"mid"`
	Text    string `json:"text"`
	NumEdit int    `json:"num_edit"`
}
