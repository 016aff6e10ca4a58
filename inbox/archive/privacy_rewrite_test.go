package archive_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/archive"
	"inkorg/inbox/archive/recordtest"
)

// Nils replies in a public comment thread that retention pseudonymised
// already. The thread is reopened, resolved and archived again, and when
// retention next runs his message, his platform id and his contact go as
// they would in any other thread.
func TestRetentionAfterNewMessage(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		ctx := context.Background()
		archiveDay(t, s)
		if ids := runRetention(t, privacy(s), inbox.Pseudonymise, false); len(ids) != 2 {
			t.Fatalf("first run: got %v, want both", ids)
		}
		at := recordtest.T0.AddDate(0, 0, 10)
		s.Clock.Set(at)
		const nilsID, identity = "7301234567890077", "19850312-2395"
		if _, err := s.Store.ApplyEvent(ctx, threadReply("c_9", nilsID, "Nils Nilsson", "Mitt personnummer är "+identity, at)); err != nil {
			t.Fatal(err)
		}
		s.Clock.Set(at.Add(time.Hour))
		if _, err := inbox.NewService(s.Store, s.Clock.Now).SetStatus(ctx, s.Agent, s.Comment, inbox.StatusResolved); err != nil {
			t.Fatal(err)
		}
		day := at.Truncate(24 * time.Hour)
		s.Clock.Set(day.AddDate(0, 0, 1))
		if _, err := (&archive.Exporter{Store: s.Store}).Export(ctx, day, day.AddDate(0, 0, 1), t.TempDir(), false); err != nil {
			t.Fatal(err)
		}
		p := privacy(s)
		p.Now = func() time.Time { return at.AddDate(0, 2, 0) }
		if ids := runRetention(t, p, inbox.Pseudonymise, false); len(ids) != 1 || ids[0] != s.Comment {
			t.Fatalf("second run: got %v, want the comment thread %d again", ids, s.Comment)
		}
		for _, m := range record(t, s, s.Comment).Messages {
			if strings.Contains(m.Text, identity) || m.AuthorExternalID == nilsID || m.AuthorName != "" {
				t.Errorf("message %d: got text %q, author %q (%q); want Nils's personal data removed", m.ID, m.Text, m.AuthorExternalID, m.AuthorName)
			}
		}
		var names []string
		if err := s.DB.Gorm().Table("contacts").Where("external_id = ? OR name = ?", nilsID, "Nils Nilsson").Pluck("name", &names).Error; err != nil {
			t.Fatal(err)
		}
		if len(names) != 0 {
			t.Errorf("got %d contacts with Nils's platform id or name, want his contact pseudonymised", len(names))
		}
	})
}

// Routing records the question staff asked in the audit entries' work
// state before and after; retention removes it there as well as from the
// conversation.
func TestRetentionRouteQuestionInAudit(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		ctx := context.Background()
		svc := inbox.NewService(s.Store, s.Clock.Now)
		const question = "Anna Svensson 19811218-9876 undrar om bygglovet, ring 070-123 45 67"
		if _, err := svc.SetStatus(ctx, s.Agent, s.Private, inbox.StatusOpen); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Route(ctx, s.Agent, s.Private, "stadsbyggnad", question); err != nil {
			t.Fatal(err)
		}
		s.Clock.Set(s.Clock.Now().Add(time.Minute))
		if _, err := svc.SetStatus(ctx, s.Agent, s.Private, inbox.StatusResolved); err != nil {
			t.Fatal(err)
		}
		s.Clock.Set(s.Clock.Now().Add(time.Hour))
		archiveDay(t, s)
		if ids := runRetention(t, privacy(s), inbox.DeleteData, false); len(ids) != 2 {
			t.Fatalf("got %v, want both", ids)
		}
		rec := record(t, s, s.Private)
		if rec.Conversation.RouteQuestion != inbox.DeletedText {
			t.Errorf("got route question %q, want %q", rec.Conversation.RouteQuestion, inbox.DeletedText)
		}
		routed := 0
		for _, a := range rec.Audit {
			if strings.Contains(a.Detail, "19811218-9876") || strings.Contains(a.Detail, "Anna Svensson") {
				t.Errorf("audit entry %d (%s): got %s, want the route question removed", a.ID, a.Action, a.Detail)
			}
			if strings.Contains(a.Detail, `"route_question":"`+inbox.DeletedText+`"`) {
				routed++
			}
		}
		if routed < 2 {
			t.Errorf("got %d audit entries with the question replaced, want the routing and the resolving", routed)
		}
	})
}

