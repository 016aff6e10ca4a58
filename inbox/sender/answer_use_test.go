package sender_test

import (
	"slices"
	"testing"
	"time"

	"inkorg/answers"
	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// TestAnswerUseCountsSentReplies: a reply linking an answer-bank article
// that Meta refuses is no use of the article and teaches it nothing; one
// that goes out is a use once, its echo included, and its question
// becomes the article's training text.
func TestAnswerUseCountsSentReplies(t *testing.T) {
	for _, d := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", sqlstoretest.SQLite}, {"postgres", sqlstoretest.Postgres}} {
		t.Run(d.name, func(t *testing.T) {
			f := newFixtureOn(t, nil, d.open(t))
			ctx := t.Context()
			const url, text = "https://goteborg.se/sopor", "Se https://goteborg.se/sopor"
			if _, err := f.store.UpsertArticles(ctx, []*answers.Article{{Title: "Sophämtning", URL: url, Active: true}}); err != nil {
				t.Fatal(err)
			}
			rec := &answers.UseRecorder{Store: f.store}
			f.svc.ReplyHooks = append(f.svc.ReplyHooks, rec.ReplyHook)
			uses := func() (int, []string) {
				t.Helper()
				st, err := f.store.ArticleStats(ctx, answers.StatsFilter{MinScore: answers.DefaultMinScore, Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				qs, err := f.store.UsedQuestions(ctx)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, u := range st.MostUsed {
					if u.URL == url {
						n = u.Uses
					}
				}
				return n, qs[url]
			}

			refused := f.messenger(t, "psid-1", time.Hour)
			f.sandbox.FailNext(1, graph.Fault{Status: 400, Code: 551, Type: "OAuthException", Message: "(#551) This person isn't available right now."})
			if _, err := f.svc.Reply(ctx, f.anna, refused, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: text}); err != nil {
				t.Fatal(err)
			}
			f.deliver(t)
			if a := f.actionOf(t, refused); a.State != inbox.OutboundFailed {
				t.Fatalf("got action %s, want %s", a.State, inbox.OutboundFailed)
			}
			if n, qs := uses(); n != 0 || len(qs) != 0 {
				t.Errorf("after the refused reply: got %d uses, learnt %q; want none", n, qs)
			}

			sent := f.messenger(t, "psid-2", time.Hour)
			if _, err := f.svc.Reply(ctx, f.anna, sent, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: text}); err != nil {
				t.Fatal(err)
			}
			if errs := f.deliver(t); len(errs) != 0 {
				t.Fatal(errs)
			}
			a := f.actionOf(t, sent)
			if a.State != inbox.OutboundSent {
				t.Fatalf("got action %s, want %s", a.State, inbox.OutboundSent)
			}
			want := []string{"När töms soptunnan på Hisingen?"}
			if n, qs := uses(); n != 1 || !slices.Equal(qs, want) {
				t.Errorf("after the sent reply: got %d uses, learnt %q; want 1 and %q", n, qs, want)
			}
			// Meta echoes the reply; the echo hook records its links again.
			e := echo(a.PlatformID, "psid-2", text, a.Key)
			if err := rec.EventHook(ctx, e, f.apply(t, e)); err != nil {
				t.Fatal(err)
			}
			if n, _ := uses(); n != 1 {
				t.Errorf("after the echo: got %d uses, want 1", n)
			}
		})
	}
}
