package sqlstore

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/storetest"
)

// dialects lists each dialect with a function returning the URL of a
// fresh, empty database of it.
var dialects = []struct {
	name string
	url  func(t *testing.T) string
}{
	{DialectSQLite, sqliteURL},
	{DialectPostgres, postgresURL},
}

func sqliteURL(t *testing.T) string { return filepath.Join(t.TempDir(), "data", "inkorg.db") }

func postgresURL(t *testing.T) string { return inboxtest.PostgresURL(t) }

// forEachDialect runs fn as a subtest per dialect.
func forEachDialect(t *testing.T, fn func(t *testing.T, url func(t *testing.T) string)) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) { fn(t, d.url) })
	}
}

// openDB opens the database at url, closed when the test ends.
func openDB(t *testing.T, url string) *DB {
	t.Helper()
	db, err := Open(t.Context(), url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openMigrated opens a fresh, migrated database from url.
func openMigrated(t *testing.T, url func(t *testing.T) string) *DB {
	t.Helper()
	db := openDB(t, url(t))
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return db
}

func TestStore(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		url(t) // skips, or fails, once when the database is unavailable
		storetest.Run(t, func(t *testing.T) inbox.Store { return NewStore(openMigrated(t, url)) })
	})
}

func TestMigrate(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		path := url(t)
		first, err := openDB(t, path).Migrate(t.Context())
		if err != nil || first < 1 {
			t.Fatalf("got version %d, error %v; want at least 1", first, err)
		}
		db := openDB(t, path) // as a restarted process would
		second, err := db.Migrate(t.Context())
		if err != nil || second != first {
			t.Errorf("got version %d, error %v on the second run; want %d", second, err, first)
		}
		if err := db.CheckSchema(t.Context()); err != nil {
			t.Errorf("got CheckSchema error %v, want nil", err)
		}
	})
}

// TestPostgresMigrateConcurrent starts several instances on one empty
// database at once: the migration lock lets all of them succeed.
func TestPostgresMigrateConcurrent(t *testing.T) {
	url := postgresURL(t)
	var wg sync.WaitGroup
	for i := range 4 {
		db := openDB(t, url)
		wg.Go(func() {
			if _, err := db.Migrate(t.Context()); err != nil {
				t.Errorf("instance %d: Migrate: %v", i, err)
			}
		})
	}
	wg.Wait()
	if err := openDB(t, url).CheckSchema(t.Context()); err != nil {
		t.Errorf("got CheckSchema %v, want nil", err)
	}
}

// TestMigrateDown checks that every migration can be undone and redone.
func TestMigrateDown(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		p, err := db.provider()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(t.Context(), 0); err != nil {
			t.Fatalf("DownTo(0): %v", err)
		}
		if err := db.CheckSchema(t.Context()); !errors.Is(err, ErrSchemaBehind) {
			t.Errorf("got CheckSchema %v after going down, want ErrSchemaBehind", err)
		}
		if _, err := db.Migrate(t.Context()); err != nil {
			t.Errorf("Migrate after going down: %v", err)
		}
	})
}

func TestCheckSchema(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		err := openDB(t, url(t)).CheckSchema(t.Context())
		if !errors.Is(err, ErrSchemaBehind) {
			t.Errorf("got %v, want an error wrapping ErrSchemaBehind", err)
		}
	})
}

func TestApplyEventReopens(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		s := NewStore(db)
		ctx := t.Context()
		a := mustApply(t, s, storetest.Event("psid_1", "m_1", storetest.T0))
		resolvedAt := storetest.T0.Add(time.Hour)
		setStatus(t, db, a.ConversationID, inbox.StatusResolved, resolvedAt)

		// A late delivery of a message written before the resolution
		// leaves the conversation resolved.
		mustApply(t, s, storetest.Event("psid_1", "m_2", storetest.T0.Add(time.Minute)))
		c, err := s.FindConversationByID(ctx, a.ConversationID)
		if err != nil || c.Status != inbox.StatusResolved || c.ResolvedAt == nil {
			t.Fatalf("got status %q, resolved at %v, error %v; want resolved", c.Status, c.ResolvedAt, err)
		}
		// The city answering does not reopen it either.
		mustApply(t, s, storetest.Reply("psid_1", "m_3", resolvedAt.Add(time.Minute)))
		// The citizen writing again does.
		mustApply(t, s, storetest.Event("psid_1", "m_4", resolvedAt.Add(2*time.Minute)))
		c, err = s.FindConversationByID(ctx, a.ConversationID)
		if err != nil || c.Status != inbox.StatusOpen || c.ResolvedAt != nil {
			t.Errorf("got status %q, resolved at %v, error %v; want open and no resolution", c.Status, c.ResolvedAt, err)
		}
	})
}

