package answers_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"inkorg/answers"
	"inkorg/answers/answerstest"
	"inkorg/answers/bleveindex"
	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// TestRefresher changes the stored bank behind a running index's back, as
// a command-line import or another instance does, and refreshes.
func TestRefresher(t *testing.T) {
	ctx := context.Background()
	st := sqlstore.NewStore(sqlstoretest.SQLite(t))
	an := answers.DefaultAnalyzer()
	x, err := bleveindex.NewMemory(an)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sopor := &answers.Article{Title: "Sophämtning", URL: "https://goteborg.se/sopor", Summary: "Tömning av kärl.", Active: true}
	if _, err := st.UpsertArticles(ctx, []*answers.Article{sopor}); err != nil {
		t.Fatal(err)
	}
	v, _ := st.Version(ctx)
	arts, _ := answers.ArticlesWithQuestions(ctx, st)
	if err := x.Index(ctx, arts...); err != nil {
		t.Fatal(err)
	}
	r := &answers.Refresher{Store: st, Search: x}
	r.Start(v, arts)
	refresh := func(t *testing.T, wantIndexed, wantDeleted int) {
		t.Helper()
		n, d, err := r.Refresh(ctx)
		if err != nil || n != wantIndexed || d != wantDeleted {
			t.Fatalf("got %d indexed, %d deleted, %v; want %d and %d", n, d, err, wantIndexed, wantDeleted)
		}
	}
	t.Run("Unchanged", func(t *testing.T) { refresh(t, 0, 0) })
	t.Run("Import", func(t *testing.T) {
		bib := &answers.Article{Title: "Bibliotekskort", URL: "https://goteborg.se/bibliotek", Active: true}
		if _, err := st.UpsertArticles(ctx, []*answers.Article{sopor, bib}); err != nil {
			t.Fatal(err)
		}
		refresh(t, 1, 0)
		if got := answerstest.SearchURLs(t, x, "bibliotekskort"); !slices.Equal(got, []string{bib.URL}) {
			t.Fatalf("got %v, want the imported article", got)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		if err := st.DeleteArticle(ctx, "https://goteborg.se/bibliotek"); err != nil {
			t.Fatal(err)
		}
		refresh(t, 0, 1)
		if got := answerstest.SearchURLs(t, x, "bibliotekskort"); len(got) != 0 {
			t.Fatalf("got %v, want the deleted article gone", got)
		}
	})
	t.Run("LearntQuestion", func(t *testing.T) {
		if got := answerstest.SearchURLs(t, x, "latrinkärra"); len(got) != 0 {
			t.Fatalf("got %v before any use, want nothing for a word no article has", got)
		}
		conv, reply := replyWithLink(t, st, "Var tömmer jag min latrinkärra?", "Läs här: https://goteborg.se/sopor")
		rec := &answers.UseRecorder{Store: st}
		rec.ReplyHook(ctx, conv, reply)
		refresh(t, 1, 0)
		if got := answerstest.SearchURLs(t, x, "latrinkärra"); !slices.Equal(got, []string{sopor.URL}) {
			t.Fatalf("got %v, want the article the agent answered the question with", got)
		}
	})
}

// replyWithLink stores a citizen question and an agent's reply to it.
func replyWithLink(t *testing.T, st *sqlstore.Store, question, reply string) (*inbox.Conversation, *inbox.Message) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	ev := inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: "page-1", ThreadKey: "psid-1", MessageExternalID: "mid-q", Direction: inbox.DirectionInbound,
		Contact: inbox.Actor{ExternalID: "psid-1"}, Author: inbox.Actor{ExternalID: "psid-1"}, Text: question, OccurredAt: at,
	}
	in, err := st.ApplyEvent(ctx, ev)
	if err != nil {
		t.Fatal(err)
	}
	ev.MessageExternalID, ev.Direction, ev.Text, ev.OccurredAt = "mid-r", inbox.DirectionOutbound, reply, at.Add(time.Minute)
	ev.Author = inbox.Actor{ExternalID: "page-1"}
	out, err := st.ApplyEvent(ctx, ev)
	if err != nil {
		t.Fatal(err)
	}
	conv, err := st.FindConversationByID(ctx, in.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	return conv, &inbox.Message{ID: out.MessageID, ConversationID: conv.ID, Direction: inbox.DirectionOutbound, Text: reply}
}

// TestEchoRecordsUse ingests an agent's reply as Meta echoes it back.
func TestEchoRecordsUse(t *testing.T) {
	ctx := context.Background()
	st := sqlstore.NewStore(sqlstoretest.SQLite(t))
	if _, err := st.UpsertArticles(ctx, []*answers.Article{{Title: "Sophämtning", URL: "https://goteborg.se/sopor", Active: true}}); err != nil {
		t.Fatal(err)
	}
	conv, reply := replyWithLink(t, st, "När töms kärlet?", "Se https://GOTEBORG.SE/sopor#tomning")
	rec := &answers.UseRecorder{Store: st}
	ev := inbox.Event{Kind: inbox.EventMessageCreated, Direction: inbox.DirectionOutbound, Text: reply.Text}
	if err := rec.EventHook(ctx, ev, inbox.Applied{ConversationID: conv.ID, MessageID: reply.ID, Created: true}); err != nil {
		t.Fatal(err)
	}
	ev.Direction = inbox.DirectionInbound // a citizen's link is no use of the bank
	if err := rec.EventHook(ctx, ev, inbox.Applied{ConversationID: conv.ID, MessageID: reply.ID - 1, Created: true}); err != nil {
		t.Fatal(err)
	}
	stats, err := st.ArticleStats(ctx, answers.StatsFilter{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(stats.MostUsed) != 1 || stats.MostUsed[0].Uses != 1 {
		t.Fatalf("got %+v, want one use of the article", stats.MostUsed)
	}
}
