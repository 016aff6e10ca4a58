package routing

import (
	"context"
	"testing"

	"inkorg/inbox"
)

// A comment of hashtags only ("#göteborg #sommar" under a post) asks
// nothing: no target gets it, however surely its words would point at
// one, and its language cannot be told.
func TestTriageHashtagsOnly(t *testing.T) {
	tr := newTestTriager(t)
	for _, text := range []string{
		"#göteborg #sommar", "#kulturkalaset", "#avfall #sopor 😍", "#Göteborg#sommar!",
		"@anna_s #liseberg", "#sophämtning https://goteborg.se/avfall", "  #badplats \n #Saltholmen ",
	} {
		r, err := tr.Triage(context.Background(), text, inbox.ChannelInstagramComment)
		if err != nil {
			t.Fatal(err)
		}
		if !r.NeedsHuman || r.Language != Undetermined || r.Referral != "" || len(r.Tags) != 0 {
			t.Errorf("%q: got %s %.3f language %s referral %q tags %v, want needs_human, %s, no referral and no tags",
				text, r.Administration, r.Confidence, r.Language, r.Referral, r.Tags, Undetermined)
		}
		checkFlat(t, text, r)
	}
}

// A hashtag in a sentence counts as a word, and one that says a citizen
// is in danger keeps its priority on its own.
func TestTriageHashtagsInText(t *testing.T) {
	tr := newTestTriager(t)
	r, err := tr.Triage(context.Background(), "Soptunnan har inte tömts på två veckor #sophämtning", inbox.ChannelFacebookComment)
	if err != nil {
		t.Fatal(err)
	}
	if r.Administration != "kretslopp-vatten" || r.NeedsHuman || r.Language != "sv" {
		t.Errorf("got %s %.3f needs_human %v language %s, want kretslopp-vatten, confident, sv", r.Administration, r.Confidence, r.NeedsHuman, r.Language)
	}
	r, err = tr.Triage(context.Background(), "#självmord", inbox.ChannelFacebookComment)
	if err != nil {
		t.Fatal(err)
	}
	if r.Priority != inbox.PriorityUrgent || !r.NeedsHuman {
		t.Errorf("#självmord: got priority %s needs_human %v, want urgent and needs_human", r.Priority, r.NeedsHuman)
	}
}
