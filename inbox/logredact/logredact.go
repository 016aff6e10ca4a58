// Package logredact is a slog.Handler wrapper that removes personal data
// from log records before any handler writes them: personal identity and
// coordination numbers, payment card and phone numbers, e-mail addresses
// (also written out, "anna(at)gmail.com") and home addresses, found by the
// same detector triage uses (routing.FindIdentifiers).
package logredact

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"inkorg/inbox"
	"inkorg/routing"
)

// Handler redacts personal data in a record's message and in every
// attribute value (strings, errors, values that format as text, groups)
// and passes the record on to the handler it wraps.
type Handler struct {
	next slog.Handler
}

// New returns a Handler that writes redacted records to next.
func New(next slog.Handler) *Handler {
	return &Handler{next: next}
}

// Enabled reports whether the wrapped handler handles level.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle redacts r and hands it on.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	now := r.Time
	if now.IsZero() {
		now = time.Now()
	}
	out := slog.NewRecord(r.Time, r.Level, Redact(r.Message, now), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a, now))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs returns a Handler whose wrapped handler has attrs, redacted.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	now := time.Now()
	red := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		red[i] = redactAttr(a, now)
	}
	return &Handler{next: h.next.WithAttrs(red)}
}

// WithGroup returns a Handler whose wrapped handler opens group name.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name)}
}

// redactAttr returns a with personal data removed from its value. Keys are
// the program's own and are kept.
func redactAttr(a slog.Attr, now time.Time) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(v.String(), now))
	case slog.KindGroup:
		group := v.Group()
		red := make([]slog.Attr, len(group))
		for i, g := range group {
			red[i] = redactAttr(g, now)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(red...)}
	case slog.KindAny:
		return slog.Attr{Key: a.Key, Value: redactAny(v.Any(), now)}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// redactAny redacts a value that is not a plain string. Errors, byte
// slices and Stringers become their redacted text; any other value is
// kept unless its printed form holds personal data, when it is replaced
// by that form, redacted.
func redactAny(x any, now time.Time) slog.Value {
	switch x := x.(type) {
	case nil:
		return slog.AnyValue(nil)
	case error:
		return slog.StringValue(Redact(x.Error(), now))
	case []byte:
		if utf8.Valid(x) {
			return slog.StringValue(Redact(string(x), now))
		}
		return slog.AnyValue(x)
	case fmt.Stringer:
		return slog.StringValue(Redact(x.String(), now))
	}
	text := fmt.Sprintf("%+v", x)
	if red := Redact(text, now); red != text {
		return slog.StringValue(red)
	}
	return slog.AnyValue(x)
}

// Redact returns text with every personal identity number, coordination
// number, payment card number, phone number, e-mail address and home
// address replaced
// by a marker naming its kind, such as "[redacted:phone]". now bounds
// valid dates of birth.
func Redact(text string, now time.Time) string {
	if !mayHoldPersonalData(text) {
		return text
	}
	spans := routing.FindIdentifiers(text, now)
	if len(spans) == 0 {
		return text
	}
	runes := []rune(text)
	var b strings.Builder
	b.Grow(len(text))
	at := 0
	for _, s := range spans {
		if !redacted(s.Kind) || s.Start < at {
			continue
		}
		b.WriteString(string(runes[at:s.Start]))
		b.WriteString("[redacted:" + string(s.Kind) + "]")
		at = s.End
	}
	b.WriteString(string(runes[at:]))
	return b.String()
}

// redacted reports whether a kind of finding is removed from logs. Health
// and social-welfare findings are only looked for in public texts, and are
// words rather than identifiers.
func redacted(k inbox.SensitiveKind) bool {
	switch k {
	case inbox.SensitivePersonalIdentityNumber, inbox.SensitiveCoordinationNumber,
		inbox.SensitivePaymentCard, inbox.SensitivePhone, inbox.SensitiveEmail, inbox.SensitiveAddress:
		return true
	}
	return false
}

// mayHoldPersonalData is a cheap first look: every kind redacted needs a
// digit (ASCII, or the Arabic-Indic, Persian and fullwidth digits
// routing reads numbers in), an @ or what stands for one in an address
// written out, and most log text has none.
func mayHoldPersonalData(text string) bool {
	if strings.ContainsAny(text, "0123456789@") || routing.MayHoldWrittenEmail(text) {
		return true
	}
	for _, r := range text {
		if r >= '\u0660' && r <= '\u0669' || r >= '\u06f0' && r <= '\u06f9' || r >= '\uff10' && r <= '\uff19' {
			return true
		}
	}
	return false
}
