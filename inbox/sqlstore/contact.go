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
VALUES (?, ?, ?, ?, ?, ?)` + upsertContactConflictSQL

// upsertContactConflictSQL is how both contact upserts treat an existing
// contact.
const upsertContactConflictSQL = `
ON CONFLICT (platform, external_id) DO UPDATE SET
	name = CASE WHEN excluded.name = '' THEN contacts.name ELSE excluded.name END,
	username = CASE WHEN excluded.username = '' THEN contacts.username ELSE excluded.username END,
	updated_at = excluded.updated_at
WHERE (excluded.name <> '' AND excluded.name <> contacts.name)
	OR (excluded.username <> '' AND excluded.username <> contacts.username)
RETURNING id`

// upsertContactPostgresSQL is upsertContactSQL that, in the same round
// trip, also takes the advisory lock of the event's message (see
// lockMessage; the insert's rows come from the lock, so it is held before
// the contact row is), returns the id of an existing contact it leaves
// unchanged, the common case, the event's conversation (see
// findConversation) with its status, and the id of the event's account.
// For a Facebook reply whose thread is the comment it answers, it first
// finds the thread of that comment, as threadOfParent does on SQLite, and
// looks the conversation up by that, sparing each reply a round trip.
//
// The lookups see the rows committed when the statement began, so a
// contact that a concurrent transaction inserted after that returns no id;
// upsertContact then looks it up again. A conversation inserted after that
// is not seen either, which ensureConversation's insert finds out. The
// message's insert comes in a later statement, so it sees everything
// committed before the lock was granted.
//
// The account is read without a lock, which would write its row for every
// message: a removal meanwhile makes the conversation's insert fail on its
// foreign key, and the event is applied again (see RemoveAccount); an
// account found missing is read again, after waiting for one being added,
// before a conversation is started for it (see newConversationAccount).
//
// The conversation's row is locked here, after the message's lock, and
// read as it is once the lock is granted: its status is the latest (two
// messages reopening a resolved conversation at once record one reopening),
// and the later statements that count the message into the conversation
// begin after every transaction that held the row committed, so their
// sub-queries (first response, waiting since) see those transactions'
// messages.
const upsertContactPostgresSQL = `
WITH locked AS (SELECT pg_advisory_xact_lock(hashtextextended(?, 0))),
upserted AS (
INSERT INTO contacts (platform, external_id, name, username, created_at, updated_at)
SELECT ?, ?, ?, ?, ?, ? FROM locked` + upsertContactConflictSQL + `),
contact AS (
	SELECT id FROM upserted
	UNION ALL
	SELECT id FROM contacts WHERE platform = ? AND external_id = ? AND NOT EXISTS (SELECT 1 FROM upserted)
	LIMIT 1
),
thread AS (
	SELECT COALESCE((SELECT pc.thread_key FROM messages pm JOIN conversations pc ON pc.id = pm.conversation_id
		WHERE ? AND pm.platform = ? AND pm.external_id = ? AND pc.channel = ? AND pc.account_external_id = ?
			AND pc.thread_key <> ''
		LIMIT 1), ?) AS key
),
conv AS (
	SELECT c.id, c.unknown_account, c.administration_id, c.status, c.resolved_at, c.contact_id
	FROM conversations c, locked
	WHERE c.platform = ? AND c.channel = ? AND c.account_external_id = ? AND c.thread_key = (SELECT key FROM thread)
	FOR UPDATE OF c
)
SELECT contact.id AS contact_id, conv.id, conv.unknown_account, conv.administration_id, conv.status, conv.resolved_at,
	conv.contact_id AS conv_contact_id, a.id AS account_id, (SELECT key FROM thread) AS thread_key
FROM (SELECT 1) AS one
LEFT JOIN contact ON true
LEFT JOIN conv ON true
LEFT JOIN accounts a ON a.platform = ? AND a.external_id = ?
LIMIT 1`

// contactAndConversation is the row of upsertContactPostgresSQL.
type contactAndConversation struct {
	ContactID        *int64  `gorm:"column:contact_id"`
	ID               *int64  `gorm:"column:id"`
	UnknownAccount   *bool   `gorm:"column:unknown_account"`
	AdministrationID *string `gorm:"column:administration_id"`
	Status           *string `gorm:"column:status"`
	ResolvedAt       dbTime  `gorm:"column:resolved_at"`
	AccountID        *int64  `gorm:"column:account_id"`
	ConvContactID    *int64  `gorm:"column:conv_contact_id"`
	ThreadKey        string  `gorm:"column:thread_key"`
}

// ingestLookup is what applying a new message learns before it writes
// the conversation and the message.
type ingestLookup struct {
	contactID int64
	// conv is the event's conversation (a zero ID for none) when looked
	// reports that it was looked up, with its status when statusKnown.
	conv        convRef
	looked      bool
	status      ingestStatus
	statusKnown bool
	// accountID is the event's account (0 when it is not configured) when
	// accountKnown.
	accountID    int64
	accountKnown bool
	// locked reports that the message's advisory lock is held.
	locked bool
}

// upsertContact makes sure the event's contact exists and returns its id.
// An unchanged contact is not written, which spares PostgreSQL a dead row
// per message. On PostgreSQL the same statement also takes the message's
// lock and looks up the conversation and the account (see
// upsertContactPostgresSQL); on SQLite the caller looks them up.
func upsertContact(tx *gorm.DB, e *inbox.Event, now dbTime) (ingestLookup, error) {
	var l ingestLookup
	if tx.Dialector.Name() == DialectPostgres {
		var rows []contactAndConversation
		err := tx.Raw(upsertContactPostgresSQL, messageLockKey(e.Platform, e.MessageExternalID),
			e.Platform, e.Contact.ExternalID, e.Contact.Name, e.Contact.Username, now, now,
			e.Platform, e.Contact.ExternalID,
			threadFromParent(e), string(e.Platform), e.ParentExternalID, string(e.Channel), e.AccountExternalID, e.ThreadKey,
			string(e.Platform), string(e.Channel), e.AccountExternalID,
			string(e.Platform), e.AccountExternalID).Find(&rows).Error
		if err != nil {
			return l, err
		}
		l.locked = true
		if len(rows) == 1 {
			r := rows[0]
			e.ThreadKey = r.ThreadKey
			if r.ID != nil {
				l.conv = convRef{ID: *r.ID, UnknownAccount: r.UnknownAccount != nil && *r.UnknownAccount}
				if r.AdministrationID != nil {
					l.conv.AdministrationID = *r.AdministrationID
				}
				if r.ConvContactID != nil {
					l.conv.ContactID = *r.ConvContactID
				}
				if r.Status != nil {
					l.status = ingestStatus{Status: *r.Status, ResolvedAt: r.ResolvedAt}
					l.statusKnown = true
				}
			}
			l.looked = true
			if r.AccountID != nil {
				l.accountID = *r.AccountID
			}
			l.accountKnown = true
			if r.ContactID != nil {
				l.contactID = *r.ContactID
				return l, nil
			}
		}
	} else {
		err := tx.Raw(upsertContactSQL, e.Platform, e.Contact.ExternalID, e.Contact.Name, e.Contact.Username, now, now).
			Find(&l.contactID).Error
		if err != nil || l.contactID != 0 {
			return l, err
		}
	}
	err := tx.Model(&contactRow{}).Select("id").
		Where("platform = ? AND external_id = ?", e.Platform, e.Contact.ExternalID).
		Take(&l.contactID).Error
	return l, err
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
