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
// an existing contact it leaves unchanged, the common case, in the same
// round trip. The lookup sees the rows committed when the statement began,
// so a contact that a concurrent transaction inserted after that returns
// nothing; upsertContact then looks it up again.
const upsertContactPostgresSQL = `
WITH upserted AS (` + upsertContactSQL + `)
SELECT id FROM upserted
UNION ALL
SELECT id FROM contacts WHERE platform = ? AND external_id = ? AND NOT EXISTS (SELECT 1 FROM upserted)
LIMIT 1`

// upsertContact makes sure the event's contact exists and returns its id.
// An unchanged contact is not written, which spares PostgreSQL a dead row
// per message.
func upsertContact(tx *gorm.DB, e *inbox.Event, now dbTime) (int64, error) {
	var id int64
	var err error
	if tx.Dialector.Name() == DialectPostgres {
		err = tx.Raw(upsertContactPostgresSQL, e.Platform, e.Contact.ExternalID, e.Contact.Name, e.Contact.Username, now, now,
			e.Platform, e.Contact.ExternalID).Scan(&id).Error
	} else {
		err = tx.Raw(upsertContactSQL, e.Platform, e.Contact.ExternalID, e.Contact.Name, e.Contact.Username, now, now).
			Scan(&id).Error
	}
	if err != nil || id != 0 {
		return id, err
	}
	err = tx.Model(&contactRow{}).Select("id").
		Where("platform = ? AND external_id = ?", e.Platform, e.Contact.ExternalID).
		Take(&id).Error
	return id, err
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
