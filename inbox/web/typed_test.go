package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
	"inkorg/inbox/web"
)

// formOf returns the form with the id on the page, up to its end.
func formOf(t *testing.T, body, id string) string {
	t.Helper()
	start := strings.Index(body, `id="`+id+`"`)
	if start < 0 {
		t.Fatalf("the page has no form %s", id)
	}
	end := strings.Index(body[start:], "</form>")
	if end < 0 {
		t.Fatalf("form %s does not end", id)
	}
	return body[start : start+end]
}

// textareaHolds reports whether the page has a textarea with the id
// holding text.
func textareaHolds(body, id, text string) bool {
	start := strings.Index(body, `<textarea id="`+id+`"`)
	if start < 0 {
		return false
	}
	rest := body[start:]
	open, end := strings.Index(rest, ">"), strings.Index(rest, "</textarea>")
	return open >= 0 && end > open && html.UnescapeString(rest[open+1:end]) == text
}

func TestTypedTextKept(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	if err := s.store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: storetest.PageID, Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	lena := s.addUser(t, "lena", inbox.RoleAgent, "")
	svc := inbox.NewService(s.store, nil)
	anna := s.signedIn(t, "anna")
	id := s.message(t, "psid_kept", time.Now().Add(-time.Hour))
	path := fmt.Sprintf("%s/conversations/%d", s.url, id)

	t.Run("ErrReplyHeldByColleague", func(t *testing.T) {
		_, _, token := get(t, anna, path)
		if _, err := svc.Claim(ctx, lena, id, false); err != nil {
			t.Fatal(err)
		}
		reply := "Hej! Badhuset öppnar <kl. 9> i morgon.\nVänliga hälsningar"
		code, body := post(t, anna, path+"/reply", url.Values{"csrf": {token}, "kind": {"direct"}, "text": {reply}})
		if code != http.StatusConflict {
			t.Errorf("got %d, want 409 with the page shown again", code)
		}
		if !strings.Contains(html.UnescapeString(body), "lena arbetar med ärendet") {
			t.Error("the page does not say lena is working on it")
		}
		if !textareaHolds(body, "reply-text", reply) {
			t.Error("the reply box does not hold the reply anna wrote")
		}
		form := formOf(t, body, "reply-form")
		if strings.Contains(form, `type="hidden" name="takeover"`) {
			t.Error("the reply form takes the conversation over without asking")
		}
		if !strings.Contains(form, `<input type="checkbox" name="takeover" value="1" id="reply-takeover">`) ||
			!strings.Contains(html.UnescapeString(form), "Ta över från lena") {
			t.Error(`the reply form has no unticked "Ta över från lena" box`)
		}
		// Sending the form again as it is does not take it over.
		_, _, token = get(t, anna, path)
		if code, _ := post(t, anna, path+"/reply", url.Values{"csrf": {token}, "kind": {"direct"}, "text": {reply}}); code != http.StatusConflict {
			t.Errorf("sending again: got %d, want 409", code)
		}
		if got := s.conv(t, id).AssigneeID; got != lena.ID {
			t.Fatalf("got assignee %d, want lena (%d)", got, lena.ID)
		}
		// Ticking the box does.
		body = s.postForm(t, anna, fmt.Sprintf("/conversations/%d/reply", id), url.Values{"kind": {"direct"}, "text": {reply}, "takeover": {"1"}})
		if !strings.Contains(body, "Svaret ligger i kö") {
			t.Error("the reply with take over ticked was not queued")
		}
		if got := s.conv(t, id).AssigneeID; got == lena.ID || got == 0 {
			t.Errorf("got assignee %d, want anna", got)
		}
	})
	t.Run("ErrNoteUnknownMention", func(t *testing.T) {
		_, _, token := get(t, anna, path)
		note := "Kan @Okänd titta på det här?"
		code, body := post(t, anna, path+"/notes", url.Values{"csrf": {token}, "text": {note}})
		if code != http.StatusUnprocessableEntity {
			t.Errorf("got %d, want 422 with the page shown again", code)
		}
		if !strings.Contains(html.UnescapeString(body), "Anteckningen nämner @Okänd, men det finns ingen användare med det namnet.") {
			t.Error("the page does not say in Swedish that no user is named Okänd")
		}
		if !textareaHolds(body, "note-text", note) {
			t.Error("the note box does not hold the note anna wrote")
		}
	})
	t.Run("ErrAnswerTooLong", func(t *testing.T) {
		s.addUser(t, "sara", inbox.RoleSpecialist, "stadsmiljoforvaltningen")
		routed := s.message(t, "psid_kept_dept", time.Now().Add(-time.Hour))
		router, err := s.store.FindUserByName(ctx, "anna")
		if err != nil {
			t.Fatal(err)
		}
		s.routeTo(t, router, routed, "stadsmiljoforvaltningen")
		sara := s.signedIn(t, "sara")
		p := fmt.Sprintf("%s/conversations/%d", s.url, routed)
		_, _, token := get(t, sara, p)
		answer := strings.Repeat("Boendeparkering söks i e-tjänsten. ", 200)
		code, body := post(t, sara, p+"/answer", url.Values{"csrf": {token}, "text": {answer}})
		if code != http.StatusUnprocessableEntity {
			t.Errorf("got %d, want 422 with the page shown again", code)
		}
		if !textareaHolds(body, "answer-text", answer) {
			t.Error("the answer box does not hold the answer sara wrote")
		}
	})
	t.Run("ErrBulkNothingTicked", func(t *testing.T) {
		_, _, token := get(t, anna, s.url+"/")
		text := "Valhallabadet är stängt i dag på grund av ett tekniskt fel."
		code, body := post(t, anna, s.url+"/bulk", url.Values{"csrf": {token}, "queue": {""}, "action": {"reply"},
			"scope": {"selected"}, "kind": {"direct"}, "text": {text}})
		if code != http.StatusUnprocessableEntity {
			t.Errorf("got %d, want 422 with the form shown again", code)
		}
		if !textareaHolds(body, "bulk-text", text) {
			t.Error("the bulk form does not hold the prepared answer")
		}
		if !strings.Contains(body, `value="reply" required checked`) || !strings.Contains(body, `<option value="direct" selected>`) {
			t.Error("the bulk form does not keep the chosen action and reply kind")
		}
		if !strings.Contains(body, `data-canonical="/?queue=&amp;sort=oldest_waiting"`) {
			t.Error("the page does not name the inbox address to show instead of /bulk")
		}
	})
}

