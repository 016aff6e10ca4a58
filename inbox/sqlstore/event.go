package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"inkorg/inbox"
)

// previewLength is how many runes of the latest message a conversation
// keeps as its preview.
const previewLength = 200

// errApplied rolls back a transaction that found its message already
// stored, so that a redelivered event changes nothing.
var errApplied = errors.New("event already applied")

// ApplyEvent applies e in one transaction: a new message upserts its
// contact, conversation and message; a change to a message (edit,
// deletion, hide, reaction) is recorded in message_changes and the
// message's state recomputed from them (see refreshMessage); a receipt
// moves delivery states. Applying an event again, even concurrently,
// changes nothing and returns Created false.
func (s *Store) ApplyEvent(ctx context.Context, e inbox.Event) (inbox.Applied, error) {
	if err := e.Validate(); err != nil {
		return inbox.Applied{}, err
	}
	e.ReplaceNUL()
	switch {
	case e.Kind.ChangesMessage():
		return s.applyChange(ctx, &e)
	case e.Kind.Receipt():
		return s.applyReceipt(ctx, &e)
	case e.Kind == inbox.EventPostPublished:
		return s.applyPost(ctx, &e)
	}
	return s.applyCreated(ctx, &e)
}

// applyCreated stores the message an EventMessageCreated event carries.
// A message stored already is found by its insert, which does nothing and
// rolls the transaction back: a look-up before the transaction would
// spare a redelivery a few statements, at the cost of one round trip for
// every new message, which are nearly all of them.
func (s *Store) applyCreated(ctx context.Context, e *inbox.Event) (inbox.Applied, error) {
	// On PostgreSQL the first statement of apply finds the thread (see
	// upsertContactPostgresSQL).
	if s.db.dialect != DialectPostgres {
		if err := s.threadOfParent(ctx, e); err != nil {
			return inbox.Applied{}, translate(err, "Event")
		}
	}
	var a inbox.Applied
	var post postKey
	var err error
	// An account removed after the transaction read it (see RemoveAccount)
	// is read afresh, and found gone, when the event is applied again.
	for range txAttempts {
		err = s.inTxRetry(ctx, func(tx *gorm.DB) error {
			var err error
			a, post, err = s.apply(tx, e)
			return err
		})
		if !accountGone(err) || ctx.Err() != nil {
			break
		}
	}
	if err == nil && post != (postKey{}) {
		s.posts.add(post)
	}
	if errors.Is(err, errApplied) {
		// Stored before, or by another worker while this one ran.
		a, _, err = s.findApplied(ctx, e)
		return a, err
	}
	if err != nil {
		return inbox.Applied{}, translate(err, "Event")
	}
	return a, nil
}

// threadOfParent puts a Facebook reply to a reply in the thread of the
// comment it answers. Meta names only the comment a reply answers
// (parent_id), which for a reply to a reply is itself a reply, so the
// parser can only take that as the thread; the stored parent knows the
// top-level comment's conversation. A reply whose parent is not stored
// yet keeps the parser's thread.
func (s *Store) threadOfParent(ctx context.Context, e *inbox.Event) error {
	if !threadFromParent(e) {
		return nil
	}
	var keys []string
	err := s.conn(ctx).Table("messages AS m").Joins("JOIN conversations c ON c.id = m.conversation_id").
		Where("m.platform = ? AND m.external_id = ? AND c.channel = ? AND c.account_external_id = ?",
			string(e.Platform), e.ParentExternalID, string(e.Channel), e.AccountExternalID).
		Limit(1).Pluck("c.thread_key", &keys).Error
	if err != nil {
		return err
	}
	if len(keys) == 1 && keys[0] != "" {
		e.ThreadKey = keys[0]
	}
	return nil
}

// threadFromParent reports whether e is a Facebook reply whose thread is
// the comment it answers, which may itself be a reply (see
// threadOfParent).
func threadFromParent(e *inbox.Event) bool {
	return e.Channel == inbox.ChannelFacebookComment && e.ParentExternalID != "" && e.ThreadKey == e.ParentExternalID
}

// findApplied looks up the message of e and reports whether it is stored.
func (s *Store) findApplied(ctx context.Context, e *inbox.Event) (inbox.Applied, bool, error) {
	var rows []messageRow
	err := s.conn(ctx).Select("id", "conversation_id").
		Where("platform = ? AND external_id = ?", string(e.Platform), e.MessageExternalID).
		Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return inbox.Applied{}, false, translate(err, "Message")
	}
	return inbox.Applied{ConversationID: rows[0].ConversationID, MessageID: rows[0].ID}, true, nil
}

