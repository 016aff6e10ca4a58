package sqlstore

import (
	"context"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"inkorg/inbox"
)

// deliveryRank orders delivery states, so that a late delivery receipt
// never undoes a read receipt.
var deliveryRank = map[inbox.DeliveryState]int{
	"": 0, inbox.DeliverySent: 1, inbox.DeliveryDelivered: 2, inbox.DeliveryRead: 3,
}

// laterDelivery returns the further of two delivery states.
func laterDelivery(a, b inbox.DeliveryState) inbox.DeliveryState {
	if deliveryRank[b] > deliveryRank[a] {
		return b
	}
	return a
}

// initialDelivery is the delivery state a new message starts in.
func initialDelivery(d inbox.Direction) string {
	if d == inbox.DirectionOutbound {
		return string(inbox.DeliverySent)
	}
	return ""
}

// watermarks are the times up to which a thread's receipts cover every
// outbound message.
type watermarks struct {
	DeliveredUntil dbTime `gorm:"column:delivered_until"`
	ReadUntil      dbTime `gorm:"column:read_until"`
}

// apply returns state advanced by the watermarks for a message sent at.
func (w watermarks) apply(state inbox.DeliveryState, sent dbTime) inbox.DeliveryState {
	at := sent.Time()
	if r := w.ReadUntil.Time(); !r.IsZero() && !at.After(r) {
		state = laterDelivery(state, inbox.DeliveryRead)
	}
	if d := w.DeliveredUntil.Time(); !d.IsZero() && !at.After(d) {
		state = laterDelivery(state, inbox.DeliveryDelivered)
	}
	return state
}

// findWatermarks returns the watermarks of conversation convID, locking
// its row on PostgreSQL: a receipt moving them meanwhile either has
// committed, and they are read as it left them, or waits for this
// transaction and then finds the message it records (a reply whose send
// is recorded beside a receipt would otherwise be missed by both).
func findWatermarks(tx *gorm.DB, convID int64) (watermarks, error) {
	var rows []watermarks
	err := forUpdate(tx.Table("conversations")).Select("delivered_until", "read_until").
		Where("id = ?", convID).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return watermarks{}, err
	}
	return rows[0], nil
}

// applyReceipt records a delivery or read receipt: on each message it
// names (now or when the message arrives) and, by its watermark, on every
// outbound message of its thread sent up to then.
func (s *Store) applyReceipt(ctx context.Context, e *inbox.Event) (inbox.Applied, error) {
	var a inbox.Applied
	err := s.inTxRetry(ctx, func(tx *gorm.DB) error {
		var err error
		a, err = s.receipt(tx, e)
		return err
	})
	if err != nil {
		return inbox.Applied{}, translate(err, "Event")
	}
	return a, nil
}

func (s *Store) receipt(tx *gorm.DB, e *inbox.Event) (inbox.Applied, error) {
	var a inbox.Applied
	now := s.now()
	// named are the messages the receipt newly names: one kept with
	// another conversation than the thread is a private reply.
	var named []msgRef
	// Sorted, so that two receipts naming the same messages take their
	// locks in the same order.
	mids := slices.Clone(e.MessageExternalIDs)
	slices.Sort(mids)
	for _, mid := range slices.Compact(mids) {
		created, err := insertLockedChange(tx, newChangeRow(e, mid, now))
		if err != nil {
			return a, err
		}
		ref, err := refreshMessage(tx, e.Platform, mid)
		if err != nil {
			return a, err
		}
		a.Created = a.Created || created
		if ref.ConversationID != 0 {
			a.ConversationID = ref.ConversationID
			if created {
				named = append(named, ref)
			}
		}
	}
	if e.Watermark.IsZero() {
		return a, nil
	}
	ref, err := findConversation(tx, e)
	if err != nil {
		return a, err
	}
	var marked []int64
	// own is true when the receipt changed the thread's own messages.
	var own bool
	if ref.ID == 0 {
		var kept bool
		marked, kept, err = markWithoutThread(tx, e, now)
		a.Created = a.Created || kept || len(marked) > 0
	} else {
		var mv watermarkMove
		a.ConversationID = ref.ID
		mv, err = advanceWatermark(tx, e, ref.ID, now)
		a.Created = a.Created || mv.Advanced
		marked, own = mv.PrivateReplies, mv.MarkedOwn
	}
	if err != nil {
		return a, err
	}
	for _, m := range named {
		if m.ConversationID != ref.ID {
			marked = append(marked, m.ID)
		} else {
			own = true
		}
	}
	if own {
		// The administration comes with the thread's row, read above,
		// so the live update after the receipt needs no query.
		_, a.Delivery, _ = receiptMark(e.Kind)
		a.AdministrationID = ref.AdministrationID
	}
	if len(marked) > 0 {
		a.PrivateReplies, err = findMarked(tx, marked)
	}
	return a, err
}