// TestApplyEventLostRace takes the path of a worker whose message is
// stored already, before or by another worker, when its insert runs: it
// must roll back and change nothing.
func TestApplyEventLostRace(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		s := NewStore(openMigrated(t, url))
		e := storetest.Event("psid_1", "m_1", storetest.T0)
		first := mustApply(t, s, e)
		before, err := s.FindConversationByID(t.Context(), first.ConversationID)
		if err != nil {
			t.Fatalf("FindConversationByID: %v", err)
		}
		e.Contact.Name, e.OccurredAt = "Someone Else", storetest.T0.Add(time.Hour)
		err = s.inTx(t.Context(), func(tx *gorm.DB) error {
			_, _, err := s.apply(tx, &e)
			return err
		})
		if !errors.Is(err, errApplied) {
			t.Fatalf("got %v, want errApplied", err)
		}
		after, err := s.FindConversationByID(t.Context(), first.ConversationID)
		if err != nil || !reflect.DeepEqual(after, before) {
			t.Errorf("got %+v, error %v; want unchanged %+v", after, err, before)
		}
	})
}

func mustApply(t *testing.T, s *Store, e inbox.Event) inbox.Applied {
	t.Helper()
	a, err := s.ApplyEvent(t.Context(), e)
	if err != nil {
		t.Fatalf("ApplyEvent(%s): %v", e.MessageExternalID, err)
	}
	return a
}

// setStatus changes a conversation behind the store's back, as the inbox
// service will.
func setStatus(t *testing.T, db *DB, id int64, status inbox.Status, resolvedAt time.Time) {
	t.Helper()
	err := db.Gorm().WithContext(t.Context()).Model(&conversationRow{}).Where("id = ?", id).
		Updates(map[string]any{"status": string(status), "resolved_at": toDBTime(resolvedAt)}).Error
	if err != nil {
		t.Fatalf("set status: %v", err)
	}
}

func TestFindUserByTokenHashLastUsedAt(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		now := time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		s := NewStore(db)
		u := &inbox.User{Name: "integration", Role: inbox.RoleAgent}
		if err := s.CreateUser(t.Context(), u); err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		if err := s.CreateAPIToken(t.Context(), &inbox.APIToken{UserID: u.ID, Hash: "h"}); err != nil {
			t.Fatalf("CreateAPIToken: %v", err)
		}
		if got := lastUsedAt(t, db, "h"); got != nil {
			t.Fatalf("got LastUsedAt %s before any use, want nil", got)
		}
		used := now
		for _, step := range []struct {
			advance time.Duration
			want    func() time.Time
		}{
			{0, func() time.Time { return now }},                 // first use
			{30 * time.Second, func() time.Time { return used }}, // too soon to write again
			{time.Minute, func() time.Time { return now }},       // 90 s after the write
		} {
			now = now.Add(step.advance)
			if _, err := s.FindUserByTokenHash(t.Context(), "h"); err != nil {
				t.Fatalf("FindUserByTokenHash: %v", err)
			}
			got, want := lastUsedAt(t, db, "h"), step.want()
			if got == nil || !got.Equal(want) {
				t.Fatalf("after %s: got LastUsedAt %v, want %s", step.advance, got, want)
			}
		}
	})
}

func lastUsedAt(t *testing.T, db *DB, hash string) *time.Time {
	t.Helper()
	var row tokenRow
	if err := db.Gorm().WithContext(t.Context()).Where("hash = ?", hash).Take(&row).Error; err != nil {
		t.Fatalf("read token: %v", err)
	}
	return row.LastUsedAt.Ptr()
}

