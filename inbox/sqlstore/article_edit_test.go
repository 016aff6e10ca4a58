package sqlstore

import (
	"context"
	"testing"
	"time"

	"inkorg/answers"
	"inkorg/inbox"
)

func TestArticleEditing(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		url(t) // skips, or fails, once when the database is unavailable
		t.Run("AuditedChanges", func(t *testing.T) { testArticleChanges(t, NewStore(openMigrated(t, url))) })
		t.Run("ErrConflict", func(t *testing.T) { testArticleConflict(t, NewStore(openMigrated(t, url))) })
		t.Run("ErrChanged", func(t *testing.T) { testArticleChanged(t, NewStore(openMigrated(t, url))) })
		t.Run("Uses", func(t *testing.T) { testArticleUses(t, NewStore(openMigrated(t, url))) })
	})
}

func editor(t *testing.T, s *Store) *inbox.User {
	t.Helper()
	u := &inbox.User{Name: "redaktör", Role: inbox.RoleSupervisor}
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func version(t *testing.T, s *Store) int64 {
	t.Helper()
	v, err := s.Version(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func testArticleChanges(t *testing.T, s *Store) {
	ctx := context.Background()
	u := editor(t, s)
	v0 := version(t, s)
	a := &answers.Article{Title: "Bygglov", URL: "https://goteborg.se/bygglov", Language: "sv", Active: true}
	if err := s.CreateArticle(ctx, u.ID, a); err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || version(t, s) <= v0 {
		t.Fatalf("got id %d, version %d after %d, want an id and a higher version", a.ID, version(t, s), v0)
	}
	v1 := version(t, s)
	changed := *a
	changed.Title, changed.Active = "Bygglov och anmälan", false
	before, err := s.UpdateArticle(ctx, u.ID, &changed, answers.ActionArticleDeactivate)
	if err != nil {
		t.Fatal(err)
	}
	if before.Title != "Bygglov" || version(t, s) <= v1 {
		t.Fatalf("got before %q and version %d, want the old title and a version above %d", before.Title, version(t, s), v1)
	}
	if _, err := s.RemoveArticle(ctx, u.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	changes, err := s.FindArticleChanges(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{answers.ActionArticleCreate, answers.ActionArticleDeactivate, answers.ActionArticleDelete}
	if len(changes) != len(want) {
		t.Fatalf("got %d changes, want %d", len(changes), len(want))
	}
	for i, c := range changes {
		if c.Action != want[i] || c.ActorID != u.ID || c.CreatedAt.IsZero() {
			t.Errorf("change %d: got %s by %d at %v, want %s by %d", i, c.Action, c.ActorID, c.CreatedAt, want[i], u.ID)
		}
	}
	if changes[0].Before != nil || changes[0].After.Title != "Bygglov" {
		t.Errorf("got create before %+v after %+v, want none and the new article", changes[0].Before, changes[0].After)
	}
	if changes[1].After.Active || !changes[1].Before.Active {
		t.Errorf("got deactivation before %+v after %+v, want active then not", changes[1].Before, changes[1].After)
	}
	if changes[2].After != nil || changes[2].Before.Title != "Bygglov och anmälan" {
		t.Errorf("got delete before %+v after %+v, want the last state and none", changes[2].Before, changes[2].After)
	}
	if _, err := s.FindArticle(ctx, a.ID); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Fatalf("got %v, want %s after the delete", err, inbox.ENOTFOUND)
	}
}

func testArticleConflict(t *testing.T, s *Store) {
	ctx := context.Background()
	u := editor(t, s)
	a := &answers.Article{Title: "Bygglov", URL: "https://goteborg.se/bygglov", Active: true}
	if err := s.CreateArticle(ctx, u.ID, a); err != nil {
		t.Fatal(err)
	}
	err := s.CreateArticle(ctx, u.ID, &answers.Article{Title: "Igen", URL: a.URL})
	if inbox.ErrorCode(err) != inbox.ECONFLICT {
		t.Fatalf("got %v, want %s", err, inbox.ECONFLICT)
	}
}

// testArticleChanged updates an article from the version read: the first
// update applies, a second one from the same read is refused and changes
// nothing, and an update naming no version applies.
func testArticleChanged(t *testing.T, s *Store) {
	ctx := context.Background()
	u := editor(t, s)
	a := &answers.Article{Title: "Bygglov", URL: "https://goteborg.se/bygglov", Active: true}
	if err := s.CreateArticle(ctx, u.ID, a); err != nil {
		t.Fatal(err)
	}
	read, err := s.FindArticle(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	first, second := *read, *read
	first.Title, second.Active = "Bygglov och anmälan", false
	if _, err := s.UpdateArticle(ctx, u.ID, &first, answers.ActionArticleUpdate); err != nil {
		t.Fatalf("first update from the version read: %v", err)
	}
	_, err = s.UpdateArticle(ctx, u.ID, &second, answers.ActionArticleDeactivate)
	if inbox.ErrorCode(err) != inbox.ECONFLICT || inbox.ErrorMessage(err) != answers.ErrArticleChanged {
		t.Fatalf("second update from the same read: got %v, want %s %q", err, inbox.ECONFLICT, answers.ErrArticleChanged)
	}
	if got, _ := s.FindArticle(ctx, a.ID); got.Title != first.Title || !got.Active {
		t.Errorf("after the refused update: got %q active %v, want the first update's", got.Title, got.Active)
	}
	second.UpdatedAt = time.Time{}
	if _, err := s.UpdateArticle(ctx, u.ID, &second, answers.ActionArticleDeactivate); err != nil {
		t.Errorf("update naming no version: %v", err)
	}
}

func testArticleUses(t *testing.T, s *Store) {
	ctx := context.Background()
	if _, err := s.UpsertArticles(ctx, []*answers.Article{
		{Title: "Sophämtning", URL: "https://goteborg.se/sopor", Active: true},
		{Title: "Parkering", URL: "https://goteborg.se/parkering", Active: true},
	}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	in, err := s.ApplyEvent(ctx, inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: "page-1", ThreadKey: "psid-1", MessageExternalID: "mid-q", Direction: inbox.DirectionInbound,
		Contact: inbox.Actor{ExternalID: "psid-1"}, Author: inbox.Actor{ExternalID: "psid-1"},
		Text: "När töms kärlet i min gata?", OccurredAt: at,
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.ApplyEvent(ctx, inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: "page-1", ThreadKey: "psid-1", MessageExternalID: "mid-a", Direction: inbox.DirectionOutbound,
		Contact: inbox.Actor{ExternalID: "psid-1"}, Author: inbox.Actor{ExternalID: "page-1"},
		Text: "Se https://goteborg.se/sopor", OccurredAt: at.Add(time.Minute),
	})
	if err != nil {
		t.Fatal(err)
	}
	v0 := version(t, s)
	urls := answers.LinksIn("Se https://goteborg.se/sopor. Och https://example.com/x")
	for range 2 { // recording again changes nothing
		if _, err := s.RecordArticleUses(ctx, in.ConversationID, out.MessageID, urls); err != nil {
			t.Fatal(err)
		}
	}
	if version(t, s) != v0+1 {
		t.Errorf("got version %d, want %d: one new use", version(t, s), v0+1)
	}
	qs, err := s.UsedQuestions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := qs["https://goteborg.se/sopor"]; len(got) != 1 || got[0] != "När töms kärlet i min gata?" {
		t.Fatalf("got questions %v, want the citizen's question", qs)
	}
	// Triage found a weak link for the question.
	weak := &inbox.Triage{MessageID: in.MessageID, Administration: "kretslopp-och-vatten", Language: "sv", Priority: inbox.PriorityNormal,
		Suggestions: []inbox.LinkSuggestion{{URL: "https://goteborg.se/parkering", Title: "Parkering", Score: 0.1}}, TriagedAt: at}
	if err := s.SaveTriage(ctx, in.ConversationID, weak); err != nil {
		t.Fatal(err)
	}
	st, err := s.ArticleStats(ctx, answers.StatsFilter{MinScore: answers.DefaultMinScore, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.MostUsed) != 1 || st.MostUsed[0].URL != "https://goteborg.se/sopor" || st.MostUsed[0].Uses != 1 || st.MostUsed[0].Title != "Sophämtning" {
		t.Fatalf("got most used %+v, want Sophämtning once", st.MostUsed)
	}
	if len(st.Unanswered) != 1 || st.Unanswered[0].MessageID != in.MessageID || st.Unanswered[0].TopScore != 0.1 {
		t.Fatalf("got unanswered %+v, want the question with its weak top score", st.Unanswered)
	}
	st, err = s.ArticleStats(ctx, answers.StatsFilter{MinScore: 0.05, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Unanswered) != 0 {
		t.Fatalf("got unanswered %+v, want none above a lower bar", st.Unanswered)
	}
	// A triage whose links were never looked up is not a question
	// without an answer: it is unknown.
	weak.Suggestions, weak.SuggestionsPending = []inbox.LinkSuggestion{}, true
	if err := s.SaveTriage(ctx, in.ConversationID, weak); err != nil {
		t.Fatal(err)
	}
	if st, err = s.ArticleStats(ctx, answers.StatsFilter{MinScore: answers.DefaultMinScore, Limit: 10}); err != nil || len(st.Unanswered) != 0 {
		t.Fatalf("got unanswered %+v, %v; want the pending triage left out", st.Unanswered, err)
	}
}