// receiptMark is what a receipt of kind does by its watermark: the
// conversations column that holds the watermark, the state it marks the
// outbound messages it covers with, and the states it moves them on from.
// Only earlier states are below, so a delivery receipt never undoes a read
// one, and a receipt applied again finds nothing left to mark.
func receiptMark(kind inbox.EventKind) (column string, state inbox.DeliveryState, below []string) {
	if kind == inbox.EventMessagesRead {
		return "read_until", inbox.DeliveryRead, []string{string(inbox.DeliverySent), string(inbox.DeliveryDelivered)}
	}
	return "delivered_until", inbox.DeliveryDelivered, []string{string(inbox.DeliverySent)}
}

// markWithoutThread marks the private replies the watermark of e covers
// when e's thread has no conversation: a citizen who only commented gets
// a private reply in a thread they never wrote in, and its receipts are
// all that tells staff it arrived. The thread has no outbound message of its
// own and no row to keep the watermark in, and none is made for it: the
// replies' own states, which only move forward (receiptMark), keep a
// redelivered or older receipt from changing or reporting anything. A
// private reply still in flight may be covered too (the receipt overtook
// the Send API's answer, or the sender died mid-call), so the receipt is
// kept for it until it is recorded as sent (keepForInFlight); kept reports
// whether it was kept anew.
func markWithoutThread(tx *gorm.DB, e *inbox.Event, now dbTime) (marked []int64, kept bool, err error) {
	if e.ThreadKey == "" || e.AccountExternalID == "" {
		return nil, false, nil
	}
	// Taken before either write, so that a private reply whose send is
	// being recorded meanwhile is either kept for or marked: whichever
	// comes second sees what the other wrote (takeThreadReceipts).
	if err := lockPrivateThread(tx, e.Platform, e.AccountExternalID, e.ThreadKey); err != nil {
		return nil, false, err
	}
	if kept, err = keepForInFlight(tx, e, now); err != nil {
		return nil, false, err
	}
	_, state, below := receiptMark(e.Kind)
	marked, err = markPrivateReplies(tx, e, toDBTime(e.Watermark), state, below)
	return marked, kept, err
}

// lockPrivateThread serialises, on PostgreSQL, a receipt of a private
// thread without a conversation with the recording of a private reply
// sent to it, which share no row to wait for otherwise.
func lockPrivateThread(tx *gorm.DB, platform inbox.Platform, account, threadKey string) error {
	return lockMessage(tx, platform, "private-thread:"+account+":"+threadKey)
}

// keepForInFlight keeps receipt e, of a private thread without a
// conversation, for each private reply in flight to the thread's citizen
// from the same account: a change of the reply's message under the name
// inkorg gave it before the platform names it (its idempotency key),
// dated at the watermark. It is not a receipt of that message (refreshMessage
// never reads the name again once the reply is sent): takeThreadReceipts
// weighs it against the time the reply went out, and uses it up. It
// reports whether any was kept anew; a redelivered receipt keeps nothing.
func keepForInFlight(tx *gorm.DB, e *inbox.Event, now dbTime) (bool, error) {
	var names []string
	err := tx.Table("messages AS m").Select("m.external_id").
		Joins("JOIN outbound_actions o ON o.message_id = m.id").
		Joins("JOIN messages t ON t.id = o.target_message_id").
		Where("t.platform = ? AND t.author_external_id = ? AND o.kind = ? AND o.account_external_id = ? AND o.state IN ?",
			string(e.Platform), e.ThreadKey, string(inbox.OutboundPrivateReply), e.AccountExternalID, echoStates).
		Order("m.id").Pluck("m.external_id", &names).Error
	if err != nil {
		return false, err
	}
	// The receipt's author, the citizen, is left out: the watermark is
	// all the reply needs, and the kept row holds no personal data.
	keep := *e
	keep.Author, keep.OccurredAt = inbox.Actor{}, e.Watermark
	kept := false
	for _, name := range names {
		created, err := insertChange(tx, newChangeRow(&keep, name, now))
		if err != nil {
			return false, err
		}
		kept = kept || created
	}
	return kept, nil
}

