package routing_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
	"inkorg/routing"
)

// hookScene is a store with a triager and a public comment thread.
type hookScene struct {
	store inbox.Store
	tr    *routing.Triager
}

func newHookScene(t testing.TB) *hookScene {
	t.Helper()
	cfg := routing.DefaultConfig()
	cfg.Now = func() time.Time { return storetest.T0 }
	tr, err := routing.NewTriager(bundledTargets(t), nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &hookScene{store: openStore(t, filepath.Join(t.TempDir(), "inkorg.db")), tr: tr}
}

func bundledTargets(t testing.TB) *routing.Administrations {
	t.Helper()
	a, err := routing.BundledAdministrations()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// comment applies a public comment with text and runs hook on it.
func (s *hookScene) comment(t *testing.T, hook inbox.EventHook, mid, text string) (inbox.Event, inbox.Applied) {
	t.Helper()
	e := storetest.Event("thread-"+mid, mid, storetest.T0)
	e.Channel, e.PostExternalID, e.Text = inbox.ChannelFacebookComment, "post_1", text
	a, err := s.store.ApplyEvent(t.Context(), e)
	if err != nil {
		t.Fatal(err)
	}
	if err := hook(t.Context(), e, a); err != nil {
		t.Fatalf("hook: %v", err)
	}
	return e, a
}

// TestHookEdited: an edit changes the text, and the triage follows it.
func TestHookEdited(t *testing.T) {
	s := newHookScene(t)
	hook := routing.Hook(s.tr, s.store, nil)
	e, a := s.comment(t, hook, "c1", "Sophämtningen har missat oss igen")
	if got, _ := s.store.FindTriage(t.Context(), a.ConversationID); got == nil || got.Administration != "kretslopp-vatten" {
		t.Fatalf("before the edit: got %+v, want kretslopp-vatten", got)
	}
	edit := storetest.Change(inbox.EventMessageEdited, e.MessageExternalID, storetest.T0.Add(time.Minute))
	edit.Channel, edit.Text = e.Channel, "Förlåt, jag menade: hur söker jag bygglov för ett attefallshus?"
	ea, err := s.store.ApplyEvent(t.Context(), edit)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // redelivered: the same result
		if err := hook(t.Context(), edit, ea); err != nil {
			t.Fatalf("hook on edit: %v", err)
		}
	}
	got, err := s.store.FindTriage(t.Context(), a.ConversationID)
	if err != nil || got.Administration != "stadsbyggnad" || got.MessageID != a.MessageID {
		t.Errorf("after the edit: got %+v, %v; want stadsbyggnad for message %d", got, err, a.MessageID)
	}
	// An older edit arriving late does not win over the latest text.
	late := edit
	late.OccurredAt, late.Text = storetest.T0.Add(30*time.Second), "Sophämtningen igen"
	la, err := s.store.ApplyEvent(t.Context(), late)
	if err != nil {
		t.Fatal(err)
	}
	if err := hook(t.Context(), late, la); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.store.FindTriage(t.Context(), a.ConversationID); got.Administration != "stadsbyggnad" {
		t.Errorf("after a late older edit: got %s, want stadsbyggnad (the latest text)", got.Administration)
	}
}

// TestHookAutoHide: with auto-hide, a public comment with a personal
// identity number is hidden at once; a refusal leaves it to an agent with
// the recommendation; an outage is retried.
func TestHookAutoHide(t *testing.T) {
	const pin = "Hej, mitt personnummer är 19821105-9954, hur får jag parkeringstillstånd?"
	tests := []struct {
		name       string
		hideErr    error
		wantHidden bool
		wantErr    bool
	}{
		{"OK", nil, true, false},
		{"OK/Refused", inbox.Errorf(inbox.ECONFLICT, "held"), false, false},
		{"ErrUnavailable", inbox.Errorf(inbox.EUNAVAILABLE, "down"), false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newHookScene(t)
			var hidden []int64
			hook := routing.Hook(s.tr, s.store, nil, routing.WithAutoHide(func(_ context.Context, id int64, reason string) error {
				if reason == "" {
					t.Error("hidden without a reason")
				}
				hidden = append(hidden, id)
				return tt.hideErr
			}))
			e := storetest.Event("thread-pin", "pin", storetest.T0)
			e.Channel, e.PostExternalID, e.Text = inbox.ChannelFacebookComment, "post_1", pin
			a, err := s.store.ApplyEvent(t.Context(), e)
			if err != nil {
				t.Fatal(err)
			}
			if err := hook(t.Context(), e, a); (err != nil) != tt.wantErr {
				t.Fatalf("hook: got %v, want error %v", err, tt.wantErr)
			}
			if len(hidden) != 1 || hidden[0] != a.MessageID {
				t.Fatalf("hid %v, want message %d once", hidden, a.MessageID)
			}
			if tt.wantErr {
				return
			}
			got, err := s.store.FindTriage(t.Context(), a.ConversationID)
			if err != nil {
				t.Fatal(err)
			}
			if got.AutoHidden != tt.wantHidden || !got.HideRecommended || got.PrivateReply == "" {
				t.Errorf("got auto_hidden %v, hide_recommended %v, private reply %q; want %v, true and a text",
					got.AutoHidden, got.HideRecommended, got.PrivateReply, tt.wantHidden)
			}
		})
	}
	t.Run("OK/PrivateMessageNotHidden", func(t *testing.T) {
		s := newHookScene(t)
		hook := routing.Hook(s.tr, s.store, nil, routing.WithAutoHide(func(context.Context, int64, string) error {
			t.Error("a private message was hidden")
			return nil
		}))
		e := storetest.Event("thread-dm", "dm", storetest.T0)
		e.Text = pin
		a, err := s.store.ApplyEvent(t.Context(), e)
		if err != nil {
			t.Fatal(err)
		}
		if err := hook(t.Context(), e, a); err != nil {
			t.Fatal(err)
		}
	})
}

