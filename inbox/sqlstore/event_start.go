package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// startsWithMessage reports whether applying e may insert its new
// conversation and its message in one statement (see startConversation):
// on PostgreSQL, a citizen's message whose conversation upsertContact
// found missing, for a managed account. An outbound message may be the
// echo of a reply stored elsewhere (see matchOwnSend), and a conversation
// of an account not found is started only after waiting for one being
// added (see newConversationAccount); both go the usual way.
func startsWithMessage(tx *gorm.DB, e *inbox.Event, look *ingestLookup) bool {
	return tx.Dialector.Name() == DialectPostgres && e.Direction == inbox.DirectionInbound &&
		look.locked && look.looked && look.conv.ID == 0 && look.accountKnown && look.accountID != 0
}

// startConversation inserts, in one statement, the conversation a
// citizen's message starts (with the triage facets of pre, when there are
// any), its first status, the message, and the message's triage when
// triage is not nil: most deliveries start a conversation, and each round
// trip costs both inkorg and PostgreSQL more than the rows it writes.
//
// ok is false when the conversation was there already (a concurrent
// transaction inserted it after upsertContact looked): then nothing was
// written, and the caller finds the conversation and inserts the message
// on its own. A message stored already in another conversation returns
// errApplied, which rolls the new conversation back with the transaction.
func startConversation(tx *gorm.DB, e *inbox.Event, look *ingestLookup, pre *triageFacets, triage *inbox.Triage, now dbTime) (conv convRef, msgID int64, early, ok bool, err error) {
	row := newConversationRow(e, look.contactID, look.accountID, now)
	var value any = &row
	if pre != nil {
		value = &triagedConversationRow{Conversation: row, Facets: *pre}
	}
	convStmt := conversationInsert(tx).Session(&gorm.Session{DryRun: true}).Create(value).Statement
	if convStmt.Error != nil {
		return convRef{}, 0, false, false, convStmt.Error
	}
	ins := insertedMessageRow{Message: newMessageRow(e, 0, now)}
	msgStmt := messageInsert(tx).Session(&gorm.Session{DryRun: true}).Create(&ins).Statement
	if msgStmt.Error != nil {
		return convRef{}, 0, false, false, msgStmt.Error
	}
	var q statementBuilder
	q.WriteString("WITH ins AS (")
	q.addNumbered(convStmt.SQL.String(), convStmt.Vars)
	q.WriteString("), st AS (")
	q.addMarked("INSERT INTO conversation_status_changes (conversation_id, status, at) SELECT ins.id, ?, ? FROM ins",
		string(inbox.StatusNew), toDBTime(e.OccurredAt))
	q.WriteString("), msg AS (")
	if err := q.addInsertFrom(msgStmt.SQL.String(), msgStmt.Vars, "conversation_id", "ins.id", "ins"); err != nil {
		return convRef{}, 0, false, false, err
	}
	q.WriteString(")")
	if triage != nil {
		unnumbered := *triage
		unnumbered.MessageID = 0
		t, err := newTriageRow(0, &unnumbered, now)
		if err != nil {
			return convRef{}, 0, false, false, err
		}
		// The triage's result is the JSON newTriageRow stores, with the
		// message's id put in first (see insertMessageWithTriage).
		q.WriteString(", tri AS (")
		q.addMarked(`INSERT INTO message_triage `+triageColumns+`
			SELECT msg.id, ins.id, ?, ?, ?, ?, ?, '{"message_id":' || msg.id || ',' || substr(?, 2), ?, false FROM msg, ins`,
			t.AdministrationID, t.Confidence, t.Language, t.Priority, t.NeedsHuman, t.Result, t.TriagedAt)
		q.WriteString(")")
	}
	q.WriteString(" SELECT ins.id, msg.id, msg.early_changes FROM ins LEFT JOIN msg ON true")
	var id sql.NullInt64
	var earlyChanges sql.NullBool
	err = convStmt.ConnPool.QueryRowContext(convStmt.Context, q.String(), q.args...).Scan(&row.ID, &id, &earlyChanges)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return convRef{}, 0, false, false, nil
	case err != nil:
		return convRef{}, 0, false, false, err
	case !id.Valid:
		return convRef{}, 0, false, false, errApplied
	}
	if triage != nil {
		triage.MessageID = id.Int64
	}
	return convRef{ID: row.ID, UnknownAccount: row.UnknownAccount}, id.Int64, earlyChanges.Bool, true, nil
}

// statementBuilder joins statements gorm built (numbered $n placeholders)
// and statements written here (? placeholders) into one, numbering the
// placeholders of each after those before it.
type statementBuilder struct {
	strings.Builder
	args []any
}

// placeholder matches a numbered placeholder of a statement gorm built;
// gorm writes no string literals in inserts, so no $ stands for anything
// else there.
var placeholder = regexp.MustCompile(`\$[0-9]+`)

// addNumbered writes stmt, whose $n take vars.
func (b *statementBuilder) addNumbered(stmt string, vars []any) {
	off := len(b.args)
	b.WriteString(placeholder.ReplaceAllStringFunc(stmt, func(p string) string {
		n, _ := strconv.Atoi(p[1:])
		return "$" + strconv.Itoa(n+off)
	}))
	b.args = append(b.args, vars...)
}

// addMarked writes stmt, whose ? placeholders take args in order; a ?
// beyond args is written as it is.
func (b *statementBuilder) addMarked(stmt string, args ...any) {
	n := 0
	for _, r := range stmt {
		if r == '?' && n < len(args) {
			b.args = append(b.args, args[n])
			n++
			fmt.Fprintf(b, "$%d", len(b.args))
			continue
		}
		b.WriteRune(r)
	}
}

// addInsertFrom writes stmt, a single-row INSERT … VALUES (…) gorm built
// (vars its arguments), as INSERT … SELECT … FROM from, with expr instead
// of column's value.
func (b *statementBuilder) addInsertFrom(stmt string, vars []any, column, expr, from string) error {
	head, rest, ok := strings.Cut(stmt, ") VALUES (")
	if !ok {
		return fmt.Errorf("sqlstore: not a single-row insert: %.60s", stmt)
	}
	values, tail, ok := strings.Cut(rest, ")")
	open := strings.Index(head, " (")
	if !ok || open < 0 || placeholder.MatchString(tail) {
		return fmt.Errorf("sqlstore: not a single-row insert: %.60s", stmt)
	}
	columns := strings.Split(head[open+2:], ",")
	exprs := strings.Split(values, ",")
	if len(columns) != len(exprs) || len(exprs) != len(vars) {
		return fmt.Errorf("sqlstore: insert of %d columns with %d values and %d arguments", len(columns), len(exprs), len(vars))
	}
	var kept []any
	found := false
	for i, c := range columns {
		if exprs[i] != "$"+strconv.Itoa(i+1) {
			return fmt.Errorf("sqlstore: insert value %q is not its column's placeholder", exprs[i])
		}
		if strings.Trim(c, `"`) == column {
			exprs[i], found = expr, true
			continue
		}
		kept = append(kept, vars[i])
		exprs[i] = "$" + strconv.Itoa(len(b.args)+len(kept))
	}
	if !found {
		return fmt.Errorf("sqlstore: insert without column %s", column)
	}
	b.WriteString(head)
	b.WriteString(") SELECT ")
	b.WriteString(strings.Join(exprs, ","))
	b.WriteString(" FROM ")
	b.WriteString(from)
	b.WriteString(tail)
	b.args = append(b.args, kept...)
	return nil
}
