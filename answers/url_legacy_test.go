package answers_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"inkorg/answers"
	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// legacySopor is the waste article as a store written before URLs were
// canonical may hold it: as an editor typed it.
const legacySopor = "https://GOTEBORG.SE/sopor"

func legacyStore(t *testing.T) (*sqlstore.Store, *answers.Article) {
	t.Helper()
	st := sqlstore.NewStore(sqlstoretest.SQLite(t))
	// UpsertArticles stores what it is given; old imports did not
	// canonicalise.
	if _, err := st.UpsertArticles(context.Background(), []*answers.Article{{Title: "Sophämtning", URL: legacySopor, Active: true}}); err != nil {
		t.Fatal(err)
	}
	arts, err := st.ListArticles(context.Background())
	if err != nil || len(arts) != 1 {
		t.Fatalf("got %d articles, %v; want the legacy one", len(arts), err)
	}
	return st, arts[0]
}

// TestUseOfLegacyURL links a page whose stored URL is not canonical.
func TestUseOfLegacyURL(t *testing.T) {
	ctx := context.Background()
	st, _ := legacyStore(t)
	conv, reply := replyWithLink(t, st, "När töms kärlet?", "Se ”https://goteborg.se/sopor”.")
	(&answers.UseRecorder{Store: st}).ReplyHook(ctx, conv, reply)
	stats, err := st.ArticleStats(ctx, answers.StatsFilter{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(stats.MostUsed) != 1 || stats.MostUsed[0].URL != legacySopor || stats.MostUsed[0].Uses != 1 {
		t.Fatalf("got %+v, want one use of %s", stats.MostUsed, legacySopor)
	}
}

// TestEditorLegacyURL saves articles next to one stored before URLs were
// canonical.
func TestEditorLegacyURL(t *testing.T) {
	ctx := context.Background()
	admin := &inbox.User{Name: "admin", Role: inbox.RoleAdmin}
	t.Run("OK/Canonical", func(t *testing.T) {
		st, _ := legacyStore(t)
		ed := &answers.Editor{Store: st}
		a, err := ed.Create(ctx, admin, &answers.Article{Title: "Bygglov", URL: "HTTPS://GOTEBORG.SE:443/Bygglov/?utm_source=fb#steg", Active: true})
		if err != nil || a.URL != "https://goteborg.se/Bygglov/" {
			t.Fatalf("got %v, %v; want the article with its canonical URL", a, err)
		}
	})
	t.Run("OK/SaveMakesCanonical", func(t *testing.T) {
		st, old := legacyStore(t)
		conv, reply := replyWithLink(t, st, "Var tömmer jag min latrinkärra?", "Se https://goteborg.se/sopor")
		(&answers.UseRecorder{Store: st}).ReplyHook(ctx, conv, reply)
		old.Summary = "Tömning av kärl."
		a, err := (&answers.Editor{Store: st}).Update(ctx, admin, old)
		if err != nil || a.URL != "https://goteborg.se/sopor" {
			t.Fatalf("got %v, %v; want the article saved with its canonical URL", a, err)
		}
		arts, err := answers.ArticlesWithQuestions(ctx, st)
		if err != nil || len(arts) != 1 {
			t.Fatalf("got %d articles, %v; want 1", len(arts), err)
		}
		if want := []string{"Var tömmer jag min latrinkärra?"}; !slices.Equal(arts[0].Questions, want) {
			t.Errorf("got questions %q, want %q learnt under the old spelling", arts[0].Questions, want)
		}
	})
	t.Run("ErrSamePage", func(t *testing.T) {
		st, old := legacyStore(t)
		_, err := (&answers.Editor{Store: st}).Create(ctx, admin, &answers.Article{Title: "Sopor", URL: "https://goteborg.se/sopor", Active: true})
		if inbox.ErrorCode(err) != inbox.ECONFLICT {
			t.Fatalf("got %v, want ECONFLICT for a second article of the page", err)
		}
		if !says(inbox.ErrorMessage(err), fmt.Sprintf("Artikel %d länkar redan till den här sidan som %s;", old.ID, old.URL),
			fmt.Sprintf("Article %d already links this page as %s;", old.ID, old.URL)) {
			t.Errorf("got %q, want it to name article %d and %s in Swedish and English", inbox.ErrorMessage(err), old.ID, old.URL)
		}
		if arts, _ := st.ListArticles(ctx); len(arts) != 1 {
			t.Fatalf("got %d articles, want the legacy one alone", len(arts))
		}
	})
}
