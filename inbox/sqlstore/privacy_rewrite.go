package sqlstore

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

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
	// before, when not zero, is the retention cut-off a conversation's
	// last message must still be before.
	before time.Time
	// subject, when set, is the person a data-subject request removes:
	// other citizens' messages in their conversations stay.
	subject *platformID
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

// changedConversation is the error of a removal that found conversation
// id no longer as it was selected.
func changedConversation(id int64) error {
	return inbox.Errorf(inbox.ECONFLICT, "Ärende %d ändrades medan personuppgifterna togs bort (ett nytt meddelande eller en åtgärd) "+
		"och är inte längre avslutat och arkiverat i sitt nuvarande skick; inget togs bort. Avsluta och arkivera det och försök igen. "+
		"Conversation %d changed while its personal data was being removed (a new message or action) and is no longer closed "+
		"and archived as it is now; nothing was removed. Close and archive it, then try again.", id, id)
}

// conversation removes the personal data of one conversation: every
// message text and media, citizens' names and ids, notes, the routing
// question and moderation reasons (in the audit trail too), replies
// queued by staff, and the
// contacts whose data no other conversation holds. It reports false, and
// changes nothing, when the conversation is no longer removable (see
// lockRemovable).
func (rw rewriter) conversation(tx *gorm.DB, id int64) (bool, error) {
	var msgs []messageRow
	if err := tx.Where("conversation_id = ?", id).Find(&msgs).Error; err != nil {
		return false, err
	}
	c, ok, err := rw.lockRemovable(tx, id, msgs)
	if err != nil || !ok {
		return false, err
	}
	mine, others := rw.subjectMessages(msgs)
	authors := inboundAuthors(mine)
	if err := rw.messages(tx, mine, c.AccountExternalID); err != nil {
		return false, err
	}
	if err := rw.notes(tx, id); err != nil {
		return false, err
	}
	if err := rw.outbound(tx, id); err != nil {
		return false, err
	}
	if err := rw.moderationReasons(tx, id); err != nil {
		return false, err
	}
	if err := rw.auditDetails(tx, id); err != nil {
		return false, err
	}
	set := map[string]any{"route_question": rw.text(c.RouteQuestion)}
	if !others {
		// The messages' rewrite may have replaced the preview already.
		var previews []string
		if err := tx.Model(&conversationRow{}).Where("id = ?", id).Pluck("preview", &previews).Error; err != nil {
			return false, err
		}
		thread := c.ThreadKey
		if !inbox.Channel(c.Channel).Public() {
			// A private thread is keyed by the citizen's platform id.
			thread = pseudonym(c.Platform, c.ThreadKey)
		}
		// With others' messages left, the conversation still holds
		// personal data, which retention must find.
		set["preview"], set["thread_key"] = rw.text(previews[0]), thread
		set["personal_data"], set["personal_data_removed_at"] = rw.action.Done(), rw.now
	}
	if err := tx.Model(&conversationRow{}).Where("id = ?", id).Updates(set).Error; err != nil {
		return false, err
	}
	return true, rw.releaseContacts(tx, c.ContactID, authors)
}

// subjectMessages returns those of a conversation's msgs a removal
// rewrites, and whether it leaves another citizen's. Retention rewrites
// them all; a data-subject request only the person's own, the city's
// messages, except its replies to another citizen, and those already
// pseudonymised: the others in the person's comment thread did not ask,
// and their comments stay until retention or their own request.
func (rw rewriter) subjectMessages(msgs []messageRow) ([]messageRow, bool) {
	if rw.subject == nil {
		return msgs, false
	}
	others := map[string]bool{}
	for _, m := range msgs {
		a := platformID{m.Platform, m.AuthorExternalID}
		if m.Direction == string(inbox.DirectionInbound) && a != *rw.subject && !strings.HasPrefix(a.id, pseudonymPrefix) {
			others[m.ExternalID] = true
		}
	}
	if len(others) == 0 {
		return msgs, false
	}
	var mine []messageRow
	for _, m := range msgs {
		if !others[m.ExternalID] && !others[m.ParentExternalID] {
			mine = append(mine, m)
		}
	}
	return mine, true
}

// lockRemovable locks msgs, messages of conversation id read before, and
// then the conversation's row, the order ingest takes them in, and reports
// whether under the locks the conversation is still removable: closed,
// archived in its current state and, with rw.before set, due. A message
// being stored meanwhile either committed first, and then the
// conversation is changed, or waits for the row and arrives, untouched,
// after the removal, in a conversation it reopens.
func (rw rewriter) lockRemovable(tx *gorm.DB, id int64, msgs []messageRow) (conversationRow, bool, error) {
	var c conversationRow
	if err := lockMessages(tx, msgs); err != nil {
		return c, false, err
	}
	if err := forUpdate(tx).Where("id = ?", id).Take(&c).Error; err != nil {
		return c, false, err
	}
	q := archivedUnchanged(tx.Model(&conversationRow{})).
		Where("conversations.id = ? AND conversations.status IN ?", id, retentionStatuses)
	if !rw.before.IsZero() {
		q = q.Where("conversations.last_message_at < ?", toDBTime(rw.before))
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return c, false, err
	}
	return c, n == 1, nil
}

