package sqlstore

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
)

var _ inbox.PersonalDataStore = (*Store)(nil)

// retentionStatuses are the statuses of conversations no one works on.
var retentionStatuses = []string{string(inbox.StatusResolved), string(inbox.StatusSpam)}

// FindRetentionCandidates returns closed, archived, unchanged
// conversations whose last message is before cutoff and that still hold
// personal data.
func (s *Store) FindRetentionCandidates(ctx context.Context, cutoff time.Time, afterID int64, limit int) ([]*inbox.Conversation, error) {
	var rows []conversationRow
	q := archivedUnchanged(s.conn(ctx).Model(&conversationRow{})).
		Where("conversations.personal_data = '' AND conversations.status IN ? AND conversations.last_message_at < ? AND conversations.id > ?",
			retentionStatuses, toDBTime(cutoff), afterID)
	if err := q.Select("conversations.*").Order("conversations.id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err, "Conversation")
	}
	convs := make([]*inbox.Conversation, len(rows))
	for i := range rows {
		convs[i] = rows[i].toDomain()
	}
	return convs, nil
}

// FindNotArchived returns those of ids whose current state is not archived.
func (s *Store) FindNotArchived(ctx context.Context, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var archived []int64
	err := archivedUnchanged(s.conn(ctx).Model(&conversationRow{})).
		Where("conversations.id IN ?", ids).Pluck("conversations.id", &archived).Error
	if err != nil {
		return nil, translate(err, "Conversation")
	}
	done := map[int64]bool{}
	for _, id := range archived {
		done[id] = true
	}
	var out []int64
	for _, id := range ids {
		if !done[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

// CountRawDeliveriesBefore counts the raw deliveries received before t.
func (s *Store) CountRawDeliveriesBefore(ctx context.Context, t time.Time) (int64, error) {
	var n int64
	err := s.conn(ctx).Table("webhook_deliveries").Where("received_at < ?", toDBTime(t)).Count(&n).Error
	return n, translate(err, "Raw delivery")
}

// DeleteRawDeliveriesBefore deletes the raw deliveries received before t.
func (s *Store) DeleteRawDeliveriesBefore(ctx context.Context, t time.Time) (int64, error) {
	res := s.conn(ctx).Exec("DELETE FROM webhook_deliveries WHERE received_at < ?", toDBTime(t))
	return res.RowsAffected, translate(res.Error, "Raw delivery")
}

// rawScanBatch is how many raw deliveries DeleteRawDeliveriesMatching
// reads at a time.
const rawScanBatch = 500

// DeleteRawDeliveriesMatching deletes the raw deliveries whose body match
// reports true. It reads the table in batches by id, each deleted in its
// own statement, so it holds no lock for long and receiving goes on.
func (s *Store) DeleteRawDeliveriesMatching(ctx context.Context, match func(body []byte) bool) (int64, error) {
	var deleted int64
	for after := int64(0); ; {
		var rows []rawDeliveryRow
		err := s.conn(ctx).Select("id", "body").Where("id > ?", after).Order("id").Limit(rawScanBatch).Find(&rows).Error
		if err != nil {
			return deleted, translate(err, "Raw delivery")
		}
		if len(rows) == 0 {
			return deleted, nil
		}
		var ids []int64
		for _, r := range rows {
			if match(r.Body) {
				ids = append(ids, r.ID)
			}
		}
		after = rows[len(rows)-1].ID
		if len(ids) == 0 {
			continue
		}
		res := s.conn(ctx).Where("id IN ?", ids).Delete(&rawDeliveryRow{})
		if res.Error != nil {
			return deleted, translate(res.Error, "Raw delivery")
		}
		deleted += res.RowsAffected
	}
}

// FindContact returns a contact by id.
func (s *Store) FindContact(ctx context.Context, id int64) (*inbox.Contact, error) {
	var row contactRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err, "Contact")
	}
	return row.toDomain(), nil
}

// FindContactsByExternalID returns the contacts with a platform id. A
// person who only wrote in others' comment threads has no contact row;
// they are returned with ID 0, named as in their latest message.
func (s *Store) FindContactsByExternalID(ctx context.Context, externalID string) ([]*inbox.Contact, error) {
	var rows []contactRow
	if err := s.conn(ctx).Where("external_id = ?", externalID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "Contact")
	}
	out := make([]*inbox.Contact, 0, len(rows))
	have := map[string]bool{}
	for i := range rows {
		out = append(out, rows[i].toDomain())
		have[rows[i].Platform] = true
	}
	var authors []messageRow
	err := s.conn(ctx).Where("author_external_id = ? AND direction = ?", externalID, string(inbox.DirectionInbound)).
		Order("sent_at DESC, id DESC").Find(&authors).Error
	if err != nil {
		return nil, translate(err, "Message")
	}
	for _, m := range authors {
		if !have[m.Platform] {
			have[m.Platform] = true
			out = append(out, &inbox.Contact{Platform: inbox.Platform(m.Platform), ExternalID: externalID, Name: m.AuthorName})
		}
	}
	return out, nil
}

