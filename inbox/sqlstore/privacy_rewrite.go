package sqlstore

import (
	"slices"
	"strings"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// rewriter removes the personal data of conversations and contacts, row by
// row, inside one transaction. It keeps every row, count and time, so the
// statistics stay as they were.
type rewriter struct {
	action inbox.PersonalDataAction
	scrub  func(string) string
	now    dbTime
}

// text returns what a text becomes.
func (rw rewriter) text(s string) string {
	switch {
	case s == "":
		return ""
	case rw.action == inbox.DeleteData || rw.scrub == nil:
		return inbox.DeletedText
	}
	return rw.scrub(s)
}

// conversation removes the personal data of one conversation: every
// message text and media, citizens' names and ids, notes, replies queued
// by staff, and its contact once no other conversation holds theirs.
//
// The conversation's row is locked after its messages (the order ingest
// takes them in) and read again under the lock, and messages stored
// meanwhile are removed too: a message applied while the removal ran
// updates the conversation before it inserts the message, so once the
// lock is held every such message is visible, and the preview and the
// routed question written are scrubbed copies of the latest ones.
func (rw rewriter) conversation(tx *gorm.DB, id int64) error {
	var c conversationRow
	if err := tx.Where("id = ?", id).Take(&c).Error; err != nil {
		return err
	}
	var msgs []messageRow
	if err := tx.Where("conversation_id = ?", id).Find(&msgs).Error; err != nil {
		return err
	}
	if err := rw.messages(tx, msgs, c.AccountExternalID); err != nil {
		return err
	}
	if err := forUpdate(tx).Where("id = ?", id).Take(&c).Error; err != nil {
		return err
	}
	var ids []int64
	if err := tx.Model(&messageRow{}).Where("conversation_id = ?", id).Pluck("id", &ids).Error; err != nil {
		return err
	}
	seen := make(map[int64]bool, len(msgs))
	for _, m := range msgs {
		seen[m.ID] = true
	}
	ids = slices.DeleteFunc(ids, func(id int64) bool { return seen[id] })
	if len(ids) > 0 {
		var later []messageRow
		if err := tx.Where("id IN ?", ids).Find(&later).Error; err != nil {
			return err
		}
		if err := rw.messages(tx, later, c.AccountExternalID); err != nil {
			return err
		}
	}
	if err := rw.notes(tx, id); err != nil {
		return err
	}
	if err := rw.outbound(tx, id); err != nil {
		return err
	}
	thread := c.ThreadKey
	if !inbox.Channel(c.Channel).Public() {
		// A private thread is keyed by the citizen's platform id.
		thread = pseudonym(c.Platform, c.ThreadKey)
	}
	err := tx.Model(&conversationRow{}).Where("id = ?", id).Updates(map[string]any{
		"preview": rw.text(c.Preview), "route_question": rw.text(c.RouteQuestion), "thread_key": thread,
		"personal_data": rw.action.Done(), "personal_data_removed_at": rw.now,
	}).Error
	if err != nil {
		return err
	}
	var holding int64
	err = tx.Model(&conversationRow{}).Where("contact_id = ? AND personal_data = ''", c.ContactID).Count(&holding).Error
	if err != nil || holding > 0 {
		return err
	}
	return rw.contact(tx, c.ContactID)
}

// messages rewrites msgs and their recorded changes. pageID is the city's
// own account, whose id is not personal data.
//
// Each message is read again under its advisory lock, the lock every
// event on it takes (see lockMessage): an edit or a reaction being applied
// meanwhile rebuilds the text from the changes it read, and writing after
// this rewrite would bring the removed text back. Locks are taken in one
// order, so two removals never wait on each other in a circle.
func (rw rewriter) messages(tx *gorm.DB, msgs []messageRow, pageID string) error {
	slices.SortFunc(msgs, func(a, b messageRow) int {
		return strings.Compare(messageLockKey(inbox.Platform(a.Platform), a.ExternalID),
			messageLockKey(inbox.Platform(b.Platform), b.ExternalID))
	})
	for i := range msgs {
		m := &msgs[i]
		if err := lockMessage(tx, inbox.Platform(m.Platform), m.ExternalID); err != nil {
			return err
		}
		if err := tx.Where("id = ?", m.ID).Take(m).Error; err != nil {
			return err
		}
		set := map[string]any{"text": rw.text(m.Text), "attachments": "", "payload": ""}
		if m.OriginalText != nil {
			set["original_text"] = rw.text(*m.OriginalText)
		}
		if m.Direction == string(inbox.DirectionInbound) {
			set["author_external_id"], set["author_name"] = pseudonym(m.Platform, m.AuthorExternalID), ""
		}
		if err := tx.Model(&messageRow{}).Where("id = ?", m.ID).Updates(set).Error; err != nil {
			return err
		}
		if err := rw.changes(tx, tx.Where("platform = ? AND message_external_id = ?", m.Platform, m.ExternalID), pageID); err != nil {
			return err
		}
	}
	return nil
}

// changes rewrites the edit texts and the citizens' ids of the message
// changes q selects.
func (rw rewriter) changes(tx, q *gorm.DB, pageID string) error {
	var rows []changeRow
	if err := q.Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		actor := r.ActorExternalID
		if actor != pageID {
			actor = pseudonym(r.Platform, actor)
		}
		err := tx.Model(&changeRow{}).Where("id = ?", r.ID).
			Updates(map[string]any{"value": rw.changeValue(r), "actor_external_id": actor}).Error
		if err != nil {
			return err
		}
	}
	return nil
}

