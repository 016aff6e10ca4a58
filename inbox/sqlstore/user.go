package sqlstore

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// tokenUseInterval is how stale a token's LastUsedAt may get before a use
// writes it again: one write per token and minute is plenty for the
// record, and most requests then only read.
const tokenUseInterval = time.Minute

type userRow struct {
	ID               int64  `gorm:"column:id;primaryKey"`
	Name             string `gorm:"column:name"`
	Role             string `gorm:"column:role"`
	AdministrationID string `gorm:"column:administration_id"`
	PasswordHash     string `gorm:"column:password_hash"`
	CreatedAt        dbTime `gorm:"column:created_at;autoCreateTime:false"`
	DeactivatedAt    dbTime `gorm:"column:deactivated_at"`
	SignOnIssuer     string `gorm:"column:sign_on_issuer"`
	SignOnSubject    string `gorm:"column:sign_on_subject"`
}

func (userRow) TableName() string { return "users" }

func (r *userRow) toDomain() *inbox.User {
	return &inbox.User{
		ID:               r.ID,
		Name:             r.Name,
		Role:             inbox.Role(r.Role),
		AdministrationID: r.AdministrationID,
		PasswordHash:     r.PasswordHash,
		CreatedAt:        r.CreatedAt.Time(),
		DeactivatedAt:    r.DeactivatedAt.Ptr(),
		SignOnIssuer:     r.SignOnIssuer,
		SignOnSubject:    r.SignOnSubject,
	}
}

type tokenRow struct {
	ID         int64  `gorm:"column:id;primaryKey"`
	UserID     int64  `gorm:"column:user_id"`
	Name       string `gorm:"column:name"`
	Hash       string `gorm:"column:hash"`
	CreatedAt  dbTime `gorm:"column:created_at;autoCreateTime:false"`
	LastUsedAt dbTime `gorm:"column:last_used_at"`
	ExpiresAt  dbTime `gorm:"column:expires_at"`
	ReadOnly   bool   `gorm:"column:read_only"`
}

func (tokenRow) TableName() string { return "api_tokens" }

// CreateUser stores u with its name in normal form C and sets its ID and
// CreatedAt; a name another user has, whatever the case, is ECONFLICT.
func (s *Store) CreateUser(ctx context.Context, u *inbox.User) error {
	u.Name = inbox.NormalizeName(u.Name)
	if err := u.Validate(); err != nil {
		return err
	}
	row := userRow{
		Name:             u.Name,
		Role:             string(u.Role),
		AdministrationID: u.AdministrationID,
		PasswordHash:     u.PasswordHash,
		CreatedAt:        s.now(),
		SignOnIssuer:     u.SignOnIssuer,
		SignOnSubject:    u.SignOnSubject,
	}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		if err := lockUsers(tx); err != nil {
			return err
		}
		return insertUser(tx, &row, u.MemberAdministrations())
	})
	if err != nil {
		return translate(err, "A user with that name")
	}
	u.ID, u.CreatedAt, u.Administrations = row.ID, row.CreatedAt.Time(), u.MemberAdministrations()
	return nil
}

// insertUser stores row and its memberships in tx, which holds lockUsers,
// unless another user has the name, whatever the case (ECONFLICT). The
// names are compared here, not by a unique index, because neither
// SQLite's nor PostgreSQL's lower() folds every letter the same way, and
// a database may already hold names that differ only in case.
func insertUser(tx *gorm.DB, row *userRow, administrations []string) error {
	var names []userRow
	if err := tx.Select("id", "name").Find(&names).Error; err != nil {
		return err
	}
	for _, n := range names {
		if inbox.SameName(n.Name, row.Name) {
			return inbox.Errorf(inbox.ECONFLICT, inbox.ErrNameTaken)
		}
	}
	if err := tx.Create(row).Error; err != nil {
		return err
	}
	return saveMemberships(tx, row.ID, administrations)
}

// FindUserByName returns the user, or ENOTFOUND. A name typed in another
// Unicode form than the stored one ("Åsa" as A and a ring) finds the
// user too.
func (s *Store) FindUserByName(ctx context.Context, name string) (*inbox.User, error) {
	names := []string{name}
	if nfc := inbox.NormalizeName(name); nfc != name {
		names = append(names, nfc)
	}
	var rows []userRow
	for _, n := range names {
		if err := s.conn(ctx).Where("name = ?", n).Limit(1).Find(&rows).Error; err != nil {
			return nil, translate(err, "User")
		}
		if len(rows) > 0 {
			return s.withMemberships(ctx, rows[0].toDomain())
		}
	}
	return nil, inbox.Errorf(inbox.ENOTFOUND, "User not found.")
}

