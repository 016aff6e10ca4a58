package demo

import "testing"

// Every demo profile belongs to a sample Messenger sender, so the demo's
// Messenger contacts get a name, and one sender has none.
func TestProfilesCoverMessengerSenders(t *testing.T) {
	senders := map[string]bool{}
	for _, s := range samples {
		if s.messenger {
			senders[s.fromID] = true
		}
	}
	for _, p := range Profiles() {
		if !senders[p.PSID] || p.FirstName == "" || p.LastName == "" {
			t.Errorf("profile %+v: want a sample Messenger sender with a full name", p)
		}
		delete(senders, p.PSID)
	}
	if len(senders) != 1 {
		t.Errorf("got %d senders without a profile, want 1 (a refused profile)", len(senders))
	}
}