// changeValue is what a change's value becomes: edits are texts, the
// others (reactions) are not personal.
func (rw rewriter) changeValue(r changeRow) string {
	if inbox.EventKind(r.Kind) == inbox.EventMessageEdited {
		return rw.text(r.Value)
	}
	return r.Value
}

// notes rewrites the staff notes of a conversation, which may quote the
// citizen.
func (rw rewriter) notes(tx *gorm.DB, conversationID int64) error {
	var rows []noteRow
	if err := tx.Where("conversation_id = ?", conversationID).Find(&rows).Error; err != nil {
		return err
	}
	for _, n := range rows {
		if err := tx.Model(&noteRow{}).Where("id = ?", n.ID).Update("text", rw.text(n.Text)).Error; err != nil {
			return err
		}
	}
	return nil
}

// outbound rewrites the texts of the replies staff queued in a
// conversation.
func (rw rewriter) outbound(tx *gorm.DB, conversationID int64) error {
	var rows []struct {
		ID   int64
		Text string
	}
	if err := tx.Table("outbound_actions").Select("id, text").Where("conversation_id = ?", conversationID).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		if err := tx.Table("outbound_actions").Where("id = ?", r.ID).Update("text", rw.text(r.Text)).Error; err != nil {
			return err
		}
	}
	return nil
}

// contact replaces a contact's platform id with its pseudonym and removes
// its name and username.
func (rw rewriter) contact(tx *gorm.DB, id int64) error {
	var c contactRow
	if err := tx.Where("id = ?", id).Take(&c).Error; err != nil {
		return err
	}
	return tx.Model(&contactRow{}).Where("id = ?", id).Updates(map[string]any{
		"external_id": pseudonym(c.Platform, c.ExternalID), "name": "", "username": "",
		"personal_data": rw.action.Done(), "updated_at": rw.now,
	}).Error
}

// author removes a contact's personal data wherever they wrote or
// reacted, and from the contact itself.
func (rw rewriter) author(tx *gorm.DB, c *inbox.Contact) error {
	var msgs []messageRow
	if err := tx.Where("platform = ? AND author_external_id = ?", string(c.Platform), c.ExternalID).Find(&msgs).Error; err != nil {
		return err
	}
	if err := rw.messages(tx, msgs, ""); err != nil {
		return err
	}
	var convs []int64
	seen := map[int64]bool{}
	for i := range msgs {
		if id := msgs[i].ConversationID; !seen[id] {
			seen[id] = true
			convs = append(convs, id)
		}
	}
	if err := bumpAnswerVersionIfLearnt(tx, convs); err != nil {
		return err
	}
	q := tx.Where("platform = ? AND actor_external_id = ?", string(c.Platform), c.ExternalID)
	if err := rw.changes(tx, q, ""); err != nil {
		return err
	}
	return rw.contact(tx, c.ID)
}
