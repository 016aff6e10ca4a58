package inbox_test

import (
	"slices"
	"testing"
	"time"

	"inkorg/inbox"
)

func TestTag(t *testing.T) {
	w := newWorld(t)
	t.Run("OK", func(t *testing.T) {
		id := w.conversation(t)
		c, err := w.svc.Tag(t.Context(), w.agent, id, []string{" Badhus ", "beröm", "badhus"}, nil)
		if err != nil || !slices.Equal(c.Tags, []string{"badhus", "beröm"}) {
			t.Fatalf("got %v, %v; want tags badhus, beröm", c, err)
		}
		c, err = w.svc.Tag(t.Context(), w.agent, id, []string{"kris"}, []string{"BERÖM", "okänd"})
		if err != nil || !slices.Equal(c.Tags, []string{"badhus", "kris"}) {
			t.Fatalf("got %v, %v; want tags badhus, kris", c, err)
		}
		d := w.lastAudit(t, id, inbox.ActionTags, w.agent)
		if !slices.Equal(d.Before.Tags, []string{"badhus", "beröm"}) || !slices.Equal(d.After.Tags, []string{"badhus", "kris"}) {
			t.Errorf("got audit detail %+v, want tags before and after", d)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		id := w.conversation(t)
		for _, add := range [][]string{nil, {""}, {"a,b"}, {string(make([]rune, inbox.MaxTagLength+1))}} {
			_, err := w.svc.Tag(t.Context(), w.agent, id, add, nil)
			wantCode(t, err, inbox.EINVALID)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		id := w.conversation(t)
		w.claim(t, w.agent, id)
		_, err := w.svc.Tag(t.Context(), w.agent2, id, []string{"x"}, nil)
		wantHeldBy(t, err, w.agent)
	})
}

func TestSetStatus(t *testing.T) {
	w := newWorld(t)
	t.Run("OK", func(t *testing.T) {
		id := w.conversation(t)
		until := now.Add(time.Hour)
		if _, err := w.svc.Snooze(t.Context(), w.agent, id, &until); err != nil {
			t.Fatal(err)
		}
		c, err := w.svc.SetStatus(t.Context(), w.agent, id, inbox.StatusResolved)
		if err != nil || c.Status != inbox.StatusResolved || c.ResolvedAt == nil || !c.ResolvedAt.Equal(now) || c.SnoozedUntil != nil {
			t.Fatalf("got %v, %v; want resolved at %s, no snooze", c, err, now)
		}
		d := w.lastAudit(t, id, inbox.ActionStatus, w.agent)
		if d.Before.Status != inbox.StatusNew || d.After.Status != inbox.StatusResolved || d.After.ResolvedAt == nil {
			t.Errorf("got audit detail %+v, want new to resolved", d)
		}
		c, err = w.svc.SetStatus(t.Context(), w.agent, id, inbox.StatusOpen)
		if err != nil || c.Status != inbox.StatusOpen || c.ResolvedAt != nil {
			t.Fatalf("got %v, %v; want reopened", c, err)
		}
		for _, st := range []inbox.Status{inbox.StatusPending, inbox.StatusSpam, inbox.StatusSpam} {
			if c, err = w.svc.SetStatus(t.Context(), w.agent, id, st); err != nil || c.Status != st {
				t.Fatalf("got %v, %v; want %s", c, err, st)
			}
		}
		w.wantAuditCount(t, id, 5) // snooze, resolve, reopen, pending, spam; spam again changes nothing
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		id := w.conversation(t)
		for _, st := range []inbox.Status{inbox.StatusRouted, inbox.StatusNew, "closed"} {
			_, err := w.svc.SetStatus(t.Context(), w.agent, id, st)
			wantCode(t, err, inbox.EINVALID)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		id := w.conversation(t)
		w.claim(t, w.agent, id)
		_, err := w.svc.SetStatus(t.Context(), w.agent2, id, inbox.StatusResolved)
		wantHeldBy(t, err, w.agent)
	})
}

func TestSnooze(t *testing.T) {
	w := newWorld(t)
	t.Run("OK", func(t *testing.T) {
		id := w.conversation(t)
		until := now.Add(26 * time.Hour)
		c, err := w.svc.Snooze(t.Context(), w.agent, id, &until)
		if err != nil || c.SnoozedUntil == nil || !c.SnoozedUntil.Equal(until) {
			t.Fatalf("got %v, %v; want snoozed until %s", c, err, until)
		}
		d := w.lastAudit(t, id, inbox.ActionSnooze, w.agent)
		if d.Before.SnoozedUntil != nil || d.After.SnoozedUntil == nil || !d.After.SnoozedUntil.Equal(until) {
			t.Errorf("got audit detail %+v, want no snooze before, %s after", d, until)
		}
		if c, err = w.svc.Snooze(t.Context(), w.agent, id, nil); err != nil || c.SnoozedUntil != nil {
			t.Fatalf("got %v, %v; want awake", c, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		id := w.conversation(t)
		for _, until := range []time.Time{now, now.Add(-time.Minute), now.Add(inbox.MaxSnooze + time.Minute)} {
			_, err := w.svc.Snooze(t.Context(), w.agent, id, &until)
			wantCode(t, err, inbox.EINVALID)
		}
		if _, err := w.svc.SetStatus(t.Context(), w.agent, id, inbox.StatusSpam); err != nil {
			t.Fatal(err)
		}
		until := now.Add(time.Hour)
		_, err := w.svc.Snooze(t.Context(), w.agent, id, &until)
		wantCode(t, err, inbox.EINVALID)
	})
}
