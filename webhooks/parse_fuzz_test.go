package webhooks_test

import (
	"os"
	"path/filepath"
	"testing"

	"inkorg/inbox"
	"inkorg/webhooks"
)

// FuzzParse checks that no body makes Parse panic, that every event it
// returns can be applied and names what it is about on the platform, and
// that Parse fails only with EINVALID.
func FuzzParse(f *testing.F) {
	files, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		if file.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join("testdata", file.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(envelope("page", "234554838031189", fixture(f, "messenger_echo_event_captured.json")))
	f.Add([]byte(`{"object":"page","entry":[{"id":9007199254740993,"time":"2016-10-04T11:00:54+0000","messaging":[{"sender":{"id":1},"recipient":{"id":9007199254740993},"timestamp":"1","message":{"mid":2,"text":"x","is_echo":true,"reply_to":{"mid":3}}}]}]}`))
	for _, tc := range shapeCases() {
		f.Add([]byte(tc.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := webhooks.Parse(body)
		if err != nil {
			if code := inbox.ErrorCode(err); code != inbox.EINVALID {
				t.Fatalf("Parse: got error code %q, want %q (%v)", code, inbox.EINVALID, err)
			}
			if len(events) != 0 {
				t.Fatalf("Parse failed with %d events, want none", len(events))
			}
			return
		}
		for i, e := range events {
			if err := e.Validate(); err != nil {
				t.Fatalf("event %d does not validate: %v\n%+v", i, err, e)
			}
			if !hasPlatformID(e) {
				t.Fatalf("event %d names nothing on the platform: %+v", i, e)
			}
		}
	})
}

// hasPlatformID reports whether e names the account and what it is about:
// a message id, for a receipt its thread, for a published post the post.
func hasPlatformID(e inbox.Event) bool {
	if e.AccountExternalID == "" {
		return false
	}
	if e.Kind.Receipt() {
		return e.ThreadKey != "" && (len(e.MessageExternalIDs) > 0 || !e.Watermark.IsZero())
	}
	if e.Kind == inbox.EventPostPublished {
		return e.PostExternalID != ""
	}
	return e.MessageExternalID != ""
}