// takeThreadReceipts gives m, a message just recorded as sent at at, the
// delivery state that receipts already stored cover when m is a private
// reply, as refreshMessage gives a message of a thread its thread's
// watermarks: m is kept with its comment's conversation, while the
// receipts come in the commenter's private thread, and may come before
// m's send is recorded. Those are the watermarks of the thread's
// conversation and the receipts kept for m while the thread had none
// (keepForInFlight), which are used up here.
func takeThreadReceipts(tx *gorm.DB, m *messageRow, at dbTime) error {
	var threads []struct {
		AccountExternalID string
		AuthorExternalID  string
	}
	err := tx.Table("outbound_actions AS o").Select("o.account_external_id, t.author_external_id").
		Joins("JOIN messages t ON t.id = o.target_message_id").
		Where("o.conversation_id = ? AND o.message_id = ? AND o.kind = ?",
			m.ConversationID, m.ID, string(inbox.OutboundPrivateReply)).
		Limit(1).Scan(&threads).Error
	if err != nil || len(threads) == 0 {
		return err
	}
	account, citizen := threads[0].AccountExternalID, threads[0].AuthorExternalID
	platform := inbox.Platform(m.Platform)
	if err := lockPrivateThread(tx, platform, account, citizen); err != nil {
		return err
	}
	// Locked, so that a receipt moving the watermark meanwhile either
	// waits for this send and then marks it, or is seen here.
	var rows []watermarks
	err = forUpdate(tx.Table("conversations")).Select("delivered_until", "read_until").
		Where("platform = ? AND channel IN ? AND account_external_id = ? AND thread_key = ?",
			m.Platform, privateChannels, account, citizen).
		Limit(1).Find(&rows).Error
	if err != nil {
		return err
	}
	var marks watermarks
	if len(rows) > 0 {
		marks = rows[0]
	}
	if marks, err = useKeptReceipts(tx, m, marks); err != nil {
		return err
	}
	state := marks.apply(inbox.DeliverySent, at)
	if state == inbox.DeliverySent {
		return nil
	}
	return tx.Model(&messageRow{}).Where("id = ?", m.ID).
		Update("delivery", laterDeliverySQL(string(inbox.DeliverySent), state)).Error
}

// useKeptReceipts returns marks moved on by the receipts kept for m while
// it was in flight (keepForInFlight), and deletes them: m no longer goes by
// the name they are kept under.
func useKeptReceipts(tx *gorm.DB, m *messageRow, marks watermarks) (watermarks, error) {
	var kept []changeRow
	err := tx.Where("platform = ? AND message_external_id = ? AND kind IN ?", m.Platform, m.ExternalID,
		[]string{string(inbox.EventMessagesDelivered), string(inbox.EventMessagesRead)}).Find(&kept).Error
	if err != nil || len(kept) == 0 {
		return marks, err
	}
	ids := make([]int64, len(kept))
	for i, c := range kept {
		ids[i] = c.ID
		until := &marks.DeliveredUntil
		if inbox.EventKind(c.Kind) == inbox.EventMessagesRead {
			until = &marks.ReadUntil
		}
		if c.OccurredAt.Time().After(until.Time()) {
			*until = c.OccurredAt
		}
	}
	return marks, tx.Delete(&changeRow{}, ids).Error
}

// dropKeptReceipts deletes the receipts kept for the private reply
// messageID while it was in flight (keepForInFlight) once it has failed:
// no send of it is left for them to mark, and one queued again keeps the
// receipts that come while it is in flight anew.
func dropKeptReceipts(tx *gorm.DB, messageID int64) error {
	var m messageRow
	if err := tx.Select("platform", "external_id").Where("id = ?", messageID).Take(&m).Error; err != nil {
		return err
	}
	return tx.Where("platform = ? AND message_external_id = ? AND kind IN ?", m.Platform, m.ExternalID,
		[]string{string(inbox.EventMessagesDelivered), string(inbox.EventMessagesRead)}).Delete(&changeRow{}).Error
}