// lockMessages sorts msgs by their advisory locks and takes them, the
// lock every event on a message takes (see lockMessage): an edit or a
// reaction being applied meanwhile rebuilds the text from the changes it
// read, and writing after a rewrite would bring the removed text back.
// Locks are taken in one order, so two removals never wait on each other
// in a circle.
func lockMessages(tx *gorm.DB, msgs []messageRow) error {
	slices.SortFunc(msgs, func(a, b messageRow) int {
		return strings.Compare(messageLockKey(inbox.Platform(a.Platform), a.ExternalID),
			messageLockKey(inbox.Platform(b.Platform), b.ExternalID))
	})
	for i := range msgs {
		if err := lockMessage(tx, inbox.Platform(msgs[i].Platform), msgs[i].ExternalID); err != nil {
			return err
		}
	}
	return nil
}

// messages rewrites msgs, which lockMessages locked, and their recorded
// changes. pageID is the city's own account, whose id is not personal
// data. A conversation whose preview is a message's text gets the
// rewritten text as its preview.
func (rw rewriter) messages(tx *gorm.DB, msgs []messageRow, pageID string) error {
	for i := range msgs {
		m := &msgs[i]
		// Read again under the lock: the row read before it may be stale.
		if err := tx.Where("id = ?", m.ID).Take(m).Error; err != nil {
			return err
		}
		text := rw.text(m.Text)
		set := map[string]any{"text": text, "attachments": "", "payload": ""}
		if m.OriginalText != nil {
			set["original_text"] = rw.text(*m.OriginalText)
		}
		if m.Direction == string(inbox.DirectionInbound) {
			set["author_external_id"], set["author_name"] = pseudonym(m.Platform, m.AuthorExternalID), ""
		}
		if err := tx.Model(&messageRow{}).Where("id = ?", m.ID).Updates(set).Error; err != nil {
			return err
		}
		if text != "" && text != m.Text {
			err := tx.Model(&conversationRow{}).Where("id = ? AND preview = ?", m.ConversationID, preview(m.Text)).
				Update("preview", preview(text)).Error
			if err != nil {
				return err
			}
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
// conversation and the reasons of their moderation actions, and the
// citizen's platform id a direct message is sent to.
func (rw rewriter) outbound(tx *gorm.DB, conversationID int64) error {
	var rows []struct {
		ID               int64
		Kind             string
		Platform         string
		Text             string
		Reason           string
		TargetExternalID string
	}
	err := tx.Table("outbound_actions").Select("id, kind, platform, text, reason, target_external_id").
		Where("conversation_id = ?", conversationID).Scan(&rows).Error
	if err != nil {
		return err
	}
	for _, r := range rows {
		set := map[string]any{"text": rw.text(r.Text), "reason": rw.text(r.Reason)}
		if inbox.OutboundKind(r.Kind) == inbox.OutboundDirectMessage {
			set["target_external_id"] = pseudonym(r.Platform, r.TargetExternalID)
		}
		if err := tx.Table("outbound_actions").Where("id = ?", r.ID).Updates(set).Error; err != nil {
			return err
		}
	}
	return nil
}

// moderationReasons rewrites the reasons staff gave for their moderation
// decisions in a conversation, which may quote the comment.
func (rw rewriter) moderationReasons(tx *gorm.DB, conversationID int64) error {
	var rows []struct {
		ID     int64
		Reason string
	}
	err := tx.Table("moderation_actions").Select("id, reason").Where("conversation_id = ?", conversationID).Scan(&rows).Error
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := tx.Table("moderation_actions").Where("id = ?", r.ID).Update("reason", rw.text(r.Reason)).Error; err != nil {
			return err
		}
	}
	return nil
}

// auditDetails rewrites the routing question the audit entries of a
// conversation hold in the work state before and after an action (see
// inbox.AuditDetail), and the reason of a moderation action.
func (rw rewriter) auditDetails(tx *gorm.DB, conversationID int64) error {
	var rows []auditRow
	err := tx.Select("id", "detail").
		Where("conversation_id = ? AND (detail LIKE ? OR detail LIKE ?)", conversationID, `%"route_question"%`, `%"reason"%`).
		Find(&rows).Error
	if err != nil {
		return err
	}
	for _, r := range rows {
		detail, ok := rw.auditDetailIn(r.Detail)
		if !ok {
			continue
		}
		if err := tx.Model(&auditRow{}).Where("id = ?", r.ID).Update("detail", detail).Error; err != nil {
			return err
		}
	}
	return nil
}

// auditDetailIn returns an audit detail with the routing question of its
// before and after states and its reason rewritten, and whether it held
// either.
func (rw rewriter) auditDetailIn(detail string) (string, bool) {
	var d map[string]json.RawMessage
	if json.Unmarshal([]byte(detail), &d) != nil {
		return detail, false
	}
	found := false
	for _, side := range []string{"before", "after"} {
		var state map[string]json.RawMessage
		var q string
		if json.Unmarshal(d[side], &state) != nil || json.Unmarshal(state["route_question"], &q) != nil || q == "" {
			continue
		}
		state["route_question"], _ = json.Marshal(rw.text(q))
		d[side], _ = json.Marshal(state)
		found = true
	}
	var reason string
	if json.Unmarshal(d["reason"], &reason) == nil && reason != "" {
		d["reason"], _ = json.Marshal(rw.text(reason))
		found = true
	}
	if !found {
		return detail, false
	}
	out, err := json.Marshal(d)
	return string(out), err == nil
}
