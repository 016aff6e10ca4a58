package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"inkorg/inbox"
)

// addUser stores a user who signs in with password.
func (s *site) addUser(t *testing.T, name string, role inbox.Role, admin string) *inbox.User {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	u := &inbox.User{Name: name, Role: role, AdministrationID: admin, PasswordHash: string(hash)}
	if err := s.store.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// signedIn returns a browser signed in as name.
func (s *site) signedIn(t *testing.T, name string) *http.Client {
	t.Helper()
	c := s.client(t)
	if code, _ := s.login(t, c, name, password); code != http.StatusSeeOther {
		t.Fatalf("sign-in as %s: got %d, want 303", name, code)
	}
	return c
}

// flaggedComment stores a public comment routed to admin by router and
// puts it in the moderation queue as hate.
func (s *site) flaggedComment(t *testing.T, router *inbox.User, text, admin string) (conv, msg int64) {
	t.Helper()
	ctx := t.Context()
	id := fmt.Sprintf("post-1_%d", time.Now().UnixNano())
	a, err := s.store.ApplyEvent(ctx, inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelFacebookComment,
		AccountExternalID: "page-1", ThreadKey: id, PostExternalID: "post-1", MessageExternalID: id,
		Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "c" + id}, Author: inbox.Actor{ExternalID: "c" + id, Name: "Kim"},
		Text: text, OccurredAt: time.Now().Add(-time.Hour).UTC(),
	})
	if err != nil {
		t.Fatal(err)
	}
	flag := &inbox.ModerationFlag{MessageID: a.MessageID, ConversationID: a.ConversationID,
		Categories: []inbox.ModerationCategory{inbox.ModerationHate}, Rules: []string{"hate.slur"},
		State: inbox.ModerationOpen, FlaggedAt: time.Now().UTC()}
	if _, err := s.store.FlagComment(ctx, flag); err != nil {
		t.Fatal(err)
	}
	if _, err := inbox.NewService(s.store, nil).Route(ctx, router, a.ConversationID, admin, "Moderera?"); err != nil {
		t.Fatal(err)
	}
	return a.ConversationID, a.MessageID
}