// TestSQLiteTimeText checks that every time column on SQLite holds the one
// fixed-width UTC layout that sorts as text, whoever wrote it.
func TestSQLiteTimeText(t *testing.T) {
	db := openMigrated(t, sqliteURL)
	s := NewStore(db)
	at := time.Date(2025, 6, 1, 10, 0, 0, 120_000_000, time.FixedZone("CEST", 2*60*60))
	seedAll(t, s, at)
	var raw string
	err := db.Gorm().Raw("SELECT sent_at FROM messages WHERE external_id = 'm_1'").Scan(&raw).Error
	if want := "2025-06-01T08:00:00.120000Z"; err != nil || raw != want {
		t.Errorf("got sent_at %q, error %v; want %q", raw, err, want)
	}
	layout := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`)
	for table, columns := range map[string][]string{
		"accounts":      {"created_at"},
		"contacts":      {"created_at", "updated_at"},
		"users":         {"created_at"},
		"api_tokens":    {"created_at", "last_used_at"},
		"conversations": {"first_message_at", "last_message_at", "last_inbound_at", "first_response_at", "created_at", "updated_at"},
		"messages":      {"sent_at", "created_at"},
		"audit_entries": {"created_at"},
	} {
		for _, col := range columns {
			var values []string
			err := db.Gorm().Raw("SELECT " + col + " FROM " + table + " WHERE " + col + " IS NOT NULL").Scan(&values).Error
			if err != nil || len(values) == 0 {
				t.Fatalf("%s.%s: got %d values, error %v; want some", table, col, len(values), err)
			}
			for _, v := range values {
				if !layout.MatchString(v) {
					t.Errorf("%s.%s: got %q, want the layout %s", table, col, v, timeLayout)
				}
			}
		}
	}
}

// seedAll writes a row of every kind, with every optional time set.
func seedAll(t *testing.T, s *Store, at time.Time) {
	t.Helper()
	ctx := t.Context()
	acc := &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: storetest.PageID, Name: "Göteborgs Stad"}
	u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.CreateAccount(ctx, acc))
	must(s.CreateUser(ctx, u))
	must(s.CreateAPIToken(ctx, &inbox.APIToken{UserID: u.ID, Hash: "h"}))
	_, err := s.FindUserByTokenHash(ctx, "h")
	must(err)
	a := mustApply(t, s, storetest.Event("psid_1", "m_1", at))
	mustApply(t, s, storetest.Reply("psid_1", "m_2", at.Add(time.Minute)))
	must(s.AddAudit(ctx, &inbox.AuditEntry{ActorID: u.ID, Action: "resolve", ConversationID: a.ConversationID}))
}

func TestPreview(t *testing.T) {
	long := strings.Repeat("ö", previewLength+5)
	for _, tc := range []struct{ text, want string }{
		{"", ""},
		{"Hej", "Hej"},
		{long, long[:2*previewLength]},
	} {
		if got := preview(tc.text); got != tc.want {
			t.Errorf("preview(%d bytes): got %d bytes, want %d", len(tc.text), len(got), len(tc.want))
		}
	}
}

func TestTranslate(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"Nil", nil, ""},
		{"Domain", inbox.Errorf(inbox.EFORBIDDEN, "No."), inbox.EFORBIDDEN},
		{"NotFound", fmt.Errorf("take: %w", gorm.ErrRecordNotFound), inbox.ENOTFOUND},
		{"UniquePostgres", &pgconn.PgError{Code: "23505"}, inbox.ECONFLICT},
		{"ForeignKeyPostgres", &pgconn.PgError{Code: "23503"}, inbox.EINVALID},
		{"NULInTextPostgres", &pgconn.PgError{Code: "22021"}, inbox.EINVALID},
		{"OutOfRangePostgres", &pgconn.PgError{Code: "22003"}, inbox.EINVALID},
		{"ProgramLimitPostgres", &pgconn.PgError{Code: "54000"}, inbox.EINVALID},
		{"ConnectionPostgres", &pgconn.PgError{Code: "08006"}, inbox.EUNAVAILABLE},
		{"DeadlockPostgres", &pgconn.PgError{Code: "40P01"}, inbox.EUNAVAILABLE},
		{"ShutdownPostgres", &pgconn.PgError{Code: "57P01"}, inbox.EUNAVAILABLE},
		{"SyntaxPostgres", &pgconn.PgError{Code: "42601"}, inbox.EINTERNAL},
		{"Duplicated", gorm.ErrDuplicatedKey, inbox.ECONFLICT},
		{"Timeout", fmt.Errorf("query: %w", context.DeadlineExceeded), inbox.EUNAVAILABLE},
		{"BadConn", driver.ErrBadConn, inbox.EUNAVAILABLE},
		{"Other", errors.New("boom"), inbox.EINTERNAL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := translate(tc.err, "Thing")
			if got := inbox.ErrorCode(err); got != tc.want {
				t.Errorf("got code %q, want %q", got, tc.want)
			}
			if tc.err != nil && !errors.Is(err, tc.err) {
				t.Errorf("got %v, want it to wrap %v", err, tc.err)
			}
		})
	}
}

func TestClassifySQLite(t *testing.T) {
	for _, tc := range []struct {
		code int
		want errorClass
	}{
		{sqliteConstraintUnique, classConflict},
		{sqliteConstraintPrimaryKey, classConflict},
		{787, classInvalid}, // SQLITE_CONSTRAINT_FOREIGNKEY
		{sqliteBusy, classUnavailable},
		{517, classUnavailable}, // SQLITE_BUSY_SNAPSHOT
		{1, classOther},         // SQLITE_ERROR
	} {
		if got := classifySQLite(tc.code); got != tc.want {
			t.Errorf("classifySQLite(%d): got %d, want %d", tc.code, got, tc.want)
		}
	}
}

// TestPostgresErrUnavailable checks that a database that went away is reported as
// unavailable, not as an internal error.
func TestPostgresErrUnavailable(t *testing.T) {
	db := openMigrated(t, postgresURL)
	s := NewStore(db)
	if _, err := s.FindAccounts(t.Context()); err != nil {
		t.Fatalf("FindAccounts: %v", err)
	}
	sqlDB, err := db.Gorm().DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.SetMaxOpenConns(1)
	var pid int
	if err := db.Gorm().Raw("SELECT pg_backend_pid()").Scan(&pid).Error; err != nil {
		t.Fatal(err)
	}
	// End the store's only connection from another session, as a server
	// restart would; the wait makes sure it is gone before the next query.
	admin := openDB(t, inboxtest.PostgresURL(t))
	if err := admin.Gorm().Exec("SELECT pg_terminate_backend(?, 5000)", pid).Error; err != nil {
		t.Fatal(err)
	}
	_, err = s.FindAccounts(t.Context())
	if got := inbox.ErrorCode(err); got != inbox.EUNAVAILABLE {
		t.Errorf("got code %q (%v), want %q", got, err, inbox.EUNAVAILABLE)
	}
}

func TestFindConversationsByAdministration(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		s := NewStore(db)
		routed := mustApply(t, s, storetest.Event("psid_1", "m_1", storetest.T0)).ConversationID
		mustApply(t, s, storetest.Event("psid_2", "m_2", storetest.T0.Add(time.Minute)))
		err := db.Gorm().WithContext(t.Context()).Model(&conversationRow{}).Where("id = ?", routed).
			Update("administration_id", "kretslopp-vatten").Error
		if err != nil {
			t.Fatal(err)
		}
		page, err := s.FindConversations(t.Context(), inbox.ConversationFilter{AdministrationID: []string{"kretslopp-vatten", "miljo"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Conversations) != 1 || page.Conversations[0].ID != routed {
			t.Errorf("got %d conversations, want only %d", len(page.Conversations), routed)
		}
		page, err = s.FindConversations(t.Context(), inbox.ConversationFilter{AdministrationID: []string{"forskola"}})
		if err != nil || len(page.Conversations) != 0 {
			t.Errorf("got %d conversations, %v; want none", len(page.Conversations), err)
		}
	})
}

// TestKnownPosts checks that a store notes a comment's post once: the
// next comment under it skips the write (seen here by deleting the row
// behind the store's back), a new store writes it again, and a
// transaction that rolled back teaches nothing.
func TestKnownPosts(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		s := NewStore(db)
		comment := func(mid, post string) inbox.Event {
			e := storetest.Event("psid_"+mid, mid, storetest.T0)
			e.Channel, e.PostExternalID = inbox.ChannelFacebookComment, post
			return e
		}
		noted := func(s *Store, post string) bool {
			t.Helper()
			_, err := s.FindPost(t.Context(), inbox.PlatformFacebook, post)
			if err != nil && inbox.ErrorCode(err) != inbox.ENOTFOUND {
				t.Fatalf("FindPost(%s): %v", post, err)
			}
			return err == nil
		}
		mustApply(t, s, comment("c1", "post_1"))
		if !noted(s, "post_1") {
			t.Fatal("first comment: post not noted")
		}
		if err := db.gorm.Exec("DELETE FROM posts").Error; err != nil {
			t.Fatal(err)
		}
		mustApply(t, s, comment("c2", "post_1"))
		if noted(s, "post_1") {
			t.Error("second comment under a post this store noted: written again, want skipped")
		}
		mustApply(t, NewStore(db), comment("c3", "post_1"))
		if !noted(s, "post_1") {
			t.Error("a new store: post not noted")
		}

		err := s.inTx(t.Context(), func(tx *gorm.DB) error {
			e := comment("c4", "post_2")
			if _, _, err := s.apply(tx, &e); err != nil {
				return err
			}
			return errors.New("roll back")
		})
		if err == nil || s.posts.has(postKey{platform: inbox.PlatformFacebook, id: "post_2"}) {
			t.Errorf("rolled back: got %v, remembered %v; want an error and post_2 not remembered", err, s.posts.has(postKey{platform: inbox.PlatformFacebook, id: "post_2"}))
		}
		mustApply(t, s, comment("c4", "post_2"))
		if !noted(s, "post_2") {
			t.Error("after a rollback: post not noted")
		}
	})
}

func TestKnownPostsBounded(t *testing.T) {
	var k knownPosts
	for i := range maxKnownPosts + 1 {
		k.add(postKey{platform: inbox.PlatformFacebook, id: strconv.Itoa(i)})
	}
	if len(k.m) != 1 || !k.has(postKey{platform: inbox.PlatformFacebook, id: strconv.Itoa(maxKnownPosts)}) {
		t.Errorf("after %d adds: %d remembered; want a fresh start with the last one", maxKnownPosts+1, len(k.m))
	}
}

// TestPretriageResult checks that the triage a new message brings is
// stored as the JSON of the triage with the message's id, whichever way
// the dialect stores it with the message (on PostgreSQL, in the message's
// insert).
func TestPretriageResult(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		db := openMigrated(t, url)
		s := NewStore(db)
		e := storetest.Event("psid_1", "m_pre", storetest.T0)
		e.Triage = &inbox.Triage{
			Administration: "kultur", Confidence: 0.8, Language: "sv", LanguageConfidence: 0.9,
			Tags: []string{"fråga"}, Priority: inbox.PriorityNormal,
			Sensitive:          []inbox.SensitiveSpan{{Kind: inbox.SensitivePersonalIdentityNumber, Start: 1, End: 14}},
			SuggestionsPending: true, TriagedAt: storetest.T0,
		}
		a := mustApply(t, s, e)
		if !a.Triaged || e.Triage.MessageID != a.MessageID {
			t.Fatalf("applied %+v, triage of message %d; want triaged, of message %d", a, e.Triage.MessageID, a.MessageID)
		}
		rows, want := storedTriages(t, db, e.Triage, a.MessageID)
		if len(rows) != 1 || rows[0].Result != want || rows[0].ConversationID != a.ConversationID ||
			rows[0].AdministrationID != "kultur" || rows[0].Priority != string(inbox.PriorityNormal) ||
			!rows[0].TriagedAt.Time().Equal(storetest.T0) {
			t.Fatalf("stored %+v\nwant result %s in conversation %d", rows, want, a.ConversationID)
		}
		again := mustApply(t, s, e)
		var n int64
		if err := db.gorm.Model(&triageRow{}).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if again.Created || n != 1 {
			t.Errorf("redelivered: created %v, %d triages; want not created, 1", again.Created, n)
		}
	})
}

// storedTriages returns the triages stored for message msgID, and the
// result stored for triage, the message's.
func storedTriages(t *testing.T, db *DB, triage *inbox.Triage, msgID int64) ([]triageRow, string) {
	t.Helper()
	want, err := json.Marshal(triage)
	if err != nil {
		t.Fatal(err)
	}
	var rows []triageRow
	if err := db.gorm.Where("message_id = ?", msgID).Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows, string(want)
}
