package inbox_test

import (
	"context"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
)

// interleaving is a store that, just before the first SaveWork, lets
// another user's action land, as a concurrent request would.
type interleaving struct {
	*sqlstore.Store
	before func()
}

func (s *interleaving) SaveWork(ctx context.Context, w *inbox.Work) error {
	if f := s.before; f != nil {
		s.before = nil
		f()
	}
	return s.Store.SaveWork(ctx, w)
}

// TestConcurrentActions checks that of two users changing the same part of
// a conversation's work state at the same moment exactly one wins, while
// an action that does not touch what the other changed still goes
// through on the new state.
func TestConcurrentActions(t *testing.T) {
	t.Run("ErrResolveWhileRouted", func(t *testing.T) {
		w := newWorld(t)
		id := w.conversation(t)
		st := &interleaving{Store: w.store}
		st.before = func() {
			if _, err := w.svc.Route(t.Context(), w.agent2, id, "idrott-och-forening", "Kan ni svara?"); err != nil {
				t.Fatalf("route: %v", err)
			}
		}
		_, err := inbox.NewService(st, nil).SetStatus(t.Context(), w.agent, id, inbox.StatusResolved)
		c := w.get(t, id)
		if inbox.ErrorCode(err) != inbox.ECONFLICT || !strings.Contains(inbox.ErrorMessage(err), "idrott-och-forening") {
			t.Errorf("resolve while routed: got %v, want a conflict naming the new administration", err)
		}
		if c.Status != inbox.StatusRouted || c.AdministrationID != "idrott-och-forening" {
			t.Errorf("got status %s, administration %q; want the routing kept", c.Status, c.AdministrationID)
		}
	})
	t.Run("ErrStatusWhileStatus", func(t *testing.T) {
		w := newWorld(t)
		id := w.conversation(t)
		st := &interleaving{Store: w.store}
		st.before = func() {
			if _, err := w.svc.SetStatus(t.Context(), w.agent2, id, inbox.StatusPending); err != nil {
				t.Fatalf("pending: %v", err)
			}
		}
		_, err := inbox.NewService(st, nil).SetStatus(t.Context(), w.agent, id, inbox.StatusSpam)
		if inbox.ErrorCode(err) != inbox.ECONFLICT {
			t.Errorf("got %v, want a conflict", err)
		}
		if c := w.get(t, id); c.Status != inbox.StatusPending {
			t.Errorf("got status %s, want pending kept", c.Status)
		}
	})
	t.Run("OKResolveWhileTagged", func(t *testing.T) {
		w := newWorld(t)
		id := w.conversation(t)
		st := &interleaving{Store: w.store}
		st.before = func() {
			if _, err := w.svc.Tag(t.Context(), w.agent2, id, []string{"badhus"}, nil); err != nil {
				t.Fatalf("tag: %v", err)
			}
		}
		if _, err := inbox.NewService(st, nil).SetStatus(t.Context(), w.agent, id, inbox.StatusResolved); err != nil {
			t.Fatalf("resolve while tagged: got %v, want it done", err)
		}
		if c := w.get(t, id); c.Status != inbox.StatusResolved || len(c.Tags) != 1 {
			t.Errorf("got status %s, tags %q; want resolved with the tag", c.Status, c.Tags)
		}
	})
	t.Run("OKTagWhileRouted", func(t *testing.T) {
		w := newWorld(t)
		id := w.conversation(t)
		st := &interleaving{Store: w.store}
		st.before = func() {
			if _, err := w.svc.Route(t.Context(), w.agent2, id, "idrott-och-forening", "Kan ni svara?"); err != nil {
				t.Fatalf("route: %v", err)
			}
		}
		if _, err := inbox.NewService(st, nil).Tag(t.Context(), w.agent, id, []string{"badhus"}, nil); err != nil {
			t.Fatalf("tag while routed: got %v, want it done", err)
		}
		if c := w.get(t, id); c.Status != inbox.StatusRouted || len(c.Tags) != 1 {
			t.Errorf("got status %s, tags %q; want routed with the tag", c.Status, c.Tags)
		}
	})
}