// watermarkMove is what moving a thread's watermark forward did.
type watermarkMove struct {
	// Advanced is true when the watermark moved.
	Advanced bool
	// MarkedOwn is true when it changed the delivery state of an outbound
	// message of the thread itself.
	MarkedOwn bool
	// PrivateReplies are the ids of the private replies it marked.
	PrivateReplies []int64
}

// advanceWatermark moves the thread's watermark of e's kind forward and
// marks the outbound messages it covers. Whether it marked any of the
// thread's own comes from the update's row count, at no extra cost.
func advanceWatermark(tx *gorm.DB, e *inbox.Event, convID int64, now dbTime) (watermarkMove, error) {
	column, state, below := receiptMark(e.Kind)
	mark := toDBTime(e.Watermark)
	res := tx.Table("conversations").
		Where("id = ? AND ("+column+" IS NULL OR "+column+" < ?)", convID, mark).
		Updates(map[string]any{column: mark, "updated_at": now})
	if res.Error != nil || res.RowsAffected == 0 {
		return watermarkMove{}, res.Error
	}
	mv := watermarkMove{Advanced: true}
	res = tx.Model(&messageRow{}).
		Where("conversation_id = ? AND direction = ? AND sent_at <= ? AND delivery IN ?",
			convID, string(inbox.DirectionOutbound), mark, below).
		Update("delivery", string(state))
	if res.Error != nil {
		return mv, res.Error
	}
	mv.MarkedOwn = res.RowsAffected > 0
	var err error
	mv.PrivateReplies, err = markPrivateReplies(tx, e, mark, state, below)
	return mv, err
}

// markPrivateReplies marks the private replies the watermark of e's
// private thread covers and returns their ids. A private reply is kept
// with its comment's conversation but lands in the commenter's private
// thread, so a receipt there covers it as it covers the thread's own
// messages: the sent private replies of the same account to comments the
// thread's citizen wrote. The ids come back with the update (RETURNING),
// so a receipt that marks none costs no more than the update.
func markPrivateReplies(tx *gorm.DB, e *inbox.Event, mark dbTime, state inbox.DeliveryState, below []string) ([]int64, error) {
	if e.ThreadKey == "" || e.AccountExternalID == "" {
		return nil, nil
	}
	var rows []messageRow
	err := tx.Model(&rows).Clauses(clause.Returning{Columns: []clause.Column{{Name: "id"}}}).
		Where("direction = ? AND sent_at <= ? AND delivery IN ?", string(inbox.DirectionOutbound), mark, below).
		Where(`id IN (SELECT o.message_id FROM messages t JOIN outbound_actions o ON o.target_message_id = t.id
			WHERE t.platform = ? AND t.author_external_id = ? AND o.kind = ? AND o.account_external_id = ?
			AND o.state = ? AND o.message_id IS NOT NULL)`,
			string(e.Platform), e.ThreadKey, string(inbox.OutboundPrivateReply), e.AccountExternalID,
			string(inbox.OutboundSent)).
		Update("delivery", string(state)).Error
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids, nil
}

// findMarked reads the outbound messages with the ids a receipt marked,
// with their conversations' administrations, for the live update after it.
func findMarked(tx *gorm.DB, ids []int64) ([]inbox.MarkedMessage, error) {
	var rows []struct {
		ID               int64
		ConversationID   int64
		AdministrationID string
		Delivery         string
	}
	err := tx.Table("messages AS m").
		Select("m.id, m.conversation_id, COALESCE(c.administration_id, '') AS administration_id, m.delivery").
		Joins("JOIN conversations c ON c.id = m.conversation_id").
		Where("m.id IN ? AND m.direction = ?", ids, string(inbox.DirectionOutbound)).
		Order("m.id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	marked := make([]inbox.MarkedMessage, len(rows))
	for i, r := range rows {
		marked[i] = inbox.MarkedMessage{ID: r.ID, ConversationID: r.ConversationID,
			AdministrationID: r.AdministrationID, Delivery: inbox.DeliveryState(r.Delivery)}
	}
	return marked, nil
}
