package sqlstore

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

// managedPage configures storetest's page as an account, so a citizen's
// first message starts its conversation in one statement on PostgreSQL.
func managedPage(t *testing.T, s *Store) *inbox.Account {
	t.Helper()
	a := &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: storetest.PageID, Name: "Göteborgs Stad"}
	if err := s.CreateAccount(t.Context(), a); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	return a
}

func triagedEvent(thread, mid string, at time.Time) inbox.Event {
	e := storetest.Event(thread, mid, at)
	e.Triage = &inbox.Triage{
		Administration: "kultur", Confidence: 0.8, Language: "sv", LanguageConfidence: 0.9,
		Tags: []string{"fråga"}, Priority: inbox.PriorityUrgent, NeedsHuman: true, TriagedAt: at,
	}
	return e
}

// TestApplyEventStartsConversation checks everything a citizen's first
// message writes for a managed account: the conversation with the message
// counted in and the triage's facets, its first status, the message and
// its triage.
func TestApplyEventStartsConversation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		s := NewStore(db)
		ctx := t.Context()
		account := managedPage(t, s)
		e := triagedEvent("psid_1", "m_1", storetest.T0)
		a := mustApply(t, s, e)
		if !a.Created || !a.NewConversation || !a.Triaged || a.UnknownAccount || a.MessageID == 0 {
			t.Fatalf("applied %+v; want a new triaged message in a new conversation of a managed account", a)
		}
		c, err := s.FindConversationByID(ctx, a.ConversationID)
		if err != nil {
			t.Fatal(err)
		}
		if c.AccountID != account.ID || c.UnknownAccount || c.Status != inbox.StatusNew || c.MessageCount != 1 ||
			c.ContactID == 0 || c.ThreadKey != "psid_1" || !c.FirstMessageAt.Equal(storetest.T0) ||
			!c.LastMessageAt.Equal(storetest.T0) || c.WaitingSince == nil || !c.WaitingSince.Equal(storetest.T0) ||
			!strings.Contains(c.Preview, "Valhallabadet") {
			t.Errorf("conversation %+v", c)
		}
		var facets struct {
			TriageLanguage, TriagePriority string
			TriageNeedsHuman               bool
		}
		if err := db.gorm.Table("conversations").Select("triage_language", "triage_priority", "triage_needs_human").
			Where("id = ?", a.ConversationID).Take(&facets).Error; err != nil {
			t.Fatal(err)
		}
		if facets.TriageLanguage != "sv" || facets.TriagePriority != string(inbox.PriorityUrgent) || !facets.TriageNeedsHuman {
			t.Errorf("conversation's triage facets %+v; want sv, urgent, needs a human", facets)
		}
		changes, err := s.FindStatusChanges(ctx, a.ConversationID)
		if err != nil || len(changes) != 1 || changes[0].Status != inbox.StatusNew || !changes[0].At.Equal(storetest.T0) {
			t.Errorf("status changes %+v, error %v; want new at %v", changes, err, storetest.T0)
		}
		msgs, err := s.FindMessages(ctx, a.ConversationID)
		if err != nil || len(msgs) != 1 || msgs[0].ID != a.MessageID || msgs[0].ExternalID != "m_1" ||
			msgs[0].Direction != inbox.DirectionInbound || msgs[0].Text != e.Text || msgs[0].AuthorName != "Anna Andersson" {
			t.Fatalf("messages %+v, error %v", msgs, err)
		}
		if e.Triage.MessageID != a.MessageID {
			t.Errorf("triage of message %d; want %d", e.Triage.MessageID, a.MessageID)
		}
		rows, want := storedTriages(t, db, e.Triage, a.MessageID)
		if len(rows) != 1 || rows[0].Result != want || rows[0].ConversationID != a.ConversationID ||
			rows[0].AdministrationID != "kultur" || rows[0].Bystander {
			t.Errorf("triages %+v; want result %s in conversation %d", rows, want, a.ConversationID)
		}

		// A second message counts into the same conversation.
		b := mustApply(t, s, triagedEvent("psid_1", "m_2", storetest.T0.Add(time.Minute)))
		if b.NewConversation || b.ConversationID != a.ConversationID {
			t.Errorf("second message %+v; want it in conversation %d", b, a.ConversationID)
		}
	})
}

// TestApplyEventStartsNothingForAStoredMessage delivers a message stored
// already in one thread as the start of another (a thread key that
// changed): the new conversation rolls back with the transaction.
func TestApplyEventStartsNothingForAStoredMessage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		s := NewStore(db)
		managedPage(t, s)
		first := mustApply(t, s, triagedEvent("psid_1", "m_1", storetest.T0))
		again := mustApply(t, s, triagedEvent("psid_2", "m_1", storetest.T0))
		if again.Created || again.ConversationID != first.ConversationID || again.MessageID != first.MessageID {
			t.Errorf("applied %+v; want the stored message %d of conversation %d", again, first.MessageID, first.ConversationID)
		}
		for table, want := range map[string]int64{"conversations": 1, "messages": 1, "message_triage": 1, "conversation_status_changes": 1} {
			var n int64
			if err := db.gorm.Table(table).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Errorf("%d rows in %s; want %d", n, table, want)
			}
		}
	})
}