func TestMentionsIgnoreCase(t *testing.T) {
	s := newSite(t)
	lena := s.addUser(t, "lena", inbox.RoleAgent, "")
	asa := s.addUser(t, "åsa", inbox.RoleAgent, "")
	anna := s.signedIn(t, "anna")
	id := s.message(t, "psid_mention", time.Now().Add(-time.Hour))
	body := s.postForm(t, anna, fmt.Sprintf("/conversations/%d/notes", id), url.Values{"text": {"@Lena och @ÅSA, kan ni ta den här?"}})
	if !strings.Contains(body, "Anteckningen är sparad") {
		t.Fatal("a note mentioning @Lena and @ÅSA was not saved")
	}
	notes, err := s.store.FindNotes(t.Context(), id)
	if err != nil || len(notes) != 1 {
		t.Fatalf("got %d notes (%v), want 1", len(notes), err)
	}
	var got []int64
	for _, m := range notes[0].Mentions {
		got = append(got, m.UserID)
	}
	if len(got) != 2 || got[0] != lena.ID || got[1] != asa.ID {
		t.Errorf("got mentions %v, want lena (%d) and åsa (%d)", got, lena.ID, asa.ID)
	}
}

func TestPrivateDraftRepliesToFlaggedComment(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	if err := s.store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: storetest.PageID, Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	anna := s.signedIn(t, "anna")
	comment := func(id, author, text string, at time.Time) inbox.Applied {
		a, err := s.store.ApplyEvent(ctx, inbox.Event{
			Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
			AccountExternalID: storetest.PageID, ThreadKey: "post-9_1", PostExternalID: "post-9", MessageExternalID: id,
			Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: author}, Author: inbox.Actor{ExternalID: author, Name: author},
			Text: text, OccurredAt: at.UTC(),
		})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	flagged := comment("post-9_1", "kim", "Mitt personnummer är 19121212-1212, varför har jag inte fått svar?", time.Now().Add(-2*time.Hour))
	comment("post-9_2", "alex", "Samma här!", time.Now().Add(-time.Hour))
	if err := s.store.SaveTriage(ctx, flagged.ConversationID, &inbox.Triage{MessageID: flagged.MessageID, Administration: "stadsmiljoforvaltningen", Priority: inbox.PriorityNormal,
		Language: "sv", HideRecommended: true, PrivateReply: "Hej! Du har skrivit ditt personnummer i en kommentar.", TriagedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	_, body, _ := get(t, anna, fmt.Sprintf("%s/conversations/%d", s.url, flagged.ConversationID))
	if !strings.Contains(body, fmt.Sprintf(`class="js-use-draft" data-kind="private" data-draft="Hej! Du har skrivit ditt personnummer i en kommentar." data-message="%d"`, flagged.MessageID)) {
		t.Error("the draft button does not name the flagged comment")
	}
	if !strings.Contains(body, `data-confirm="Ersätta det du har skrivit`) {
		t.Error("the draft button has no question before replacing what was written")
	}
	if !strings.Contains(formOf(t, body, "reply-form"), `<input type="hidden" name="reply_to" id="reply-to" value="">`) {
		t.Fatal("the reply form has no reply_to for the draft to set")
	}
}

func TestBulkFilterCount(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	rut := s.addUser(t, "rut", inbox.RoleAgent, "")
	svc := inbox.NewService(s.store, nil)
	anna := s.signedIn(t, "anna")
	// More than one page of the list, so the count is not just the page.
	const n = inbox.DefaultPageSize + 5
	for i := range n {
		id := s.message(t, fmt.Sprintf("psid_count_%d", i), time.Now().Add(-time.Hour))
		if _, err := svc.Tag(ctx, rut, id, []string{"kris:storm"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	s.message(t, "psid_count_other", time.Now().Add(-time.Hour))
	_, body, _ := get(t, anna, s.url+"/?queue=&tag=kris:storm")
	body = html.UnescapeString(body)
	if want := fmt.Sprintf("Alla som matchar filtret: %d ärenden", n); !strings.Contains(body, want) {
		t.Errorf("the bulk form does not say %q", want)
	}
	if want := fmt.Sprintf(`data-confirm="Åtgärden görs på alla %d ärenden som matchar filtret. Fortsätta?"`, n); !strings.Contains(body, want) {
		t.Errorf("the bulk form has no confirmation naming %d conversations", n)
	}
}

// TestHideRecordsKindOfData: the hide button of a comment triage found a
// card number in, and no personal identity number, records the hide for
// the card number.
func TestHideRecordsKindOfData(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	anna := s.signedIn(t, "anna")
	for _, tc := range []struct {
		thread string
		kinds  []inbox.SensitiveKind
		want   inbox.SensitiveKind
	}{
		{"card", []inbox.SensitiveKind{inbox.SensitivePaymentCard}, inbox.SensitivePaymentCard},
		{"both", []inbox.SensitiveKind{inbox.SensitivePaymentCard, inbox.SensitivePersonalIdentityNumber}, inbox.SensitivePersonalIdentityNumber},
	} {
		a, err := s.store.ApplyEvent(ctx, inbox.Event{
			Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
			AccountExternalID: storetest.PageID, ThreadKey: "post-8_" + tc.thread, PostExternalID: "post-8", MessageExternalID: "post-8_" + tc.thread,
			Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: tc.thread}, Author: inbox.Actor{ExternalID: tc.thread},
			Text: "Kortet drogs två gånger", OccurredAt: time.Now().Add(-time.Hour).UTC(),
		})
		if err != nil {
			t.Fatal(err)
		}
		var spans []inbox.SensitiveSpan
		for _, k := range tc.kinds {
			spans = append(spans, inbox.SensitiveSpan{Kind: k, Start: 0, End: 6})
		}
		if err := s.store.SaveTriage(ctx, a.ConversationID, &inbox.Triage{MessageID: a.MessageID, Administration: "stadsmiljoforvaltningen",
			Priority: inbox.PriorityNormal, Language: "sv", Sensitive: spans, HideRecommended: true, TriagedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		_, body, _ := get(t, anna, fmt.Sprintf("%s/conversations/%d", s.url, a.ConversationID))
		if want := fmt.Sprintf(`<input type="hidden" name="reason" value="%s">`, tc.want); !strings.Contains(body, want) {
			t.Errorf("%s: the hide form does not record the hide as %s", tc.thread, tc.want)
		}
	}
}

// TestRouteQuestionKept: a route the service refuses (no administration
// chosen, a question too long) shows the page again with the question
// written for the department and the administration chosen, instead of
// redirecting and losing them.
func TestRouteQuestionKept(t *testing.T) {
	s := newSiteWith(t, web.Config{Administrations: []web.Administration{
		{ID: "kretslopp-vatten", Name: "Kretslopp och vatten"}, {ID: "stadsmiljo", Name: "Stadsmiljöförvaltningen"}}})
	anna := s.signedIn(t, "anna")
	id := s.message(t, "psid_route_kept", time.Now().Add(-time.Hour))
	path := fmt.Sprintf("%s/conversations/%d", s.url, id)
	for _, tc := range []struct {
		name, admin, question, selected string
	}{
		{"ErrNoAdministration", "", "Vet ni när <tömningen> sker i Majorna?", `<option value="" selected>`},
		{"ErrQuestionTooLong", "stadsmiljo", strings.Repeat("Gatlyktan på Allén är trasig. ", 200), `<option value="stadsmiljo" selected>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, token := get(t, anna, path)
			code, body := post(t, anna, path+"/route", url.Values{"csrf": {token}, "administration": {tc.admin}, "question": {tc.question}})
			if code != http.StatusUnprocessableEntity {
				t.Errorf("got %d, want 422 with the page shown again", code)
			}
			if !textareaHolds(body, "route-question", tc.question) {
				t.Error("the route form does not hold the question anna wrote")
			}
			if !strings.Contains(body, tc.selected) {
				t.Errorf("the route form does not select %s", tc.selected)
			}
			if got := s.conv(t, id).Status; got == inbox.StatusRouted {
				t.Errorf("got status %s, want it not routed", got)
			}
		})
	}
}

// TestTagsKept: tags the service refuses (one too long) stay in the tag
// form, to correct, and none of them is added.
func TestTagsKept(t *testing.T) {
	s := newSite(t)
	anna := s.signedIn(t, "anna")
	id := s.message(t, "psid_tags_kept", time.Now().Add(-time.Hour))
	path := fmt.Sprintf("%s/conversations/%d", s.url, id)
	_, _, token := get(t, anna, path)
	tags := "badhus, " + strings.Repeat("simhall", 10) + ", <öppettider>"
	code, body := post(t, anna, path+"/tags", url.Values{"csrf": {token}, "add": {tags}})
	if code != http.StatusUnprocessableEntity {
		t.Errorf("got %d, want 422 with the page shown again", code)
	}
	if !strings.Contains(html.UnescapeString(body), "är längre än 50 tecken") {
		t.Error("the page does not say which tag is too long")
	}
	if want := `<input id="tag-add" name="add" required aria-describedby="tag-help" value="` + html.EscapeString(tags) + `">`; !strings.Contains(body, want) {
		t.Errorf("the tag form does not hold the tags anna wrote: want %s", want)
	}
	if got := s.conv(t, id).Tags; len(got) != 0 {
		t.Errorf("got tags %v, want none added", got)
	}
}

// TestHideOtherConversation: the hide form of a conversation hides only
// that conversation's comments; a message id of another conversation,
// which only a crafted request sends, is refused and nothing is queued.
func TestHideOtherConversation(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	if err := s.store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: storetest.PageID, Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	anna := s.signedIn(t, "anna")
	var convs, msgs [2]int64
	for i, thread := range []string{"post-9_a", "post-9_b"} {
		a, err := s.store.ApplyEvent(ctx, inbox.Event{
			Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
			AccountExternalID: storetest.PageID, ThreadKey: thread, PostExternalID: "post-9", MessageExternalID: thread,
			Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: thread}, Author: inbox.Actor{ExternalID: thread},
			Text: "Mitt personnummer är 19121212-1212", OccurredAt: time.Now().Add(-time.Hour).UTC(),
		})
		if err != nil {
			t.Fatal(err)
		}
		convs[i], msgs[i] = a.ConversationID, a.MessageID
	}
	path := fmt.Sprintf("%s/conversations/%d", s.url, convs[0])
	_, _, token := get(t, anna, path)
	if code, _ := post(t, anna, path+"/hide", url.Values{"csrf": {token}, "message": {fmt.Sprint(msgs[1])}, "reason": {"personnummer"}}); code != http.StatusSeeOther {
		t.Fatalf("got %d, want 303 back to the conversation", code)
	}
	if _, body, _ := get(t, anna, path); !strings.Contains(html.UnescapeString(body), "Kommentaren finns inte i det här ärendet.") {
		t.Error("no flash saying the comment is not in this conversation")
	}
	for _, id := range convs {
		if actions, err := s.store.FindOutboundActions(ctx, id); err != nil || len(actions) != 0 {
			t.Errorf("conversation %d: got outbound actions %+v, %v, want none", id, actions, err)
		}
	}
	post(t, anna, path+"/hide", url.Values{"csrf": {token}, "message": {fmt.Sprint(msgs[0])}, "reason": {"personnummer"}})
	if actions, err := s.store.FindOutboundActions(ctx, convs[0]); err != nil || len(actions) != 1 || actions[0].Kind != inbox.OutboundHideComment {
		t.Errorf("its own comment: got outbound actions %+v, %v, want one hide", actions, err)
	}
}
