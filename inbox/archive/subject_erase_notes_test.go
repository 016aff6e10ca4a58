package archive_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/archive/recordtest"
)

// TestSubjectErasureUnquotesNotes erases Lisa, who replied in Erik's
// thread and whom a note there names and quotes: the note keeps the
// staff's own words, without her name, platform id or text.
func TestSubjectErasureUnquotesNotes(t *testing.T) {
	for _, action := range []inbox.PersonalDataAction{inbox.Pseudonymise, inbox.DeleteData} {
		t.Run(string(action), func(t *testing.T) {
			onEachDialect(t, func(t *testing.T, s *recordtest.Scene) { testUnquotesNotes(t, s, action) })
		})
	}
}

func testUnquotesNotes(t *testing.T, s *recordtest.Scene, action inbox.PersonalDataAction) {
	ctx := context.Background()
	s.Clock.Set(recordtest.T0.Add(23 * time.Hour))
	note := "Lisa Larsson (" + recordtest.OtherID + ") skrev: " + recordtest.OtherText + ". Erik har fått svar."
	if _, err := inbox.NewService(s.Store, s.Clock.Now).AddNote(ctx, s.Agent, s.Comment, note); err != nil {
		t.Fatal(err)
	}
	archiveDay(t, s)
	if _, err := privacy(s).RemoveSubjectByPlatformID(ctx, 0, "", recordtest.OtherID, action, "Lisas begäran"); err != nil {
		t.Fatal(err)
	}
	notes := record(t, s, s.Comment).Notes
	got := notes[len(notes)-1].Text
	for _, pd := range []string{"Lisa", recordtest.OtherID, recordtest.Phone} {
		if strings.Contains(got, pd) {
			t.Errorf("got note %q, want %q gone", got, pd)
		}
	}
	if !strings.Contains(got, "Erik har fått svar.") {
		t.Errorf("got note %q, want the staff's own words kept", got)
	}
}
