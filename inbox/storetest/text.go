package storetest

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Texts that must survive the store exactly.
var texts = []string{
	"Hej! Var ligger Ärlegatan? Åsa & Örjan undrar över sophämtningen på Hisingen.",
	"مرحبا، متى تفتح المكتبة؟",
	"Tack 🙏🏽 för hjälpen! 👨‍👩‍👧‍👦 ❤️",
	"Ett\nradbrott\toch \"citat\" och 'apostrof' och \\ och % och _",
}

func runText(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		var convID int64
		for i, text := range texts {
			e := Event("psid_text", mid("t", i), T0.Add(time.Duration(i)*time.Second))
			e.Text = text
			e.Contact.Name = "Åsa Öberg-Ağaoğlu"
			convID = apply(t, s, e).ConversationID
			c := conversation(t, s, convID)
			if c.Preview != text || c.Contact.Name != e.Contact.Name {
				t.Errorf("got preview %q, contact %q; want %q, %q", c.Preview, c.Contact.Name, text, e.Contact.Name)
			}
		}
		msgs := messages(t, s, convID)
		if len(msgs) != len(texts) {
			t.Fatalf("got %d messages, want %d", len(msgs), len(texts))
		}
		for i, m := range msgs {
			if m.Text != texts[i] {
				t.Errorf("message %d: got %q, want %q", i, m.Text, texts[i])
			}
		}
	})
	t.Run("OKNUL", func(t *testing.T) {
		// PostgreSQL cannot store NUL in text; every store keeps the
		// message with U+FFFD in its place rather than refuse it.
		s := open(t)
		e := Event("psid_nul", "m_nul", T0)
		e.Text, e.Contact.Name = "Hej\x00då", "Nu\x00ll"
		c := conversation(t, s, apply(t, s, e).ConversationID)
		if msgs := messages(t, s, c.ID); len(msgs) != 1 || msgs[0].Text != "Hej\uFFFDdå" {
			t.Errorf("got messages %+v, want one with text %q", msgs, "Hej\uFFFDdå")
		}
		if c.Contact.Name != "Nu\uFFFDll" {
			t.Errorf("got contact name %q, want %q", c.Contact.Name, "Nu\uFFFDll")
		}
	})
	t.Run("OKLongPreview", func(t *testing.T) {
		s := open(t)
		e := Event("psid_long", "m_long", T0)
		e.Text = strings.Repeat("å🙂", 300)
		c := conversation(t, s, apply(t, s, e).ConversationID)
		if n := utf8.RuneCountInString(c.Preview); n == 0 || n > 200 || !utf8.ValidString(c.Preview) || !strings.HasPrefix(e.Text, c.Preview) {
			t.Errorf("got preview of %d runes %q, want a valid prefix of at most 200 runes", n, c.Preview)
		}
		if msgs := messages(t, s, c.ID); msgs[0].Text != e.Text {
			t.Errorf("got text of %d runes, want the whole %d", utf8.RuneCountInString(msgs[0].Text), utf8.RuneCountInString(e.Text))
		}
	})
}

func runTime(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		cest := time.FixedZone("CEST", 2*60*60)
		at := time.Date(2025, 6, 6, 23, 59, 59, 987_000_000, cest)
		before := time.Now()
		a := apply(t, s, Event("psid_1", "m_1", at))
		after := time.Now()
		m := messages(t, s, a.ConversationID)[0]
		wantTime(t, "SentAt", m.SentAt, at)
		c := conversation(t, s, a.ConversationID)
		wantTime(t, "FirstMessageAt", c.FirstMessageAt, at)
		if c.CreatedAt.Before(before.Add(-time.Second)) || c.CreatedAt.After(after.Add(time.Second)) {
			t.Errorf("got CreatedAt %s, want between %s and %s", fmtTime(c.CreatedAt), fmtTime(before), fmtTime(after))
		}
	})
	t.Run("OKOrderAcrossZones", func(t *testing.T) {
		// Later instants whose local clock reads earlier, and fractions of
		// a second, must still sort by instant.
		s := open(t)
		cest := time.FixedZone("CEST", 2*60*60)
		times := []time.Time{
			time.Date(2025, 6, 1, 10, 0, 0, 0, cest),              // 08:00:00 UTC
			time.Date(2025, 6, 1, 8, 0, 0, 500_000_000, time.UTC), // 08:00:00.5 UTC
			time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC),           // 09:00:00 UTC
			time.Date(2025, 6, 1, 10, 30, 0, 0, cest),             // 08:30:00 UTC
		}
		var convID int64
		for i, at := range times {
			convID = apply(t, s, Event("psid_1", mid("z", i), at)).ConversationID
		}
		c := conversation(t, s, convID)
		wantTime(t, "FirstMessageAt", c.FirstMessageAt, times[0])
		wantTime(t, "LastMessageAt", c.LastMessageAt, times[2])
		var got []string
		for _, m := range messages(t, s, convID) {
			got = append(got, m.ExternalID)
		}
		if want := []string{"m_z_0", "m_z_1", "m_z_3", "m_z_2"}; strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("got messages in order %v, want %v", got, want)
		}
	})
}
