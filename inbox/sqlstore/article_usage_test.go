package sqlstore

import (
	"slices"
	"strings"
	"testing"
	"time"

	"inkorg/answers"
	"inkorg/inbox"
	"inkorg/inbox/storetest"
)

const soporURL = "https://goteborg.se/sopor"

// soporReply is an agent's reply linking the waste article.
const soporReply = "Se " + soporURL

// useStore returns a store holding the waste article, and an agent.
func useStore(t *testing.T, url func(t *testing.T) string) (*Store, *inbox.User) {
	t.Helper()
	s := NewStore(openMigrated(t, url))
	if _, err := s.UpsertArticles(t.Context(), []*answers.Article{{Title: "Sophämtning", URL: soporURL, Active: true}}); err != nil {
		t.Fatal(err)
	}
	u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
	if err := s.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	return s, u
}

// ask stores a citizen's message in the Messenger thread psid.
func ask(t *testing.T, s *Store, psid, mid, text string, at time.Time) inbox.Applied {
	t.Helper()
	e := storetest.Event(psid, mid, at)
	e.Text = text
	return mustApply(t, s, e)
}

// queueSoporReply queues u's reply linking the waste article in the
// thread psid and records its link, as the reply hook does.
func queueSoporReply(t *testing.T, s *Store, u *inbox.User, conv int64, psid string) *inbox.QueuedOutbound {
	t.Helper()
	q := queueSopor(t, s, u, conv, psid)
	if _, err := s.RecordArticleUses(t.Context(), conv, q.Message.ID, []string{soporURL}); err != nil {
		t.Fatal(err)
	}
	return q
}

// queueSopor queues u's reply linking the waste article in the thread
// psid.
func queueSopor(t *testing.T, s *Store, u *inbox.User, conv int64, psid string) *inbox.QueuedOutbound {
	t.Helper()
	return queueDirectReply(t, s, conv, storetest.PageID, psid, "inkorg-"+psid, soporReply, u.ID, time.Now().UTC())
}

// queueDirectReply queues a reply named key, by the user actor (0 for
// none), in conversation conv's Messenger thread with thread on the Page
// account, as the web UI does at at.
func queueDirectReply(t *testing.T, s *Store, conv int64, account, thread, key, text string, actor int64, at time.Time) *inbox.QueuedOutbound {
	t.Helper()
	q := &inbox.QueuedOutbound{
		Action: &inbox.OutboundAction{Key: key, Kind: inbox.OutboundDirectMessage, ConversationID: conv,
			TargetExternalID: thread, AccountExternalID: account, Platform: inbox.PlatformFacebook,
			Text: text, ActorID: actor, NextAttemptAt: &at},
		Message: &inbox.Message{ConversationID: conv, Platform: inbox.PlatformFacebook, ExternalID: key,
			Direction: inbox.DirectionOutbound, AuthorExternalID: account, Text: text, SentAt: at},
		Work: &inbox.Work{Audit: &inbox.AuditEntry{ActorID: actor, Action: inbox.ActionReply, ConversationID: conv, Detail: "{}"}},
	}
	if err := s.QueueOutbound(t.Context(), q); err != nil {
		t.Fatalf("QueueOutbound: %v", err)
	}
	return q
}

// moveReply moves the reply's action from one state to another.
func moveReply(t *testing.T, s *Store, q *inbox.QueuedOutbound, from, to inbox.OutboundState, platformID string) {
	t.Helper()
	u := inbox.OutboundUpdate{ID: q.Action.ID, From: []inbox.OutboundState{from}, State: to, PlatformID: platformID}
	if _, err := s.UpdateOutbound(t.Context(), u); err != nil {
		t.Fatalf("move %s → %s: %v", from, to, err)
	}
}

// soporEcho is the reply in thread psid as Meta echoes it (with the
// idempotency key as metadata) or as the reconciliation poll reads it
// (without).
func soporEcho(psid, mid, metadata string) inbox.Event {
	return inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: storetest.PageID, ThreadKey: psid, MessageExternalID: mid, Direction: inbox.DirectionOutbound,
		Contact: inbox.Actor{ExternalID: psid}, Author: inbox.Actor{ExternalID: storetest.PageID}, Text: soporReply,
		Metadata: metadata, SentOutsideInkorg: true, OccurredAt: time.Now().UTC(),
	}
}

