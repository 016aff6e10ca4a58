package web_test

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
	"inkorg/inbox/web"
)

// offer is one way to submit a form of the conversation page: the form's
// fields as a browser sends them, with one of its submit buttons.
type offer struct {
	action string
	form   url.Values
}

var (
	formRE     = regexp.MustCompile(`(?s)<form method="post" action="([^"]+)"[^>]*>(.*?)</form>`)
	hiddenRE   = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)
	inputRE    = regexp.MustCompile(`<input id="[^"]*" name="([^"]+)"([^>]*)>`)
	textareaRE = regexp.MustCompile(`<textarea [^>]*name="([^"]+)"`)
	selectRE   = regexp.MustCompile(`(?s)<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	optionRE   = regexp.MustCompile(`<option value="([^"]+)"`)
	checkRE    = regexp.MustCompile(`<input type="checkbox" name="([^"]+)" value="([^"]*)"`)
	radioRE    = regexp.MustCompile(`<input type="radio" name="([^"]+)" value="([^"]*)" checked`)
	buttonRE   = regexp.MustCompile(`<button type="submit"([^>]*)>`)
	attrRE     = regexp.MustCompile(`(\w+)="([^"]*)"`)
)

// offers returns every submission the conversation page offers on the
// conversation: each
// submit button of each form, with the fields filled in as a user would
// (the texts written, the first administration chosen, the defaults
// kept). A form with a choice but nothing to choose is left out.
func offers(page string) []offer {
	var out []offer
	for _, f := range formRE.FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(f[1], "/conversations/") {
			continue // the layout's, such as signing out
		}
		form := url.Values{}
		for _, m := range hiddenRE.FindAllStringSubmatch(f[2], -1) {
			form.Add(m[1], html.UnescapeString(m[2]))
		}
		for _, m := range inputRE.FindAllStringSubmatch(f[2], -1) {
			v := "x"
			if a := attrs(m[2]); a["value"] != "" {
				v = a["value"]
			} else if m[1] == "user" {
				v = "sune"
			}
			form.Set(m[1], v)
		}
		for _, m := range textareaRE.FindAllStringSubmatch(f[2], -1) {
			form.Set(m[1], "Tack för frågan.")
		}
		// A takeover box is ticked: the form offers taking the
		// conversation over.
		for _, m := range checkRE.FindAllStringSubmatch(f[2], -1) {
			form.Set(m[1], m[2])
		}
		for _, m := range radioRE.FindAllStringSubmatch(f[2], -1) {
			form.Set(m[1], m[2])
		}
		choosable := true
		for _, m := range selectRE.FindAllStringSubmatch(f[2], -1) {
			o := optionRE.FindStringSubmatch(m[2])
			if o == nil {
				choosable = false
				break
			}
			form.Set(m[1], o[1])
		}
		if !choosable {
			continue
		}
		for _, b := range buttonRE.FindAllStringSubmatch(f[2], -1) {
			a := attrs(b[1])
			sub := offer{action: f[1], form: url.Values{}}
			for k, v := range form {
				sub.form[k] = v
			}
			if a["name"] != "" {
				sub.form.Set(a["name"], html.UnescapeString(a["value"]))
			}
			if a["formaction"] != "" {
				sub.action = a["formaction"]
			}
			out = append(out, sub)
		}
	}
	return out
}

func attrs(s string) map[string]string {
	out := map[string]string{}
	for _, m := range attrRE.FindAllStringSubmatch(s, -1) {
		out[m[1]] = m[2]
	}
	return out
}

