package web_test

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
	"inkorg/inbox/web"
)

// TestConversationTimes shows times in the UI's zone, Europe/Stockholm
// unless configured, whatever the server's zone, and keeps the machine
// readable datetime in UTC.
func TestConversationTimes(t *testing.T) {
	at := time.Date(2026, 11, 24, 14, 49, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		loc  *time.Location
		want string
	}{
		{"OKStockholmByDefault", nil, "2026-11-24 15:49"},
		{"OKConfigured", time.FixedZone("UTC+3", 3*3600), "2026-11-24 17:49"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSiteWith(t, web.Config{Location: tc.loc})
			id := s.message(t, "psid_tz", at)
			_, body, _ := get(t, s.signedIn(t, "anna"), fmt.Sprintf("%s/conversations/%d", s.url, id))
			want := fmt.Sprintf(`<time datetime="2026-11-24T14:49:00Z">%s</time>`, tc.want)
			if !strings.Contains(body, want) {
				t.Errorf("got times %q, want %s", regexp.MustCompile(`<time[^>]*>[^<]*</time>`).FindAllString(body, -1), want)
			}
		})
	}
}

var statusFormRE = regexp.MustCompile(`(?s)<form method="post" action="/conversations/\d+/status".*?</form>`)

// statusChoices returns the status form of a conversation page and the
// statuses its buttons set.
func statusChoices(body string) (string, []string) {
	form := statusFormRE.FindString(body)
	var out []string
	for _, m := range regexp.MustCompile(`name="status" value="([a-z_]+)"`).FindAllStringSubmatch(form, -1) {
		out = append(out, m[1])
	}
	return form, out
}

func TestConversationStatusForm(t *testing.T) {
	s := newSite(t)
	s.addUser(t, "sara", inbox.RoleSpecialist, "stadsmiljoforvaltningen")
	browser := s.signedIn(t, "anna")
	id := s.message(t, "psid_status", time.Now().Add(-time.Hour))
	path := fmt.Sprintf("/conversations/%d", id)

	t.Run("OKNew", func(t *testing.T) {
		_, body, token := get(t, browser, s.url+path)
		form, got := statusChoices(body)
		if fmt.Sprint(got) != "[resolved pending spam]" {
			t.Fatalf("got status buttons %v, want [resolved pending spam]", got)
		}
		if !strings.Contains(form, fmt.Sprintf(`name="csrf" value="%s"`, token)) {
			t.Error("the status form has no CSRF token")
		}
		for _, label := range []string{"Klar", "Väntar på medborgaren", "Skräp"} {
			if !strings.Contains(html.UnescapeString(form), label) {
				t.Errorf("the status form lacks %q", label)
			}
		}
	})
	t.Run("OKPending", func(t *testing.T) {
		body := s.postForm(t, browser, path+"/status", url.Values{"status": {"pending"}})
		if got := s.conv(t, id).Status; got != inbox.StatusPending {
			t.Fatalf("got status %s, want pending", got)
		}
		if _, got := statusChoices(body); fmt.Sprint(got) != "[resolved open spam]" {
			t.Errorf("pending: got status buttons %v, want [resolved open spam]", got)
		}
		if !strings.Contains(body, "Status har ändrats") {
			t.Error("no flash saying the status changed")
		}
	})
	t.Run("OKResolved", func(t *testing.T) {
		body := s.postForm(t, browser, path+"/status", url.Values{"status": {"resolved"}})
		if got := s.conv(t, id).Status; got != inbox.StatusResolved {
			t.Fatalf("got status %s, want resolved", got)
		}
		form, got := statusChoices(body)
		if fmt.Sprint(got) != "[open]" || !strings.Contains(form, "Öppna igen") {
			t.Errorf("resolved: got status buttons %v, want [open] labelled Öppna igen", got)
		}
	})
	t.Run("OKEnglish", func(t *testing.T) {
		en := s.signedIn(t, "anna")
		_, _, token := get(t, en, s.url+"/")
		post(t, en, s.url+"/settings/language", url.Values{"lang": {"en"}, "csrf": {token}})
		s.postForm(t, en, path+"/status", url.Values{"status": {"open"}})
		_, body, _ := get(t, en, s.url+path)
		form, _ := statusChoices(body)
		if !strings.Contains(form, "Waiting on citizen") || !strings.Contains(form, "Resolved") {
			t.Errorf("the English status form reads %q", form)
		}
	})
	t.Run("OKSpecialistHasNone", func(t *testing.T) {
		anna, _ := s.store.FindUserByName(t.Context(), "anna")
		s.routeTo(t, anna, id, "stadsmiljoforvaltningen")
		_, body, _ := get(t, s.signedIn(t, "sara"), s.url+path)
		if form, _ := statusChoices(body); form != "" {
			t.Errorf("a specialist gets a status form: %q", form)
		}
	})
}

