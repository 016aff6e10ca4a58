package storetest

import (
	"testing"
	"time"

	"inkorg/inbox"
)

func testChannelPoll(t *testing.T, s inbox.Store) {
	fb := &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: PageID, Name: "Göteborgs Stad"}
	if err := s.CreateAccount(ctx(t), fb); err != nil {
		t.Fatal(err)
	}
	ig := &inbox.Account{Platform: inbox.PlatformInstagram, ExternalID: "17841400000000001", Name: "goteborgsstad", PageID: " " + PageID + " "}
	if err := s.CreateAccount(ctx(t), ig); err != nil {
		t.Fatal(err)
	}
	// Only an Instagram account has a linked Page, and it is an object id.
	wantCode(t, s.CreateAccount(ctx(t), &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "2", Name: "x", PageID: "3"}), inbox.EINVALID)
	wantCode(t, s.CreateAccount(ctx(t), &inbox.Account{Platform: inbox.PlatformInstagram, ExternalID: "4", Name: "x", PageID: "../me"}), inbox.EINVALID)
	wantCode(t, s.SetAccountPageID(ctx(t), fb.ID, "3"), inbox.EINVALID)
	wantCode(t, s.SetAccountPageID(ctx(t), 4711, "3"), inbox.ENOTFOUND)
	if got := findAccount(t, s, ig.ID); got.PageID != PageID {
		t.Fatalf("page id %q, want %q trimmed", got.PageID, PageID)
	}
	if err := s.SetAccountPageID(ctx(t), ig.ID, "9"); err != nil {
		t.Fatal(err)
	}
	if got := findAccount(t, s, ig.ID); got.PageID != "9" {
		t.Fatalf("page id %q, want 9", got.PageID)
	}

	// Comments work, messages fail: the poll counts as having run, and
	// the failing part says why.
	if err := s.RecordPollPart(ctx(t), fb.ID, inbox.PollComments, T0, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordPollPart(ctx(t), fb.ID, inbox.PollMessages, T0, "behörighet saknas / permission missing"); err != nil {
		t.Fatal(err)
	}
	got := findAccount(t, s, fb.ID)
	if got.LastPollAt == nil || !got.LastPollAt.Equal(T0) || got.CommentsPolledAt == nil || !got.CommentsPolledAt.Equal(T0) ||
		got.MessagesPolledAt != nil || got.MessagesPollError != "behörighet saknas / permission missing" || got.CommentsPollError != "" {
		t.Fatalf("account %+v; want comments and last poll at %v, messages failing", got, T0)
	}
	if f := got.PollFailures(); len(f) != 1 || f[inbox.PollMessages] == "" {
		t.Fatalf("poll failures %v, want messages", f)
	}
	// Messages work again; an older success does not move times back.
	later := T0.Add(time.Hour)
	if err := s.RecordPollPart(ctx(t), fb.ID, inbox.PollMessages, later, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordPollPart(ctx(t), fb.ID, inbox.PollComments, T0.Add(-time.Hour), ""); err != nil {
		t.Fatal(err)
	}
	got = findAccount(t, s, fb.ID)
	if got.MessagesPollError != "" || got.MessagesPolledAt == nil || !got.MessagesPolledAt.Equal(later) ||
		!got.LastPollAt.Equal(later) || !got.CommentsPolledAt.Equal(T0) {
		t.Fatalf("account %+v; want messages and last poll at %v, comments still at %v", got, later, T0)
	}
	wantCode(t, s.RecordPollPart(ctx(t), fb.ID, "posts", T0, ""), inbox.EINVALID)
	wantCode(t, s.RecordPollPart(ctx(t), 4711, inbox.PollComments, T0, ""), inbox.ENOTFOUND)
}
