package web_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/web"
)

var routeSelectRE = regexp.MustCompile(`(?s)<select id="route-admin".*?</select>`)

// routingPanel is the routing panel of a conversation page.
var routingPanelRE = regexp.MustCompile(`(?s)<section aria-labelledby="routing-heading".*?</section>`)

// triagedPage stores a citizen's message triaged as t (its MessageID is
// filled in) and returns the routing panel of its page and the route
// form's select.
func triagedPage(t *testing.T, t0 inbox.Triage) (panel, sel string) {
	t.Helper()
	s := newSiteWith(t, web.Config{Administrations: []web.Administration{
		{ID: "aldre", Name: "Äldre samt vård- och omsorgsförvaltningen"},
		{ID: "kultur", Name: "Kulturförvaltningen"},
		{ID: "stadsmiljo", Name: "Stadsmiljöförvaltningen"},
	}})
	id := s.message(t, "psid_route", time.Now().Add(-time.Hour))
	msgs, err := s.store.FindMessages(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	t0.MessageID, t0.Language, t0.Priority, t0.TriagedAt = msgs[0].ID, "sv", inbox.PriorityNormal, time.Now()
	if err := s.store.SaveTriage(t.Context(), id, &t0); err != nil {
		t.Fatal(err)
	}
	_, body, _ := get(t, s.signedIn(t, "anna"), fmt.Sprintf("%s/conversations/%d", s.url, id))
	return routingPanelRE.FindString(body), routeSelectRE.FindString(body)
}

// selected returns the values of the select's selected options.
func selected(sel string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<option value="([^"]*)" selected>`).FindAllStringSubmatch(sel, -1) {
		out = append(out, m[1])
	}
	return out
}

// A triage that needed a human ("Hej" → 3 %) is a guess: the route form
// selects none (one click must not send the conversation there and teach
// the classifier its own guess), and the panel says it is uncertain and
// shows the alternatives.
func TestConversationRouteNeedsHuman(t *testing.T) {
	panel, sel := triagedPage(t, inbox.Triage{Administration: "kultur", Confidence: 0.029, NeedsHuman: true,
		Alternatives: []inbox.Alternative{{Administration: "aldre", Confidence: 0.027}, {Administration: "stadsmiljo", Confidence: 0.021}}})
	if got := selected(sel); len(got) != 1 || got[0] != "" {
		t.Errorf("got selected %q, want only the placeholder: %s", got, sel)
	}
	if !strings.Contains(sel, `<select id="route-admin" name="administration" required>`) || !strings.Contains(sel, "Välj förvaltning…") {
		t.Errorf("got %s, want a required select with the placeholder", sel)
	}
	for _, want := range []string{"Osäker – behöver bedömning", "Kulturförvaltningen</strong> (3 % säkerhet)",
		"<li>Äldre samt vård- och omsorgsförvaltningen (3 % säkerhet)</li>", "<li>Stadsmiljöförvaltningen (2 % säkerhet)</li>"} {
		if !strings.Contains(panel, want) {
			t.Errorf("panel lacks %q: %s", want, panel)
		}
	}
	if strings.Contains(panel, "Hänvisa till") {
		t.Errorf("panel shows a referral the triage has none of: %s", panel)
	}
}

// A confident proposal is preselected, without the uncertainty note; a
// referral is shown when the triage has one.
func TestConversationRouteConfident(t *testing.T) {
	panel, sel := triagedPage(t, inbox.Triage{Administration: "kultur", Confidence: 0.91, Referral: "https://www.vasttrafik.se",
		Alternatives: []inbox.Alternative{{Administration: "aldre", Confidence: 0.02}}})
	if got := selected(sel); len(got) != 1 || got[0] != "kultur" {
		t.Errorf("got selected %q, want kultur: %s", got, sel)
	}
	if strings.Contains(panel, "Osäker") || strings.Contains(panel, `class="alternatives"`) {
		t.Errorf("confident triage shown as uncertain: %s", panel)
	}
	if want := `Hänvisa till: <a href="https://www.vasttrafik.se" rel="noopener noreferrer" target="_blank">`; !strings.Contains(panel, want) {
		t.Errorf("panel lacks %q: %s", want, panel)
	}
}

// A proposal of an administration the UI no longer knows selects the
// placeholder, not the list's first administration.
func TestConversationRouteRemovedAdministration(t *testing.T) {
	_, sel := triagedPage(t, inbox.Triage{Administration: "nedlagd-forvaltning", Confidence: 0.9})
	if got := selected(sel); len(got) != 1 || got[0] != "" {
		t.Errorf("got selected %q, want only the placeholder: %s", got, sel)
	}
}
