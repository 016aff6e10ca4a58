package webhooks_test

import (
	"os"
	"testing"

	"inkorg/webhooks"
)

// TestEchoMetadata reads the metadata a send set from its echo, which is
// how inkorg matches the echo to its own outbound message.
func TestEchoMetadata(t *testing.T) {
	body, err := os.ReadFile("testdata/messenger_message_echo.json")
	if err != nil {
		t.Fatal(err)
	}
	events, err := webhooks.Parse(body)
	if err != nil || len(events) != 1 {
		t.Fatalf("Parse = %d events, %v; want 1", len(events), err)
	}
	if got := events[0].Metadata; got != "DEVELOPER_DEFINED_METADATA_STRING" {
		t.Errorf("metadata %q, want the echoed DEVELOPER_DEFINED_METADATA_STRING", got)
	}
}
