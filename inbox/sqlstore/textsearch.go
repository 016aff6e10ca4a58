package sqlstore

import (
	"database/sql/driver"
	"strings"

	sqlite "github.com/glebarez/go-sqlite"
	"gorm.io/gorm"
)

// foldFunction is the SQLite function that lower-cases text the way Go
// does, for all of Unicode: SQLite's own LIKE and lower() fold only ASCII,
// so "Å" would not find "å".
const foldFunction = "inkorg_fold"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(foldFunction, 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		default:
			return v, nil
		}
	})
}

// textCondition keeps the conversations with a message containing text
// that agents see (not one its author deleted, whose text is hidden from
// them: a search must not tell which conversation held it),
// case-insensitively (Swedish å, ä and ö included), with LIKE's wildcards
// in text taken literally. On PostgreSQL the messages are found through the
// trigram index on their text (migration 00015), so the condition is an
// IN over the matching messages rather than a probe per conversation.
func (s *Store) textCondition(q *gorm.DB, text string) *gorm.DB {
	if s.db.Dialect() == DialectPostgres {
		return q.Where(`conversations.id IN (SELECT m.conversation_id FROM messages m WHERE m.text ILIKE ? ESCAPE '\' AND m.deleted_at IS NULL)`,
			"%"+escapeLike(text)+"%")
	}
	return q.Where("EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id AND "+foldFunction+`(m.text) LIKE ? ESCAPE '\' AND m.deleted_at IS NULL)`,
		"%"+escapeLike(strings.ToLower(text))+"%")
}
