package webhooks

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestParseSkipReasons checks why the parts that make no event make none:
// a shape that is understood must never be skipped by accident, and what
// is skipped is counted by object and field.
func TestParseSkipReasons(t *testing.T) {
	tests := []struct {
		name string
		body string
		want map[skipKey]int
	}{
		{"OKTwoBareEntries", fixtureString(t, "fb_feed_two_entries_batch.json"), map[skipKey]int{
			{skipField, "page", "parking"}: 1, {skipField, "page", "payment_options"}: 1,
		}},
		{"OKEveryFixtureUnderstood", fixtureString(t, "messenger_read.json"), nil},
		{"OKStandbyAndOptin", `{"object":"page","entry":[{"id":"1","time":1,"standby":[{}],"messaging":[{"sender":{"id":"2"},"optin":{"ref":"x"}}]}]}`,
			map[skipKey]int{{skipEvent, "page", "unknown"}: 1, {skipEvent, "page", "optin"}: 1}},
		{"OKFeedLike", `{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{"item":"like","verb":"add"}}]}]}`,
			map[skipKey]int{{skipChange, "page", "feed"}: 1}},
		{"OKMalformedItem", `{"object":"instagram","entry":[{"id":"1","messaging":["nobody"]}]}`,
			map[skipKey]int{{skipMalformed, "instagram", ""}: 1}},
		// A sender of another type is ignored; the message, which then has
		// no contact, cannot be stored.
		{"OKSenderOfOtherType", `{"object":"instagram","entry":[{"id":"1","time":1700000000000,"messaging":[{"sender":"nobody","message":{"mid":"m","text":"x"}}]}]}`,
			map[skipKey]int{{skipInvalid, "instagram", "message"}: 1, {skipIgnoredValue, "instagram", "message"}: 1}},
		// A member of another type is left out and counted; its event is kept.
		{"OKIgnoredValueMessage", `{"object":"page","entry":[{"id":"1","time":1700000000000,"messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},` +
			`"message":{"mid":"m","text":"Se bilden","attachments":[{"type":"image","payload":"https://cdn/bild.jpg"}]}}]}]}`,
			map[skipKey]int{{skipIgnoredValue, "page", "message"}: 1}},
		{"OKIgnoredValueFeed", `{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{"item":"comment","verb":"add",` +
			`"comment_id":"1_2","post_id":"1_1","from":{"id":"7","name":42},"created_time":1700000000,"message":"Hej!"}}]}]}`,
			map[skipKey]int{{skipIgnoredValue, "page", "feed"}: 1}},
		{"OKIgnoredValueInstagramComment", `{"object":"instagram","entry":[{"id":"1","time":1700000000,"changes":[{"field":"comments","value":{` +
			`"id":"c","text":"Fint!","from":{"id":"42","username":"g"},"media":"900"}}]}]}`,
			map[skipKey]int{{skipIgnoredValue, "instagram", "comments"}: 1}},
		{"OKIgnoredValueEntry", `{"object":"page","entry":[{"id":"1","time":1700000000000,"messaging":{"x":1}}]}`,
			map[skipKey]int{{skipIgnoredValue, "page", "entry"}: 1, {skipField, "page", "entry"}: 1}},
		{"OKMalformedChangeValue", `{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":"x"}]}]}`,
			map[skipKey]int{{skipMalformed, "page", "feed"}: 1}},
		{"OKInvalidEvent", `{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"2"},"message":{"mid":"m","text":"no time"}}]}]}`,
			map[skipKey]int{{skipInvalid, "page", "message"}: 1}},
		{"OKOddFieldNameBounded", `{"object":"page","entry":[{"id":"1","changes":[{"field":"Weird Field!","value":{}}]}]}`,
			map[skipKey]int{{skipField, "page", "other"}: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parseDelivery([]byte(tt.body), time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(p.skipped, tt.want) {
				t.Errorf("skipped: got %v, want %v", p.skipped, tt.want)
			}
		})
	}
}

// TestParseIgnoredValueNamesMember: the log of a value left out for its
// type names the member, never its content.
func TestParseIgnoredValueNamesMember(t *testing.T) {
	p, err := parseDelivery([]byte(`{"object":"page","entry":[{"id":"1","time":1700000000000,"messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},`+
		`"message":{"mid":"m","text":{"t":"Mitt personnummer 19121212-1212"}}}]}]}`), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.parts) == 0 {
		t.Fatal("no part kept for the log")
	}
	got := p.parts[0]
	if got.Reason != skipIgnoredValue || got.Member != "message.text" {
		t.Errorf("part: got reason %q member %q, want %q %q", got.Reason, got.Member, skipIgnoredValue, "message.text")
	}
	if strings.Contains(got.Shape, "1212") {
		t.Errorf("shape %s carries content", got.Shape)
	}
}

func TestParseSkipsOtherObjectWithoutDecoding(t *testing.T) {
	p, err := parseDelivery([]byte(`{"object":"permissions","entry":[1,"x",{"id":"1"}]}`), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.skipped, map[skipKey]int{{skipObject, "permissions", ""}: 3}; !maps.Equal(got, want) {
		t.Errorf("skipped: got %v, want %v", got, want)
	}
}

func TestShapeOf(t *testing.T) {
	tests := []struct{ name, raw, want string }{
		{"OKObject", `{"text":"Mitt personnummer är 19121212-1212","from":{"id":"1"},"n":5,"ok":true,"x":null}`,
			`{from:{id:string},n:number,ok:bool,text:string,x:null}`},
		{"OKArray", `[{"b":1,"a":"x"}]`, `[{a:string,b:number}]`},
		{"OKIDKeysHidden", `{"Anna Andersson":1}`, `{?:number}`},
		{"OKDeep", `{"a":{"b":{"c":{"d":{"e":1}}}}}`, `{a:{b:{c:{d:{…}}}}}`},
		{"OKInvalid", `{"a":`, `invalid`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shapeOf([]byte(tt.raw))
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			if strings.Contains(got, "1212") || strings.Contains(got, "Anna") {
				t.Errorf("shape %s carries content", got)
			}
		})
	}
}

func fixtureString(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