func float(f float64) *float64 { return &f }

func TestConversationAttachments(t *testing.T) {
	s := newSite(t)
	at := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	e := storetest.Event("psid_att", "m_att", at)
	e.Text = ""
	e.Attachments = []inbox.Attachment{
		{Type: inbox.AttachmentImage, URL: "https://cdn.fbsbx.com/bild.jpg"},
		{Type: inbox.AttachmentVideo, URL: "http://cdn.example/film.mp4"},
		{Type: inbox.AttachmentFile, URL: "javascript:alert(1)", Title: "Ansökan.pdf"},
		{Type: inbox.AttachmentLocation, Latitude: float(57.70887), Longitude: float(11.97456)},
		{Type: inbox.AttachmentShare, URL: "https://www.facebook.com/goteborgsstad/posts/1"},
		{Type: inbox.AttachmentStoryMention, URL: "https://lookaside.fbsbx.com/story"},
		{Type: "new_meta_type", URL: "https://www.instagram.com/reel/1"},
	}
	a, err := s.store.ApplyEvent(t.Context(), e)
	if err != nil {
		t.Fatal(err)
	}
	edited := storetest.Event("psid_att", "m_edit", at.Add(time.Minute))
	edited.Text = "Klockan 10"
	if _, err := s.store.ApplyEvent(t.Context(), edited); err != nil {
		t.Fatal(err)
	}
	change := storetest.Change(inbox.EventMessageEdited, "m_edit", at.Add(2*time.Minute))
	change.Author, change.Text = edited.Author, "Klockan 11"
	if _, err := s.store.ApplyEvent(t.Context(), change); err != nil {
		t.Fatal(err)
	}
	_, raw, _ := get(t, s.signedIn(t, "anna"), fmt.Sprintf("%s/conversations/%d", s.url, a.ConversationID))
	thread := regexp.MustCompile(`(?s)<ol class="thread">.*?</ol>\n</section>`).FindString(raw)

	t.Run("OKTypes", func(t *testing.T) {
		for _, want := range []string{"Bild", "Video", "Fil", "Ansökan.pdf", "Plats", "57.70887, 11.97456", "Delat inlägg", "Omnämnande i story", "Bilaga (new_meta_type)"} {
			if !strings.Contains(html.UnescapeString(thread), want) {
				t.Errorf("the thread does not show %q", want)
			}
		}
	})
	t.Run("OKHTTPSLinks", func(t *testing.T) {
		for _, u := range []string{"https://cdn.fbsbx.com/bild.jpg", "https://www.facebook.com/goteborgsstad/posts/1"} {
			if !strings.Contains(thread, fmt.Sprintf(`<a href="%s" rel="noopener noreferrer" target="_blank">`, u)) {
				t.Errorf("%s is not linked in a new tab without referrer", u)
			}
		}
	})
	t.Run("ErrOtherSchemes", func(t *testing.T) {
		if strings.Contains(thread, `href="http://`) || strings.Contains(thread, "javascript:") || strings.Contains(thread, "#ZgotmplZ") {
			t.Error("an attachment URL that is not https is linked")
		}
	})
	t.Run("OKEdited", func(t *testing.T) {
		unescaped := html.UnescapeString(thread)
		if !strings.Contains(unescaped, "Klockan 11") || !strings.Contains(thread, "<details") ||
			!regexp.MustCompile(`(?s)<details[^>]*>\s*<summary>[^<]*redigerat.*?Klockan 10.*?</details>`).MatchString(unescaped) {
			t.Errorf("the edited message has no redigerat marker with the original text: %s", thread)
		}
	})
}