// apply does the writes of ApplyEvent. The order (the message's lock,
// then contact, conversation, message) is the same for every event, so
// concurrent transactions on PostgreSQL wait for each other instead of
// deadlocking; a message's creation, like a change to it, takes the
// message's advisory lock before it writes any row.
//
// It also returns the post a comment hangs under when it noted it for the
// post fetcher (see knownPosts).
func (s *Store) apply(tx *gorm.DB, e *inbox.Event) (inbox.Applied, postKey, error) {
	now := s.now()
	pre, err := pretriageOf(e)
	if err != nil {
		return inbox.Applied{}, postKey{}, err
	}
	look, err := upsertContact(tx, e, now)
	if err != nil {
		return inbox.Applied{}, postKey{}, err
	}
	if !look.looked {
		if look.conv, err = findConversation(tx, e); err != nil {
			return inbox.Applied{}, postKey{}, err
		}
	}
	var triage *inbox.Triage
	if pre != nil {
		triage = e.Triage
	}
	var conv convRef
	var msgID int64
	var created, early, started, bystander bool
	if startsWithMessage(tx, e, &look) {
		if conv, msgID, early, started, err = startConversation(tx, e, &look, pre, triage, now); err != nil {
			return inbox.Applied{}, postKey{}, err
		}
		created = started
	}
	if !started {
		if conv, created, err = ensureConversation(tx, e, &look, pre, now); err != nil {
			return inbox.Applied{}, postKey{}, err
		}
		if !look.locked {
			if err := lockMessage(tx, e.Platform, e.MessageExternalID); err != nil {
				return inbox.Applied{}, postKey{}, err
			}
		}
		if a, ok, err := s.matchOwnSend(tx, e, conv.ID, now); err != nil || ok {
			if err == nil && created {
				err = dropEmptyConversation(tx, conv.ID)
			}
			return a, postKey{}, err
		}
		bystander = !created && bystanderReply(e, conv, look.contactID)
		if msgID, early, err = insertMessage(tx, e, conv.ID, triage, bystander, now); err != nil {
			return inbox.Applied{}, postKey{}, err
		}
	}
	var before ingestStatus
	if !created {
		// A new conversation was inserted with its first message counted
		// in (newConversationRow), and its triage facets: updating the row
		// again would write every index of the conversations table a
		// second time.
		if look.statusKnown && look.conv.ID == conv.ID {
			before = look.status
		} else if before, err = statusBeforeMessage(tx, e, conv.ID); err != nil {
			return inbox.Applied{}, postKey{}, err
		}
		counted := countedMessage{convID: conv.ID, msgID: msgID, contactID: look.contactID, bystander: bystander}
		if conv.UnknownAccount {
			if counted.adoptAccountID, err = accountOf(tx, e, &look); err != nil {
				return inbox.Applied{}, postKey{}, err
			}
			conv.UnknownAccount = counted.adoptAccountID == 0
		}
		if err := recordMessage(tx, e, counted, pre, now); err != nil {
			return inbox.Applied{}, postKey{}, err
		}
	}
	// A conversation a citizen's message created on PostgreSQL recorded
	// its first status in its insert.
	if !created || !newStatusWithConversation(tx, e) {
		if err := recordIngestStatus(tx, e, conv.ID, created, before); err != nil {
			return inbox.Applied{}, postKey{}, err
		}
	}
	if err := applyEarlyChanges(tx, e, early); err != nil {
		return inbox.Applied{}, postKey{}, err
	}
	post, err := s.noteCommentPost(tx, e, now)
	if err != nil {
		return inbox.Applied{}, postKey{}, err
	}
	return inbox.Applied{
		ConversationID: conv.ID, MessageID: msgID, Created: true,
		NewConversation: created, UnknownAccount: conv.UnknownAccount, AdministrationID: conv.AdministrationID,
		Triaged: pre != nil,
	}, post, nil
}

