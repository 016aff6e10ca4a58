package storetest

import (
	"testing"
	"time"

	"inkorg/inbox"
)

func runPosts(t *testing.T, open opener) {
	t.Run("OKNotedByComment", func(t *testing.T) {
		// A new comment notes its post in its own transaction; a
		// message that is not a comment, and the post's own event, do not.
		s := open(t)
		c := Event("post_9_c1", "c1", T0)
		c.Channel, c.PostExternalID, c.PostType = inbox.ChannelFacebookComment, "post_9", "photo"
		apply(t, s, c)
		p, err := s.FindPost(ctx(t), inbox.PlatformFacebook, "post_9")
		if err != nil || p.Fetched || p.MediaType != "photo" || p.AccountExternalID != PageID {
			t.Fatalf("post of a comment: got %+v, %v; want it noted, not fetched", p, err)
		}
		dm := Event("psid_post", "dm1", T0)
		dm.PostExternalID = "post_10"
		apply(t, s, dm)
		own := Event("post_11", "post_11", T0)
		own.Channel, own.PostExternalID = inbox.ChannelFacebookComment, "post_11"
		apply(t, s, own)
		for _, id := range []string{"post_10", "post_11"} {
			_, err := s.FindPost(ctx(t), inbox.PlatformFacebook, id)
			wantCode(t, err, inbox.ENOTFOUND)
		}
	})
	t.Run("OKNotedThenFetched", func(t *testing.T) {
		s := open(t)
		mustOK(t, s.NotePost(ctx(t), inbox.PlatformInstagram, "media-1", InstagramID, "REELS"))
		p, err := s.FindPost(ctx(t), inbox.PlatformInstagram, "media-1")
		if err != nil || p.Fetched || p.Unavailable || p.FetchedAt != nil || p.Text != "" || p.MediaType != "REELS" || p.AccountExternalID != InstagramID {
			t.Fatalf("noted post: got %+v, %v; want not fetched, REELS of %s", p, err, InstagramID)
		}
		due, err := s.FindPostsToFetch(ctx(t), time.Now().Add(time.Second), 10)
		if err != nil || len(due) != 1 || due[0].ExternalID != "media-1" || due[0].Attempts != 0 {
			t.Fatalf("due: got %+v, %v; want media-1", due, err)
		}
		// Noting it again (another comment on it) changes nothing.
		mustOK(t, s.NotePost(ctx(t), inbox.PlatformInstagram, "media-1", InstagramID, ""))
		fetched, posted := T0.Add(time.Hour), T0.Add(-24*time.Hour)
		mustOK(t, s.SavePost(ctx(t), &inbox.Post{Platform: inbox.PlatformInstagram, ExternalID: "media-1", AccountExternalID: InstagramID,
			Text: "Höstlov i Göteborg – vad gör ni? 🍂", Permalink: "https://www.instagram.com/p/C1/", MediaType: "REELS",
			PostedAt: &posted, FetchedAt: &fetched}))
		p, err = s.FindPost(ctx(t), inbox.PlatformInstagram, "media-1")
		if err != nil || !p.Fetched || !p.FetchedAt.Equal(fetched) || !p.PostedAt.Equal(posted) ||
			p.Text != "Höstlov i Göteborg – vad gör ni? 🍂" || p.Permalink != "https://www.instagram.com/p/C1/" {
			t.Fatalf("fetched post: got %+v, %v", p, err)
		}
		if due, err := s.FindPostsToFetch(ctx(t), time.Now().Add(time.Hour), 10); err != nil || len(due) != 0 {
			t.Errorf("due after fetch: got %+v, %v; want none", due, err)
		}
		// A later note does not undo the fetch.
		mustOK(t, s.NotePost(ctx(t), inbox.PlatformInstagram, "media-1", InstagramID, ""))
		if p, _ := s.FindPost(ctx(t), inbox.PlatformInstagram, "media-1"); !p.Fetched {
			t.Error("noting a fetched post made it unfetched")
		}
	})
	t.Run("OKFailuresGiveUp", func(t *testing.T) {
		s := open(t)
		mustOK(t, s.NotePost(ctx(t), inbox.PlatformFacebook, "page_1", PageID, ""))
		now := time.Now()
		for i := 1; i < inbox.MaxPostFetchAttempts; i++ {
			mustOK(t, s.PostFetchFailed(ctx(t), inbox.PlatformFacebook, "page_1", "transient", now.Add(time.Minute)))
			if due, _ := s.FindPostsToFetch(ctx(t), now, 10); len(due) != 0 {
				t.Fatalf("attempt %d: due before the retry time: %+v", i, due)
			}
			due, err := s.FindPostsToFetch(ctx(t), now.Add(2*time.Minute), 10)
			if err != nil || len(due) != 1 || due[0].Attempts != i {
				t.Fatalf("attempt %d: got %+v, %v; want it due with %d attempts", i, due, err, i)
			}
		}
		mustOK(t, s.PostFetchFailed(ctx(t), inbox.PlatformFacebook, "page_1", "transient", now.Add(time.Minute)))
		if due, _ := s.FindPostsToFetch(ctx(t), now.Add(time.Hour), 10); len(due) != 0 {
			t.Errorf("after %d attempts: still due %+v", inbox.MaxPostFetchAttempts, due)
		}
		mustOK(t, s.NotePost(ctx(t), inbox.PlatformFacebook, "page_2", PageID, ""))
		mustOK(t, s.PostFetchFailed(ctx(t), inbox.PlatformFacebook, "page_2", "invalid_request", time.Time{}))
		if due, _ := s.FindPostsToFetch(ctx(t), now.Add(time.Hour), 10); len(due) != 0 {
			t.Errorf("given up at once: still due %+v", due)
		}
		for _, id := range []string{"page_1", "page_2"} {
			if p, err := s.FindPost(ctx(t), inbox.PlatformFacebook, id); err != nil || p.Fetched || !p.Unavailable {
				t.Errorf("%s: got %+v, %v; want unavailable", id, p, err)
			}
		}
	})
	t.Run("ErrPost", func(t *testing.T) {
		s := open(t)
		_, err := s.FindPost(ctx(t), inbox.PlatformFacebook, "none")
		wantCode(t, err, inbox.ENOTFOUND)
		wantCode(t, s.NotePost(ctx(t), inbox.PlatformFacebook, " ", PageID, ""), inbox.EINVALID)
		wantCode(t, s.SavePost(ctx(t), &inbox.Post{Platform: "myspace", ExternalID: "1"}), inbox.EINVALID)
	})
	t.Run("OKPublishedEvent", func(t *testing.T) {
		s := open(t)
		e := inbox.Event{Kind: inbox.EventPostPublished, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
			AccountExternalID: PageID, PostExternalID: PageID + "_7", PostType: "status", Author: inbox.Actor{ExternalID: PageID},
			Text: "Välkommen till Kulturkalaset!", OccurredAt: T0}
		for i := range 2 { // a redelivery changes nothing
			a, err := s.ApplyEvent(ctx(t), e)
			if err != nil || a.ConversationID != 0 || a.MessageID != 0 || a.Created != (i == 0) {
				t.Fatalf("delivery %d: got %+v, %v; want no conversation or message, created the first time only", i+1, a, err)
			}
		}
		p, err := s.FindPost(ctx(t), inbox.PlatformFacebook, PageID+"_7")
		if err != nil || !p.Fetched || p.Text != e.Text || p.MediaType != "status" || !p.PostedAt.Equal(T0) {
			t.Errorf("got %+v, %v; want the published text", p, err)
		}
		e.PostExternalID = " "
		_, err = s.ApplyEvent(ctx(t), e)
		wantCode(t, err, inbox.EINVALID)
		page, err := s.FindConversations(ctx(t), inbox.ConversationFilter{})
		if err != nil || len(page.Conversations) != 0 {
			t.Errorf("got %d conversations, %v; want none", len(page.Conversations), err)
		}
	})
	t.Run("OKPublishedOutOfOrder", func(t *testing.T) {
		// Meta redelivers and reorders: the post's text is the latest
		// known, its time the earliest, whatever the order of arrival.
		s := open(t)
		id := PageID + "_8"
		published := func(text string, at time.Time) {
			t.Helper()
			e := inbox.Event{Kind: inbox.EventPostPublished, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
				AccountExternalID: PageID, PostExternalID: id, Author: inbox.Actor{ExternalID: PageID}, Text: text, OccurredAt: at}
			if _, err := s.ApplyEvent(ctx(t), e); err != nil {
				t.Fatal(err)
			}
		}
		want := func(step, text, permalink string) {
			t.Helper()
			p, err := s.FindPost(ctx(t), inbox.PlatformFacebook, id)
			if err != nil || p.Text != text || p.Permalink != permalink || p.PostedAt == nil || !p.PostedAt.Equal(T0) {
				t.Errorf("%s: got %+v, %v; want %q, permalink %q, posted at T0", step, p, err, text, permalink)
			}
		}
		published("Kulturkalaset börjar i morgon!", T0.Add(time.Hour)) // edited
		published("Kulturkalaset börjar i morgon", T0)                 // its add, late
		want("add after edit", "Kulturkalaset börjar i morgon!", "")
		fetched := T0.Add(2 * time.Hour)
		mustOK(t, s.SavePost(ctx(t), &inbox.Post{Platform: inbox.PlatformFacebook, ExternalID: id, AccountExternalID: PageID,
			Text: "Kulturkalaset börjar på onsdag!", Permalink: "https://www.facebook.com/8", PostedAt: &T0, FetchedAt: &fetched}))
		published("Kulturkalaset börjar i morgon!", T0.Add(time.Hour)) // the edit again
		want("edit redelivered after fetch", "Kulturkalaset börjar på onsdag!", "https://www.facebook.com/8")
		published("Kulturkalaset är inställt.", T0.Add(3*time.Hour))
		want("later edit", "Kulturkalaset är inställt.", "https://www.facebook.com/8")
	})
	t.Run("OKHook", func(t *testing.T) {
		s := open(t)
		at := T0.Add(time.Minute)
		hook := inbox.PostHook(s, func() time.Time { return at })
		run := func(e inbox.Event) {
			t.Helper()
			mustOK(t, hook(ctx(t), e, apply(t, s, e)))
		}
		visitor := inbox.Event{Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
			Direction: inbox.DirectionInbound, AccountExternalID: PageID, ThreadKey: "page_post_9", PostExternalID: "page_post_9",
			MessageExternalID: "page_post_9", Contact: inbox.Actor{ExternalID: "7831"}, Author: inbox.Actor{ExternalID: "7831"},
			Text: "Varför är det så mycket grus på cykelbanan?", OccurredAt: T0}
		run(visitor)
		comment := visitor
		comment.PostExternalID, comment.MessageExternalID, comment.ThreadKey, comment.Text = "page_post_10", "c_1", "c_1", "Håller med!"
		run(comment)
		dm := comment
		dm.Channel, dm.PostExternalID, dm.MessageExternalID, dm.ThreadKey = inbox.ChannelMessenger, "page_post_11", "m_1", "7831"
		run(dm)
		if p, err := s.FindPost(ctx(t), inbox.PlatformFacebook, "page_post_9"); err != nil || !p.Fetched || p.Text != visitor.Text || !p.PostedAt.Equal(T0) {
			t.Errorf("visitor post: got %+v, %v; want its text from the webhook", p, err)
		}
		// The post a comment hangs under is ApplyEvent's to note
		// (OKNotedByComment); a message is no post at all.
		if _, err := s.FindPost(ctx(t), inbox.PlatformFacebook, "page_post_11"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Errorf("post of a direct message: got %v, want none", err)
		}
		// Edited and then removed by its author, the post shows what the
		// message shows agents: the edit, then nothing.
		change := func(kind inbox.EventKind, text string, after time.Duration) inbox.Event {
			e := inbox.Event{Kind: kind, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
				AccountExternalID: PageID, PostExternalID: "page_post_9", MessageExternalID: "page_post_9",
				Author: inbox.Actor{ExternalID: "7831"}, Text: text, OccurredAt: T0.Add(after)}
			return e
		}
		wantText := func(step, text string) {
			t.Helper()
			if p, err := s.FindPost(ctx(t), inbox.PlatformFacebook, "page_post_9"); err != nil || p.Text != text || !p.PostedAt.Equal(T0) {
				t.Errorf("%s: got %+v, %v; want text %q, posted at T0", step, p, err, text)
			}
		}
		run(change(inbox.EventMessageEdited, "Varför är det så mycket grus på cykelbanan vid Järntorget?", time.Hour))
		wantText("edited", "Varför är det så mycket grus på cykelbanan vid Järntorget?")
		run(change(inbox.EventMessageDeleted, "", 2*time.Hour))
		wantText("removed", "")
		// A change before its post: the post takes the changed text
		// when the post arrives.
		edit := change(inbox.EventMessageEdited, "Snöröjningen på Hisingen (rättat)", time.Hour)
		edit.PostExternalID, edit.MessageExternalID = "page_post_12", "page_post_12"
		run(edit)
		late := visitor
		late.PostExternalID, late.MessageExternalID, late.ThreadKey, late.Text = "page_post_12", "page_post_12", "page_post_12", "Snöröjningen på Hisingen"
		run(late)
		if p, err := s.FindPost(ctx(t), inbox.PlatformFacebook, "page_post_12"); err != nil || p.Text != edit.Text {
			t.Errorf("post edited before it came: got %+v, %v; want the edit", p, err)
		}
	})
}