func TestModerationPage(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	if err := s.store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "page-1", Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	router := s.addUser(t, "rut", inbox.RoleAgent, "")
	s.addUser(t, "sune", inbox.RoleSupervisor, "")
	s.addUser(t, "sara", inbox.RoleSpecialist, "idrott-och-forening")
	conv, msg := s.flaggedComment(t, router, `Ni är <script>alert(1)</script> värdelösa`, "kretslopp-och-vatten")
	anna := s.signedIn(t, "anna")

	t.Run("OKRendersEscaped", func(t *testing.T) {
		for _, name := range []string{"anna", "sune"} {
			c := anna
			if name != "anna" {
				c = s.signedIn(t, name)
			}
			code, body, _ := get(t, c, s.url+"/moderation")
			if code != http.StatusOK {
				t.Fatalf("%s: got %d, want 200", name, code)
			}
			if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Errorf("%s: the comment's markup is not escaped", name)
			}
			for _, want := range []string{`dir="auto"`, "Hets mot folkgrupp, hatretorik", "hate.slur", `href="/moderation"`,
				fmt.Sprintf(`action="/moderation/%d"`, msg), fmt.Sprintf(`for="reason-%d"`, msg)} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the page lacks %q", name, want)
				}
			}
		}
	})
	t.Run("OKSpecialistScoped", func(t *testing.T) {
		code, body, _ := get(t, s.signedIn(t, "sara"), s.url+"/moderation")
		if code != http.StatusOK || strings.Contains(body, "värdelösa") || !strings.Contains(body, "Inga kommentarer här just nu.") {
			t.Errorf("specialist of another administration: got %d, want 200 without the comment", code)
		}
	})
	t.Run("ErrSpecialistDecides", func(t *testing.T) {
		c := s.signedIn(t, "sara")
		_, _, token := get(t, c, s.url+"/moderation")
		code, _ := post(t, c, fmt.Sprintf("%s/moderation/%d", s.url, msg), url.Values{"csrf": {token},
			"decision": {"hide"}, "category": {"hate"}, "reason": {"Hets"}})
		if code != http.StatusSeeOther {
			t.Fatalf("got %d, want 303 back to the queue", code)
		}
		if _, body, _ := get(t, c, s.url+"/moderation"); !strings.Contains(body, "Du har inte behörighet") {
			t.Error("no flash saying the specialist may not decide")
		}
	})
	t.Run("ErrNoCSRF", func(t *testing.T) {
		code, _ := post(t, anna, fmt.Sprintf("%s/moderation/%d", s.url, msg), url.Values{"decision": {"hide"}, "category": {"hate"}, "reason": {"x"}})
		if code != http.StatusForbidden {
			t.Errorf("got %d, want 403", code)
		}
	})
	t.Run("ErrNoReason", func(t *testing.T) {
		_, _, token := get(t, anna, s.url+"/moderation")
		post(t, anna, fmt.Sprintf("%s/moderation/%d", s.url, msg), url.Values{"csrf": {token}, "decision": {"hide"}, "category": {"hate"}, "reason": {" "}})
		_, body, _ := get(t, anna, s.url+"/moderation")
		if !strings.Contains(body, "Skriv en motivering") || !strings.Contains(body, "värdelösa") {
			t.Error("a decision without a reason: want a flash asking for one and the comment still open")
		}
		if strings.Contains(body, "Give a reason") {
			t.Error("the Swedish page shows the English message too")
		}
	})
	t.Run("OKHide", func(t *testing.T) {
		_, _, token := get(t, anna, s.url+"/moderation")
		resp, err := anna.PostForm(fmt.Sprintf("%s/moderation/%d", s.url, msg), url.Values{"csrf": {token}, "state": {"open"},
			"decision": {"hide"}, "category": {"hate"}, "reason": {"Hets mot folkgrupp; BBS-lagen"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/moderation?state=open" {
			t.Fatalf("got %d to %q, want 303 to the open queue", resp.StatusCode, resp.Header.Get("Location"))
		}
		if _, body, _ := get(t, anna, s.url+"/moderation"); !strings.Contains(body, "Beslutet är sparat.") || strings.Contains(body, "värdelösa") {
			t.Error("after hiding: want a flash and the comment gone from the open queue")
		}
		hidden, err := s.store.FindModerationQueue(ctx, inbox.ModerationFilter{State: inbox.ModerationHidden})
		if err != nil || len(hidden) != 1 || hidden[0].MessageID != msg || hidden[0].DecidedBy == 0 {
			t.Fatalf("got hidden %+v, %v, want the comment with its decider", hidden, err)
		}
		actions, err := s.store.FindOutboundActions(ctx, conv)
		if err != nil || len(actions) != 1 || actions[0].Kind != inbox.OutboundHideComment {
			t.Errorf("got outbound actions %+v, %v, want one hide queued", actions, err)
		}
		if _, body, _ := get(t, anna, s.url+"/moderation?state=hidden"); !strings.Contains(body, "värdelösa") {
			t.Error("the hidden tab does not list the comment")
		}
	})
	// A decision on a later page of a tab comes back to that page, not to
	// the tab's first.
	t.Run("OKBackToItsPage", func(t *testing.T) {
		_, later := s.flaggedComment(t, router, "Ni är värdelösa, allihop", "kretslopp-och-vatten")
		after := msg
		path := fmt.Sprintf("%s/moderation?state=open&after=%d", s.url, after)
		_, body, token := get(t, anna, path)
		if want := fmt.Sprintf(`<input type="hidden" name="after" value="%d">`, after); !strings.Contains(body, want) {
			t.Fatalf("the page's decision form lacks %s", want)
		}
		resp, err := anna.PostForm(fmt.Sprintf("%s/moderation/%d", s.url, later), url.Values{"csrf": {token}, "state": {"open"},
			"after": {fmt.Sprint(after)}, "decision": {"keep"}, "category": {"hate"}, "reason": {"Kritik, inte hets"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if want := fmt.Sprintf("/moderation?state=open&after=%d", after); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("got %d to %q, want 303 to %s", resp.StatusCode, resp.Header.Get("Location"), want)
		}
		if _, body, _ := get(t, anna, s.url+"/moderation"); strings.Contains(body, `name="after"`) {
			t.Error("the first page's forms carry a page start")
		}
	})
}

func TestDashboardAlerts(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	s.addUser(t, "sune", inbox.RoleSupervisor, "")
	now := time.Now().UTC()
	a := &inbox.Alert{Kind: inbox.AlertSpike, Topic: "vatten", Tag: inbox.CrisisTagPrefix + "vatten", PeriodStart: now.Truncate(time.Hour),
		WindowStart: now.Add(-30 * time.Minute), WindowEnd: now, Count: 42, Baseline: 3}
	if _, err := s.store.SaveAlert(ctx, a); err != nil {
		t.Fatal(err)
	}
	e, err := s.store.ApplyEvent(ctx, inbox.Event{Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook,
		Channel: inbox.ChannelMessenger, AccountExternalID: "page-1", ThreadKey: "t-vatten", MessageExternalID: "m-vatten",
		Direction: inbox.DirectionInbound, Contact: inbox.Actor{ExternalID: "c1"}, Author: inbox.Actor{ExternalID: "c1"},
		Text: "Det kommer brunt vatten ur kranen", OccurredAt: now.Add(-10 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.TagConversations(ctx, a.ID, a.Tag, []int64{e.ConversationID}); err != nil {
		t.Fatal(err)
	}

	sune := s.signedIn(t, "sune")
	code, body, _ := get(t, sune, s.url+"/dashboard")
	if code != http.StatusOK {
		t.Fatalf("supervisor: got %d, want 200", code)
	}
	link := "/?queue=&amp;tag=kris%3Avatten"
	for _, want := range []string{"Krislarm", ">vatten<", "<td>42</td>", link} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	t.Run("OKAlertLinkFilters", func(t *testing.T) {
		_, body, _ := get(t, sune, s.url+"/?queue=&tag=kris%3Avatten")
		if !strings.Contains(body, fmt.Sprintf(`href="/conversations/%d"`, e.ConversationID)) {
			t.Error("the inbox filtered by the alert's tag does not list its conversation")
		}
		_, body, _ = get(t, sune, s.url+"/?queue=&tag=kris%3Aandra")
		if strings.Contains(body, fmt.Sprintf(`href="/conversations/%d"`, e.ConversationID)) {
			t.Error("the inbox filtered by another tag lists the conversation")
		}
	})
	t.Run("ErrAgent", func(t *testing.T) {
		if code, body, _ := get(t, s.signedIn(t, "anna"), s.url+"/dashboard"); code != http.StatusForbidden || strings.Contains(body, "vatten") {
			t.Errorf("agent: got %d, want 403 without the alert", code)
		}
	})
}

// TestModerationPageShowsFailure: a decision Meta did not carry out puts
// the comment back in the open queue with why, for the moderator to see.
func TestModerationPageShowsFailure(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	router := s.addUser(t, "rut", inbox.RoleAgent, "")
	s.addUser(t, "sune", inbox.RoleSupervisor, "")
	_, msg := s.flaggedComment(t, router, "Ni är idioter allihop", "kretslopp-och-vatten")
	failed := &inbox.OutboundAction{ID: 77, Kind: inbox.OutboundHideComment, TargetMessageID: msg,
		Failure: &inbox.OutboundFailure{SV: "sidans token har gått ut", EN: "the Page's token has expired"}}
	if err := s.store.ReopenModeration(ctx, failed); err != nil {
		t.Fatal(err)
	}
	code, body, _ := get(t, s.signedIn(t, "sune"), s.url+"/moderation")
	if code != http.StatusOK {
		t.Fatalf("got %d, want 200", code)
	}
	for _, want := range []string{"Beslutet genomfördes inte på plattformen", "sidans token har gått ut"} {
		if !strings.Contains(body, want) {
			t.Errorf("the queue does not show %q", want)
		}
	}
}