// A Messenger reply's outbound action is sent to the citizen's platform
// id (PSID); pseudonymisation replaces it there too.
func TestPseudonymiseDirectMessageTarget(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		ctx := context.Background()
		if err := s.Store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: recordtest.PageID, Name: "Göteborgs Stad"}); err != nil {
			t.Fatal(err)
		}
		s.Clock.Set(recordtest.T0.Add(4 * time.Hour))
		svc := inbox.NewService(s.Store, s.Clock.Now)
		if _, err := svc.SetStatus(ctx, s.Agent, s.Private, inbox.StatusOpen); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Reply(ctx, s.Agent, s.Private, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Tack Anna!"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetStatus(ctx, s.Agent, s.Private, inbox.StatusResolved); err != nil {
			t.Fatal(err)
		}
		s.Clock.Set(recordtest.T0.Add(24 * time.Hour))
		archiveDay(t, s)
		runRetention(t, privacy(s), inbox.Pseudonymise, false)
		var targets []string
		if err := s.DB.Gorm().Table("outbound_actions").Where("conversation_id = ?", s.Private).Pluck("target_external_id", &targets).Error; err != nil {
			t.Fatal(err)
		}
		if len(targets) != 1 || !strings.HasPrefix(targets[0], "pseudonym:") {
			t.Errorf("got targets %q, want the reply's one target pseudonymised", targets)
		}
		if c := record(t, s, s.Private).Conversation; len(targets) == 1 && c.ThreadKey != targets[0] {
			t.Errorf("got target %q and thread %q, want the same pseudonym", targets[0], c.ThreadKey)
		}
	})
}

// Anna, who has her own Messenger thread, writes the latest comment in
// Erik's thread, which the thread shows as its preview. Erasing her
// removes her text there too.
func TestSubjectRemovalPreviewInOthersThread(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		ctx := context.Background()
		const text = "Anna här, ring 070-999 88 77"
		if _, err := s.Store.ApplyEvent(ctx, threadReply("c_anna", recordtest.CitizenID, "Anna Svensson", text, recordtest.T0.Add(30*time.Minute))); err != nil {
			t.Fatal(err)
		}
		if c, err := s.Store.FindConversationByID(ctx, s.Comment); err != nil || c.Preview != text {
			t.Fatalf("got %v, %v; want Erik's thread previewing Anna's comment", c, err)
		}
		archiveDay(t, s)
		if _, err := privacy(s).RemoveSubject(ctx, 0, s.PrivateContact, inbox.DeleteData, "Annas begäran"); err != nil {
			t.Fatal(err)
		}
		c, err := s.Store.FindConversationByID(ctx, s.Comment)
		if err != nil {
			t.Fatal(err)
		}
		if c.Preview != inbox.DeletedText {
			t.Errorf("got Erik's thread previewing %q, want %q", c.Preview, inbox.DeletedText)
		}
	})
}

// Staff write why they moderated a comment, and the reason may quote the
// citizen: retention removes it from the decision, the platform action
// and the audit trail as it does from notes.
func TestRetentionModerationReasons(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		ctx := context.Background()
		if err := s.Store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: recordtest.PageID, Name: "Göteborgs Stad"}); err != nil {
			t.Fatal(err)
		}
		s.Clock.Set(recordtest.T0.Add(4 * time.Hour))
		svc := inbox.NewService(s.Store, s.Clock.Now)
		const identity = "19811218-9876"
		if _, err := svc.SetStatus(ctx, s.Agent, s.Comment, inbox.StatusOpen); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ModerateComment(ctx, s.Agent, s.CommentMessage, inbox.CommentHide, "Visar personnummer "+identity); err != nil {
			t.Fatal(err)
		}
		mod := &inbox.Moderation{Store: s.Store, Service: svc}
		if _, err := mod.Decide(ctx, s.Agent, s.OtherMessage, inbox.DecisionKeep, inbox.ModerationOther, "Svarar på "+identity); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetStatus(ctx, s.Agent, s.Comment, inbox.StatusResolved); err != nil {
			t.Fatal(err)
		}
		s.Clock.Set(recordtest.T0.Add(24 * time.Hour))
		archiveDay(t, s)
		runRetention(t, privacy(s), inbox.Pseudonymise, false)
		db := s.DB.Gorm()
		for _, q := range []struct{ table, column string }{
			{"moderation_actions", "reason"}, {"outbound_actions", "reason"}, {"audit_entries", "detail"},
		} {
			var n int64
			if err := db.Table(q.table).Where("conversation_id = ? AND "+q.column+" LIKE ?", s.Comment, "%"+identity+"%").Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%s: got %d rows whose %s holds the identity number, want none", q.table, n, q.column)
			}
		}
		var reasons []string
		if err := db.Table("moderation_actions").Where("conversation_id = ?", s.Comment).Pluck("reason", &reasons).Error; err != nil {
			t.Fatal(err)
		}
		if len(reasons) != 1 || reasons[0] == "" {
			t.Errorf("got reasons %q, want the decision kept with its reason rewritten", reasons)
		}
	})
}
