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

func findWatermarks(tx *gorm.DB, convID int64) (watermarks, error) {
	var rows []watermarks
	err := tx.Table("conversations").Select("delivered_until", "read_until").
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
		if err := lockMessage(tx, e.Platform, mid); err != nil {
			return a, err
		}
		created, err := insertChange(tx, newChangeRow(e, mid, now))
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
		marked, err = markWithoutThread(tx, e)
		a.Created = a.Created || len(marked) > 0
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
// redelivered or older receipt from changing or reporting anything. One
// statement (markPrivateReplies).
func markWithoutThread(tx *gorm.DB, e *inbox.Event) ([]int64, error) {
	_, state, below := receiptMark(e.Kind)
	return markPrivateReplies(tx, e, toDBTime(e.Watermark), state, below)
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
