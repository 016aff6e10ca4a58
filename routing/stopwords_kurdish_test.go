package routing

import (
	"context"
	"testing"

	"inkorg/inbox"
)

// Kurdish question words, pronouns and "I want to know", in Kurmanji with
// and without its letters and in Sorani, say nothing about where a question
// belongs: alone they give every target the same confidence, as the other
// languages' function words do.
func TestTriageKurdishFunctionWordsFlat(t *testing.T) {
	tr := newTestTriager(t)
	for _, text := range []string{
		"Ez dixwazim bizanim", "Ez dikarim çawa?", "ez dikarim cawa", "Çima? Kengê?", "Silav, spas",
		"دەمەوێت بزانم", "چۆن؟ کەی؟", "سڵاو سوپاس",
	} {
		r, err := tr.Triage(context.Background(), text, inbox.ChannelMessenger)
		if err != nil {
			t.Fatal(err)
		}
		if !r.NeedsHuman {
			t.Errorf("%q: got %s %.3f, want needs_human", text, r.Administration, r.Confidence)
		}
		checkFlat(t, text, r)
	}
}
