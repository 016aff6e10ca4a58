package sqlstore

import (
	"gorm.io/gorm"

	"inkorg/inbox"
)

type contactRow struct {
	ID         int64  `gorm:"column:id;primaryKey"`
	Platform   string `gorm:"column:platform"`
	ExternalID string `gorm:"column:external_id"`
	Name       string `gorm:"column:name"`
	Username   string `gorm:"column:username"`
	CreatedAt  dbTime `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt  dbTime `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (contactRow) TableName() string { return "contacts" }

func (r *contactRow) toDomain() *inbox.Contact {
	return &inbox.Contact{
		ID:         r.ID,
		Platform:   inbox.Platform(r.Platform),
		ExternalID: r.ExternalID,
		Name:       r.Name,
		Username:   r.Username,
		CreatedAt:  r.CreatedAt.Time(),
		UpdatedAt:  r.UpdatedAt.Time(),
	}
}

// upsertContactSQL inserts a contact, or updates the name and username of
// an existing one when the event brings a different, non-empty value. It
// returns the id only when it wrote a row.
const upsertContactSQL = `
INSERT INTO contacts (platform, external_id, name, username, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (platform, external_id) DO UPDATE SET
	name = CASE WHEN excluded.name = '' THEN contacts.name ELSE excluded.name END,
	username = CASE WHEN excluded.username = '' THEN contacts.username ELSE excluded.username END,
	updated_at = excluded.updated_at
WHERE (excluded.name <> '' AND excluded.name <> contacts.name)
	OR (excluded.username <> '' AND excluded.username <> contacts.username)
RETURNING id`

// upsertContactPostgresSQL is upsertContactSQL that also returns the id of
// an existing contact it leaves unchanged, the common case, and the event's
// conversation (see findConversation), in the same round trip. The lookups
// see the rows committed when the statement began, so a contact that a
// concurrent transaction inserted after that returns no id; upsertContact
// then looks it up again. A conversation inserted after that is not seen
// either, which ensureConversation's insert finds out.
const upsertContactPostgresSQL = `
WITH upserted AS (` + upsertContactSQL + `),
contact AS (
	SELECT id FROM upserted
	UNION ALL
	SELECT id FROM contacts WHERE platform = ? AND external_id = ? AND NOT EXISTS (SELECT 1 FROM upserted)
	LIMIT 1
)
SELECT contact.id AS contact_id, c.id, c.unknown_account, c.administration_id
FROM (SELECT 1) AS one
LEFT JOIN contact ON true
LEFT JOIN conversations c ON c.platform = ? AND c.channel = ? AND c.account_external_id = ? AND c.thread_key = ?
LIMIT 1`

// contactAndConversation is the row of upsertContactPostgresSQL.
type contactAndConversation struct {
	ContactID        *int64  `gorm:"column:contact_id"`
	ID               *int64  `gorm:"column:id"`
	UnknownAccount   *bool   `gorm:"column:unknown_account"`
	AdministrationID *string `gorm:"column:administration_id"`
}

// upsertContact makes sure the event's contact exists and returns its id.
// An unchanged contact is not written, which spares PostgreSQL a dead row
// per message. On PostgreSQL it also returns the event's conversation, as
// findConversation would, and found reports that it did.
func upsertContact(tx *gorm.DB, e *inbox.Event, now dbTime) (id int64, conv convRef, found bool, err error) {
	if tx.Dialector.Name() == DialectPostgres {
		var rows []contactAndConversation
		err = tx.Raw(upsertContactPostgresSQL, e.Platform, e.Contact.ExternalID, e.Contact.Name, e.Contact.Username, now, now,
			e.Platform, e.Contact.ExternalID,
			string(e.Platform), string(e.Channel), e.AccountExternalID, e.ThreadKey).Scan(&rows).Error
		if err != nil {
			return 0, convRef{}, false, err
		}
		if len(rows) == 1 {
			r := rows[0]
			if r.ID != nil {
				conv = convRef{ID: *r.ID, UnknownAccount: r.UnknownAccount != nil && *r.UnknownAccount}
				if r.AdministrationID != nil {
					conv.AdministrationID = *r.AdministrationID
				}
			}
			found = true
			if r.ContactID != nil {
				return *r.ContactID, conv, found, nil
			}
		}
	} else {
		err = tx.Raw(upsertContactSQL, e.Platform, e.Contact.ExternalID, e.Contact.Name, e.Contact.Username, now, now).
			Scan(&id).Error
		if err != nil || id != 0 {
			return id, convRef{}, false, err
		}
	}
	err = tx.Model(&contactRow{}).Select("id").
		Where("platform = ? AND external_id = ?", e.Platform, e.Contact.ExternalID).
		Take(&id).Error
	return id, conv, found, err
}

// findContacts returns the contacts with the given ids, by id.
func findContacts(tx *gorm.DB, ids []int64) (map[int64]*inbox.Contact, error) {
	contacts := make(map[int64]*inbox.Contact, len(ids))
	if len(ids) == 0 {
		return contacts, nil
	}
	var rows []contactRow
	if err := tx.Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		contacts[rows[i].ID] = rows[i].toDomain()
	}
	return contacts, nil
}