// FindUsersByNameFold returns the users whose name is name ignoring case
// and Unicode form, by name. The names are compared here, not in SQL,
// because SQLite's lower() folds only ASCII; there are few users.
func (s *Store) FindUsersByNameFold(ctx context.Context, name string) ([]*inbox.User, error) {
	var rows []userRow
	if err := s.conn(ctx).Select("id", "name").Order("name").Find(&rows).Error; err != nil {
		return nil, translate(err, "User")
	}
	var out []*inbox.User
	for _, r := range rows {
		if !inbox.SameName(r.Name, name) {
			continue
		}
		u, err := s.FindUserByID(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// CreateAPIToken stores t (with its Hash) and sets its ID and CreatedAt. A
// user that does not exist is EINVALID, a deactivated one EFORBIDDEN: a
// token made then would start working when the user is reactivated. An
// ExpiresAt not after now is EINVALID.
func (s *Store) CreateAPIToken(ctx context.Context, t *inbox.APIToken) error {
	if strings.TrimSpace(t.Hash) == "" || t.UserID == 0 {
		return inbox.Errorf(inbox.EINVALID, "An API token needs a user and a hash.")
	}
	now := s.now()
	if t.ExpiresAt != nil && !ptrTime(t.ExpiresAt).Time().After(now.Time()) {
		return inbox.Errorf(inbox.EINVALID, "An API token cannot expire in the past.")
	}
	row := tokenRow{UserID: t.UserID, Name: t.Name, Hash: t.Hash, CreatedAt: now, LastUsedAt: ptrTime(t.LastUsedAt), ExpiresAt: ptrTime(t.ExpiresAt), ReadOnly: t.ReadOnly}
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		// Locked, so that a deactivation committing meanwhile is seen or
		// waits, and its revoking of tokens finds this one.
		var users []userRow
		if err := forUpdate(tx.Where("id = ?", t.UserID)).Limit(1).Find(&users).Error; err != nil {
			return err
		}
		if len(users) == 0 {
			return inbox.Errorf(inbox.EINVALID, "An API token needs a user that exists.")
		}
		if users[0].DeactivatedAt.Ptr() != nil {
			return inbox.Errorf(inbox.EFORBIDDEN, inbox.ErrDeactivated)
		}
		return tx.Create(&row).Error
	})
	if err != nil {
		return translate(err, "API token")
	}
	t.ID, t.CreatedAt, t.ExpiresAt = row.ID, row.CreatedAt.Time(), row.ExpiresAt.Ptr()
	return nil
}

// FindUserByTokenHash returns the user owning the token with the hash and
// records the token's use, or ENOTFOUND, as FindAPITokenByHash.
func (s *Store) FindUserByTokenHash(ctx context.Context, hash string) (*inbox.User, error) {
	_, u, err := s.FindAPITokenByHash(ctx, hash)
	return u, err
}

// FindAPITokenByHash returns the token with the hash and its user and
// records the token's use, or ENOTFOUND, also when the token has expired,
// so an expired token is refused exactly as a revoked one. Each statement
// stands alone, so no transaction is needed and most calls only read. Every
// API request calls it, so the token and its user are read in one
// statement.
func (s *Store) FindAPITokenByHash(ctx context.Context, hash string) (*inbox.APIToken, *inbox.User, error) {
	var rows []tokenUserRow
	err := s.conn(ctx).Table("api_tokens").Select(tokenUserColumns).
		Joins("JOIN users ON users.id = api_tokens.user_id").
		Where("api_tokens.hash = ? AND users.deactivated_at IS NULL", hash).
		Where("api_tokens.expires_at IS NULL OR api_tokens.expires_at > ?", s.now()).Limit(1).Scan(&rows).Error
	if err != nil {
		return nil, nil, translate(err, "API token")
	}
	if len(rows) == 0 {
		return nil, nil, inbox.Errorf(inbox.ENOTFOUND, "API token not found.")
	}
	r := rows[0]
	tok := tokenRow{ID: r.TokenID, UserID: r.User.ID, Name: r.TokenName, Hash: hash, CreatedAt: r.TokenCreatedAt,
		LastUsedAt: r.TokenLastUsedAt, ExpiresAt: r.TokenExpiresAt, ReadOnly: r.TokenReadOnly}
	if err := s.touchToken(ctx, &tok); err != nil {
		return nil, nil, err
	}
	u, err := s.withMemberships(ctx, r.User.toDomain())
	if err != nil {
		return nil, nil, err
	}
	return tok.toDomain(), u, nil
}

// tokenUserColumns are the columns of a tokenUserRow.
const tokenUserColumns = "users.*, api_tokens.id AS token_id, api_tokens.name AS token_name, " +
	"api_tokens.created_at AS token_created_at, api_tokens.last_used_at AS token_last_used_at, " +
	"api_tokens.expires_at AS token_expires_at, api_tokens.read_only AS token_read_only"

// tokenUserRow is a user with the token they were found by.
type tokenUserRow struct {
	User            userRow `gorm:"embedded"`
	TokenID         int64   `gorm:"column:token_id"`
	TokenName       string  `gorm:"column:token_name"`
	TokenCreatedAt  dbTime  `gorm:"column:token_created_at"`
	TokenLastUsedAt dbTime  `gorm:"column:token_last_used_at"`
	TokenExpiresAt  dbTime  `gorm:"column:token_expires_at"`
	TokenReadOnly   bool    `gorm:"column:token_read_only"`
}

// touchToken sets the token's LastUsedAt, in the database and in tok,
// unless it was set within tokenUseInterval.
func (s *Store) touchToken(ctx context.Context, tok *tokenRow) error {
	now := s.now()
	if last := tok.LastUsedAt.Time(); !last.IsZero() && now.Time().Sub(last) < tokenUseInterval {
		return nil
	}
	err := s.conn(ctx).Model(&tokenRow{}).Where("id = ?", tok.ID).Update("last_used_at", now).Error
	if err != nil {
		return translate(err, "API token")
	}
	tok.LastUsedAt = now
	return nil
}
