// Package recordtest builds, for tests, a small inbox whose public record
// is known by heart: a public comment thread with a personal identity
// number, an edit, a second commenter's phone number and a hidden reply,
// and a Messenger thread with a note, a reply and a message its author
// deleted. Every time in it, the store's included, comes from a fixed
// clock, so its archive is the same bytes on every run and dialect.
package recordtest

import (
	"context"
	"sync"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
)

// T0 is when the first comment was written: 10:00 in Stockholm.
var T0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Identifiers and texts of the scene.
const (
	PageID         = "104729385720000"
	CommenterID    = "7301234567890001"
	OtherID        = "7301234567890002"
	CitizenID      = "7301234567890003"
	IdentityNumber = "19811218-9876"
	Phone          = "070-123 45 67"
	Email          = "anna.svensson@example.se"
	CommentText    = "Mitt personnummer är " + IdentityNumber + ", varför har jag inte fått svar? <script>alert(1)</script>"
	EditedText     = "Varför har jag inte fått svar om bygglovet?"
	OtherText      = "Ring mig på " + Phone + " så berättar jag mer"
	DeletedText    = "Min mejl är " + Email + ", skicka svaret dit"
	NoteText       = "Kontrollerat med Valhallabadet: öppnar 1 juni."
)

// Scene is the built inbox.
type Scene struct {
	DB    *sqlstore.DB
	Store *sqlstore.Store
	Clock *Clock
	Agent *inbox.User
	// Comment is the comment thread, CommentMessage its first comment and
	// OtherMessage the second commenter's reply.
	Comment, CommentMessage, OtherMessage int64
	// Private is the Messenger thread and DeletedMessage its deleted one.
	Private, DeletedMessage int64
	// CommentContact and PrivateContact are the threads' contacts.
	CommentContact, PrivateContact int64
}

// Clock is a fixed clock that moves only when told.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// New builds the scene in db and leaves both conversations resolved and
// the clock at T0 + 1 day.
func New(t testing.TB, db *sqlstore.DB) *Scene {
	t.Helper()
	ctx := context.Background()
	clock := &Clock{t: T0}
	db.Now = clock.Now
	s := &Scene{DB: db, Store: sqlstore.NewStore(db), Clock: clock}
	s.Agent = &inbox.User{Name: "karin", Role: inbox.RoleAgent}
	must(t, s.Store.CreateUser(ctx, s.Agent))

	c1 := s.apply(t, comment("c_1", CommenterID, "Erik Eriksson", "", CommentText, T0))
	s.Comment, s.CommentMessage = c1.ConversationID, c1.MessageID
	c2 := s.apply(t, comment("c_2", OtherID, "Lisa Larsson", "c_1", OtherText, T0.Add(2*time.Minute)))
	s.OtherMessage = c2.MessageID
	s.apply(t, change(inbox.EventMessageEdited, inbox.ChannelFacebookComment, "c_1", CommenterID, EditedText, T0.Add(5*time.Minute)))
	s.apply(t, change(inbox.EventMessageHidden, inbox.ChannelFacebookComment, "c_2", PageID, "", T0.Add(10*time.Minute)))
	s.apply(t, change(inbox.EventReactionAdded, inbox.ChannelFacebookComment, "c_1", OtherID, "like", T0.Add(11*time.Minute)))

	p1 := s.apply(t, private("m_1", inbox.DirectionInbound, "Hej! När öppnar Valhallabadet efter renoveringen?", T0.Add(time.Hour)))
	s.Private = p1.ConversationID
	s.apply(t, private("m_2", inbox.DirectionOutbound, "Hej Anna! Badet öppnar igen den 1 juni.", T0.Add(2*time.Hour)))
	p3 := s.apply(t, private("m_3", inbox.DirectionInbound, DeletedText, T0.Add(3*time.Hour)))
	s.DeletedMessage = p3.MessageID
	s.apply(t, change(inbox.EventMessageDeleted, inbox.ChannelMessenger, "m_3", CitizenID, "", T0.Add(4*time.Hour)))

	triage := &inbox.Triage{
		MessageID: s.CommentMessage, Administration: "stadsbyggnad", Confidence: 0.75, Language: "sv",
		Tags: []string{"bygglov"}, Priority: inbox.PriorityNormal, HideRecommended: true,
		Sensitive: []inbox.SensitiveSpan{{Kind: inbox.SensitivePersonalIdentityNumber, Start: 21, End: 34}},
	}
	must(t, s.Store.SaveTriage(ctx, s.Comment, triage))

	svc := inbox.NewService(s.Store, clock.Now)
	clock.Set(T0.Add(5 * time.Hour))
	_, err := svc.AddNote(ctx, s.Agent, s.Private, NoteText)
	must(t, err)
	for _, id := range []int64{s.Comment, s.Private} {
		clock.Set(clock.Now().Add(time.Minute))
		_, err := svc.SetStatus(ctx, s.Agent, id, inbox.StatusResolved)
		must(t, err)
	}
	s.CommentContact = s.contactOf(t, s.Comment)
	s.PrivateContact = s.contactOf(t, s.Private)
	clock.Set(T0.Add(24 * time.Hour))
	return s
}

func (s *Scene) apply(t testing.TB, e inbox.Event) inbox.Applied {
	t.Helper()
	a, err := s.Store.ApplyEvent(context.Background(), e)
	must(t, err)
	return a
}

func (s *Scene) contactOf(t testing.TB, id int64) int64 {
	t.Helper()
	c, err := s.Store.FindConversationByID(context.Background(), id)
	must(t, err)
	return c.ContactID
}

func comment(id, author, name, parent, text string, at time.Time) inbox.Event {
	return inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
		AccountExternalID: PageID, ThreadKey: "c_1", PostExternalID: PageID + "_post_1", PostType: "FEED",
		MessageExternalID: id, ParentExternalID: parent, Direction: inbox.DirectionInbound,
		Contact: inbox.Actor{ExternalID: CommenterID, Name: "Erik Eriksson"},
		Author:  inbox.Actor{ExternalID: author, Name: name}, Text: text, OccurredAt: at,
	}
}

func private(id string, dir inbox.Direction, text string, at time.Time) inbox.Event {
	author := inbox.Actor{ExternalID: CitizenID, Name: "Anna Svensson"}
	if dir == inbox.DirectionOutbound {
		author = inbox.Actor{ExternalID: PageID, Name: "Göteborgs Stad"}
	}
	return inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: PageID, ThreadKey: CitizenID, MessageExternalID: id, Direction: dir,
		Contact: inbox.Actor{ExternalID: CitizenID, Name: "Anna Svensson"}, Author: author,
		Text: text, OccurredAt: at,
	}
}

func change(kind inbox.EventKind, ch inbox.Channel, mid, actor, value string, at time.Time) inbox.Event {
	e := inbox.Event{
		Kind: kind, Platform: inbox.PlatformFacebook, Channel: ch, AccountExternalID: PageID,
		MessageExternalID: mid, Author: inbox.Actor{ExternalID: actor}, OccurredAt: at,
	}
	if kind == inbox.EventReactionAdded {
		e.Reaction = value
	} else {
		e.Text = value
	}
	return e
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
