package inbox

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRedactBody(t *testing.T) {
	const erik, karin, page = "7301234567890001", "7301234567899999", "104729385720000"
	erikComment := `{"field":"feed","value":{"from":{"id":"` + erik + `","name":"Erik Eriksson"},"item":"comment","verb":"add","message":"Hej igen"}}`
	karinMessage := `{"sender":{"id":"` + karin + `"},"recipient":{"id":"` + page + `"},"message":{"mid":"m_karin","text":"Vattenläcka <här> & där"}}`
	pageEcho := `{"sender":{"id":"` + page + `"},"recipient":{"id":"` + erik + `"},"message":{"mid":"m_echo","text":"Hej Erik!","is_echo":true}}`
	karinTagsErik := `{"field":"feed","value":{"from":{"id":"` + karin + `","name":"Karin"},"item":"comment","verb":"add","message":"Se @Erik",` +
		`"message_tags":[{"id":` + erik + `,"name":"Erik Eriksson","type":"user"}]}}`
	entry := func(list, events string) string {
		return `{"id":"` + page + `","time":1,"` + list + `":[` + events + `]}`
	}
	delivery := func(object string, entries ...string) string {
		return `{"object":"` + object + `","entry":[` + strings.Join(entries, ",") + `]}`
	}
	tests := []struct {
		name string
		body string
		// want is nil to keep the body as it is, "" to drop it, or the
		// rewritten body.
		want *string
	}{
		{"OKNotNamed", delivery("page", entry("messaging", karinMessage)), nil},
		{"OKOnlyInOthersText", delivery("page", entry("messaging", strings.Replace(karinMessage, "Vattenläcka", "Erik har id "+erik+" ", 1))), nil},
		{"OKLongerID", `{"object":"page","entry":[{"changes":[{"value":{"from":{"id":` + erik + `9}}}]}]}`, nil},
		{"OKOnlyTheirs", delivery("page", entry("changes", erikComment)), new("")},
		{"OKTheirsAndEcho", delivery("page", entry("changes", erikComment), entry("messaging", pageEcho)), new("")},
		{"OKOthersEntryKept", delivery("page", entry("changes", erikComment), entry("messaging", karinMessage)),
			new(delivery("page", entry("messaging", karinMessage)))},
		{"OKOthersEventKept", delivery("page", entry("messaging", pageEcho+","+karinMessage)),
			new(delivery("page", entry("messaging", karinMessage)))},
		{"OKSingleChangeEntry", delivery("instagram", `{"id":"`+page+`","time":1,"field":"comments","value":{"from":{"id":"`+erik+`"},"text":"Hej"}}`,
			entry("messaging", karinMessage)), new(delivery("instagram", entry("messaging", karinMessage)))},
		{"OKMentionPseudonymised", delivery("page", entry("changes", karinTagsErik)), new(strings.NewReplacer(
			`{"id":`+erik+`,"name":"Erik Eriksson","type":"user"}`, `{"id":"`+Pseudonym(PlatformFacebook, erik)+`","type":"user"}`).
			Replace(delivery("page", entry("changes", karinTagsErik))))},
		{"ErrNotJSON", `not json naming "` + erik + `"`, new("")},
		{"ErrNoEntries", `{"object":"page","sender":{"id":"` + erik + `"}}`, new("")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, drop := redactBody([]byte(tc.body), "", erik)
			switch {
			case tc.want == nil:
				if out != nil || drop {
					t.Errorf("got %q, drop %v; want the body kept as it is", out, drop)
				}
				return
			case *tc.want == "":
				if out != nil || !drop {
					t.Errorf("got %q, drop %v; want it dropped", out, drop)
				}
				return
			}
			if drop || !sameJSON(t, out, []byte(*tc.want)) {
				t.Errorf("got %s, drop %v; want %s", out, drop, *tc.want)
			}
			if strings.Contains(*tc.want, "<här> & där") && !strings.Contains(string(out), "<här> & där") {
				t.Errorf("got %s, want Karin's text as she sent it", out)
			}
			if MentionsPlatformID(out, erik) || strings.Contains(string(out), "Erik Eriksson") {
				t.Errorf("got %s, still naming Erik", out)
			}
			if again, drop := redactBody(out, "", erik); again != nil || drop {
				t.Errorf("redacting the rewritten body again: got %q, drop %v; want it kept as it is", again, drop)
			}
		})
	}
}

// TestRedactBodyPlatform: the same digits in a delivery of the other
// platform are someone else, and stay; with the platform not known, the
// id is taken to be the person's on both.
func TestRedactBodyPlatform(t *testing.T) {
	const id = "7301234567890003"
	body := func(object string) []byte {
		return []byte(`{"object":"` + object + `","entry":[{"id":"1","messaging":[{"sender":{"id":"` + id + `"},"message":{"text":"Hej"}}]}]}`)
	}
	tests := []struct {
		name     string
		platform Platform
		object   string
		drop     bool
	}{
		{"OKFacebookPage", PlatformFacebook, "page", true},
		{"OKFacebookInstagramKept", PlatformFacebook, "instagram", false},
		{"OKInstagramPageKept", PlatformInstagram, "page", false},
		{"OKInstagram", PlatformInstagram, "instagram", true},
		{"OKUnknownPage", "", "page", true},
		{"OKUnknownInstagram", "", "instagram", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if out, drop := redactBody(body(tc.object), tc.platform, id); out != nil || drop != tc.drop {
				t.Errorf("got %q, drop %v; want drop %v", out, drop, tc.drop)
			}
		})
	}
}

func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	return string(xs) == string(ys)
}