// pretriageOf returns the conversation facets of the triage e carries
// (see inbox.Event.Triage), nil when it carries none to save: only a new
// citizen's message is triaged. A triage the store could not save leaves
// it to the hooks after ApplyEvent, which report it.
func pretriageOf(e *inbox.Event) (*triageFacets, error) {
	if e.Triage == nil || e.Direction != inbox.DirectionInbound || validTriage(e.Triage) != nil {
		return nil, nil
	}
	f, err := facetsOf(e.Triage)
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// convRef is the part of a conversation applying an event needs.
type convRef struct {
	ID               int64
	UnknownAccount   bool
	AdministrationID string
	// ContactID is the conversation's contact, 0 when not read.
	ContactID int64
}

// ensureConversation returns the event's conversation, look.conv (what
// findConversation returned, a zero ID for none), creating it when missing,
// and whether it did. It leaves the event's account known in look.
//
// A new conversation starts with the triage facets of pre, when there are
// any (see pretriageOf).
func ensureConversation(tx *gorm.DB, e *inbox.Event, look *ingestLookup, pre *triageFacets, now dbTime) (convRef, bool, error) {
	if look.conv.ID != 0 {
		return look.conv, false, nil
	}
	accountID, err := newConversationAccount(tx, e, look)
	if err != nil {
		return convRef{}, false, err
	}
	row := newConversationRow(e, look.contactID, accountID, now)
	insert := conversationInsert(tx)
	var value any = &row
	if pre != nil {
		value = &triagedConversationRow{Conversation: row, Facets: *pre}
	}
	if newStatusWithConversation(tx, e) {
		// The status history starts with the conversation, in its insert.
		err := createAlso(insert, value, "INSERT INTO conversation_status_changes (conversation_id, status, at) SELECT ins.id, ?, ? FROM ins",
			[]any{string(inbox.StatusNew), toDBTime(e.OccurredAt)}, "id", &row.ID)
		switch {
		case err == nil:
			return convRef{ID: row.ID, UnknownAccount: row.UnknownAccount}, true, nil
		case !errors.Is(err, sql.ErrNoRows):
			return convRef{}, false, err
		}
	} else {
		res := insert.Create(value)
		if res.Error != nil {
			return convRef{}, false, res.Error
		}
		if t, ok := value.(*triagedConversationRow); ok {
			row.ID = t.Conversation.ID
		}
		if res.RowsAffected == 1 && row.ID != 0 {
			return convRef{ID: row.ID, UnknownAccount: row.UnknownAccount}, true, nil
		}
	}
	// A concurrent transaction created it after our lookup.
	ref, err := findConversation(tx, e)
	return ref, false, err
}

// conversationInsert is tx set to insert a conversation row, doing
// nothing when its thread has one already.
func conversationInsert(tx *gorm.DB) *gorm.DB {
	return tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "platform"}, {Name: "channel"}, {Name: "account_external_id"}, {Name: "thread_key"}},
		DoNothing: true,
	})
}

// newConversationAccount returns the account of a conversation the event
// starts, 0 when it is not managed, and leaves it known in look. On
// PostgreSQL an account look found missing may be being added: waiting for
// CreateAccount's lock (see lockAccount) and reading it again, only on that
// rare path, makes the conversation either the account's or one
// CreateAccount sees and adopts.
func newConversationAccount(tx *gorm.DB, e *inbox.Event, look *ingestLookup) (int64, error) {
	if look.accountKnown && look.accountID != 0 {
		return look.accountID, nil
	}
	if err := lockAccount(tx, e.Platform, e.AccountExternalID, true); err != nil {
		return 0, err
	}
	id, err := findAccountID(tx, e.Platform, e.AccountExternalID)
	if err != nil {
		return 0, err
	}
	look.accountID, look.accountKnown = id, true
	return id, nil
}

// accountOf returns the event's account, 0 when it is not managed, from
// look when known there. It is read for a conversation flagged unknown
// account, which the account, when it is managed now, adopts (see
// countedMessage): one added before CreateAccount and ingest were
// serialised may have missed it.
func accountOf(tx *gorm.DB, e *inbox.Event, look *ingestLookup) (int64, error) {
	if look.accountKnown {
		return look.accountID, nil
	}
	id, err := findAccountID(tx, e.Platform, e.AccountExternalID)
	if err != nil {
		return 0, err
	}
	look.accountID, look.accountKnown = id, true
	return id, nil
}

// newStatusWithConversation reports whether a conversation the event
// creates records its first status in its insert (see createAlso), on
// PostgreSQL for a citizen's message: an outbound one may turn out to be
// the echo of a reply stored elsewhere, which leaves the conversation
// empty and without a status (see matchOwnSend).
func newStatusWithConversation(tx *gorm.DB, e *inbox.Event) bool {
	return tx.Dialector.Name() == DialectPostgres && e.Direction == inbox.DirectionInbound
}

