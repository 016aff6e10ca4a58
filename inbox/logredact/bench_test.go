package logredact_test

import (
	"io"
	"log/slog"
	"testing"

	"inkorg/inbox/logredact"
)

// BenchmarkHandler measures what redaction adds to a typical log line
// (ids and counts, no personal data) and to one carrying personal data.
func BenchmarkHandler(b *testing.B) {
	plain := slog.New(slog.NewJSONHandler(io.Discard, nil))
	redacted := slog.New(logredact.New(slog.NewJSONHandler(io.Discard, nil)))
	for _, c := range []struct {
		name   string
		logger *slog.Logger
		err    string
	}{
		{"Plain/Typical", plain, "status 503"},
		{"Redacted/Typical", redacted, "status 503"},
		{"Redacted/PersonalData", redacted, "cannot send to anna.svensson@example.se, 070-123 45 67, 19811218-9876"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				c.logger.Warn("webhook delivery not applied; it will be delivered again",
					"delivery_id", "1732871234567-0", "attempt", 3, "channel", "facebook_comment", "error", c.err)
			}
		})
	}
}
