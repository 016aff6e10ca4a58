package sqlstore

import (
	"slices"
	"strings"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// platformID is a person's id on a platform.
type platformID struct{ platform, id string }

// inboundAuthors returns the citizens who wrote msgs, their ids not yet
// pseudonyms.
func inboundAuthors(msgs []messageRow) []platformID {
	var out []platformID
	for _, m := range msgs {
		a := platformID{m.Platform, m.AuthorExternalID}
		if m.Direction != string(inbox.DirectionInbound) || a.id == "" || strings.HasPrefix(a.id, pseudonymPrefix) {
			continue
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// releaseContacts removes the data of a conversation's contact and of the
// contacts of its authors once no conversation still holding personal
// data is theirs or has a message by them. A commenter in someone else's
// thread has a contact of their own, which no conversation names.
func (rw rewriter) releaseContacts(tx *gorm.DB, contactID int64, authors []platformID) error {
	ids := []int64{contactID}
	for _, a := range authors {
		var found []int64
		err := tx.Model(&contactRow{}).Where("platform = ? AND external_id = ?", a.platform, a.id).Pluck("id", &found).Error
		if err != nil {
			return err
		}
		ids = append(ids, found...)
	}
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		release, err := contactReleased(tx, id)
		if err != nil {
			return err
		}
		if release {
			if err := rw.contact(tx, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// contactReleased reports whether a contact's data may go: it is not
// removed yet, and no conversation still holding personal data is theirs
// or has a message by them.
func contactReleased(tx *gorm.DB, id int64) (bool, error) {
	var c struct {
		Platform, ExternalID, PersonalData string
	}
	if err := tx.Table("contacts").Select("platform, external_id, personal_data").Where("id = ?", id).Take(&c).Error; err != nil {
		return false, err
	}
	if c.PersonalData != "" {
		return false, nil
	}
	var n int64
	err := tx.Model(&conversationRow{}).Where("contact_id = ? AND personal_data = ''", id).Count(&n).Error
	if err != nil || n > 0 {
		return false, err
	}
	err = tx.Model(&messageRow{}).Joins("JOIN conversations c ON c.id = messages.conversation_id").
		Where("messages.platform = ? AND messages.author_external_id = ? AND c.personal_data = ''", c.Platform, c.ExternalID).
		Count(&n).Error
	return n == 0, err
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
// reacted, and from the contact itself, when it has one (ID not 0); in a
// conversation that is not theirs also their names, id and texts from
// staff's notes and routing question. Every conversation they wrote in
// must still be removable (see lockRemovable); one that is not fails the
// removal. It returns the conversations whose messages by them it changed.
func (rw rewriter) author(tx *gorm.DB, c *inbox.Contact) ([]int64, error) {
	var msgs []messageRow
	err := tx.Where("platform = ? AND author_external_id = ?", string(c.Platform), c.ExternalID).
		Order("conversation_id").Find(&msgs).Error
	if err != nil {
		return nil, err
	}
	quoted := quotesOf(c, msgs)
	var convs []int64
	for len(msgs) > 0 {
		id := msgs[0].ConversationID
		n := 1
		for n < len(msgs) && msgs[n].ConversationID == id {
			n++
		}
		conv, ok, err := rw.lockRemovable(tx, id, msgs[:n])
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, changedConversation(id)
		}
		if err := rw.messages(tx, msgs[:n], conv.AccountExternalID); err != nil {
			return nil, err
		}
		if err := rw.unquoteConversation(tx, id, quoted); err != nil {
			return nil, err
		}
		convs, msgs = append(convs, id), msgs[n:]
	}
	if err := bumpAnswerVersionIfLearnt(tx, convs); err != nil {
		return nil, err
	}
	q := tx.Where("platform = ? AND actor_external_id = ?", string(c.Platform), c.ExternalID)
	if err := rw.changes(tx, q, ""); err != nil || c.ID == 0 {
		// Someone who only wrote in others' threads has no contact row.
		return convs, err
	}
	return convs, rw.contact(tx, c.ID)
}
