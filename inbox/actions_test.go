package inbox_test

import (
	"sync"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
)

func TestClaim(t *testing.T) {
	w := newWorld(t)
	t.Run("OK", func(t *testing.T) {
		id := w.conversation(t)
		c, err := w.svc.Claim(t.Context(), w.agent, id, false)
		if err != nil {
			t.Fatalf("Claim: %v", err)
		}
		if c.AssigneeID != w.agent.ID || c.Status != inbox.StatusOpen || c.Version != 1 {
			t.Errorf("got %s version %d, want open, held by anna, version 1", describe(c), c.Version)
		}
		d := w.lastAudit(t, id, inbox.ActionClaim, w.agent)
		if d.Before.Status != inbox.StatusNew || d.Before.AssigneeID != 0 || d.After.Status != inbox.StatusOpen || d.After.AssigneeID != w.agent.ID || d.Takeover {
			t.Errorf("got audit detail %+v, want new/unassigned before, open/anna after, no takeover", d)
		}
	})
	t.Run("OKAgain", func(t *testing.T) {
		id := w.conversation(t)
		w.claim(t, w.agent, id)
		w.claim(t, w.agent, id)
		w.wantAuditCount(t, id, 1)
	})
	t.Run("ErrConflict", func(t *testing.T) {
		id := w.conversation(t)
		w.claim(t, w.agent, id)
		_, err := w.svc.Claim(t.Context(), w.agent2, id, false)
		wantHeldBy(t, err, w.agent)
		if c := w.get(t, id); c.AssigneeID != w.agent.ID {
			t.Errorf("got assignee %d, want %d", c.AssigneeID, w.agent.ID)
		}
		w.wantAuditCount(t, id, 1)
	})
	t.Run("OKTakeover", func(t *testing.T) {
		id := w.conversation(t)
		w.claim(t, w.agent, id)
		c, err := w.svc.Claim(t.Context(), w.agent2, id, true)
		if err != nil || c.AssigneeID != w.agent2.ID {
			t.Fatalf("got %v, %v; want held by bertil", c, err)
		}
		d := w.lastAudit(t, id, inbox.ActionTakeover, w.agent2)
		if !d.Takeover || d.Before.AssigneeID != w.agent.ID || d.After.AssigneeID != w.agent2.ID {
			t.Errorf("got audit detail %+v, want a takeover from anna to bertil", d)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		id := w.conversation(t)
		_, err := w.svc.Claim(t.Context(), w.spec, id, false)
		wantCode(t, err, inbox.EFORBIDDEN)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := w.svc.Claim(t.Context(), w.agent, 4711, false)
		wantCode(t, err, inbox.ENOTFOUND)
	})
}

// TestClaimRace has two agents claim one conversation at once, on each
// dialect: one wins, the other is told who did.
func TestClaimRace(t *testing.T) {
	for name, url := range map[string]func(t testing.TB) string{
		"sqlite":   func(t testing.TB) string { return t.TempDir() + "/inkorg.db" },
		"postgres": func(t testing.TB) string { return inboxtest.PostgresURL(t) },
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorldAt(t, url(t))
			for range 5 {
				id := w.conversation(t)
				agents := []*inbox.User{w.agent, w.agent2}
				errs := make([]error, len(agents))
				var wg sync.WaitGroup
				for i, a := range agents {
					wg.Go(func() { _, errs[i] = w.svc.Claim(t.Context(), a, id, false) })
				}
				wg.Wait()
				winner, loser := 0, 1
				if errs[0] != nil {
					winner, loser = 1, 0
				}
				if errs[winner] != nil {
					t.Fatalf("got errors %v, want one claim to win", errs)
				}
				wantHeldBy(t, errs[loser], agents[winner])
				if c := w.get(t, id); c.AssigneeID != agents[winner].ID {
					t.Errorf("got assignee %d, want winner %d", c.AssigneeID, agents[winner].ID)
				}
				w.wantAuditCount(t, id, 1)
			}
		})
	}
}