// TestConversationOffersOnlyWhatIsAllowed: whoever opens a conversation,
// in whatever state, is offered only actions that are done when
// submitted: every button of every form on the page, pressed on the
// state the page shows, answers without an error. Among them a specialist
// on a conversation the department answered back (open, held by the
// agent who routed it), an agent on a colleague's conversation, and
// anyone on a resolved or spam one.
func TestConversationOffersOnlyWhatIsAllowed(t *testing.T) {
	const dept = "stadsmiljoforvaltningen"
	s := newSiteWith(t, web.Config{Administrations: []web.Administration{{ID: dept, Name: "Stadsmiljöförvaltningen"}}})
	ctx := t.Context()
	anna, err := s.store.FindUserByName(ctx, "anna")
	if err != nil {
		t.Fatal(err)
	}
	s.addUser(t, "bo", inbox.RoleAgent, "")
	sara := s.addUser(t, "sara", inbox.RoleSpecialist, dept)
	per := s.addUser(t, "per", inbox.RoleSpecialist, dept)
	s.addUser(t, "sune", inbox.RoleSupervisor, "")
	if err := s.store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: storetest.PageID, Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	svc := inbox.NewService(s.store, nil)
	must := func(_ *inbox.Conversation, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	states := []struct {
		name  string
		setup func(id int64)
	}{
		{"New", func(int64) {}},
		{"HeldByAnna", func(id int64) { must(svc.Claim(ctx, anna, id, false)) }},
		{"Routed", func(id int64) { must(svc.Route(ctx, anna, id, dept, "Kan ni svara?")) }},
		{"RoutedAcceptedByPer", func(id int64) {
			must(svc.Route(ctx, anna, id, dept, "Kan ni svara?"))
			must(svc.Accept(ctx, per, id))
		}},
		{"RoutedAcceptedBySara", func(id int64) {
			must(svc.Route(ctx, anna, id, dept, "Kan ni svara?"))
			must(svc.Accept(ctx, sara, id))
		}},
		{"AnsweredBack", func(id int64) {
			must(svc.Route(ctx, anna, id, dept, "Kan ni svara?"))
			must(svc.AnswerBack(ctx, per, id, "Felanmälan är gjord."))
		}},
		{"ResolvedByAnna", func(id int64) { must(svc.SetStatus(ctx, anna, id, inbox.StatusResolved)) }},
		{"Resolved", func(id int64) {
			must(svc.SetStatus(ctx, anna, id, inbox.StatusResolved))
			must(svc.Unassign(ctx, anna, id))
		}},
		{"Spam", func(id int64) { must(svc.SetStatus(ctx, anna, id, inbox.StatusSpam)) }},
		{"PendingHeldByAnna", func(id int64) { must(svc.SetStatus(ctx, anna, id, inbox.StatusPending)) }},
	}
	n := 0
	fresh := func(setup func(int64)) int64 {
		n++
		a, err := s.store.ApplyEvent(ctx, storetest.Event(fmt.Sprintf("psid_offers_%d", n), fmt.Sprintf("m_offers_%d", n), time.Now().Add(-time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		setup(a.ConversationID)
		return a.ConversationID
	}
	for _, viewer := range []string{"anna", "bo", "sara", "sune"} {
		browser := s.signedIn(t, viewer)
		for _, st := range states {
			t.Run(viewer+"/"+st.name, func(t *testing.T) {
				id := fresh(st.setup)
				code, page, _ := get(t, browser, fmt.Sprintf("%s/conversations/%d", s.url, id))
				if code == http.StatusForbidden {
					return
				}
				if viewer == "sara" && strings.Contains(page, ">Ta emot</button>") && st.name != "Routed" {
					t.Error("the page offers the specialist to accept a question that does not wait on her")
				}
				count := len(offers(page))
				for i := range count {
					id := fresh(st.setup)
					code, page, _ := get(t, browser, fmt.Sprintf("%s/conversations/%d", s.url, id))
					all := offers(page)
					if len(all) != count {
						t.Fatalf("conversation %d: got %d offers (status %d), want %d as on the first", id, len(all), code, count)
					}
					o := all[i]
					resp, err := browser.PostForm(s.url+o.action, o.form)
					if err != nil {
						t.Fatal(err)
					}
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					body := string(b)
					if resp.StatusCode == http.StatusSeeOther {
						_, body, _ = get(t, browser, s.url+resp.Header.Get("Location"))
					}
					if resp.StatusCode != http.StatusSeeOther || strings.Contains(body, "flash-error") {
						i := strings.Index(body, "flash-error")
						t.Errorf("offered %s %v: got %d %.200q", strings.Replace(o.action, fmt.Sprint(id), "ID", 1), without(o.form, "csrf"), resp.StatusCode, html.UnescapeString(body[max(i, 0):]))
					}
				}
			})
		}
	}
}

func without(v url.Values, key string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		if k != key {
			out[k] = vs
		}
	}
	return out
}
