package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"inkorg/inbox"
)

func runWork(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) { testSaveWork(t, open(t)) })
	t.Run("OKNoteOnly", func(t *testing.T) { testSaveNote(t, open(t)) })
	t.Run("OKClear", func(t *testing.T) { testSaveWorkClear(t, open(t)) })
	t.Run("ErrConflict", func(t *testing.T) { testSaveWorkConflict(t, open(t)) })
	t.Run("ErrConflictConcurrent", func(t *testing.T) { testSaveWorkConcurrent(t, open(t)) })
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
		createUser(t, s, u)
		err := s.SaveWork(ctx(t), &inbox.Work{Update: &inbox.ConversationUpdate{ID: 4711, Status: statusPtr(inbox.StatusOpen)}, Audit: audit(u, 4711)})
		wantCode(t, err, inbox.ENOTFOUND)
		_, err = s.FindUserByID(ctx(t), 4711)
		wantCode(t, err, inbox.ENOTFOUND)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		conv := apply(t, s, Event("psid_1", "m_1", T0)).ConversationID
		wantCode(t, s.SaveWork(ctx(t), &inbox.Work{Update: &inbox.ConversationUpdate{ID: conv}}), inbox.EINVALID)
		// A note by a user who does not exist is refused, and so is the
		// update saved with it.
		err := s.SaveWork(ctx(t), &inbox.Work{
			Update: &inbox.ConversationUpdate{ID: conv, Status: statusPtr(inbox.StatusSpam)},
			Note:   &inbox.Note{ConversationID: conv, AuthorID: 4711, Kind: inbox.NoteComment, Text: "x"},
			Audit:  &inbox.AuditEntry{Action: inbox.ActionNote, ConversationID: conv},
		})
		wantCode(t, err, inbox.EINVALID)
		if c := conversation(t, s, conv); c.Status != inbox.StatusNew || c.Version != 0 {
			t.Errorf("got status %s version %d, want new 0 (rolled back)", c.Status, c.Version)
		}
	})
}

func statusPtr(s inbox.Status) *inbox.Status { return &s }

func audit(u *inbox.User, conv int64) *inbox.AuditEntry {
	return &inbox.AuditEntry{ActorID: u.ID, Action: inbox.ActionClaim, ConversationID: conv, Detail: `{"before":{},"after":{}}`}
}

func testSaveWork(t *testing.T, s inbox.Store) {
	u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
	createUser(t, s, u)
	conv := apply(t, s, Event("psid_1", "m_1", T0)).ConversationID
	until := T0.Add(48 * time.Hour)
	tags := []string{"badhus", "beröm"}
	w := &inbox.Work{
		Update: &inbox.ConversationUpdate{
			ID: conv, Status: statusPtr(inbox.StatusRouted), AssigneeID: &u.ID,
			AdministrationID: ptrTo("idrott-och-forening"), Tags: &tags, RouteQuestion: ptrTo("När öppnar badet?"),
			RoutedByID: &u.ID, SetSnooze: true, SnoozedUntil: &until,
		},
		Note:  &inbox.Note{ConversationID: conv, AuthorID: u.ID, Kind: inbox.NoteQuestion, Text: "När öppnar badet? @anna", Mentions: []inbox.Mention{{UserID: u.ID, Name: "anna"}}},
		Audit: audit(u, conv),
	}
	if err := s.SaveWork(ctx(t), w); err != nil {
		t.Fatalf("SaveWork: %v", err)
	}
	if w.Note.ID == 0 || w.Note.CreatedAt.IsZero() || w.Audit.ID == 0 || w.Audit.CreatedAt.IsZero() {
		t.Fatalf("got note %+v, audit %+v; want IDs and times set", w.Note, w.Audit)
	}
	c := conversation(t, s, conv)
	if c.Status != inbox.StatusRouted || c.AssigneeID != u.ID || c.AdministrationID != "idrott-och-forening" ||
		!slices.Equal(c.Tags, tags) || c.RouteQuestion != "När öppnar badet?" || c.RoutedByID != u.ID || c.Version != 1 {
		t.Errorf("got %+v, want the update applied at version 1", c)
	}
	wantTimePtr(t, "snoozed_until", c.SnoozedUntil, &until)
	if c.MessageCount != 1 || c.Preview == "" {
		t.Errorf("got message count %d, preview %q; want them untouched", c.MessageCount, c.Preview)
	}
	notes, err := s.FindNotes(ctx(t), conv)
	if err != nil || len(notes) != 1 {
		t.Fatalf("FindNotes: got %d notes, error %v; want 1", len(notes), err)
	}
	wantTime(t, "note created_at", notes[0].CreatedAt, w.Note.CreatedAt)
	if n := notes[0]; n.ID != w.Note.ID || n.Kind != inbox.NoteQuestion || n.Text != w.Note.Text || n.AuthorID != u.ID ||
		!slices.Equal(n.Mentions, w.Note.Mentions) {
		t.Errorf("got note %+v, want %+v", n, w.Note)
	}
	entries, err := s.FindAudit(ctx(t), conv)
	if err != nil || len(entries) != 1 || entries[0].ID != w.Audit.ID || entries[0].Detail != w.Audit.Detail {
		t.Errorf("got audit %v, error %v; want the one entry saved", entries, err)
	}
	got, err := s.FindUserByID(ctx(t), u.ID)
	if err != nil || got.Name != "anna" || got.Role != inbox.RoleAgent {
		t.Errorf("FindUserByID: got %+v, %v; want anna", got, err)
	}
}