// findConversation returns the event's conversation, a zero ID when there
// is none.
func findConversation(tx *gorm.DB, e *inbox.Event) (convRef, error) {
	var rows []conversationRow
	err := tx.Select("id", "unknown_account", "administration_id", "contact_id").
		Where("platform = ? AND channel = ? AND account_external_id = ? AND thread_key = ?",
			string(e.Platform), string(e.Channel), e.AccountExternalID, e.ThreadKey).
		Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return convRef{}, err
	}
	return convRef{ID: rows[0].ID, UnknownAccount: rows[0].UnknownAccount, AdministrationID: rows[0].AdministrationID,
		ContactID: rows[0].ContactID}, nil
}

// newConversationRow is the row of a conversation the event starts, with
// the event's message counted in as recordMessage would count it into a
// conversation with no other message: one message, its preview, and, when
// the citizen wrote it, waiting for an answer since it was sent (a first
// response needs an inbound message before an outbound one).
func newConversationRow(e *inbox.Event, contactID, accountID int64, now dbTime) conversationRow {
	sent := toDBTime(e.OccurredAt)
	var inbound dbTime
	if e.Direction == inbox.DirectionInbound {
		inbound = sent
	}
	return conversationRow{
		MessageCount:      1,
		Preview:           preview(previewText(e)),
		LastInboundAt:     inbound,
		WaitingSince:      inbound,
		AccountID:         nullID(accountID),
		AccountExternalID: e.AccountExternalID,
		UnknownAccount:    accountID == 0,
		Platform:          string(e.Platform),
		Channel:           string(e.Channel),
		ThreadKey:         e.ThreadKey,
		PostExternalID:    e.PostExternalID,
		ContactID:         contactID,
		Status:            string(inbox.StatusNew),
		FirstMessageAt:    sent,
		LastMessageAt:     sent,
		CreatedAt:         now,
		UpdatedAt:         now,
	}
}

// insertMessage stores the event's message and returns its id, or
// errApplied when the platform's message id is already stored. With
// triage, the message's triage is stored too (see pretriageOf), marked
// bystander as told.
func insertMessage(tx *gorm.DB, e *inbox.Event, convID int64, triage *inbox.Triage, bystander bool, now dbTime) (id int64, earlyChanges bool, err error) {
	ins := insertedMessageRow{Message: newMessageRow(e, convID, now)}
	insert := messageInsert(tx)
	if triage != nil && tx.Dialector.Name() == DialectPostgres {
		return insertMessageWithTriage(insert, &ins, triage, bystander, now)
	}
	res := insert.Create(&ins)
	switch {
	case res.Error != nil:
		return 0, false, res.Error
	case res.RowsAffected == 0 || ins.Message.ID == 0:
		return 0, false, errApplied
	}
	if triage != nil {
		triage.MessageID = ins.Message.ID
		t, err := newTriageRow(convID, triage, now)
		if err != nil {
			return 0, false, err
		}
		t.Bystander = bystander
		if err := saveTriage(tx, &t); err != nil {
			return 0, false, err
		}
	}
	return ins.Message.ID, ins.EarlyChanges, nil
}

// messageInsert is tx set to insert an insertedMessageRow: nothing when the
// platform's message id is stored already, returning its id and whether
// changes to it arrived before it.
func messageInsert(tx *gorm.DB) *gorm.DB {
	return tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "platform"}, {Name: "external_id"}},
		DoNothing: true,
	}, clause.Returning{Columns: []clause.Column{{Name: "id"}, {Name: earlyChangesSQL, Raw: true}}})
}

// newMessageRow is the row of the event's message in conversation convID.
func newMessageRow(e *inbox.Event, convID int64, now dbTime) messageRow {
	author := e.Author
	if author.ExternalID == "" && e.Direction == inbox.DirectionInbound {
		author = e.Contact
	}
	authorName := author.Name
	if authorName == "" {
		authorName = author.Username
	}
	return messageRow{
		ConversationID:    convID,
		Platform:          string(e.Platform),
		ExternalID:        e.MessageExternalID,
		Direction:         string(e.Direction),
		ParentExternalID:  e.ParentExternalID,
		AuthorExternalID:  author.ExternalID,
		AuthorName:        authorName,
		Text:              e.Text,
		SentAt:            toDBTime(e.OccurredAt),
		CreatedAt:         now,
		PostType:          e.PostType,
		Attachments:       encodeAttachments(e.Attachments),
		Payload:           e.Payload,
		SentOutsideInkorg: e.SentOutsideInkorg,
		Unsupported:       e.Unsupported,
		Mention:           e.Mention,
		Live:              e.Live,
		Delivery:          initialDelivery(e.Direction),
	}
}