// FindSubjectConversations returns the conversations of a contact and
// those where the contact wrote.
func (s *Store) FindSubjectConversations(ctx context.Context, c *inbox.Contact) ([]int64, error) {
	var ids []int64
	err := s.conn(ctx).Model(&conversationRow{}).
		Where("contact_id = ? OR id IN (SELECT conversation_id FROM messages WHERE platform = ? AND author_external_id = ?)",
			c.ID, string(c.Platform), c.ExternalID).
		Order("id").Pluck("id", &ids).Error
	return ids, translate(err, "Conversation")
}

// RemovePersonalData carries out a removal in one transaction. Each
// conversation is checked again under its lock: one that changed after it
// was selected is skipped (r.SkipChanged) or fails the removal.
func (s *Store) RemovePersonalData(ctx context.Context, r *inbox.Removal) error {
	if !r.Action.Valid() {
		return inbox.Errorf(inbox.EINVALID, "Unknown personal-data action %q.", r.Action)
	}
	rw := rewriter{action: r.Action, scrub: r.Scrub, now: s.now(), before: r.Before}
	if r.Contact != nil {
		rw.subject = &platformID{string(r.Contact.Platform), r.Contact.ExternalID}
	}
	var skipped []int64
	err := s.inTxRetry(ctx, func(tx *gorm.DB) error {
		skipped = nil
		// Before a deletion cascades to the uses: questions learnt from
		// these conversations must leave the answer-bank indexes.
		if err := bumpAnswerVersionIfLearnt(tx, r.ConversationIDs); err != nil {
			return err
		}
		for _, id := range r.ConversationIDs {
			done, err := rw.conversation(tx, id)
			switch {
			case err != nil:
				return err
			case !done && !r.SkipChanged:
				return changedConversation(id)
			case !done:
				skipped = append(skipped, id)
				continue
			}
			if err := s.auditRemoval(tx, r.Audit, id); err != nil {
				return err
			}
		}
		if r.Contact == nil {
			return nil
		}
		elsewhere, err := rw.author(tx, r.Contact)
		if err != nil {
			return err
		}
		// A thread where they only wrote replies now shows them removed:
		// its history says why, as their own threads' do.
		for _, id := range elsewhere {
			if slices.Contains(r.ConversationIDs, id) {
				continue
			}
			if err := s.auditRemoval(tx, r.Audit, id); err != nil {
				return err
			}
		}
		return s.auditRemoval(tx, r.Audit, 0)
	})
	if err != nil {
		return translate(err, "Personal data")
	}
	r.Skipped = skipped
	return nil
}

// auditRemoval records a removal, on a conversation when id is not 0.
func (s *Store) auditRemoval(tx *gorm.DB, e inbox.AuditEntry, id int64) error {
	return tx.Create(&auditRow{
		ActorID: nullID(e.ActorID), Action: e.Action, ConversationID: nullID(id),
		Detail: e.Detail, CreatedAt: s.now(),
	}).Error
}

// pseudonymPrefix starts every pseudonym, so none is made of another.
const pseudonymPrefix = inbox.PseudonymPrefix

// pseudonym is inbox.Pseudonym of a platform id as the store holds it.
func pseudonym(platform, externalID string) string {
	return inbox.Pseudonym(inbox.Platform(platform), externalID)
}

// holdsPersonalDataAgain marks conversation id as holding personal data,
// so that retention finds it again once it is closed and archived anew.
// Every write that may bring personal data into a conversation whose data
// was removed (an edit, a citizen's reaction, a note, a routing question)
// calls it in the write's transaction; a new message clears the mark in
// recordMessage's update. The update is unconditional so that, on
// PostgreSQL, it waits for a removal holding the conversation's row and
// then clears the mark the removal set.
func holdsPersonalDataAgain(tx *gorm.DB, id int64) error {
	return tx.Model(&conversationRow{}).Where("id = ?", id).Update("personal_data", "").Error
}
