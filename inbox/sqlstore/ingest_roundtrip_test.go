package sqlstore

import (
	"database/sql"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// statementLog records the statements gorm runs on db from now on, with
// whether each ran inside a transaction.
type statementLog struct {
	mu    sync.Mutex
	stmts []loggedStatement
}

type loggedStatement struct {
	sql  string
	inTx bool
}

func logStatements(t *testing.T, db *DB) *statementLog {
	t.Helper()
	l := &statementLog{}
	record := func(g *gorm.DB) {
		_, inTx := g.Statement.ConnPool.(*sql.Tx)
		l.mu.Lock()
		l.stmts = append(l.stmts, loggedStatement{sql: g.Statement.SQL.String(), inTx: inTx})
		l.mu.Unlock()
	}
	cb := db.gorm.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("test:log_query", record),
		cb.Row().After("gorm:row").Register("test:log_row", record),
		cb.Raw().After("gorm:raw").Register("test:log_raw", record),
		cb.Create().After("gorm:create").Register("test:log_create", record),
		cb.Update().After("gorm:update").Register("test:log_update", record),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// take returns the statements logged so far and forgets them.
func (l *statementLog) take() []loggedStatement {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.stmts
	l.stmts = nil
	return s
}

// TestPostgresNestedReplyOneRoundTripLess applies a Facebook reply to a
// reply on PostgreSQL: the thread of the reply it answers is found in the
// transaction's first statement, so no statement runs outside the
// transaction, and the reply still joins the top-level comment's
// conversation. A reply whose parent is not stored keeps its own thread.
func TestPostgresNestedReplyOneRoundTripLess(t *testing.T) {
	db := openMigrated(t, postgresURL)
	s := NewStore(db)
	top := mustApply(t, s, threadComment("c_1", "citizen_a", inbox.DirectionInbound, storetest.T0))
	mustApply(t, s, threadComment("c_2", "citizen_b", inbox.DirectionInbound, storetest.T0.Add(time.Minute)))

	log := logStatements(t, db)
	nested := threadComment("c_3", "citizen_a", inbox.DirectionInbound, storetest.T0.Add(2*time.Minute))
	nested.ParentExternalID, nested.ThreadKey = "c_2", "c_2"
	a := mustApply(t, s, nested)
	if a.ConversationID != top.ConversationID {
		t.Errorf("reply to a reply: conversation %d, want the top-level comment's %d", a.ConversationID, top.ConversationID)
	}
	for _, st := range log.take() {
		if !st.inTx {
			t.Errorf("statement outside the transaction: %s", st.sql)
		}
	}

	orphan := threadComment("c_5", "citizen_c", inbox.DirectionInbound, storetest.T0.Add(3*time.Minute))
	orphan.ParentExternalID, orphan.ThreadKey = "c_4", "c_4"
	a = mustApply(t, s, orphan)
	if a.ConversationID == top.ConversationID || !a.NewConversation {
		t.Errorf("reply to a comment not stored: %+v, want a new conversation of its own", a)
	}
}

// TestPostgresChangeLocksInItsInsert edits a stored comment on
// PostgreSQL: the message's lock is taken by the change's insert, not by a
// statement of its own, and the edit applies; the edit delivered again
// changes nothing.
func TestPostgresChangeLocksInItsInsert(t *testing.T) {
	db := openMigrated(t, postgresURL)
	s := NewStore(db)
	mustApply(t, s, threadComment("c_1", "citizen_a", inbox.DirectionInbound, storetest.T0))
	edit := threadComment("c_1", "citizen_a", inbox.DirectionInbound, storetest.T0.Add(time.Minute))
	edit.Kind, edit.Text = inbox.EventMessageEdited, "Rättad kommentar"

	log := logStatements(t, db)
	a := mustApply(t, s, edit)
	if !a.Created {
		t.Errorf("edit: got %+v, want Created", a)
	}
	for _, st := range log.take() {
		if strings.HasPrefix(strings.TrimSpace(st.sql), "SELECT pg_advisory_xact_lock") {
			t.Errorf("the message's lock in a statement of its own: %s", st.sql)
		}
	}
	if a = mustApply(t, s, edit); a.Created {
		t.Errorf("edit again: got %+v, want not Created", a)
	}
	msgs, err := s.FindMessages(t.Context(), a.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].Text != "Rättad kommentar" {
		t.Errorf("messages: got %+v, want the edited text", msgs)
	}
}
