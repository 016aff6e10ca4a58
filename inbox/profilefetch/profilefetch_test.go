package profilefetch_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/archive"
	"inkorg/inbox/graph"
	"inkorg/inbox/graphfetch/graphfetchtest"
	"inkorg/inbox/profilefetch"
	"inkorg/inbox/sqlstore"
)

const (
	pageID      = "104729385720000"
	instagramID = "17841400000000000"
)

// The fetcher holds items through the store without spending their tries.
var _ profilefetch.Deferrer = (*sqlstore.Store)(nil)

type scene struct {
	*graphfetchtest.Scene
	fetcher *profilefetch.Fetcher
	logs    *bytes.Buffer
}

func newScene(t *testing.T) *scene {
	t.Helper()
	sc := &scene{Scene: graphfetchtest.NewScene(t), logs: &bytes.Buffer{}}
	logger := slog.New(slog.NewTextHandler(sc.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	sc.fetcher = profilefetch.New(profilefetch.Config{Store: sc.Store, Graph: sc.Client, SandboxToken: graphfetchtest.SandboxToken,
		Logger: logger, Now: sc.Clock, RetryAfter: time.Minute, ThrottleBackoff: 10 * time.Minute})
	return sc
}

// message stores a private message from sender, whose webhook gives no
// name, and returns its conversation id.
func (sc *scene) message(t *testing.T, platform inbox.Platform, sender string) int64 {
	t.Helper()
	e := inbox.Event{Kind: inbox.EventMessageCreated, Platform: platform, Channel: inbox.ChannelMessenger,
		AccountExternalID: pageID, ThreadKey: sender, MessageExternalID: "m_" + sender, Direction: inbox.DirectionInbound,
		Contact: inbox.Actor{ExternalID: sender}, Author: inbox.Actor{ExternalID: sender},
		Text: "Hej! Var kan jag hämta ut mitt parkeringstillstånd?", OccurredAt: sc.Now.Add(-time.Hour)}
	if platform == inbox.PlatformInstagram {
		e.Channel, e.AccountExternalID = inbox.ChannelInstagramDirect, instagramID
	}
	a, err := sc.Store.ApplyEvent(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	return a.ConversationID
}

func (sc *scene) fetch(t *testing.T) int {
	t.Helper()
	n, err := sc.fetcher.FetchDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (sc *scene) contact(t *testing.T, conversationID int64) *inbox.Contact {
	t.Helper()
	c, err := sc.Store.FindConversationByID(context.Background(), conversationID)
	if err != nil {
		t.Fatal(err)
	}
	return c.Contact
}

// TestFetchDue fills in the names of Messenger and Instagram Direct
// contacts once, and never asks again.
func TestFetchDue(t *testing.T) {
	sc := newScene(t)
	sc.Sandbox.SetProfile("psid-1", graph.Profile{FirstName: "Karin", LastName: "Lindqvist"})
	sc.Sandbox.SetProfile("igsid-1", graph.Profile{Name: "Ali Hassan", Username: "ali.hassan.gbg"})
	fb := sc.message(t, inbox.PlatformFacebook, "psid-1")
	ig := sc.message(t, inbox.PlatformInstagram, "igsid-1")
	if got := sc.fetch(t); got != 2 {
		t.Fatalf("stored %d names, want 2", got)
	}
	if c := sc.contact(t, fb); c.Name != "Karin Lindqvist" || c.Username != "" {
		t.Errorf("messenger contact: got %+v, want Karin Lindqvist", c)
	}
	if c := sc.contact(t, ig); c.Name != "Ali Hassan" || c.Username != "ali.hassan.gbg" {
		t.Errorf("instagram contact: got %+v, want Ali Hassan, ali.hassan.gbg", c)
	}
	calls := len(sc.Sandbox.Calls())
	sc.Now = sc.Now.Add(24 * time.Hour)
	if got := sc.fetch(t); got != 0 || len(sc.Sandbox.Calls()) != calls {
		t.Errorf("a day later: stored %d with %d more calls; want nothing fetched again", got, len(sc.Sandbox.Calls())-calls)
	}
	if strings.Contains(sc.logs.String(), "Karin") || strings.Contains(sc.logs.String(), "EAAG") {
		t.Errorf("logs name the person or the token: %s", sc.logs)
	}
}

// TestFetchDueRefused gives a profile up after one call when Meta refuses
// it, without logging at info level or above.
func TestFetchDueRefused(t *testing.T) {
	for _, f := range []struct {
		name  string
		fault *graph.Fault
	}{
		{"UnknownUser", nil}, // the sandbox answers 100/33 for a profile it does not have
		{"UserUnavailable", &graph.Fault{Code: 100, Subcode: 2018218, Message: "(#100) User unavailable"}},
		{"NoPermission", ptr(graph.DocumentedError(10, 0))},
	} {
		t.Run(f.name, func(t *testing.T) {
			sc := newScene(t)
			sc.Sandbox.SetProfile("psid-2", graph.Profile{Name: "Eva Berg"})
			conv := sc.message(t, inbox.PlatformFacebook, "psid-2")
			if f.fault == nil {
				conv = sc.message(t, inbox.PlatformFacebook, "psid-unknown")
			} else if err := sc.Sandbox.FailPath("", "/psid-2", -1, *f.fault); err != nil {
				t.Fatal(err)
			}
			before := len(sc.Sandbox.Calls())
			sc.fetch(t)
			for range 3 {
				sc.Now = sc.Now.Add(24 * time.Hour)
				sc.fetch(t)
			}
			if got := profileCalls(sc.Sandbox.Calls()[before:], sc.contact(t, conv).ExternalID); got != 1 {
				t.Errorf("got %d calls for the refused profile, want 1", got)
			}
			if c := sc.contact(t, conv); c.Name != "" {
				t.Errorf("got name %q, want none", c.Name)
			}
			if sc.logs.Len() != 0 {
				t.Errorf("got logs %q, want none at info level", sc.logs)
			}
		})
	}
}

// TestFetchDueTransient tries a profile again after a doubling wait when
// Meta fails, and stores the name once it answers.
func TestFetchDueTransient(t *testing.T) {
	sc := newScene(t)
	sc.Sandbox.SetProfile("psid-3", graph.Profile{Name: "Johan Ek"})
	conv := sc.message(t, inbox.PlatformFacebook, "psid-3")
	if err := sc.Sandbox.FailPath("", "/psid-3", 2, graph.DocumentedError(2, 0)); err != nil {
		t.Fatal(err)
	}
	if got := sc.fetch(t); got != 0 {
		t.Fatalf("first try: stored %d, want 0", got)
	}
	sc.Now = sc.Now.Add(30 * time.Second)
	if got := sc.fetch(t); got != 0 || profileCalls(sc.Sandbox.Calls(), "psid-3") != 1 {
		t.Fatalf("before the retry time: stored %d with %d calls, want no new call", got, profileCalls(sc.Sandbox.Calls(), "psid-3"))
	}
	sc.Now = sc.Now.Add(time.Minute) // first wait: one minute
	if got := sc.fetch(t); got != 0 || profileCalls(sc.Sandbox.Calls(), "psid-3") != 2 {
		t.Fatalf("second try: stored %d with %d calls, want 0 with 2", got, profileCalls(sc.Sandbox.Calls(), "psid-3"))
	}
	sc.Now = sc.Now.Add(90 * time.Second) // second wait: two minutes
	if got := sc.fetch(t); got != 0 || profileCalls(sc.Sandbox.Calls(), "psid-3") != 2 {
		t.Fatalf("within the doubled wait: stored %d with %d calls, want no new call", got, profileCalls(sc.Sandbox.Calls(), "psid-3"))
	}
	sc.Now = sc.Now.Add(time.Minute)
	if got := sc.fetch(t); got != 1 {
		t.Fatalf("third try: stored %d, want 1", got)
	}
	if c := sc.contact(t, conv); c.Name != "Johan Ek" {
		t.Errorf("got name %q, want Johan Ek", c.Name)
	}
}

// TestFetchDueThrottled pauses all fetching when Meta throttles, and tries
// the contact again after the pause.
func TestFetchDueThrottled(t *testing.T) {
	sc := newScene(t)
	sc.Sandbox.SetProfile("psid-4", graph.Profile{Name: "Lena Nyström"})
	sc.Sandbox.SetProfile("psid-5", graph.Profile{Name: "Omar Ali"})
	first := sc.message(t, inbox.PlatformFacebook, "psid-4")
	sc.message(t, inbox.PlatformFacebook, "psid-5")
	sc.Sandbox.FailNext(1, graph.DocumentedError(32, 0))
	if got := sc.fetch(t); got != 0 || len(sc.Sandbox.Calls()) != 1 {
		t.Fatalf("throttled: stored %d with %d calls, want 0 with 1 (the batch stops)", got, len(sc.Sandbox.Calls()))
	}
	sc.Now = sc.Now.Add(5 * time.Minute)
	if got := sc.fetch(t); got != 0 || len(sc.Sandbox.Calls()) != 1 {
		t.Errorf("during the pause: stored %d with %d calls, want no call", got, len(sc.Sandbox.Calls()))
	}
	sc.Now = sc.Now.Add(10 * time.Minute)
	if got := sc.fetch(t); got != 2 {
		t.Errorf("after the pause: stored %d, want 2", got)
	}
	if c := sc.contact(t, first); c.Name != "Lena Nyström" {
		t.Errorf("got name %q, want Lena Nyström", c.Name)
	}
}

// TestFetchDueKeepsWebhookName keeps a name a webhook brought between the
// time the contact was due and the answer.
func TestFetchDueKeepsWebhookName(t *testing.T) {
	sc := newScene(t)
	sc.Sandbox.SetProfile("psid-6", graph.Profile{Name: "Profilnamn"})
	conv := sc.message(t, inbox.PlatformFacebook, "psid-6")
	due, err := sc.Store.FindProfilesToFetch(context.Background(), sc.Now, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("due: got %+v, %v; want one", due, err)
	}
	e := inbox.Event{Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: pageID, ThreadKey: "psid-6", MessageExternalID: "m_psid-6b", Direction: inbox.DirectionInbound,
		Contact: inbox.Actor{ExternalID: "psid-6", Name: "Webhooknamn"}, Author: inbox.Actor{ExternalID: "psid-6", Name: "Webhooknamn"},
		Text: "Tack!", OccurredAt: sc.Now}
	if _, err := sc.Store.ApplyEvent(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	// The store call the fetcher makes after its Graph call, as if the
	// webhook had arrived while it waited for Meta.
	if err := sc.Store.SaveContactProfile(context.Background(), due[0].ContactID, "Profilnamn", ""); err != nil {
		t.Fatal(err)
	}
	if c := sc.contact(t, conv); c.Name != "Webhooknamn" {
		t.Errorf("got name %q, want the webhook's Webhooknamn", c.Name)
	}
	if got := sc.fetch(t); got != 0 || len(sc.Sandbox.Calls()) != 0 {
		t.Errorf("stored %d with %d calls, want no call for a named contact", got, len(sc.Sandbox.Calls()))
	}
}

// TestFetchDueSkipsRemoved never looks up, nor names again, a contact
// whose personal data was removed.
func TestFetchDueSkipsRemoved(t *testing.T) {
	sc := newScene(t)
	ctx := context.Background()
	sc.Sandbox.SetProfile("psid-7", graph.Profile{Name: "Nils Borg"})
	conv := sc.message(t, inbox.PlatformFacebook, "psid-7")
	c := sc.contact(t, conv)
	// Only a closed conversation the archive holds may lose its data.
	agent := &inbox.User{Name: "karin", Role: inbox.RoleAgent}
	if err := sc.Store.CreateUser(ctx, agent); err != nil {
		t.Fatal(err)
	}
	if _, err := inbox.NewService(sc.Store, nil).SetStatus(ctx, agent, conv, inbox.StatusResolved); err != nil {
		t.Fatal(err)
	}
	if _, err := (&archive.Exporter{Store: sc.Store}).Export(ctx, sc.Now.Add(-24*time.Hour), sc.Now.Add(time.Hour), t.TempDir(), false); err != nil {
		t.Fatal(err)
	}
	r := &inbox.Removal{Action: inbox.Pseudonymise, ConversationIDs: []int64{conv}, Contact: c, Scrub: func(s string) string { return s },
		Audit: inbox.AuditEntry{Action: inbox.ActionSubjectRemoval}}
	if err := sc.Store.RemovePersonalData(ctx, r); err != nil {
		t.Fatal(err)
	}
	if got := sc.fetch(t); got != 0 || len(sc.Sandbox.Calls()) != 0 {
		t.Errorf("stored %d with %d calls, want no call for a removed contact", got, len(sc.Sandbox.Calls()))
	}
	if err := sc.Store.SaveContactProfile(ctx, c.ID, "Nils Borg", ""); err != nil {
		t.Fatal(err)
	}
	if got := sc.contact(t, conv); got.Name != "" {
		t.Errorf("got name %q on a removed contact, want none", got.Name)
	}
}

// profileCalls counts the profile look-ups of id.
func profileCalls(calls []graph.Call, id string) int {
	n := 0
	for _, c := range calls {
		if c.Path == "/"+id {
			n++
		}
	}
	return n
}

func ptr[T any](v T) *T { return &v }
