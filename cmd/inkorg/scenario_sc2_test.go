package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

// The scenario's Page post and its citizens' comments.
const (
	sc2Page   = "1234567890321"
	sc2Post   = sc2Page + "_901097836652708"
	sc2Anna   = "901097836652708_2001" // top-level, Swedish
	sc2Bertil = "901097836652708_2002" // reply to Anna's, legacy sender_id shape
	sc2Cilla  = "901097836652708_2003" // top-level, with a photo
	sc2David  = "901097836652708_2004" // top-level, English; edited, then removed
	sc2Erik   = "901097836652708_2005" // top-level, abusive with someone's personal number

	sc2PostText    = "Cykelbanan på Avenyn byggs om under våren."
	sc2AnnaText    = "Varför är cykelbanan på Avenyn avstängd hela våren?"
	sc2BertilText  = "Håller med, jag cyklar där varje dag."
	sc2ErikText    = "Ni är idioter allihop. Min granne 19821105-9954 borde ansvara för bygget!"
	sc2PublicText  = "Hej Anna! Cykelbanan öppnar igen i maj."
	sc2PrivateText = "Hej Cilla! Tack, vi skickar en felanmälan. Vilken sida av gatan gäller det?"
)

// TestScenarioPostCommentThreads follows one Page post's comment threads
// from the citizens' comments to an erasure request, as the kontaktcenter,
// a supervisor and an administrator meet them, on both backend sets.
func TestScenarioPostCommentThreads(t *testing.T) {
	onBothBackends(t, baseEnv, testScenarioPostCommentThreads)
}

// sc2Lead is how far back the scenario dates its first event.
const sc2Lead = 10 * time.Minute

