package web

import "inkorg/inbox"

// routingView is what the routing panel shows of the conversation's triage
// and which administration its route form selects.
type routingView struct {
	// Uncertain is set when triage needed a human: its proposal is a
	// guess, shown with the alternatives and never preselected, so that
	// routing it takes a person's choice (and the classifier learns from
	// that choice, not from its own guess).
	Uncertain    bool
	Alternatives []alternativeView
	// Referral is where to send the citizen for a body outside the city;
	// ReferralLink is set when it is a link the page may open.
	Referral     string
	ReferralLink bool
	// Selected is the administration the route form selects; "" selects
	// the placeholder, which the form refuses to send.
	Selected string
}

// alternativeView is an administration triage ranked below its proposal.
type alternativeView struct {
	Name       string
	Confidence int
}

// routing returns the routing panel's view of triage t, empty when the
// conversation has none. Only a confident proposal of an administration
// the UI knows is preselected: a removed one must not leave the browser
// to select the list's first.
func (ui *UI) routing(t *inbox.Triage) routingView {
	if t == nil {
		return routingView{}
	}
	v := routingView{Uncertain: t.NeedsHuman, Referral: t.Referral, ReferralLink: isHTTPS(t.Referral)}
	if _, known := ui.names[t.Administration]; known && !t.NeedsHuman {
		v.Selected = t.Administration
	}
	for _, a := range t.Alternatives {
		v.Alternatives = append(v.Alternatives, alternativeView{Name: ui.adminName(a.Administration), Confidence: percent(a.Confidence)})
	}
	return v
}

// percent is a confidence in whole per cent.
func percent(confidence float64) int { return int(confidence*100 + 0.5) }