func TestAssign(t *testing.T) {
	w := newWorld(t)
	t.Run("OK", func(t *testing.T) {
		id := w.conversation(t)
		w.claim(t, w.agent, id)
		c, err := w.svc.Assign(t.Context(), w.sup, id, w.agent2.ID)
		if err != nil || c.AssigneeID != w.agent2.ID {
			t.Fatalf("got %v, %v; want assigned to bertil", c, err)
		}
		d := w.lastAudit(t, id, inbox.ActionAssign, w.sup)
		if d.Before.AssigneeID != w.agent.ID || d.After.AssigneeID != w.agent2.ID || !d.Takeover {
			t.Errorf("got audit detail %+v, want anna to bertil as a takeover", d)
		}
	})
	t.Run("OKSelfIsClaim", func(t *testing.T) {
		id := w.conversation(t)
		if _, err := w.svc.Assign(t.Context(), w.agent, id, w.agent.ID); err != nil {
			t.Fatalf("Assign: %v", err)
		}
		w.lastAudit(t, id, inbox.ActionClaim, w.agent)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := w.svc.Assign(t.Context(), w.agent, w.conversation(t), w.agent2.ID)
		wantCode(t, err, inbox.EFORBIDDEN)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		id := w.conversation(t)
		for _, assignee := range []int64{0, -1, 4711, w.spec.ID} {
			_, err := w.svc.Assign(t.Context(), w.admin, id, assignee)
			wantCode(t, err, inbox.EINVALID)
		}
		w.wantAuditCount(t, id, 0)
	})
}

func TestUnassign(t *testing.T) {
	w := newWorld(t)
	t.Run("OK", func(t *testing.T) {
		id := w.conversation(t)
		w.claim(t, w.agent, id)
		c, err := w.svc.Unassign(t.Context(), w.agent, id)
		if err != nil || c.AssigneeID != 0 {
			t.Fatalf("got %v, %v; want unassigned", c, err)
		}
		d := w.lastAudit(t, id, inbox.ActionUnassign, w.agent)
		if d.Before.AssigneeID != w.agent.ID || d.After.AssigneeID != 0 {
			t.Errorf("got audit detail %+v, want anna before, nobody after", d)
		}
	})
	t.Run("OKSupervisor", func(t *testing.T) {
		id := w.conversation(t)
		w.claim(t, w.agent, id)
		if _, err := w.svc.Unassign(t.Context(), w.sup, id); err != nil {
			t.Fatalf("Unassign: %v", err)
		}
		w.lastAudit(t, id, inbox.ActionUnassign, w.sup)
	})
	t.Run("ErrConflict", func(t *testing.T) {
		id := w.conversation(t)
		w.claim(t, w.agent, id)
		_, err := w.svc.Unassign(t.Context(), w.agent2, id)
		wantHeldBy(t, err, w.agent)
	})
}