// savesCounted counts the triages saved.
type savesCounted struct {
	inbox.Store
	saves int
}

func (s *savesCounted) SaveTriage(ctx context.Context, conversationID int64, t *inbox.Triage) error {
	s.saves++
	return s.Store.SaveTriage(ctx, conversationID, t)
}

// TestHookRedelivered: a message stored and triaged before (a redelivery,
// or the reconciliation poll reading the comment again) is not triaged
// again: its triage time would count it as new in spike detection, and an
// auto-hidden comment an agent showed again would be hidden again. One
// whose hook failed after it was stored is triaged when it comes again.
func TestHookRedelivered(t *testing.T) {
	const pin = "Hej, mitt personnummer är 19821105-9954, hur får jag parkeringstillstånd?"
	s := newHookScene(t)
	store := &savesCounted{Store: s.store}
	var hidden []int64
	hook := routing.Hook(s.tr, store, nil, routing.WithAutoHide(func(_ context.Context, id int64, _ string) error {
		hidden = append(hidden, id)
		return nil
	}))
	e, a := s.comment(t, hook, "pin", pin)
	again, err := s.store.ApplyEvent(t.Context(), e)
	if err != nil || again.Created {
		t.Fatalf("applied again: %+v, %v; want the stored message", again, err)
	}
	if err := hook(t.Context(), e, again); err != nil {
		t.Fatal(err)
	}
	if store.saves != 1 || len(hidden) != 1 || hidden[0] != a.MessageID {
		t.Errorf("got %d triages saved, hid %v; want 1 and message %d once", store.saves, hidden, a.MessageID)
	}
	// Stored, but its hook did not get to run.
	late := storetest.Event("thread-late", "late", storetest.T0)
	late.Channel, late.PostExternalID, late.Text = inbox.ChannelFacebookComment, "post_1", "Sophämtningen har missat oss igen"
	if _, err := s.store.ApplyEvent(t.Context(), late); err != nil {
		t.Fatal(err)
	}
	la, err := s.store.ApplyEvent(t.Context(), late)
	if err != nil {
		t.Fatal(err)
	}
	if err := hook(t.Context(), late, la); err != nil {
		t.Fatal(err)
	}
	if got, err := s.store.FindTriage(t.Context(), la.ConversationID); err != nil || got.MessageID != la.MessageID {
		t.Errorf("redelivered untriaged message: got %+v, %v; want it triaged", got, err)
	}
}

// TestHookEditedElsewhere: an edit whose message is gone (erased since it
// was applied) or not in the conversation the store named triages nothing,
// fails nothing and logs no error.
func TestHookEditedElsewhere(t *testing.T) {
	s := newHookScene(t)
	var logs bytes.Buffer
	hook := routing.Hook(s.tr, s.store, slog.New(slog.NewTextHandler(&logs, nil)))
	_, other := s.comment(t, hook, "c1", "Hur söker jag bygglov för ett attefallshus?")
	e, a := s.comment(t, hook, "c2", "Sophämtningen har missat oss igen")
	edit := storetest.Change(inbox.EventMessageEdited, e.MessageExternalID, storetest.T0.Add(time.Minute))
	edit.Channel, edit.Text = e.Channel, "Förlåt, jag menade: när töms soptunnan?"
	ea, err := s.store.ApplyEvent(t.Context(), edit)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		a    inbox.Applied
	}{
		{"OK/MessageGone", inbox.Applied{ConversationID: a.ConversationID, MessageID: a.MessageID + 1000}},
		{"OK/OtherConversation", inbox.Applied{ConversationID: other.ConversationID, MessageID: ea.MessageID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs.Reset()
			if err := hook(t.Context(), edit, tt.a); err != nil {
				t.Fatalf("hook: %v", err)
			}
			if strings.Contains(logs.String(), "level=ERROR") {
				t.Errorf("logged an error: %s", logs.String())
			}
			for _, c := range []inbox.Applied{a, other} {
				got, err := s.store.FindTriage(t.Context(), c.ConversationID)
				if err != nil || got.MessageID != c.MessageID {
					t.Errorf("conversation %d: got triage %+v, %v; want the one of message %d, untouched", c.ConversationID, got, err, c.MessageID)
				}
			}
		})
	}
}

// BenchmarkHookEditedLong: the triage hook on an edit to the latest
// message of a conversation with 500 messages (a citizen's long Messenger
// thread).
func BenchmarkHookEditedLong(b *testing.B) {
	s := newHookScene(b)
	store, hook := s.store, routing.Hook(s.tr, s.store, nil)
	var last inbox.Event
	for i := range 500 {
		last = storetest.Event("long", fmt.Sprintf("m%d", i), storetest.T0.Add(time.Duration(i)*time.Minute))
		if _, err := store.ApplyEvent(b.Context(), last); err != nil {
			b.Fatal(err)
		}
	}
	edit := storetest.Change(inbox.EventMessageEdited, last.MessageExternalID, storetest.T0.Add(time.Hour*10))
	edit.Channel, edit.Text = last.Channel, "Förlåt, jag menade: hur söker jag bygglov för ett attefallshus?"
	ea, err := store.ApplyEvent(b.Context(), edit)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if err := hook(b.Context(), edit, ea); err != nil {
			b.Fatal(err)
		}
	}
}
