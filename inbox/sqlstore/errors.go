package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"strings"

	gosqlite "github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"inkorg/inbox"
)

// translate turns an error from gorm or a driver into an *inbox.Error. It is
// the only place that knows the drivers' error types. subject names what the
// statement was about ("User", "Account") in the user-safe message.
func translate(err error, subject string) error {
	var domainErr *inbox.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &domainErr):
		return err
	case errors.Is(err, gorm.ErrRecordNotFound):
		return inbox.WrapError(inbox.ENOTFOUND, err, "%s not found.", subject)
	}
	switch classify(err) {
	case classConflict:
		return inbox.WrapError(inbox.ECONFLICT, err, "%s already exists.", subject)
	case classInvalid:
		return inbox.WrapError(inbox.EINVALID, err, "%s cannot be stored: it refers to something missing or breaks a rule.", subject)
	case classUnavailable:
		return inbox.WrapError(inbox.EUNAVAILABLE, err, "The database is unavailable; try again later.")
	}
	return inbox.WrapError(inbox.EINTERNAL, err, "Internal error.")
}

type errorClass int

const (
	classOther errorClass = iota
	classConflict
	classInvalid
	classUnavailable
)

// classify sorts an error by what the caller can do about it.
func classify(err error) errorClass {
	var pgErr *pgconn.PgError
	var liteErr *gosqlite.Error
	switch {
	case errors.As(err, &pgErr):
		return classifyPostgres(pgErr.Code)
	case errors.As(err, &liteErr):
		return classifySQLite(liteErr.Code())
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return classConflict
	case errors.Is(err, gorm.ErrForeignKeyViolated), errors.Is(err, gorm.ErrCheckConstraintViolated):
		return classInvalid
	case isConnectionError(err):
		return classUnavailable
	}
	return classOther
}

// classifyPostgres sorts a PostgreSQL SQLSTATE.
func classifyPostgres(code string) errorClass {
	switch {
	case code == "23505": // unique_violation
		return classConflict
	case strings.HasPrefix(code, "23"), // other integrity constraints
		code == "22021", // character_not_in_repertoire: a NUL in text
		code == "22P05", // untranslatable_character
		code == "22001", // string_data_right_truncation
		code == "22003", // numeric_value_out_of_range: a number too large for its column
		code == "54000": // program_limit_exceeded: a value too large for an index row
		return classInvalid
	case strings.HasPrefix(code, "08"), // connection exception
		strings.HasPrefix(code, "53"),    // insufficient resources
		strings.HasPrefix(code, "57P"),   // server shutting down
		code == "40001", code == "40P01": // serialization failure, deadlock: retry
		return classUnavailable
	}
	return classOther
}

// conversationAccountFK is the foreign key from a conversation to its
// account (PostgreSQL's name for it).
const conversationAccountFK = "conversations_account_id_fkey"

// accountGone reports whether err is PostgreSQL refusing a conversation's
// account because it was removed after the transaction read it: applying
// the event again reads it afresh (see applyCreated).
func accountGone(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23503" && pgErr.ConstraintName == conversationAccountFK
}

// SQLite result codes (https://www.sqlite.org/rescode.html).
const (
	sqliteBusy                 = 5
	sqliteLocked               = 6
	sqliteIOErr                = 10
	sqliteFull                 = 13
	sqliteCantOpen             = 14
	sqliteConstraint           = 19
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
)

// classifySQLite sorts a SQLite extended result code.
func classifySQLite(code int) errorClass {
	switch code {
	case sqliteConstraintUnique, sqliteConstraintPrimaryKey:
		return classConflict
	}
	switch code & 0xff { // the primary result code
	case sqliteConstraint:
		return classInvalid
	case sqliteBusy, sqliteLocked, sqliteIOErr, sqliteFull, sqliteCantOpen:
		return classUnavailable
	}
	return classOther
}

// isConnectionError reports whether err says the database could not be
// reached or did not answer in time.
func isConnectionError(err error) bool {
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connectErr) ||
		errors.As(err, &netErr) ||
		pgconn.Timeout(err) ||
		errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, context.Canceled)
}