// TestStartConversationFindsItThere starts a conversation in one
// statement, then takes the path of a worker whose conversation another
// worker inserted after upsertContact looked: the statement writes nothing
// and reports it.
func TestStartConversationFindsItThere(t *testing.T) {
	db := openMigrated(t, postgresURL)
	s := NewStore(db)
	managedPage(t, s)
	e := triagedEvent("psid_1", "m_1", storetest.T0)
	conv, msgID, ok := tryStart(t, s, &e, 0)
	if !ok || conv.ID == 0 || msgID == 0 || e.Triage.MessageID != msgID {
		t.Fatalf("got conversation %d, message %d (triage's %d), started %v; want both started",
			conv.ID, msgID, e.Triage.MessageID, ok)
	}
	e = triagedEvent("psid_1", "m_2", storetest.T0.Add(time.Minute))
	if _, msgID, ok := tryStart(t, s, &e, conv.ID); ok || msgID != 0 {
		t.Errorf("got message %d, started %v; want nothing started", msgID, ok)
	}
	var n int64
	if err := db.gorm.Table("messages").Count(&n).Error; err != nil || n != 1 {
		t.Errorf("%d messages, error %v; want only the first", n, err)
	}
}

// tryStart looks e's conversation up as applying it does, expecting to
// find found (0 for none), then forgets it and starts the conversation in
// one statement, in a transaction it commits.
func tryStart(t *testing.T, s *Store, e *inbox.Event, found int64) (conv convRef, msgID int64, ok bool) {
	t.Helper()
	err := s.inTx(t.Context(), func(tx *gorm.DB) error {
		look, err := upsertContact(tx, e, s.now())
		if err != nil {
			return err
		}
		if look.conv.ID != found {
			t.Fatalf("upsertContact found conversation %d; want %d", look.conv.ID, found)
		}
		look.conv = convRef{} // as if it was inserted after the look
		if !startsWithMessage(tx, e, &look) {
			t.Fatal("a citizen's message for a managed account does not start its conversation in one statement")
		}
		pre, err := pretriageOf(e)
		if err != nil {
			return err
		}
		conv, msgID, _, ok, err = startConversation(tx, e, &look, pre, e.Triage, s.now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return conv, msgID, ok
}

func TestStatementBuilderInsertFrom(t *testing.T) {
	var b statementBuilder
	b.addNumbered(`INSERT INTO "a" ("x","y") VALUES ($1,$2) RETURNING "id"`, []any{"x", "y"})
	b.WriteString("; ")
	b.addMarked("SELECT ?, ?", 1, 2)
	b.WriteString("; ")
	err := b.addInsertFrom(`INSERT INTO "m" ("p","conversation_id","q") VALUES ($1,$2,$3) ON CONFLICT DO NOTHING RETURNING "id"`,
		[]any{"p", int64(0), "q"}, "conversation_id", "ins.id", "ins")
	if err != nil {
		t.Fatal(err)
	}
	want := `INSERT INTO "a" ("x","y") VALUES ($1,$2) RETURNING "id"; SELECT $3, $4; ` +
		`INSERT INTO "m" ("p","conversation_id","q") SELECT $5,ins.id,$6 FROM ins ON CONFLICT DO NOTHING RETURNING "id"`
	if b.String() != want {
		t.Errorf("got  %s\nwant %s", b.String(), want)
	}
	if got := []any{"x", "y", 1, 2, "p", "q"}; len(b.args) != len(got) || b.args[2] != 1 || b.args[4] != "p" || b.args[5] != "q" {
		t.Errorf("arguments %v; want %v", b.args, got)
	}
	for _, bad := range []struct{ stmt, column string }{
		{`INSERT INTO "m" ("p","q") VALUES ($1,$2),($3,$4)`, "p"},
		{`INSERT INTO "m" ("p","q") VALUES ($1,$2)`, "conversation_id"},
		{`INSERT INTO "m" ("p","q") VALUES ($1,now())`, "p"},
		{`INSERT INTO "m" ("p","q") VALUES ($1,$2) ON CONFLICT DO UPDATE SET q = $3`, "p"},
		{`UPDATE "m" SET p = $1`, "p"},
	} {
		var b statementBuilder
		if err := b.addInsertFrom(bad.stmt, []any{1, 2}, bad.column, "ins.id", "ins"); err == nil {
			t.Errorf("%s: no error, wrote %s", bad.stmt, b.String())
		}
	}
}
