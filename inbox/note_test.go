package inbox_test

import (
	"slices"
	"testing"

	"inkorg/inbox"
)

func TestAddNote(t *testing.T) {
	w := newWorld(t)
	t.Run("OK", func(t *testing.T) {
		id := w.conversation(t)
		w.claim(t, w.agent, id)
		// Notes are collaboration: another user may write one on a
		// conversation anna holds.
		n, err := w.svc.AddNote(t.Context(), w.sup, id, `@anna kolla med @"bertil" (anna@example.se)`)
		if err != nil {
			t.Fatalf("AddNote: %v", err)
		}
		want := []inbox.Mention{{UserID: w.agent.ID, Name: "anna"}, {UserID: w.agent2.ID, Name: "bertil"}}
		if n.ID == 0 || n.Kind != inbox.NoteComment || n.AuthorID != w.sup.ID || !slices.Equal(n.Mentions, want) {
			t.Errorf("got note %+v, want fredrik's note mentioning %v", n, want)
		}
		d := w.lastAudit(t, id, inbox.ActionNote, w.sup)
		if d.NoteKind != inbox.NoteComment || !slices.Equal(d.Mentions, []int64{w.agent.ID, w.agent2.ID}) {
			t.Errorf("got audit detail %+v, want the note with its mentions", d)
		}
		if c := w.get(t, id); c.Version != 1 {
			t.Errorf("got version %d, want 1: a note does not change the conversation", c.Version)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		id := w.conversation(t)
		for _, text := range []string{"", "  ", "Fråga @nobody", "a\x00b"} {
			_, err := w.svc.AddNote(t.Context(), w.agent, id, text)
			wantCode(t, err, inbox.EINVALID)
		}
		w.wantAuditCount(t, id, 0)
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		_, err := w.svc.AddNote(t.Context(), w.foreign, w.routed(t), "Hej")
		wantCode(t, err, inbox.EFORBIDDEN)
	})
}

func TestParseMentions(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"OK/None", "Inga omnämnanden här.", nil},
		{"OK/Start", "@anna titta", []string{"anna"}},
		{"OK/SentenceEnd", "Fråga @anna.", []string{"anna"}},
		{"OK/Quoted", `Hej @"Åsa Öberg", kan du?`, []string{"Åsa Öberg"}},
		{"OK/Once", "@anna och @anna igen (@bertil)", []string{"anna", "bertil"}},
		{"OK/EmailIsNoMention", "Mejla anna@example.se", nil},
		{"OK/Alone", "@ ensam", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := inbox.ParseMentions(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
