package routing

import (
	"context"
	"testing"

	"inkorg/inbox"
)

// A lone question word or "I want to know" says nothing about where a
// question belongs, in any of the city's common languages.
func TestTriageFunctionWordsNeedHuman(t *testing.T) {
	tr := newTestTriager(t)
	for _, text := range []string{
		"Hur?", "When?", "Goorma?", "Sidee?", "Milloin?", "Miten?", "Kako?", "Kiedy?", "Nasıl?", "¿Cómo?",
		"کجا؟", "چطور؟", "متى؟", "كيف؟", "Як?", "Коли?",
		"Waxaan rabaa", "Haluan tietää", "أريد أن أعرف", "Chcę wiedzieć", "Я хочу знати",
	} {
		r, err := tr.Triage(context.Background(), text, inbox.ChannelMessenger)
		if err != nil {
			t.Fatal(err)
		}
		if !r.NeedsHuman {
			t.Errorf("%q: got %s %.3f referral %q, want needs_human", text, r.Administration, r.Confidence, r.Referral)
		}
	}
}

// A message that is only a link is no question for any target, and its
// language cannot be told.
func TestTriageLinkOnly(t *testing.T) {
	tr := newTestTriager(t)
	for _, text := range []string{
		"https://www.facebook.com/goteborgsstad/posts/12345", "https://bit.ly/3xYzAbC",
		"https://www.gp.se/nyheter/goteborg/artikel-123", "www.google.com", "bit.ly/3xYzAbC",
		"https://goteborg.se/wps/portal/start/avfall-och-atervinning",
		"@goteborgsstad", "@anna_svensson @kalle.k", "(@goteborgsstad)",
	} {
		r, err := tr.Triage(context.Background(), text, inbox.ChannelFacebookComment)
		if err != nil {
			t.Fatal(err)
		}
		if !r.NeedsHuman || r.Language != Undetermined || r.Referral != "" {
			t.Errorf("%q: got %s %.3f language %s referral %q, want needs_human, %s and no referral",
				text, r.Administration, r.Confidence, r.Language, r.Referral, Undetermined)
		}
		checkFlat(t, text, r)
	}
}

// The words around a link still count.
func TestTriageTextWithLink(t *testing.T) {
	tr := newTestTriager(t)
	r, err := tr.Triage(context.Background(), "Sophämtningen har missat oss igen, se https://www.gp.se/nyheter/artikel-123", inbox.ChannelMessenger)
	if err != nil {
		t.Fatal(err)
	}
	if r.Administration != "kretslopp-vatten" || r.NeedsHuman || r.Language != "sv" {
		t.Errorf("got %s %.3f needs_human %v language %s, want kretslopp-vatten, confident, sv", r.Administration, r.Confidence, r.NeedsHuman, r.Language)
	}
}

// A guess below the needs-human threshold does not send the citizen to a
// body outside the city.
func TestTriageReferralOnlyWhenConfident(t *testing.T) {
	tr := newTestTriager(t)
	for _, text := range []string{"Skandal!", "haha", "مرحبا"} {
		r, err := tr.Triage(context.Background(), text, inbox.ChannelFacebookComment)
		if err != nil {
			t.Fatal(err)
		}
		if r.NeedsHuman && r.Referral != "" {
			t.Errorf("%q: got needs_human at %.3f with referral %s (%s), want no referral", text, r.Confidence, r.Referral, r.Administration)
		}
	}
	r, err := tr.Triage(context.Background(), "Hur ansöker jag om föräldrapenning hos Försäkringskassan?", inbox.ChannelMessenger)
	if err != nil {
		t.Fatal(err)
	}
	if r.NeedsHuman || r.Referral == "" {
		t.Errorf("got %s %.3f needs_human %v referral %q, want a confident referral", r.Administration, r.Confidence, r.NeedsHuman, r.Referral)
	}
}

// A rule may raise priority but never take urgency away: a rule making
// all Instagram comments normal leaves self-harm urgent.
func TestTriageRulePriorityKeepsUrgent(t *testing.T) {
	tr := newTestTriager(t)
	if err := tr.SetRules([]*inbox.Rule{{ID: 1, Name: "Instagram normal", Enabled: true,
		Channels: []inbox.Channel{inbox.ChannelInstagramComment}, Priority: inbox.PriorityNormal}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want inbox.Priority
	}{
		{"Jag orkar inte leva längre", inbox.PriorityUrgent},
		{"Tack så mycket, bra jobbat!", inbox.PriorityNormal},
	}
	for _, tt := range tests {
		r, err := tr.Triage(context.Background(), tt.text, inbox.ChannelInstagramComment)
		if err != nil {
			t.Fatal(err)
		}
		if r.Priority != tt.want {
			t.Errorf("%q: got priority %s (tags %v), want %s", tt.text, r.Priority, r.Tags, tt.want)
		}
	}
}

// checkFlat reports an error when r, the triage of text, gives any target
// another confidence than its first: a text with nothing to route by.
func checkFlat(t *testing.T, text string, r *Result) {
	t.Helper()
	for _, a := range r.Alternatives {
		if a.Confidence != r.Confidence {
			t.Errorf("%q: got alternative %s %.3f beside %s %.3f, want a flat result", text, a.Administration, a.Confidence, r.Administration, r.Confidence)
			return
		}
	}
}
