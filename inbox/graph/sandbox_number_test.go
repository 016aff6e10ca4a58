package graph_test

import (
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// TestSandboxNumberFrom: two sandboxes numbered from different starts
// never give the same message id, as two starts of a server over the same
// data must not.
func TestSandboxNumberFrom(t *testing.T) {
	send := func(first int) string {
		t.Helper()
		sb := graph.NewSandbox(nil)
		sb.NumberFrom(first)
		srv, err := sb.Start()
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		client, err := graph.New(graph.Config{BaseURL: srv.URL, Version: "1.0.0"})
		if err != nil {
			t.Fatal(err)
		}
		sent, err := client.SendMessage(t.Context(), "page-token", "104",
			graph.Message{Platform: inbox.PlatformFacebook, RecipientID: "1254444444682919", Text: "Hej!"})
		if err != nil {
			t.Fatal(err)
		}
		return sent.MessageID
	}
	if a, b := send(1), send(1_000_000); a != "m_sandbox_1" || b != "m_sandbox_1000000" {
		t.Errorf("got %q and %q; want m_sandbox_1 and m_sandbox_1000000", a, b)
	}
}