func testScenarioPostCommentThreads(t *testing.T, env map[string]string) {
	env["INKORG_AUTO_HIDE_PERSONAL_NUMBERS"] = "1"
	env["INKORG_SLA_INTERVAL"] = "1s"
	in := startSandboxed(t, env)
	start := time.Now().Add(-sc2Lead).Unix()

	// The Page publishes the post; it makes no conversation.
	sc2Feed(t, in, map[string]any{"item": "status", "verb": "add", "post_id": sc2Post, "published": 1,
		"from": map[string]any{"id": sc2Page, "name": "Göteborgs Stad"}, "created_time": start, "message": sc2PostText})

	// Citizens comment: Anna at the top, Bertil answers her in the legacy
	// shape, Cilla with a photo, David in English.
	sc2Feed(t, in, sc2Comment(sc2Anna, "5001", "Anna Andersson", start+60, sc2AnnaText, sc2Post))
	sc2Feed(t, in, map[string]any{"item": "comment", "verb": "add", "comment_id": sc2Bertil, "post_id": sc2Post,
		"parent_id": sc2Anna, "sender_id": 5002, "sender_name": "Bertil Berg", "created_time": start + 120,
		"message": sc2BertilText})
	photo := sc2Comment(sc2Cilla, "5003", "Cilla Carlsson", start+180, "Här är hålet i cykelbanan vid Kungsportsplatsen.", sc2Post)
	photo["photo"] = "https://scontent-fra3-1.xx.fbcdn.net/v/t31.0-8/16715996_472849323104563_2289972788116415727_o.jpg"
	sc2Feed(t, in, photo)
	const davidFirst = "When will the bike lane on Avenyn open again? I commute there every day."
	sc2Feed(t, in, sc2Comment(sc2David, "5004", "David Smith", start+240, davidFirst, sc2Post))

	convs := in.waitConversations(3)
	byKey := map[string]*inbox.Conversation{}
	for _, c := range convs {
		byKey[c.ThreadKey] = c
	}
	anna, cilla, david := byKey[sc2Anna], byKey[sc2Cilla], byKey[sc2David]
	if anna == nil || cilla == nil || david == nil || len(convs) != 3 {
		t.Fatalf("got %d threads %v, want one per top-level comment (Anna, Cilla, David)", len(convs), sc2Keys(byKey))
	}

	// An agent opens Anna's thread: her comment, then Bertil's reply under
	// it, with the post they are on shown above. The conversation and its
	// messages are read one after the other, so the wait is for the
	// conversation's own count too: only then has it taken in both
	// comments, whichever was applied first.
	th := sc2Wait(t, in, anna.ID, "Bertil's reply in Anna's thread", func(th *sc2Thread) bool {
		return len(th.Messages) == 2 && th.Conversation.MessageCount == 2
	})
	if th.Conversation.Status != inbox.StatusNew || th.Conversation.Channel != inbox.ChannelFacebookComment {
		t.Errorf("Anna's thread: got status %s channel %s, want new facebook_comment", th.Conversation.Status, th.Conversation.Channel)
	}
	if th.Conversation.Contact == nil || th.Conversation.Contact.ExternalID != "5001" {
		t.Errorf("Anna's thread: got contact %+v, want Anna (5001)", th.Conversation.Contact)
	}
	a, b := th.Messages[0], th.Messages[1]
	if a.ExternalID != sc2Anna || a.Direction != inbox.DirectionInbound || a.AuthorName != "Anna Andersson" {
		t.Errorf("first message: got %s %s by %q, want Anna's inbound comment", a.ExternalID, a.Direction, a.AuthorName)
	}
	if b.ExternalID != sc2Bertil || b.AuthorExternalID != "5002" || b.AuthorName != "Bertil Berg" || b.ParentID != a.ID {
		t.Errorf("second message: got %s by %s %q under %d, want Bertil's reply under Anna's comment (%d)",
			b.ExternalID, b.AuthorExternalID, b.AuthorName, b.ParentID, a.ID)
	}
	if th.Post == nil || th.Post.ExternalID != sc2Post || th.Post.Text != sc2PostText {
		t.Errorf("Anna's thread: got post %+v, want the Page's post with its text", th.Post)
	}
	th = sc2Wait(t, in, anna.ID, "the SLA clock on Anna's thread", func(th *sc2Thread) bool { return th.Conversation.SLA != nil })
	if sla := th.Conversation.SLA; !sla.Running || sla.Policy == "" {
		t.Errorf("Anna's thread: got SLA %+v, want a running clock", sla)
	}

	th = sc2Wait(t, in, cilla.ID, "Cilla's photo", func(th *sc2Thread) bool { return len(th.Messages) == 1 })
	if m := th.Messages[0]; len(m.Attachments) != 1 || m.Attachments[0].Type != "image" || !strings.HasPrefix(m.Attachments[0].URL, "https://scontent") {
		t.Errorf("Cilla's comment: got attachments %+v, want the photo as an image", m.Attachments)
	}
	th = sc2Wait(t, in, david.ID, "David's triage", func(th *sc2Thread) bool { return th.Conversation.Triage != nil })
	if th.Conversation.Triage.Language != "en" {
		t.Errorf("David's thread: got language %q, want en", th.Conversation.Triage.Language)
	}

	// Bertil loves Anna's comment: a count, never a conversation.
	sc2Feed(t, in, map[string]any{"item": "reaction", "verb": "add", "post_id": sc2Post, "parent_id": sc2Post,
		"comment_id": sc2Anna, "from": map[string]any{"id": "5002", "name": "Bertil Berg"},
		"created_time": start + 300, "reaction_type": "love"})
	sc2Wait(t, in, anna.ID, "the reaction on Anna's comment", func(th *sc2Thread) bool { return th.Messages[0].Reactions["love"] == 1 })

	// Erik's abusive comment names someone's personal identity number: the
	// system hides it on Facebook at once.
	sc2Feed(t, in, sc2Comment(sc2Erik, "5005", "Erik Ek", start+360, sc2ErikText, sc2Post))
	erik := sc2WaitThread(t, in, sc2Erik)
	hide := sc2WaitOutbound(t, in, erik.ID, inbox.OutboundHideComment)
	if hide.ActorID != 0 || hide.TargetExternalID != sc2Erik {
		t.Errorf("hide: got actor %d target %q, want the system hiding Erik's comment", hide.ActorID, hide.TargetExternalID)
	}
	if n := sc2Calls(t, in, http.MethodPost, "/"+sc2Erik); n != 1 {
		t.Errorf("got %d calls hiding Erik's comment on the Graph API, want 1", n)
	}
	th = sc2Wait(t, in, erik.ID, "Erik's comment hidden", func(th *sc2Thread) bool {
		return len(th.Messages) == 1 && th.Messages[0].Hidden && th.Conversation.Triage != nil && th.Conversation.Triage.AutoHidden
	})
	// Meta tells of the hide it carried out, in the legacy shape.
	sc2Feed(t, in, map[string]any{"item": "comment", "verb": "hide", "comment_id": sc2Erik, "post_id": sc2Post,
		"parent_id": sc2Post, "sender_id": 5005, "sender_name": "Erik Ek", "created_time": start + 370, "message": sc2ErikText})
	sc2CheckModeration(t, in, erik)

	// David edits his comment, then removes it: the first text is kept for
	// the record, the latest is what agents see until the removal.
	const davidEdited = "When will the bike lane on Avenyn open again?"
	edit := sc2Comment(sc2David, "5004", "David Smith", start+400, davidEdited, sc2Post)
	edit["verb"] = "edited"
	sc2Feed(t, in, edit)
	th = sc2Wait(t, in, david.ID, "David's edit", func(th *sc2Thread) bool { return th.Messages[0].Text == davidEdited })
	if m := th.Messages[0]; m.OriginalText != davidFirst || len(m.Edits) != 1 {
		t.Errorf("David's edit: got original %q, %d edits; want the first text kept and one edit", m.OriginalText, len(m.Edits))
	}
	sc2Feed(t, in, map[string]any{"item": "comment", "verb": "remove", "comment_id": sc2David, "post_id": sc2Post,
		"parent_id": sc2Post, "from": map[string]any{"id": "5004", "name": "David Smith"}, "created_time": start + 420})
	sc2Wait(t, in, david.ID, "David's removal", func(th *sc2Thread) bool { return th.Messages[0].DeletedAt != nil })

	sc2Replies(t, in, anna, cilla)
	sc2Supervisor(t, in, anna, cilla, david, erik)
	sc2Erase(t, in, env, anna, cilla)
}
