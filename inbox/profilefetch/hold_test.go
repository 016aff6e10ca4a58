package profilefetch_test

import (
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// TestFetchDueHoldsContactsWhileTokenRejected keeps a contact to fetch,
// without spending its tries and with a call an hour at most, while Meta
// rejects the account's token, and names it once the token works again.
func TestFetchDueHoldsContactsWhileTokenRejected(t *testing.T) {
	sc := newScene(t)
	sc.Sandbox.SetProfile("psid-7", graph.Profile{FirstName: "Karin", LastName: "Lindqvist"})
	conv := sc.message(t, inbox.PlatformFacebook, "psid-7")
	if err := sc.Sandbox.FailPath("GET", "/psid-7", -1, graph.DocumentedError(190, 463)); err != nil {
		t.Fatal(err)
	}
	// The token expired on a Friday evening; two hours go by.
	for start := sc.Now; sc.Now.Sub(start) < 2*time.Hour; sc.Now = sc.Now.Add(time.Minute) {
		sc.fetch(t)
	}
	if n := profileCalls(sc.Sandbox.Calls(), "psid-7"); n != 2 {
		t.Errorf("%d calls with the rejected token in two hours, want 2 (one an hour)", n)
	}
	sc.Sandbox.ClearFaults() // an administrator stored a new token
	sc.Now = sc.Now.Add(time.Hour)
	sc.fetch(t)
	if c := sc.contact(t, conv); c.Name != "Karin Lindqvist" {
		t.Fatalf("after the token was renewed: name %q, want Karin Lindqvist", c.Name)
	}
}

// TestFetchDueThrottleSpendsNoTries names a contact once a throttle longer
// than all its tries would take has ended.
func TestFetchDueThrottleSpendsNoTries(t *testing.T) {
	sc := newScene(t)
	sc.Sandbox.SetProfile("psid-8", graph.Profile{Name: "Sara Holm"})
	conv := sc.message(t, inbox.PlatformFacebook, "psid-8")
	if err := sc.Sandbox.FailPath("GET", "/psid-8", -1, graph.DocumentedError(32, 0)); err != nil {
		t.Fatal(err)
	}
	for start := sc.Now; sc.Now.Sub(start) < time.Hour; sc.Now = sc.Now.Add(time.Minute) {
		sc.fetch(t)
	}
	sc.Sandbox.ClearFaults()
	sc.Now = sc.Now.Add(time.Hour)
	sc.fetch(t)
	if c := sc.contact(t, conv); c.Name != "Sara Holm" {
		t.Fatalf("after the throttle ended: name %q, want Sara Holm", c.Name)
	}
}
