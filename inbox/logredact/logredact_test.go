package logredact_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"inkorg/inbox/logredact"
)

// Personal data the tests feed through the logger. The identity and
// coordination numbers have valid dates and check digits.
var personal = []string{
	"19811218-9876",    // personal identity number
	"811218-9876",      // the same, ten digits
	"701063-2391",      // coordination number
	"070-123 45 67",    // mobile phone
	"+46 31 365 00 00", // phone in international form
	"anna.svensson@example.se",
}

// secretStringer prints personal data.
type secretStringer struct{}

func (secretStringer) String() string { return "ring 070-123 45 67" }

// payload is a struct whose printed form holds personal data.
type payload struct {
	Name  string
	Email string
}

// valuer resolves to personal data only when logged.
type valuer struct{}

func (valuer) LogValue() slog.Value { return slog.StringValue("pnr 19811218-9876") }

func TestHandler(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			// No time: its digits could hold a fragment the test looks for.
			opts := &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey && len(groups) == 0 {
					return slog.Attr{}
				}
				return a
			}}
			var next slog.Handler = slog.NewTextHandler(&buf, opts)
			if format == "json" {
				next = slog.NewJSONHandler(&buf, opts)
			}
			logger := slog.New(logredact.New(next))
			for _, p := range personal {
				logger.Info("message with "+p, "text", "says "+p)
				logger.Warn("error", "err", fmt.Errorf("wrapped: %w", errors.New("bad "+p)))
				logger.Error("group", slog.Group("req", slog.String("body", p), slog.Group("inner", "v", p)))
				logger.With("user", p).WithGroup("g").With("x", p).Info("with", "y", p)
				logger.Debug("bytes", "raw", []byte(`{"message":"`+p+`"}`))
				logger.Info("any", "panic", any("runtime error near "+p))
			}
			logger.Info("stringer", "s", secretStringer{})
			logger.Info("struct", "p", payload{Name: "Anna", Email: "anna.svensson@example.se"})
			logger.Info("valuer", "v", valuer{})
			out := buf.String()
			for _, p := range append(personal, "9876", "123 45 67", "365 00 00", "@example.se") {
				if strings.Contains(out, p) {
					t.Errorf("log output holds %q:\n%s", p, out)
				}
			}
			for _, want := range []string{
				"[redacted:personal_identity_number]", "[redacted:coordination_number]",
				"[redacted:phone]", "[redacted:email]", "Anna",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("log output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

func TestRedactKeepsOrdinaryText(t *testing.T) {
	for _, text := range []string{
		"webhook delivery applied",
		"delivery_id 1732871234567-0 attempt 3",
		"status 503 after 2026-11-29 12:00:00",
		"conversation 42 routed to stadsmiljo",
		"send failed (attempt 2 of 5), retrying [queue outbound]",
	} {
		if got := logredact.Redact(text, testNow); got != text {
			t.Errorf("Redact(%q) = %q, want it unchanged", text, got)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"mitt personnummer är 19811218-9876, tack", "mitt personnummer är [redacted:personal_identity_number], tack"},
		{"ring 070-123 45 67 eller maila a.b@c.se", "ring [redacted:phone] eller maila [redacted:email]"},
		{"åäö 701063-2391 åäö", "åäö [redacted:coordination_number] åäö"},
		// Triage reads a valid number after "faktura" as an invoice
		// number; a log line must not keep it either way.
		{"faktura 19811218-9876 saknas", "faktura [redacted:personal_identity_number] saknas"},
		// Numbers in the digits Arabic and Persian keyboards type.
		{"رقمي الشخصي ١٩٨١١٢١٨-٩٨٧٦ شكرا", "رقمي الشخصي [redacted:personal_identity_number] شكرا"},
		{"شماره من ۰۷۰۱۲۳۴۵۶۷", "شماره من [redacted:phone]"},
		// Card numbers, also after an OCR label, and e-mail addresses
		// written out.
		{"kort 4539 1488 0343 6467 nekat", "kort [redacted:payment_card] nekat"},
		{"OCR 4111111111111111", "OCR [redacted:payment_card]"},
		{"maila anna.andersson(at)gmail.com", "maila [redacted:email]"},
		{"anna snabel-a gmail punkt com", "[redacted:email]"},
		// A home address, in a log line or a private message being
		// pseudonymised, as much as in a public comment.
		{"jag bor på Storgatan 12B lgh 1102 och", "jag bor på [redacted:address] och"},
		{"skicka till 412 58 Göteborg tack", "skicka till [redacted:address] tack"},
	}
	for _, tt := range tests {
		if got := logredact.Redact(tt.in, testNow); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEnabledFollowsWrapped(t *testing.T) {
	h := logredact.New(slog.NewTextHandler(&bytes.Buffer{}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if h.Enabled(context.Background(), slog.LevelInfo) {
		t.Error("Enabled(info) = true under a warn handler, want false")
	}
	if !h.Enabled(context.Background(), slog.LevelError) {
		t.Error("Enabled(error) = false, want true")
	}
}

var testNow = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
