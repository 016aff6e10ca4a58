package storetest

import (
	"encoding/base64"
	"fmt"
	"slices"
	"testing"
	"time"

	"inkorg/inbox"
)

func runFindConversations(t *testing.T, open opener) {
	t.Run("OKPages", func(t *testing.T) { testFindConversationsPages(t, open(t)) })
	t.Run("OKDefaultLimit", func(t *testing.T) { testFindConversationsDefaultLimit(t, open(t)) })
	t.Run("OKMaxLimit", func(t *testing.T) { testFindConversationsMaxLimit(t, open(t)) })
	t.Run("OKStatus", func(t *testing.T) { testFindConversationsStatus(t, open(t)) })
	t.Run("OKChannel", func(t *testing.T) { testFindConversationsChannel(t, open(t)) })
	t.Run("OKContacts", func(t *testing.T) { testFindConversationsContacts(t, open(t)) })
	t.Run("ErrCursor", func(t *testing.T) { testFindConversationsBadCursor(t, open(t)) })
	t.Run("ErrFilter", func(t *testing.T) { testFindConversationsBadFilter(t, open(t)) })
}

// seedThreads applies one message in each of n threads and returns the
// conversation ids in list order: newest first, then highest id. Some
// threads share a time, so the id decides between them.
func seedThreads(t *testing.T, s inbox.Store, n int) []int64 {
	t.Helper()
	type seeded struct {
		id int64
		at time.Time
	}
	var all []seeded
	for i := range n {
		at := T0.Add(time.Duration(i/2) * time.Minute) // pairs share a time
		a := apply(t, s, Event(fmt.Sprintf("psid_%d", i), mid("s", i), at))
		all = append(all, seeded{a.ConversationID, at})
	}
	slices.SortFunc(all, func(a, b seeded) int {
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		return int(b.id - a.id)
	})
	ids := make([]int64, n)
	for i, x := range all {
		ids[i] = x.id
	}
	return ids
}

func conversationIDs(convs []*inbox.Conversation) []int64 {
	ids := make([]int64, len(convs))
	for i, c := range convs {
		ids[i] = c.ID
	}
	return ids
}

func testFindConversationsPages(t *testing.T, s inbox.Store) {
	want := seedThreads(t, s, 7)
	var got []int64
	var sizes []int
	filter := inbox.ConversationFilter{Limit: 3}
	for range 10 {
		page, err := s.FindConversations(ctx(t), filter)
		if err != nil {
			t.Fatalf("FindConversations(%+v): %v", filter, err)
		}
		got = append(got, conversationIDs(page.Conversations)...)
		sizes = append(sizes, len(page.Conversations))
		if page.Next == "" {
			break
		}
		filter.After = page.Next
	}
	if !slices.Equal(sizes, []int{3, 3, 1}) {
		t.Errorf("got page sizes %v, want [3 3 1]", sizes)
	}
	if !slices.Equal(got, want) {
		t.Errorf("got ids %v, want %v", got, want)
	}
}

func testFindConversationsDefaultLimit(t *testing.T, s inbox.Store) {
	want := seedThreads(t, s, 7)
	page, err := s.FindConversations(ctx(t), inbox.ConversationFilter{})
	if err != nil {
		t.Fatalf("FindConversations: %v", err)
	}
	if got := conversationIDs(page.Conversations); !slices.Equal(got, want) || page.Next != "" {
		t.Errorf("got ids %v, next %q; want %v and no next page", got, page.Next, want)
	}
}

func testFindConversationsMaxLimit(t *testing.T, s inbox.Store) {
	seedThreads(t, s, inbox.MaxPageSize+1)
	page, err := s.FindConversations(ctx(t), inbox.ConversationFilter{Limit: 10 * inbox.MaxPageSize})
	if err != nil {
		t.Fatalf("FindConversations: %v", err)
	}
	if len(page.Conversations) != inbox.MaxPageSize || page.Next == "" {
		t.Fatalf("got %d conversations, next %q; want %d and a next page", len(page.Conversations), page.Next, inbox.MaxPageSize)
	}
	page, err = s.FindConversations(ctx(t), inbox.ConversationFilter{Limit: 10 * inbox.MaxPageSize, After: page.Next})
	if err != nil || len(page.Conversations) != 1 || page.Next != "" {
		t.Errorf("got %d conversations, next %q, error %v; want 1 and no next page", len(page.Conversations), page.Next, err)
	}
}

func testFindConversationsStatus(t *testing.T, s inbox.Store) {
	want := seedThreads(t, s, 3)
	for _, tc := range []struct {
		status []inbox.Status
		want   []int64
	}{
		{nil, want},
		{[]inbox.Status{inbox.StatusNew}, want},
		{[]inbox.Status{inbox.StatusOpen, inbox.StatusNew}, want},
		{[]inbox.Status{inbox.StatusOpen}, []int64{}},
		{[]inbox.Status{inbox.StatusResolved, inbox.StatusSpam}, []int64{}},
	} {
		page, err := s.FindConversations(ctx(t), inbox.ConversationFilter{Status: tc.status})
		if err != nil {
			t.Fatalf("FindConversations(%v): %v", tc.status, err)
		}
		if got := conversationIDs(page.Conversations); !slices.Equal(got, tc.want) {
			t.Errorf("status %v: got ids %v, want %v", tc.status, got, tc.want)
		}
	}
}