// insertMessageWithTriage runs insert, the message's insert, and the
// triage's in one statement on PostgreSQL: nearly every citizen message
// has one, and a round trip costs more than the insert. The triage's
// result is the JSON newTriageRow would store, with the message's id put
// in first as encoding/json puts it (the first field of inbox.Triage; an
// administration always follows it).
func insertMessageWithTriage(insert *gorm.DB, ins *insertedMessageRow, triage *inbox.Triage, bystander bool, now dbTime) (int64, bool, error) {
	unnumbered := *triage
	unnumbered.MessageID = 0
	t, err := newTriageRow(ins.Message.ConversationID, &unnumbered, now)
	if err != nil {
		return 0, false, err
	}
	var id int64
	var early bool
	err = createAlso(insert, ins, `INSERT INTO message_triage `+triageColumns+`
		SELECT ins.id, ?, ?, ?, ?, ?, ?, '{"message_id":' || ins.id || ',' || substr(?, 2), ?, ? FROM ins`,
		[]any{t.ConversationID, t.AdministrationID, t.Confidence, t.Language, t.Priority, t.NeedsHuman, t.Result, t.TriagedAt, bystander},
		"id, early_changes", &id, &early)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, false, errApplied
	case err != nil:
		return 0, false, err
	}
	triage.MessageID = id
	return id, early, nil
}

// createAlso runs, on PostgreSQL, insert.Create(value) and also, an
// INSERT of rows made from what the first returns (the relation ins), in
// one statement, and scans the columns returning of ins into dest:
// sql.ErrNoRows when the first inserted nothing (then also inserts nothing
// either). Gorm builds the first, so it keeps to the model; also's ?
// placeholders take alsoArgs.
func createAlso(insert *gorm.DB, value any, also string, alsoArgs []any, returning string, dest ...any) error {
	stmt := insert.Session(&gorm.Session{DryRun: true}).Create(value).Statement
	if stmt.Error != nil {
		return stmt.Error
	}
	var q statementBuilder
	q.WriteString("WITH ins AS (")
	q.addNumbered(stmt.SQL.String(), stmt.Vars)
	q.WriteString("), also AS (")
	q.addMarked(also, alsoArgs...)
	q.WriteString(") SELECT ")
	q.WriteString(returning)
	q.WriteString(" FROM ins")
	return stmt.ConnPool.QueryRowContext(stmt.Context, q.String(), q.args...).Scan(dest...)
}

// insertedMessageRow is a new message's row with whether changes to it
// (an edit, a removal, a reaction) were stored before it arrived, which
// the insert returns instead of a look-up of its own. The insert comes
// after lockMessage, so it sees every change committed before it.
type insertedMessageRow struct {
	Message      messageRow `gorm:"embedded"`
	EarlyChanges bool       `gorm:"column:early_changes;->"`
}

func (insertedMessageRow) TableName() string { return "messages" }

// earlyChangesSQL is the RETURNING column of insertedMessageRow.
const earlyChangesSQL = "EXISTS (SELECT 1 FROM message_changes WHERE message_changes.platform = messages.platform" +
	" AND message_changes.message_external_id = messages.external_id) AS early_changes"

// firstResponseSQL computes a conversation's first response from its
// messages: the first outbound message after the first inbound one. Being
// computed rather than set once, it comes out the same whatever order the
// events arrive in. A reply inkorg has not (surely) sent yet does not count.
const firstResponseSQL = `(SELECT MIN(o.sent_at) FROM messages o
	WHERE o.conversation_id = conversations.id AND o.direction = 'outbound'
	AND o.delivery NOT IN ('queued', 'sending', 'failed', 'needs_check')
	AND o.sent_at > (SELECT MIN(i.sent_at) FROM messages i
		WHERE i.conversation_id = conversations.id AND i.direction = 'inbound'))`

// answeredPendingSQL holds for a pending conversation that a citizen's
// message answers: it was set pending before the message was sent (the
// arguments: pending, pending, the message's time).
const answeredPendingSQL = `(status = ? AND NOT EXISTS (SELECT 1 FROM conversation_status_changes sc
	WHERE sc.conversation_id = conversations.id AND sc.status = ? AND sc.at >= ?))`