func TestConversationNoteKinds(t *testing.T) {
	s := newSite(t)
	anna, err := s.store.FindUserByName(t.Context(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	sara := s.addUser(t, "sara", inbox.RoleSpecialist, "stadsmiljoforvaltningen")
	svc := inbox.NewService(s.store, nil)
	id := s.message(t, "psid_notes", time.Now().Add(-time.Hour))
	s.routeTo(t, anna, id, "stadsmiljoforvaltningen")
	if _, err := svc.AnswerBack(t.Context(), sara, id, "Boendeparkering söks i e-tjänsten."); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddNote(t.Context(), anna, id, "Ringer upp i morgon."); err != nil {
		t.Fatal(err)
	}
	_, body, _ := get(t, s.signedIn(t, "anna"), fmt.Sprintf("%s/conversations/%d", s.url, id))
	notes := html.UnescapeString(regexp.MustCompile(`(?s)<ul class="notes"[^>]*>.*?</ul>`).FindString(body))
	items := regexp.MustCompile(`(?s)<li[^>]*>.*?</li>`).FindAllString(notes, -1)
	if len(items) != 3 {
		t.Fatalf("got %d notes, want 3: %s", len(items), notes)
	}
	for i, want := range []string{"Fråga till förvaltningen", "Svar från förvaltningen", ""} {
		if want != "" && !strings.Contains(items[i], want) {
			t.Errorf("note %d: got %q, want the label %q", i, items[i], want)
		}
	}
	if !strings.Contains(items[1], "note-answer") {
		t.Errorf("the department's answer is not highlighted: %q", items[1])
	}
	if strings.Contains(items[2], "förvaltningen") {
		t.Errorf("a colleague's note carries a department label: %q", items[2])
	}
}

// TestConversationCodesTranslated shows no raw code for audit actions,
// outbound actions or delivery states, and marks a failed reply.
func TestConversationCodesTranslated(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	anna, err := s.store.FindUserByName(ctx, "anna")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: storetest.PageID, Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	id := s.message(t, "psid_codes", time.Now().Add(-time.Hour))
	msg, err := inbox.NewService(s.store, nil).Reply(ctx, anna, id, inbox.ReplyRequest{Kind: inbox.ReplyDirect, Text: "Hej!"})
	if err != nil {
		t.Fatal(err)
	}
	actions, err := s.store.FindOutboundActions(ctx, id)
	if err != nil || len(actions) != 1 {
		t.Fatalf("got %d outbound actions, %v", len(actions), err)
	}
	if _, err := s.store.UpdateOutbound(ctx, inbox.OutboundUpdate{ID: actions[0].ID, From: []inbox.OutboundState{inbox.OutboundQueued},
		State: inbox.OutboundFailed, Failure: &inbox.OutboundFailure{Class: "outside_window",
			SV: "Meddelandefönstret har stängt.", EN: "The messaging window has closed."}}); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{inbox.ActionHideComment, inbox.ActionRetryOutbound, inbox.ActionSubjectRemoval} {
		if err := s.store.AddAudit(ctx, &inbox.AuditEntry{ActorID: anna.ID, Action: action, ConversationID: id, Detail: "{}"}); err != nil {
			t.Fatal(err)
		}
	}
	browser := s.signedIn(t, "anna")
	_, raw, _ := get(t, browser, fmt.Sprintf("%s/conversations/%d", s.url, id))
	body := html.UnescapeString(raw)

	t.Run("OKSwedish", func(t *testing.T) {
		for _, code := range []string{"hide_comment", "retry_outbound", "subject_removal", "direct_message", ": failed", "outside_window", ">failed<", ">queued<"} {
			if strings.Contains(body, code) {
				t.Errorf("the page shows the code %q", code)
			}
		}
		for _, want := range []string{"Direktmeddelande", "Misslyckades", "Meddelandefönstret har stängt."} {
			if !strings.Contains(body, want) {
				t.Errorf("the page does not say %q", want)
			}
		}
	})
	t.Run("OKFailedReplyMarked", func(t *testing.T) {
		li := regexp.MustCompile(fmt.Sprintf(`(?s)<li class="([^"]*)" id="m%d">.*?</li>`, msg.ID)).FindStringSubmatch(body)
		if li == nil || !strings.Contains(li[1], "msg-failed") || !strings.Contains(li[0], "Svaret kunde inte skickas") {
			t.Errorf("the failed reply is not marked: %v", li)
		}
	})
	t.Run("OKEnglish", func(t *testing.T) {
		_, _, token := get(t, browser, s.url+"/")
		post(t, browser, s.url+"/settings/language", url.Values{"lang": {"en"}, "csrf": {token}})
		_, raw, _ := get(t, browser, fmt.Sprintf("%s/conversations/%d", s.url, id))
		body := html.UnescapeString(raw)
		for _, want := range []string{"Direct message", "Failed", "The messaging window has closed.", "hid the comment"} {
			if !strings.Contains(body, want) {
				t.Errorf("the English page does not say %q", want)
			}
		}
	})
}
