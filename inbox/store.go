package inbox

// Store is everything inkorg keeps in its database. One adapter implements
// it for both SQLite and PostgreSQL; one contract suite tests it.
type Store interface {
	Pinger
	EventStore
	ConversationStore
	MessageStore
	UserStore
	APITokenStore
	AccountStore
	AuditStore
	TriageStore
	RawDeliveryStore
	WorkStore
	OutboundStore
	AccountTokenStore
	TokenCheckStore
	ChannelPollStore
	SessionStore
	RuleStore
	AlertStore
	SLAStore
	StatusHistoryStore
	SLAStateCounter
	ReportStore
	PostStore
	ContactProfileStore
}