// countedMessage is a new message recordMessage counts into its existing
// conversation.
type countedMessage struct {
	convID, msgID int64
	// contactID is the event's contact.
	contactID int64
	// bystander tells that the message is a bystander's reply (see
	// bystanderReply).
	bystander bool
	// adoptAccountID, when not 0, is the managed account of a conversation
	// flagged unknown account, which becomes the account's.
	adoptAccountID int64
}

// recordMessage counts a new message into its conversation. Every time
// comparison is against the platform's time of the message, never the
// clock, because events arrive out of order.
//
// A citizen's top-level comment (its id is the thread's key) makes its
// author the conversation's contact: a reply that arrived before it
// (Meta does not keep the order) started the thread with its own author,
// the Page or another commenter, as contact.
//
// With pre, the triage facets of the new message m.msgID, the
// conversation takes them in the same update unless a later message has a
// triage; a bystander's only as triageFacets.setForBystander says.
func recordMessage(tx *gorm.DB, e *inbox.Event, m countedMessage, pre *triageFacets, now dbTime) error {
	sent := toDBTime(e.OccurredAt)
	set := map[string]any{
		"message_count":     gorm.Expr("message_count + 1"),
		"preview":           gorm.Expr("CASE WHEN ? >= last_message_at THEN ? ELSE preview END", sent, preview(previewText(e))),
		"first_message_at":  gorm.Expr("CASE WHEN ? < first_message_at THEN ? ELSE first_message_at END", sent, sent),
		"last_message_at":   gorm.Expr("CASE WHEN ? > last_message_at THEN ? ELSE last_message_at END", sent, sent),
		"first_response_at": gorm.Expr(firstResponseSQL),
		"waiting_since":     gorm.Expr(waitingSinceSQL),
		"updated_at":        now,
		// A conversation whose personal data was removed holds some again:
		// retention must find it once it is closed and archived anew.
		"personal_data": "",
	}
	if e.Direction == inbox.DirectionInbound {
		set["last_inbound_at"] = gorm.Expr("CASE WHEN last_inbound_at IS NULL OR ? > last_inbound_at THEN ? ELSE last_inbound_at END", sent, sent)
		// A citizen writing after the conversation was resolved reopens
		// it, and their answer to a pending one ends the wait on them; a
		// late delivery of an older message does neither.
		reopen := "status = ? AND (resolved_at IS NULL OR resolved_at < ?)"
		set["status"] = gorm.Expr("CASE WHEN "+reopen+" OR "+answeredPendingSQL+" THEN ? ELSE status END",
			string(inbox.StatusResolved), sent, string(inbox.StatusPending), string(inbox.StatusPending), sent, string(inbox.StatusOpen))
		set["resolved_at"] = gorm.Expr("CASE WHEN "+reopen+" THEN NULL ELSE resolved_at END", string(inbox.StatusResolved), sent)
		if e.MessageExternalID == e.ThreadKey {
			set["contact_id"] = m.contactID
		}
	}
	if m.adoptAccountID != 0 {
		set["account_id"], set["unknown_account"] = m.adoptAccountID, false
	}
	switch {
	case pre == nil:
	case m.bystander:
		pre.setForBystander(set)
	default:
		pre.setUnlessLater(set, m.msgID)
	}
	return tx.Model(&conversationRow{}).Where("id = ?", m.convID).Updates(set).Error
}

// bystanderReply reports whether the event is a citizen's reply in a
// comment thread by someone other than the thread's citizen, the
// conversation's contact (contactID is the event's): its triage is kept
// with the message but does not become the conversation's. Deciding it
// from what applying the event has already read costs ingest nothing.
func bystanderReply(e *inbox.Event, conv convRef, contactID int64) bool {
	return e.Direction == inbox.DirectionInbound && e.Channel.Public() && e.MessageExternalID != e.ThreadKey &&
		conv.ContactID != 0 && conv.ContactID != contactID
}

// dropEmptyConversation deletes the conversation this transaction
// created for an event that turned out to be the echo of a reply stored in
// another conversation (a private reply to a comment opens a Messenger
// thread): the thread has no message of its own yet, and when the citizen
// writes in it, their message opens the conversation with its own first
// message time and status history. Nothing else refers to it yet: an
// outbound event's conversation is inserted without a status or a triage.
func dropEmptyConversation(tx *gorm.DB, convID int64) error {
	return tx.Delete(&conversationRow{}, convID).Error
}

// preview returns the start of a message text for conversation lists.
func preview(text string) string {
	n := 0
	for i := range text {
		if n == previewLength {
			return text[:i]
		}
		n++
	}
	return text
}