// soporUses returns how often the statistics count the waste article.
func soporUses(t *testing.T, s *Store) int {
	t.Helper()
	st, err := s.ArticleStats(t.Context(), answers.StatsFilter{MinScore: answers.DefaultMinScore, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range st.MostUsed {
		if u.URL == soporURL {
			return u.Uses
		}
	}
	return 0
}

// learnt returns the questions the waste article learnt.
func learnt(t *testing.T, s *Store) []string {
	t.Helper()
	qs, err := s.UsedQuestions(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return qs[soporURL]
}

// TestArticleUsesWentOut: a reply linking an article is a use, and its
// question the article's training text, once the reply has gone out: not
// while it is queued or sending, not after it failed or while its sending
// is unknown, and once only however it is found sent.
func TestArticleUsesWentOut(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		url(t) // skips, or fails, once when the database is unavailable
		t.Run("FailedNot", func(t *testing.T) {
			s, u := useStore(t, url)
			conv := ask(t, s, "psid_1", "m_1", "När töms kärlet på Hisingen?", storetest.T0).ConversationID
			q := queueSoporReply(t, s, u, conv, "psid_1")
			if n, l := soporUses(t, s), learnt(t, s); n != 0 || len(l) != 0 {
				t.Errorf("queued: got %d uses, learnt %q; want none", n, l)
			}
			moveReply(t, s, q, inbox.OutboundQueued, inbox.OutboundSending, "")
			moveReply(t, s, q, inbox.OutboundSending, inbox.OutboundFailed, "")
			if n, l := soporUses(t, s), learnt(t, s); n != 0 || len(l) != 0 {
				t.Errorf("failed: got %d uses, learnt %q; want none", n, l)
			}
		})
		t.Run("SentOnce", func(t *testing.T) {
			s, u := useStore(t, url)
			conv := ask(t, s, "psid_1", "m_1", "När töms kärlet på Hisingen?", storetest.T0).ConversationID
			q := queueSoporReply(t, s, u, conv, "psid_1")
			moveReply(t, s, q, inbox.OutboundQueued, inbox.OutboundSending, "")
			v := version(t, s)
			moveReply(t, s, q, inbox.OutboundSending, inbox.OutboundSent, "m_sent_1")
			if n, l := soporUses(t, s), learnt(t, s); n != 1 || !slices.Equal(l, []string{"När töms kärlet på Hisingen?"}) {
				t.Errorf("sent: got %d uses, learnt %q; want 1 and the question", n, l)
			}
			if got := version(t, s); got <= v {
				t.Errorf("sent: got answer bank version %d, want above %d so running servers learn the question", got, v)
			}
			// Meta's echo of the reply comes in, and the echo hook records
			// its links again.
			a := mustApply(t, s, soporEcho("psid_1", "m_sent_1", q.Action.Key))
			if _, err := s.RecordArticleUses(t.Context(), a.ConversationID, a.MessageID, []string{soporURL}); err != nil {
				t.Fatal(err)
			}
			if n := soporUses(t, s); n != 1 || a.MessageID != q.Message.ID {
				t.Errorf("after the echo: got %d uses on message %d, want 1 on the reply %d", n, a.MessageID, q.Message.ID)
			}
		})
		t.Run("UnknownThenFound", func(t *testing.T) {
			s, u := useStore(t, url)
			conv := ask(t, s, "psid_1", "m_1", "När töms kärlet på Hisingen?", storetest.T0).ConversationID
			q := queueSoporReply(t, s, u, conv, "psid_1")
			moveReply(t, s, q, inbox.OutboundQueued, inbox.OutboundSending, "")
			moveReply(t, s, q, inbox.OutboundSending, inbox.OutboundNeedsCheck, "")
			if n, l := soporUses(t, s), learnt(t, s); n != 0 || len(l) != 0 {
				t.Errorf("unknown: got %d uses, learnt %q; want none", n, l)
			}
			v := version(t, s)
			// The reconciliation poll finds the reply in the thread.
			mustApply(t, s, soporEcho("psid_1", "m_polled_1", ""))
			if n, l := soporUses(t, s), learnt(t, s); n != 1 || len(l) != 1 {
				t.Errorf("found sent: got %d uses, learnt %q; want 1 and the question", n, l)
			}
			if got := version(t, s); got <= v {
				t.Errorf("found sent: got answer bank version %d, want above %d", got, v)
			}
		})
		t.Run("RecordedAfterSent", func(t *testing.T) {
			s, u := useStore(t, url)
			conv := ask(t, s, "psid_1", "m_1", "När töms kärlet på Hisingen?", storetest.T0).ConversationID
			q := queueSoporReply(t, s, u, conv, "psid_1")
			moveReply(t, s, q, inbox.OutboundQueued, inbox.OutboundSending, "")
			moveReply(t, s, q, inbox.OutboundSending, inbox.OutboundSent, "m_sent_1")
			// A link recorded once the reply is out bumps the version
			// itself: nothing else will.
			v := version(t, s)
			if _, err := s.RecordArticleUses(t.Context(), conv, q.Message.ID, []string{soporURL}); err != nil {
				t.Fatal(err)
			}
			if got := version(t, s); got != v {
				t.Errorf("nothing new: got version %d, want %d", got, v)
			}
			if _, err := s.UpsertArticles(t.Context(), []*answers.Article{{Title: "Grovsopor", URL: "https://goteborg.se/grovsopor", Active: true}}); err != nil {
				t.Fatal(err)
			}
			v = version(t, s)
			if _, err := s.RecordArticleUses(t.Context(), conv, q.Message.ID, []string{"https://goteborg.se/grovsopor"}); err != nil {
				t.Fatal(err)
			}
			if got := version(t, s); got != v+1 {
				t.Errorf("a new use of a sent reply: got version %d, want %d", got, v+1)
			}
		})
	})
}

// TestPostgresUseRecordedWhileSent records a reply's link while another
// transaction marks the reply sent and has not committed: the recording
// waits for it and, seeing the reply out, bumps the answer bank's
// version, so running servers learn the question (the sending saw no
// link to bump for).
func TestPostgresUseRecordedWhileSent(t *testing.T) {
	s, u := useStore(t, postgresURL)
	ctx := t.Context()
	conv := ask(t, s, "psid_1", "m_1", "När töms kärlet på Hisingen?", storetest.T0).ConversationID
	q := queueSopor(t, s, u, conv, "psid_1")
	moveReply(t, s, q, inbox.OutboundQueued, inbox.OutboundSending, "")
	sending := s.db.gorm.WithContext(ctx).Begin()
	defer sending.Rollback()
	var m messageRow
	if err := sending.Where("id = ?", q.Message.ID).Take(&m).Error; err != nil {
		t.Fatal(err)
	}
	if err := publishMessage(sending, s, &m, "m_sent_1", s.now(), s.now()); err != nil {
		t.Fatal(err)
	}
	v := version(t, s)
	done := make(chan error, 1)
	go func() {
		_, err := s.RecordArticleUses(ctx, conv, q.Message.ID, []string{soporURL})
		done <- err
	}()
	waitBlocked(t, s.db, done, "recording the reply's link", anyLockWaitSQL)
	if err := sending.Commit().Error; err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := version(t, s); got <= v {
		t.Errorf("got answer bank version %d, want above %d", got, v)
	}
	if l := learnt(t, s); len(l) != 1 {
		t.Errorf("got learnt %q, want the question", l)
	}
}

// TestArticleQuestionsLeaveOutRemoved: a message its author unsent or
// deleted, and a text rewritten by retention or a data-subject request,
// is neither a question without a good answer nor an article's training
// text; a reply answering it still counts as a use.
func TestArticleQuestionsLeaveOutRemoved(t *testing.T) {
	const (
		question = "När töms kärlet på Hisingen?"
		secret   = "Mitt personnummer är 19800101-1234, hjälp"
	)
	// weakTriage saves a triage of the message whose best link is weak.
	weakTriage := func(t *testing.T, s *Store, a inbox.Applied) {
		t.Helper()
		tr := &inbox.Triage{MessageID: a.MessageID, Administration: "kretslopp-och-vatten", Language: "sv", Priority: inbox.PriorityNormal,
			Suggestions: []inbox.LinkSuggestion{{URL: soporURL, Title: "Sophämtning", Score: 0.1}}, TriagedAt: storetest.T0}
		if err := s.SaveTriage(t.Context(), a.ConversationID, tr); err != nil {
			t.Fatal(err)
		}
	}
	unanswered := func(t *testing.T, s *Store) []string {
		t.Helper()
		st, err := s.ArticleStats(t.Context(), answers.StatsFilter{MinScore: answers.DefaultMinScore, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, q := range st.Unanswered {
			out = append(out, q.Text)
		}
		return out
	}
	// answered asks secret in thread psid, triages it and answers it with
	// a sent reply linking the waste article.
	answered := func(t *testing.T, s *Store, u *inbox.User, psid string) inbox.Applied {
		t.Helper()
		a := ask(t, s, psid, "m_"+psid, secret, storetest.T0)
		weakTriage(t, s, a)
		q := queueSoporReply(t, s, u, a.ConversationID, psid)
		moveReply(t, s, q, inbox.OutboundQueued, inbox.OutboundSending, "")
		moveReply(t, s, q, inbox.OutboundSending, inbox.OutboundSent, "m_sent_"+psid)
		return a
	}
	scrub := func(s string) string { return strings.ReplaceAll(s, "19800101-1234", "[personnummer]") }
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		url(t)
		t.Run("Unsent", func(t *testing.T) {
			s, u := useStore(t, url)
			first := ask(t, s, "psid_1", "m_1", question, storetest.T0)
			weakTriage(t, s, first)
			second := ask(t, s, "psid_1", "m_2", secret, storetest.T0.Add(time.Minute))
			weakTriage(t, s, second)
			mustApply(t, s, storetest.Change(inbox.EventMessageDeleted, "m_2", storetest.T0.Add(2*time.Minute)))
			q := queueSoporReply(t, s, u, first.ConversationID, "psid_1")
			moveReply(t, s, q, inbox.OutboundQueued, inbox.OutboundSending, "")
			moveReply(t, s, q, inbox.OutboundSending, inbox.OutboundSent, "m_sent_1")
			if got := unanswered(t, s); !slices.Equal(got, []string{question}) {
				t.Errorf("got unanswered %q, want only the question still shown", got)
			}
			if got := learnt(t, s); !slices.Equal(got, []string{question}) {
				t.Errorf("got learnt %q, want the question the agent saw, not the unsent one", got)
			}
		})
		for _, action := range []inbox.PersonalDataAction{inbox.Pseudonymise, inbox.DeleteData} {
			t.Run("Conversation"+string(action), func(t *testing.T) {
				s, u := useStore(t, url)
				a := answered(t, s, u, "psid_1")
				if got, l := unanswered(t, s), learnt(t, s); !slices.Equal(got, []string{secret}) || !slices.Equal(l, []string{secret}) {
					t.Fatalf("before the removal: got unanswered %q, learnt %q; want the question in both", got, l)
				}
				archiveClosed(t, s, a.ConversationID)
				err := s.RemovePersonalData(t.Context(), &inbox.Removal{Action: action, ConversationIDs: []int64{a.ConversationID},
					Scrub: scrub, Audit: inbox.AuditEntry{Action: inbox.ActionSubjectRemoval}})
				if err != nil {
					t.Fatal(err)
				}
				if got, l := unanswered(t, s), learnt(t, s); len(got) != 0 || len(l) != 0 {
					t.Errorf("after the removal: got unanswered %q, learnt %q; want neither", got, l)
				}
				if n := soporUses(t, s); n != 1 {
					t.Errorf("got %d uses, want the statistic kept: 1", n)
				}
			})
		}
		t.Run("Author", func(t *testing.T) {
			s, u := useStore(t, url)
			a := answered(t, s, u, "psid_1")
			archiveClosed(t, s, a.ConversationID)
			contacts, err := s.FindContactsByExternalID(t.Context(), "psid_1")
			if err != nil || len(contacts) != 1 {
				t.Fatalf("FindContactsByExternalID: %v, %v", contacts, err)
			}
			// Only the author's own texts and ids, wherever they wrote:
			// the conversation keeps its state.
			err = s.RemovePersonalData(t.Context(), &inbox.Removal{Action: inbox.Pseudonymise, Contact: contacts[0],
				Scrub: scrub, Audit: inbox.AuditEntry{Action: inbox.ActionSubjectRemoval}})
			if err != nil {
				t.Fatal(err)
			}
			if got, l := unanswered(t, s), learnt(t, s); len(got) != 0 || len(l) != 0 {
				t.Errorf("after the removal: got unanswered %q, learnt %q; want neither", got, l)
			}
		})
	})
}

// TestArticleUsesMoveWithURL: an editor who changes an article's URL (its
// page moved) keeps its uses and the questions learnt from them, instead
// of leaving them to an untitled article that no longer exists.
func TestArticleUsesMoveWithURL(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		s, u := useStore(t, url)
		conv := ask(t, s, "psid_1", "m_1", "När töms kärlet på Hisingen?", storetest.T0).ConversationID
		q := queueSoporReply(t, s, u, conv, "psid_1")
		moveReply(t, s, q, inbox.OutboundQueued, inbox.OutboundSending, "")
		moveReply(t, s, q, inbox.OutboundSending, inbox.OutboundSent, "m_sent_1")
		arts, err := s.ListArticles(t.Context())
		if err != nil || len(arts) != 1 {
			t.Fatalf("articles: got %d, %v", len(arts), err)
		}
		moved := *arts[0]
		moved.URL = soporURL + "/hamtning"
		if _, err := s.UpdateArticle(t.Context(), u.ID, &moved, answers.ActionArticleUpdate); err != nil {
			t.Fatal(err)
		}
		st, err := s.ArticleStats(t.Context(), answers.StatsFilter{MinScore: answers.DefaultMinScore, Limit: 10})
		if err != nil || len(st.MostUsed) != 1 || st.MostUsed[0].URL != moved.URL || st.MostUsed[0].Title != "Sophämtning" || st.MostUsed[0].Uses != 1 {
			t.Errorf("most used: got %+v, %v; want one use of the article at its new URL", st.MostUsed, err)
		}
		qs, err := s.UsedQuestions(t.Context())
		if err != nil || !slices.Equal(qs[moved.URL], []string{"När töms kärlet på Hisingen?"}) || len(qs[soporURL]) != 0 {
			t.Errorf("learnt questions: got %q, %v; want the question under the new URL only", qs, err)
		}
	})
}