func ptrTo[T any](v T) *T { return &v }

// testSaveNote saves work without an update: the version stays.
func testSaveNote(t *testing.T, s inbox.Store) {
	u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
	createUser(t, s, u)
	conv := apply(t, s, Event("psid_1", "m_1", T0)).ConversationID
	for _, text := range []string{"första", "andra"} {
		w := &inbox.Work{Note: &inbox.Note{ConversationID: conv, AuthorID: u.ID, Kind: inbox.NoteComment, Text: text}, Audit: audit(u, conv)}
		if err := s.SaveWork(ctx(t), w); err != nil {
			t.Fatalf("SaveWork: %v", err)
		}
	}
	notes, err := s.FindNotes(ctx(t), conv)
	if err != nil || len(notes) != 2 || notes[0].Text != "första" || notes[1].Text != "andra" || notes[0].Mentions != nil {
		t.Fatalf("got notes %+v, error %v; want första then andra, no mentions", notes, err)
	}
	if c := conversation(t, s, conv); c.Version != 0 {
		t.Errorf("got version %d, want 0", c.Version)
	}
}

// testSaveWorkClear sets and then clears the optional fields.
func testSaveWorkClear(t *testing.T, s inbox.Store) {
	u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
	createUser(t, s, u)
	conv := apply(t, s, Event("psid_1", "m_1", T0)).ConversationID
	tags := []string{"x"}
	resolved := T0.Add(time.Hour)
	save(t, s, &inbox.ConversationUpdate{ID: conv, AssigneeID: &u.ID, RoutedByID: &u.ID, Tags: &tags, SetResolved: true, ResolvedAt: &resolved}, u)
	var none []string
	zero := int64(0)
	save(t, s, &inbox.ConversationUpdate{ID: conv, Version: 1, AssigneeID: &zero, RoutedByID: &zero, Tags: &none, SetResolved: true, SetSnooze: true}, u)
	c := conversation(t, s, conv)
	if c.AssigneeID != 0 || c.RoutedByID != 0 || c.Tags != nil || c.ResolvedAt != nil || c.SnoozedUntil != nil || c.Version != 2 {
		t.Errorf("got %+v, want assignee, routed by, tags, resolved and snooze cleared at version 2", c)
	}
}

func save(t *testing.T, s inbox.Store, upd *inbox.ConversationUpdate, u *inbox.User) {
	t.Helper()
	if err := s.SaveWork(ctx(t), &inbox.Work{Update: upd, Audit: audit(u, upd.ID)}); err != nil {
		t.Fatalf("SaveWork: %v", err)
	}
}

// testSaveWorkConflict saves from a stale version: nothing changes.
func testSaveWorkConflict(t *testing.T, s inbox.Store) {
	u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
	createUser(t, s, u)
	conv := apply(t, s, Event("psid_1", "m_1", T0)).ConversationID
	save(t, s, &inbox.ConversationUpdate{ID: conv, AssigneeID: &u.ID}, u)
	w := &inbox.Work{
		Update: &inbox.ConversationUpdate{ID: conv, Version: 0, Status: statusPtr(inbox.StatusSpam)},
		Note:   &inbox.Note{ConversationID: conv, AuthorID: u.ID, Kind: inbox.NoteComment, Text: "x"},
		Audit:  audit(u, conv),
	}
	wantCode(t, s.SaveWork(ctx(t), w), inbox.ECONFLICT)
	if c := conversation(t, s, conv); c.Status != inbox.StatusNew || c.Version != 1 {
		t.Errorf("got status %s version %d, want new 1", c.Status, c.Version)
	}
	if notes, _ := s.FindNotes(ctx(t), conv); len(notes) != 0 {
		t.Errorf("got %d notes, want 0 (rolled back)", len(notes))
	}
	if entries, _ := s.FindAudit(ctx(t), conv); len(entries) != 1 {
		t.Errorf("got %d audit entries, want 1 (the conflicting one rolled back)", len(entries))
	}
}

// testSaveWorkConcurrent has several users claim the same version at once:
// exactly one wins.
func testSaveWorkConcurrent(t *testing.T, s inbox.Store) {
	conv := apply(t, s, Event("psid_1", "m_1", T0)).ConversationID
	const n = 8
	users := make([]*inbox.User, n)
	for i := range users {
		users[i] = &inbox.User{Name: mid("agent", i), Role: inbox.RoleAgent}
		createUser(t, s, users[i])
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Go(func() {
			errs[i] = s.SaveWork(ctx(t), &inbox.Work{Update: &inbox.ConversationUpdate{ID: conv, AssigneeID: &u.ID}, Audit: audit(u, conv)})
		})
	}
	wg.Wait()
	won := -1
	for i, err := range errs {
		switch inbox.ErrorCode(err) {
		case "":
			if won >= 0 {
				t.Fatalf("got users %d and %d both winning, want one", won, i)
			}
			won = i
		case inbox.ECONFLICT:
		default:
			t.Fatalf("user %d: got %v, want success or ECONFLICT", i, err)
		}
	}
	if won < 0 {
		t.Fatal("got no winner, want one")
	}
	if c := conversation(t, s, conv); c.AssigneeID != users[won].ID || c.Version != 1 {
		t.Errorf("got assignee %d version %d, want %d 1", c.AssigneeID, c.Version, users[won].ID)
	}
}
