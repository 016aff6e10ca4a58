package inbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/sqlstore"
)

// now is the service clock in these tests.
var now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// world is a store with one user of each kind and a service on it.
type world struct {
	store *sqlstore.Store
	svc   *inbox.Service
	// agent and agent2 work in the kontaktcenter; spec belongs to
	// idrott-och-forening, foreign to kretslopp-och-vatten.
	agent, agent2, spec, spec2, foreign, sup, admin *inbox.User
}

// newWorld opens a migrated SQLite store with the users.
func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldAt(t, filepath.Join(t.TempDir(), "inkorg.db"))
}

// newWorldAt opens a migrated store at url with the users.
func newWorldAt(t testing.TB, url string) *world {
	t.Helper()
	db, err := sqlstore.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	w := &world{store: sqlstore.NewStore(db)}
	w.svc = inbox.NewService(w.store, func() time.Time { return now })
	w.agent = w.user(t, "anna", inbox.RoleAgent, "")
	w.agent2 = w.user(t, "bertil", inbox.RoleAgent, "")
	w.spec = w.user(t, "cecilia", inbox.RoleSpecialist, "idrott-och-forening")
	w.spec2 = w.user(t, "david", inbox.RoleSpecialist, "idrott-och-forening")
	w.foreign = w.user(t, "eva", inbox.RoleSpecialist, "kretslopp-och-vatten")
	w.sup = w.user(t, "fredrik", inbox.RoleSupervisor, "")
	w.admin = w.user(t, "greta", inbox.RoleAdmin, "")
	return w
}

func (w *world) user(t testing.TB, name string, role inbox.Role, admin string) *inbox.User {
	t.Helper()
	u := &inbox.User{Name: name, Role: role, AdministrationID: admin}
	if err := w.store.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// conversation stores a new Messenger conversation and returns its id.
func (w *world) conversation(t testing.TB) int64 {
	t.Helper()
	psid := inboxtest.RandomName("psid-")
	a, err := w.store.ApplyEvent(context.Background(), inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: "page-1", ThreadKey: psid, MessageExternalID: "mid-" + psid,
		Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: psid}, Author: inbox.Actor{ExternalID: psid},
		Text: "När öppnar Valhallabadet?", OccurredAt: now.Add(-time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	return a.ConversationID
}

// routed stores a conversation that agent routed to idrott-och-forening.
func (w *world) routed(t *testing.T) int64 {
	t.Helper()
	id := w.conversation(t)
	if _, err := w.svc.Route(t.Context(), w.agent, id, "idrott-och-forening", "När öppnar badet?"); err != nil {
		t.Fatalf("Route: %v", err)
	}
	return id
}

func (w *world) get(t *testing.T, id int64) *inbox.Conversation {
	t.Helper()
	c, err := w.store.FindConversationByID(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// audit returns the conversation's audit trail with each entry's detail.
func (w *world) audit(t *testing.T, id int64) ([]*inbox.AuditEntry, []inbox.AuditDetail) {
	t.Helper()
	entries, err := w.store.FindAudit(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	details := make([]inbox.AuditDetail, len(entries))
	for i, e := range entries {
		if err := json.Unmarshal([]byte(e.Detail), &details[i]); err != nil {
			t.Fatalf("audit %d detail %q: %v", i, e.Detail, err)
		}
	}
	return entries, details
}

// lastAudit checks that the latest audit entry records action by actor
// and returns its detail.
func (w *world) lastAudit(t *testing.T, id int64, action string, actor *inbox.User) inbox.AuditDetail {
	t.Helper()
	entries, details := w.audit(t, id)
	if len(entries) == 0 {
		t.Fatalf("got no audit entries, want %s", action)
	}
	e := entries[len(entries)-1]
	if e.Action != action || e.ActorID != actor.ID || e.ConversationID != id {
		t.Fatalf("got audit %s by %d on %d, want %s by %d on %d", e.Action, e.ActorID, e.ConversationID, action, actor.ID, id)
	}
	return details[len(details)-1]
}

// wantCode fails unless err has the code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := inbox.ErrorCode(err); got != code {
		t.Fatalf("got error code %q (%v), want %q", got, err, code)
	}
}

// wantHeldBy fails unless err is ECONFLICT naming holder.
func wantHeldBy(t *testing.T, err error, holder *inbox.User) {
	t.Helper()
	wantCode(t, err, inbox.ECONFLICT)
	h := inbox.HolderOf(err)
	if h == nil || h.UserID != holder.ID || h.Name != holder.Name {
		t.Fatalf("got holder %+v, want %d %s", h, holder.ID, holder.Name)
	}
}

func (w *world) claim(t *testing.T, u *inbox.User, id int64) {
	t.Helper()
	if _, err := w.svc.Claim(t.Context(), u, id, false); err != nil {
		t.Fatalf("Claim by %s: %v", u.Name, err)
	}
}

func (w *world) wantAuditCount(t *testing.T, id int64, n int) {
	t.Helper()
	if entries, _ := w.audit(t, id); len(entries) != n {
		t.Errorf("got %d audit entries, want %d", len(entries), n)
	}
}

func describe(c *inbox.Conversation) string {
	return fmt.Sprintf("status %s assignee %d administration %q routed by %d", c.Status, c.AssigneeID, c.AdministrationID, c.RoutedByID)
}
