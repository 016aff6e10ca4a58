package loadgen

import (
	"bytes"
	"regexp"
	"testing"
	"time"
	"unicode/utf8"

	"inkorg/inbox"
	"inkorg/webhooks"
)

// TestGenerator checks that every delivery of a long mix is one Meta
// would send: ASCII JSON that webhooks.Parse reads into as many events as
// the generator says, each with its platform id and account.
func TestGenerator(t *testing.T) {
	g := NewGenerator(GeneratorConfig{RunID: "42", Seed: 7})
	at := time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC)
	kinds := map[Kind]int{}
	created := map[string]Kind{}
	for i := range 3000 {
		d := g.Next(at.Add(time.Duration(i) * time.Millisecond))
		kinds[d.Kind]++
		events, err := webhooks.Parse(d.Body)
		if err != nil {
			t.Fatalf("delivery %d (%s): Parse: %v\n%s", i, d.Kind, err, d.Body)
		}
		if len(events) != d.Events {
			t.Fatalf("delivery %d (%s): got %d events, want %d\n%s", i, d.Kind, len(events), d.Events, d.Body)
		}
		if !isASCII(d.Body) {
			t.Fatalf("delivery %d (%s): got non-ASCII bytes, want every character escaped as Meta does", i, d.Kind)
		}
		for _, e := range events {
			checkEvent(t, d, e, created)
		}
	}
	for _, m := range mix {
		if kinds[m.kind] == 0 {
			t.Errorf("kind %s: got 0 deliveries in 3000, want some", m.kind)
		}
	}
}

// checkEvent checks one parsed event, and that a created message's id is
// new unless its delivery is a duplicate.
func checkEvent(t *testing.T, d Delivery, e inbox.Event, created map[string]Kind) {
	t.Helper()
	if e.MessageExternalID == "" {
		t.Fatalf("%s: got an event without a message id", d.Kind)
	}
	if e.AccountExternalID != DefaultPageID && e.AccountExternalID != DefaultInstagramID {
		t.Fatalf("%s: got account %q, want %s or %s", d.Kind, e.AccountExternalID, DefaultPageID, DefaultInstagramID)
	}
	if e.Text == "" && len(e.Attachments) == 0 {
		t.Fatalf("%s: got an event without text or attachments", d.Kind)
	}
	if e.Kind != inbox.EventMessageCreated {
		if want := map[Kind]bool{KindFacebookEdited: true, KindMessengerEdit: true, KindDuplicate: true}; !want[d.Kind] {
			t.Fatalf("%s: got event kind %s, want %s", d.Kind, e.Kind, inbox.EventMessageCreated)
		}
		return
	}
	if prev, seen := created[e.MessageExternalID]; seen && d.Kind != KindDuplicate {
		t.Fatalf("%s: message id %s was already created by a %s delivery", d.Kind, e.MessageExternalID, prev)
	}
	created[e.MessageExternalID] = d.Kind
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// TestGeneratorRepeatable checks that a seed gives the same deliveries and
// that streams and runs do not share ids.
func TestGeneratorRepeatable(t *testing.T) {
	at := time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC)
	a := NewGenerator(GeneratorConfig{RunID: "1", Seed: 3})
	b := NewGenerator(GeneratorConfig{RunID: "1", Seed: 3})
	other := NewGenerator(GeneratorConfig{RunID: "2", Seed: 3})
	for i := range 50 {
		da, db, do := a.Next(at), b.Next(at), other.Next(at)
		if !bytes.Equal(da.Body, db.Body) {
			t.Fatalf("delivery %d: same seed gave different bodies:\n%s\n%s", i, da.Body, db.Body)
		}
		if bytes.Equal(da.Body, do.Body) {
			t.Fatalf("delivery %d: runs 1 and 2 gave the same body", i)
		}
	}
}

// TestGeneratorStreamIDs checks that no two streams of a run, up to
// MaxConcurrency, share a platform id.
func TestGeneratorStreamIDs(t *testing.T) {
	const run = "12345678"
	at := time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC)
	re := regexp.MustCompile(run + `\d+`)
	ids := func(stream int) map[string]bool {
		g := NewGenerator(GeneratorConfig{RunID: run, Stream: stream, Seed: 1})
		out := map[string]bool{}
		for range 200 {
			d := g.Next(at)
			if d.Kind == KindDuplicate {
				continue
			}
			for _, id := range re.FindAllString(string(d.Body), -1) {
				out[id] = true
			}
		}
		return out
	}
	for _, pair := range [][2]int{{0, 1000}, {23, MaxConcurrency - 1}, {1, 10}} {
		a, b := ids(pair[0]), ids(pair[1])
		if len(a) == 0 {
			t.Fatalf("stream %d: got no ids matching %s", pair[0], re)
		}
		shared := 0
		for id := range a {
			if b[id] {
				shared++
			}
		}
		if shared > 0 {
			t.Errorf("streams %d and %d of one run share %d platform ids; want none", pair[0], pair[1], shared)
		}
	}
}

func TestEscapeNonASCII(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"a":"b"}`, `{"a":"b"}`},
		{`{"t":"Hej Åsa, töms?"}`, `{"t":"Hej \u00c5sa, t\u00f6ms?"}`},
		{`{"t":"👏"}`, `{"t":"\ud83d\udc4f"}`},
		{`{"t":"ä\n"}`, `{"t":"\u00e4\n"}`},
	}
	for _, tc := range tests {
		if got := string(escapeNonASCII([]byte(tc.in))); got != tc.want {
			t.Errorf("escapeNonASCII(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestProbeDelivery(t *testing.T) {
	at := time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC)
	events, err := webhooks.Parse(ProbeDelivery("", "99001", "m_probe_1", "Prov 🔎", at))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 {
		t.Fatalf("got %d events, want 1", len(events))
	}
	e := events[0]
	if e.MessageExternalID != "m_probe_1" || e.ThreadKey != "99001" || e.Text != "Prov 🔎" || !e.OccurredAt.Equal(at) {
		t.Errorf("got mid %q thread %q text %q at %s, want m_probe_1, 99001, %q, %s",
			e.MessageExternalID, e.ThreadKey, e.Text, e.OccurredAt, "Prov 🔎", at)
	}
}

// BenchmarkGeneratorNext is what one delivery costs the load generator.
func BenchmarkGeneratorNext(b *testing.B) {
	g := NewGenerator(GeneratorConfig{RunID: "1", Seed: 1})
	at := time.Now()
	for b.Loop() {
		g.Next(at)
	}
}
