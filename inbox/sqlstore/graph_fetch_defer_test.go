package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
)

// TestDeferPostFetch puts a post off without counting a try, and leaves a
// post given up as it is.
func TestDeferPostFetch(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		ctx := t.Context()
		s := NewStore(openMigrated(t, url))
		now := time.Now().UTC().Truncate(time.Second)
		for _, id := range []string{"1_1", "1_2"} {
			if err := s.NotePost(ctx, inbox.PlatformFacebook, id, "1", ""); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.PostFetchFailed(ctx, inbox.PlatformFacebook, "1_2", "invalid_request", time.Time{}); err != nil {
			t.Fatal(err)
		}
		for range inbox.MaxPostFetchAttempts + 1 {
			if err := s.DeferPostFetch(ctx, inbox.PlatformFacebook, "1_1", now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.DeferPostFetch(ctx, inbox.PlatformFacebook, "1_2", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if due, err := s.FindPostsToFetch(ctx, now.Add(time.Minute), 10); err != nil || len(due) != 0 {
			t.Fatalf("due before the deferred time: %+v, %v; want none", due, err)
		}
		due, err := s.FindPostsToFetch(ctx, now.Add(2*time.Hour), 10)
		if err != nil || len(due) != 1 || due[0].ExternalID != "1_1" || due[0].Attempts != 0 {
			t.Fatalf("due after the deferred time: %+v, %v; want 1_1 with no try spent", due, err)
		}
		if p, err := s.FindPost(ctx, inbox.PlatformFacebook, "1_2"); err != nil || !p.Unavailable {
			t.Errorf("given-up post after a deferral: %+v, %v; want it still unavailable", p, err)
		}
		if err := s.DeferPostFetch(ctx, inbox.PlatformFacebook, "1_1", time.Time{}); inbox.ErrorCode(err) != inbox.EINVALID {
			t.Errorf("deferral without a time: got %v, want EINVALID", err)
		}
	})
}

// TestDeferProfileFetch puts a contact's name off without counting a try.
func TestDeferProfileFetch(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		ctx := t.Context()
		s := NewStore(openMigrated(t, url))
		now := time.Now().UTC().Truncate(time.Second)
		e := inbox.Event{Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
			AccountExternalID: "1", ThreadKey: "psid-1", MessageExternalID: "m_1", Direction: inbox.DirectionInbound,
			Contact: inbox.Actor{ExternalID: "psid-1"}, Author: inbox.Actor{ExternalID: "psid-1"}, Text: "Hej", OccurredAt: now}
		if _, err := s.ApplyEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
		due, err := s.FindProfilesToFetch(ctx, now, 10)
		if err != nil || len(due) != 1 {
			t.Fatalf("due: %+v, %v; want one contact", due, err)
		}
		for range inbox.MaxProfileFetchAttempts + 1 {
			if err := s.DeferProfileFetch(ctx, due[0].ContactID, now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := s.FindProfilesToFetch(ctx, now.Add(time.Minute), 10); err != nil || len(got) != 0 {
			t.Fatalf("due before the deferred time: %+v, %v; want none", got, err)
		}
		got, err := s.FindProfilesToFetch(ctx, now.Add(2*time.Hour), 10)
		if err != nil || len(got) != 1 || got[0].Attempts != 0 {
			t.Fatalf("due after the deferred time: %+v, %v; want the contact with no try spent", got, err)
		}
	})
}
