package inbox

import (
	"context"
	"time"
)

// Priority is how soon a conversation needs an answer.
type Priority string

// Priorities. Urgent is for threats, self-harm, emergencies and crises;
// low for praise and spam.
const (
	PriorityUrgent Priority = "urgent"
	PriorityNormal Priority = "normal"
	PriorityLow    Priority = "low"
)

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool {
	return p == PriorityUrgent || p == PriorityNormal || p == PriorityLow
}

// SensitiveKind is a kind of personal data found in a message.
type SensitiveKind string

// Kinds of sensitive personal data.
const (
	SensitivePersonalIdentityNumber SensitiveKind = "personal_identity_number"
	SensitiveCoordinationNumber     SensitiveKind = "coordination_number"
	SensitivePaymentCard            SensitiveKind = "payment_card"
	SensitivePhone                  SensitiveKind = "phone"
	SensitiveEmail                  SensitiveKind = "email"
	SensitiveHealth                 SensitiveKind = "health"
	SensitiveSocialWelfare          SensitiveKind = "social_welfare"
	// SensitiveAddress is where someone lives: a street address with
	// an apartment number or postal code, or said to be a home, or a
	// postal code with its place.
	SensitiveAddress SensitiveKind = "address"
)

// SensitiveSpan is where personal data is in a message text. Start and End
// count Unicode code points, End exclusive, so any client can cut the text
// the same way.
type SensitiveSpan struct {
	Kind  SensitiveKind `json:"kind"`
	Start int           `json:"start"`
	End   int           `json:"end"`
}

// Alternative is a routing target triage ranked below the chosen one.
type Alternative struct {
	Administration string  `json:"administration"`
	Confidence     float64 `json:"confidence"`
}

// LinkSuggestion is a goteborg.se page that may answer the question.
type LinkSuggestion struct {
	URL   string  `json:"url"`
	Title string  `json:"title"`
	Score float64 `json:"score"`
}

// Triage is what routing concluded about one inbound citizen message: its
// language, the personal data in it, where it belongs and how urgent it is.
type Triage struct {
	// MessageID is the message the triage is of.
	MessageID int64 `json:"message_id,omitempty"`
	// Administration is the chosen routing target's id.
	Administration string        `json:"administration"`
	Confidence     float64       `json:"confidence"`
	Alternatives   []Alternative `json:"alternatives"`
	// Referral is where to send the citizen when the target is a body
	// outside the city.
	Referral           string          `json:"referral,omitempty"`
	Language           string          `json:"language"`
	LanguageConfidence float64         `json:"language_confidence"`
	Tags               []string        `json:"tags"`
	Priority           Priority        `json:"priority"`
	NeedsHuman         bool            `json:"needs_human"`
	Sensitive          []SensitiveSpan `json:"sensitive"`
	// HideRecommended is true for a public comment that holds a personal
	// identity, coordination or payment card number: it should be hidden
	// and the conversation moved to a private reply.
	HideRecommended bool `json:"hide_recommended"`
	// PrivateReply is a ready text to send privately when
	// HideRecommended is set.
	PrivateReply string           `json:"private_reply,omitempty"`
	Suggestions  []LinkSuggestion `json:"suggestions"`
	// SuggestionsPending is true while the answer-bank links have not been
	// looked for yet: ingest stores the triage first and the links a
	// moment later, outside the path that makes the message visible. A
	// triage saved when that work was shed under load, or cut short by a
	// restart, stays pending; the suggestions endpoint searches live.
	SuggestionsPending bool `json:"suggestions_pending,omitempty"`
	// Rule names the admin-defined routing rule that decided the triage;
	// nil when the classifier did.
	Rule *RuleRef `json:"rule,omitempty"`
	// AutoHidden is true when the comment was hidden without waiting for
	// an agent because it held a personal identity or card number.
	AutoHidden bool      `json:"auto_hidden,omitempty"`
	TriagedAt  time.Time `json:"triaged_at,omitzero"`
}

// HasSensitive reports whether t found personal data of one of kinds.
func (t *Triage) HasSensitive(kinds ...SensitiveKind) bool {
	for _, s := range t.Sensitive {
		for _, k := range kinds {
			if s.Kind == k {
				return true
			}
		}
	}
	return false
}

// RoutingExample is a citizen message and the administration a person
// routed its conversation to, where that was not what triage proposed:
// a correction the classifier learns from. Who routed it and when is in
// the audit trail.
type RoutingExample struct {
	MessageID        int64
	Text             string
	AdministrationID string
}

// TriageStore keeps the triage of inbound messages.
type TriageStore interface {
	// SaveTriage stores t as the triage of message t.MessageID in the
	// conversation, replacing an earlier triage of the same message, so
	// saving again is harmless. It does not route the conversation: the
	// triage's administration is a proposal that a person acts on (see
	// Service.Route). An unknown conversation or message is ENOTFOUND.
	SaveTriage(ctx context.Context, conversationID int64, t *Triage) error
	// FindTriage returns the triage of the conversation's latest triaged
	// message, or ENOTFOUND.
	FindTriage(ctx context.Context, conversationID int64) (*Triage, error)
	// SaveTriageSuggestions replaces, for each t of ts, the stored triage
	// of message t.MessageID with t (the same triage with its link
	// suggestions filled in) only if the stored one is still the one made
	// at t.TriagedAt, and reports for each whether it did: a triage made
	// since, of an edited text or a redelivery, is newer and stays. The
	// triages are saved together, for a filler that has several ready.
	SaveTriageSuggestions(ctx context.Context, ts []*Triage) ([]bool, error)
	// FindRoutingExamples returns the corrections people made: for each
	// conversation routed to another administration than its triage
	// proposed, or whose triage needed a human, the text of the citizen's
	// message that triage was of (the latest triaged one stored when the
	// conversation was last routed) and the administration; one example
	// per text and administration. Spam, removed personal data and
	// deleted messages teach nothing. Newest first, at most limit.
	FindRoutingExamples(ctx context.Context, limit int) ([]RoutingExample, error)
}