func TestRoute(t *testing.T) {
	w := newWorld(t)
	t.Run("OK", func(t *testing.T) {
		id := w.conversation(t)
		w.claim(t, w.agent, id)
		c, err := w.svc.Route(t.Context(), w.agent, id, "idrott-och-forening", "  När öppnar badet? ")
		if err != nil {
			t.Fatalf("Route: %v", err)
		}
		if c.Status != inbox.StatusRouted || c.AdministrationID != "idrott-och-forening" || c.AssigneeID != 0 ||
			c.RoutedByID != w.agent.ID || c.RouteQuestion != "När öppnar badet?" {
			t.Errorf("got %s question %q, want routed, unassigned, to idrott-och-forening by anna", describe(c), c.RouteQuestion)
		}
		d := w.lastAudit(t, id, inbox.ActionRoute, w.agent)
		if d.Before.AdministrationID != "" || d.After.AdministrationID != "idrott-och-forening" || d.NoteKind != inbox.NoteQuestion {
			t.Errorf("got audit detail %+v, want the route with its question note", d)
		}
		notes, err := w.store.FindNotes(t.Context(), id)
		if err != nil || len(notes) != 1 || notes[0].Kind != inbox.NoteQuestion || notes[0].AuthorID != w.agent.ID {
			t.Errorf("got notes %+v, %v; want anna's question", notes, err)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		id := w.routed(t)
		_, err := w.svc.Route(t.Context(), w.spec, id, "kretslopp-och-vatten", "Er fråga?")
		wantCode(t, err, inbox.EFORBIDDEN)
	})
	t.Run("ErrConflict", func(t *testing.T) {
		id := w.conversation(t)
		w.claim(t, w.agent, id)
		_, err := w.svc.Route(t.Context(), w.agent2, id, "idrott-och-forening", "Fråga?")
		wantHeldBy(t, err, w.agent)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		id := w.conversation(t)
		for _, in := range [][2]string{{"", "Fråga?"}, {"Idrott Och Förening", "Fråga?"}, {"idrott-och-forening", " "}} {
			_, err := w.svc.Route(t.Context(), w.agent, id, in[0], in[1])
			wantCode(t, err, inbox.EINVALID)
		}
		known := inbox.NewService(w.store, nil)
		known.KnownAdministration = func(id string) bool { return id == "idrott-och-forening" }
		_, err := known.Route(t.Context(), w.agent, id, "no-such-administration", "Fråga?")
		wantCode(t, err, inbox.EINVALID)
		if _, err := w.svc.SetStatus(t.Context(), w.agent, id, inbox.StatusResolved); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.Route(t.Context(), w.agent, id, "idrott-och-forening", "Fråga?")
		wantCode(t, err, inbox.EINVALID)
	})
}

func TestDepartment(t *testing.T) {
	w := newWorld(t)
	t.Run("OKAccept", func(t *testing.T) {
		id := w.routed(t)
		c, err := w.svc.Accept(t.Context(), w.spec, id)
		if err != nil || c.AssigneeID != w.spec.ID || c.Status != inbox.StatusRouted {
			t.Fatalf("got %v, %v; want routed, held by cecilia", c, err)
		}
		w.lastAudit(t, id, inbox.ActionAccept, w.spec)
		_, err = w.svc.Accept(t.Context(), w.spec2, id)
		wantHeldBy(t, err, w.spec)
	})
	t.Run("OKAnswer", func(t *testing.T) {
		id := w.routed(t)
		w.claim(t, w.spec, id)
		c, err := w.svc.AnswerBack(t.Context(), w.spec, id, "Badet öppnar 1 juni.")
		if err != nil {
			t.Fatalf("AnswerBack: %v", err)
		}
		if c.Status != inbox.StatusOpen || c.AssigneeID != w.agent.ID || c.AdministrationID != "idrott-och-forening" || c.RoutedByID != 0 {
			t.Errorf("got %s, want open, back with anna, still at idrott-och-forening", describe(c))
		}
		d := w.lastAudit(t, id, inbox.ActionAnswer, w.spec)
		if d.NoteKind != inbox.NoteAnswer || d.Before.Status != inbox.StatusRouted || d.After.AssigneeID != w.agent.ID {
			t.Errorf("got audit detail %+v, want the answer back to anna", d)
		}
	})
	t.Run("OKReturn", func(t *testing.T) {
		id := w.routed(t)
		c, err := w.svc.Return(t.Context(), w.spec, id, "Gäller inte oss; fråga kretslopp och vatten.")
		if err != nil {
			t.Fatalf("Return: %v", err)
		}
		if c.Status != inbox.StatusOpen || c.AssigneeID != w.agent.ID || c.AdministrationID != "" {
			t.Errorf("got %s, want open with anna and no administration", describe(c))
		}
		d := w.lastAudit(t, id, inbox.ActionReturn, w.spec)
		if d.NoteKind != inbox.NoteReturn || d.Before.AdministrationID != "idrott-och-forening" {
			t.Errorf("got audit detail %+v, want the return from idrott-och-forening", d)
		}
		// Returned, the conversation is no longer the department's.
		_, err = w.svc.Claim(t.Context(), w.spec, id, false)
		wantCode(t, err, inbox.EFORBIDDEN)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		id := w.routed(t)
		_, err := w.svc.Accept(t.Context(), w.agent2, id)
		wantCode(t, err, inbox.EFORBIDDEN)
		_, err = w.svc.AnswerBack(t.Context(), w.foreign, id, "Svar")
		wantCode(t, err, inbox.EFORBIDDEN)
	})
	t.Run("ErrConflict", func(t *testing.T) {
		id := w.conversation(t)
		_, err := w.svc.Accept(t.Context(), w.sup, id)
		wantCode(t, err, inbox.ECONFLICT)
		if inbox.HolderOf(err) != nil {
			t.Errorf("got holder %+v, want none: no one holds it", inbox.HolderOf(err))
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		id := w.routed(t)
		_, err := w.svc.AnswerBack(t.Context(), w.spec, id, "")
		wantCode(t, err, inbox.EINVALID)
		_, err = w.svc.Return(t.Context(), w.spec, id, string(make([]byte, inbox.MaxNoteLength+1)))
		wantCode(t, err, inbox.EINVALID)
	})
}
