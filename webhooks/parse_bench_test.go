package webhooks_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"inkorg/webhooks"
)

// BenchmarkParse parses every delivery fixture, then one busy delivery of
// Messenger messages, echoes and attachments, and Instagram comments.
func BenchmarkParse(b *testing.B) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		b.Fatal(err)
	}
	var bodies [][]byte
	for _, f := range files {
		name := filepath.Base(f)
		if strings.HasPrefix(name, "graph_") || strings.HasPrefix(name, "send_api") || name == "messenger_echo_event_captured.json" {
			continue
		}
		bodies = append(bodies, fixture(b, name))
	}
	b.Run("Fixtures", func(b *testing.B) {
		n := 0
		for _, body := range bodies {
			n += len(body)
		}
		b.SetBytes(int64(n))
		for b.Loop() {
			for _, body := range bodies {
				if _, err := webhooks.Parse(body); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("MessengerBatch", func(b *testing.B) {
		body := []byte(busyMessengerDelivery(100))
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if events, err := webhooks.Parse(body); err != nil || len(events) != 100 {
				b.Fatalf("got %d events, %v; want 100", len(events), err)
			}
		}
	})
	b.Run("InstagramComments", func(b *testing.B) {
		changes := make([]string, 100)
		for i := range changes {
			changes[i] = `{"field":"comments","value":{"id":"1790` + strconv.Itoa(i) + `","text":"Hej, när töms soporna i Majorna?",` +
				`"from":{"id":"1234536447","username":"testuser"},"media":{"id":"1","media_product_type":"FEED"}}}`
		}
		body := []byte(`{"object":"instagram","entry":[{"id":"17841400000000000","time":1519399307,"changes":[` + strings.Join(changes, ",") + `]}]}`)
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if events, err := webhooks.Parse(body); err != nil || len(events) != 100 {
				b.Fatalf("got %d events, %v; want 100", len(events), err)
			}
		}
	})
}

// busyMessengerDelivery is one Page delivery of n messaging items: text
// messages, echoes and image attachments in turn.
func busyMessengerDelivery(n int) string {
	items := make([]string, n)
	for i := range items {
		var m string
		switch i % 3 {
		case 0:
			m = `{"mid":"m_` + strconv.Itoa(i) + `","text":"Hej! När öppnar återvinningscentralen i Högsbo på lördag?"}`
		case 1:
			m = `{"mid":"m_` + strconv.Itoa(i) + `","is_echo":true,"app_id":1517776481860111,"metadata":"k_` + strconv.Itoa(i) + `","text":"Hej, klockan 10."}`
		default:
			m = `{"mid":"m_` + strconv.Itoa(i) + `","attachments":[{"type":"image","payload":{"url":"https://scontent.xx.fbcdn.net/v/t1.15752-9/image.jpg"}}]}`
		}
		sender, recipient := `"777"`, `"112233445566778"`
		if i%3 == 1 {
			sender, recipient = recipient, sender
		}
		items[i] = `{"sender":{"id":` + sender + `},"recipient":{"id":` + recipient + `},"timestamp":1700000000123,"message":` + m + `}`
	}
	return `{"object":"page","entry":[{"id":"112233445566778","time":1700000000000,"messaging":[` + strings.Join(items, ",") + `]}]}`
}