func testFindConversationsChannel(t *testing.T, s inbox.Store) {
	messenger := apply(t, s, Event("psid_1", "m_1", T0)).ConversationID
	e := Event("comment_1", "comment_1", T0.Add(time.Minute))
	e.Channel, e.PostExternalID = inbox.ChannelFacebookComment, "post_1"
	comment := apply(t, s, e).ConversationID
	e = Event("igsid_1", "ig_m_1", T0.Add(2*time.Minute))
	e.Platform, e.Channel, e.AccountExternalID = inbox.PlatformInstagram, inbox.ChannelInstagramDirect, InstagramID
	direct := apply(t, s, e).ConversationID
	for _, tc := range []struct {
		channels []inbox.Channel
		want     []int64
	}{
		{nil, []int64{direct, comment, messenger}},
		{[]inbox.Channel{inbox.ChannelMessenger}, []int64{messenger}},
		{[]inbox.Channel{inbox.ChannelFacebookComment, inbox.ChannelInstagramDirect}, []int64{direct, comment}},
		{[]inbox.Channel{inbox.ChannelInstagramComment}, []int64{}},
	} {
		page, err := s.FindConversations(ctx(t), inbox.ConversationFilter{Channel: tc.channels})
		if err != nil {
			t.Fatalf("FindConversations(%v): %v", tc.channels, err)
		}
		if got := conversationIDs(page.Conversations); !slices.Equal(got, tc.want) {
			t.Errorf("channels %v: got ids %v, want %v", tc.channels, got, tc.want)
		}
	}
}

func testFindConversationsContacts(t *testing.T, s inbox.Store) {
	seedThreads(t, s, 4)
	apply(t, s, Event("psid_0", "m_again", T0.Add(time.Hour))) // a contact seen twice
	page, err := s.FindConversations(ctx(t), inbox.ConversationFilter{})
	if err != nil {
		t.Fatalf("FindConversations: %v", err)
	}
	for _, c := range page.Conversations {
		if c.Contact == nil || c.Contact.ID != c.ContactID || c.Contact.ExternalID != c.ThreadKey {
			t.Errorf("conversation %d: got contact %+v, want the contact %q", c.ID, c.Contact, c.ThreadKey)
		}
	}
}

func testFindConversationsBadCursor(t *testing.T, s inbox.Store) {
	seedThreads(t, s, 2)
	for _, cursor := range []string{
		"not a cursor!",
		base64.RawURLEncoding.EncodeToString([]byte("no separator")),
		base64.RawURLEncoding.EncodeToString([]byte("abc:1")),
		base64.RawURLEncoding.EncodeToString([]byte("1741944413589000000:x")),
	} {
		_, err := s.FindConversations(ctx(t), inbox.ConversationFilter{After: cursor})
		if got := inbox.ErrorCode(err); got != inbox.EINVALID || inbox.ErrorMessage(err) == "" {
			t.Errorf("cursor %q: got error code %q (%v), want %q with a message", cursor, got, err, inbox.EINVALID)
		}
	}
}

func testFindConversationsBadFilter(t *testing.T, s inbox.Store) {
	_, err := s.FindConversations(ctx(t), inbox.ConversationFilter{Status: []inbox.Status{"closed"}})
	wantCode(t, err, inbox.EINVALID)
	_, err = s.FindConversations(ctx(t), inbox.ConversationFilter{Channel: []inbox.Channel{"whatsapp"}})
	wantCode(t, err, inbox.EINVALID)
}

func runFindConversationByID(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		a := apply(t, s, Event("psid_1", "m_1", T0))
		if c := conversation(t, s, a.ConversationID); c.ID != a.ConversationID || c.Contact == nil {
			t.Errorf("got conversation %d with contact %v, want %d with its contact", c.ID, c.Contact, a.ConversationID)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := open(t).FindConversationByID(ctx(t), 4711)
		wantCode(t, err, inbox.ENOTFOUND)
	})
	t.Run("AppliedAdministration", func(t *testing.T) {
		// A message stored in a routed conversation says where it is
		// routed, for what runs after ingest (live updates).
		s := open(t)
		first := apply(t, s, Event("psid_adm", "m_adm", T0))
		if first.AdministrationID != "" {
			t.Fatalf("new conversation: got administration %q, want none", first.AdministrationID)
		}
		u := &inbox.User{Name: "adm", Role: inbox.RoleAgent}
		createUser(t, s, u)
		w := &inbox.Work{
			Update: &inbox.ConversationUpdate{ID: first.ConversationID, Status: statusPtr(inbox.StatusRouted),
				AdministrationID: ptrTo("idrott-och-forening"), RoutedByID: &u.ID},
			Audit: audit(u, first.ConversationID),
		}
		if err := s.SaveWork(ctx(t), w); err != nil {
			t.Fatal(err)
		}
		next := apply(t, s, Event("psid_adm", "m_adm_2", T0.Add(time.Minute)))
		if next.ConversationID != first.ConversationID || next.AdministrationID != "idrott-och-forening" {
			t.Errorf("next message: got %+v, want conversation %d routed to idrott-och-forening", next, first.ConversationID)
		}
	})
}
